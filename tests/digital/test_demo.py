"""seed_demo reproduces the seed's section (二) figures for 2024 from records, idempotently."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from digital import metrics
from digital.models import (
    Assessment,
    Milestone,
    MilestoneStage,
    MilestoneStatus,
    ServiceDelivery,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo_year, db):
    """The demo year, seeded once for the module (tests/conftest.once_per_module)."""


def test_demo_year_2024_reproduces_the_seeds_figures(seeded):
    got = {f.key: f.value for f in metrics.figures(2024)}
    assert got["digital.assessed_enterprises"] == 96
    assert got["digital.service_package_enterprises"] == 89
    assert got["digital.visited_enterprises"] == 25
    assert got["digital.provincial_demo_approved"] == 2
    assert got["digital.meetings"] >= 10
    assert got["digital.demo_park_budget"] == Decimal("18000000")
    assert [
        got[f"digital.demo_enterprises.{g}"] for g in ("outstanding", "case", "transformation")
    ] == [3, 3, 6]
    stages = dict(
        Milestone.objects.filter(project__name__startswith="光电信息产业").values_list(
            "stage", "status"
        )
    )
    done = [
        MilestoneStage.CONTRACTOR,
        MilestoneStage.SURVEY,
        MilestoneStage.PLATFORM_PLAN,
        MilestoneStage.FUND_PLAN,
    ]
    assert all(stages[s] == MilestoneStatus.DONE for s in done)
    assert stages[MilestoneStage.TENDER] == stages[MilestoneStage.ENTERPRISE_PLANS] == "in_progress"
    assert stages[MilestoneStage.SELF_REVIEW] == stages[MilestoneStage.ACCEPTANCE] == "planned"


def test_seeding_twice_changes_nothing_and_figures_follow_records(seeded):
    before = (
        Assessment.objects.count(),
        ServiceDelivery.objects.count(),
        Milestone.objects.count(),
    )
    call_command("seed_demo", verbosity=0)
    assert (
        Assessment.objects.count(),
        ServiceDelivery.objects.count(),
        Milestone.objects.count(),
    ) == before
    ServiceDelivery.objects.filter(
        delivered_on__year=2024, package__kind="free_software"
    ).first().delete()
    got = {f.key: f.value for f in metrics.figures(2024)}
    assert got["digital.service_package_enterprises"] == 88
