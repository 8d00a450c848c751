"""Money is typed in the unit read beside it (万元), stored in 元, shown back the same."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bureau.formfields import WanField, wan_label, yuan_to_wan
from bureau.models import PeriodStatus
from enterprises.models import AnnualFigures, QuarterlyFigures
from talent.models import TechnologyDemand
from tests.factories import PeriodFactory


@pytest.mark.parametrize(
    ("typed", "yuan"),
    [
        ("200", Decimal("2000000.00")),
        ("0.02", Decimal("200.00")),
        ("1.234567", Decimal("12345.67")),
        ("1800", Decimal("18000000.00")),
        ("0", Decimal("0.00")),
    ],
)
def test_wan_field_cleans_wan_to_yuan_and_shows_yuan_back_in_wan(typed, yuan):
    field = WanField(required=False)
    assert field.clean(typed) == yuan
    assert Decimal(field.prepare_value(yuan)) == Decimal(typed)


def test_wan_field_refuses_fractions_of_a_cent_with_a_chinese_message():
    with pytest.raises(ValidationError) as exc:
        WanField().clean("1.2345678")
    assert "万元" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("预算（元）", "预算（万元）"),
        ("营业收入（本年累计，元）", "营业收入（本年累计，万元）"),
        ("注册资本（元）", "注册资本（万元）"),
    ],
)
def test_wan_label_names_the_unit(label, expected):
    assert wan_label(label) == expected


def test_yuan_to_wan_never_groups_nor_uses_exponents():
    assert yuan_to_wan(Decimal("2000000")) == "200"
    assert yuan_to_wan(Decimal("123456789012.34")) == "12345678.901234"


def test_demand_budget_typed_as_200_in_the_wan_box_lists_as_200_wan(
    enterprise_client, enterprise, staff_client
):
    page = enterprise_client.get("/talent/portal/demands/").content.decode()
    assert "预算（万元）" in page and "预算（元）" not in page
    response = enterprise_client.post(
        "/talent/portal/demands/",
        {
            "title": "激光焊接工艺",
            "field": "optoelectronics",
            "budget": "200",
            "raised_on": "2026-03-02",
        },
    )
    assert response.status_code == 302, response.content.decode()
    demand = TechnologyDemand.objects.get(title="激光焊接工艺")
    assert demand.budget == Decimal("2000000.00")
    portal_list = enterprise_client.get("/talent/portal/demands/").content.decode()
    assert "200.00" in portal_list and "0.02" not in portal_list
    staff_list = staff_client.get("/talent/demands/").content.decode()
    assert "200.00" in staff_list
    detail = staff_client.get(f"/talent/demands/{demand.pk}/").content.decode()
    assert "200.00 万元" in detail


def test_quarterly_figures_typed_in_wan_list_in_wan(enterprise_client, enterprise):
    period = PeriodFactory(year=2026, quarter=1, status=PeriodStatus.OPEN)
    url = f"/portal/quarterly/{period.pk}/"
    page = enterprise_client.get(url).content.decode()
    assert "营业收入（本年累计，万元）" in page
    response = enterprise_client.post(
        url, {"revenue_ytd": "1234.5", "rd_expense_ytd": "56.78", "employees": "40"}
    )
    assert response.status_code == 302, response.content.decode()
    figures = QuarterlyFigures.objects.get(enterprise=enterprise, period=period)
    assert figures.revenue_ytd == Decimal("12345000.00")
    assert figures.rd_expense_ytd == Decimal("567800.00")
    listing = enterprise_client.get("/portal/quarterly/").content.decode()
    assert "1,234.50" in listing and "56.78" in listing
    # Opened again, the boxes hold what was typed.
    again = enterprise_client.get(url).content.decode()
    assert 'value="1234.5"' in again and 'value="56.78"' in again


def test_annual_figures_and_profile_capital_typed_in_wan(enterprise_client, enterprise):
    response = enterprise_client.post(
        "/portal/annual/2025/",
        {"revenue": "5000", "rd_expense": "300"}
        | {
            name: "0"
            for name in (
                "invention_patents",
                "other_class1_ip",
                "utility_models",
                "design_patents",
                "software_copyrights",
            )
        },
    )
    assert response.status_code == 302, response.content.decode()
    figures = AnnualFigures.objects.get(enterprise=enterprise, year=2025)
    assert figures.revenue == Decimal("50000000.00")
    listing = enterprise_client.get("/portal/annual/").content.decode()
    assert "5,000.00" in listing
    profile = enterprise_client.get("/portal/profile/").content.decode()
    assert "注册资本（万元）" in profile


def test_finance_amount_keeps_cents_typed_in_wan(enterprise_client, enterprise):
    from finance.models import FinancingNeed

    response = enterprise_client.post(
        "/finance/portal/needs/",
        {"amount_wan": "1.234567", "purpose": "购置设备", "term_months": "12"},
    )
    assert response.status_code == 302, response.content.decode()
    assert FinancingNeed.objects.get(enterprise=enterprise).amount == Decimal("12345.67")
