"""In Chromium, in both languages: a clerk ends a tenancy from a page opened before a colleague
changed it, and reads why nothing was saved; the paragraph page's actions carry the token."""

import pytest

from bureau.roles import Role
from incubation.models import Tenancy
from reports import services
from reports.models import NarrativeParagraph
from tests.factories import UserFactory
from tests.incubation.factories import TenancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "保存未生效：您打开此页面后，甲科长"), ("en", "Not saved: after you opened")],
)
def test_ending_a_tenancy_from_a_stale_page_shows_who_changed_it(browser_page, language, expected):
    page = browser_page
    colleague = UserFactory(username="staff_a", full_name="甲科长", role=Role.BUREAU_STAFF)
    clerk = UserFactory(username="staff_b", full_name="乙科员", role=Role.BUREAU_STAFF)
    tenancy = TenancyFactory(note="")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
    page.login(clerk)
    page.goto(f"{page.base_url}/incubation/incubators/{tenancy.incubator_id}/")

    # Meanwhile the colleague changes the tenancy.
    tenancy.note = "甲科长补充的备注"
    tenancy._history_user = colleague
    tenancy.save()

    form = page.locator(f'form[action="/incubation/tenants/{tenancy.pk}/end/"]')
    page.locator("details summary").first.click()
    form.locator('input[name="exited_on"]').fill("2026-06-30")
    form.locator('select[name="exit_reason"]').select_option("moved_out")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    assert expected in page.content()
    page.screenshot_as(f"stale-tenancy-end-{language}")
    tenancy.refresh_from_db()
    assert tenancy.exited_on is None and tenancy.note == "甲科长补充的备注"
    assert Tenancy.objects.filter(exited_on__isnull=False).count() == 0


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_paragraph_page_renders_its_actions_with_the_token(browser_page, language):
    page = browser_page
    clerk = UserFactory(username="staff_b", full_name="乙科员", role=Role.BUREAU_STAFF)
    summary = services.ensure_summary(2025)
    paragraph = NarrativeParagraph.objects.create(section=summary.sections.first(), text="原稿")
    services.save_paragraph(paragraph, text="第二稿", by=clerk)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
    page.login(clerk)
    page.goto(f"{page.base_url}/summaries/paragraphs/{paragraph.pk}/")
    token = str(paragraph.history.latest().history_id)
    tokens = page.locator('input[name="edit_token"]')
    assert tokens.count() >= 2  # the edit form and the restore button's form
    assert {tokens.nth(i).get_attribute("value") for i in range(tokens.count())} == {token}
    page.screenshot_as(f"paragraph-edit-{language}")
    # Restoring the first version from the page goes through (the token is current).
    page.locator('button[name="restore"]').first.click()
    page.wait_for_load_state("networkidle")
    paragraph.refresh_from_db()
    assert paragraph.text == "原稿"
