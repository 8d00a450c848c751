"""The leadership section of technology finance: signed and disbursed by quarter, by bank and
by product, needs open versus met, and the guarantee scheme's stage, for one year.

A constant number of queries whatever the number of records (see tests/finance/test_views.py).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractQuarter

from . import metrics
from .models import SCHEME_STAGE_ORDER, Disbursement, GuaranteeScheme, SchemeStage, Signing

TILES = (
    "signed_on_site",
    "signed_amount",
    "disbursed_amount",
    "enterprises_financed",
    "events.gov_bank_meeting",
    "events.bank_enterprise_matchmaking",
    "products_launched",
    "needs_posted",
)


@dataclass
class Row:
    label: str
    signed: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)
    count: int = 0
    pct: int = 0  # bar width: signed as a share of the largest row


def _scale(rows: list[Row]) -> list[Row]:
    top = max((r.signed for r in rows), default=Decimal(0))
    for r in rows:
        r.pct = int(r.signed * 100 / top) if top else 0
    return rows


@dataclass
class Overview:
    year: int
    figures: dict
    tiles: list
    by_quarter: list[Row]
    by_bank: list[Row]
    by_product: list[Row]
    scheme: GuaranteeScheme | None
    scheme_stages: list[tuple[str, str, bool, bool]] = field(default_factory=list)

    @property
    def needs_total(self) -> int:
        return (self.figures["needs_open"].value or 0) + (self.figures["needs_met"].value or 0)


def overview(year: int) -> Overview:
    figs = {f.key.split(".", 1)[1]: f for f in metrics.figures(year)}
    signings = Signing.objects.filter(signed_on__year=year)
    disbursements = Disbursement.objects.filter(disbursed_on__year=year)

    quarters = {q: Row(label=f"Q{q}") for q in range(1, 5)}
    for row in (
        signings.annotate(q=ExtractQuarter("signed_on"))
        .values("q")
        .annotate(s=Sum("amount"), n=Count("id"))
        .order_by()
    ):
        quarters[row["q"]].signed, quarters[row["q"]].count = row["s"], row["n"]
    for row in (
        disbursements.annotate(q=ExtractQuarter("disbursed_on"))
        .values("q")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        quarters[row["q"]].disbursed = row["s"]

    banks: dict[int, Row] = {}
    for row in (
        signings.values("bank_id", "bank__name", "bank__short_name")
        .annotate(s=Sum("amount"), n=Count("id"))
        .order_by()
    ):
        label = row["bank__short_name"] or row["bank__name"]
        banks[row["bank_id"]] = Row(label=label, signed=row["s"], count=row["n"])
    for row in (
        disbursements.values("signing__bank_id", "signing__bank__name", "signing__bank__short_name")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        bank = banks.setdefault(
            row["signing__bank_id"],
            Row(label=row["signing__bank__short_name"] or row["signing__bank__name"]),
        )
        bank.disbursed = row["s"]

    products = [
        Row(label=row["product__name"] or "", signed=row["s"], count=row["n"])
        for row in signings.values("product__name")
        .annotate(s=Sum("amount"), n=Count("id"))
        .order_by()
    ]

    scheme, stage = metrics.scheme_stage_on(metrics.period_bounds(year)[1])
    stages = []
    if scheme is not None and stage is not None:
        reached = SCHEME_STAGE_ORDER.index(stage)
        stages = [
            (code, str(SchemeStage(code).label), i < reached, i == reached)
            for i, code in enumerate(SCHEME_STAGE_ORDER)
        ]
    return Overview(
        year=year,
        figures=figs,
        tiles=[figs[k] for k in TILES],
        by_quarter=_scale(list(quarters.values())),
        by_bank=_scale(sorted(banks.values(), key=lambda r: (-r.signed, r.label))),
        by_product=_scale(sorted(products, key=lambda r: (-r.signed, r.label))),
        scheme=scheme,
        scheme_stages=stages,
    )
