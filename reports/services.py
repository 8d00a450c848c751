"""Writes of the reports app: creating a summary, regenerating its figures, queuing exports."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from . import summary as spec
from .models import (
    ACTIVE_EXPORT_STATUSES,
    AnnualSummary,
    ExportAppendix,
    ExportFormat,
    ExportJob,
    NarrativeParagraph,
    SummarySection,
    WordTemplate,
)
from .selectors import summary_values

security_log = logging.getLogger("security")


@transaction.atomic
def activate_template(template: WordTemplate, *, by) -> WordTemplate:
    """Store an uploaded (already checked) Word template as the one in use; log the upload."""
    WordTemplate.objects.filter(is_active=True).exclude(pk=template.pk).update(is_active=False)
    template.uploaded_by = by
    template.is_active = True
    template.save()
    log_template_upload(template, by=by)
    return template


def log_template_upload(template: WordTemplate, *, by) -> None:
    """One line in the security log per uploaded template: who, which file, its digest."""
    template.file.open("rb")
    try:
        digest = hashlib.sha256(template.file.read()).hexdigest()
    finally:
        template.file.close()
    security_log.info(
        "word template uploaded: id=%s name=%r file=%s sha256=%s size=%s by=%s",
        template.pk,
        template.name,
        template.file.name,
        digest,
        template.file.size,
        getattr(by, "username", None),
    )


def default_title(year: int, organisation: str = "科技金融局") -> str:
    return f"{organisation}{year}年度工作总结"


@transaction.atomic
def ensure_summary(year: int) -> AnnualSummary:
    """The year's summary with every section of the seed's structure (creates what is missing)."""
    summary, _created = AnnualSummary.objects.get_or_create(
        year=year, defaults={"title": default_title(year)}
    )
    existing = set(summary.sections.values_list("code", flat=True))
    SummarySection.objects.bulk_create(
        [
            SummarySection(
                summary=summary,
                code=s.code,
                parent_code=s.parent,
                level=s.level,
                order=i,
                title=s.title,
            )
            for i, s in enumerate(spec.STRUCTURE)
            if s.code not in existing
        ]
    )
    return summary


def _snapshot(summary: AnnualSummary) -> dict[str, dict]:
    # The summary is a Chinese official document: its figures (labels included) are read in
    # the default language whatever the language of the user who regenerates it.
    with translation.override(settings.LANGUAGE_CODE):
        values = summary_values(summary.year)
    return {
        key: (values.get(key) or spec.FigureValue(key, "", "", None)).to_json()
        for key in spec.figure_keys()
    }


def is_stale(summary: AnnualSummary) -> bool:
    """Whether the drafted figures differ from what the apps publish now."""
    return _snapshot(summary) != (summary.figures_snapshot or {})


def regenerate(summary: AnnualSummary) -> list[str]:
    """Refresh the figures the drafted sentences use; staff paragraphs are not touched.

    Returns the keys whose value changed since the last draft.
    """
    needed = spec.figure_keys()
    snapshot = _snapshot(summary)
    old = summary.figures_snapshot or {}
    changed = [k for k in needed if old.get(k, {}).get("value") != snapshot[k]["value"]]
    AnnualSummary.objects.filter(pk=summary.pk).update(
        figures_snapshot=snapshot, drafted_at=timezone.now()
    )
    summary.figures_snapshot = snapshot
    summary.refresh_from_db(fields=["drafted_at"])
    return changed


def save_paragraph(paragraph: NarrativeParagraph, *, text: str, by) -> NarrativeParagraph:
    """Save a staff paragraph; django-simple-history keeps the previous text."""
    paragraph.text = text
    paragraph.updated_by = by
    paragraph._history_user = by
    paragraph.full_clean()
    paragraph.save()
    return paragraph


def request_export(
    summary: AnnualSummary, fmt: str, *, by=None, appendix: str = ExportAppendix.FIGURES
) -> tuple[ExportJob, bool]:
    """Queue an export, or return the one already pending/running for this summary, format
    and appendix. A requester who may see personal data unmasked gets an unmasked file of
    their own (joined by nobody else, downloadable by them only); everyone else shares the
    masked one.

    Returns (job, started): `started` is False when an active job was joined.
    """
    from talent.selectors import can_view_personal_data

    from .tasks import export_summary

    if fmt != ExportFormat.DOCX:
        appendix = ExportAppendix.FIGURES  # the Excel file always holds every record
    unmasked = by is not None and can_view_personal_data(by)
    same = {"summary": summary, "fmt": fmt, "appendix": appendix, "unmasked": unmasked}
    if unmasked:
        same["requested_by"] = by
    active = ExportJob.objects.filter(**same, status__in=ACTIVE_EXPORT_STATUSES).first()
    if active is not None:
        return active, False
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(**same, **({} if unmasked else {"requested_by": by}))
    except IntegrityError:
        # Another request created it between our check and insert: join that one.
        job = ExportJob.objects.get(**same, status__in=ACTIVE_EXPORT_STATUSES)
        return job, False
    user_id = by.pk if by is not None else None
    transaction.on_commit(
        lambda: export_summary.delay(summary.pk, fmt, job_id=job.pk, user_id=user_id)
    )
    return job, True
