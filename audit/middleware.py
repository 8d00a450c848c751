"""Request-level security events: downloads, uploads, refusals (403) and another's id (404)."""

from __future__ import annotations

import logging
import re

from django.http import HttpRequest, HttpResponse

from .models import EventKind
from .services import PENDING_READS, record, record_personal_data

logger = logging.getLogger("security")

FILENAME = re.compile(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)")


class SecurityEventMiddleware:
    """Append an event for every response a 等保 assessor asks about.

    - a file sent as an attachment (every export and download): who, what, size, rows when the
      view says (`response.export_rows`);
    - a request carrying files (every upload): names, sizes and how the page answered;
    - 403 for anyone; 404 for a signed-in user (asking for another enterprise's id answers
      404), static files and the favicon aside.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        try:
            self._record(request, response)
        except Exception:  # the log must not turn a served page into an error page
            logger.exception("security event not recorded for %s", request.path)
        return response

    def _record(self, request: HttpRequest, response: HttpResponse) -> None:
        status = response.status_code
        for model, ids in (request.__dict__.get(PENDING_READS) or {}).items():
            record_personal_data(
                request=request, model=model, ids=sorted(ids), context="page", path=request.path
            )
        disposition = response.get("Content-Disposition", "")
        # A view that logs its own downloads with more detail (evidence) marks the response.
        if (
            status == 200
            and disposition.startswith("attachment")
            and not getattr(response, "audit_recorded", False)
        ):
            match = FILENAME.search(disposition)
            record(
                EventKind.DOWNLOAD,
                request=request,
                status=status,
                file=match.group(1) if match else "",
                bytes=int(response["Content-Length"])
                if response.has_header("Content-Length")
                else None,
                rows=getattr(response, "export_rows", None),
            )
        if request.method == "POST" and request.FILES:
            record(
                EventKind.UPLOAD,
                request=request,
                status=status,
                files=[
                    {"field": field, "name": f.name, "bytes": f.size}
                    for field, files in request.FILES.lists()
                    for f in files
                ],
            )
        if status == 403:
            record(EventKind.ACCESS_DENIED, request=request, status=status)
        elif status == 404 and getattr(request, "user", None) is not None:
            if request.user.is_authenticated and not request.path.startswith(
                ("/static/", "/favicon")
            ):
                record(EventKind.NOT_FOUND, request=request, status=status)
