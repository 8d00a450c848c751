"""Journeys through innovation carriers in Chromium, as staff, leadership and an enterprise."""

import re

import pytest

from bureau.demo import seed_periods
from enterprises.demo import seed as seed_enterprises
from incubation import demo

from .factories import RDPlatformFactory, RecognitionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_zone():
    seed_periods()
    seed_enterprises()
    for _order, step in demo.STEPS:
        step()


def test_staff_reads_2024_carriers_and_the_national_check(browser_page, staff_user, demo_zone):
    page = browser_page
    page.login(staff_user)
    page.click("nav.mainnav >> text=创新载体")
    if page.input_value("select[name=year]") != "2024":
        with page.expect_navigation():  # the select submits its form on change
            page.select_option("select[name=year]", "2024")
    page.wait_for_load_state("networkidle")
    section = page.locator("#carriers")
    assert "创新载体（2024年）" in section.inner_text()
    summary = section.locator(".summary-line").inner_text()
    assert re.search(r"本年新认定研发平台\s*4\s*个", summary)
    assert re.search(r"正在申报研发平台\s*1\s*个、平台认定\s*4\s*个", summary)
    page.screenshot_as("incubation-overview-staff")

    page.click(f"text={demo.ZXLK}")
    page.wait_for_load_state("networkidle")
    assert "对照国家级认定条件" in page.locator("#conditions").inner_text()
    assert page.locator("#conditions .outcome.unmet").count() >= 3
    page.screenshot_as("incubation-incubator-staff")

    page.click("nav.subnav >> text=研发平台")
    page.select_option("select[name=level]", "provincial")
    page.fill("input[name=year]", "2024")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("table.table tbody tr").count() == 4
    page.screenshot_as("incubation-platforms-staff")


def test_staff_moves_a_recognition_forward(browser_page, staff_user, enterprise):
    recognition = RecognitionFactory(enterprise=enterprise, status="preparing")
    page = browser_page
    page.login(staff_user)
    page.goto(f"{page.base_url}/incubation/recognitions/{recognition.pk}/")
    page.select_option("select[name=to_status]", "submitted")
    page.fill("input[name=remark]", "已报送市经信局")
    page.click("text=变更状态")
    page.wait_for_load_state("networkidle")
    assert "已变更为「已申报」" in page.content()
    assert "已报送市经信局" in page.locator("ol.timeline").inner_text()
    page.screenshot_as("incubation-recognition-staff")


def test_leader_reads_the_section_without_forms(browser_page, leader_user, demo_zone):
    page = browser_page
    page.login(leader_user)
    page.goto(f"{page.base_url}/incubation/?year=2024")
    assert page.locator("#carriers").is_visible()
    page.click(f"text={demo.ZXLK}")
    page.wait_for_load_state("networkidle")
    assert page.locator("form[action*='/move/']").count() == 0
    assert page.locator("form[action*='/admit/']").count() == 0
    page.screenshot_as("incubation-incubator-leader")


def test_enterprise_sees_its_own_platforms(
    browser_page, enterprise_user, enterprise, other_enterprise
):
    RDPlatformFactory(enterprise=enterprise, name="自家光电企业技术中心")
    RDPlatformFactory(enterprise=other_enterprise, name="别家电子企业技术中心")
    page = browser_page
    page.login(enterprise_user)
    page.click("nav.mainnav >> text=研发平台与认定")
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert "自家光电企业技术中心" in text and "别家电子企业技术中心" not in text
    page.click("text=自家光电企业技术中心")
    page.wait_for_load_state("networkidle")
    assert "申报进程" in page.content()
    page.screenshot_as("incubation-portal-enterprise")
