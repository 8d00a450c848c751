"""The life of an export job (导出任务) in a worker: claim, heartbeat, finish, and the sweeper
that fails jobs whose worker is gone.

A job ends once: every write after the claim names the attempt that made it and applies only
while the job is still running that attempt, so a late worker cannot overwrite what the
sweeper (or a newer attempt) decided, and a file is attached only by the write that marks the
job done. Status writes survive a database restart: they are retried on a fresh connection.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, close_old_connections, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import ACTIVE_EXPORT_STATUSES, ExportJob, ExportStatus

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Seconds between tries of a status write whose database went away: about 30 s in all, longer
# than a PostgreSQL restart takes.
WRITE_RETRY_DELAYS = (0.5, 1, 2, 4, 8, 15)


def retrying(write: Callable[[], T], *, what: str) -> T:
    """Run a database write, retrying it on a fresh connection while the database is away.

    Inside a caller's transaction nothing is retried (its connection cannot be replaced)."""
    for delay in (*WRITE_RETRY_DELAYS, None):
        try:
            return write()
        except DatabaseError:
            if delay is None or connection.in_atomic_block:
                raise
            logger.warning("%s failed; retrying in %s s on a fresh connection", what, delay)
            close_old_connections()
            time.sleep(delay)
    raise AssertionError("unreachable")


def claim(pk: int) -> int | None:
    """Mark the job running as its next attempt and return that attempt's number; None when
    the job is no longer pending or running (done, or failed by the sweeper)."""

    def write() -> int | None:
        now = timezone.now()
        with transaction.atomic():
            job = (
                ExportJob.objects.select_for_update()
                .filter(pk=pk, status__in=ACTIVE_EXPORT_STATUSES)
                .values("attempts")
                .first()
            )
            if job is None:
                return None
            attempt = job["attempts"] + 1
            ExportJob.objects.filter(pk=pk).update(
                status=ExportStatus.RUNNING,
                progress=1,
                attempts=attempt,
                started_at=now,
                heartbeat_at=now,
            )
        return attempt

    return retrying(write, what=f"claiming export job {pk}")


def finish(
    pk: int,
    attempt: int,
    *,
    status: str,
    error: str = "",
    data: bytes | None = None,
    filename: str = "",
) -> bool:
    """End the job's running attempt as done (storing `data` as its file) or failed; False
    when the job had already ended or moved to another attempt (a stored file is removed
    again, so none is left behind that no job offers)."""
    field = ExportJob._meta.get_field("file")
    name = ""
    if data is not None:
        job = ExportJob.objects.select_related("summary").get(pk=pk)
        # The file is complete under its name before any job points at it: a download is
        # offered only for a job marked done, and only this write marks it done.
        name = field.storage.save(field.generate_filename(job, filename), ContentFile(data))

    def write() -> int:
        return ExportJob.objects.filter(
            pk=pk, attempts=attempt, status=ExportStatus.RUNNING
        ).update(
            status=status,
            error=error,
            file=name,
            progress=100 if status == ExportStatus.DONE else 0,
            finished_at=timezone.now(),
        )

    ended = bool(retrying(write, what=f"ending export job {pk}"))
    if not ended and name:
        field.storage.delete(name)
    return ended


class Heartbeat:
    """Beat the job's `heartbeat_at` from a thread while its attempt runs in this worker."""

    def __init__(self, pk: int, attempt: int, every: float | None = None) -> None:
        self.pk = pk
        self.attempt = attempt
        self.every = every or settings.EXPORT_HEARTBEAT_SECONDS
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"export-{pk}-heartbeat", daemon=True
        )
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stopped.wait(self.every):
                try:
                    ExportJob.objects.filter(
                        pk=self.pk, attempts=self.attempt, status=ExportStatus.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("export job %s: heartbeat not written", self.pk)
                    close_old_connections()
        finally:
            connections.close_all()  # this thread's own

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=self.every + 5)


def sweep(pk: int | None = None) -> int:
    """Fail the running jobs whose heartbeat stopped (their worker is gone) or that ran past
    the time limit, and the pending ones no worker took in time; only job `pk` when given.
    Returns how many jobs it failed."""
    now = timezone.now()
    jobs = ExportJob.objects.all() if pk is None else ExportJob.objects.filter(pk=pk)
    stale = now - timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    overdue = now - timedelta(seconds=settings.EXPORT_TIME_LIMIT + settings.EXPORT_STALE_SECONDS)
    queued_since = now - timedelta(seconds=settings.EXPORT_PENDING_SECONDS)
    with translation.override(settings.LANGUAGE_CODE):
        lost = gettext("导出中断：处理进程已停止。")
        timed_out = gettext("导出超时：超过了导出的时间上限。")
        never_started = gettext("导出未能开始：排队过久，没有处理进程接收。")
    running = jobs.filter(status=ExportStatus.RUNNING)
    failed = {"status": ExportStatus.FAILED, "progress": 0, "finished_at": now}
    count = running.filter(started_at__lt=overdue).update(error=timed_out, **failed)
    count += running.filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, created_at__lt=stale)
    ).update(error=lost, **failed)
    count += jobs.filter(status=ExportStatus.PENDING, created_at__lt=queued_since).update(
        error=never_started, **failed
    )
    if count:
        logger.warning("failed %s export job(s) whose worker was gone or that ran too long", count)
    return count
