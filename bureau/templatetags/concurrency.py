"""`{% edit_token_field record %}`: the stale-form token of a plain form (bureau.concurrency)."""

from django import template
from django.db import models
from django.utils.html import format_html

from bureau.concurrency import TOKEN_FIELD, edit_token

register = template.Library()


@register.simple_tag
def edit_token_field(record: models.Model, prefix: str = "") -> str:
    """A hidden input with the record's current edit token, for a form the view checks."""
    name = f"{prefix}-{TOKEN_FIELD}" if prefix else TOKEN_FIELD
    return format_html('<input type="hidden" name="{}" value="{}">', name, edit_token(record))
