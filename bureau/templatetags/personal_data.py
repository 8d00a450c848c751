"""Personal data on pages: `{% personal obj "field" %}` shows `obj.field` as the request's user
may see it (bureau.personal_data): unmasked only for bureau staff holding the model's
permission, masked for everyone else."""

from django import template

from bureau.personal_data import can_view_personal_data, shown

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context: template.Context, obj, field: str) -> str:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    value = shown(user, obj, field)
    if obj is not None and getattr(obj, field, None) and can_view_personal_data(user, type(obj)):
        from audit.services import note_unmasked_read

        note_unmasked_read(request, obj)
    return value
