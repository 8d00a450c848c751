"""Exports without a broker run in a background thread (EXPORT_IN_THREAD): the request answers
at once, the status page shows the job's progress, and the job ends with a downloadable file."""

from __future__ import annotations

import io
import threading
import time

import openpyxl
import pytest
from django.urls import reverse

from reports import exports, services
from reports.models import ExportJob, ExportStatus
from reports.tasks import export_summary

# The thread has its own database connection: the request's data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

BOUND = 60  # seconds: the longest a poll below waits


@pytest.fixture
def summary(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return services.ensure_summary(2024)


@pytest.fixture
def gated_builder(monkeypatch):
    """The Excel builder reports 40 % and then waits at a gate the test opens; then builds the
    real file."""
    gate = threading.Event()
    reached = threading.Event()
    real = exports.build_xlsx

    def build(summary_pk, *, reader, progress, **options):
        progress(40)
        reached.set()
        assert gate.wait(BOUND), "the test never opened the gate"
        return real(summary_pk, reader=reader, progress=progress, **options)

    monkeypatch.setattr(exports, "build_xlsx", build)
    yield gate, reached
    gate.set()  # a failing test must not leave the thread waiting


def _poll(client, url, until, bound=BOUND):
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        status = client.get(url, {"format": "json"}).json()
        if until(status):
            return status
        time.sleep(0.1)
    pytest.fail(f"export status did not reach the expected state within {bound} s: {status}")


def test_export_without_broker_runs_in_a_thread_and_the_page_shows_progress(
    summary, staff_client, settings, gated_builder
):
    gate, reached = gated_builder
    settings.EXPORT_IN_THREAD = True
    started = time.monotonic()
    response = staff_client.post(
        reverse("reports:export_request", args=[2024]), {"fmt": "xlsx", "appendix": "figures"}
    )
    answered = time.monotonic() - started
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:export_status", args=[job.pk])
    # The request answered while the export had not finished (it is held at the gate).
    assert job.status in (ExportStatus.PENDING, ExportStatus.RUNNING), job.status
    assert not job.file and answered < 5

    assert reached.wait(BOUND)
    url = reverse("reports:export_status", args=[job.pk])
    status = _poll(staff_client, url, lambda s: s["progress"] == 40)
    assert status["status"] == "running" and not status["download"]
    page = staff_client.get(url).content.decode()
    assert 'id="job-running">' in page and 'style="width: 40%"' in page
    assert 'id="job-failed" hidden' in page
    # A running thread beats like a worker: the poll's sweep does not fail it.
    job.refresh_from_db()
    assert job.heartbeat_at is not None and job.attempts == 1

    gate.set()
    status = _poll(staff_client, url, lambda s: s["status"] != "running")
    assert status["status"] == "done" and status["progress"] == 100 and status["download"]
    download = staff_client.get(reverse("reports:export_download", args=[job.pk]))
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames  # a real workbook the builder wrote, reopened


def test_export_with_thread_off_runs_inside_the_request(summary, staff_client, settings):
    settings.EXPORT_IN_THREAD = False
    staff_client.post(reverse("reports:export_request", args=[2024]), {"fmt": "xlsx"})
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.file


def test_export_with_a_broker_is_queued_not_threaded(summary, staff_client, settings, monkeypatch):
    from bureau.celery import app

    settings.EXPORT_IN_THREAD = True
    queued = []
    app.conf.task_always_eager = False  # the autouse _celery_eager fixture restores it
    monkeypatch.setattr(export_summary, "delay", lambda *a, **kw: queued.append((a, kw)))
    threads = threading.active_count()
    staff_client.post(reverse("reports:export_request", args=[2024]), {"fmt": "xlsx"})
    job = ExportJob.objects.get()
    assert queued == [((summary.pk, "xlsx"), {"job_id": job.pk, "user_id": job.requested_by_id})]
    assert job.status == ExportStatus.PENDING and threading.active_count() == threads


def test_failing_export_in_a_thread_is_recorded_on_the_job(
    summary, staff_client, settings, monkeypatch
):
    def broken(*_args, **_kwargs):
        raise RuntimeError("模板损坏")

    monkeypatch.setattr(exports, "build_xlsx", broken)
    settings.EXPORT_IN_THREAD = True
    response = staff_client.post(reverse("reports:export_request", args=[2024]), {"fmt": "xlsx"})
    status = _poll(
        staff_client, response["Location"], lambda s: s["status"] not in ("pending", "running")
    )
    assert status["status"] == "failed" and "模板损坏" in status["error"]
