"""Celery tasks of the reports app: they take ids and plain values, load, and call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from .models import ACTIVE_EXPORT_STATUSES, AnnualSummary, ExportFormat, ExportJob, ExportStatus

logger = logging.getLogger(__name__)

BUILDERS = {ExportFormat.DOCX: "build_docx", ExportFormat.XLSX: "build_xlsx"}


@shared_task(bind=True, time_limit=15 * 60, soft_time_limit=14 * 60, acks_late=True)
def export_summary(
    self,
    summary_id: int,
    fmt: str,
    job_id: int | None = None,
    user_id: int | None = None,
    appendix: str = "figures",
) -> dict:
    """Build the summary's export and store it; returns {'job_id', 'path', 'status'}.

    Without `job_id` it joins the summary's active masked job of that format and appendix or
    starts one, so the task can be called on its own (command line, a worker test).
    Idempotent: a job already done is returned as is. `user_id` is the requester: personal
    data goes in unmasked only when the job was asked unmasked and that user may still see
    it, and the export is then logged (talent.PersonalDataAccess).
    """
    from . import exports

    if fmt not in BUILDERS:
        raise ValueError(f"unknown export format: {fmt}")
    summary = AnnualSummary.objects.get(pk=summary_id)
    if job_id is None:
        with transaction.atomic():
            job = ExportJob.objects.filter(
                summary=summary,
                fmt=fmt,
                appendix=appendix,
                unmasked=False,
                status__in=ACTIVE_EXPORT_STATUSES,
            ).first() or ExportJob.objects.create(summary=summary, fmt=fmt, appendix=appendix)
    else:
        job = ExportJob.objects.get(pk=job_id)
    if job.status == ExportStatus.DONE and job.file:
        return {"job_id": job.pk, "path": job.file.path, "status": str(job.status)}

    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress=1)

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=max(1, min(99, percent)))

    reader = exports.reader_for(user_id, path=job.get_absolute_url())
    reader.unmask = reader.unmask and job.unmasked
    options = {"appendix": job.appendix} if fmt == ExportFormat.DOCX else {}
    try:
        # A Chinese official document whatever the requesting user's language (an eager run
        # happens inside that user's request).
        with translation.override(settings.LANGUAGE_CODE):
            data = getattr(exports, BUILDERS[fmt])(
                summary.pk, reader=reader, progress=progress, **options
            )
    except Exception as exc:
        # Recorded on the job (the user sees it); not re-raised, so an eager run inside a
        # request does not turn into a server error.
        logger.exception("export of summary %s as %s failed", summary_id, fmt)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return {"job_id": job.pk, "path": "", "status": ExportStatus.FAILED.value}
    job.refresh_from_db()
    job.file.save(f"{summary.year}-summary.{fmt}", ContentFile(data), save=False)
    job.status = ExportStatus.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "progress", "finished_at"])
    return {"job_id": job.pk, "path": job.file.path, "status": str(job.status)}


@shared_task(ignore_result=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def warm_dashboard(years: list[int] | None = None) -> list[int]:
    """Compute the dashboard's figures and panels (the default language) into the cache, so
    leadership does not wait for them: this year and last by default, the first of them also
    for each park zone. Run every 20 minutes by beat and shortly after each committed change;
    a run finding another still at work leaves it to finish."""
    from django.core.cache import cache

    from enterprises.models import ParkZone

    from .filters import DashboardFilter
    from .selectors import cached_panels, dashboard_data, figure_values

    years = years or [timezone.localdate().year, timezone.localdate().year - 1]
    if not cache.add(WARM_LOCK_KEY, 1, WARM_LOCK_SECONDS):
        return []
    try:
        with translation.override(settings.LANGUAGE_CODE):
            for year in years:
                dashboard_data(year)
                cached_panels(year, None)
                figure_values(year)  # the summary preview's
            for zone in ParkZone.objects.order_by("pk"):
                flt = DashboardFilter({"year": str(years[0]), "zone": str(zone.pk)})
                if flt.is_valid() and flt.narrows:
                    dashboard_data(years[0], enterprises=flt.qs, scope=flt.scope)
    finally:
        cache.delete(WARM_LOCK_KEY)
    return years


WARM_LOCK_KEY = "reports:warm-running"
WARM_LOCK_SECONDS = 10 * 60  # the task's time limit: a crashed run frees the lock by then

# Debounce window: changes within it share one warming run.
WARM_DELAY_SECONDS = 30


def schedule_warm(**_kwargs) -> None:
    """Receiver of bureau.figures.figures_changed: warm the dashboard once the burst of
    changes settles. Only with a broker: run in process it would make every save wait."""
    from django.core.cache import cache

    from bureau.celery import app

    if app.conf.task_always_eager or not settings.FIGURE_CACHE_SECONDS:
        return
    if cache.add("reports:warm-scheduled", 1, WARM_DELAY_SECONDS):
        warm_dashboard.apply_async(countdown=WARM_DELAY_SECONDS)
