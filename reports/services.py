"""Writes of the reports app: creating a summary, regenerating its figures, queuing exports."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bureau.models import Target

from . import drafting
from . import summary as spec
from .models import (
    ACTIVE_EXPORT_STATUSES,
    AnnualSummary,
    ExportAppendix,
    ExportFormat,
    ExportJob,
    ExportStatus,
    NarrativeParagraph,
    SummarySection,
    WordTemplate,
)
from .selectors import (
    MONEY_TREND_KEYS,
    SNAPSHOT_VERSION,
    TREND_KEYS,
    facts_of,
    figure_values,
    snapshot_values,
    values_of,
)

logger = logging.getLogger(__name__)
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


def take_snapshot(year: int) -> dict:
    """The figures a summary is drafted from, as JSON: every figure the apps publish for the
    year and the year before, the charted figures by quarter, this year's and next year's
    targets. The text, the key-figures table and the charts of an export all read it.

    The summary is a Chinese official document: its figures (labels included) are read in the
    default language whatever the language of the user who drafts it.
    """
    keys = TREND_KEYS + MONEY_TREND_KEYS
    with translation.override(settings.LANGUAGE_CODE):
        current = figure_values(year)
        previous = figure_values(year - 1)
        quarters = {str(q): figure_values(year, q, keys=keys) for q in range(1, 5)}

    def as_json(figures: dict) -> dict:
        return {
            key: spec.FigureValue(key, f.label, f.unit, f.value, tuple(f.notes)).to_json()
            for key, f in sorted(figures.items())
        }

    def targets(y: int) -> dict:
        return {
            t.figure_key: spec.FigureValue(t.figure_key, t.label, t.unit, t.target_value).to_json()
            for t in Target.objects.filter(year=y).order_by("figure_key")
        }

    return {
        "version": SNAPSHOT_VERSION,
        "current": as_json(current),
        "previous": as_json(previous),
        "quarters": {q: as_json(v) for q, v in quarters.items()},
        "targets": targets(year),
        "next_targets": targets(year + 1),
    }


def is_stale(summary: AnnualSummary) -> bool:
    """Whether the figures the summary was drafted from differ from what the apps publish now."""
    return take_snapshot(summary.year) != (summary.figures_snapshot or {})


def stale_keys(summary: AnnualSummary) -> list[str]:
    """The keys (this year's figures, 'target:' for targets) whose value changed since drafting."""
    old = snapshot_values(summary)
    new = values_of(take_snapshot(summary.year))
    return [
        k
        for k in sorted(set(old) | set(new))
        if (old[k].value if k in old else None) != (new[k].value if k in new else None)
    ]


@transaction.atomic
def regenerate(summary: AnnualSummary) -> list[str]:
    """Take a new snapshot and draft every section from it.

    A drafted paragraph staff have not changed follows the new draft; one they changed is
    kept and the new draft is offered beside it (`pending`); a paragraph staff wrote is never
    touched. Returns the keys whose value changed since the last draft.
    """
    ensure_summary(summary.year)
    old = snapshot_values(summary) if summary.figures_snapshot else {}
    snapshot = take_snapshot(summary.year)
    new_values = values_of(snapshot)
    changed = [
        k
        for k in sorted(set(old) | set(new_values))
        if (old[k].value if k in old else None)
        != (new_values[k].value if k in new_values else None)
    ]
    AnnualSummary.objects.filter(pk=summary.pk).update(
        figures_snapshot=snapshot, drafted_at=timezone.now()
    )
    summary.figures_snapshot = snapshot
    summary.refresh_from_db(fields=["drafted_at"])
    _apply_drafts(summary, drafting.draft(facts_of(snapshot, summary)))
    return changed


def _segments_json(segments: list[spec.Segment]) -> list[list[str]]:
    return [[s.text, s.key] for s in segments]


def _apply_drafts(summary: AnnualSummary, drafts: dict[str, list[drafting.Draft]]) -> None:
    sections = {s.code: s for s in summary.sections.all()}
    existing = {
        (p.section_id, p.slot): p
        for p in NarrativeParagraph.objects.filter(section__summary=summary).exclude(slot="")
    }
    kept: set[int] = set()
    for code, items in drafts.items():
        section = sections.get(code)
        if section is None:
            continue
        for order, item in enumerate(items):
            text, segments = item.text, _segments_json(item.segments)
            paragraph = existing.get((section.pk, item.slot))
            if paragraph is not None and paragraph.deleted_at is not None:
                # Staff deleted it: it stays deleted. A new draft whose figures differ from
                # the deleted one's is offered beside it; wording alone is no reason to ask.
                material = _figures_of(segments) != _figures_of(paragraph.segments)
                paragraph.pending = text if material else ""
                paragraph.pending_segments = segments if material else []
            elif paragraph is None:
                paragraph = NarrativeParagraph(
                    section=section, slot=item.slot, text=text, draft=text
                )
            elif paragraph.is_edited:
                # Staff's words win: the new draft waits beside them.
                paragraph.pending = "" if text == paragraph.draft else text
                paragraph.pending_segments = [] if text == paragraph.draft else segments
                if text == paragraph.text:  # staff wrote what the rules now write
                    paragraph.draft, paragraph.segments = text, segments
                    paragraph.pending, paragraph.pending_segments = "", []
            else:
                paragraph.text = paragraph.draft = text
                paragraph.pending, paragraph.pending_segments = "", []
            if paragraph.pk is None or not (paragraph.is_edited or paragraph.deleted_at):
                paragraph.segments = segments
            paragraph.rule, paragraph.heading, paragraph.order = item.rule, item.heading, order
            if paragraph.pk is None or _dirty(paragraph):
                paragraph.save()
            kept.add(paragraph.pk)
    # A drafted paragraph whose rule no longer finds anything goes, unless staff changed it;
    # one staff deleted stays as it is (deleted), so that it is not drafted anew should its
    # rule find something again.
    for paragraph in existing.values():
        if paragraph.pk in kept or paragraph.deleted_at is not None:
            continue
        if not paragraph.is_edited:
            paragraph.delete()


def _figures_of(segments: list) -> list[tuple[str, str]]:
    """The numbers of a drafted paragraph with their figure keys: what makes a new draft of a
    deleted paragraph worth offering (its wording may change with its neighbours)."""
    return [(key, text) for text, key in segments if key]


def _dirty(paragraph: NarrativeParagraph) -> bool:
    stored = NarrativeParagraph.objects.filter(pk=paragraph.pk).values(*DRAFT_FIELDS).first()
    return stored != {f: getattr(paragraph, f) for f in DRAFT_FIELDS}


DRAFT_FIELDS = (
    "text",
    "draft",
    "segments",
    "pending",
    "pending_segments",
    "rule",
    "heading",
    "order",
    "deleted_at",
)


def accept_draft(paragraph: NarrativeParagraph, *, by) -> NarrativeParagraph:
    """Replace staff's text with the new draft offered beside it (restoring a deleted
    paragraph with it); history keeps theirs."""
    if not paragraph.pending:
        return paragraph
    paragraph.text = paragraph.draft = paragraph.pending
    paragraph.segments = paragraph.pending_segments
    paragraph.pending, paragraph.pending_segments = "", []
    paragraph.deleted_at = None
    return save_paragraph(paragraph, text=paragraph.text, by=by)


def delete_paragraph(paragraph: NarrativeParagraph, *, by) -> NarrativeParagraph:
    """Delete a paragraph from the summary so that it stays deleted: the row is marked, not
    removed (re-drafting finds its slot and leaves it out); the deletion is a version in its
    history, and `restore_paragraph` brings it back."""
    paragraph.deleted_at = timezone.now()
    paragraph.pending, paragraph.pending_segments = "", []
    return save_paragraph(paragraph, text=paragraph.text, by=by)


def restore_paragraph(paragraph: NarrativeParagraph, *, by) -> NarrativeParagraph:
    """Bring a deleted paragraph back as it was deleted; a drafted one staff had not changed
    takes the newer draft offered beside it, if any (it follows the data again)."""
    paragraph.deleted_at = None
    if paragraph.pending and not paragraph.is_edited:
        paragraph.text = paragraph.draft = paragraph.pending
        paragraph.segments = paragraph.pending_segments
        paragraph.pending, paragraph.pending_segments = "", []
    return save_paragraph(paragraph, text=paragraph.text, by=by)


def dismiss_draft(paragraph: NarrativeParagraph, *, by) -> NarrativeParagraph:
    """Keep staff's text (or the paragraph deleted) and drop the new draft offered beside it
    (the draft it answered is recorded, so the same figures do not offer it again)."""
    if paragraph.pending:
        paragraph.draft, paragraph.segments = paragraph.pending, paragraph.pending_segments
    paragraph.pending, paragraph.pending_segments = "", []
    return save_paragraph(paragraph, text=paragraph.text, by=by)


def restore_version(paragraph: NarrativeParagraph, history_id: int, *, by) -> NarrativeParagraph:
    """Make a version from the paragraph's history its current text (itself a new version)."""
    version = paragraph.history.get(history_id=history_id)
    return save_paragraph(paragraph, text=version.text, by=by)


@transaction.atomic
def save_paragraph(paragraph: NarrativeParagraph, *, text: str, by) -> NarrativeParagraph:
    """Save a staff paragraph; django-simple-history keeps the previous text (its history row
    is written in the same transaction, so the text never changes without it)."""
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

    Returns (job, started): `started` is False when an active job was joined. Jobs whose
    worker is gone are failed first, so a request never joins a dead one.
    """
    from talent.selectors import can_view_personal_data

    from . import jobs
    from .tasks import export_summary

    jobs.sweep()

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
    transaction.on_commit(lambda: _enqueue_export(job, export_summary, user_id=user_id))
    return job, True


def _enqueue_export(job: ExportJob, task, *, user_id: int | None = None) -> None:
    """Queue the export task; a broker that refuses it fails the job (the status page says
    so, and a later request starts a new one) instead of the committed request."""
    from bureau.celery import app

    if app.conf.task_always_eager and settings.EXPORT_IN_THREAD:
        _start_export_thread(job, task, user_id=user_id)
        return
    try:
        task.delay(job.summary_id, job.fmt, job_id=job.pk, user_id=user_id)
    except Exception as exc:
        logger.exception("could not queue export job %s (summary %s)", job.pk, job.summary_id)
        ExportJob.objects.filter(pk=job.pk, status=ExportStatus.PENDING).update(
            status=ExportStatus.FAILED,
            error=_("导出服务暂不可用（任务队列无法连接），导出未能开始，请稍后重试。")
            + f" ({type(exc).__name__})",
            finished_at=timezone.now(),
        )


def _start_export_thread(job: ExportJob, task, *, user_id: int | None = None) -> None:
    """Without a broker, run the export in a daemon thread of this process, so the request
    answers at once and the status page polls the job's progress as it does with a worker.

    The thread beats like a worker (a process that dies with it leaves a stale heartbeat the
    sweeper fails) and closes its own database connections when it ends."""
    import threading

    def run() -> None:
        try:
            task.apply(
                args=(job.summary_id, job.fmt),
                kwargs={"job_id": job.pk, "user_id": user_id, "in_thread": True},
            )
        except Exception:
            # The task records its own failures on the job; this is what it could not record.
            logger.exception("export thread of job %s ended with an error", job.pk)
        finally:
            connections.close_all()

    threading.Thread(target=run, name=f"export-{job.pk}", daemon=True).start()
