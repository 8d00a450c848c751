"""What a page sends with a form: the record's stale-form token (bureau.concurrency)."""

from django.db import models

from bureau.concurrency import TOKEN_FIELD, edit_token


def token(record: models.Model, prefix: str = "") -> dict[str, str]:
    """The hidden token field as the page renders it for `record` (prefixed like the form)."""
    return {f"{prefix}-{TOKEN_FIELD}" if prefix else TOKEN_FIELD: edit_token(record)}
