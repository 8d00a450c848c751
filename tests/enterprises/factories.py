"""Factories of the tier ladder (kinds come from migration 0003)."""

import datetime

import factory

from bureau.models import ApplicationStatus
from enterprises.models import InnovationProfile, Qualification, QualificationKind
from tests.factories import EnterpriseFactory


def kind(code: str) -> QualificationKind:
    return QualificationKind.objects.get(code=code)


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = factory.LazyFunction(lambda: kind("hitech"))
    status = ApplicationStatus.CANDIDATE
    batch_year = 2024
    level = "national"


class ApprovedQualificationFactory(QualificationFactory):
    status = ApplicationStatus.APPROVED
    certificate_no = factory.Sequence(lambda n: f"GR2024340{n:05d}")
    approved_on = datetime.date(2024, 11, 1)
    valid_from = datetime.date(2024, 11, 1)
    valid_to = datetime.date(2027, 10, 31)


class InnovationProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InnovationProfile

    enterprise = factory.SubFactory(EnterpriseFactory)
    niche_since_year = 2016
    rd_institution_level = "municipal"
    award_level = "none"
    digital_level = 3
