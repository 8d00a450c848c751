"""Section (三) figures follow the records behind them, at a constant number of queries."""

import datetime
from decimal import Decimal

import pytest

from bureau.models import ApplicationStatus
from bureau.services import transition_application
from talent.metrics import figures, period_bounds
from talent.models import (
    DemandStatus,
    Education,
    TalentActivity,
    TalentActivityStatus,
    TalentCategory,
    TitleLevel,
)
from tests.asof import save_on
from tests.factories import ActivityFactory, ActivityKindFactory, EnterpriseFactory
from tests.talent.factories import (
    AgreementFactory,
    DemandFactory,
    InstitutionFactory,
    TalentApplicationFactory,
    TalentFactory,
)

pytestmark = pytest.mark.django_db


def values(year=2024, quarter=None) -> dict:
    return {f.key: f.value for f in figures(year, quarter)}


@pytest.mark.parametrize(
    ("quarter", "end"),
    [
        (None, datetime.date(2024, 12, 31)),
        (1, datetime.date(2024, 3, 31)),
        (2, datetime.date(2024, 6, 30)),
        (3, datetime.date(2024, 9, 30)),
        (4, datetime.date(2024, 12, 31)),
    ],
)
def test_period_bounds(quarter, end):
    assert period_bounds(2024, quarter) == (datetime.date(2024, 1, 1), end)


def test_roster_counts_follow_the_records():
    TalentFactory(category=TalentCategory.EXECUTIVE, title_level=TitleLevel.SENIOR)
    TalentFactory(category=TalentCategory.EXECUTIVE, education=Education.MASTER)
    doctor = TalentFactory(title_level=TitleLevel.DEPUTY_SENIOR, education=Education.DOCTORATE)
    TalentFactory(title_level=TitleLevel.INTERMEDIATE, education=Education.BACHELOR)
    v = values()
    assert (v["talent.roster_total"], v["talent.executives"]) == (4, 2)
    assert v["talent.deputy_senior_and_above"] == 2
    assert v["talent.master_and_above"] == 2

    doctor.left_on = datetime.date(2024, 12, 31)  # gone on the last day: not on the roster
    doctor.save()
    v = values()
    assert (v["talent.deputy_senior_and_above"], v["talent.master_and_above"]) == (1, 1)


@pytest.mark.parametrize(
    ("registered_on", "left_on", "counted"),
    [
        (datetime.date(2024, 12, 31), None, True),
        (datetime.date(2025, 1, 1), None, False),
        (datetime.date(2023, 5, 1), datetime.date(2024, 12, 30), False),
        (datetime.date(2023, 5, 1), datetime.date(2025, 1, 1), True),
    ],
)
def test_roster_is_taken_at_the_period_end(registered_on, left_on, counted):
    TalentFactory(category=TalentCategory.EXECUTIVE, registered_on=registered_on, left_on=left_on)
    assert values()["talent.executives"] == int(counted)


def test_quarter_figures_stop_at_the_quarter_end():
    TalentFactory(category=TalentCategory.EXECUTIVE, registered_on=datetime.date(2024, 4, 1))
    assert values(2024, 1)["talent.executives"] == 0
    assert values(2024, 2)["talent.executives"] == 1


@pytest.mark.parametrize(
    ("signed_on", "end_on", "counted"),
    [
        (datetime.date(2024, 12, 31), None, True),
        (datetime.date(2025, 1, 1), None, False),
        (datetime.date(2022, 1, 1), datetime.date(2023, 12, 31), False),
        (datetime.date(2022, 1, 1), datetime.date(2024, 1, 1), True),
    ],
)
def test_cooperating_enterprises_count_agreements_in_force(signed_on, end_on, counted):
    AgreementFactory(signed_on=signed_on, start_on=signed_on, end_on=end_on)
    assert values()["talent.enterprises_cooperating"] == int(counted)


def test_an_enterprise_with_two_agreements_counts_once():
    enterprise = EnterpriseFactory()
    AgreementFactory(enterprise=enterprise, value=Decimal("100"))
    AgreementFactory(enterprise=enterprise, value=Decimal("50"))
    v = values()
    assert v["talent.enterprises_cooperating"] == 1
    assert v["talent.agreement_value"] == Decimal("150")


def test_demand_figures():
    enterprise = EnterpriseFactory()
    DemandFactory(enterprise=enterprise)
    solved = save_on(
        DemandFactory.build(enterprise=enterprise, status=DemandStatus.SOLVED), "2024-06-01"
    )
    DemandFactory(raised_on=datetime.date(2023, 12, 31))  # another year
    v = values()
    assert (v["talent.enterprises_with_demands"], v["talent.unsolved_demands"]) == (1, 1)
    # Reopened within the year: unsolved at the year's end (a figure is the state then).
    save_on(solved, "2024-09-01", status=DemandStatus.OPEN)
    assert values()["talent.unsolved_demands"] == 2


def test_trainings_held_leave_out_planned_and_cancelled():
    training = ActivityKindFactory(code="training", name="培训")
    exchange = ActivityKindFactory(code="exchange", name="交流座谈")
    ActivityFactory(kind=training)  # no talent detail: counted
    held = ActivityFactory(kind=exchange)
    TalentActivity.objects.create(activity=held, status=TalentActivityStatus.HELD)
    planned = ActivityFactory(kind=exchange, date=datetime.date(2025, 1, 9))
    detail = TalentActivity.objects.create(
        activity=planned,
        status=TalentActivityStatus.PLANNED,
        planned_on=datetime.date(2024, 12, 10),
    )
    detail.institutions.add(InstitutionFactory(name="南京理工大学"))
    cancelled = ActivityFactory(kind=training)
    TalentActivity.objects.create(activity=cancelled, status=TalentActivityStatus.CANCELLED)
    ActivityFactory(kind=ActivityKindFactory())  # a policy seminar: not a training
    v = values()
    assert v["talent.trainings_held"] == 2
    assert v["talent.planned_exchanges"] == 1
    [planned_figure] = [f for f in figures(2024) if f.key == "talent.planned_exchanges"]
    assert [a.activity.topic for a in planned_figure.records] == [planned.topic]


def test_subsidies_granted_and_paid_follow_the_pipeline():
    application = TalentApplicationFactory()
    assert values()["talent.subsidies_granted"] == 0
    at = datetime.datetime(2024, 6, 1, 10, tzinfo=datetime.UTC)
    for status in ("preparing", "submitted", "under_review"):
        transition_application(application, status, at=at)
    transition_application(
        application,
        ApplicationStatus.APPROVED,
        at=at,
        amount_granted=Decimal("50000"),
        amount_paid=Decimal("30000"),
    )
    v = values()
    assert v["talent.applications_approved"] == 1
    assert v["talent.subsidies_granted"] == Decimal("50000")
    assert v["talent.subsidies_paid"] == Decimal("30000")


def _populate(n: int) -> None:
    training = ActivityKindFactory(code="training", name="培训")
    for _i in range(n):
        enterprise = EnterpriseFactory()
        TalentFactory(enterprise=enterprise, category=TalentCategory.EXECUTIVE)
        AgreementFactory(enterprise=enterprise)
        DemandFactory(enterprise=enterprise)
        ActivityFactory(kind=training)


@pytest.mark.parametrize("n", [3, 30])
def test_figures_take_a_constant_number_of_queries(n, django_assert_num_queries):
    _populate(n)
    # roster aggregate, agreements aggregate, demands aggregate, activities count,
    # planned exchanges count, applications aggregate
    with django_assert_num_queries(6):
        result = figures(2024)
    assert {f.key: f.value for f in result}["talent.executives"] == n
