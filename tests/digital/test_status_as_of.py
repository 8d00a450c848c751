"""Section 二's figures are the state at the period's end (bureau.asof): a later decision or
a reopened assessment never moves a past year, and the drill-down lists what is counted."""

import datetime

import pytest

from bureau.models import ApplicationStatus as S
from bureau.services import transition_application
from digital import metrics
from digital.models import AssessmentStatus, ProvincialDemoApplication
from tests.asof import at, flow, pks, save_on
from tests.digital.factories import AssessmentFactory, edition_2024
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def by_key(year: int, quarter: int | None = None):
    return {f.key: f for f in metrics.figures(year, quarter)}


def demo_application(*steps):
    return flow(
        ProvincialDemoApplication(
            enterprise=EnterpriseFactory(), project_title="数字化车间改造", batch_year=2024
        ),
        (S.PREPARING, "2024-03-01"),
        (S.SUBMITTED, "2024-06-01"),
        *steps,
        level="provincial",
    )


def test_a_demonstration_approved_next_year_does_not_count_in_this_years_figure():
    pending = demo_application()
    approved = demo_application((S.APPROVED, "2024-11-15"))
    key = "digital.provincial_demo_approved"
    before = by_key(2024)[key]
    transition_application(pending, S.APPROVED, at=at("2025-02-10"), level="provincial")
    after = by_key(2024)[key]
    assert before.value == after.value == 1
    assert pks(before) == pks(after) == {approved.pk}


def test_a_quarter_reads_the_demonstrations_status_at_the_quarters_end():
    app = demo_application((S.APPROVED, "2024-08-20"))
    assert by_key(2024, 2)["digital.provincial_demo_approved"].value == 0
    assert pks(by_key(2024, 3)["digital.provincial_demo_approved"]) == {app.pk}


def test_an_assessment_reopened_next_year_still_counts_in_the_year_it_was_submitted():
    edition_2024()
    assessment = save_on(
        AssessmentFactory.build(
            enterprise=EnterpriseFactory(), assessed_on=datetime.date(2024, 6, 3)
        ),
        "2024-06-03",
    )
    before = by_key(2024)["digital.assessed_enterprises"]
    save_on(assessment, "2025-02-01", status=AssessmentStatus.REOPENED, reopen_reason="补充材料")
    after = by_key(2024)["digital.assessed_enterprises"]
    assert before.value == after.value == 1
    assert pks(before) == pks(after) == {assessment.enterprise_id}
    assert by_key(2024)[f"digital.levels.{assessment.level}"].value == 1


def test_an_assessment_resubmitted_next_year_counts_then_with_its_new_date_only():
    edition_2024()
    assessment = save_on(
        AssessmentFactory.build(
            enterprise=EnterpriseFactory(), assessed_on=datetime.date(2024, 6, 3)
        ),
        "2024-06-03",
    )
    save_on(assessment, "2025-02-01", status=AssessmentStatus.REOPENED)
    save_on(
        assessment,
        "2025-03-01",
        status=AssessmentStatus.SUBMITTED,
        assessed_on=datetime.date(2025, 3, 1),
        level=3,
    )
    assert by_key(2024)["digital.assessed_enterprises"].value == 1  # as submitted in 2024
    assert by_key(2024)["digital.levels.2"].value == 1  # at its 2024 level
    assert by_key(2025)["digital.assessed_enterprises"].value == 1
    assert by_key(2025)["digital.levels.3"].value == 1


@pytest.mark.parametrize("n", [2, 20])
def test_the_figures_take_the_same_queries_however_many_records_moved_later(
    django_assert_num_queries, n
):
    edition_2024()
    for _ in range(n):
        transition_application(demo_application(), S.REJECTED, at=at("2025-03-12"))
        a = save_on(AssessmentFactory.build(enterprise=EnterpriseFactory()), "2024-05-10")
        save_on(a, "2025-02-01", status=AssessmentStatus.REOPENED)
    # 9 queries, as digital.metrics says: the statuses are read inside them.
    with django_assert_num_queries(9):
        figures = metrics.figures(2024)
    assert {f.key: f.value for f in figures}["digital.assessed_enterprises"] == n
