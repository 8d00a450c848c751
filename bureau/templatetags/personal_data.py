"""Personal data on pages: `{% personal obj "field" %}` shows `obj.field` as the request's user
may see it (bureau.personal_data): unmasked only for bureau staff holding the model's
permission, masked for everyone else."""

from django import template

from bureau.personal_data import can_view_personal_data, mask_value

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context: template.Context, obj, field: str) -> str:
    value = getattr(obj, field, "") or ""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if can_view_personal_data(user, type(obj)):
        return value
    return mask_value(type(obj), field, value)
