"""Chromium: an export whose worker dies while staff watch its page turns into 导出失败，请重试
(no spinner forever), and the retry button starts a new export that downloads."""

import datetime as dt

import pytest
from django.utils import timezone

from reports import services
from reports.models import ExportJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_watching_an_export_whose_worker_dies_see_the_failure_and_retry(
    browser_page, staff_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    summary = services.ensure_summary(2024)
    now = timezone.now()
    job = ExportJob.objects.create(
        summary=summary, fmt="xlsx", status="running", progress=40, attempts=1
    )
    ExportJob.objects.filter(pk=job.pk).update(started_at=now, heartbeat_at=now)
    page = browser_page
    page.login(staff_user)
    page.goto(f"{page.base_url}{job.get_absolute_url()}")
    assert page.locator("#job-running").is_visible()
    assert not page.locator("#job-failed").is_visible()

    # The worker dies: no more heartbeats. The page's own poll finds the job dead.
    stale = now - dt.timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    page.wait_for_selector("#job-retry", state="visible", timeout=15_000)
    assert "导出失败，请重试" in page.locator("#job-failed").inner_text()
    assert not page.locator("#job-running").is_visible()
    assert page.locator("#job-status").inner_text() == "失败"
    page.screenshot_as("reports-export-failed")

    page.click("#job-retry")
    page.wait_for_selector("#job-download:not([hidden])", timeout=60_000)
    again = ExportJob.objects.exclude(pk=job.pk).get()
    assert page.url.endswith(again.get_absolute_url())
    with page.expect_download() as info:
        page.click("#job-download")
    assert info.value.suggested_filename.endswith(".xlsx")
