"""The evidence locker's private file storage: under settings.EVIDENCE_ROOT, never a public URL.

The location is read from settings on every use (not once at import), so a test or a
deployment that moves EVIDENCE_ROOT is followed. `url()` refuses: the only way to a stored file
is evidence.views.download, which checks access and logs the download.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Evidence files have no public URL; use evidence:download.")


def upload_to(document, filename: str) -> str:
    """<enterprise id>/<random>.<ext>: the user's file name is kept in the row, not the path."""
    suffix = PurePath(filename).suffix.lower()
    return f"{document.enterprise_id}/{uuid.uuid4().hex}{suffix}"


def is_public(path: Path) -> bool:
    """Whether `path` lies under a directory the web server may serve (media or static)."""
    resolved = Path(path).resolve()
    for root in (settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS):
        if root and (resolved == Path(root).resolve() or Path(root).resolve() in resolved.parents):
            return True
    return False
