"""Demo enterprises of a county development zone like the seed's (舒城开发区, 安徽省)."""

import datetime
import random
import sys
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bureau.models import ApplicationStatus, ReportingPeriod

from .credit_code import ALPHABET, make_code
from .models import (
    AnnualFigures,
    Enterprise,
    InnovationProfile,
    ParkZone,
    Qualification,
    QualificationKind,
    QuarterlyFigures,
    SizeClass,
    StrategicIndustry,
)

DEMO_ENTERPRISES = 240
REGION = "341523"  # 舒城县 (GB/T 2260)
ZONES = ["光电信息产业园", "智能制造产业园", "新材料产业园", "杭埠片区"]

# (name stem, industry division, strategic category): the zone's electronic-information focus.
TRADES = [
    ("光电科技", "39", StrategicIndustry.NEXT_GEN_IT),
    ("电子科技", "39", StrategicIndustry.NEXT_GEN_IT),
    ("半导体", "39", StrategicIndustry.NEXT_GEN_IT),
    ("显示技术", "39", StrategicIndustry.NEXT_GEN_IT),
    ("智能装备", "35", StrategicIndustry.HIGH_END_EQUIPMENT),
    ("精密机械", "34", StrategicIndustry.HIGH_END_EQUIPMENT),
    ("新材料", "26", StrategicIndustry.NEW_MATERIALS),
    ("塑胶制品", "29", ""),
    ("电气", "38", StrategicIndustry.NEW_ENERGY),
    ("汽车零部件", "36", StrategicIndustry.NEW_ENERGY_VEHICLES),
    ("软件", "65", StrategicIndustry.NEXT_GEN_IT),
    ("食品", "14", ""),
    ("纺织", "17", ""),
    ("环保科技", "77", StrategicIndustry.ENERGY_SAVING),
    ("生物科技", "27", StrategicIndustry.BIOTECH),
]
PREFIXES = list("华新中科恒远瑞达鑫泰宏盛博创金鼎天成立信嘉和启明晶越汇通九州万象龙腾安捷")
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")


def demo_code(index: int, salt: int = 0) -> str:
    """A valid credit code for demo enterprise `index` (deterministic)."""
    rng = random.Random(index * 7919 + salt)
    body = "".join(rng.choice(ALPHABET[:10] + "ABCDEFGH") for _ in range(9))
    return make_code("91" + REGION + body)


def _name(index: int, rng: random.Random) -> tuple[str, str, str]:
    stem, division, strategic = TRADES[index % len(TRADES)]
    a, b = PREFIXES[index % len(PREFIXES)], PREFIXES[(index * 7 + 3) % len(PREFIXES)]
    return f"安徽{a}{b}{stem}有限公司", division, strategic


def build_enterprises(count: int, *, start: int = 0, salt: int = 0) -> list[Enterprise]:
    zones = list(ParkZone.objects.order_by("order"))
    rng = random.Random(start + salt)
    result = []
    for i in range(start, start + count):
        name, division, strategic = _name(i, rng)
        if salt:
            name = name.replace("有限公司", f"{i}号有限公司")
        size = rng.choices(
            [SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO, SizeClass.LARGE], [20, 55, 22, 3]
        )[0]
        result.append(
            Enterprise(
                credit_code=demo_code(i, salt),
                name=name,
                industry_division=division,
                size_class=size,
                established_on=datetime.date(2005 + rng.randint(0, 17), rng.randint(1, 12), 1),
                registered_capital=Decimal(rng.choice([100, 200, 500, 1000, 2000, 5000])) * 10000,
                address=f"舒城县经济开发区{zones[i % len(zones)].name}{rng.randint(1, 99)}号",
                zone=zones[i % len(zones)],
                legal_representative=rng.choice(SURNAMES) + rng.choice("伟强军磊勇杰涛明"),
                contact_person=rng.choice(SURNAMES) + rng.choice("丽娟敏静芳燕霞"),
                contact_phone=f"0564-86{rng.randint(10000, 99999)}",
                strategic_industry=strategic,
                main_products=name.removeprefix("安徽")[2:].removesuffix("有限公司") + "产品",
            )
        )
    return result


def _annual(enterprise: Enterprise, year: int, rng: random.Random) -> AnnualFigures:
    base = {
        SizeClass.LARGE: 60000,
        SizeClass.MEDIUM: 12000,
        SizeClass.SMALL: 3000,
        SizeClass.MICRO: 400,
    }[enterprise.size_class]
    revenue = Decimal(int(base * rng.uniform(0.6, 1.6) * (1 + 0.08 * (year - 2023)))) * 10000
    employees = {"large": 1200, "medium": 360, "small": 90, "micro": 15}[enterprise.size_class]
    employees = max(5, int(employees * rng.uniform(0.6, 1.3)))
    rd = (revenue * Decimal(str(round(rng.uniform(0.01, 0.08), 4)))).quantize(Decimal("1"))
    assets = (revenue * Decimal(str(round(rng.uniform(0.6, 1.4), 3)))).quantize(Decimal("1"))
    return AnnualFigures(
        enterprise=enterprise,
        year=year,
        revenue=revenue,
        main_business_revenue=(revenue * Decimal("0.92")).quantize(Decimal("1")),
        rd_expense=rd,
        cost_expense_total=(revenue * Decimal("0.88")).quantize(Decimal("1")),
        hitech_product_revenue=(revenue * Decimal(str(round(rng.uniform(0.3, 0.8), 2)))).quantize(
            Decimal("1")
        ),
        total_assets=assets,
        total_liabilities=(assets * Decimal(str(round(rng.uniform(0.3, 0.75), 2)))).quantize(
            Decimal("1")
        ),
        net_profit=(revenue * Decimal(str(round(rng.uniform(-0.02, 0.12), 3)))).quantize(
            Decimal("1")
        ),
        employees=employees,
        tech_staff=int(employees * rng.uniform(0.08, 0.35)),
        rd_staff=int(employees * rng.uniform(0.05, 0.25)),
        invention_patents=rng.choice([0, 0, 1, 2, 3, 5]),
        utility_models=rng.randint(0, 12),
        design_patents=rng.randint(0, 3),
        software_copyrights=rng.randint(0, 6),
    )


BASE_YEARS = (2023, 2024, 2025)
SYNTHETIC_YEARS = (2021, 2022, 2023, 2024, 2025)  # five years of figures at --scale
SYNTHETIC_MARK = "号有限公司"  # synthetic firms are named "…{i}号有限公司"
SCALE_CHUNK = 5000  # synthetic enterprises per batch: bounds memory at N = 100,000


def add_figures(
    enterprises: list[Enterprise], *, seed: int = 1, years: tuple[int, ...] = BASE_YEARS
) -> int:
    """Annual figures of `years` and quarterly figures of every demo period, for `enterprises`."""
    rng = random.Random(seed)
    annual = [_annual(e, y, rng) for e in enterprises for y in years]
    bulk_create_with_history(annual, AnnualFigures, batch_size=2000)
    by_key = {(a.enterprise_id, a.year): a for a in annual}
    quarterly = []
    for period in ReportingPeriod.objects.filter(year__gte=2024):
        for e in enterprises:
            year_figures = by_key.get((e.pk, min(period.year, 2025)))
            share = Decimal(period.quarter) / 4 * Decimal(str(round(rng.uniform(0.9, 1.1), 3)))
            quarterly.append(
                QuarterlyFigures(
                    enterprise=e,
                    period=period,
                    revenue_ytd=(year_figures.revenue * share).quantize(Decimal("1")),
                    rd_expense_ytd=(year_figures.rd_expense * share).quantize(Decimal("1")),
                    industrial_output_ytd=(year_figures.revenue * share * Decimal("1.05")).quantize(
                        Decimal("1")
                    ),
                    tax_ytd=(year_figures.revenue * share * Decimal("0.04")).quantize(Decimal("1")),
                    employees=year_figures.employees,
                )
            )
    bulk_create_with_history(quarterly, QuarterlyFigures, batch_size=2000)
    return len(annual) + len(quarterly)


def seed(scale: int = 0) -> str:
    for order, name in enumerate(ZONES):
        ParkZone.objects.get_or_create(name=name, defaults={"order": order})
    done = []
    if not Enterprise.objects.filter(credit_code=demo_code(0)).exists():
        enterprises = bulk_create_with_history(
            build_enterprises(DEMO_ENTERPRISES), Enterprise, batch_size=1000
        )
        enterprises = list(
            Enterprise.objects.filter(credit_code__in=[e.credit_code for e in enterprises])
        )
        rows = add_figures(enterprises)
        done.append(f"{len(enterprises)} 家企业，{rows} 行企业数据")
    if scale:
        existing = synthetic_enterprises().count()
        made = rows = 0
        for start in range(existing, scale, SCALE_CHUNK):
            count = min(SCALE_CHUNK, scale - start)
            with transaction.atomic():
                extra = bulk_create_with_history(
                    build_enterprises(count, start=start, salt=1), Enterprise, batch_size=2000
                )
                extra = list(
                    Enterprise.objects.filter(credit_code__in=[e.credit_code for e in extra])
                )
                rows += add_figures(extra, seed=2 + start, years=SYNTHETIC_YEARS)
            made += len(extra)
            progress(f"合成企业 {start + count:,}/{scale:,}")
        if made:
            done.append(f"合成企业 {made} 家，{rows} 行企业数据")
    return "；".join(done)


# --- --scale: synthetic records in proportion to the demo's ---------------------------------


def progress(message: str) -> None:
    """Progress of a --scale step, on stderr so that it shows while the step runs."""
    sys.stderr.write(f"  … {message}\n")
    sys.stderr.flush()


def synthetic_enterprises():
    return Enterprise.objects.filter(name__contains=SYNTHETIC_MARK)


def clone_for_synthetic(
    model,
    *,
    scale: int,
    label: str,
    reset: tuple[str, ...] = (),
    pipeline: bool = False,
) -> str:
    """Give every synthetic enterprise a copy of the `model` rows of one demo enterprise
    (synthetic n copies demo n mod 240), so every kind of record grows in the demo's
    proportions and keeps the demo's per-enterprise constraints (one firm's rows never
    overlap each other there, so neither do the copies). `reset` fields are cleared (links
    to another firm's records). Pipeline models get one initial transition per copy. Only
    synthetic enterprises that have no `model` rows yet are filled: a second run adds
    nothing. Chunked, with history, one transaction per chunk."""
    if not scale:
        return ""
    from django.contrib.contenttypes.models import ContentType

    from bureau.models import ApplicationTransition

    base = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)[:DEMO_ENTERPRISES])
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname != "enterprise_id"
    ]
    by_base: dict[int, list[dict]] = {pk: [] for pk in base}
    for row in (
        model.objects.filter(enterprise_id__in=base).order_by("pk").values("enterprise_id", *fields)
    ):
        by_base[row.pop("enterprise_id")].append(row)
    if not any(by_base.values()):
        return ""
    have = set(
        model.objects.filter(enterprise__name__contains=SYNTHETIC_MARK)
        .values_list("enterprise_id", flat=True)
        .distinct()
    )
    synthetic = list(synthetic_enterprises().order_by("pk").values_list("pk", flat=True))
    todo = [
        (pk, by_base[base[n % len(base)]])
        for n, pk in enumerate(synthetic)
        if pk not in have and by_base[base[n % len(base)]]
    ]
    content_type = ContentType.objects.get_for_model(model) if pipeline else None
    created = 0
    for start in range(0, len(todo), SCALE_CHUNK):
        objs = [
            model(enterprise_id=pk, **{**row, **dict.fromkeys(reset)})
            for pk, rows in todo[start : start + SCALE_CHUNK]
            for row in rows
        ]
        with transaction.atomic():
            objs = bulk_create_with_history(objs, model, batch_size=2000)
            if pipeline:
                ApplicationTransition.objects.bulk_create(
                    [
                        ApplicationTransition(
                            content_type=content_type,
                            object_id=obj.pk,
                            from_status="",
                            to_status=obj.status,
                            at=obj.status_changed_at,
                            remark="合成数据",
                        )
                        for obj in objs
                    ],
                    batch_size=2000,
                )
        created += len(objs)
        progress(
            f"{label} {created:,}（企业 {min(start + SCALE_CHUNK, len(todo)):,}/{len(todo):,}）"
        )
    return f"合成{label} {created} 条" if created else ""


def seed_scale_qualifications(scale: int = 0) -> str:
    return clone_for_synthetic(Qualification, scale=scale, label="企业资质", pipeline=True)


def seed_scale_profiles(scale: int = 0) -> str:
    return clone_for_synthetic(InnovationProfile, scale=scale, label="企业创新要素")


# --- The tier ladder (梯次培育): the seed's section 四 -----------------------------------------

# Candidate → preparing → submitted → under review, then the final status (or stop earlier).
FLOW = [
    ApplicationStatus.PREPARING,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _run_pipeline(
    enterprise: Enterprise,
    kind: QualificationKind,
    batch_year: int,
    final: str,
    decided_on: datetime.date,
    *,
    level: str = "",
    certificate_no: str = "",
) -> Qualification:
    """One application walked through the shared flow, a few weeks between steps."""
    from bureau.services import record_initial_status

    from .services import move_qualification

    steps = [s for s in FLOW if FLOW.index(s) < (FLOW.index(final) + 1 if final in FLOW else 3)]
    start = decided_on - datetime.timedelta(days=30 * (len(steps) + 1))
    qualification = Qualification.objects.create(
        enterprise=enterprise,
        kind=kind,
        batch_year=batch_year,
        level=level or kind.default_level,
        status_changed_at=_at(start),
    )
    record_initial_status(qualification, remark="梯次培育摸排")
    for n, status in enumerate(steps, start=1):
        move_qualification(
            qualification, status, by=None, at=_at(start + datetime.timedelta(days=30 * n))
        )
    if final not in FLOW and final != ApplicationStatus.CANDIDATE:
        fields = {}
        if final == ApplicationStatus.APPROVED:
            fields = {"approved_on": decided_on, "certificate_no": certificate_no}
        move_qualification(qualification, final, by=None, at=_at(decided_on), **fields)
    return qualification


def _spread(year: int, i: int, n: int, first_month: int = 3, last_month: int = 12) -> datetime.date:
    """The i-th of n dates spread over first_month..last_month of `year`."""
    months = last_month - first_month + 1
    month = first_month + (i * months) // max(n, 1)
    return datetime.date(year, month, 1 + (i * 7) % 27)


# (kind, batch year, final status, how many, year decided, level, first demo index, step)
# Indices walk the demo enterprises (pk order, large firms skipped); sets that could overlap
# in validity (same kind and level) use disjoint indices.
LADDER_PLAN = [
    # 科小入库: a registration number is valid for its year only; most firms renew each year.
    ("tech_sme", 2023, ApplicationStatus.APPROVED, 150, 2023, "", 0, 1),
    ("tech_sme", 2024, ApplicationStatus.APPROVED, 181, 2024, "", 0, 1),
    ("tech_sme", 2025, ApplicationStatus.APPROVED, 176, 2025, "", 0, 1),
    ("tech_sme", 2026, ApplicationStatus.APPROVED, 120, 2026, "", 0, 1),
    # 高企: 3 years from recognition. 2024 brought 23 new ones (seed: 新培育高企23家).
    ("hitech", 2021, ApplicationStatus.APPROVED, 12, 2021, "", 5, 10),
    ("hitech", 2023, ApplicationStatus.APPROVED, 14, 2023, "", 0, 10),
    ("hitech", 2024, ApplicationStatus.APPROVED, 23, 2024, "", 1, 10),
    ("hitech", 2025, ApplicationStatus.APPROVED, 9, 2025, "", 7, 10),
    ("hitech", 2026, ApplicationStatus.UNDER_REVIEW, 8, 2026, "", 9, 10),
    # 战略性新兴产业入库: 20 added in 2024 (seed: 新调整战略新兴产业入库20家).
    ("strategic_emerging", 2023, ApplicationStatus.APPROVED, 12, 2023, "", 100, 2),
    ("strategic_emerging", 2024, ApplicationStatus.APPROVED, 20, 2024, "", 1, 4),
    # 创新型中小企业: recognised in 2023; 30 applications in the 2025 batch (target 30).
    ("innovative_sme", 2023, ApplicationStatus.APPROVED, 20, 2023, "", 2, 6),
    ("innovative_sme", 2025, ApplicationStatus.SUBMITTED, 30, 2025, "", 4, 5),
    ("innovative_sme", 2026, ApplicationStatus.PREPARING, 12, 2026, "", 7, 11),
    # 专精特新中小企业 (provincial): 10 recognised in 2023, 17 under review in 2024's batch.
    ("specialised_sme", 2023, ApplicationStatus.APPROVED, 10, 2023, "provincial", 2, 12),
    ("specialised_sme", 2024, ApplicationStatus.UNDER_REVIEW, 17, 2024, "provincial", 8, 10),
    ("specialised_sme", 2024, ApplicationStatus.REJECTED, 2, 2024, "provincial", 9, 50),
    # 专精特新"小巨人": 2 new provincial ones in 2024 (seed: 新培育省级专精特新"小巨人"2家),
    # taken from the 2023 specialised SMEs.
    ("little_giant", 2024, ApplicationStatus.APPROVED, 2, 2024, "provincial", 2, 12),
]


def _plan_enterprises(smes: list[Enterprise], first: int, step: int, count: int) -> list:
    picked = []
    i = first
    while len(picked) < count:
        picked.append(smes[i % len(smes)])
        i += step
    return picked


def seed_ladder(scale: int = 0) -> str:
    """Qualifications of the demo zone, each walked through the pipeline; once per group."""
    from bureau.services import trusted_writes

    with trusted_writes():
        return _seed_ladder()


def _seed_ladder() -> str:
    kinds = {k.code: k for k in QualificationKind.objects.all()}
    enterprises = list(Enterprise.objects.order_by("pk")[:DEMO_ENTERPRISES])
    smes = [e for e in enterprises if e.size_class != SizeClass.LARGE]
    if not smes:
        return ""
    created = 0
    for code, batch, final, count, year, level, first, step in LADDER_PLAN:
        kind = kinds[code]
        group = Qualification.objects.filter(kind=kind, batch_year=batch, status=final)
        if level:
            group = group.filter(level=level)
        if group.exists():
            continue
        for i, enterprise in enumerate(_plan_enterprises(smes, first, step, count)):
            decided = _spread(year, i, count, *((4, 10) if code == "tech_sme" else (3, 12)))
            if year == 2026:  # keep 2026 decisions in the past of the demo's "today"
                decided = _spread(year, i, count, 3, 10)
            certificate = ""
            if final == ApplicationStatus.APPROVED and kind.requires_certificate:
                prefix = {"tech_sme": "KX", "hitech": "GR", "little_giant": "XJR"}.get(code, "ZJ")
                certificate = f"{prefix}{year}34{enterprise.pk:05d}"
            _run_pipeline(
                enterprise, kind, batch, final, decided, level=level, certificate_no=certificate
            )
            created += 1
    return f"{created} 条企业资质" if created else ""


def seed_innovation_profiles(scale: int = 0) -> str:
    """Innovation facts for every third demo SME, so pre-screening has them to work with."""
    enterprises = list(Enterprise.objects.order_by("pk")[:DEMO_ENTERPRISES])
    have = set(InnovationProfile.objects.values_list("enterprise_id", flat=True))
    rng = random.Random(77)
    rows = []
    for i, enterprise in enumerate(enterprises):
        if i % 3 or enterprise.pk in have:
            continue
        rows.append(
            InnovationProfile(
                enterprise=enterprise,
                niche_since_year=rng.randint(2012, 2022),
                rd_institution_level=rng.choice(["none", "county", "municipal", "provincial"]),
                award_level=rng.choice(["none", "none", "none", "municipal", "provincial"]),
                award_year=rng.randint(2020, 2025),
                award_rank=rng.randint(1, 5),
                high_value_class1_ip=rng.choice([0, 0, 1]),
                self_developed_class1_ip=rng.choice([0, 1, 2]),
                digital_level=rng.randint(1, 4),
                development_score=Decimal(rng.randint(35, 80)),
                development_score_year=2025,
            )
        )
    bulk_create_with_history(rows, InnovationProfile)
    return f"{len(rows)} 家企业创新要素" if rows else ""


def seed_ladder_targets(scale: int = 0) -> str:
    from bureau.models import Target

    from .metrics import INNOVATIVE_APPLICATIONS_KEY

    _target, new = Target.objects.get_or_create(
        year=2025,
        figure_key=INNOVATIVE_APPLICATIONS_KEY,
        defaults={
            "label": "创新型中小企业申报",
            "target_value": 30,
            "unit": "家",
            "note": "2024年度工作总结：创小申报工作正在进行，预计申报30家",
        },
    )
    return "1 项梯次培育目标" if new else ""


def seed_prescreen_results(scale: int = 0) -> str:
    """Last step: every enterprise's pre-screening results, so the lists show them at once."""
    from . import prescreening

    written = prescreening.refresh_all()
    return f"预筛结果 {written} 条"


STEPS = [
    (10, seed),
    (50, seed_innovation_profiles),
    (60, seed_ladder),
    (70, seed_ladder_targets),
    (780, seed_scale_qualifications),
    (781, seed_scale_profiles),
    (990, seed_prescreen_results),
]
