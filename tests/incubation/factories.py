"""Factories of the incubation app's records."""

import datetime
from decimal import Decimal

import factory

from bureau.models import ApplicationStatus, Level
from incubation.models import (
    Incubator,
    IncubatorKind,
    IncubatorLevelApplication,
    PlatformRecognition,
    RDPlatform,
    RDPlatformKind,
    RecognitionKind,
    Tenancy,
)
from tests.factories import EnterpriseFactory


class IncubatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incubator

    name = factory.Sequence(lambda n: f"测试孵化器{n}")
    kind = IncubatorKind.INCUBATOR
    operator = "测试孵化器运营有限公司"
    level = Level.PROVINCIAL
    established_on = datetime.date(2019, 5, 1)
    area_m2 = Decimal("12000")
    tenant_area_m2 = Decimal("9000")
    capacity = 60


class TenancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenancy

    incubator = factory.SubFactory(IncubatorFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    entered_on = datetime.date(2023, 3, 1)


def kind(code: str = "enterprise_tech_center") -> RDPlatformKind:
    """A platform kind from the reference data the migration adds."""
    return RDPlatformKind.objects.get(code=code)


class RDPlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RDPlatform

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = factory.LazyFunction(kind)
    name = factory.Sequence(lambda n: f"测试企业技术中心{n}")
    level = Level.PROVINCIAL
    status = ApplicationStatus.CANDIDATE


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlatformRecognition

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = RecognitionKind.DIGITAL_WORKSHOP
    level = Level.MUNICIPAL
    status = ApplicationStatus.CANDIDATE


class IncubatorApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncubatorLevelApplication

    incubator = factory.SubFactory(IncubatorFactory)
    level = Level.NATIONAL
    status = ApplicationStatus.PREPARING
