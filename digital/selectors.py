"""Reads of the digital app that pages, figures and other apps share.

`assessment_get_for_user` / `visit_get_for_user` are the gates that decide who may see a
record; `portal_reminders` is what the enterprise portal's home page shows for this app.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import asof
from bureau.models import ReportingPeriod
from bureau.roles import Role

from . import scoring
from .models import (
    Assessment,
    AssessmentStatus,
    DemoParkProject,
    DiagnosticRound,
    DiagnosticVisit,
    Dimension,
    FundAllocation,
    Milestone,
    MilestoneStatus,
    Option,
    Question,
    QuestionnaireVersion,
    Scenario,
    ServiceDelivery,
)

OPERATIONS_AXIS = "operations"  # 数字化经营, from the scenarios


# --- Questionnaire ---------------------------------------------------------------------------


def current_version() -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.filter(is_current=True).first()
    if version is None:
        version = QuestionnaireVersion.objects.order_by("-effective_from").first()
    if version is None:
        raise Http404(_("尚未载入评测问卷。"))
    return version


@dataclass(frozen=True)
class Questionnaire:
    """A version's questionnaire for forms and scoring: 4 queries to build."""

    version: QuestionnaireVersion
    dimensions: list[Dimension]  # each with .questions_list
    scenarios: list[Scenario]
    spec: scoring.EditionSpec

    @property
    def questions(self) -> list[Question]:
        return [q for d in self.dimensions for q in d.questions_list]

    def scenario_groups(self) -> list[tuple[str, list[Scenario]]]:
        groups: dict[str, list[Scenario]] = {}
        for s in self.scenarios:
            groups.setdefault(s.group, []).append(s)
        return list(groups.items())


def questionnaire(version: QuestionnaireVersion) -> Questionnaire:
    """The version's dimensions, questions with options, and scenarios (4 queries)."""
    dimensions = list(Dimension.objects.filter(version=version).order_by("order"))
    questions = list(
        Question.objects.filter(version=version)
        .select_related("indicator")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("order")))
        .order_by("order")
    )
    scenarios = list(Scenario.objects.filter(version=version).order_by("order"))
    by_dimension: dict[int, list[Question]] = defaultdict(list)
    for q in questions:
        by_dimension[q.indicator.dimension_id].append(q)
    code_of = {d.pk: d.code for d in dimensions}
    for d in dimensions:
        d.questions_list = by_dimension[d.pk]
    spec = scoring.EditionSpec(
        rule_set=version.rule_set,
        min_score=version.min_score,
        max_score=version.max_score,
        dimensions=tuple((d.code, d.name, d.max_points) for d in dimensions),
        questions=tuple(
            scoring.QuestionSpec(
                code=q.code,
                dimension=code_of[q.indicator.dimension_id],
                text=q.text,
                multiple=q.kind == "multiple",
                max_points=q.max_points,
                options=tuple(
                    scoring.OptionSpec(o.code, o.points, o.exclusive) for o in q.options.all()
                ),
                required=q.required,
            )
            for q in questions
        ),
        scenarios=tuple(scoring.ScenarioSpec(s.code, s.name, s.mandatory) for s in scenarios),
    )
    return Questionnaire(version, dimensions, scenarios, spec)


# --- Assessments -----------------------------------------------------------------------------


def assessment_list_for_user(*, user) -> QuerySet[Assessment]:
    """Assessments the user may see: all for bureau roles, its own enterprise's otherwise."""
    qs = Assessment.objects.select_related("enterprise", "version", "period")
    if user.role is Role.ENTERPRISE_USER:
        return qs.filter(enterprise__accounts__user=user)
    if user.role is None:
        return qs.none()
    return qs


def assessment_get_for_user(*, user, pk: int) -> Assessment:
    """The one gate for a single assessment: 404 when the user may not see it."""
    try:
        return assessment_list_for_user(user=user).get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404 from None


def submitted_assessments() -> QuerySet[Assessment]:
    return Assessment.objects.filter(status=AssessmentStatus.SUBMITTED)


def open_assessment(enterprise) -> Assessment | None:
    """The enterprise's draft or reopened assessment, if any."""
    return (
        Assessment.objects.filter(
            enterprise=enterprise, status__in=[AssessmentStatus.DRAFT, AssessmentStatus.REOPENED]
        )
        .select_related("version")
        .first()
    )


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The enterprise's latest submitted assessment before this one (by date, then id)."""
    qs = (
        submitted_assessments()
        .filter(enterprise_id=assessment.enterprise_id)
        .exclude(pk=assessment.pk)
    )
    if assessment.assessed_on:
        qs = qs.filter(
            Q(assessed_on__lt=assessment.assessed_on)
            | Q(assessed_on=assessment.assessed_on, pk__lt=assessment.pk)
        )
    return qs.order_by("-assessed_on", "-pk").first()


def axis_values(
    q: Questionnaire, dimension_scores: dict, scenario_levels: dict
) -> dict[str, Decimal]:
    """An assessment's position on each radar axis, 0–100 (% of the dimension's maximum)."""
    values: dict[str, Decimal] = {}
    for d in q.dimensions:
        score = Decimal(str(dimension_scores.get(d.code, 0) or 0))
        values[d.code] = (Decimal(100) * score / d.max_points).quantize(Decimal("0.1"))
    values[OPERATIONS_AXIS] = scoring.operations_score(q.spec, scenario_levels).quantize(
        Decimal("0.1")
    )
    return values


def radar_axes(q: Questionnaire) -> list[tuple[str, str]]:
    """(code, label) of the radar's axes: the scored dimensions with 数字化经营 second."""
    axes = [(d.code, d.name) for d in q.dimensions]
    axes.insert(1, (OPERATIONS_AXIS, _("数字化经营")))
    return axes


PARK_AVERAGE_CHANNELS = ("digital.assessment",)


def park_average(q: Questionnaire, *, on: datetime.date | None = None) -> dict[str, Decimal]:
    """The park's average on each axis: every enterprise's latest submitted assessment of this
    version up to `on`. Kept in the cache per version of the assessments' data
    (bureau.figures), as the dashboard's figures are: every assessment page shows it, and at
    100,000 enterprises reading every assessment took 2.6 s a page."""
    from django.conf import settings
    from django.core.cache import cache

    from bureau import figures

    seconds = settings.FIGURE_CACHE_SECONDS
    key = None
    if seconds:
        try:
            version = figures.versions(PARK_AVERAGE_CHANNELS)
        except Exception:  # a cache that cannot tell: compute, keep nothing
            version = None
        if version:
            key = f"digital:park-average:{q.version.pk}:{on or ''}:{version}"
            kept = cache.get(key)
            if kept is not None:
                return kept
    average = _park_average(q, on=on)
    if key:
        cache.set(key, average, seconds)
    return average


def _park_average(q: Questionnaire, *, on: datetime.date | None) -> dict[str, Decimal]:
    """park_average computed: one query over the version's submitted assessments."""
    qs = submitted_assessments().filter(version=q.version)
    if on:
        qs = qs.filter(assessed_on__lte=on)
    latest: dict[int, tuple] = {}
    for enterprise_id, scores, levels in qs.order_by(
        "enterprise_id", "assessed_on", "pk"
    ).values_list("enterprise_id", "dimension_scores", "scenario_levels"):
        latest[enterprise_id] = (scores, levels)
    if not latest:
        return {}
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for scores, levels in latest.values():
        for code, value in axis_values(q, scores, levels).items():
            sums[code] += value
    return {code: (total / len(latest)).quantize(Decimal("0.1")) for code, total in sums.items()}


def unanswered_labels(q: Questionnaire, assessment: Assessment) -> tuple[list[str], list[str]]:
    questions, scenarios = scoring.unanswered(
        q.spec, assessment.answers, assessment.scenario_levels
    )
    return [x.text for x in questions], [s.name for s in scenarios]


# --- Diagnostic rounds, visits, reminders ------------------------------------------------------


@dataclass(frozen=True)
class RoundRow:
    enterprise: object
    assessment: Assessment | None

    @property
    def assessed(self) -> bool:
        return self.assessment is not None


def round_rows(diagnostic_round: DiagnosticRound) -> list[RoundRow]:
    """Every enterprise due in the round, with its submitted assessment in the quarter (2 queries)."""
    period = diagnostic_round.period
    enterprises = list(diagnostic_round.enterprises.order_by("name"))
    done: dict[int, Assessment] = {}
    for a in (
        submitted_assessments()
        .filter(
            enterprise__in=[e.pk for e in enterprises],
            assessed_on__gte=period.start_date,
            assessed_on__lte=period.end_date,
        )
        .order_by("assessed_on", "pk")
    ):
        done[a.enterprise_id] = a
    return [RoundRow(e, done.get(e.pk)) for e in enterprises]


def round_list() -> QuerySet[DiagnosticRound]:
    """Rounds with how many enterprises are due and how many of them assessed in the quarter."""
    return DiagnosticRound.objects.select_related("period").annotate(
        n_due=Count("enterprises", distinct=True),
    )


def round_assessed_counts(rounds: list[DiagnosticRound]) -> dict[int, int]:
    """Assessed enterprises per round (one query for all rounds)."""
    if not rounds:
        return {}
    through = DiagnosticRound.enterprises.through
    counts: Counter = Counter()
    pairs = set(
        through.objects.filter(diagnosticround_id__in=[r.pk for r in rounds]).values_list(
            "diagnosticround_id", "enterprise_id"
        )
    )
    spans = {r.pk: (r.period.start_date, r.period.end_date) for r in rounds}
    start = min(s for s, _e in spans.values())
    end = max(e for _s, e in spans.values())
    dates: dict[int, list[datetime.date]] = defaultdict(list)
    for enterprise_id, day in (
        submitted_assessments()
        .filter(assessed_on__gte=start, assessed_on__lte=end)
        .values_list("enterprise_id", "assessed_on")
    ):
        dates[enterprise_id].append(day)
    for round_id, enterprise_id in pairs:
        s, e = spans[round_id]
        if any(s <= d <= e for d in dates.get(enterprise_id, ())):
            counts[round_id] += 1
    return dict(counts)


def visit_list_for_user(*, user) -> QuerySet[DiagnosticVisit]:
    qs = DiagnosticVisit.objects.select_related("enterprise").annotate(
        n_actions=Count("actions", distinct=True),
        n_open=Count(
            "actions", filter=Q(actions__status__in=["open", "in_progress"]), distinct=True
        ),
    )
    if user.role is Role.ENTERPRISE_USER:
        return qs.filter(enterprise__accounts__user=user)
    if user.role is None:
        return qs.none()
    return qs


def visit_get_for_user(*, user, pk: int) -> DiagnosticVisit:
    try:
        return visit_list_for_user(user=user).prefetch_related("actions", "staff").get(pk=pk)
    except DiagnosticVisit.DoesNotExist:
        raise Http404 from None


def current_period(day: datetime.date | None = None) -> ReportingPeriod | None:
    day = day or timezone.localdate()
    return ReportingPeriod.objects.filter(year=day.year, quarter=(day.month - 1) // 3 + 1).first()


def portal_reminders(enterprise, *, day: datetime.date | None = None) -> list[tuple[str, str]]:
    """What the enterprise should do about its digital assessment now, as (text, url) pairs.

    A draft to finish, an assessment sent back for changes, or this quarter's diagnostic round
    listing the enterprise while it has not assessed in the quarter. At most 3 queries.
    """
    day = day or timezone.localdate()
    reminders: list[tuple[str, str]] = []
    draft = open_assessment(enterprise)
    if draft is not None:
        url = reverse("digital:portal_assessment_edit", args=[draft.pk])
        if draft.status == AssessmentStatus.REOPENED:
            reminders.append(
                (
                    _("数字化水平评测已退回修改：%(r)s") % {"r": draft.reopen_reason},
                    url,
                )
            )
        else:
            reminders.append((_("继续填写数字化水平评测（草稿）"), url))
        return reminders
    due_round = (
        DiagnosticRound.objects.filter(
            enterprises=enterprise,
            period__year=day.year,
            period__quarter=(day.month - 1) // 3 + 1,
        )
        .select_related("period")
        .first()
    )
    if due_round is not None:
        period = due_round.period
        assessed = submitted_assessments().filter(
            enterprise=enterprise,
            assessed_on__gte=period.start_date,
            assessed_on__lte=period.end_date,
        )
        if not assessed.exists():
            text = _("请完成%(p)s数字化水平自评") % {"p": period}
            if due_round.due_date:
                text += _("（截止 %(d)s）") % {"d": due_round.due_date.isoformat()}
            reminders.append((text, reverse("digital:portal_assessments")))
    return reminders


# --- Project ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectProgress:
    project: DemoParkProject
    milestones: list[Milestone]
    done: int
    allocated: Decimal
    spent: Decimal
    allocations: list[FundAllocation]

    @property
    def total(self) -> int:
        return len(self.milestones)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def current_stage(self) -> Milestone | None:
        return next((m for m in self.milestones if m.status != MilestoneStatus.DONE), None)

    @property
    def allocated_percent(self) -> int:
        budget = self.project.budget
        return round(100 * self.allocated / budget) if budget else 0

    @property
    def spent_percent(self) -> int:
        budget = self.project.budget
        return round(100 * self.spent / budget) if budget else 0


def project_progress(project: DemoParkProject) -> ProjectProgress:
    """Milestones in order and the budget allocated and spent (3 queries)."""
    milestones = list(project.milestones.order_by("order"))
    allocations = list(project.allocations.select_related("enterprise").order_by("-amount"))
    totals = project.allocations.aggregate(a=Sum("amount"), s=Sum("spent"))
    return ProjectProgress(
        project=project,
        milestones=milestones,
        done=sum(1 for m in milestones if m.status == MilestoneStatus.DONE),
        allocated=totals["a"] or Decimal("0"),
        spent=totals["s"] or Decimal("0"),
        allocations=allocations,
    )


# --- Dashboard section ---------------------------------------------------------------------------


def year_assessments(year: int, quarter: int | None = None) -> QuerySet[Assessment]:
    """Assessments submitted at the period's end and dated in the year up to it, as they stood
    then (bureau.asof): `assessed_on_then`, `level_then`, `total_score_then`. A reopened or
    resubmitted assessment keeps its past year; the dashboard and the figures count these."""
    start, end = datetime.date(year, 1, 1), asof.period_end(year, quarter)
    # Exact prefilter the indexes can serve: a row unchanged since the day has today's values,
    # so it counts only if it matches now; only rows changed since need the history.
    candidates = Assessment.objects.filter(
        Q(status=AssessmentStatus.SUBMITTED, assessed_on__gte=start, assessed_on__lte=end)
        | Q(updated_at__gt=asof.end_of_day(end))
    )
    # The values then, in a form the planner can estimate (asof.matching_then).
    return asof.status_as_of(
        candidates, end, fields=("status", "assessed_on", "level", "total_score")
    ).filter(
        asof.matching_then(
            Assessment,
            end,
            status=AssessmentStatus.SUBMITTED,
            assessed_on__gte=start,
            assessed_on__lte=end,
        )
    )


def level_distribution(year: int) -> list[tuple[int, str, int]]:
    """(level, name, enterprises) over each enterprise's latest assessment in the year (1 query)."""
    latest: dict[int, int] = {}
    for enterprise_id, level in (
        year_assessments(year)
        .order_by("enterprise_id", "assessed_on_then", "pk")
        .values_list("enterprise_id", "level_then")
    ):
        latest[enterprise_id] = level
    counts = Counter(latest.values())
    return [(lvl, scoring.LEVEL_NAMES[lvl], counts.get(lvl, 0)) for lvl in range(0, 5)]


def quarter_trend(year: int) -> list[tuple[int, int, Decimal | None]]:
    """(quarter, enterprises assessed in the quarter, average total score) (1 query)."""
    rows: dict[int, list] = {q: [set(), []] for q in range(1, 5)}
    for enterprise_id, day, total in year_assessments(year).values_list(
        "enterprise_id", "assessed_on_then", "total_score_then"
    ):
        q = (day.month - 1) // 3 + 1
        rows[q][0].add(enterprise_id)
        rows[q][1].append(total)
    return [
        (
            q,
            len(ids),
            (sum(totals) / len(totals)).quantize(Decimal("0.1")) if totals else None,
        )
        for q, (ids, totals) in rows.items()
    ]


def dashboard_section(year: int) -> dict:
    """Everything the leadership dashboard shows for digital transformation (6 queries)."""
    distribution = level_distribution(year)
    assessed = sum(n for _l, _n, n in distribution)
    level2_plus = sum(n for lvl, _n, n in distribution if lvl >= 2)
    project = DemoParkProject.objects.order_by("-approved_year", "pk").first()
    return {
        "year": year,
        "distribution": distribution,
        "distribution_max": max([n for _l, _n, n in distribution] + [1]),
        "assessed": assessed,
        "level2_plus": level2_plus,
        "level2_plus_share": round(100 * level2_plus / assessed, 1) if assessed else None,
        "trend": quarter_trend(year),
        "progress": project_progress(project) if project else None,
    }


def profile_section(enterprise) -> tuple[str, dict]:
    """The enterprise profile's section on digital assessments, visits and service packages
    (3 queries)."""
    return "digital/_enterprise_profile.html", {
        "assessments": list(
            Assessment.objects.filter(enterprise=enterprise)
            .exclude(status=AssessmentStatus.DRAFT)
            .order_by("-assessed_on", "-pk")[:10]
        ),
        "visits": list(
            DiagnosticVisit.objects.filter(enterprise=enterprise).order_by("-date")[:10]
        ),
        "deliveries": list(
            ServiceDelivery.objects.filter(enterprise=enterprise)
            .select_related("package")
            .order_by("-delivered_on")[:10]
        ),
    }


def dashboard_panel(year: int) -> tuple[str, dict]:
    """The leadership dashboard's digital-transformation panel."""
    return "digital/_dashboard_section.html", {"digital": dashboard_section(year)}


def portal_items(user) -> list:
    """我的事项: the user's enterprise's digitalisation self-assessments (1 query)."""
    from bureau.casework import PortalItem

    if user.role is not Role.ENTERPRISE_USER:
        return []
    items = []
    for a in assessment_list_for_user(user=user).filter(source="portal"):
        submitted = a.status == AssessmentStatus.SUBMITTED
        items.append(
            PortalItem(
                kind=_("数字化评测"),
                title=str(a.period) if a.period_id else str(a.version),
                submitted=timezone.localtime(a.submitted_at).date() if a.submitted_at else None,
                status=a.get_status_display(),
                changed=a.updated_at,
                url=reverse("digital:assessment_detail", args=[a.pk])
                if submitted
                else reverse("digital:portal_assessment_edit", args=[a.pk]),
                receipt_url=reverse("digital:portal_assessment_receipt", args=[a.pk])
                if submitted
                else "",
                open=not submitted,
            )
        )
    return items
