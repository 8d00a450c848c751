"""Figures of section (三) 强化创新人才支撑，深化产学研合作.

A year's figure is taken at the end of the period (the year, or the quarter when given):
the roster as it stood that day, agreements in force at some point of the year up to that day,
demands raised in the year up to that day, activities held in the year up to that day.
Statuses are those of that day (bureau.asof): a subsidy approved by then (its approval date),
a demand unsolved then, an exchange still planned then; a later decision or a later visit never
moves a past period. An activity's own date says when it was held, so whether it was held or
cancelled is read as it is now (a correction of that fact applies to its date).
One aggregate query per source table, whatever the number of rows.
"""

import datetime
from collections.abc import Collection
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from bureau.asof import status_as_of
from bureau.figures import Figure
from bureau.models import Activity

from .models import (
    DEPUTY_SENIOR_AND_ABOVE,
    MASTER_AND_ABOVE,
    TALENT_ACTIVITY_KINDS,
    CooperationAgreement,
    DemandStatus,
    Talent,
    TalentActivity,
    TalentActivityStatus,
    TalentApplication,
    TalentCategory,
    TechnologyDemand,
)
from .selectors import on_roster

# What these figures read (bureau.figures.reads): the app's own records (talent details of
# activities, institutions) and the bureau's activities of talent kinds.
READS = ("talent", "bureau.activity", "bureau.activitykind")

SECTION = "（三）"
# How many topics of the activities held a figure names (Figure.notes).
NOTED_TOPICS = 5


def period_bounds(year: int, quarter: int | None = None) -> tuple[datetime.date, datetime.date]:
    """First day of the year and last day of the period (quarter end, or 31 December)."""
    start = datetime.date(year, 1, 1)
    if quarter:
        end = (
            datetime.date(year, 12, 31)
            if quarter == 4
            else datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)
        )
    else:
        end = datetime.date(year, 12, 31)
    return start, end


def roster_at(day: datetime.date):
    return on_roster(Talent.objects.all(), day)


def agreements_in_force(start: datetime.date, end: datetime.date):
    return CooperationAgreement.objects.filter(signed_on__lte=end).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=start)
    )


ROSTER_KEYS = frozenset(
    f"talent.{key}"
    for key in ("roster_total", "executives", "deputy_senior_and_above", "master_and_above")
)


def figures(
    year: int, quarter: int | None = None, *, keys: Collection[str] | None = None
) -> list[Figure]:
    """Talent roster counts, cooperation, demands, trainings and subsidies of the period.
    With `keys` asking for roster figures only (the dashboard's quarter trends), only those
    are computed, in one query."""
    start, end = period_bounds(year, quarter)

    roster = roster_at(end)
    executives = roster.filter(category=TalentCategory.EXECUTIVE)
    senior = roster.filter(title_level__in=DEPUTY_SENIOR_AND_ABOVE)
    masters = roster.filter(education__in=MASTER_AND_ABOVE)
    counts = roster.aggregate(
        total=Count("id"),
        executives=Count("id", filter=Q(category=TalentCategory.EXECUTIVE)),
        senior=Count("id", filter=Q(title_level__in=DEPUTY_SENIOR_AND_ABOVE)),
        masters=Count("id", filter=Q(education__in=MASTER_AND_ABOVE)),
    )

    def figure(key: str, label: str, unit: str, value, records, notes=()) -> Figure:
        return Figure(
            key=f"talent.{key}",
            label=label,
            unit=unit,
            value=value,
            year=year,
            quarter=quarter,
            records=records,
            section=SECTION,
            notes=tuple(notes),
        )

    talent_order = ("enterprise__name", "pk")
    roster_figures = [
        figure(
            "roster_total",
            _("在册人才"),
            "人",
            counts["total"],
            roster.select_related("enterprise").order_by(*talent_order),
        ),
        figure(
            "executives",
            _("企业高管"),
            "人",
            counts["executives"],
            executives.select_related("enterprise").order_by(*talent_order),
        ),
        figure(
            "deputy_senior_and_above",
            _("副高级职称以上人才"),
            "人",
            counts["senior"],
            senior.select_related("enterprise").order_by(*talent_order),
        ),
        figure(
            "master_and_above",
            _("硕士学历以上人才"),
            "人",
            counts["masters"],
            masters.select_related("enterprise").order_by(*talent_order),
        ),
    ]
    if keys is not None and all(k in ROSTER_KEYS for k in keys if k.startswith("talent")):
        return roster_figures  # the quarter trends: the roster's counts only (1 query)

    agreements = agreements_in_force(start, end)
    cooperating = agreements.aggregate(n=Count("enterprise", distinct=True), value=Sum("value"))

    # A demand its enterprise withdrew (by the period's end) is no demand of the period.
    demands = status_as_of(
        TechnologyDemand.objects.filter(raised_on__gte=start, raised_on__lte=end), end
    ).exclude(status_then=DemandStatus.WITHDRAWN)
    demand_counts = demands.aggregate(
        enterprises=Count("enterprise", distinct=True),
        unsolved=Count("id", filter=~Q(status_then=DemandStatus.SOLVED)),
    )

    # Every bureau activity of a talent kind counts, unless its talent detail says it is only
    # planned or was cancelled.
    held = Activity.objects.filter(
        kind__code__in=TALENT_ACTIVITY_KINDS, date__gte=start, date__lte=end
    ).exclude(
        talent_detail__status__in=(TalentActivityStatus.PLANNED, TalentActivityStatus.CANCELLED)
    )
    planned = (
        status_as_of(TalentActivity.objects.all(), end)
        .filter(
            status_then=TalentActivityStatus.PLANNED,
            planned_on__gte=start,
            planned_on__lte=end,
            institutions__isnull=False,
        )
        .distinct()
    )
    # One query each, rows rather than a count: the summary names the topics held and the
    # institutions invited (Figure.notes).
    held_topics = list(held.order_by("date", "pk").values_list("topic", flat=True))
    planned_ids: dict[int, None] = {}
    invited: dict[str, None] = {}
    for pk, name, short in planned.order_by("planned_on", "pk").values_list(
        "pk", "institutions__name", "institutions__short_name"
    ):
        planned_ids.setdefault(pk, None)
        if name:
            invited.setdefault(f"{name}（{short}）" if short and short != name else name, None)
    activity_counts = {"held": len(held_topics), "planned": len(planned_ids)}

    approved = TalentApplication.objects.approved_as_of(end).filter(approved_on__gte=start)
    money = approved.aggregate(
        n=Count("id"),
        granted=Sum("amount_granted"),
        paid=Sum("amount_paid"),
    )

    return [
        *roster_figures,
        figure(
            "enterprises_cooperating",
            _("有产学研合作的企业"),
            "家",
            cooperating["n"],
            agreements.select_related("enterprise", "institution").order_by(
                "enterprise__name", "signed_on", "pk"
            ),
        ),
        figure(
            "agreement_value",
            _("产学研合作合同金额"),
            "元",
            cooperating["value"] or Decimal("0"),
            agreements.select_related("enterprise", "institution").order_by("-value", "pk"),
        ),
        figure(
            "enterprises_with_demands",
            _("有技术需求的企业"),
            "家",
            demand_counts["enterprises"],
            demands.select_related("enterprise").order_by("enterprise__name", "raised_on", "pk"),
        ),
        figure(
            "unsolved_demands",
            _("尚未解决的技术需求"),
            "项",
            demand_counts["unsolved"],
            demands.exclude(status_then=DemandStatus.SOLVED)
            .select_related("enterprise")
            .order_by("raised_on", "pk"),
        ),
        figure(
            "trainings_held",
            _("人才培训与交流活动"),
            "次",
            activity_counts["held"],
            held.select_related("kind").order_by("date", "pk"),
            notes=held_topics[:NOTED_TOPICS],
        ),
        figure(
            "planned_exchanges",
            _("拟邀请高校院所交流座谈"),
            "次",
            activity_counts["planned"],
            planned.select_related("activity__kind").order_by("activity__date", "pk"),
            notes=invited,
        ),
        figure(
            "applications_approved",
            _("人才项目获批"),
            "项",
            money["n"],
            approved.select_related("programme", "enterprise").order_by("approved_on", "pk"),
        ),
        figure(
            "subsidies_granted",
            _("人才项目核定资金"),
            "元",
            money["granted"] or Decimal("0"),
            approved.select_related("programme", "enterprise").order_by("approved_on", "pk"),
        ),
        figure(
            "subsidies_paid",
            _("人才项目已拨付资金"),
            "元",
            money["paid"] or Decimal("0"),
            approved.filter(amount_paid__gt=0)
            .select_related("programme", "enterprise")
            .order_by("paid_on", "pk"),
        ),
    ]
