"""Personal data on pages: `{% personal obj "field" %}` shows `obj.field` as the request's user
may see it (bureau.personal_data): unmasked only for bureau staff holding the model's
permission, masked for everyone else."""

from django import template

from bureau.personal_data import shown

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context: template.Context, obj, field: str) -> str:
    request = context.get("request")
    return shown(getattr(request, "user", None) or context.get("user"), obj, field)
