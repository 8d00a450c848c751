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
    logger.info("%s user=%s ip=%s path=%s %s", kind, event.username, event.ip, event.path, detail)
    return event
