"""Celery tasks of the reports app: they take ids and plain values, load, and call a service."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import jobs
from .models import ACTIVE_EXPORT_STATUSES, AnnualSummary, ExportFormat, ExportJob, ExportStatus

logger = logging.getLogger(__name__)

BUILDERS = {ExportFormat.DOCX: "build_docx", ExportFormat.XLSX: "build_xlsx"}


@shared_task(
    bind=True,
    time_limit=settings.EXPORT_TIME_LIMIT,
    soft_time_limit=settings.EXPORT_TIME_LIMIT - 60,
    acks_late=True,
    reject_on_worker_lost=True,
)
def export_summary(
    self,
    summary_id: int,
    fmt: str,
    job_id: int | None = None,
    user_id: int | None = None,
    appendix: str = "figures",
    in_thread: bool = False,
) -> dict:
    """Build the summary's export and store it; returns {'job_id', 'path', 'status'}.

    Without `job_id` it joins the summary's active masked job of that format and appendix or
    starts one, so the task can be called on its own (command line, a worker test).
    Idempotent: a job already done or failed is returned as is, so a delivery of the task
    after the sweeper failed its job does nothing. Each delivery is an attempt; past
    EXPORT_MAX_ATTEMPTS (the worker died each time) the job is failed. `user_id` is the
    requester: personal data goes in unmasked only when the job was asked unmasked and that
    user may still see it, and the export is then logged (talent.PersonalDataAccess).
    `in_thread`: run eagerly by the background thread of a process without a broker
    (services._start_export_thread), which beats like a worker.
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
    attempt = jobs.claim(job.pk)
    if attempt is None:
        job.refresh_from_db()
        return _result(job)
    if attempt > settings.EXPORT_MAX_ATTEMPTS:
        jobs.finish(
            job.pk,
            attempt,
            status=ExportStatus.FAILED,
            error=gettext("导出多次中断（处理进程意外退出），已停止。") + f" ({attempt - 1})",
        )
        job.refresh_from_db()
        return _result(job)

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job.pk, attempts=attempt).update(
            progress=max(1, min(99, percent)), heartbeat_at=timezone.now()
        )

    reader = exports.reader_for(user_id, path=job.get_absolute_url())
    reader.unmask = reader.unmask and job.unmasked
    options = {"appendix": job.appendix} if fmt == ExportFormat.DOCX else {}
    # In a worker (or the background thread of a process without a broker) the job beats
    # from a thread, so a long step without progress is not taken for a dead worker; run
    # inside the request (tests, EXPORT_IN_THREAD off) the request itself is the worker.
    beat = None if self.request.is_eager and not in_thread else jobs.Heartbeat(job.pk, attempt)
    try:
        # A Chinese official document whatever the requesting user's language (an eager run
        # happens inside that user's request).
        with translation.override(settings.LANGUAGE_CODE):
            data = getattr(exports, BUILDERS[fmt])(
                summary.pk, reader=reader, progress=progress, **options
            )
    except Exception as exc:
        # Recorded on the job (the user sees it); not re-raised, so an eager run inside a
        # request does not turn into a server error. The write survives a database restart.
        logger.exception("export of summary %s as %s failed", summary_id, fmt)
        jobs.finish(job.pk, attempt, status=ExportStatus.FAILED, error=str(exc)[:2000])
        job.refresh_from_db()
        return _result(job)
    finally:
        if beat is not None:
            beat.stop()
    jobs.finish(
        job.pk,
        attempt,
        status=ExportStatus.DONE,
        data=data,
        filename=f"{summary.year}-summary.{fmt}",
    )
    job.refresh_from_db()
    return _result(job)


def _result(job: ExportJob) -> dict:
    path = job.file.path if job.status == ExportStatus.DONE and job.file else ""
    return {"job_id": job.pk, "path": path, "status": str(job.status)}


@shared_task(ignore_result=True, time_limit=60, soft_time_limit=50)
def sweep_exports() -> int:
    """Fail the exports whose worker is gone or that ran past their limit (run by beat each
    minute); returns how many."""
    return jobs.sweep()


# Not handed back when its worker dies (the settings' default for every other task): a run
# that kills its worker would otherwise be delivered again and again; beat starts the next.
@shared_task(
    ignore_result=True, time_limit=10 * 60, soft_time_limit=9 * 60, reject_on_worker_lost=False
)
def warm_dashboard(years: list[int] | None = None) -> list[int]:
    """Compute the dashboard's figures and panels (the default language) into the cache, so
    leadership does not wait for them: this year and last by default, the first of them also
    for each park zone and then each industry section (门类) that has enterprises, largest
    first, while the run is within its budget for filtered views. Run every 20 minutes by beat and shortly after each committed change;
    a run finding another still at work leaves it to finish. Figures and panels are kept per
    app under the versions of what they read (reports.selectors), so a run after an edit in
    one app computes only the apps reading it and finds the others kept."""
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
            filters = [
                {"zone": str(pk)}
                for pk in ParkZone.objects.order_by("pk").values_list("pk", flat=True)
            ]
            filters += [{"industry": letter} for letter in _sections_by_size()]
            started = time.monotonic()
            for choice in filters:
                if time.monotonic() - started > WARM_FILTERED_BUDGET_SECONDS:
                    break  # the rest is computed by the first leader who asks, or next run
                flt = DashboardFilter({"year": str(years[0]), **choice})
                if flt.is_valid() and flt.narrows:
                    dashboard_data(years[0], enterprises=flt.qs, scope=flt.scope)
    finally:
        cache.delete(WARM_LOCK_KEY)
    return years


def _sections_by_size() -> list[str]:
    """Industry sections (门类) with enterprises, the largest first (one grouped query)."""
    from collections import Counter

    from django.db.models import Count

    from enterprises import industries
    from enterprises.models import Enterprise

    sizes: Counter = Counter()
    rows = (
        Enterprise.objects.exclude(industry_division="")
        .values_list("industry_division")
        .annotate(n=Count("id"))
        .order_by()
    )
    for division, n in rows:
        try:
            sizes[industries.section_of(division)] += n
        except ValueError:  # a division the code list does not know: not offered as a filter
            continue
    return [letter for letter, _n in sizes.most_common()]


# A filtered view costs seconds cold at 100,000 enterprises (docs/benchmarks.md); after this
# much of a run's time, the remaining filters are left (the task's limit is 10 minutes).
WARM_FILTERED_BUDGET_SECONDS = 6 * 60

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
