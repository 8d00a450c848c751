"""Section 二's figures follow the records, by the rules in digital/metrics.py."""

import datetime
from decimal import Decimal

import pytest

from bureau.models import ApplicationStatus
from bureau.services import transition_application
from digital import metrics
from digital.models import DemoGroup, DemonstrationEnterprise, Milestone, ProvincialDemoApplication
from tests.digital.factories import (
    AssessmentFactory,
    DemoParkProjectFactory,
    DiagnosticVisitFactory,
    ServiceDeliveryFactory,
    ServicePackageFactory,
    edition_2024,
)
from tests.factories import ActivityFactory, ActivityKindFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def values(year=2024, quarter=None) -> dict:
    return {f.key: f.value for f in metrics.figures(year, quarter)}


def _approve(app):
    """Approved in 2024 (a figure is the state at its period's end)."""
    on = datetime.datetime(2024, 9, 1, 10, tzinfo=datetime.UTC)
    for status in ("preparing", "submitted"):
        transition_application(app, status, at=on)
    transition_application(app, ApplicationStatus.APPROVED, level="provincial", at=on)


def build(n: int) -> None:
    """n of everything in 2024, plus records that must not count."""
    edition_2024()
    meeting = ActivityKindFactory(code="meeting", name="会议")
    seminar = ActivityKindFactory(code="policy_seminar", name="政策宣讲会")
    consulting = ServicePackageFactory(name="咨询诊断", kind="consulting")
    project = DemoParkProjectFactory()
    for i in range(n):
        e = EnterpriseFactory()
        AssessmentFactory(enterprise=e, assessed_on=datetime.date(2024, 1 + i % 12, 3))
        AssessmentFactory(enterprise=e, assessed_on=datetime.date(2024, 12, 20))  # same firm
        ServiceDeliveryFactory(enterprise=e, delivered_on=datetime.date(2024, 1 + i % 12, 5))
        ServiceDeliveryFactory(enterprise=e, package=consulting)  # not the free package
        DiagnosticVisitFactory(enterprise=e, date=datetime.date(2024, 1 + i % 12, 8))
        ActivityFactory(
            kind=meeting, topic=f"数字化转型推进会{i}", date=datetime.date(2024, 1 + i % 12, 9)
        )
        ActivityFactory(kind=meeting, topic=f"安全生产会议{i}")  # not on digital transformation
        ActivityFactory(kind=seminar, topic=f"数字化政策宣讲{i}")  # not a meeting
        app = ProvincialDemoApplication.objects.create(
            enterprise=e, project_title="示范", batch_year=2024
        )
        _approve(app)
        DemonstrationEnterprise.objects.create(
            enterprise=e, group=DemoGroup.TRANSFORMATION, year=2024, project=project
        )
    other = EnterpriseFactory()
    AssessmentFactory(enterprise=other, assessed_on=datetime.date(2023, 12, 31))
    AssessmentFactory(
        enterprise=other, status="draft", total_score=None, level=None, assessed_on=None
    )
    DiagnosticVisitFactory(enterprise=other, date=datetime.date(2025, 1, 2))
    Milestone.objects.create(
        project=project, stage="contractor", status="done", actual_date=datetime.date(2024, 4, 1)
    )
    Milestone.objects.create(project=project, stage="survey", status="in_progress")


@pytest.mark.parametrize("n", [3, 30])
def test_figures_count_each_rule_with_constant_queries(n, django_assert_num_queries):
    build(n)
    # 9 queries: assessed (with per-source counts), packages, visits, meetings, provincial,
    # demonstration groups, budget, milestones done, latest levels.
    with django_assert_num_queries(9):
        figures = metrics.figures(2024)
    got = {f.key: f.value for f in figures}
    assert got["digital.assessed_enterprises"] == n
    assert got["digital.assessed_enterprises.external"] == n
    assert got["digital.assessed_enterprises.portal"] == 0
    assert got["digital.service_package_enterprises"] == n
    assert got["digital.visited_enterprises"] == n
    assert got["digital.meetings"] == n
    assert got["digital.provincial_demo_approved"] == n
    assert got["digital.demo_park_budget"] == Decimal("18000000")
    assert got["digital.demo_park_milestones_done"] == 1
    assert got["digital.demo_enterprises.transformation"] == n
    assert got["digital.demo_enterprises.outstanding"] == 0


def test_quarter_figures_count_only_to_the_quarters_end():
    build(12)  # one a month
    got = values(2024, 1)
    assert got["digital.visited_enterprises"] == 3
    assert got["digital.meetings"] == 3


def test_records_behind_a_figure_are_the_enterprises_counted():
    build(3)
    figure = next(f for f in metrics.figures(2024) if f.key == "digital.assessed_enterprises")
    assert figure.records.count() == figure.value == 3


def test_level_distribution_uses_each_enterprises_latest_assessment():
    from digital.models import AssessmentStatus
    from tests.digital.factories import AssessmentFactory

    first = AssessmentFactory(assessed_on=datetime.date(2024, 3, 1), level=1)
    AssessmentFactory(enterprise=first.enterprise, assessed_on=datetime.date(2024, 9, 1), level=3)
    AssessmentFactory(assessed_on=datetime.date(2024, 5, 1), level=3)
    AssessmentFactory(assessed_on=datetime.date(2024, 6, 1), level=2,
                      status=AssessmentStatus.DRAFT)  # fmt: skip
    got = {f.key: f.value for f in metrics.figures(2024)}
    assert (got["digital.levels.1"], got["digital.levels.3"], got["digital.levels.2"]) == (0, 2, 0)
    assert {f.key: f.value for f in metrics.figures(2024, 1)}["digital.levels.1"] == 1
