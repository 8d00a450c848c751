"""Locked periods refuse changes on every path: model, form, portal, admin and import."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from bureau.models import PeriodStatus, ReportingPeriod
from bureau.services import lock_period, unlock_period
from enterprises.models import QuarterlyFigures
from tests.factories import AnnualFiguresFactory, PeriodFactory, QuarterlyFiguresFactory

pytestmark = pytest.mark.django_db


def test_saving_figures_of_a_locked_period_is_refused_with_a_clear_message(staff_user):
    figures = QuarterlyFiguresFactory(period=PeriodFactory(year=2024, quarter=2))
    lock_period(figures.period, by=staff_user)
    figures.revenue_ytd = Decimal("1")
    with pytest.raises(ValidationError) as info:
        figures.save()
    assert "2024年第2季度已锁定" in info.value.messages[0]
    figures.refresh_from_db()
    assert figures.revenue_ytd == Decimal("8000000")


def test_deleting_figures_of_a_locked_period_is_refused(staff_user):
    figures = QuarterlyFiguresFactory()
    lock_period(figures.period, by=staff_user)
    with pytest.raises(ValidationError):
        figures.delete()
    assert QuarterlyFigures.objects.count() == 1


def test_unlocking_allows_changes_again_and_keeps_history(staff_user):
    figures = QuarterlyFiguresFactory()
    lock_period(figures.period, by=staff_user)
    unlock_period(figures.period, by=staff_user)
    figures.tax_ytd = Decimal("5")
    figures.save()
    assert figures.period.history.count() == 3  # created, locked, unlocked
    assert [h.status for h in figures.period.history.order_by("history_id")] == [
        "open",
        "locked",
        "open",
    ]


def test_annual_figures_lock_with_the_fourth_quarter():
    figures = AnnualFiguresFactory(year=2023)
    PeriodFactory(year=2023, quarter=4, status=PeriodStatus.LOCKED)
    figures.revenue = Decimal("2")
    with pytest.raises(ValidationError, match="2023年第4季度已锁定"):
        figures.save()


def test_database_refuses_quarter_outside_one_to_four():
    with pytest.raises(IntegrityError):
        ReportingPeriod.objects.create(year=2024, quarter=5)


def test_database_refuses_duplicate_period():
    PeriodFactory(year=2024, quarter=1)
    with pytest.raises(IntegrityError):
        ReportingPeriod.objects.create(year=2024, quarter=1)


@pytest.mark.parametrize(("quarter", "ok"), [(0, False), (1, True), (4, True), (5, False)])
def test_period_form_validation_of_quarter(quarter, ok):
    period = ReportingPeriod(year=2024, quarter=quarter)
    if ok:
        period.full_clean()
    else:
        with pytest.raises(ValidationError, match="季度"):
            period.full_clean()


def test_period_year_too_far_in_future_is_refused():
    with pytest.raises(ValidationError, match="年度不能晚于明年"):
        ReportingPeriod(year=2099, quarter=1).full_clean()


def test_period_dates():
    period = ReportingPeriod(year=2024, quarter=1)
    assert (period.start_date.isoformat(), period.end_date.isoformat()) == (
        "2024-01-01",
        "2024-03-31",
    )
    period.quarter = 4
    assert period.end_date.isoformat() == "2024-12-31"


def test_admin_lock_action_then_admin_edit_is_refused(sysadmin_client, staff_client):
    figures = QuarterlyFiguresFactory()
    response = staff_client.post(
        "/admin/bureau/reportingperiod/",
        {"action": "lock", "_selected_action": [figures.period.pk]},
    )
    assert response.status_code == 302
    figures.period.refresh_from_db()
    assert figures.period.is_locked
    url = f"/admin/enterprises/quarterlyfigures/{figures.pk}/change/"
    response = staff_client.post(
        url,
        {"enterprise": figures.enterprise.pk, "period": figures.period.pk, "revenue_ytd": "1"},
    )
    # Figures of a locked period open view-only in the admin: a save is forbidden outright.
    assert response.status_code == 403
    figures.refresh_from_db()
    assert figures.revenue_ytd == Decimal("8000000")


def test_portal_refuses_saving_into_a_locked_period(enterprise_client, enterprise):
    period = PeriodFactory(status=PeriodStatus.LOCKED)
    response = enterprise_client.post(
        f"/portal/quarterly/{period.pk}/", {"revenue_ytd": "100", "employees": "5"}
    )
    assert response.status_code == 200
    assert "已锁定" in response.content.decode()
    assert not QuarterlyFigures.objects.filter(enterprise=enterprise).exists()


def test_portal_saves_into_an_open_period(enterprise_client, enterprise, enterprise_user):
    period = PeriodFactory()
    response = enterprise_client.post(
        f"/portal/quarterly/{period.pk}/", {"revenue_ytd": "100", "employees": "5"}
    )
    assert response.status_code == 302
    saved = QuarterlyFigures.objects.get(enterprise=enterprise, period=period)
    # Typed in 万元, as the list beside it shows; stored in 元.
    assert saved.revenue_ytd == Decimal("1000000") and saved.submitted_by == enterprise_user


@pytest.mark.parametrize(
    ("data", "field"),
    [({"revenue_ytd": "-5"}, "revenue_ytd"), ({"employees": "abc"}, "employees")],
)
def test_portal_refuses_negative_money_and_text_in_number(
    enterprise_client, enterprise, data, field
):
    period = PeriodFactory()
    response = enterprise_client.post(f"/portal/quarterly/{period.pk}/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not QuarterlyFigures.objects.exists()
