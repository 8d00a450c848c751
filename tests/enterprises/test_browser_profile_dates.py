"""The profile's 成立日期 in real Chromium: the box shows the date and an unchanged save keeps it."""

import datetime

import pytest

from enterprises.models import Enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_profile_date_box_shows_the_date_and_survives_an_unchanged_save(
    browser_page, enterprise, enterprise_user, language
):
    enterprise.established_on = datetime.date(2018, 1, 1)
    enterprise.registered_capital = 12345678
    enterprise.save()
    page = browser_page
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
    page.login(enterprise_user)
    page.goto(f"{page.base_url}/portal/profile/")
    # What the browser holds after its own value sanitisation, not the HTML attribute.
    assert page.input_value("#id_established_on") == "2018-01-01"
    assert page.input_value("#id_registered_capital") == "1234.5678"
    page.screenshot_as(f"portal-profile-{language}")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    enterprise = Enterprise.objects.get(pk=enterprise.pk)
    assert enterprise.established_on == datetime.date(2018, 1, 1)
    assert enterprise.registered_capital == 12345678
