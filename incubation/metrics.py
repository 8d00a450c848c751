"""Figures of innovation carriers for the summary's section (一) (bureau.figures contract).

"New" means approved (已认定) with an approval date in the year (to the quarter's end);
"under application" means in 申报准备/已申报/审核中 at the period's end, and "held" approved by
then and valid on that day, each read from the application's status history through the shared
helper (bureau.asof), so a past year's summary stays what it was. Incubators by
level count each incubator at the level it held at the period's end, read from its approved
level applications (their approval dates, and the level each replaced), not its current
level, for the same reason (selectors.incubators_as_of). Eight queries (one aggregate per
group of figures); the records querysets are not evaluated here.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from bureau.figures import Figure
from bureau.models import IN_PROGRESS_STATUSES, Level

from .models import (
    ExitReason,
    IncubatorKind,
    IncubatorLevelApplication,
    PlatformRecognition,
    RDPlatform,
    RecognitionKind,
    Tenancy,
)
from .selectors import (
    approved_between,
    end_of_day,
    held_on,
    in_progress_as_of,
    incubators_as_of,
    period_bounds,
    with_status_as_of,
)

# What these figures read (bureau.figures.reads): the app's own records only (Enterprise only as
# the records behind a figure; status transitions count as changes of the application).
READS = ("incubation",)

SECTION = "一"
# Levels a figure is published for; county-level records still count in the totals.
FIGURE_LEVELS = (Level.NATIONAL, Level.PROVINCIAL, Level.MUNICIPAL)


def _counts(qs, keys: dict[str, Q]) -> dict[str, int]:
    return qs.aggregate(**{k: Count("pk", filter=q) for k, q in keys.items()})


def figures(year: int, quarter: int | None = None) -> list[Figure]:
    start, end = period_bounds(year, quarter)
    moment = end_of_day(end)

    def fig(key: str, label: str, unit: str, value: int, records, notes=()) -> Figure:
        return Figure(
            key=f"incubation.{key}",
            label=label,
            unit=unit,
            value=value,
            year=year,
            quarter=quarter,
            records=records,
            section=SECTION,
            notes=tuple(notes),
        )

    result: list[Figure] = []

    # R&D platforms (研发中心): new by level, and under application by level.
    new_platforms = approved_between(RDPlatform.objects.all(), start, end).select_related(
        "enterprise", "kind"
    )
    open_platforms = in_progress_as_of(RDPlatform.objects.all(), end)
    new_p = _counts(new_platforms, {lv: Q(level=lv) for lv in FIGURE_LEVELS})
    open_p = _counts(open_platforms, {lv: Q(level=lv) for lv in FIGURE_LEVELS})
    for level in FIGURE_LEVELS:
        name = Level(level).label
        result.append(
            fig(
                f"rd_platforms_new.{level}",
                _("新增%(level)s研发中心") % {"level": name},
                "个",
                new_p[level],
                new_platforms.filter(level=level).order_by("approved_on", "pk"),
            )
        )
        result.append(
            fig(
                f"rd_platforms_applying.{level}",
                _("正在申报的%(level)s研发中心") % {"level": name},
                "个",
                open_p[level],
                open_platforms.filter(level=level)
                .select_related("enterprise", "kind")
                .order_by("name", "pk"),
            )
        )

    # Platform recognitions: new and under application, by kind and level.
    new_recs = approved_between(PlatformRecognition.objects.all(), start, end).select_related(
        "enterprise"
    )
    open_recs = in_progress_as_of(PlatformRecognition.objects.all(), end)
    combos = {
        f"{kind}.{level}": Q(kind=kind, level=level)
        for kind in RecognitionKind.values
        for level in FIGURE_LEVELS
    }
    new_r = _counts(new_recs, {**combos, "all": Q()})
    open_r = _counts(open_recs, {**combos, "all": Q()})
    for kind in RecognitionKind:
        for level in FIGURE_LEVELS:
            key = f"{kind.value}.{level}"
            names = {"level": Level(level).label, "kind": kind.label}
            result.append(
                fig(
                    f"recognitions_new.{key}",
                    _("新增%(level)s%(kind)s") % names,
                    "个",
                    new_r[key],
                    new_recs.filter(kind=kind, level=level).order_by("approved_on", "pk"),
                )
            )
            result.append(
                fig(
                    f"recognitions_applying.{key}",
                    _("正在申报的%(level)s%(kind)s") % names,
                    "个",
                    open_r[key],
                    open_recs.filter(kind=kind, level=level)
                    .select_related("enterprise")
                    .order_by("pk"),
                )
            )
    result.append(
        fig(
            "recognitions_new",
            _("新增平台认定（数字化车间、智能工厂等）"),
            "个",
            new_r["all"],
            new_recs.order_by("approved_on", "pk"),
        )
    )
    result.append(
        fig(
            "recognitions_applying",
            _("正在申报的平台认定"),
            "个",
            open_r["all"],
            open_recs.select_related("enterprise").order_by("pk"),
        )
    )

    # Incubators by their level at the period's end, and those applying to move up then.
    incubators = incubators_as_of(end)
    inc = _counts(incubators, {lv: Q(level_then=lv) for lv in FIGURE_LEVELS})
    for level in FIGURE_LEVELS:
        result.append(
            fig(
                f"incubators.{level}",
                _("%(level)s孵化载体") % {"level": Level(level).label},
                "家",
                inc[level],
                incubators.filter(level_then=level).order_by("name"),
            )
        )
    applying = with_status_as_of(
        IncubatorLevelApplication.objects.select_related("incubator"), moment
    ).filter(status_then__in=IN_PROGRESS_STATUSES)
    # One query: the incubators applying, the level each strives for and its operator.
    striving: dict[str, None] = {}
    kinds = dict(IncubatorKind.choices)
    for name, level, operator, kind in applying.order_by("incubator__name", "pk").values_list(
        "incubator__name", "level", "incubator__operator", "incubator__kind"
    ):
        level_name = Level(level).label if level else ""
        # name | level striven for | operator | kind (孵化器, 众创空间 …)
        striving.setdefault(f"{name}|{level_name}|{operator}|{kinds.get(kind, '')}", None)
    result.append(
        fig(
            "incubators_applying",
            _("正在争创上一级的孵化载体"),
            "家",
            len({note.split("|", 1)[0] for note in striving}),
            applying.order_by("incubator__name", "pk"),
            notes=tuple(striving),
        )
    )

    # Tenants: in incubation at the period's end, new entries and graduations in the period.
    tenancies = Tenancy.objects.select_related("enterprise", "incubator")
    t = _counts(
        Tenancy.objects.all(),
        {
            "current": Q(entered_on__lte=end) & (Q(exited_on__isnull=True) | Q(exited_on__gt=end)),
            "entered": Q(entered_on__gte=start, entered_on__lte=end),
            "graduated": Q(
                exit_reason=ExitReason.GRADUATED, exited_on__gte=start, exited_on__lte=end
            ),
        },
    )
    result += [
        fig(
            "tenants",
            _("在孵企业"),
            "家",
            t["current"],
            tenancies.filter(entered_on__lte=end)
            .filter(Q(exited_on__isnull=True) | Q(exited_on__gt=end))
            .order_by("incubator__name", "enterprise__name"),
        ),
        fig(
            "tenants_entered",
            _("新入孵企业"),
            "家",
            t["entered"],
            tenancies.filter(entered_on__gte=start, entered_on__lte=end).order_by("entered_on"),
        ),
        fig(
            "tenants_graduated",
            _("毕业企业"),
            "家",
            t["graduated"],
            tenancies.filter(
                exit_reason=ExitReason.GRADUATED, exited_on__gte=start, exited_on__lte=end
            ).order_by("exited_on"),
        ),
    ]

    # R&D platforms held (approved and valid) at the period's end, by level: the dashboard's
    # "platforms by level" distribution.
    held = held_on(RDPlatform.objects.all(), end).select_related("enterprise", "kind")
    held_counts = _counts(held, {lv: Q(level=lv) for lv in Level.values})
    result += [
        fig(
            f"platforms.{lv}",
            _("%(level)s研发平台") % {"level": Level(lv).label},
            "个",
            held_counts[lv],
            held.filter(level=lv).order_by("enterprise__name", "name"),
        )
        for lv in Level.values
    ]
    return result
