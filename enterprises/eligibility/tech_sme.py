"""科技型中小企业 (tech-based SME) evaluation (criteria §1: 国科发政〔2017〕115号 +
国科火字〔2022〕67号), the same in both rule sets."""

from __future__ import annotations

from decimal import Decimal

from .facts import ZERO, Facts
from .figures import _Figures, _missing_name, _ratio_value, band, fmt_pct, pct
from .results import RuleResult, Status
from .rules import (
    _alt,
    _amount_rule,
    _any_of,
    _award,
    _banded,
    _check,
    _institution,
    _manual,
    _score_verdict,
    _scored,
    _title,
    _unknown,
)
from .text import _, _f

TECH_STAFF_BANDS = [(30, 20), (25, 16), (20, 12), (15, 8), (10, 4)]
RD_REVENUE_BANDS = [(6, 50), (5, 40), (4, 30), (3, 20), (2, 10)]
RD_COST_BANDS = [(30, 50), (25, 40), (20, 30), (15, 20), (10, 10)]


def tech_sme_ip_points(class1: int, class2: int) -> int:
    """科技成果 points (30 max): any Class-I → 30; Class-II 4+ → 24, 3 → 18, 2 → 12, 1 → 6."""
    if class1 >= 1:
        return 30
    return {0: 0, 1: 6, 2: 12, 3: 18}.get(class2, 24)


def tech_sme(facts: Facts) -> tuple[list[RuleResult], tuple]:
    f, y = _Figures(facts), facts.prior_year
    rules = [_manual("H1", _("境内注册居民企业，查账征收，研发费用可单独核算"))]
    emp, miss = f.get(y, "employees")
    rules.append(
        _unknown("H2a", _("职工总数"), "<= 500人", miss)
        if miss
        else _check("H2a", _("职工总数"), emp <= 500, f"{emp}人", "<= 500人")
    )
    rules.append(_amount_rule(f, "H2b", _("年销售收入"), y, "revenue", "<=", 20000))
    rules.append(_amount_rule(f, "H2c", _("资产总额"), y, "total_assets", "<=", 20000))
    rules.append(_manual("H3", _("产品（服务）不属于国家禁止、限制和淘汰类")))
    rules.append(_manual("H4", _("上年及当年无重大安全、质量、环境事故及科研严重失信")))

    # Score (100): tech staff 20, R&D 50 (the better of the two bases), IP 30.
    (staff, total), m_staff = f.many((y, "tech_staff"), (y, "employees"))
    staff_ratio = pct(staff, total) if not m_staff else None
    s1, s1_low, s1_high = _banded(
        "S1", _("科技人员占比"), staff_ratio, m_staff, TECH_STAFF_BANDS, 20, ">= 10%"
    )
    rd_rev = _ratio_value(f, y, "rd_expense", "revenue")
    rd_cost = _ratio_value(f, y, "rd_expense", "cost_expense_total")
    points = [
        band(v, bands)
        for v, bands in ((rd_rev, RD_REVENUE_BANDS), (rd_cost, RD_COST_BANDS))
        if v is not None
    ]
    s2_low = max(points, default=ZERO)
    s2_high = s2_low if rd_rev is not None and rd_cost is not None else Decimal(50)
    s2_missing = (
        () if rd_rev is not None or rd_cost is not None else (_missing_name(y, "rd_expense"),)
    )
    s2 = _scored(
        "S2",
        _("研发投入（按收入或成本费用口径取优）"),
        s2_low,
        s2_high,
        50,
        _f(_("占收入%(a)s，占成本费用%(b)s"), {"a": fmt_pct(rd_rev), "b": fmt_pct(rd_cost)}),
        _("收入口径>=2%起分，成本费用口径>=10%起分"),
        s2_missing,
    )
    (c1, c2), m_ip = f.many((y, "class1_ip"), (y, "class2_ip"))
    if m_ip:
        s3_low, s3_high = ZERO, Decimal(30)
        s3 = _scored("S3", _("科技成果（知识产权）"), ZERO, Decimal(30), 30, "—", "", m_ip)
    else:
        s3_low = s3_high = Decimal(tech_sme_ip_points(c1, c2))
        s3 = _scored(
            "S3", _("科技成果（知识产权）"), s3_low, s3_low, 30, f"I类{c1}件，II类{c2}件", ""
        )
    low, high = s1_low + s2_low + s3_low, s1_high + s2_high + s3_high
    score = _score_verdict(
        "S",
        _("评价得分（≥60分且科技人员指标得分不为0）"),
        low,
        high,
        lambda s: s >= 60,
        ">= 60",
        [s1, s2, s3],
        counts=False,
    )
    if staff_ratio is not None and s1_low == 0:
        score = score._replace(status=Status.FAIL, missing=())
    direct = [
        _alt(_title(facts, ["hitech"], "D1", _("持有有效高新技术企业证书"), counts=False)),
        _award(facts, "national", 3, 5),
        _institution(facts, "provincial", "D3", _("拥有省部级以上研发机构")),
        _led_standard(facts),
    ]
    rules += [s1, s2, s3, score, *direct]
    rules.append(_any_of("H5", _("评价得分达标或符合直接认定条件"), [score, *direct]))
    return rules, (low, high, "≥ 60")


def _led_standard(facts: Facts) -> RuleResult:
    label = _("近5年主导制定国际、国家或行业标准")
    if facts.led_standard_year is None:
        return _check("D4", label, False, _("无记录"), "", counts=False)
    ok = facts.led_standard_year >= facts.assessment_date.year - 5
    return _check("D4", label, ok, str(facts.led_standard_year), "", counts=False)
