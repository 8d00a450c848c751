"""Reads of the incubation app shared by pages, exports, figures and the dashboard section.

Each function owns its joins and aggregates; `*_get_for_user` functions are the one gate that
decides who may see a record (404 otherwise).
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.utils import timezone

from bureau import asof
from bureau.concurrency import annotate_edit_tokens
from bureau.models import IN_PROGRESS_STATUSES, ApplicationStatus, ApplicationTransition, Level
from bureau.roles import Role

from .conditions import IncubatorFacts, LevelCheck, check_level, years_between
from .models import (
    OPEN_STATUSES,
    ExitReason,
    Incubator,
    IncubatorLevelApplication,
    PlatformRecognition,
    RDPlatform,
    RecognitionKind,
    Tenancy,
)

# The order levels are shown in, highest first.
LEVEL_ORDER = [Level.NATIONAL, Level.PROVINCIAL, Level.MUNICIPAL, Level.COUNTY]
NEXT_LEVEL = {
    "": Level.COUNTY,
    Level.COUNTY: Level.MUNICIPAL,
    Level.MUNICIPAL: Level.PROVINCIAL,
    Level.PROVINCIAL: Level.NATIONAL,
}


# --- Periods -----------------------------------------------------------------------------------


def period_bounds(year: int, quarter: int | None = None) -> tuple[datetime.date, datetime.date]:
    """First and last day of the year, or of the year up to the quarter's end (year to date)."""
    start = datetime.date(year, 1, 1)
    if not quarter or quarter == 4:
        return start, datetime.date(year, 12, 31)
    return start, datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of `day` in the portal's time zone."""
    return asof.end_of_day(day)


def with_status_as_of(qs: QuerySet, moment: datetime.datetime) -> QuerySet:
    """Annotate `status_then`: each application's status at `moment` (bureau.asof)."""
    return asof.status_as_of(qs, moment)


def in_progress_as_of(qs: QuerySet, day: datetime.date) -> QuerySet:
    """Applications under application (申报准备/已申报/审核中) at the end of `day`."""
    return with_status_as_of(qs, day).filter(
        asof.matching_then(qs.model, day, status__in=IN_PROGRESS_STATUSES)
    )


def approved_between(qs: QuerySet, start: datetime.date, end: datetime.date) -> QuerySet:
    """Applications approved (已认定) by the end of `end`, with an approval date from `start`."""
    return with_status_as_of(qs, end).filter(
        asof.matching_then(qs.model, end, status=ApplicationStatus.APPROVED), approved_on__gte=start
    )


def held_on(qs: QuerySet, day: datetime.date) -> QuerySet:
    """Approved by the end of `day` and valid on it (an open end counts as valid)."""
    return qs.valid_as_of(day)


# --- Access ------------------------------------------------------------------------------------


def _scoped(qs: QuerySet, user) -> QuerySet:
    """Bureau roles see all; an enterprise user sees its own enterprise's records only."""
    role = getattr(user, "role", None)
    if role is Role.ENTERPRISE_USER:
        return qs.filter(enterprise__accounts__user=user)
    if role is None:
        return qs.none()
    return qs


def platform_list_for_user(*, user) -> QuerySet[RDPlatform]:
    qs = RDPlatform.objects.select_related("enterprise", "enterprise__zone", "kind")
    return _scoped(qs, user)


def platform_get_for_user(*, user, pk: int) -> RDPlatform:
    try:
        return platform_list_for_user(user=user).get(pk=pk)
    except RDPlatform.DoesNotExist:
        raise Http404 from None


def recognition_list_for_user(*, user) -> QuerySet[PlatformRecognition]:
    qs = PlatformRecognition.objects.select_related("enterprise", "enterprise__zone")
    return _scoped(qs, user)


def recognition_get_for_user(*, user, pk: int) -> PlatformRecognition:
    try:
        return recognition_list_for_user(user=user).get(pk=pk)
    except PlatformRecognition.DoesNotExist:
        raise Http404 from None


def tenancy_list_for_user(*, user) -> QuerySet[Tenancy]:
    qs = Tenancy.objects.select_related("incubator", "enterprise")
    return _scoped(qs, user)


def incubator_list_for_user(*, user) -> QuerySet[Incubator]:
    """Incubators are the bureau's records: enterprise users see none here (their own
    tenancy shows on their portal page instead)."""
    role = getattr(user, "role", None)
    if role is None or role is Role.ENTERPRISE_USER:
        return Incubator.objects.none()
    return incubator_list()


# --- Incubators --------------------------------------------------------------------------------


def incubator_list() -> QuerySet[Incubator]:
    """Incubators with current tenants, recorded graduates and the level they are applying
    for (the open application's level, if any), in one query."""
    applying = (
        IncubatorLevelApplication.objects.filter(incubator=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by("-status_changed_at")
        .values("level")[:1]
    )
    return Incubator.objects.select_related("zone").annotate(
        current_tenants=Count("tenancies", filter=Q(tenancies__exited_on__isnull=True)),
        recorded_graduates=Count(
            "tenancies", filter=Q(tenancies__exit_reason=ExitReason.GRADUATED)
        ),
        applying_level=Subquery(applying, output_field=CharField()),
    )


def incubators_as_of(day: datetime.date) -> QuerySet[Incubator]:
    """Incubators operating on `day` (established by then, and active or closed only after
    `day`: a closed one without its closing date counts nowhere), with `level_then`: the
    level they held at the end of `day`.

    An incubator's level only changes through an approved level application, which records
    the level it replaced (`previous_level`). So on `day` it held the level of its last
    application approved on or before `day`; before its first approval, the level that
    approval replaced. An incubator with no approval after `day` counts at its current level,
    so this year's figure agrees with the incubator list even after a direct correction of
    the level in the admin or an import. Approval dates (认定日期), not the time the record was
    saved, decide: a backdated approval entered later counts from its own date. Two correlated
    subqueries in the same query, so the count of queries does not grow with incubators.
    """
    approved = IncubatorLevelApplication.objects.filter(
        incubator=OuterRef("pk"), status=ApplicationStatus.APPROVED, approved_on__isnull=False
    )
    later = approved.filter(approved_on__gt=day)
    granted = approved.filter(approved_on__lte=day).order_by(
        "-approved_on", "-status_changed_at", "-pk"
    )
    replaced = later.order_by("approved_on", "status_changed_at", "pk")
    return (
        Incubator.objects.filter(Q(is_active=True) | Q(closed_on__gt=day))
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=day))
        .annotate(
            level_then=Case(
                When(
                    Exists(later),
                    then=Coalesce(
                        Subquery(granted.values("level")[:1]),
                        Subquery(replaced.values("previous_level")[:1]),
                        Value(""),
                    ),
                ),
                default=F("level"),
                output_field=CharField(),
            )
        )
    )


def incubator_get_for_user(*, user, pk: int) -> Incubator:
    try:
        return incubator_list_for_user(user=user).get(pk=pk)
    except Incubator.DoesNotExist:
        raise Http404 from None


@dataclass
class TenantRow:
    tenancy: Tenancy
    figures: object | None  # the enterprise's AnnualFigures for the figures year, if any
    tiers: list[str]


@dataclass
class YearCount:
    year: int
    entered: int
    graduated: int
    exited: int


@dataclass
class IncubatorDetail:
    incubator: Incubator
    current: list[TenantRow]
    former: list[TenantRow]
    applications: list[IncubatorLevelApplication]
    by_year: list[YearCount]
    facts: IncubatorFacts
    check: LevelCheck | None
    target_level: str
    figures_year: int
    tiers_available: bool

    @property
    def target_label(self) -> str:
        return Level(self.target_level).label if self.target_level else ""

    @property
    def occupancy(self) -> int | None:
        """Current tenants as a percentage of capacity (None without a capacity)."""
        cap = self.incubator.capacity
        return round(len(self.current) * 100 / cap) if cap else None


def _tier_reader():
    """A reader of tenants' tiers from the tier ladder (enterprises/, built separately), or
    None while the enterprises app does not publish one.

    Uses `enterprises.selectors.held_titles(enterprise_ids, day) -> {id: {kind codes}}` and
    `ladder_kinds() -> [kind with code, name, short_name]` when both exist (two queries).
    """
    if not apps.is_installed("enterprises"):
        return None
    try:
        module = import_module("enterprises.selectors")
    except ImportError:
        return None
    held_titles = getattr(module, "held_titles", None)
    ladder_kinds = getattr(module, "ladder_kinds", None)
    if held_titles is None or ladder_kinds is None:
        return None

    def read(enterprise_ids: list[int], on: datetime.date) -> dict[int, list[str]]:
        kinds = list(ladder_kinds())
        held = held_titles(enterprise_ids, on)
        return {
            pk: [
                getattr(k, "short_name", "") or k.name for k in kinds if k.code in held.get(pk, ())
            ]
            for pk in enterprise_ids
        }

    return read


def tenant_tiers(enterprise_ids: list[int], on: datetime.date) -> dict[int, list[str]] | None:
    """Tier labels per enterprise, or None when the tier ladder is not available."""
    reader = _tier_reader()
    if reader is None:
        return None
    try:
        return reader(enterprise_ids, on)
    except (TypeError, AttributeError, LookupError):
        # A reader with another contract than the one above: leave the column out.
        return None


def incubator_detail(
    *, user, pk: int, figures_year: int | None = None, on: datetime.date | None = None
) -> IncubatorDetail:
    """An incubator with its tenants (and their figures and tiers), applications, yearly
    counts, and the check of the next level's conditions."""
    from enterprises.models import AnnualFigures

    on = on or timezone.localdate()
    figures_year = figures_year or on.year - 1
    incubator = incubator_get_for_user(user=user, pk=pk)
    tenancies = list(
        annotate_edit_tokens(Tenancy.objects.filter(incubator=incubator))
        .select_related("enterprise", "enterprise__zone")
        .prefetch_related(
            Prefetch(
                "enterprise__annual_figures",
                queryset=AnnualFigures.objects.filter(year=figures_year),
                to_attr="figures_of_year",
            )
        )
        .order_by("-entered_on", "-pk")
    )
    applications = list(
        IncubatorLevelApplication.objects.filter(incubator=incubator).order_by(
            "-status_changed_at", "-pk"
        )
    )
    timelines: dict[int, list[ApplicationTransition]] = {a.pk: [] for a in applications}
    if applications:
        for t in (
            ApplicationTransition.objects.filter(
                content_type__app_label="incubation",
                content_type__model="incubatorlevelapplication",
                object_id__in=list(timelines),
            )
            .select_related("by")
            .order_by("at", "pk")
        ):
            timelines[t.object_id].append(t)
    for a in applications:
        a.timeline = timelines[a.pk]
    tiers = tenant_tiers([t.enterprise_id for t in tenancies], on)

    def row(t: Tenancy) -> TenantRow:
        figs = t.enterprise.figures_of_year
        return TenantRow(t, figs[0] if figs else None, (tiers or {}).get(t.enterprise_id, []))

    current = [row(t) for t in tenancies if t.exited_on is None]
    former = [row(t) for t in tenancies if t.exited_on is not None]
    facts = incubator_facts(incubator, tenancies, on=on)
    open_app = next((a for a in applications if a.status in OPEN_STATUSES), None)
    target = open_app.level if open_app else NEXT_LEVEL.get(incubator.level, "")
    check = check_level(facts, target) if target else None
    return IncubatorDetail(
        incubator=incubator,
        current=current,
        former=former,
        applications=applications,
        by_year=yearly_counts(tenancies),
        facts=facts,
        check=check,
        target_level=target,
        figures_year=figures_year,
        tiers_available=tiers is not None,
    )


def incubator_facts(
    incubator: Incubator, tenancies: list[Tenancy], *, on: datetime.date
) -> IncubatorFacts:
    """The incubator's figures for the condition check: its own fields plus tenant counts."""
    current = sum(1 for t in tenancies if t.exited_on is None)
    graduates = incubator.prior_graduates + sum(1 for t in tenancies if t.graduated)
    return IncubatorFacts(
        years_operating=(
            years_between(incubator.established_on, on) if incubator.established_on else None
        ),
        statistics_years=incubator.statistics_years,
        area_m2=incubator.area_m2,
        tenant_area_m2=incubator.tenant_area_m2,
        seed_fund=incubator.seed_fund,
        tenants=current,
        financed_tenants=incubator.financed_tenants,
        fund_use_cases=incubator.fund_use_cases,
        graduates=graduates,
        staff_total=incubator.staff_total,
        professional_staff=incubator.professional_staff,
        mentors=incubator.mentors,
        tenants_with_patent_filings=incubator.tenants_with_patent_filings,
        tenants_with_valid_ip=incubator.tenants_with_valid_ip,
        hardship_region=incubator.hardship_region,
    )


def yearly_counts(tenancies: list[Tenancy]) -> list[YearCount]:
    """Entries, graduations and other exits by year, newest year first."""
    entered = Counter(t.entered_on.year for t in tenancies)
    graduated = Counter(t.exited_on.year for t in tenancies if t.graduated)
    exited = Counter(t.exited_on.year for t in tenancies if t.exited_on and not t.graduated)
    years = sorted(set(entered) | set(graduated) | set(exited), reverse=True)
    return [YearCount(y, entered[y], graduated[y], exited[y]) for y in years]


def enterprise_carriers(*, enterprise) -> dict:
    """An enterprise's R&D platforms, recognitions and incubator stays (its profile section)."""
    return {
        "platforms": list(
            RDPlatform.objects.filter(enterprise=enterprise)
            .select_related("kind")
            .order_by("-approved_on", "name")
        ),
        "recognitions": list(
            PlatformRecognition.objects.filter(enterprise=enterprise).order_by(
                "-approved_on", "-status_changed_at"
            )
        ),
        "tenancies": list(
            Tenancy.objects.filter(enterprise=enterprise)
            .select_related("incubator")
            .order_by("-entered_on")
        ),
    }


# --- Leadership dashboard section --------------------------------------------------------------


LIST_LIMIT = 20


def _by_kind_level(qs: QuerySet) -> Counter:
    """Counts of applications by (kind, level), in one grouped query."""
    return Counter(
        {
            (r["kind"], r["level"]): r["n"]
            for r in qs.values("kind", "level").annotate(n=Count("pk")).order_by()
        }
    )


@dataclass
class MatrixRow:
    label: str
    cells: list[int]

    @property
    def total(self) -> int:
        return sum(self.cells)


def dashboard_section(year: int, *, years_back: int = 5) -> dict:
    """What the leadership dashboard shows of innovation carriers for `year`.

    R&D platforms approved by year and level, recognitions approved and under application by
    kind and level, the year's latest approvals, and the pipeline at the year's end. Ten
    queries, whatever the number of records; lists stop at LIST_LIMIT rows.
    """
    start, end = period_bounds(year)
    levels = LEVEL_ORDER
    level_labels = [Level(level).label for level in levels]

    # 1. Approved R&D platforms by approval year and level.
    first_year = year - years_back + 1
    by_year_level = {
        (r["y"], r["level"]): r["n"]
        for r in RDPlatform.objects.filter(
            status=ApplicationStatus.APPROVED,
            approved_on__year__gte=first_year,
            approved_on__year__lte=year,
        )
        .annotate(y=ExtractYear("approved_on"))
        .values("y", "level")
        .annotate(n=Count("id"))
        .order_by()
    }
    platform_rows = [
        MatrixRow(str(y), [by_year_level.get((y, level), 0) for level in levels])
        for y in range(year, first_year - 1, -1)
    ]

    # 2–3. Recognitions new in the year and under application at its end, by kind and level.
    new_recs = approved_between(PlatformRecognition.objects.all(), start, end)
    open_recs = in_progress_as_of(PlatformRecognition.objects.all(), end)
    new_counts = _by_kind_level(new_recs)
    pipe_counts = _by_kind_level(open_recs)
    recognition_rows = [
        {
            "kind": kind.label,
            "cells": [
                (new_counts[(kind.value, level)], pipe_counts[(kind.value, level)])
                for level in levels
            ],
        }
        for kind in RecognitionKind
    ]

    # 4–6. The year's latest approvals (platforms, recognitions), at most `LIST_LIMIT` shown.
    new_platforms = approved_between(RDPlatform.objects.all(), start, end)
    latest = sorted(
        [
            *new_platforms.select_related("enterprise", "kind").order_by("-approved_on", "-pk")[
                :LIST_LIMIT
            ],
            *new_recs.select_related("enterprise").order_by("-approved_on", "-pk")[:LIST_LIMIT],
        ],
        key=lambda a: (a.approved_on, a.pk),
        reverse=True,
    )[:LIST_LIMIT]

    # 7–8. What is in the pipeline at the year's end (platforms counted, and listed up to
    # the limit; recognitions listed up to the limit, counted above).
    open_platforms = in_progress_as_of(RDPlatform.objects.all(), end)
    pipeline_platform_count = open_platforms.count()
    pipeline_platforms = list(
        open_platforms.select_related("enterprise", "kind").order_by("-status_changed_at", "-pk")[
            :LIST_LIMIT
        ]
    )
    pipeline_recognitions = list(
        open_recs.select_related("enterprise").order_by("-status_changed_at", "-pk")[:LIST_LIMIT]
    )

    # 9–10. Incubators by their level at the year's end (as the summary's figures count
    # them), with level applications open at the year's end.
    incubators = list(
        with_status_as_of(
            IncubatorLevelApplication.objects.select_related("incubator"), end_of_day(end)
        ).filter(status_then__in=IN_PROGRESS_STATUSES)
    )
    incubator_levels = Counter(incubators_as_of(end).values_list("level_then", flat=True))
    for app in [*pipeline_platforms, *pipeline_recognitions, *incubators]:
        app.status_then_label = ApplicationStatus(app.status_then).label
    new_platform_count = platform_rows[0].total if platform_rows else 0
    return {
        "year": year,
        "level_labels": level_labels,
        "platform_rows": platform_rows,
        "recognition_rows": recognition_rows,
        "new_approvals": latest,
        "new_platform_count": new_platform_count,
        "new_recognition_count": sum(new_counts.values()),
        "pipeline_platforms": pipeline_platforms,
        "pipeline_recognitions": pipeline_recognitions,
        "pipeline_platform_count": pipeline_platform_count,
        "pipeline_recognition_count": sum(pipe_counts.values()),
        "list_limit": LIST_LIMIT,
        "incubator_applications": incubators,
        "incubator_levels": [
            (Level(level).label, incubator_levels.get(level, 0)) for level in levels
        ],
    }


def profile_section(enterprise) -> tuple[str, dict]:
    """The enterprise profile's section on platforms, recognitions and incubator stays."""
    return "incubation/_enterprise_carriers.html", enterprise_carriers(enterprise=enterprise)


def dashboard_panel(year: int) -> tuple[str, dict]:
    """The leadership dashboard's innovation-carrier panel."""
    return "incubation/_dashboard_section.html", {"carriers": dashboard_section(year)}
