"""A save that committed answers with success even when the cache or the broker behind the
dashboard is down (DESIGN.md, "Nothing lost"): what runs after the commit (the figures' data
version, the dashboard warming task) fails alone and is logged; the dashboard, unable to read
its cache, computes in the request."""

import logging
from decimal import Decimal
from unittest import mock

import pytest
import redis.exceptions
from django.core.cache import caches
from kombu.exceptions import OperationalError

from bureau.celery import app as celery_app
from bureau.models import Activity, ActivityKind, Target
from enterprises.models import QuarterlyFigures
from tests.factories import PeriodFactory, TargetFactory

# Real commits, so that the after-commit work runs inside the request as in production.
pytestmark = pytest.mark.django_db(transaction=True)

DOWN = redis.exceptions.ConnectionError("Error 111 connecting to redis:6379. Connection refused.")


def post_back(client, url: str, changes: dict, form_key: str = "form"):
    """Open the form at `url`, post its current values back with `changes`."""
    page = client.get(url)
    assert page.status_code == 200
    form = page.context[form_key]
    form = getattr(form, "form", form)  # an admin page's AdminForm wraps the form
    data = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        data[bound.html_name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    data.update(changes)
    return client.post(url, data)


def cache_is_down():
    """Every call to the cache fails as a Redis that cannot be reached does."""
    names = ("get", "set", "add", "incr", "delete", "get_many", "set_many")
    return mock.patch.multiple(caches["default"], **{n: mock.Mock(side_effect=DOWN) for n in names})


@pytest.fixture
def cache_down():
    with cache_is_down():
        yield


@pytest.fixture
def broker_down(monkeypatch, settings):
    """A real broker is configured (not eager) and enqueueing fails."""
    from reports import tasks

    settings.FIGURE_CACHE_SECONDS = 3600
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    failing = mock.Mock(side_effect=OperationalError("[Errno 111] Connection refused"))
    monkeypatch.setattr(tasks.warm_dashboard, "apply_async", failing)
    # The debounce key may be left by an earlier test in a real (shared) Redis cache.
    from django.core.cache import cache

    cache.delete("reports:warm-scheduled")
    return failing


def logged_errors(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]


def test_portal_quarterly_save_succeeds_and_is_logged_when_the_cache_is_down(
    enterprise_client, enterprise, cache_down, caplog
):
    period = PeriodFactory(year=2025, quarter=2)
    url = f"/portal/quarterly/{period.pk}/"
    response = post_back(enterprise_client, url, {"revenue_ytd": "123.4567", "employees": "88"})
    assert response.status_code == 302
    assert response.url == "/portal/quarterly/"
    saved = QuarterlyFigures.objects.get(enterprise=enterprise, period=period)
    assert saved.revenue_ytd == Decimal("1234567.00")
    errors = logged_errors(caplog)
    assert errors, "the failure is logged"
    assert any("enterprises.quarterlyfigures" in r.getMessage() for r in errors)
    assert all(r.exc_info[0] is redis.exceptions.ConnectionError for r in errors)


def test_staff_activity_save_succeeds_and_is_logged_when_the_broker_is_down(
    staff_client, broker_down, caplog
):
    kind = ActivityKind.objects.get(code="policy_seminar")
    response = staff_client.post(
        "/activities/new/", {"kind": kind.pk, "date": "2025-06-03", "topic": "高企政策宣讲"}
    )
    assert response.status_code == 302
    assert Activity.objects.filter(topic="高企政策宣讲").exists()
    assert broker_down.called, "the warming task was asked for"
    errors = logged_errors(caplog)
    assert errors and all(r.exc_info[0] is OperationalError for r in errors)
    assert any("warm" in r.getMessage() for r in errors)


def test_admin_change_succeeds_and_is_logged_when_the_cache_is_down(
    sysadmin_user, cache_down, caplog
):
    from django.test import Client

    client = Client()
    client.force_login(sysadmin_user)
    target = TargetFactory(year=2025, label="政策宣讲会", target_value=10)
    url = f"/admin/bureau/target/{target.pk}/change/"
    response = post_back(client, url, {"target_value": "12"}, form_key="adminform")
    assert response.status_code == 302
    assert response.url == "/admin/bureau/target/"
    assert Target.objects.get(pk=target.pk).target_value == 12
    assert any("bureau.target" in r.getMessage() for r in logged_errors(caplog))


def test_dashboard_computes_in_the_request_when_the_cache_cannot_be_read(
    leader_client, settings, caplog
):
    settings.FIGURE_CACHE_SECONDS = 3600
    TargetFactory(year=2024, figure_key="bureau.activities.policy_seminar", target_value=10)
    kind = ActivityKind.objects.get(code="policy_seminar")
    for day in (3, 4, 5):
        Activity.objects.create(kind=kind, date=f"2024-06-0{day}", topic=f"宣讲{day}")
    with cache_is_down():
        response = leader_client.get("/dashboard/", {"year": 2024})
    assert response.status_code == 200
    [progress] = response.context["data"].targets
    assert progress.value == 3
    assert logged_errors(caplog)


def test_export_request_answers_when_the_broker_refuses_the_task(staff_client, monkeypatch, caplog):
    from reports import tasks
    from reports.models import ExportJob, ExportStatus
    from tests.reports.factories import AnnualSummaryFactory

    summary = AnnualSummaryFactory(year=2025)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    refused = mock.Mock(side_effect=OperationalError("[Errno 111] Connection refused"))
    monkeypatch.setattr(tasks.export_summary, "delay", refused)
    response = staff_client.post(f"/summaries/{summary.year}/export/", {"fmt": "docx"})
    job = ExportJob.objects.get(summary=summary)
    assert response.status_code == 302
    assert response.url == f"/exports/{job.pk}/"
    # Not left pending for ever (a pending job would be joined by every later request).
    assert job.status == ExportStatus.FAILED
    assert "任务队列" in job.error
    assert any(r.exc_info[0] is OperationalError for r in logged_errors(caplog))
