"""Demo enterprises of a county development zone like the seed's (舒城开发区, 安徽省)."""

import datetime
import random
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from bureau.models import ReportingPeriod

from .credit_code import ALPHABET, make_code
from .models import (
    AnnualFigures,
    Enterprise,
    ParkZone,
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


def add_figures(enterprises: list[Enterprise], *, seed: int = 1) -> int:
    """Annual figures 2023–2025 and quarterly figures of every demo period, for `enterprises`."""
    rng = random.Random(seed)
    annual = [_annual(e, y, rng) for e in enterprises for y in (2023, 2024, 2025)]
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
        existing = Enterprise.objects.filter(name__contains="号有限公司").count()
        if existing < scale:
            extra = bulk_create_with_history(
                build_enterprises(scale - existing, start=existing, salt=1),
                Enterprise,
                batch_size=2000,
            )
            extra = list(Enterprise.objects.filter(credit_code__in=[e.credit_code for e in extra]))
            rows = add_figures(extra, seed=2)
            done.append(f"合成企业 {len(extra)} 家，{rows} 行企业数据")
    return "；".join(done)


STEPS = [(10, seed)]
