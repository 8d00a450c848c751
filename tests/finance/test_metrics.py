"""Figures follow the records, for the year and to a quarter's end, in constant queries."""

import datetime
from decimal import Decimal

import pytest

from bureau.models import Activity
from finance import metrics, services
from finance.models import NeedStatus
from tests.finance.factories import (
    FinanceEventFactory,
    InstitutionFactory,
    NeedFactory,
    ProductFactory,
    SigningFactory,
    activity_kind,
)

pytestmark = pytest.mark.django_db


def by_key(year, quarter=None):
    return {f.key: f for f in metrics.figures(year, quarter)}


def matchmaking(day):
    return FinanceEventFactory(
        activity=Activity.objects.create(
            kind=activity_kind("bank_enterprise_matchmaking"), date=day, topic="对接会"
        )
    )


def test_signed_on_site_counts_only_matchmaking_signings_in_the_year():
    event = matchmaking(datetime.date(2024, 4, 18))
    SigningFactory(event=event, amount=Decimal("150000000"), signed_on=datetime.date(2024, 4, 18))
    SigningFactory(event=event, amount=Decimal("50000000"), signed_on=datetime.date(2024, 4, 18))
    SigningFactory(event=None, amount=Decimal("7000000"), signed_on=datetime.date(2024, 5, 1))
    SigningFactory(event=None, amount=Decimal("1000000"), signed_on=datetime.date(2025, 1, 2))
    figs = by_key(2024)
    assert figs["finance.signed_on_site"].value == Decimal("200000000.00")  # 2亿元 in 元
    assert figs["finance.signed_amount"].value == Decimal("207000000.00")
    assert figs["finance.enterprises_financed"].value == 3
    assert figs["finance.events.bank_enterprise_matchmaking"].value == 1
    assert figs["finance.signed_on_site"].records.count() == 2
    # A new signing changes the figure.
    SigningFactory(event=event, amount=Decimal("10000"), signed_on=datetime.date(2024, 4, 19))
    assert by_key(2024)["finance.signed_on_site"].value == Decimal("200010000.00")


def test_quarter_figures_stop_at_the_quarters_end():
    SigningFactory(event=None, amount=Decimal("10000000"), signed_on=datetime.date(2024, 3, 31))
    SigningFactory(event=None, amount=Decimal("20000000"), signed_on=datetime.date(2024, 4, 1))
    assert by_key(2024, 1)["finance.signed_amount"].value == Decimal("10000000.00")
    assert by_key(2024, 2)["finance.signed_amount"].value == Decimal("30000000.00")


def test_disbursed_amount_and_products_launched():
    signing = SigningFactory(amount=Decimal("10000000"), signed_on=datetime.date(2024, 11, 1))
    services.record_disbursement(
        signing=signing, amount=Decimal("4000000"), disbursed_on=datetime.date(2024, 12, 1)
    )
    services.record_disbursement(
        signing=signing, amount=Decimal("6000000"), disbursed_on=datetime.date(2025, 1, 5)
    )
    ProductFactory(name="智造贷", launched_on=datetime.date(2024, 4, 8))
    ProductFactory(name="善科贷", launched_on=datetime.date(2024, 6, 3))
    ProductFactory(name="旧产品", launched_on=datetime.date(2022, 1, 1))
    figs = by_key(2024)
    assert figs["finance.disbursed_amount"].value == Decimal("4000000.00")
    assert by_key(2025)["finance.disbursed_amount"].value == Decimal("6000000.00")
    assert figs["finance.products_launched"].value == 2
    assert {p.name for p in figs["finance.products_launched"].records} == {"智造贷", "善科贷"}


def test_needs_open_versus_met_at_period_end(enterprise):
    open_need = NeedFactory(enterprise=enterprise, posted_on=datetime.date(2024, 3, 1))
    met_later = NeedFactory(enterprise=enterprise, posted_on=datetime.date(2024, 5, 1))
    services.record_signing(
        enterprise=enterprise,
        bank=InstitutionFactory(),
        amount=Decimal("1000000"),
        signed_on=datetime.date(2025, 2, 1),
        need=met_later,
    )
    NeedFactory(
        enterprise=enterprise, posted_on=datetime.date(2024, 6, 1), status=NeedStatus.WITHDRAWN
    )
    figs = by_key(2024)
    assert figs["finance.needs_posted"].value == 3
    assert figs["finance.needs_met"].value == 0
    assert figs["finance.needs_open"].value == 2  # met only in 2025: still open at 2024's end
    assert set(figs["finance.needs_open"].records) == {open_need, met_later}
    figs25 = by_key(2025)
    assert figs25["finance.needs_met"].value == 1
    assert figs25["finance.needs_open"].value == 1


def test_scheme_stage_as_of_period_end():
    from tests.finance.test_bad_input import scheme_fields

    scheme = services.start_scheme(started_on=datetime.date(2024, 3, 1), **scheme_fields())
    services.advance_scheme(scheme, on=datetime.date(2024, 7, 1))
    services.advance_scheme(scheme, on=datetime.date(2024, 11, 6))
    services.advance_scheme(scheme, on=datetime.date(2025, 2, 1))
    fig24 = by_key(2024)["finance.scheme_stage"]
    assert fig24.value == 3 and "司法审查" in fig24.label
    fig25 = by_key(2025)["finance.scheme_stage"]
    assert fig25.value == 4 and "县政府审核" in fig25.label
    assert by_key(2023)["finance.scheme_stage"].value is None


def build(n):
    event = matchmaking(datetime.date(2024, 6, 1))
    for _i in range(n):
        s = SigningFactory(
            event=event,
            amount=Decimal("1000000"),
            signed_on=datetime.date(2024, 6, 1),
            product=None,
        )
        services.record_disbursement(
            signing=s, amount=Decimal("1000"), disbursed_on=datetime.date(2024, 7, 1)
        )
        NeedFactory(posted_on=datetime.date(2024, 2, 1))
        ProductFactory()


@pytest.mark.parametrize("n", [3, 30])
def test_figures_query_count_is_flat(n, django_assert_num_queries):
    build(n)
    # 1 event counts by kind, 3 signing aggregates (total, on-site, distinct enterprises),
    # 1 disbursed total, 1 products launched count, 1 need counts, 1 scheme lookup (none here),
    # 1 signed by bank, 1 distinct institutions at the matchmaking events.
    with django_assert_num_queries(10):
        metrics.figures(2024)


def test_signed_by_bank_distribution():
    first = SigningFactory(amount=Decimal("3000000"), signed_on=datetime.date(2024, 5, 1))
    SigningFactory(bank=first.bank, amount=Decimal("1000000"), signed_on=datetime.date(2024, 6, 1))
    other = SigningFactory(amount=Decimal("500000"), signed_on=datetime.date(2024, 7, 1))
    figs = by_key(2024)
    assert figs[f"finance.by_bank.{first.bank_id}"].value == Decimal("4000000.00")
    assert figs[f"finance.by_bank.{first.bank_id}"].label == first.bank.name
    assert figs[f"finance.by_bank.{other.bank_id}"].records.count() == 1


def test_matchmaking_institutions_count_each_institution_once_in_its_year():
    """「N家金融机构参加」: distinct institutions at the year's 银企对接会, not at other events."""
    from tests.finance.factories import InstitutionFactory, activity_kind

    a, b, c = (InstitutionFactory(name=f"测试银行{i}") for i in range(3))

    def event(kind: str, day: datetime.date, *attending):
        activity = Activity.objects.create(kind=activity_kind(kind), date=day, topic=f"{kind}{day}")
        FinanceEventFactory(activity=activity).institutions.set(attending)

    event("bank_enterprise_matchmaking", datetime.date(2024, 3, 1), a)
    event("bank_enterprise_matchmaking", datetime.date(2024, 9, 1), a, b)
    event("gov_bank_meeting", datetime.date(2024, 5, 1), c)
    event("bank_enterprise_matchmaking", datetime.date(2023, 12, 31), c)

    def value(quarter=None):
        figures = {f.key: f for f in metrics.figures(2024, quarter)}
        return figures["finance.events.matchmaking_institutions"]

    assert value().value == 2 and set(value().records) == {a, b}
    assert value(1).value == 1  # year to date at the end of Q1: only the March event
