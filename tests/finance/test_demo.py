"""The demo year 2024 reproduces the seed's section (五) from records, and is idempotent."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from finance import metrics
from finance.models import (
    FinanceEvent,
    FinancialProduct,
    GuaranteeScheme,
    SchemeStage,
    Signing,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_year, db):
    """The demo year, seeded once for the module (tests/conftest.once_per_module)."""


def test_demo_reproduces_2024_section_five(demo):
    figs = {f.key: f for f in metrics.figures(2024)}
    # "定期开展银企对接会，今年累计现场签约2亿元"
    assert figs["finance.signed_on_site"].value == Decimal("200000000.00")  # 2亿元
    assert figs["finance.events.bank_enterprise_matchmaking"].value >= 2
    assert figs["finance.events.gov_bank_meeting"].value >= 2
    # "支持银行推出“智造贷”、“善科贷”等…金融产品"
    launched = {p.name for p in figs["finance.products_launched"].records}
    assert {"智造贷", "善科贷"} <= launched
    # "与中国银行、省科技担保公司对接…正在进行合同的司法审查"
    scheme = GuaranteeScheme.objects.select_related("bank", "guarantor").get(name="科技担")
    assert scheme.stage == SchemeStage.JUDICIAL_REVIEW
    assert scheme.bank.short_name == "中国银行" and "科技" in scheme.guarantor.name
    assert figs["finance.scheme_stage"].value == 3


def test_seed_demo_twice_changes_nothing(demo):
    counts = (
        FinanceEvent.objects.count(),
        Signing.objects.count(),
        FinancialProduct.objects.count(),
        GuaranteeScheme.objects.count(),
    )
    call_command("seed_demo", verbosity=0)
    assert counts == (
        FinanceEvent.objects.count(),
        Signing.objects.count(),
        FinancialProduct.objects.count(),
        GuaranteeScheme.objects.count(),
    )
