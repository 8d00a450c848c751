"""An export job's life in process: the sweeper, attempts, the single ending, the failure page.

The same faults on real processes (a killed worker, Redis down, a lost database connection)
are in test_export_faults.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

from reports import jobs, services
from reports.models import ExportJob, ExportStatus
from reports.tasks import export_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return services.ensure_summary(2024)


def _job(
    summary, *, status: str, age: int = 0, beat: int | None = None, started: int | None = None
):
    """A job created `age` seconds ago, its last heartbeat `beat` seconds ago and started
    `started` seconds ago (None: never)."""
    now = timezone.now()
    job = ExportJob.objects.create(summary=summary, fmt="xlsx")

    def ago(seconds: int | None):
        return None if seconds is None else now - dt.timedelta(seconds=seconds)

    ExportJob.objects.filter(pk=job.pk).update(
        status=status,
        created_at=ago(age),
        heartbeat_at=ago(beat),
        started_at=ago(started),
        attempts=0 if started is None else 1,
    )
    job.refresh_from_db()
    return job


STALE = settings.EXPORT_STALE_SECONDS
LIMIT = settings.EXPORT_TIME_LIMIT
QUEUED = settings.EXPORT_PENDING_SECONDS


@pytest.mark.parametrize(
    ("status", "age", "beat", "started", "fails", "reason"),
    [
        ("running", STALE + 5, STALE - 5, STALE + 5, False, ""),
        ("running", STALE + 5, STALE + 1, STALE + 5, True, "处理进程已停止"),
        ("running", STALE + 1, None, None, True, "处理进程已停止"),
        ("running", STALE - 5, None, None, False, ""),
        ("running", LIMIT + STALE + 5, 1, LIMIT + STALE + 1, True, "超过了导出的时间上限"),
        ("running", LIMIT + 5, 1, LIMIT + STALE - 5, False, ""),
        ("pending", QUEUED + 1, None, None, True, "排队过久"),
        ("pending", QUEUED - 5, None, None, False, ""),
        ("done", LIMIT * 10, LIMIT * 10, LIMIT * 10, False, ""),
    ],
)
def test_sweeper_fails_only_jobs_whose_worker_is_gone_or_that_ran_too_long(
    summary, status, age, beat, started, fails, reason
):
    job = _job(summary, status=status, age=age, beat=beat, started=started)
    assert jobs.sweep() == int(fails)
    job.refresh_from_db()
    if fails:
        assert job.status == ExportStatus.FAILED and reason in job.error and job.finished_at
    else:
        assert job.status == status and job.error == ""


def test_sweeper_runs_from_beat_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-exports"]
    assert entry["task"] == "reports.tasks.sweep_exports" and entry["schedule"] == 60.0
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    # An unacknowledged export is handed to another worker only after it could have ended.
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > export_summary.time_limit == settings.EXPORT_TIME_LIMIT


def test_new_request_does_not_join_the_job_of_a_dead_worker(
    summary, staff_user, django_capture_on_commit_callbacks
):
    dead = _job(summary, status="running", age=STALE * 3, beat=STALE + 1, started=STALE * 3)
    with django_capture_on_commit_callbacks(execute=True):
        job, started = services.request_export(summary, "xlsx", by=staff_user)
    assert started and job.pk != dead.pk
    job.refresh_from_db()
    dead.refresh_from_db()
    assert job.status == ExportStatus.DONE and dead.status == ExportStatus.FAILED


def test_a_late_delivery_of_a_swept_job_does_nothing(summary):
    swept = _job(summary, status="failed", age=STALE * 3)
    result = export_summary.apply(args=[summary.pk, "xlsx"], kwargs={"job_id": swept.pk}).get()
    swept.refresh_from_db()
    assert result["status"] == "failed" and result["path"] == ""
    assert swept.status == ExportStatus.FAILED and not swept.file and swept.attempts == 0


def test_export_past_its_attempts_is_failed_without_running(summary, settings):
    job = _job(summary, status="running", started=5, beat=5)
    ExportJob.objects.filter(pk=job.pk).update(attempts=settings.EXPORT_MAX_ATTEMPTS)
    result = export_summary.apply(args=[summary.pk, "xlsx"], kwargs={"job_id": job.pk}).get()
    job.refresh_from_db()
    assert result["status"] == "failed" and "多次中断" in job.error and not job.file
    assert job.attempts == settings.EXPORT_MAX_ATTEMPTS + 1


def test_a_job_failed_while_its_worker_still_built_keeps_no_file(summary, monkeypatch, tmp_path):
    """The sweeper (or a newer attempt) ended the job first: the worker's file is not
    attached, and not left on disk either."""
    from reports import exports

    job = ExportJob.objects.create(summary=summary, fmt="xlsx")
    build = exports.build_xlsx

    def build_while_swept(summary_id: int, **options) -> bytes:
        data = build(summary_id, **options)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error="swept")
        return data

    monkeypatch.setattr(exports, "build_xlsx", build_while_swept)
    result = export_summary.apply(args=[summary.pk, "xlsx"], kwargs={"job_id": job.pk}).get()
    job.refresh_from_db()
    assert result["status"] == "failed" and job.error == "swept" and not job.file
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.django_db(transaction=True)
def test_status_write_is_retried_on_a_fresh_connection(monkeypatch):
    monkeypatch.setattr(jobs.time, "sleep", lambda _s: None)
    calls = []

    def write() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return "written"

    assert jobs.retrying(write, what="test") == "written" and len(calls) == 3


@pytest.mark.django_db(transaction=True)
def test_status_write_gives_up_after_its_retries(monkeypatch):
    monkeypatch.setattr(jobs.time, "sleep", lambda _s: None)
    calls = []

    def write() -> None:
        calls.append(1)
        raise OperationalError("the database system is shutting down")

    with pytest.raises(OperationalError):
        jobs.retrying(write, what="test")
    assert len(calls) == len(jobs.WRITE_RETRY_DELAYS) + 1


def test_status_write_inside_a_transaction_is_not_retried(monkeypatch):
    monkeypatch.setattr(jobs.time, "sleep", lambda _s: None)
    calls = []

    def write() -> None:
        calls.append(1)
        raise OperationalError("gone")

    with pytest.raises(OperationalError), transaction.atomic():
        jobs.retrying(write, what="test")
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("zh-hans", "导出失败，请重试", "重新导出"),
        ("en", "Export failed, please try again", "Export again"),
    ],
)
def test_failed_export_page_offers_a_retry_that_starts_a_new_job(
    summary, staff_client, django_capture_on_commit_callbacks, language, heading, button
):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    job = _job(summary, status="failed", age=10)
    page = staff_client.get(reverse("reports:export_status", args=[job.pk])).content.decode()
    assert heading in page and f">{button}</button>" in page and 'id="job-retry"' in page
    assert f'action="{reverse("reports:export_request", args=[2024])}"' in page
    assert 'name="fmt" value="xlsx"' in page and 'id="job-download"' in page
    assert 'id="job-running" hidden' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("reports:export_request", args=[2024]), {"fmt": "xlsx", "appendix": "figures"}
        )
    again = ExportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("reports:export_status", args=[again.pk])
    assert again.status == ExportStatus.DONE


def test_running_export_page_shows_progress_and_hides_the_failure(summary, staff_client):
    job = _job(summary, status="running", age=5, beat=1, started=5)
    page = staff_client.get(reverse("reports:export_status", args=[job.pk])).content.decode()
    assert 'id="job-failed" hidden' in page and 'id="job-running">' in page


def test_status_poll_of_a_dead_workers_job_answers_failed(
    summary, staff_client, django_assert_num_queries
):
    job = _job(summary, status="running", age=STALE * 3, beat=STALE + 1, started=STALE * 3)
    url = reverse("reports:export_status", args=[job.pk])
    # session, user, user's groups (role); the job with its summary; the sweep of this job
    # (timed out, stale, never started: three updates); the job again; the session saved
    # (savepoint, update, release).
    with django_assert_num_queries(11):
        status = staff_client.get(url, {"format": "json"}).json()
    assert status["status"] == "failed" and "处理进程已停止" in status["error"]
    assert not status["download"]
    # Once ended, a poll reads the job only: session, user, groups, job, session saved (3).
    with django_assert_num_queries(7):
        assert staff_client.get(url, {"format": "json"}).json()["status"] == "failed"


@pytest.mark.django_db(transaction=True)
def test_broker_refusing_the_export_fails_the_job_with_a_clear_message(
    summary, staff_client, monkeypatch
):
    from kombu.exceptions import OperationalError as BrokerError

    def refuse(*_args, **_kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(export_summary, "delay", refuse)
    # Committed at once (no test transaction), as in a real request: the task is queued
    # before the view answers.
    response = staff_client.post(reverse("reports:export_request", args=[2024]), {"fmt": "docx"})
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED and "导出服务暂不可用" in job.error
    page = staff_client.get(response["Location"]).content.decode()
    assert "导出服务暂不可用，导出未能开始" in page and "导出失败，请重试" in page
