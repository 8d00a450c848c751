"""Figures of technology finance (summary section 五) for a year, or the year to a quarter's end.

Money figures are published in 元, as every app publishes them (reports/ shows 万元 or 亿元); the
seed's "今年累计现场签约2亿元" is `finance.signed_on_site` = 200,000,000.00 元. A constant number of
queries: one aggregate per figure, one for the events by kind and two for the scheme stage.

A figure is the state at the period's end (bureau.asof): a financing need counts as open if it
was open that day, by its history, and as met from its 满足日期, even when recorded later.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from bureau.asof import status_as_of
from bureau.figures import Figure

from .models import (
    FINANCE_ACTIVITY_KINDS,
    GOV_BANK_MEETING,
    MATCHMAKING,
    SCHEME_STAGE_ORDER,
    Disbursement,
    FinanceEvent,
    FinancialProduct,
    FinancingNeed,
    GuaranteeScheme,
    Institution,
    NeedStatus,
    SchemeStage,
    SchemeStageEntry,
    Signing,
)

# What these figures read (bureau.figures.reads): the app's own records and the activities its
# events are (dates, kinds).
READS = ("finance", "bureau.activity", "bureau.activitykind")

SECTION = "五"


def period_bounds(year: int, quarter: int | None = None) -> tuple[datetime.date, datetime.date]:
    """First and last day counted: the whole year, or 1 January to the quarter's last day."""
    start = datetime.date(year, 1, 1)
    if not quarter or quarter == 4:
        return start, datetime.date(year, 12, 31)
    return start, datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


def to_yuan(amount: Decimal | int | None) -> Decimal:
    """An amount in 元 to two decimals (None counts as 0)."""
    return Decimal(amount or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def scheme_stage_on(day: datetime.date) -> tuple[GuaranteeScheme | None, str | None]:
    """The most recently started guarantee scheme and the stage it was at on `day`."""
    scheme = (
        GuaranteeScheme.objects.filter(stage_entries__entered_on__lte=day)
        .select_related("bank", "guarantor")
        .distinct()
        .order_by("-pk")
        .first()
    )
    if scheme is None:
        return None, None
    entry = (
        SchemeStageEntry.objects.filter(scheme=scheme, entered_on__lte=day)
        .order_by("-entered_on", "-pk")
        .first()
    )
    return scheme, entry.stage if entry else None


def _signings(start: datetime.date, end: datetime.date) -> QuerySet[Signing]:
    return (
        Signing.objects.filter(signed_on__range=(start, end))
        .select_related("enterprise", "bank", "product")
        .order_by("signed_on", "pk")
    )


def figures(year: int, quarter: int | None = None) -> list[Figure]:
    start, end = period_bounds(year, quarter)

    def fig(key: str, label: str, unit: str, value, records, notes=()) -> Figure:
        return Figure(
            key=f"finance.{key}",
            label=label,
            unit=unit,
            value=value,
            year=year,
            quarter=quarter,
            records=records,
            section=SECTION,
            notes=tuple(notes),
        )

    events = (
        FinanceEvent.objects.filter(activity__date__range=(start, end))
        .select_related("activity__kind")
        .order_by("activity__date", "pk")
    )
    event_counts = dict(
        events.filter(activity__kind__code__in=FINANCE_ACTIVITY_KINDS)
        .values_list("activity__kind__code")
        .annotate(n=Count("id"))
        .order_by()
    )

    # Institutions that came to the period's bank-enterprise matchmaking events (银企对接会), each
    # once however many events it attended: the summary's "N家金融机构参加".
    matchmaking_institutions = (
        Institution.objects.filter(
            events__activity__kind__code=MATCHMAKING, events__activity__date__range=(start, end)
        )
        .distinct()
        .order_by("kind", "name")
    )
    matchmaking_institution_count = matchmaking_institutions.count()

    signings = _signings(start, end)
    on_site = signings.filter(event__activity__kind__code=MATCHMAKING)
    signed_total = signings.aggregate(s=Sum("amount"))["s"]
    on_site_total = on_site.aggregate(s=Sum("amount"))["s"]
    financed = signings.aggregate(n=Count("enterprise", distinct=True))["n"]

    disbursements = (
        Disbursement.objects.filter(disbursed_on__range=(start, end))
        .select_related("signing__enterprise", "signing__bank")
        .order_by("disbursed_on", "pk")
    )
    disbursed_total = disbursements.aggregate(s=Sum("amount"))["s"]

    launched = (
        FinancialProduct.objects.filter(launched_on__range=(start, end))
        .select_related("provider")
        .order_by("launched_on", "pk")
    )

    product_names = list(launched.values_list("name", flat=True))

    needs_then = status_as_of(FinancingNeed.objects.all(), end, fields=("status", "met_on"))
    needs = needs_then.select_related("enterprise").order_by("posted_on", "pk")
    # Met by a date: today's record says so (a 满足日期 entered late), or the record of then.
    met_by = Q(status=NeedStatus.MET, met_on__lte=end) | Q(
        status_then=NeedStatus.MET, met_on_then__lte=end
    )
    met_in_period = Q(status=NeedStatus.MET, met_on__range=(start, end)) | Q(
        status_then=NeedStatus.MET, met_on_then__range=(start, end)
    )
    # Open at the period's end: posted by then, and neither met nor withdrawn by then.
    open_then = Q(posted_on__lte=end) & ~met_by & ~Q(status_then=NeedStatus.WITHDRAWN)
    posted = needs.filter(posted_on__range=(start, end))
    met = needs.filter(met_in_period)
    still_open = needs.filter(open_then)
    need_counts = needs_then.aggregate(
        posted=Count("id", filter=Q(posted_on__range=(start, end))),
        met=Count("id", filter=met_in_period),
        open=Count("id", filter=open_then),
    )

    scheme, stage = scheme_stage_on(end)
    scheme_notes: tuple[str, ...] = ()
    if scheme is not None and stage is not None:
        following = SCHEME_STAGE_ORDER.index(stage) + 1
        # (name, stage, next stage or "", bank, guarantor): what the summary says of it.
        scheme_notes = (
            scheme.name,
            str(SchemeStage(stage).label),
            str(SchemeStage(SCHEME_STAGE_ORDER[following]).label)
            if following < len(SCHEME_STAGE_ORDER)
            else "",
            scheme.bank.name,
            scheme.guarantor.name,
        )
        stage_label = _("“%(n)s”所处阶段：%(s)s") % {
            "n": scheme.name,
            "s": SchemeStage(stage).label,
        }
        stage_value: int | None = SCHEME_STAGE_ORDER.index(stage) + 1
        stage_records = SchemeStageEntry.objects.filter(
            scheme=scheme, entered_on__lte=end
        ).order_by("entered_on", "pk")
    else:
        stage_label, stage_value = _("担保计划所处阶段"), None
        stage_records = SchemeStageEntry.objects.none()

    # Signed by bank: the dashboard's financing distribution (one query).
    by_bank = [
        fig(
            f"by_bank.{row['bank_id']}",
            row["bank__name"],
            _("元"),
            to_yuan(row["s"]),
            signings.filter(bank_id=row["bank_id"]),
        )
        for row in signings.values("bank_id", "bank__name")
        .annotate(s=Sum("amount"))
        .order_by("-s", "bank__name")
    ]

    return by_bank + [
        fig(
            "events.gov_bank_meeting",
            _("政银推进会"),
            _("次"),
            event_counts.get(GOV_BANK_MEETING, 0),
            events.filter(activity__kind__code=GOV_BANK_MEETING),
        ),
        fig(
            "events.bank_enterprise_matchmaking",
            _("银企对接会"),
            _("次"),
            event_counts.get(MATCHMAKING, 0),
            events.filter(activity__kind__code=MATCHMAKING),
        ),
        fig(
            "events.matchmaking_institutions",
            _("参加银企对接会的金融机构"),
            _("家"),
            matchmaking_institution_count,
            matchmaking_institutions,
        ),
        fig(
            "signed_on_site",
            _("银企对接会现场签约金额"),
            _("元"),
            to_yuan(on_site_total),
            on_site,
        ),
        fig("signed_amount", _("签约金额"), _("元"), to_yuan(signed_total), signings),
        fig("disbursed_amount", _("放款金额"), _("元"), to_yuan(disbursed_total), disbursements),
        fig(
            "enterprises_financed",
            _("获得融资签约的企业"),
            _("家"),
            financed,
            signings.order_by("enterprise_id", "signed_on", "pk"),
        ),
        fig(
            "products_launched",
            _("新推出金融产品"),
            _("个"),
            len(product_names),
            launched,
            product_names,
        ),
        fig("needs_posted", _("登记融资需求"), _("项"), need_counts["posted"], posted),
        fig("needs_met", _("已满足融资需求"), _("项"), need_counts["met"], met),
        fig("needs_open", _("待对接融资需求"), _("项"), need_counts["open"], still_open),
        fig("scheme_stage", stage_label, _("/6阶段"), stage_value, stage_records, scheme_notes),
    ]
