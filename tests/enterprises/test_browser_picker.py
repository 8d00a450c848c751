"""Staff record an activity in Chromium and choose its participants with the enterprise
picker: type part of a name, see name and credit code (names repeat), pick, save."""

import pytest

from bureau.models import Activity
from tests.factories import ActivityKindFactory, EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_types_picks_two_enterprises_and_saves_the_activity(
    browser_page, live_server, staff_user
):
    kind = ActivityKindFactory()
    twins = EnterpriseFactory.create_batch(2, name="安徽万腾光电科技有限公司")
    other = EnterpriseFactory(name="合肥别家材料有限公司")
    page = browser_page
    page.login(staff_user)
    page.goto(f"{live_server.url}/activities/new/")
    # The long <select> is gone: only the search box shows, named by the field's label.
    assert page.locator("select[name=enterprises]").is_hidden()
    search = page.get_by_role("combobox", name="参与企业")
    search.fill("万腾")
    options = page.locator(".picker-option")
    options.first.wait_for()
    assert options.count() == 2
    codes = page.locator(".picker-option .picker-code").all_inner_texts()
    assert sorted(codes) == sorted(e.credit_code for e in twins)
    page.screenshot_as("picker-activity-staff")
    # Pick the second twin by its code with the mouse, then the other firm by keyboard.
    page.locator(".picker-option", has_text=twins[1].credit_code).click()
    search.fill(other.credit_code[-8:])
    page.locator(".picker-option", has_text=other.credit_code).wait_for()
    search.press("ArrowDown")
    search.press("Enter")  # picks, does not submit the form
    assert page.url.endswith("/activities/new/")
    chips = page.locator(".picker-chip").all_inner_texts()
    assert len(chips) == 2 and any(twins[1].credit_code in c for c in chips)
    page.select_option("#id_kind", str(kind.pk))
    page.fill("#id_topic", "光电企业政策宣讲")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/activities/")
    activity = Activity.objects.get(topic="光电企业政策宣讲")
    assert set(activity.enterprises.all()) == {twins[1], other}


def test_required_enterprise_left_empty_gets_the_servers_chinese_error(
    browser_page, live_server, staff_user
):
    from finance.models import FinancingNeed

    EnterpriseFactory(name="安徽万腾光电科技有限公司")
    page = browser_page
    page.login(staff_user)
    page.goto(f"{live_server.url}/finance/needs/new/")
    assert page.get_attribute("#id_enterprise_search", "aria-required") == "true"
    page.fill("#id_amount_wan", "300")
    page.fill("#id_purpose", "购置设备")
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    assert "这个字段是必填项" in page.inner_text("main")
    assert not FinancingNeed.objects.exists()
