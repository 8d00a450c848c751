"""Demo data for section (二) 数字化赋能 of the 2024 summary.

From records, the demo year 2024 gives: 96 enterprises assessed (协羚羊平台数字化测评), 89 given
the free software service package, 25 visited for diagnosis and guidance, 2 provincial typical
demonstration projects approved, 12 meetings on digital transformation (≥10), the 1800万元
demonstration-park project with its milestones as the seed states them at the end of 2024, and
the "3+3+6" demonstration enterprises. Every step only creates what is missing.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bureau.models import Activity, ActivityKind, ApplicationStatus, Level, ReportingPeriod
from bureau.services import record_initial_status, transition_application

from . import scoring
from .metrics import MEETING_KIND
from .models import (
    Assessment,
    AssessmentSource,
    AssessmentStatus,
    DemoGroup,
    DemonstrationEnterprise,
    DemoParkProject,
    DiagnosticRound,
    DiagnosticVisit,
    FollowUpAction,
    FundAllocation,
    Milestone,
    MilestoneStage,
    MilestoneStatus,
    PackageKind,
    ProjectStatus,
    ProvincialDemoApplication,
    ServiceDelivery,
    ServicePackage,
    VisitKind,
)

YEAR = 2024
ASSESSED_2024 = 96
PORTAL_2024 = 16  # of which filled in by the enterprises themselves on the portal
REASSESSED_2024 = 10  # assessed twice in the year (still counted once)
ASSESSED_2023 = 40
PACKAGES_2024 = 89
VISITED_2024 = 25
EVALUATOR = "羚羊工业互联网平台"
PROJECT_NAME = "光电信息产业数字化转型示范园区项目"
PROJECT_BUDGET = Decimal("18000000")

# (stage, planned, actual or None, status): the seed says the first four are done, the tender
# (挂网) and the enterprises' plans are under way, 自评 is expected in January and 验收 in March.
# The seed's "2024年1月" for 自评 is read as the coming January (2025), the summary being
# written at the end of 2024.
MILESTONES = [
    (MilestoneStage.CONTRACTOR, "2024-04-30", "2024-04-26", MilestoneStatus.DONE),
    (MilestoneStage.SURVEY, "2024-06-30", "2024-06-28", MilestoneStatus.DONE),
    (MilestoneStage.PLATFORM_PLAN, "2024-08-31", "2024-09-06", MilestoneStatus.DONE),
    (MilestoneStage.FUND_PLAN, "2024-10-31", "2024-10-30", MilestoneStatus.DONE),
    (MilestoneStage.TENDER, "2024-12-31", None, MilestoneStatus.IN_PROGRESS),
    (MilestoneStage.ENTERPRISE_PLANS, "2024-12-31", None, MilestoneStatus.IN_PROGRESS),
    (MilestoneStage.SELF_REVIEW, "2025-01-31", None, MilestoneStatus.PLANNED),
    (MilestoneStage.ACCEPTANCE, "2025-03-31", None, MilestoneStatus.PLANNED),
]

MEETING_TOPICS = [
    "数字化转型示范园区项目推进会",
    "光电信息产业数字化转型工作调度会",
    "中小企业数字化转型政策解读会",
    "数字化转型总包商遴选工作会",
    "企业数字化诊断工作部署会",
    "数字化转型企业端方案评审会",
    "省级数字化转型典型示范项目申报辅导会",
    "数字化软件服务包推广对接会",
    "数字化转型示范园区资金分配方案讨论会",
    "数字化转型平台建设方案评审会",
    "园区企业数字化测评工作推进会",
    "数字化转型项目挂网工作协调会",
]

PACKAGES = [
    (
        "羚羊免费数字化软件服务包",
        PackageKind.FREE_SOFTWARE,
        EVALUATOR,
        "协同办公、进销存、设备管理等SaaS软件一年免费使用",
        Decimal("0"),
    ),
    (
        "数字化转型咨询诊断服务",
        PackageKind.CONSULTING,
        "安徽省中小企业数字化转型服务中心",
        "现场诊断并出具数字化转型建议书",
        Decimal("20000"),
    ),
    (
        "企业上云用云服务包",
        PackageKind.CLOUD,
        "中国电信舒城分公司",
        "云主机、云存储及网络安全服务",
        Decimal("12000"),
    ),
]

GROUP_SIZES = [(DemoGroup.OUTSTANDING, 3), (DemoGroup.CASE, 3), (DemoGroup.TRANSFORMATION, 6)]
GROUP_AMOUNTS = {
    DemoGroup.OUTSTANDING: Decimal("1200000"),
    DemoGroup.CASE: Decimal("1000000"),
    DemoGroup.TRANSFORMATION: Decimal("800000"),
}


def _enterprises() -> list:
    from enterprises.models import Enterprise

    return list(Enterprise.objects.order_by("pk")[:240])


def _periods() -> dict[tuple[int, int], ReportingPeriod]:
    return {(p.year, p.quarter): p for p in ReportingPeriod.objects.all()}


def _quarter(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def _random_answers(q, maturity: float, rng: random.Random) -> tuple[dict, dict]:
    answers: dict[str, list[str]] = {}
    for question in q.spec.questions:
        options = list(question.options)
        if question.multiple:
            chosen = [o.code for o in options if not o.exclusive and rng.random() < maturity]
            answers[question.code] = chosen or [next(o.code for o in options if o.exclusive)]
        else:
            index = round(maturity * (len(options) - 1) + rng.uniform(-1, 1))
            answers[question.code] = [options[max(0, min(len(options) - 1, index))].code]
    levels = {
        s.code: max(0, min(4, round(maturity * 4 + rng.uniform(-1.2, 0.8))))
        for s in q.spec.scenarios
    }
    return answers, levels


def _assessment(q, enterprise, day, source, maturity, rng, periods) -> Assessment:
    answers, levels = _random_answers(q, maturity, rng)
    result = scoring.evaluate(q.spec, answers, levels)
    return Assessment(
        enterprise=enterprise,
        version=q.version,
        period=periods.get((day.year, _quarter(day))),
        source=source,
        evaluator=EVALUATOR if source == AssessmentSource.EXTERNAL else "",
        external_ref=f"LY{day:%Y%m}{enterprise.pk:05d}"
        if source == AssessmentSource.EXTERNAL
        else "",
        status=AssessmentStatus.SUBMITTED,
        # The platform reports dimension scores and scenario levels, not item answers.
        answers=answers if source == AssessmentSource.PORTAL else {},
        scenario_levels=levels,
        dimension_scores={k: str(v) for k, v in result.dimension_scores.items()},
        total_score=result.total,
        level=result.level.level,
        level_reasons="；".join(result.level.reasons),
        assessed_on=day,
    )


@transaction.atomic
def seed_assessments(scale: int = 0) -> str:
    """2023 (previous) and 2024 assessments; the demo account's enterprise (index 0) is in both."""
    from simple_history.utils import bulk_create_with_history

    from .selectors import current_version, questionnaire

    if Assessment.objects.filter(assessed_on__year=YEAR).exists():
        return ""
    enterprises = _enterprises()
    if len(enterprises) < 240:
        return ""
    q = questionnaire(current_version())
    periods = _periods()
    rng = random.Random(2024_2)
    maturity = {e.pk: rng.uniform(0.2, 0.85) for e in enterprises}
    chosen = [enterprises[0], *rng.sample(enterprises[1:], ASSESSED_2024 - 1)]
    rows: list[Assessment] = []
    # 2023: a first assessment for 40 of them, a little less mature.
    for i, e in enumerate(chosen[:ASSESSED_2023]):
        day = datetime.date(2023, 4 + (i % 8), 10 + i % 15)
        rows.append(
            _assessment(q, e, day, AssessmentSource.EXTERNAL, maturity[e.pk] - 0.1, rng, periods)
        )
    # 2024: 96 enterprises across the four quarterly rounds; 16 self-assessed on the portal.
    for i, e in enumerate(chosen):
        month = 1 + (i * 12) // ASSESSED_2024
        day = datetime.date(YEAR, month, 5 + (i * 7) % 20)
        source = AssessmentSource.PORTAL if i < PORTAL_2024 else AssessmentSource.EXTERNAL
        rows.append(_assessment(q, e, day, source, maturity[e.pk], rng, periods))
    for i, e in enumerate(chosen[PORTAL_2024 : PORTAL_2024 + REASSESSED_2024]):
        day = datetime.date(YEAR, 12, 2 + i)
        rows.append(
            _assessment(q, e, day, AssessmentSource.EXTERNAL, maturity[e.pk] + 0.05, rng, periods)
        )
    bulk_create_with_history(rows, Assessment, default_change_reason="演示数据")
    return f"{len(rows)} 份数字化评测"


@transaction.atomic
def seed_rounds(scale: int = 0) -> str:
    """A diagnostic round per 2024 quarter (assessed enterprises plus some not yet), and one for
    the current quarter listing the demo account's enterprise, so its reminder shows."""
    if DiagnosticRound.objects.exists():
        return ""
    enterprises = _enterprises()
    if len(enterprises) < 240:
        return ""
    periods = _periods()
    rng = random.Random(77)
    created = 0
    for quarter in range(1, 5):
        period = periods.get((YEAR, quarter))
        if period is None:
            continue
        assessed = set(
            Assessment.objects.filter(
                status=AssessmentStatus.SUBMITTED,
                assessed_on__gte=period.start_date,
                assessed_on__lte=period.end_date,
            ).values_list("enterprise_id", flat=True)
        )
        others = [e.pk for e in enterprises if e.pk not in assessed]
        due = sorted(assessed | set(rng.sample(others, 6)))
        r = DiagnosticRound.objects.create(
            period=period,
            title=f"{YEAR}年第{quarter}季度园区企业数字化诊断",
            due_date=period.end_date,
            notes="协羚羊平台开展数字化测评，局工作人员对重点企业上门诊断。",
        )
        r.enterprises.set(due)
        created += 1
    today = timezone.localdate()
    current = periods.get((today.year, _quarter(today)))
    if current is not None and current.year != YEAR:
        r = DiagnosticRound.objects.create(
            period=current,
            title=f"{current.year}年第{current.quarter}季度园区企业数字化诊断",
            due_date=current.end_date,
        )
        r.enterprises.set([enterprises[0].pk, *[e.pk for e in rng.sample(enterprises[1:], 29)]])
        created += 1
    return f"{created} 个季度诊断批次"


@transaction.atomic
def seed_visits(scale: int = 0) -> str:
    """25 enterprises visited in 2024 (30 visits), each with follow-up actions."""
    if DiagnosticVisit.objects.filter(date__year=YEAR).exists():
        return ""
    enterprises = _enterprises()
    if len(enterprises) < 240:
        return ""
    rng = random.Random(25)
    visited = [enterprises[0], *rng.sample(enterprises[1:], VISITED_2024 - 1)]
    rounds = {
        r.period.quarter: r
        for r in DiagnosticRound.objects.filter(period__year=YEAR).select_related("period")
    }
    findings = [
        ("生产设备联网率低，数据依靠人工记录", "建议部署设备数据采集终端，接入园区数字化平台"),
        ("已上线ERP但与生产环节未打通", "建议实施MES并与ERP集成，打通计划排程与生产管控"),
        ("质量检测依赖人工，追溯困难", "建议引入机器视觉检测与质量追溯系统"),
        ("能耗数据未计量到工序", "建议加装分项计量表并接入能耗管理平台"),
        ("信息安全制度缺失", "建议制定网络与数据安全制度，开展风险评估"),
    ]
    count = 0
    for i, e in enumerate(visited + visited[:5]):
        day = datetime.date(YEAR, 2 + (i * 10) // 30, 8 + (i * 3) % 18)
        finding, advice = findings[i % len(findings)]
        visit = DiagnosticVisit.objects.create(
            enterprise=e,
            date=day,
            kind=[VisitKind.SURVEY, VisitKind.DIAGNOSIS, VisitKind.GUIDANCE][i % 3],
            round=rounds.get(_quarter(day)),
            experts=f"{EVALUATOR}技术专家",
            findings=finding,
            recommendations=advice,
        )
        due = day + datetime.timedelta(days=45)
        done = due < datetime.date(YEAR, 12, 1)
        FollowUpAction.objects.create(
            visit=visit,
            description="企业提交数字化改造计划",
            owner="企业负责人",
            due_date=due,
            status="done" if done else "open",
            done_on=due - datetime.timedelta(days=3) if done else None,
        )
        if i % 2 == 0:
            FollowUpAction.objects.create(
                visit=visit,
                description="局里组织服务商回访，确认改造进度",
                owner="科技金融局",
                due_date=due + datetime.timedelta(days=60),
                status="open",
            )
        count += 1
    return f"{count} 次调研诊断"


@transaction.atomic
def seed_packages(scale: int = 0) -> str:
    """The catalogue, 89 enterprises given the free software package in 2024, some others."""
    created = 0
    packages = {}
    for name, kind, provider, contents, value in PACKAGES:
        package, new = ServicePackage.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "provider": provider,
                "contents": contents,
                "unit_value": value,
            },
        )
        packages[kind] = package
        created += new
    if ServiceDelivery.objects.filter(delivered_on__year=YEAR).exists():
        return f"{created} 个服务包" if created else ""
    enterprises = _enterprises()
    if len(enterprises) < 240:
        return ""
    rng = random.Random(89)
    given = [enterprises[0], *rng.sample(enterprises[1:], PACKAGES_2024 - 1)]
    rows = [
        ServiceDelivery(
            package=packages[PackageKind.FREE_SOFTWARE],
            enterprise=e,
            delivered_on=datetime.date(YEAR, 3 + (i * 9) // PACKAGES_2024, 1 + (i * 5) % 27),
            provider=EVALUATOR,
        )
        for i, e in enumerate(given)
    ]
    for i, e in enumerate(rng.sample(enterprises, 20)):
        rows.append(
            ServiceDelivery(
                package=packages[PackageKind.CONSULTING if i % 2 else PackageKind.CLOUD],
                enterprise=e,
                delivered_on=datetime.date(YEAR, 5 + i % 6, 12),
                provider=packages[PackageKind.CONSULTING if i % 2 else PackageKind.CLOUD].provider,
            )
        )
    from simple_history.utils import bulk_create_with_history

    bulk_create_with_history(rows, ServiceDelivery, default_change_reason="演示数据")
    return f"{len(rows)} 次服务包交付"


@transaction.atomic
def seed_meetings(scale: int = 0) -> str:
    """12 bureau meetings on digital transformation in 2024 (the seed's 10余次)."""
    kind = ActivityKind.objects.filter(code=MEETING_KIND).first()
    if kind is None:
        return ""
    enterprises = _enterprises()
    rng = random.Random(12)
    created = 0
    for i, topic in enumerate(MEETING_TOPICS):
        day = datetime.date(YEAR, 1 + i, 15 + i % 10)
        activity, new = Activity.objects.get_or_create(
            kind=kind,
            date=day,
            topic=topic,
            defaults={"place": "开发区管委会会议室", "attendance": rng.randint(12, 40)},
        )
        if new and enterprises:
            activity.enterprises.set(rng.sample(enterprises, min(8, len(enterprises))))
        created += new
    return f"{created} 次数字化转型会议" if created else ""


@transaction.atomic
def seed_project(scale: int = 0) -> str:
    """The 1800万元 demonstration-park project, its milestones, 3+3+6 enterprises and funds."""
    project, new = DemoParkProject.objects.get_or_create(
        name=PROJECT_NAME,
        defaults={
            "programme": "安徽省第二批数字化转型示范园区（一区一业一样板）",
            "approved_year": YEAR,
            "budget": PROJECT_BUDGET,
            "general_contractor": "安徽数智园区科技有限公司",
            "status": ProjectStatus.IN_PROGRESS,
            "description": "利用示范园区项目对园区电子信息产业进行数字化改造，打造“3+3+6”数字化转型示范模式。",
        },
    )
    created = int(new)
    for stage, planned, actual, status in MILESTONES:
        _m, made = Milestone.objects.get_or_create(
            project=project,
            stage=stage,
            defaults={
                "planned_date": datetime.date.fromisoformat(planned),
                "actual_date": datetime.date.fromisoformat(actual) if actual else None,
                "status": status,
            },
        )
        created += made
    enterprises = _enterprises()
    if len(enterprises) >= 240 and not DemonstrationEnterprise.objects.filter(year=YEAR).exists():
        # The most mature assessed enterprises become the demonstrations.
        ranked = list(
            Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, assessed_on__year=YEAR)
            .order_by("-total_score", "pk")
            .values_list("enterprise_id", flat=True)
        )
        picked: list[int] = []
        for pk in ranked:
            if pk not in picked:
                picked.append(pk)
            if len(picked) == 12:
                break
        by_pk = {e.pk: e for e in enterprises}
        i = 0
        for group, size in GROUP_SIZES:
            for _n in range(size):
                e = by_pk[picked[i]]
                DemonstrationEnterprise.objects.create(
                    enterprise=e,
                    group=group,
                    year=YEAR,
                    project=project,
                    case_title=f"{e.name.removeprefix('安徽')[:6]}数字化车间示范",
                )
                FundAllocation.objects.get_or_create(
                    project=project,
                    enterprise=e,
                    defaults={
                        "amount": GROUP_AMOUNTS[group],
                        "spent": GROUP_AMOUNTS[group] * Decimal("0.3")
                        if group == DemoGroup.OUTSTANDING
                        else Decimal("0"),
                        "purpose": "设备联网改造与MES系统建设",
                    },
                )
                created += 1
                i += 1
    return f"示范园区项目 {created} 项记录" if created else ""


@transaction.atomic
def seed_provincial(scale: int = 0) -> str:
    """2024 provincial typical demonstration applications: 2 approved, 1 not."""
    if ProvincialDemoApplication.objects.filter(batch_year=YEAR).exists():
        return ""
    enterprises = _enterprises()
    if len(enterprises) < 240:
        return ""
    cases = [
        (enterprises[3], "光电显示模组智能制造数字化改造", ApplicationStatus.APPROVED),
        (enterprises[7], "电子元器件全流程质量追溯数字化项目", ApplicationStatus.APPROVED),
        (enterprises[11], "精密结构件车间设备联网改造", ApplicationStatus.REJECTED),
    ]
    for i, (e, title, outcome) in enumerate(cases):
        at = datetime.datetime(YEAR, 4, 1, 9, tzinfo=datetime.UTC)
        app = ProvincialDemoApplication.objects.create(
            enterprise=e, project_title=title, batch_year=YEAR, status_changed_at=at
        )
        record_initial_status(app, remark="局里摸排推荐")
        transition_application(
            app, ApplicationStatus.PREPARING, at=at + datetime.timedelta(days=10)
        )
        transition_application(
            app, ApplicationStatus.SUBMITTED, at=at + datetime.timedelta(days=40)
        )
        fields = {}
        if outcome == ApplicationStatus.APPROVED:
            fields = {
                "level": Level.PROVINCIAL,
                "certificate_no": f"皖经信数字〔2024〕{31 + i}号",
                "approved_on": datetime.date(YEAR, 9, 20),
            }
        transition_application(
            app, outcome, at=at + datetime.timedelta(days=170), remark="省经信厅公示", **fields
        )
    return f"{len(cases)} 项省级数字化转型示范申报"


def seed_scale_assessments(scale: int = 0) -> str:
    """With --scale: the synthetic enterprises get records in the demo's proportions."""
    from enterprises.demo import clone_for_synthetic

    from .models import Assessment

    return clone_for_synthetic(
        Assessment, scale=scale, label="数字化评测", reset=("submitted_by_id",)
    )


STEPS = [
    (50, seed_assessments),
    (55, seed_rounds),
    (60, seed_visits),
    (65, seed_packages),
    (70, seed_meetings),
    (75, seed_project),
    (80, seed_provincial),
    (782, seed_scale_assessments),
]
