"""Constraints hold in forms (clean) and in the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from digital.models import Assessment, FundAllocation, Milestone
from tests.digital.factories import DemoParkProjectFactory, edition_2024
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_allocations_beyond_the_budget_are_refused_naming_the_amount():
    project = DemoParkProjectFactory(budget=Decimal("1000000"))
    FundAllocation.objects.create(
        project=project, enterprise=EnterpriseFactory(), amount=Decimal("600000")
    )
    extra = FundAllocation(
        project=project, enterprise=EnterpriseFactory(), amount=Decimal("500000")
    )
    with pytest.raises(ValidationError) as exc:
        extra.full_clean()
    assert "超过项目金额" in str(exc.value.message_dict["amount"])


def test_spent_beyond_allocation_is_refused_by_the_database():
    project = DemoParkProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        FundAllocation.objects.create(
            project=project,
            enterprise=EnterpriseFactory(),
            amount=Decimal("10"),
            spent=Decimal("11"),
        )


def test_milestone_done_needs_an_actual_date():
    project = DemoParkProjectFactory()
    milestone = Milestone(project=project, stage="tender", status="done")
    with pytest.raises(ValidationError) as exc:
        milestone.full_clean()
    assert "actual_date" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        milestone.save()
    ok = Milestone.objects.create(
        project=project, stage="tender", status="done", actual_date=datetime.date(2024, 12, 1)
    )
    assert ok.order == 4  # the stage's place in the sequence


def test_one_open_assessment_per_enterprise():
    version = edition_2024()
    enterprise = EnterpriseFactory()
    Assessment.objects.create(enterprise=enterprise, version=version)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(enterprise=enterprise, version=version, status="reopened")


def test_submitted_assessment_without_score_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            enterprise=EnterpriseFactory(), version=edition_2024(), status="submitted"
        )


def test_total_above_100_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            enterprise=EnterpriseFactory(),
            version=edition_2024(),
            status="submitted",
            total_score=Decimal("100.5"),
            level=4,
            assessed_on=datetime.date(2024, 1, 1),
        )
