"""A database that cannot be reached answers 503 with a short page, not 500 (issue 15).

While PostgreSQL restarts or fails over, a query raises OperationalError (cannot connect, the
server is shutting down) or InterfaceError (a kept connection was closed under us). Such a
request gets `templates/503.html`, in the user's language, with `Retry-After`: rendered
without the request, so no context processor, session or user lookup touches the database
again. Django closes the broken connection at the end of the request and
`CONN_HEALTH_CHECKS` tests a kept one before reuse, so the next request after the database is
back is served normally, with no restart.

The error may be raised in a view or in a middleware (the session's or the user's lookup);
Django turns either into a 500 response inside the middleware that raised it and sends
`got_request_exception` first. The receiver below marks the request, and the outermost
middleware swaps that 500 for the 503.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
_MARK = "_database_unavailable"


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def mark_outage(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """got_request_exception receiver: remember that this request met a database outage."""
    exc = sys.exc_info()[1]
    if request is not None and is_database_outage(exc):
        setattr(request, _MARK, exc)


def unavailable_response() -> HttpResponse:
    body = render_to_string("503.html", {"seconds": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Outermost middleware: a request that met a database outage answers 503."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        exc = getattr(request, _MARK, None)
        if exc is not None:
            logger.warning("database unavailable for %s %s: %s", request.method, request.path, exc)
            return unavailable_response()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if is_database_outage(exception):
            setattr(request, _MARK, exception)
            return unavailable_response()
        return None
