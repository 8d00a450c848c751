"""Figures of summary section (二) 数字化赋能, for a year (to a quarter's end).

Rules, so that a reader of the summary can check each number:
- assessed: distinct enterprises with an assessment submitted at the period's end and dated in
  the year, by the status, date and level it had then (a reopened or resubmitted assessment
  keeps its past year); all sources, and one figure per source.
- service packages: distinct enterprises given a 免费数字化软件服务包 (package kind
  free_software) dated in the year.
- visited: distinct enterprises with a diagnostic visit (调研/诊断/指导) dated in the year.
- meetings: bureau activities of kind code "meeting" dated in the year whose topic contains
  "数字化" (MEETING_TOPIC_KEYWORD).
- provincial demonstrations: ProvincialDemoApplication approved by the period's end (its
  approval date), batch year = the year.
- demonstration enterprises: DemonstrationEnterprise of the year, per "3+3+6" group.
- the demonstration-park project: budget (元) of projects approved in or before the year, and
  milestones completed by the period's end (done then, by their history).

Statuses are read as of the period's end through bureau.asof, inside the same queries.
"""

import datetime
from collections.abc import Collection

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from bureau.asof import status_as_of
from bureau.figures import Figure
from bureau.models import Activity
from enterprises.models import Enterprise

from .models import (
    AssessmentSource,
    DemoGroup,
    DemonstrationEnterprise,
    DemoParkProject,
    DiagnosticVisit,
    DigitalLevel,
    Milestone,
    MilestoneStage,
    MilestoneStatus,
    PackageKind,
    ProvincialDemoApplication,
    ServiceDelivery,
)
from .selectors import year_assessments

# What these figures read (bureau.figures.reads): the app's own records (Enterprise only as the
# records behind a figure, never for a value) and the bureau's meetings.
READS = ("digital", "bureau.activity", "bureau.activitykind")

SECTION = "二"
MEETING_KIND = "meeting"
MEETING_TOPIC_KEYWORD = "数字化"


def _end(year: int, quarter: int | None) -> datetime.date:
    if not quarter:
        return datetime.date(year, 12, 31)
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


def meetings(year: int, quarter: int | None = None):
    """Bureau meetings on digital transformation in the year (the rule in the module doc)."""
    start, end = datetime.date(year, 1, 1), _end(year, quarter)
    return (
        Activity.objects.filter(
            kind__code=MEETING_KIND,
            topic__contains=MEETING_TOPIC_KEYWORD,
            date__gte=start,
            date__lte=end,
        )
        .select_related("kind")
        .order_by("date", "pk")
    )


ASSESSED = "digital.assessed_enterprises"
LEVELS = "digital.levels."


def _wants(keys: Collection[str] | None, prefix: str) -> bool:
    """Whether `keys` ask for a figure whose key begins with `prefix` (a key ending in "."
    stands for every key it begins, as in reports.selectors.collect)."""
    return keys is None or any(
        k.startswith(prefix) or (k.endswith(".") and prefix.startswith(k)) for k in keys
    )


def _wants_others(keys: Collection[str] | None) -> bool:
    """Whether `keys` ask for a figure other than the assessed enterprises and the levels."""
    return keys is None or any(
        not k.startswith((ASSESSED, LEVELS)) and (k.startswith("digital.") or k == "digital")
        for k in keys
    )


def figures(
    year: int, quarter: int | None = None, *, keys: Collection[str] | None = None
) -> list[Figure]:
    """Section 二's figures; 9 queries whatever the number of records. With `keys` (the
    figures a caller needs: the dashboard's quarter trends need the assessed enterprises
    only), the groups none of whose figures is asked for are skipped, with their queries."""
    assessments = year_assessments(year, quarter)  # as they stood at the period's end
    result = _assessed(assessments, year, quarter) if _wants(keys, ASSESSED) else []
    if _wants_others(keys):
        result += _others(year, quarter)
    if _wants(keys, LEVELS):
        result += _level_distribution(assessments, year, quarter)  # query 9
    return result


def _assessed(assessments, year: int, quarter: int | None) -> list[Figure]:
    """Distinct enterprises assessed, in total and per source (query 1)."""
    by_source = {
        key: Count("enterprise", filter=Q(source=key), distinct=True)
        for key in AssessmentSource.values
    }
    assessed = assessments.aggregate(total=Count("enterprise", distinct=True), **by_source)

    def enterprises(ids_qs):
        return Enterprise.objects.filter(pk__in=ids_qs).order_by("name")

    result = [
        Figure(
            key=ASSESSED,
            label=_("开展数字化测评的企业"),
            unit="家",
            value=assessed["total"],
            year=year,
            quarter=quarter,
            records=enterprises(assessments.values("enterprise")),
            section=SECTION,
        ),
    ]
    for source in AssessmentSource:
        result.append(
            Figure(
                key=f"{ASSESSED}.{source.value}",
                label=_("开展数字化测评的企业（%(source)s）") % {"source": source.label},
                unit="家",
                value=assessed[source.value],
                year=year,
                quarter=quarter,
                records=enterprises(assessments.filter(source=source).values("enterprise")),
                section=SECTION,
            )
        )
    return result


def _others(year: int, quarter: int | None) -> list[Figure]:
    """Service packages, visits, meetings, demonstrations and the park project (queries 2–8)."""
    start, end = datetime.date(year, 1, 1), _end(year, quarter)
    deliveries = ServiceDelivery.objects.filter(
        package__kind=PackageKind.FREE_SOFTWARE, delivered_on__gte=start, delivered_on__lte=end
    )
    visits = DiagnosticVisit.objects.filter(date__gte=start, date__lte=end)
    meeting_qs = meetings(year, quarter)
    provincial = ProvincialDemoApplication.objects.approved_as_of(end).filter(batch_year=year)
    demo = DemonstrationEnterprise.objects.filter(year=year)
    projects = DemoParkProject.objects.filter(approved_year__lte=year)
    milestones = status_as_of(
        Milestone.objects.filter(project__approved_year__lte=year),
        end,
        fields=("status", "actual_date"),
    ).filter(status_then="done", actual_date_then__lte=end)
    counts = {
        "delivered": deliveries.values("enterprise").distinct().count(),  # query 2
        "visited": visits.values("enterprise").distinct().count(),  # query 3
        "meetings": meeting_qs.count(),  # query 4
        "provincial": provincial.count(),  # query 5
    }
    demo_counts = dict(demo.values_list("group").annotate(n=Count("id")).order_by())  # query 6
    budget = projects.aggregate(s=Sum("budget"))["s"]  # query 7
    # Query 8: every milestone of those projects, split here into done / under way / planned
    # at the period's end (a milestone done after the period's end was still under way then).
    stages = dict(MilestoneStage.choices)
    done_notes: list[str] = []
    open_notes: list[str] = []
    planned_notes: list[str] = []
    project_names: dict[str, None] = {}
    for name, stage, status, planned, actual in (
        Milestone.objects.filter(project__approved_year__lte=year)
        .order_by("project__name", "order")
        .values_list("project__name", "stage", "status", "planned_date", "actual_date")
    ):
        project_names.setdefault(name, None)
        label = str(stages.get(stage, stage))
        if status == MilestoneStatus.DONE and actual is not None and actual <= end:
            done_notes.append(label)
        elif status != MilestoneStatus.PLANNED or (actual is not None and actual > end):
            open_notes.append(label)
        else:
            planned_notes.append(f"{label}|{planned.isoformat()}" if planned else label)
    milestones_done = len(done_notes)

    def enterprises(ids_qs):
        return Enterprise.objects.filter(pk__in=ids_qs).order_by("name")

    result = [
        Figure(
            key="digital.service_package_enterprises",
            label=_("推广免费数字化软件服务包的企业"),
            unit="家",
            value=counts["delivered"],
            year=year,
            quarter=quarter,
            records=enterprises(deliveries.values("enterprise")),
            section=SECTION,
        ),
        Figure(
            key="digital.visited_enterprises",
            label=_("调研诊断并给予技术指导的企业"),
            unit="家",
            value=counts["visited"],
            year=year,
            quarter=quarter,
            records=enterprises(visits.values("enterprise")),
            section=SECTION,
        ),
        Figure(
            key="digital.meetings",
            label=_("召开数字化转型相关会议"),
            unit="次",
            value=counts["meetings"],
            year=year,
            quarter=quarter,
            records=meeting_qs,
            section=SECTION,
        ),
        Figure(
            key="digital.provincial_demo_approved",
            label=_("成功申报省级中小企业数字化转型典型示范项目的企业"),
            unit="家",
            value=counts["provincial"],
            year=year,
            quarter=quarter,
            records=provincial.select_related("enterprise").order_by("enterprise__name"),
            section=SECTION,
        ),
        Figure(
            key="digital.demo_park_budget",
            label=_("数字化转型示范园区项目金额"),
            unit="元",
            value=budget,
            year=year,
            quarter=quarter,
            records=projects.order_by("-approved_year", "name"),
            section=SECTION,
            notes=tuple(project_names),
        ),
        Figure(
            key="digital.demo_park_milestones_done",
            label=_("示范园区项目已完成节点"),
            unit="个",
            value=milestones_done,
            year=year,
            quarter=quarter,
            records=milestones.select_related("project").order_by("project", "order"),
            section=SECTION,
            notes=tuple(done_notes),
        ),
        Figure(
            key="digital.demo_park_milestones_open",
            label=_("示范园区项目正在推进的节点"),
            unit="个",
            value=len(open_notes),
            year=year,
            quarter=quarter,
            records=Milestone.objects.filter(project__approved_year__lte=year)
            .exclude(pk__in=milestones.values("pk"))
            .exclude(status=MilestoneStatus.PLANNED)
            .select_related("project")
            .order_by("project", "order"),
            section=SECTION,
            notes=tuple(open_notes),
        ),
        Figure(
            key="digital.demo_park_milestones_planned",
            label=_("示范园区项目下一步计划节点"),
            unit="个",
            value=len(planned_notes),
            year=year,
            quarter=quarter,
            records=Milestone.objects.filter(
                project__approved_year__lte=year, status=MilestoneStatus.PLANNED
            )
            .select_related("project")
            .order_by("project", "order"),
            section=SECTION,
            notes=tuple(planned_notes),
        ),
    ]
    for group in DemoGroup:
        result.append(
            Figure(
                key=f"digital.demo_enterprises.{group.value}",
                label=str(group.label),
                unit="家",
                value=demo_counts.get(group.value, 0),
                year=year,
                quarter=quarter,
                records=demo.filter(group=group)
                .select_related("enterprise")
                .order_by("enterprise__name"),
                section=SECTION,
            )
        )
    return result


def _level_distribution(assessments, year: int, quarter: int | None) -> list[Figure]:
    """Enterprises by the level of their latest assessment in the period (as it stood at the
    period's end): `digital.levels.<0–4>`, the dashboard's digital-level distribution (1 query)."""
    latest: dict[int, int] = {}
    for enterprise_id, level in assessments.order_by(
        "enterprise_id", "assessed_on_then", "pk"
    ).values_list("enterprise_id", "level_then"):
        latest[enterprise_id] = level
    by_level: dict[int, list[int]] = {lvl: [] for lvl in DigitalLevel.values}
    for enterprise_id, level in latest.items():
        by_level.setdefault(level, []).append(enterprise_id)
    return [
        Figure(
            key=f"digital.levels.{lvl}",
            label=str(DigitalLevel(lvl).label),
            unit="家",
            value=len(ids),
            year=year,
            quarter=quarter,
            records=Enterprise.objects.filter(pk__in=ids).order_by("name"),
            section=SECTION,
        )
        for lvl, ids in sorted(by_level.items())
    ]
