"""Section 三's figures are the state at the period's end (bureau.asof): a later decision,
a demand solved or an exchange held later never moves a past year."""

import datetime
from decimal import Decimal

import pytest

from bureau.models import ApplicationStatus as S
from bureau.services import transition_application
from talent import metrics
from talent.models import DemandStatus, TalentActivity, TalentActivityStatus
from tests.asof import at, flow, pks, save_on
from tests.factories import ActivityFactory, ActivityKindFactory, EnterpriseFactory
from tests.talent.factories import (
    DemandFactory,
    InstitutionFactory,
    ProgrammeFactory,
    TalentApplicationFactory,
)

pytestmark = pytest.mark.django_db


def by_key(year: int, quarter: int | None = None):
    return {f.key: f for f in metrics.figures(year, quarter)}


def subsidy(*steps):
    return flow(
        TalentApplicationFactory.build(
            enterprise=EnterpriseFactory(), programme=ProgrammeFactory()
        ),
        (S.SUBMITTED, "2024-05-01"),
        (S.UNDER_REVIEW, "2024-07-01"),
        *steps,
        amount_granted=Decimal("50000"),
    )


def test_a_subsidy_decided_next_year_does_not_count_in_this_years_figures():
    pending = subsidy()
    rejected = subsidy()
    approved = subsidy((S.APPROVED, "2024-10-10"))
    before = by_key(2024)
    transition_application(pending, S.APPROVED, at=at("2025-03-01"), amount_granted=Decimal("9"))
    transition_application(rejected, S.REJECTED, at=at("2025-03-01"))
    after = by_key(2024)
    for key in ("talent.applications_approved", "talent.subsidies_granted"):
        assert before[key].value == after[key].value
        assert pks(before[key]) == pks(after[key]) == {approved.pk}
    assert after["talent.subsidies_granted"].value == Decimal("50000")


def test_a_quarter_reads_the_subsidys_status_at_the_quarters_end():
    app = subsidy((S.APPROVED, "2024-08-01"))
    assert by_key(2024, 2)["talent.applications_approved"].value == 0
    assert pks(by_key(2024, 3)["talent.applications_approved"]) == {app.pk}


def test_a_demand_solved_next_year_is_still_unsolved_at_this_years_end():
    demand = save_on(DemandFactory.build(enterprise=EnterpriseFactory()), "2024-06-01")
    save_on(demand, "2025-02-01", status=DemandStatus.SOLVED)
    figure = by_key(2024)["talent.unsolved_demands"]
    assert (figure.value, pks(figure)) == (1, {demand.pk})
    assert by_key(2025)["talent.unsolved_demands"].value == 0
    # Solved by the end of Q3 2024 instead: Q2 still unsolved, Q3 not.
    other = save_on(DemandFactory.build(enterprise=EnterpriseFactory()), "2024-06-01")
    save_on(other, "2024-08-15", status=DemandStatus.SOLVED)
    assert pks(by_key(2024, 2)["talent.unsolved_demands"]) == {demand.pk, other.pk}
    assert pks(by_key(2024, 3)["talent.unsolved_demands"]) == {demand.pk}


def test_an_exchange_planned_this_year_and_held_next_year_stays_planned_this_year():
    exchange = ActivityKindFactory(code="exchange", name="交流座谈")
    activity = ActivityFactory(kind=exchange, date=datetime.date(2025, 1, 9))
    detail = TalentActivity(
        activity=activity,
        status=TalentActivityStatus.PLANNED,
        planned_on=datetime.date(2024, 12, 10),
    )
    save_on(detail, "2024-12-10")
    detail.institutions.add(InstitutionFactory(name="南京理工大学"))
    save_on(detail, "2025-01-09", status=TalentActivityStatus.HELD)
    figure = by_key(2024)["talent.planned_exchanges"]
    assert (figure.value, pks(figure)) == (1, {detail.pk})
    assert by_key(2025)["talent.trainings_held"].value == 1


@pytest.mark.parametrize("n", [2, 20])
def test_the_figures_take_the_same_queries_however_many_records_moved_later(
    django_assert_num_queries, n
):
    for _ in range(n):
        transition_application(subsidy(), S.REJECTED, at=at("2025-03-01"))
        demand = save_on(DemandFactory.build(enterprise=EnterpriseFactory()), "2024-06-01")
        save_on(demand, "2025-02-01", status=DemandStatus.SOLVED)
    # roster, agreements, demands, trainings held, planned exchanges, applications: one each.
    with django_assert_num_queries(6):
        figures = metrics.figures(2024)
    assert {f.key: f.value for f in figures}["talent.unsolved_demands"] == n
