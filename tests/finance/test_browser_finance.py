"""Browser journeys through technology finance, as each role would click them."""

import pytest

from bureau.roles import Role
from enterprises.demo import demo_code
from enterprises.models import Enterprise
from finance.models import FinanceEvent, FinancingNeed
from tests.factories import EnterpriseAccountFactory, UserFactory

# The demo year is committed once for the module (tests/conftest.committed_demo_year); each test
# signs in a user of its own and reads only what the others leave unchanged.
pytestmark = [pytest.mark.browser]


@pytest.fixture
def demo(committed_demo_year):
    return None


def test_leader_reads_the_2024_finance_overview(browser_page, demo):
    leader = UserFactory(username="leader_b", role=Role.LEADERSHIP)
    page = browser_page
    page.login(leader)
    page.click(".mainnav >> text=科技金融")
    if page.input_value("select[name=year]") != "2024":
        with page.expect_navigation():  # the select submits its form on change
            page.select_option("select[name=year]", "2024")
    page.wait_for_load_state("networkidle")
    assert "20,000.00" in page.inner_text(".tiles")  # 万元: the seed's 2亿元
    assert page.inner_text(".stagepath li.current").endswith("司法审查")
    page.screenshot_as("finance_overview_leader")
    # Drill into the event page of the largest matchmaking event.
    page.click("text=对接活动")
    page.click("text=2024年第四期银企对接会（光电信息产业专场）")
    assert "现场签约（合计 5,000.00 万元）" in page.inner_text("main")
    assert page.locator("text=登记签约").count() == 0  # leadership reads only
    page.screenshot_as("finance_event_leader")


def test_staff_matches_a_need_and_records_a_signing(browser_page, demo):
    staff = UserFactory(username="staff_b", role=Role.BUREAU_STAFF)
    need = FinancingNeed.objects.filter(status="open").order_by("pk").first()
    page = browser_page
    page.login(staff)
    page.goto(f"{page.base_url}/finance/needs/{need.pk}/")
    assert page.locator(".matches > li").count() >= 2
    page.screenshot_as("finance_need_matches_staff")
    event = FinanceEvent.objects.order_by("-activity__date").first()  # the upcoming one
    page.select_option("#id_event", str(event.pk))
    page.click("text=邀请并推介")
    page.wait_for_load_state("networkidle")
    page.goto(f"{page.base_url}{event.get_absolute_url()}")
    assert need.enterprise.name in page.inner_text("main")
    # The signing itself happens at an event already held (a future date is refused).
    event = FinanceEvent.objects.get(activity__topic="2025年第二期银企对接会")
    page.goto(f"{page.base_url}{event.get_absolute_url()}")
    # The enterprise picker: part of the credit code, then the match (names repeat).
    page.fill("#id_enterprise_search", need.enterprise.credit_code[-8:])
    page.locator(".picker-option", has_text=need.enterprise.credit_code).click()
    page.select_option("#id_bank", index=1)
    page.select_option("#id_need", str(need.pk))
    page.fill("#id_amount_wan", "300")
    page.fill("#id_signed_on", event.activity.date.isoformat())
    page.click("text=保存签约")
    page.wait_for_load_state("networkidle")
    assert "签约已登记" in page.inner_text(".messages")
    need.refresh_from_db()
    assert need.status == "met"
    page.screenshot_as("finance_event_staff")


def test_enterprise_posts_a_need_and_sees_its_signings(browser_page, demo):
    firm = Enterprise.objects.get(credit_code=demo_code(0))
    user = EnterpriseAccountFactory(
        enterprise=firm, user=UserFactory(username="ent_b", role=Role.ENTERPRISE_USER)
    ).user
    page = browser_page
    asked: list[str] = []
    page.on("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.login(user)
    page.click(".mainnav >> text=融资需求")
    page.fill("#id_amount_wan", "0")
    page.fill("#id_purpose", "购买检测设备")
    page.click("button:has-text('提交')")
    # The browser refuses it before sending (min="0.01"); the server refuses it too
    # (tests/finance/test_views.py).
    assert page.eval_on_selector("#id_amount_wan", "e => e.validationMessage")
    assert not FinancingNeed.objects.filter(purpose="购买检测设备").exists()
    page.fill("#id_amount_wan", "260")
    page.click("button:has-text('提交')")
    page.wait_for_load_state("networkidle")
    assert "购买检测设备" in page.inner_text("main")
    assert FinancingNeed.objects.filter(enterprise=firm, purpose="购买检测设备").count() == 1
    # Asked once: the refused amount never reached the question.
    assert asked == ["确定提交？提交后将转交局工作人员办理。"]
    page.screenshot_as("finance_portal_enterprise")
