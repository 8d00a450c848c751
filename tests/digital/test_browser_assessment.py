"""An enterprise user fills the self-assessment in Chromium: draft, come back, submit, result;
staff and leadership look at the digital pages."""

import pytest

from digital.models import Assessment, AssessmentStatus
from tests.digital.factories import AssessmentFactory, DemoParkProjectFactory, edition_2024
from tests.digital.helpers import SPEC, best_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_user_drafts_resumes_and_submits_assessment(
    browser_page, live_server, enterprise_user, enterprise
):
    edition_2024()
    AssessmentFactory()  # another enterprise, for the park average
    page = browser_page
    asked: list[str] = []
    page.on("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.login(enterprise_user)
    page.click("text=数字化评测")
    page.click("button:has-text('开始新的自评')")
    page.wait_for_selector("text=还剩 31 项未填")
    page.check("input[name=q_network][value=network_1]")
    page.check("input[name=q_it_coverage][value=it_coverage_2]")
    page.select_option("select[name=s_quality]", "2")
    page.click("button[value=save]")
    page.wait_for_selector("text=草稿已保存")
    assert page.locator("text=还剩 28 项未填").count() == 1
    page.screenshot_as("digital-portal-draft")

    # Leave and come back: the answers are still there.
    page.goto(f"{live_server.url}/portal/")
    page.goto(f"{live_server.url}/digital/portal/")
    page.click("text=继续填写")
    assert page.is_checked("input[name=q_network][value=network_1]")
    assert page.input_value("select[name=s_quality]") == "2"

    # Submitting with questions left names them and keeps the draft.
    page.click("button[value=submit]")
    page.wait_for_selector("text=还有未完成的题目")
    assert page.locator("text=此题未作答：生产设备数字化率").count() == 1
    assert Assessment.objects.get(enterprise=enterprise).status == AssessmentStatus.DRAFT

    for code, chosen in best_answers().items():
        for option in chosen:
            page.check(f"input[name=q_{code}][value={option}]")
    page.uncheck("input[name=q_network][value=network_1]")  # 6 of 8 points on the network
    for s in SPEC.scenarios:
        page.select_option(f"select[name=s_{s.code}]", "3")
    page.click("button[value=submit]")
    page.wait_for_selector("text=评测已提交")
    assert page.locator("svg.radar polygon.series").count() == 2
    assert "三级" in page.locator(".level-badge").inner_text()
    page.screenshot_as("digital-portal-result")
    # The draft save never asked; each 提交评测 did.
    assert asked == ["提交后评测将锁定，不能再修改。确定提交评测？"] * 2
    assessment = Assessment.objects.get(enterprise=enterprise)
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert str(assessment.total_score) == "98.000"


def test_submit_asks_first_and_cancelling_keeps_the_draft(
    browser_page, live_server, enterprise_user, enterprise
):
    edition_2024()
    page = browser_page
    page.login(enterprise_user)
    page.goto(f"{live_server.url}/digital/portal/")
    page.click("button:has-text('开始新的自评')")
    for code, chosen in best_answers().items():
        for option in chosen:
            page.check(f"input[name=q_{code}][value={option}]")
    for s in SPEC.scenarios:
        page.select_option(f"select[name=s_{s.code}]", "3")
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click("button[value=submit]")
    page.wait_for_timeout(300)
    assert asked == ["提交后评测将锁定，不能再修改。确定提交评测？"]
    # Cancelled: nothing was sent, the answers are still on the page, the record a draft.
    assert page.locator("button[value=submit]").is_visible()
    assert Assessment.objects.get(enterprise=enterprise).status == AssessmentStatus.DRAFT
    page.once("dialog", lambda d: d.accept())
    page.click("button[value=submit]")
    page.wait_for_selector("text=评测已提交")
    assert Assessment.objects.get(enterprise=enterprise).status == AssessmentStatus.SUBMITTED


def test_staff_and_leadership_see_the_digital_pages(
    browser_page, live_server, staff_user, leader_user
):
    edition_2024()
    AssessmentFactory()
    DemoParkProjectFactory()
    page = browser_page
    page.login(staff_user)
    page.goto(f"{live_server.url}/digital/?year=2024")
    assert "数字化赋能" in page.locator("h1").inner_text()
    page.screenshot_as("digital-overview-staff")
    page.goto(f"{live_server.url}/digital/assessments/")
    page.screenshot_as("digital-assessments-staff")
    assert page.locator("text=录入外部评测").count() == 1
    page.click("button:has-text('退出')")
    page.login(leader_user)
    page.goto(f"{live_server.url}/digital/assessments/")
    assert page.locator("text=录入外部评测").count() == 0
    page.screenshot_as("digital-assessments-leader")
