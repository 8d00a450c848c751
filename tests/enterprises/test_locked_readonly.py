"""Read-only states look read-only: a locked period or year shows values, not inputs, no 修改."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bureau.models import PeriodStatus
from enterprises.models import AnnualFigures, QuarterlyFigures
from tests.factories import AnnualFiguresFactory, PeriodFactory, QuarterlyFiguresFactory


def data_inputs(html: str) -> list[str]:
    """Names of inputs, selects and textareas, leaving out CSRF, the language menu and logout."""
    names = re.findall(r'<(?:input|select|textarea)[^>]*name="([^"]+)"', html)
    return [n for n in names if n not in ("csrfmiddlewaretoken", "language", "next")]


@pytest.fixture
def locked_quarter(enterprise):
    period = PeriodFactory(year=2025, quarter=2)
    QuarterlyFiguresFactory(enterprise=enterprise, period=period, revenue_ytd=Decimal("12345000"))
    period.status = PeriodStatus.LOCKED
    period.save()
    return period


@pytest.fixture
def locked_year(enterprise):
    period = PeriodFactory(year=2025, quarter=4)
    figures = AnnualFiguresFactory(enterprise=enterprise, year=2025, revenue=Decimal("50000000"))
    period.status = PeriodStatus.LOCKED
    period.save()
    return figures


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_locked_quarter_shows_values_not_inputs_to_the_enterprise(
    enterprise_client, locked_quarter, language
):
    enterprise_client.cookies["django_language"] = language
    html = enterprise_client.get(f"/portal/quarterly/{locked_quarter.pk}/").content.decode()
    assert data_inputs(html) == []
    assert 'type="submit" class="primary"' not in html
    assert "1,234.50" in html  # 12,345,000 元 shown in 万元, as the list shows it
    listing = enterprise_client.get("/portal/quarterly/").content.decode()
    row = next(r for r in listing.split("<tr>") if f"/portal/quarterly/{locked_quarter.pk}/" in r)
    assert "修改" not in row and "Edit" not in row


def test_post_to_a_locked_quarter_changes_nothing(enterprise_client, locked_quarter, enterprise):
    response = enterprise_client.post(
        f"/portal/quarterly/{locked_quarter.pk}/", {"revenue_ytd": "1", "employees": "1"}
    )
    assert response.status_code == 200
    figures = QuarterlyFigures.objects.get(enterprise=enterprise, period=locked_quarter)
    assert figures.revenue_ytd == Decimal("12345000")
    assert "已锁定" in response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_locked_year_shows_values_and_no_edit_link(enterprise_client, locked_year, language):
    enterprise_client.cookies["django_language"] = language
    listing = enterprise_client.get("/portal/annual/").content.decode()
    row = next(r for r in listing.split("<tr>") if "<td>2025</td>" in r)
    assert 'class="button small"' not in row
    html = enterprise_client.get("/portal/annual/2025/").content.decode()
    assert data_inputs(html) == []
    assert "5,000.00" in html
    response = enterprise_client.post("/portal/annual/2025/", {"revenue": "1"})
    assert response.status_code == 200
    assert AnnualFigures.objects.get(pk=locked_year.pk).revenue == Decimal("50000000")


def test_open_quarter_still_has_inputs(enterprise_client):
    period = PeriodFactory(year=2026, quarter=1, status=PeriodStatus.OPEN)
    html = enterprise_client.get(f"/portal/quarterly/{period.pk}/").content.decode()
    assert "revenue_ytd" in data_inputs(html)


def test_staff_admin_opens_locked_figures_read_only(staff_client, locked_quarter, locked_year):
    figures = QuarterlyFigures.objects.get(period=locked_quarter)
    for url in (
        f"/admin/enterprises/quarterlyfigures/{figures.pk}/change/",
        f"/admin/enterprises/annualfigures/{locked_year.pk}/change/",
    ):
        html = staff_client.get(url).content.decode()
        assert not any(n in data_inputs(html) for n in ("revenue_ytd", "revenue")), url
        assert 'name="_save"' not in html, url
        response = staff_client.post(url, {"revenue_ytd": "1", "revenue": "1", "_save": "1"})
        assert response.status_code == 403, url
    figures.refresh_from_db()
    assert figures.revenue_ytd == Decimal("12345000")


def test_the_enterprise_admin_lists_its_years_read_only(admin_client):
    """The inline on the enterprise page edited locked years (and skipped the stale check);
    a year now changes only on its own page."""
    from tests.factories import EnterpriseFactory

    firm = EnterpriseFactory()
    figures = AnnualFigures.objects.create(enterprise=firm, year=2023, revenue=1000)
    page = admin_client.get(reverse("admin:enterprises_enterprise_change", args=[firm.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        'name="annual_figures-0-revenue"' not in html and "annualfigures_set-0-revenue" not in html
    )
    assert reverse("admin:enterprises_annualfigures_change", args=[figures.pk]) in html
