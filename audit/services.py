"""Writing to the security log: `record` is the one way in."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest

from .models import EventKind, SecurityEvent
from .network import client_ip

logger = logging.getLogger("security")


def record(
    kind: EventKind | str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str = "",
    status: int | None = None,
    **detail: Any,
) -> SecurityEvent:
    """Append one event; `detail` holds plain JSON values (old/new values, file, rows)."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    event = SecurityEvent(
        kind=kind,
        user_id=user.pk if user is not None else None,
        username=(user.get_username() if user is not None else username)[:150],
        ip=client_ip(request) if request is not None else None,
        method=(request.method or "")[:8] if request is not None else "",
        path=request.get_full_path()[:500] if request is not None else "",
        status=status,
        detail=detail,
    )
    event.save()
    logger.info(
        "%s user=%s ip=%s path=%s event=%s", kind, event.username, event.ip, event.path, event.pk
    )
    return event


def record_personal_data(
    *, user=None, request: HttpRequest | None = None, model: str, ids, context: str, path: str = ""
) -> SecurityEvent:
    """One security-log event per unmasked read of personal data: whose records, where."""
    ids = [i for i in ids if i is not None]
    detail = {"model": model, "count": len(ids), "ids": ids[:200], "context": context}
    if path and request is None:
        detail["path"] = path[:300]
    return record(EventKind.PERSONAL_DATA, request=request, user=user, **detail)


PENDING_READS = "_audit_unmasked_reads"


def note_unmasked_read(request: HttpRequest | None, obj) -> None:
    """A page showed one record's personal field unmasked: kept on the request and written as
    one event when the response is done (audit.middleware), not one row per field."""
    if request is None:
        return
    reads = request.__dict__.setdefault(PENDING_READS, {})
    reads.setdefault(obj._meta.label, set()).add(obj.pk)
