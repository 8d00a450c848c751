"""Journeys through the talent pages in Chromium, as each role would click them."""

import pytest

from talent.models import DemandMatch, DemandStatus
from tests.factories import EnterpriseFactory
from tests.talent.factories import (
    AgreementFactory,
    DemandFactory,
    InstitutionFactory,
    TalentFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _data(enterprise):
    chip = InstitutionFactory(
        name="中国电子科技集团第五十五研究所",
        research_fields="集成电路、电子信息、光电显示",
        capabilities="氮化镓功率器件、微波毫米波集成电路、射频模块与多芯片封装测试",
    )
    InstitutionFactory(
        name="南京理工大学",
        research_fields="光电显示、智能制造",
        capabilities="红外热成像、激光加工、精密测控",
    )
    for i in range(3):
        TalentFactory(enterprise=enterprise, name=f"王建国{i}", title_level="deputy_senior")
    AgreementFactory(enterprise=EnterpriseFactory(), institution=chip)
    return DemandFactory(
        enterprise=enterprise,
        title="氮化镓器件可靠性提升",
        description="GaN功率器件高温老化后漏电流增大，需要失效分析。",
    )


def test_staff_confirm_the_first_suggestion_of_a_demand(browser_page, staff_user, enterprise):
    demand = _data(enterprise)
    browser_page.login(staff_user)
    browser_page.goto(f"{browser_page.base_url}/talent/")
    assert "领导看板" in browser_page.content()
    browser_page.screenshot_as("talent-overview-staff")
    browser_page.click("text=技术需求与对接")
    browser_page.click(f"text={demand.title}")
    first = browser_page.locator("#suggestions tbody tr").first
    assert "中国电子科技集团第五十五研究所" in first.inner_text()
    assert "研究领域包含「集成电路」" in first.inner_text()
    browser_page.screenshot_as("talent-demand-suggestions")
    first.locator("button").click()
    browser_page.wait_for_load_state("networkidle")
    assert "已确认与" in browser_page.content()
    assert DemandMatch.objects.get().institution.name == "中国电子科技集团第五十五研究所"
    demand.refresh_from_db()
    assert demand.status == DemandStatus.MATCHED
    browser_page.screenshot_as("talent-demand-confirmed")


def test_leader_sees_masked_roster_and_the_dashboard(browser_page, leader_user, enterprise):
    _data(enterprise)
    browser_page.login(leader_user)
    browser_page.click("text=人才与产学研")
    assert "产学研合作：按高校院所" in browser_page.content()
    browser_page.screenshot_as("talent-overview-leader")
    browser_page.click(".actions >> text=人才名册")
    body = browser_page.content()
    assert "王建国0" not in body
    assert "王***" in body
    browser_page.screenshot_as("talent-roster-leader")


def test_enterprise_user_adds_a_person_to_its_roster(browser_page, enterprise_user, enterprise):
    browser_page.login(enterprise_user)
    browser_page.click("nav >> text=人才名册")
    browser_page.click("text=新增人才")
    browser_page.fill("#id_name", "李新民")
    browser_page.select_option("#id_category", "executive")
    browser_page.select_option("#id_education", "master")
    browser_page.fill("#id_phone", "13800001111")
    browser_page.click("button[type=submit].primary")
    browser_page.wait_for_load_state("networkidle")
    body = browser_page.content()
    assert "人才信息已保存" in body and "李**" in body and "138****1111" in body
    assert enterprise.talents.get().name == "李新民"
    browser_page.screenshot_as("talent-portal-roster")
