"""Figures of the enterprise registry and of the tier ladder (summary section 四).

Each figure is the state at the period's end (bureau.asof): a qualification counts with its
status on the last day of the year or quarter, read from its history, and an enterprise with
its 在册 flag of that day; a later decision never moves a past period.
"""

import datetime
from collections.abc import Collection

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bureau.asof import matching_then, period_end, status_as_of, status_changed_as_of
from bureau.figures import Figure
from bureau.models import IN_PROGRESS_STATUSES, ApplicationStatus, Level, Target

from .models import Enterprise, Qualification, QualificationKind, QuarterlyFigures

# What these figures read (bureau.figures.reads): the registry, its qualifications (their
# status transitions count as changes of Qualification), quarterly figures with their periods,
# and next year's innovative-SME target.
READS = ("enterprises", "bureau.reportingperiod", "bureau.target")

# Applications that have actually been filed (已申报 or later), for "expected to apply".
FILED = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
)
INNOVATIVE_APPLICATIONS_KEY = "enterprises.innovative_sme_applications"


_period_end = period_end


def _registry_figures(year: int, quarter: int | None) -> list[Figure]:
    # 在册 at the period's end: struck off later still counts, struck off by then does not.
    registered = status_as_of(
        Enterprise.objects.all(), period_end(year, quarter), fields=("is_active",)
    ).filter(is_active_then=True)
    reported = QuarterlyFigures.objects.filter(period__year=year)
    if quarter:
        reported = reported.filter(period__quarter=quarter)
    # A semi-join (EXISTS) rather than a join: one row per enterprise, no DISTINCT to sort.
    has_reported = Exists(reported.filter(enterprise=OuterRef("pk")))
    counts = registered.aggregate(n=Count("id"), reported=Count("id", filter=Q(has_reported)))
    return [
        Figure(
            key="enterprises.registered",
            label=_("在册企业"),
            unit="家",
            value=counts["n"],
            year=year,
            quarter=quarter,
            records=registered.select_related("zone"),
        ),
        Figure(
            key="enterprises.quarterly_reporting",
            label=_("报送季度数据的企业"),
            unit="家",
            value=counts["reported"],
            year=year,
            quarter=quarter,
            records=registered.filter(has_reported),
        ),
    ]


def ladder_conditions(year: int, quarter: int | None = None) -> dict[str, Q]:
    """The condition behind each ladder figure of `year` (to the quarter), on `ladder(year,
    quarter)`: qualifications with `status_then`, their status at the period's end."""
    start, end = datetime.date(year, 1, 1), _period_end(year, quarter)

    # Cheap column tests first, the status as of the day last: SQL evaluates the status
    # expression only for the rows the others let through.
    # The status then as asof.matching_then states it, so that a filtered count (reports'
    # narrow(), a WHERE over these conditions) is estimated from the columns, not guessed.
    def status_then(**lookups) -> Q:
        return matching_then(Qualification, end, **lookups)

    approved_then = status_then(status=ApplicationStatus.APPROVED)

    def new_in_period(**more) -> Q:
        return Q(approved_on__range=(start, end), **more) & approved_then

    result = {
        # 新培育高企: recognised (approved) within the year.
        "hitech_new": new_in_period(kind__code="hitech"),
        # 科小入库: registrations of the year's batch (a number is valid for its year only).
        "tech_sme_registered": Q(kind__code="tech_sme", batch_year=year, approved_on__lte=end)
        & approved_then,
        # 新调整战略新兴产业入库: added to the register within the year.
        "strategic_new": new_in_period(kind__code="strategic_emerging"),
        # 专精特新 under review (审核中) in the year's batch, at provincial level.
        "specialised_under_review": Q(
            kind__code="specialised_sme", batch_year=year, level=Level.PROVINCIAL
        )
        & status_then(status=ApplicationStatus.UNDER_REVIEW),
        # Innovative-SME applications filed for the year's batch (tracked against a target).
        "innovative_sme_applications": Q(kind__code="innovative_sme", batch_year=year)
        & status_then(status__in=FILED),
    }
    for level in Level:
        result[f"little_giant_new_{level.value}"] = new_in_period(
            kind__code="little_giant", level=level.value
        )
    return result


def ladder(year: int, quarter: int | None = None):
    """Qualifications with `status_then`: their status at the end of the period."""
    return Qualification.objects.status_as_of(_period_end(year, quarter))


def _records(qs, condition: Q):
    return (
        qs.filter(condition).select_related("enterprise", "kind").order_by("enterprise__name", "pk")
    )


# Labels are Chinese msgids, translated when `figures()` runs (in the reader's language); the
# unit stays as it is (reports/ compares it).
LABELS = {
    "hitech_new": (gettext_noop("新培育高新技术企业"), "家"),
    "tech_sme_registered": (gettext_noop("科技型中小企业入库"), "家"),
    "strategic_new": (gettext_noop("新调整战略性新兴产业入库企业"), "家"),
    "specialised_under_review": (gettext_noop("省级专精特新中小企业正在审核"), "家"),
    "innovative_sme_applications": (gettext_noop("创新型中小企业申报"), "家"),
}
# 新培育{level}专精特新“小巨人”企业, one figure per level (Level's translated label).
LITTLE_GIANT_LABEL = gettext_noop("新培育%(level)s专精特新“小巨人”企业")


def ladder_labels() -> dict[str, tuple[str, str]]:
    """(label in the active language, unit) of each ladder figure, by key without app prefix."""
    result = {key: (_(label), unit) for key, (label, unit) in LABELS.items()}
    for level in Level:
        result[f"little_giant_new_{level.value}"] = (
            _(LITTLE_GIANT_LABEL) % {"level": level.label},
            "家",
        )
    return result


def figures(
    year: int, quarter: int | None = None, *, keys: Collection[str] | None = None
) -> list[Figure]:
    """Registry figures and the ladder figures of section 四 for the year (to the quarter).

    Queries: 1 for the registry counts, 1 aggregate over qualifications for every ladder
    count, 2 for the tiers held at the period's end (kinds, counts), 1 for next year's
    innovative-SME target, 2 for expired and stalled ones, 1 for the applications open at the
    period's end by kind. With `keys` (the figures a caller needs), groups none of whose
    figures is asked for are skipped, with their queries.
    """

    def wanted(*prefixes: str) -> bool:
        return keys is None or any(k.startswith(prefixes) for k in keys)

    result = []
    if wanted("enterprises.registered", "enterprises.quarterly_reporting"):
        result += _registry_figures(year, quarter)
    labels = ladder_labels()
    if wanted(*(f"enterprises.{key}" for key in labels)):
        conditions = ladder_conditions(year, quarter)
        qualifications = ladder(year, quarter)
        counts = qualifications.aggregate(
            **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
        )
        for key, (label, unit) in labels.items():
            result.append(
                Figure(
                    key=f"enterprises.{key}",
                    label=label,
                    unit=unit,
                    value=counts[key],
                    year=year,
                    quarter=quarter,
                    records=_records(qualifications, conditions[key]),
                    section="四",
                )
            )
    if wanted("enterprises.tiers."):
        result.extend(_tier_distribution(year, quarter))
    if wanted("enterprises.innovative_sme_expected"):
        result.append(_innovative_expected(year, quarter))
    if wanted("enterprises.expired_not_renewed", "enterprises.applications_stalled"):
        result.extend(_follow_up(year, quarter))
    if wanted(PENDING_PREFIX):
        result.extend(_pending(year, quarter))
    return result


PENDING_PREFIX = "enterprises.applications_pending."


def _pending(year: int, quarter: int | None) -> list[Figure]:
    """Applications still open at the period's end (申报准备/已申报/审核中, as they stood that
    day), one figure per qualification kind that has any: next year's pipeline (summary
    section 四). Notes give the count by stage, 'status code|count'. One query."""
    qualifications = ladder(year, quarter)
    open_then = matching_then(
        Qualification, _period_end(year, quarter), status__in=IN_PROGRESS_STATUSES
    )
    rows = (
        qualifications.filter(open_then)
        .values_list("kind__code", "kind__name", "status_then")
        .annotate(n=Count("pk"))
        .order_by("kind__pk", "kind__code")
    )
    by_kind: dict[str, tuple[str, dict[str, int]]] = {}
    for code, name, status, n in rows:
        by_kind.setdefault(code, (name, {}))[1][status] = n
    return [
        Figure(
            key=f"{PENDING_PREFIX}{code}",
            label=_("正在申报的%(kind)s") % {"kind": name},
            unit="家",
            value=sum(stages.values()),
            year=year,
            quarter=quarter,
            records=_records(qualifications, open_then & Q(kind__code=code)),
            section="四",
            notes=tuple(f"{s}|{stages[s]}" for s in IN_PROGRESS_STATUSES if stages.get(s)),
        )
        for code, (name, stages) in by_kind.items()
    ]


# An application still submitted or under review this many days after its last status change
# is "stalled" (the summary's section 三 asks why).
STALL_DAYS = 180


def _by_kind_notes(rows) -> tuple[str, ...]:
    """'kind name|count' for each kind among the rows, most first."""
    counts: dict[str, int] = {}
    for (name,) in rows:
        counts[name] = counts.get(name, 0) + 1
    return tuple(f"{n}|{c}" for n, c in sorted(counts.items(), key=lambda i: (-i[1], i[0])))


def _follow_up(year: int, quarter: int | None) -> list[Figure]:
    """Qualifications that expired in the period with no renewal behind them, and applications
    stalled in a stage at the period's end (two queries; notes count them by kind)."""
    start, end = datetime.date(year, 1, 1), _period_end(year, quarter)
    # Both the lapsed title and any renewal behind it as they stood at the period's end: a
    # renewal filed later does not move this period's figure.
    renewal = status_as_of(
        Qualification.objects.filter(enterprise=OuterRef("enterprise"), kind=OuterRef("kind")),
        end,
    ).filter(
        matching_then(Qualification, end, status__in=(ApplicationStatus.PREPARING, *FILED[:2]))
        | matching_then(Qualification, end, status=ApplicationStatus.APPROVED)
        & (Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("valid_to")))
    )
    expired = (
        status_as_of(Qualification.objects.all(), end)
        .filter(valid_to__gte=start, valid_to__lt=end)
        .filter(matching_then(Qualification, end, status=ApplicationStatus.APPROVED))
        .filter(~Exists(renewal))
    )
    moment = timezone.make_aware(datetime.datetime.combine(end, datetime.time.max))
    stalled = (
        status_changed_as_of(status_as_of(Qualification.objects.all(), end), end)
        .filter(matching_then(Qualification, end, status__in=FILED[:2]))
        .filter(status_changed_then__lte=moment - datetime.timedelta(days=STALL_DAYS))
    )
    expired_notes = _by_kind_notes(expired.values_list("kind__name"))
    stalled_notes = _by_kind_notes(stalled.values_list("kind__name"))
    return [
        Figure(
            key="enterprises.expired_not_renewed",
            label=_("资质到期未续期的企业资质"),
            unit="项",
            value=sum(int(n.rsplit("|", 1)[1]) for n in expired_notes),
            year=year,
            quarter=quarter,
            records=_records(Qualification.objects.all(), Q(pk__in=expired.values("pk"))),
            section="四",
            notes=expired_notes,
        ),
        Figure(
            key="enterprises.applications_stalled",
            label=_("停留在申报或审核环节超过半年的申请"),
            unit="项",
            value=sum(int(n.rsplit("|", 1)[1]) for n in stalled_notes),
            year=year,
            quarter=quarter,
            records=_records(Qualification.objects.all(), Q(pk__in=stalled.values("pk"))),
            section="四",
            notes=stalled_notes,
        ),
    ]


def _innovative_expected(year: int, quarter: int | None) -> Figure:
    """创小预计申报: next year's planned number (a Target), with next year's batch behind it as
    it stood at the period's end (neither withdrawn nor rejected by then, and entered by then)."""
    target = Target.objects.filter(year=year + 1, figure_key=INNOVATIVE_APPLICATIONS_KEY).first()
    next_batch = Q(kind__code="innovative_sme", batch_year=year + 1) & ~Q(
        status_then__in=("", ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED)
    )
    return Figure(
        key="enterprises.innovative_sme_expected",
        label=_("创新型中小企业预计申报"),
        unit="家",
        value=int(target.target_value) if target else None,
        year=year,
        quarter=quarter,
        records=_records(ladder(year, quarter), next_batch),
        section="四",
    )


def _tier_distribution(year: int, quarter: int | None) -> list[Figure]:
    """Enterprises holding each tier (approved by then and valid) on the period's last day, by
    kind: `enterprises.tiers.<kind code>`, the dashboard's tier distribution."""
    day = _period_end(year, quarter)
    held = Qualification.objects.valid_as_of(day)
    counts = dict(
        held.values_list("kind__code").annotate(n=Count("enterprise", distinct=True)).order_by()
    )
    return [
        Figure(
            key=f"enterprises.tiers.{kind.code}",
            label=kind.name,
            unit="家",
            value=counts.get(kind.code, 0),
            year=year,
            quarter=quarter,
            records=_records(held, Q(kind=kind)),
            section="四",
        )
        for kind in QualificationKind.objects.order_by("pk")
    ]
