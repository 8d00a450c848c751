"""Writes of the evidence locker: save (new or replaced file), delete, link to qualifications,
tell enterprises of documents about to expire. Files leave the storage only after the
database change commits, so a rolled-back save never loses the document it replaced."""

from __future__ import annotations

import datetime
import logging
from pathlib import PurePath

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.models import EventKind
from audit.services import record

from .models import EvidenceDocument

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def _delete_file_later(storage, name: str) -> None:
    def delete() -> None:
        try:
            storage.delete(name)
        except OSError:  # a file already gone must not turn a committed delete into an error
            logger.warning("evidence file %s could not be removed", name)

    if name:
        transaction.on_commit(delete)


def save_document(form, *, enterprise, by) -> EvidenceDocument:
    """Save a DocumentForm (already valid) for `enterprise`: a new document, or an edit whose
    new file replaces the old one (removed once the change commits)."""
    document: EvidenceDocument = form.instance
    document.enterprise = enterprise
    old_name = ""
    upload = form.cleaned_data.get("file")
    replacing = document.pk is not None and "file" in form.changed_data and upload
    if replacing:
        old_name = EvidenceDocument.objects.values_list("file", flat=True).get(pk=document.pk)
    if upload and hasattr(upload, "content_type"):
        document.original_name = upload.name[:200]
        document.size = upload.size
        # From the checked kind, never the browser's claim (served with nosniff as well).
        document.content_type = CONTENT_TYPES[PurePath(upload.name).suffix.lower()]
    if document.pk is None:
        document.uploaded_by = by
    with transaction.atomic():
        document = form.save()
        if replacing and old_name and old_name != document.file.name:
            _delete_file_later(document.file.storage, old_name)
    return document


def delete_document(document: EvidenceDocument) -> None:
    with transaction.atomic():
        name, storage = document.file.name, document.file.storage
        document.delete()
        _delete_file_later(storage, name)


def set_qualification_documents(qualification, documents) -> None:
    """The documents backing `qualification` become exactly `documents` (same enterprise)."""
    with transaction.atomic():
        qualification.evidence_documents.set(documents)


def record_download(document: EvidenceDocument, *, request) -> None:
    """The audit entry every download writes (before the file is sent)."""
    record(
        EventKind.DOWNLOAD,
        request=request,
        status=200,
        file=document.original_name,
        bytes=document.size,
        model=EvidenceDocument._meta.label,
        document=document.pk,
        enterprise=document.enterprise_id,
        doc_type=document.doc_type,
    )


def notify_expiring(document: EvidenceDocument, *, day: datetime.date) -> list:
    """Tell the document's enterprise it expires soon: once per document and validity."""
    from notifications import services as notifications
    from notifications.models import Kind

    days_left = (document.valid_to - day).days
    return notifications.notify_enterprise(
        document.enterprise,
        Kind.QUALIFICATION_EXPIRING,
        _("证明材料「%(t)s」将于%(d)s到期")
        % {"t": document.title, "d": document.valid_to.isoformat()},
        _("%(type)s（编号%(no)s）距到期还有%(n)s天，请及时上传更新后的材料。")
        % {"type": document.get_doc_type_display(), "no": document.number or "—", "n": days_left},
        reverse("evidence:portal_edit", args=[document.pk]),
        dedupe_key=f"evidence-expiring:{document.pk}:{document.valid_to.isoformat()}",
    )


def notify_all_expiring(day: datetime.date) -> int:
    """Every document the reminders list as expiring; returns notifications created."""
    from . import selectors

    return sum(len(notify_expiring(doc, day=day)) for doc in selectors.expiring(day))
