"""Bad input is refused with a clear Chinese message and nothing is saved: by the forms and
services (ValidationError naming the field) and by the database itself (IntegrityError)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from finance import services
from finance.models import (
    Disbursement,
    FinancialProduct,
    FinancingNeed,
    GuaranteeScheme,
    NeedStatus,
    SchemeStage,
    Signing,
)
from tests.finance.factories import (
    FinanceEventFactory,
    GuarantorFactory,
    InstitutionFactory,
    NeedFactory,
    ProductFactory,
    SigningFactory,
)

pytestmark = pytest.mark.django_db


# --- Products ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "kw", "message"),
    [
        (
            "max_rate",
            {"min_rate": Decimal("4.35"), "max_rate": Decimal("3.45")},
            "利率区间上下颠倒",
        ),
        (
            "max_amount",
            {"min_amount": Decimal("2000000"), "max_amount": Decimal("1000000")},
            "最高额度不能低于最低额度",
        ),
        (
            "max_term_months",
            {"min_term_months": 24, "max_term_months": 12},
            "最长期限不能短于最短期限",
        ),
        ("min_amount", {"min_amount": Decimal("0")}, "金额必须大于0"),
        ("max_amount", {"max_amount": Decimal("-1")}, "金额必须大于0"),
    ],
)
def test_product_refuses_bad_ranges(field, kw, message):
    product = ProductFactory.build(provider=InstitutionFactory(), **kw)
    with pytest.raises(ValidationError) as exc:
        product.full_clean()
    assert any(message in m for m in exc.value.message_dict[field])


@pytest.mark.parametrize(
    "kw",
    [
        {"min_rate": Decimal("4.35"), "max_rate": Decimal("3.45")},
        {"min_amount": Decimal("2000000"), "max_amount": Decimal("1000000")},
        {"min_term_months": 24, "max_term_months": 12},
        {"min_amount": Decimal("0")},
    ],
)
def test_database_refuses_bad_product_ranges(kw):
    provider = InstitutionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(provider=provider, **kw)
    assert FinancialProduct.objects.count() == 0


# --- Needs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-100")])
def test_need_with_zero_or_negative_amount_is_refused(enterprise, amount):
    with pytest.raises(ValidationError) as exc:
        services.post_need(enterprise=enterprise, amount=amount, purpose="周转")
    assert "金额必须大于0" in str(exc.value.message_dict["amount"])
    assert FinancingNeed.objects.count() == 0


def test_database_refuses_zero_need(enterprise):
    with pytest.raises(IntegrityError), transaction.atomic():
        NeedFactory(enterprise=enterprise, amount=0)


# --- Signings and disbursements ---------------------------------------------------------------


def test_signing_before_its_event_is_refused(enterprise):
    event = FinanceEventFactory()
    need = NeedFactory(enterprise=enterprise)
    with pytest.raises(ValidationError) as exc:
        services.record_signing(
            enterprise=enterprise,
            bank=InstitutionFactory(),
            amount=Decimal("1000000"),
            signed_on=event.activity.date - datetime.timedelta(days=1),
            event=event,
            need=need,
        )
    assert "不能早于签约活动日期" in exc.value.message_dict["signed_on"][0]
    assert Signing.objects.count() == 0
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_signing_on_the_event_day_is_accepted_and_closes_the_need(enterprise):
    event = FinanceEventFactory()
    need = NeedFactory(enterprise=enterprise)
    bank = InstitutionFactory()
    signing = services.record_signing(
        enterprise=enterprise,
        bank=bank,
        amount=Decimal("1000000"),
        signed_on=event.activity.date,
        event=event,
        need=need,
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.MET and need.met_on == signing.signed_on
    assert enterprise in event.activity.enterprises.all()
    assert bank in event.institutions.all()


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")])
def test_signing_with_zero_or_negative_amount_is_refused(enterprise, amount):
    with pytest.raises(ValidationError) as exc:
        services.record_signing(
            enterprise=enterprise,
            bank=InstitutionFactory(),
            amount=amount,
            signed_on=datetime.date(2024, 5, 1),
        )
    assert "amount" in exc.value.message_dict
    assert Signing.objects.count() == 0


def test_signing_with_another_banks_product_is_refused(enterprise):
    product = ProductFactory()
    with pytest.raises(ValidationError) as exc:
        services.record_signing(
            enterprise=enterprise,
            bank=InstitutionFactory(),
            product=product,
            amount=Decimal("1000000"),
            signed_on=datetime.date(2024, 5, 1),
        )
    assert "product" in exc.value.message_dict


def test_disbursement_above_signing_is_refused():
    signing = SigningFactory(amount=Decimal("10000000"))
    services.record_disbursement(
        signing=signing, amount=Decimal("6000000"), disbursed_on=datetime.date(2024, 7, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.record_disbursement(
            signing=signing, amount=Decimal("4000000.01"), disbursed_on=datetime.date(2024, 8, 1)
        )
    assert "将超过签约金额" in exc.value.message_dict["amount"][0]
    assert Disbursement.objects.count() == 1
    # Exactly up to the signed amount is fine.
    services.record_disbursement(
        signing=signing, amount=Decimal("4000000"), disbursed_on=datetime.date(2024, 8, 1)
    )


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1")])
def test_zero_or_negative_disbursement_is_refused(amount):
    signing = SigningFactory()
    with pytest.raises(ValidationError):
        services.record_disbursement(
            signing=signing, amount=amount, disbursed_on=datetime.date(2024, 7, 1)
        )
    assert Disbursement.objects.count() == 0


def test_disbursement_before_signing_is_refused():
    signing = SigningFactory()
    with pytest.raises(ValidationError) as exc:
        services.record_disbursement(
            signing=signing,
            amount=Decimal("1"),
            disbursed_on=signing.signed_on - datetime.timedelta(days=1),
        )
    assert "disbursed_on" in exc.value.message_dict


def test_database_refuses_zero_signing_and_disbursement():
    with pytest.raises(IntegrityError), transaction.atomic():
        SigningFactory(amount=0)
    signing = SigningFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(signing=signing, amount=0, disbursed_on=signing.signed_on)


# --- The guarantee scheme ---------------------------------------------------------------------


def scheme_fields(**kw):
    base = {
        "name": "科技担",
        "bank": InstitutionFactory(),
        "guarantor": GuarantorFactory(),
        "amplification_multiple": Decimal("10"),
        "total_line": Decimal("100000000"),
        "bank_share": Decimal("20"),
        "guarantor_share": Decimal("50"),
        "government_share": Decimal("30"),
    }
    base.update(kw)
    return base


@pytest.mark.parametrize(
    ("bank", "guarantor", "gov"),
    [("20", "50", "29.99"), ("20", "50", "31"), ("0", "0", "0")],
)
def test_shares_not_summing_to_100_are_refused(bank, guarantor, gov):
    with pytest.raises(ValidationError) as exc:
        services.start_scheme(
            started_on=datetime.date(2024, 3, 1),
            **scheme_fields(
                bank_share=Decimal(bank),
                guarantor_share=Decimal(guarantor),
                government_share=Decimal(gov),
            ),
        )
    assert "之和必须为100%" in exc.value.message_dict["government_share"][0]
    assert GuaranteeScheme.objects.count() == 0


@pytest.mark.parametrize(
    ("b", "g", "v"), [("20", "50", "30.01"), ("20", "50", "29.99"), ("100", "10", "0")]
)
def test_database_refuses_shares_not_summing_to_100(b, g, v):
    with pytest.raises(IntegrityError), transaction.atomic():
        GuaranteeScheme.objects.create(
            **scheme_fields(
                bank_share=Decimal(b), guarantor_share=Decimal(g), government_share=Decimal(v)
            )
        )


def test_database_accepts_thirds_summing_to_100():
    GuaranteeScheme.objects.create(
        **scheme_fields(
            bank_share=Decimal("33.33"),
            guarantor_share=Decimal("33.33"),
            government_share=Decimal("33.34"),
        )
    )


def test_scheme_advances_one_stage_at_a_time_with_pipeline_status():
    scheme = services.start_scheme(started_on=datetime.date(2024, 3, 1), **scheme_fields())
    services.advance_scheme(scheme, on=datetime.date(2024, 7, 1), remark="起草合同")
    entry = services.advance_scheme(scheme, on=datetime.date(2024, 11, 6), remark="司法审查")
    scheme.refresh_from_db()
    assert scheme.stage == SchemeStage.JUDICIAL_REVIEW and entry.stage == scheme.stage
    assert scheme.status == "submitted"
    assert [t.to_status for t in scheme.transitions] == ["preparing", "submitted"]
    assert list(scheme.stage_entries.values_list("completed_on", flat=True)) == [
        datetime.date(2024, 7, 1),
        datetime.date(2024, 11, 6),
        None,
    ]
    with pytest.raises(ValidationError):
        services.advance_scheme(scheme, on=datetime.date(2024, 11, 1))  # before the current stage
    for day in (12, 13, 14):
        services.advance_scheme(scheme, on=datetime.date(2024, 12, day))
    scheme.refresh_from_db()
    assert scheme.stage == SchemeStage.LAUNCHED and scheme.status == "approved"
    with pytest.raises(ValidationError, match="没有下一阶段"):
        services.advance_scheme(scheme, on=datetime.date(2025, 1, 1))


def test_signing_or_disbursement_in_the_future_is_refused(enterprise):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.record_signing(
            enterprise=enterprise,
            bank=InstitutionFactory(),
            amount=Decimal("1"),
            signed_on=tomorrow,
        )
    assert "不能晚于今天" in exc.value.message_dict["signed_on"][0]
    signing = SigningFactory()
    with pytest.raises(ValidationError) as exc:
        services.record_disbursement(signing=signing, amount=Decimal("1"), disbursed_on=tomorrow)
    assert "不能晚于今天" in exc.value.message_dict["disbursed_on"][0]
