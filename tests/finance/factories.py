"""Factories of technology-finance records."""

import datetime
from decimal import Decimal

import factory

from bureau.models import Activity, ActivityKind
from finance.models import (
    Disbursement,
    FinanceEvent,
    FinancialProduct,
    FinancingNeed,
    GuaranteeScheme,
    Institution,
    InstitutionKind,
    ProductKind,
    SchemeStage,
    Signing,
)
from tests.factories import EnterpriseFactory


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试银行{n}舒城支行")
    kind = InstitutionKind.BANK


class GuarantorFactory(InstitutionFactory):
    name = factory.Sequence(lambda n: f"测试担保公司{n}")
    kind = InstitutionKind.GUARANTOR


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialProduct

    name = factory.Sequence(lambda n: f"测试贷{n}")
    provider = factory.SubFactory(InstitutionFactory)
    kind = ProductKind.CREDIT_LOAN
    min_amount = Decimal("500000")
    max_amount = Decimal("10000000")
    min_rate = Decimal("3.45")
    max_rate = Decimal("4.35")
    min_term_months = 6
    max_term_months = 36
    launched_on = datetime.date(2024, 4, 8)


def activity_kind(code: str) -> ActivityKind:
    """The kinds are created by the bureau app after migrate; fetch one by code."""
    return ActivityKind.objects.get(code=code)


class FinanceEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinanceEvent

    activity = factory.LazyFunction(
        lambda: Activity.objects.create(
            kind=activity_kind("bank_enterprise_matchmaking"),
            date=datetime.date(2024, 6, 27),
            topic="银企对接会",
        )
    )


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancingNeed

    enterprise = factory.SubFactory(EnterpriseFactory)
    amount = Decimal("5000000")
    purpose = "补充流动资金"
    term_months = 12
    posted_on = datetime.date(2024, 5, 1)


class SigningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signing

    event = factory.SubFactory(FinanceEventFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    bank = factory.SubFactory(InstitutionFactory)
    amount = Decimal("10000000")
    signed_on = datetime.date(2024, 6, 27)


class DisbursementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disbursement

    signing = factory.SubFactory(SigningFactory)
    amount = Decimal("5000000")
    disbursed_on = datetime.date(2024, 7, 27)


class GuaranteeSchemeFactory(factory.django.DjangoModelFactory):
    """A 科技担 scheme, launched (loans can be registered): the three shares add up to 100%."""

    class Meta:
        model = GuaranteeScheme

    name = factory.Sequence(lambda n: f"科技担{n}号")
    bank = factory.SubFactory(InstitutionFactory)
    guarantor = factory.SubFactory(GuarantorFactory)
    amplification_multiple = Decimal("10")
    total_line = Decimal("100000000")
    bank_share = Decimal("20")
    guarantor_share = Decimal("60.5")
    government_share = Decimal("19.5")
    stage = SchemeStage.LAUNCHED
