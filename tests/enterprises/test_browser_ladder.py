"""Journeys through the tier ladder in Chromium, as staff, leadership and an enterprise user."""

import datetime

import pytest

from bureau.models import ApplicationStatus
from enterprises.models import Qualification
from tests.enterprises.factories import QualificationFactory, kind
from tests.factories import AnnualFiguresFactory, EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def kinds(db):
    """Transactional tests flush the data migration's kinds: put them back."""
    from importlib import import_module

    from django.apps import apps

    import_module("enterprises.migrations.0003_qualification_kinds_and_overlap").add_kinds(
        apps, None
    )


def _firms(n: int = 4):
    firms = EnterpriseFactory.create_batch(n)
    for i, e in enumerate(firms):
        for year in (2023, 2024, 2025):
            AnnualFiguresFactory(enterprise=e, year=year, tech_staff=10 + 8 * i)
    return firms


def test_staff_adds_candidates_from_prescreen_and_approves_one(
    browser_page, live_server, staff_user
):
    firms = _firms()
    page = browser_page
    page.login(staff_user)
    page.goto(f"{live_server.url}/ladder/prescreen/tech_sme/")
    assert "预估" in page.locator(".estimate").inner_text()
    page.screenshot_as("ladder-prescreen-staff")
    page.check(f"input[name=enterprises][value='{firms[0].pk}']")
    page.check(f"input[name=enterprises][value='{firms[1].pk}']")
    page.click("text=将勾选企业加入培育对象")
    assert "已将 2 家企业加入" in page.locator(".messages").inner_text()
    q = Qualification.objects.get(enterprise=firms[0], kind__code="tech_sme")
    page.goto(f"{live_server.url}{q.get_absolute_url()}")
    for status in ("preparing", "submitted"):
        page.select_option("#id_to_status", status)
        page.click("text=确认变更")
    page.select_option("#id_to_status", "approved")
    page.click("text=确认变更")
    assert "证书编号" in page.locator(".error, .errorbox").first.inner_text()
    page.select_option("#id_to_status", "approved")
    page.fill("#id_certificate_no", "2026341523A0001")
    page.fill("#id_approved_on", "2026-05-20")
    page.fill("#id_remark", "公示期满无异议")
    page.click("text=确认变更")
    assert "状态已变更" in page.locator(".messages").inner_text()
    assert "公示期满无异议" in page.locator(".timeline").inner_text()
    page.screenshot_as("ladder-qualification-staff")
    q.refresh_from_db()
    assert (q.status, q.valid_to) == ("approved", datetime.date(2026, 12, 31))


def test_leader_drills_from_board_to_list_and_profile(browser_page, live_server, leader_user):
    firm = _firms(1)[0]
    QualificationFactory.create_batch(
        3, kind=kind("specialised_sme"), level="provincial", batch_year=2024,
        status=ApplicationStatus.UNDER_REVIEW,
    )  # fmt: skip
    QualificationFactory(enterprise=firm, kind=kind("specialised_sme"), level="provincial",
                         batch_year=2024, status=ApplicationStatus.UNDER_REVIEW)  # fmt: skip
    page = browser_page
    page.login(leader_user)
    page.goto(f"{live_server.url}/ladder/board/?year=2024")
    page.screenshot_as("ladder-board-leader")
    page.click("table.board >> text=4")
    assert "共 4 条" in page.content()
    page.click(f"text={firm.name}")
    assert firm.name in page.locator("h1").inner_text()
    assert page.locator("svg.spark").count() >= 2
    page.screenshot_as("ladder-profile-leader")


def test_enterprise_user_sees_tiers_and_what_to_improve(browser_page, enterprise_user, enterprise):
    for year in (2023, 2024, 2025):
        AnnualFiguresFactory(enterprise=enterprise, year=year, tech_staff=5)
    QualificationFactory(enterprise=enterprise, kind=kind("innovative_sme"), batch_year=2026,
                         level="provincial")  # fmt: skip
    page = browser_page
    page.login(enterprise_user)
    assert "可争取的资质" in page.content()
    assert "需改善" in page.content()
    page.screenshot_as("ladder-portal-enterprise")
    page.click("text=创新型中小企业 >> nth=0")
    assert "状态记录" in page.content()
