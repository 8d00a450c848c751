"""Exports through broker and worker faults, on real processes: a Redis server and Celery
workers this test starts (and alone stops, by pid), reading the test's own database.

The Excel builder of these workers waits at a gate (tests/reports/gated_worker.py), so a
test kills the pool child while an export is certainly running.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import redis as redis_lib
from django.conf import settings
from django.urls import reverse
from kombu import pools

from reports.models import ExportJob, ExportStatus
from reports.services import ensure_summary
from tests.conftest import require_service

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WORKER_START_SECONDS = 60
EXPORT_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(condition, seconds: float, what: str, every: float = 0.2):
    """Poll `condition` until it returns something truthy; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"{what}: not within {seconds} s")


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, seconds: float = 20) -> None:
    """Stop a process this test started, by its pid; kill it if it lingers."""
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


class OwnRedis:
    """A redis-server of this test's own on a free loopback port, started and stopped by pid."""

    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis_lib.Redis.from_url(self.url, socket_connect_timeout=1)

        def up() -> bool:
            try:
                return bool(client.ping())
            except redis_lib.RedisError:
                return False

        _wait(up, 10, "own redis-server answering")

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)

    def client(self) -> redis_lib.Redis:
        return redis_lib.Redis.from_url(self.url, socket_connect_timeout=1)


def _point_celery_at(url: str | None) -> None:
    """Send this process's tasks to `url` (None: back to the settings), forgetting any broker
    connection pool and result backend built for an earlier one."""
    from bureau.celery import app

    app.conf.task_always_eager = url is None and settings.CELERY_TASK_ALWAYS_EAGER
    app.conf.broker_url = url or settings.CELERY_BROKER_URL
    app.conf.result_backend = url or settings.CELERY_RESULT_BACKEND
    # kombu keeps one pool per broker URL in a registry: closing a pool without clearing it
    # would hand the closed pool to the next test (even eager tasks acquire a producer).
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def own_redis(tmp_path, settings) -> Iterator[OwnRedis]:
    """Redis as production has it: the broker, the result backend and the cache."""
    require_service("redis-server", shutil.which("redis-server") is not None, "not installed")
    server = OwnRedis(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
        }
    }
    _point_celery_at(server.url)
    try:
        yield server
    finally:
        _point_celery_at(None)
        server.stop()


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def gate(tmp_path) -> Path:
    path = tmp_path / "gate"
    path.mkdir()
    return path


class Workers:
    """Celery workers of this test (prefork, one child each) on its own Redis."""

    def __init__(self, redis_url: str, gate: Path, media: Path, env: dict[str, str]) -> None:
        from django.db import connection

        db = connection.settings_dict
        if db["ENGINE"].endswith("sqlite3"):
            database_url = f"sqlite:///{db['NAME']}"
        else:
            database_url = (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
            )
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(media),
            "EXPORT_GATE_DIR": str(gate),
            **env,
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.procs: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        from bureau.celery import app

        name = f"fault-{os.getpid()}-{len(self.procs)}"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reports.gated_worker",
                "-A",
                "bureau",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "-n",
                f"{name}@%h",
                "-l",
                "warning",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
        )
        self.procs.append(proc)

        def answers() -> bool:
            if proc.poll() is not None:
                pytest.fail(f"celery worker exited with {proc.returncode}")
            return bool(app.control.ping(destination=[f"{name}@{os.uname().nodename}"], timeout=1))

        _wait(answers, WORKER_START_SECONDS, "celery worker answering", every=0)
        return proc

    def stop_all(self) -> None:
        for proc in self.procs:
            _stop(proc)


@pytest.fixture
def workers(own_redis, gate, media) -> Iterator:
    made: list[Workers] = []

    def make(**env: str) -> Workers:
        group = Workers(own_redis.url, gate, media, {"EXPORT_HEARTBEAT_SECONDS": "1", **env})
        made.append(group)
        return group

    try:
        yield make
    finally:
        for group in made:
            group.stop_all()


def _started_pids(gate: Path) -> list[int]:
    path = gate / "started"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def _request(client, fmt: str = "xlsx"):
    return client.post(reverse("reports:export_request", args=[2024]), {"fmt": fmt})


def _job_of(response) -> ExportJob:
    assert response.status_code == 302, response.status_code
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    return ExportJob.objects.get(pk=pk)


def _finished(job: ExportJob) -> ExportJob | None:
    job.refresh_from_db()
    return job if job.status in (ExportStatus.DONE, ExportStatus.FAILED) else None


def _assert_real_workbook(job: ExportJob) -> None:
    with job.file.open("rb") as f:
        assert len(openpyxl.load_workbook(f).sheetnames) >= 2


def test_export_whose_worker_child_is_killed_ends_once_and_a_new_request_works(
    staff_client, workers, gate
):
    summary = ensure_summary(2024)
    group = workers()
    worker = group.start()
    job = _job_of(_request(staff_client))
    [child] = _wait(lambda: _started_pids(gate), EXPORT_SECONDS, "export started in the worker")
    job.refresh_from_db()
    assert job.status == ExportStatus.RUNNING

    (gate / "release").touch()  # a second attempt, if any, runs straight through
    os.kill(child, signal.SIGKILL)
    ended = _wait(lambda: _finished(job), EXPORT_SECONDS, f"job {job.pk} ending after the kill")
    status = ended.status
    if status == ExportStatus.DONE:
        _assert_real_workbook(ended)
    else:
        assert ended.error and not ended.file

    # The old worker goes, a new one comes: the job stays as it ended, a new request runs.
    _stop(worker)
    group.start()
    again = _job_of(_request(staff_client))
    assert again.pk != job.pk
    done = _wait(lambda: _finished(again), EXPORT_SECONDS, "the new request's job ending")
    assert done.status == ExportStatus.DONE, done.error
    _assert_real_workbook(done)
    job.refresh_from_db()
    assert job.status == status
    assert ExportJob.objects.filter(summary=summary, status__in=["pending", "running"]).count() == 0


def test_export_whose_whole_worker_is_lost_is_failed_and_not_joined(
    staff_client, workers, gate, settings
):
    settings.EXPORT_STALE_SECONDS = 3
    ensure_summary(2024)
    group = workers()
    worker = group.start()
    job = _job_of(_request(staff_client))
    [child] = _wait(lambda: _started_pids(gate), EXPORT_SECONDS, "export started in the worker")
    # The machine goes: the child and its parent at once, nobody left to report it.
    os.kill(child, signal.SIGKILL)
    _stop(worker, signal.SIGKILL)

    (gate / "release").touch()
    group.start()
    time.sleep(settings.EXPORT_STALE_SECONDS + 1)  # its heartbeat is older than the bound
    again = _job_of(_request(staff_client))
    assert again.pk != job.pk, "a new request joined the export of a dead worker"
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.finished_at is not None
    done = _wait(lambda: _finished(again), EXPORT_SECONDS, "the new request's job ending")
    assert done.status == ExportStatus.DONE, done.error
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file


def test_export_that_kills_every_worker_child_fails_after_bounded_attempts(
    staff_client, workers, gate
):
    ensure_summary(2024)
    group = workers(EXPORT_MAX_ATTEMPTS="2")
    group.start()
    job = _job_of(_request(staff_client))
    killed: set[int] = set()

    def kill_each_attempt() -> ExportJob | None:
        for pid in _started_pids(gate):
            if pid not in killed:
                killed.add(pid)
                os.kill(pid, signal.SIGKILL)
        return _finished(job)

    ended = _wait(kill_each_attempt, EXPORT_SECONDS, f"job {job.pk} failing after its attempts")
    assert ended.status == ExportStatus.FAILED
    assert len(killed) == 2 and ended.attempts == 3
    assert not ended.file


def test_export_request_with_redis_down_answers_unavailable_then_works_when_it_returns(
    staff_client, own_redis, workers, gate
):
    ensure_summary(2024)
    own_redis.stop()

    start = time.monotonic()
    response = _request(staff_client)
    elapsed = time.monotonic() - start
    assert elapsed < 5, f"the export request took {elapsed:.1f} s with Redis down"
    job = _job_of(response)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    page = staff_client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "导出服务暂不可用" in text and "导出失败，请重试" in text
    assert 'id="job-retry"' in text

    # Redis returns on its port; no restart of anything else.
    own_redis.start()
    (gate / "release").touch()
    workers().start()
    again = _job_of(_request(staff_client))
    assert again.pk != job.pk
    done = _wait(lambda: _finished(again), EXPORT_SECONDS, "the export after Redis returned")
    assert done.status == ExportStatus.DONE, done.error


def test_export_request_with_redis_down_answers_in_english(staff_client, own_redis):
    ensure_summary(2024)
    own_redis.stop()
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _request(staff_client)
    page = staff_client.get(response["Location"])
    text = page.content.decode()
    assert "The export service is unavailable" in text and "Export failed" in text


def test_failure_handler_survives_a_lost_database_connection(monkeypatch, media):
    """The database connection dies while the export runs (a PostgreSQL restart does this to
    every connection): the failure is still written, on a fresh connection."""
    from django.db import connection

    require_service("PostgreSQL", connection.vendor == "postgresql", "the suite runs on SQLite")
    import psycopg2

    from reports import exports
    from reports.tasks import export_summary

    summary = ensure_summary(2024)
    job = ExportJob.objects.create(summary=summary, fmt="xlsx")
    db = connection.settings_dict

    def build_then_lose_the_database(summary_id: int, **options) -> bytes:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        other = psycopg2.connect(
            host=db["HOST"],
            port=db["PORT"],
            user=db["USER"],
            password=db["PASSWORD"],
            dbname=db["NAME"],
        )
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()
        raise RuntimeError("the build failed while the database restarted")

    monkeypatch.setattr(exports, "build_xlsx", build_then_lose_the_database)
    result = {}

    def run() -> None:
        from django.db import connections

        try:
            outcome = export_summary.apply(args=[summary.pk, "xlsx"], kwargs={"job_id": job.pk})
            result["outcome"] = outcome.result
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED, result
    assert "the build failed" in job.error
