"""Saving a form erases its dates: the pages where it was seen, as the browser meets them."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.factories import EnterpriseFactory
from tests.finance.factories import FinanceEventFactory
from tests.incubation.factories import IncubatorFactory, TenancyFactory

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_values(html: str) -> dict[str, str]:
    """name → value attribute of every <input type="date">."""
    found = {}
    for tag in re.findall(r"<input[^>]*type=\"date\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        found[name.group(1) if name else "?"] = value.group(1) if value else ""
    return found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_profile_established_on_renders_iso_and_survives_an_unchanged_save(
    enterprise_client, enterprise, language
):
    enterprise.established_on = datetime.date(2018, 1, 1)
    enterprise.save()
    enterprise_client.cookies["django_language"] = language
    html = enterprise_client.get("/portal/profile/", HTTP_ACCEPT_LANGUAGE=language).content
    values = date_values(html.decode())
    assert values["established_on"] == "2018-01-01"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_staff_pages_render_every_date_box_iso(staff_client, language):
    incubator = IncubatorFactory()
    for _ in range(3):
        TenancyFactory(incubator=incubator, enterprise=EnterpriseFactory())
    event = FinanceEventFactory()
    staff_client.cookies["django_language"] = language
    pages = ["/activities/new/", incubator.get_absolute_url(), event.get_absolute_url()]
    for url in pages:
        html = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        values = date_values(html)
        assert values, f"{url}: no date box"
        for name, value in values.items():
            assert value == "" or ISO.match(value), f"{url} {name}={value!r}"
    # The end-of-tenancy boxes are prefilled with today: one per current tenant.
    html = staff_client.get(incubator.get_absolute_url()).content.decode()
    today = timezone.localdate().isoformat()
    assert html.count(f'value="{today}"') >= 3
