"""Factories of the digital app's records (the questionnaire itself comes from the edition file)."""

import datetime
from decimal import Decimal

import factory

from digital.editions import EDITIONS_DIR, load_edition, read_edition
from digital.models import (
    Assessment,
    AssessmentSource,
    AssessmentStatus,
    DemoParkProject,
    DiagnosticRound,
    DiagnosticVisit,
    FollowUpAction,
    PackageKind,
    ServiceDelivery,
    ServicePackage,
)
from tests.factories import EnterpriseFactory, PeriodFactory


def edition_2024():
    """The 2024 edition (loaded by migration; reloaded after a transactional test's flush)."""
    version, _created = load_edition(read_edition(EDITIONS_DIR / "2024.json"))
    return version


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A submitted assessment with given scores (as an external platform reports them)."""

    class Meta:
        model = Assessment

    enterprise = factory.SubFactory(EnterpriseFactory)
    version = factory.LazyFunction(edition_2024)
    source = AssessmentSource.EXTERNAL
    evaluator = "羚羊工业互联网平台"
    status = AssessmentStatus.SUBMITTED
    dimension_scores = factory.LazyFunction(
        lambda: {"basis": "25", "management": "15", "effect": "10"}
    )
    scenario_levels = factory.LazyFunction(dict)
    total_score = Decimal("50")
    level = 2
    assessed_on = datetime.date(2024, 5, 10)


class DiagnosticRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiagnosticRound

    period = factory.SubFactory(PeriodFactory)


class DiagnosticVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiagnosticVisit

    enterprise = factory.SubFactory(EnterpriseFactory)
    date = datetime.date(2024, 6, 1)
    kind = "diagnosis"
    findings = "设备联网率低"


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpAction

    visit = factory.SubFactory(DiagnosticVisitFactory)
    description = "提交改造计划"
    due_date = datetime.date(2024, 7, 1)


class ServicePackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePackage
        django_get_or_create = ("name",)

    name = "羚羊免费数字化软件服务包"
    kind = PackageKind.FREE_SOFTWARE
    provider = "羚羊工业互联网平台"


class ServiceDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceDelivery

    package = factory.SubFactory(ServicePackageFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    delivered_on = datetime.date(2024, 4, 1)


class DemoParkProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemoParkProject
        django_get_or_create = ("name",)

    name = "光电信息产业数字化转型示范园区项目"
    approved_year = 2024
    budget = Decimal("18000000")
