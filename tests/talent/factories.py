"""Factories of the talent app's records."""

import datetime
from decimal import Decimal

import factory

from talent.models import (
    AgreementKind,
    CooperationAgreement,
    Education,
    Institution,
    InstitutionKind,
    Talent,
    TalentApplication,
    TalentCategory,
    TalentProgramme,
    TechField,
    TechnologyDemand,
    TitleLevel,
)
from tests.factories import EnterpriseFactory


class TalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talent

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"张{'伟明华强'[n % 4]}{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    email = factory.Sequence(lambda n: f"person{n}@example.cn")
    category = TalentCategory.TECH_BACKBONE
    title_level = TitleLevel.INTERMEDIATE
    education = Education.BACHELOR
    registered_on = datetime.date(2024, 3, 1)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"测试大学{n}")
    kind = InstitutionKind.UNIVERSITY
    research_fields = "集成电路、电子信息"
    capabilities = "芯片设计、射频器件"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationAgreement

    enterprise = factory.SubFactory(EnterpriseFactory)
    institution = factory.SubFactory(InstitutionFactory)
    kind = AgreementKind.COMMISSIONED_RD
    title = factory.Sequence(lambda n: f"合作项目{n}")
    signed_on = datetime.date(2024, 5, 1)
    value = Decimal("300000")


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnologyDemand

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"芯片封装测试需求{n}")
    description = "射频模块多芯片封装与测试"
    field = TechField.INTEGRATED_CIRCUITS
    raised_on = datetime.date(2024, 6, 1)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentProgramme
        django_get_or_create = ("code",)

    code = "housing_subsidy"
    name = "人才安家补贴"


class TalentApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentApplication

    programme = factory.SubFactory(ProgrammeFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    batch_year = 2024
