"""Conditions of a level for an incubator (孵化器认定条件), as plain Python.

National level (国家级科技企业孵化器) per 《科技企业孵化器管理办法》 国科发区〔2018〕300号, as
transcribed in criteria.md §7. Each condition is met, unmet or unknown (a figure is missing),
with the distance to the threshold, so staff see how far an incubator striving for national
level still has to go. Provincial and municipal conditions are set locally and are not on
file (criteria.md §7): `check_level` says so rather than guessing.
"""

import enum
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# Remote/hardship regions may apply thresholds 20% lower (criteria.md §7, VERIFIED).
HARDSHIP_FACTOR = Decimal("0.8")

NATIONAL_MIN_YEARS_OPERATING = 3
NATIONAL_MIN_STATISTICS_YEARS = 2
NATIONAL_MIN_AREA_M2 = Decimal("10000")
NATIONAL_MIN_TENANT_AREA_SHARE = Decimal("0.75")
NATIONAL_MIN_SEED_FUND = Decimal("5000000")  # 元 (500万)
NATIONAL_MIN_FINANCED_SHARE = Decimal("0.10")
NATIONAL_MIN_FUND_USE_CASES = 3
NATIONAL_MIN_TENANTS = 50
NATIONAL_MIN_TENANTS_PER_1000_M2 = Decimal("3")
NATIONAL_MIN_GRADUATES = 20
NATIONAL_MIN_PROFESSIONAL_SHARE = Decimal("0.80")
NATIONAL_TENANTS_PER_PROFESSIONAL_AND_MENTOR = 10
NATIONAL_MIN_PATENT_FILING_SHARE = Decimal("0.50")
NATIONAL_MIN_VALID_IP_SHARE = Decimal("0.30")


class Outcome(enum.Enum):
    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"met": _("已达到"), "unmet": _("未达到"), "unknown": _("数据不全")}[self.value]


@dataclass(frozen=True)
class IncubatorFacts:
    """What the conditions look at; None means the figure is not known."""

    years_operating: int | None = None
    statistics_years: int | None = None
    area_m2: Decimal | None = None
    tenant_area_m2: Decimal | None = None
    seed_fund: Decimal | None = None  # 元
    tenants: int | None = None
    financed_tenants: int | None = None
    fund_use_cases: int | None = None
    graduates: int | None = None  # cumulative
    staff_total: int | None = None
    professional_staff: int | None = None
    mentors: int | None = None
    tenants_with_patent_filings: int | None = None
    tenants_with_valid_ip: int | None = None
    hardship_region: bool = False


@dataclass(frozen=True)
class ConditionResult:
    code: str
    label: str
    requirement: str
    actual: str
    outcome: Outcome
    gap: str = ""  # what is still missing, when unmet ("还差 2,000 ㎡")
    confidence: str = "VERIFIED"  # criteria.md's label for the threshold

    @property
    def met(self) -> bool:
        return self.outcome is Outcome.MET


@dataclass(frozen=True)
class LevelCheck:
    level: str
    results: list[ConditionResult] = field(default_factory=list)
    note: str = ""

    @property
    def has_criteria(self) -> bool:
        return bool(self.results)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def met_count(self) -> int:
        return self.count(Outcome.MET)

    @property
    def unmet_count(self) -> int:
        return self.count(Outcome.UNMET)

    @property
    def unknown_count(self) -> int:
        return self.count(Outcome.UNKNOWN)

    @property
    def all_met(self) -> bool:
        return self.has_criteria and self.met_count == len(self.results)


def _fmt(value: Decimal | int | float, places: int = 0) -> str:
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    return f"{number:,}"


def _pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def _at_least(
    code: str,
    label: str,
    actual: Decimal | int | None,
    threshold: Decimal | int,
    unit: str,
    *,
    confidence: str = "VERIFIED",
    places: int = 0,
) -> ConditionResult:
    requirement = f"≥ {_fmt(threshold, places)} {unit}".strip()
    if actual is None:
        return ConditionResult(code, label, requirement, "—", Outcome.UNKNOWN, "", confidence)
    shown = f"{_fmt(actual, places)} {unit}".strip()
    if Decimal(actual) >= Decimal(threshold):
        return ConditionResult(code, label, requirement, shown, Outcome.MET, "", confidence)
    gap = _("还差 %(n)s %(u)s") % {
        "n": _fmt(Decimal(threshold) - Decimal(actual), places),
        "u": unit,
    }
    return ConditionResult(code, label, requirement, shown, Outcome.UNMET, gap, confidence)


def _share_at_least(
    code: str,
    label: str,
    part: Decimal | int | None,
    whole: Decimal | int | None,
    share: Decimal,
    unit: str,
    *,
    confidence: str = "VERIFIED",
) -> ConditionResult:
    """part/whole ≥ share; the gap is said in the part's unit (how many more are needed)."""
    requirement = f"≥ {_pct(share)}"
    if part is None or whole is None:
        return ConditionResult(code, label, requirement, "—", Outcome.UNKNOWN, "", confidence)
    whole_d, part_d = Decimal(whole), Decimal(part)
    if whole_d == 0:
        return ConditionResult(
            code, label, requirement, "—", Outcome.UNMET, "基数为0", confidence=confidence
        )
    ratio = part_d / whole_d
    shown = f"{_pct(ratio)}（{_fmt(part_d)}/{_fmt(whole_d)}）"
    if ratio >= share:
        return ConditionResult(code, label, requirement, shown, Outcome.MET, "", confidence)
    needed = Decimal(math.ceil(share * whole_d)) - part_d
    gap = _("还差 %(n)s %(u)s") % {"n": _fmt(needed), "u": unit}
    return ConditionResult(code, label, requirement, shown, Outcome.UNMET, gap, confidence)


def check_national(facts: IncubatorFacts) -> LevelCheck:
    """The national-level conditions (criteria.md §7), each met, unmet or unknown."""
    factor = HARDSHIP_FACTOR if facts.hardship_region else Decimal(1)
    min_area = NATIONAL_MIN_AREA_M2 * factor
    min_fund = NATIONAL_MIN_SEED_FUND * factor
    min_tenants = math.ceil(NATIONAL_MIN_TENANTS * factor)
    min_graduates = math.ceil(NATIONAL_MIN_GRADUATES * factor)
    results = [
        _at_least(
            "years_operating",
            _("运营时间"),
            facts.years_operating,
            NATIONAL_MIN_YEARS_OPERATING,
            "年",
        ),
        _at_least(
            "statistics_years",
            _("连续报送统计数据"),
            facts.statistics_years,
            NATIONAL_MIN_STATISTICS_YEARS,
            "年",
        ),
        _at_least("area", _("自有孵化场地面积"), facts.area_m2, min_area, "㎡"),
        _share_at_least(
            "tenant_area_share",
            _("在孵企业使用面积占比"),
            facts.tenant_area_m2,
            facts.area_m2,
            NATIONAL_MIN_TENANT_AREA_SHARE,
            "㎡",
        ),
        _at_least(
            "seed_fund",
            _("种子（孵化）资金"),
            None if facts.seed_fund is None else Decimal(facts.seed_fund) / 10000,
            min_fund / 10000,
            "万元",
        ),
        _share_at_least(
            "financed_share",
            _("获投融资在孵企业占比"),
            facts.financed_tenants,
            facts.tenants,
            NATIONAL_MIN_FINANCED_SHARE,
            "家",
        ),
        _at_least(
            "fund_use_cases",
            _("孵化资金使用案例"),
            facts.fund_use_cases,
            NATIONAL_MIN_FUND_USE_CASES,
            "个",
        ),
        _at_least(
            "tenants",
            _("在孵企业数"),
            facts.tenants,
            min_tenants,
            "家",
            confidence="FROM-KNOWLEDGE",
        ),
        _density(facts),
        _at_least(
            "graduates",
            _("累计毕业企业"),
            facts.graduates,
            min_graduates,
            "家",
            confidence="FROM-KNOWLEDGE",
        ),
        _share_at_least(
            "professional_share",
            _("专业孵化服务人员占比"),
            facts.professional_staff,
            facts.staff_total,
            NATIONAL_MIN_PROFESSIONAL_SHARE,
            "人",
            confidence="FROM-KNOWLEDGE",
        ),
        _per_ten_tenants(facts),
        _ip(facts),
    ]
    note = (
        _("适用欠发达地区标准：面积、资金、在孵企业和毕业企业数量指标降低20%。")
        if (facts.hardship_region)
        else ""
    )
    return LevelCheck(level="national", results=results, note=note)


def _density(facts: IncubatorFacts) -> ConditionResult:
    label, requirement = _("在孵企业密度"), f"≥ {NATIONAL_MIN_TENANTS_PER_1000_M2} 家/千㎡"
    confidence = "FROM-KNOWLEDGE"
    if facts.tenants is None or facts.area_m2 is None:
        return ConditionResult("density", label, requirement, "—", Outcome.UNKNOWN, "", confidence)
    if facts.area_m2 == 0:
        return ConditionResult(
            "density", label, requirement, "—", Outcome.UNMET, "无孵化场地", confidence
        )
    density = Decimal(facts.tenants) * 1000 / Decimal(facts.area_m2)
    shown = f"{density.quantize(Decimal('0.01'))} 家/千㎡"
    if density >= NATIONAL_MIN_TENANTS_PER_1000_M2:
        return ConditionResult("density", label, requirement, shown, Outcome.MET, "", confidence)
    needed = math.ceil(NATIONAL_MIN_TENANTS_PER_1000_M2 * Decimal(facts.area_m2) / 1000)
    gap = f"还差 {needed - facts.tenants} 家在孵企业"
    return ConditionResult("density", label, requirement, shown, Outcome.UNMET, gap, confidence)


def _per_ten_tenants(facts: IncubatorFacts) -> ConditionResult:
    """Per 10 tenants at least 1 professional incubation staff and 1 mentor."""
    label = _("每10家在孵企业配备专业人员和创业导师")
    requirement = "各 ≥ 1 人/10家"
    confidence = "FROM-KNOWLEDGE"
    if facts.tenants is None or facts.professional_staff is None or facts.mentors is None:
        return ConditionResult("per_ten", label, requirement, "—", Outcome.UNKNOWN, "", confidence)
    needed = math.ceil(facts.tenants / NATIONAL_TENANTS_PER_PROFESSIONAL_AND_MENTOR)
    shown = f"专业人员 {facts.professional_staff} 人，导师 {facts.mentors} 人（需各 {needed} 人）"
    gaps = []
    if facts.professional_staff < needed:
        gaps.append(f"专业人员还差 {needed - facts.professional_staff} 人")
    if facts.mentors < needed:
        gaps.append(f"导师还差 {needed - facts.mentors} 人")
    outcome = Outcome.UNMET if gaps else Outcome.MET
    return ConditionResult(
        "per_ten", label, requirement, shown, outcome, "，".join(gaps), confidence
    )


def _ip(facts: IncubatorFacts) -> ConditionResult:
    """≥ 50% of tenants filed patents, or ≥ 30% hold valid IP (either suffices)."""
    label = _("在孵企业知识产权")
    requirement = (
        f"申请专利的企业 ≥ {_pct(NATIONAL_MIN_PATENT_FILING_SHARE)}，"
        f"或拥有有效知识产权的企业 ≥ {_pct(NATIONAL_MIN_VALID_IP_SHARE)}"
    )
    confidence = "FROM-KNOWLEDGE"
    filing = _share_at_least(
        "ip",
        label,
        facts.tenants_with_patent_filings,
        facts.tenants,
        NATIONAL_MIN_PATENT_FILING_SHARE,
        "家",
    )
    valid = _share_at_least(
        "ip", label, facts.tenants_with_valid_ip, facts.tenants, NATIONAL_MIN_VALID_IP_SHARE, "家"
    )
    shown = f"申请专利 {filing.actual}；有效知识产权 {valid.actual}"
    if Outcome.MET in (filing.outcome, valid.outcome):
        return ConditionResult("ip", label, requirement, shown, Outcome.MET, "", confidence)
    if Outcome.UNKNOWN in (filing.outcome, valid.outcome):
        return ConditionResult("ip", label, requirement, shown, Outcome.UNKNOWN, "", confidence)
    gap = f"申请专利{filing.gap}，或有效知识产权{valid.gap}"
    return ConditionResult("ip", label, requirement, shown, Outcome.UNMET, gap, confidence)


def check_level(facts: IncubatorFacts, level: str) -> LevelCheck:
    """The conditions of `level` ('national', 'provincial', …); only national is on file."""
    if level == "national":
        return check_national(facts)
    return LevelCheck(
        level=level,
        note=_("省级及以下孵化载体的认定条件由地方规定，尚未录入系统，请按当地文件人工核对。"),
    )


def years_between(start, end) -> int:
    """Whole years from date `start` to date `end` (0 if end precedes start)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(0, years)
