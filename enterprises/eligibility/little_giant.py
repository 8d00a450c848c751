"""专精特新"小巨人" (little giant) recognition under the 2022 measures (criteria §3.5)."""

from __future__ import annotations

from decimal import Decimal

from .facts import WAN, Facts
from .figures import (
    _debt_ratio,
    _Figures,
    _ratio_value,
    _sum,
    _two_year_growth,
    fmt_pct,
    fmt_wan,
    pct,
)
from .results import RuleResult
from .rules import (
    _all_of,
    _alt,
    _any_of,
    _award,
    _check,
    _general_manual,
    _institution,
    _manual,
    _niche_rule,
    _ratio_rule,
    _sme_rule,
    _title,
    _unknown,
)
from .text import _, _year_label


def little_giant_rd_rule(revenue: Decimal) -> int | None:
    """Required R&D ratio (percent) by revenue: ≥1亿 → 3, 5000万–1亿 → 6, below → None."""
    if revenue >= 10000 * WAN:
        return 3
    if revenue >= 5000 * WAN:
        return 6
    return None


def little_giant(facts: Facts) -> tuple[list[RuleResult], tuple | None]:
    f, y = _Figures(facts), facts.prior_year
    rules = [
        _sme_rule(facts),
        _general_manual(),
        _title(facts, ["specialised_sme"], "pre", _("持有专精特新中小企业称号"), counts=True),
        _niche_rule(facts, "Z1", 3),
        _ratio_rule(
            f,
            "Z2",
            _("主营业务收入占营业收入比重"),
            y,
            "main_business_revenue",
            "revenue",
            ">=",
            70,
        ),
    ]
    growth, m = _two_year_growth(f, "main_business_revenue", y)
    rules.append(
        _unknown("Z3", _("近两年主营业务收入平均增长率"), ">= 5%", m)
        if m
        else _check("Z3", _("近两年主营业务收入平均增长率"), growth >= 5, fmt_pct(growth), ">= 5%")
    )
    rules.append(_manual("J1", _("至少1项核心业务采用信息系统支撑")))
    rules.append(_manual("J2", _("取得管理体系认证或发达国家产品认证")))
    debt, m = _debt_ratio(f, y)
    rules.append(
        _unknown("J3", _("资产负债率"), "<= 70%", m)
        if m
        else _check("J3", _("资产负债率"), debt <= 70, fmt_pct(debt), "<= 70%")
    )
    rules.append(_manual("T1", _("主导产品细分市场占有率 >= 10%")))
    rules.append(_manual("T2", _("拥有直接面向市场并具有竞争优势的自主品牌")))

    general: list[RuleResult] = []
    for year in (y - 1, y):
        (rev, rd), m = f.many((year, "revenue"), (year, "rd_expense"))
        label = _year_label(_("%(y)s年研发费用占营业收入比重"), year)
        if m:
            general.append(_unknown(f"X1_{year}", label, _("按营业收入分档"), m, counts=False))
            continue
        limit = little_giant_rd_rule(Decimal(rev))
        if limit is not None:
            value = pct(rd, rev)
            general.append(
                _check(
                    f"X1_{year}",
                    label,
                    value >= limit,
                    fmt_pct(value),
                    f">= {limit}%",
                    counts=False,
                )
            )
            continue
        # Below 5000万: equity ≥ 8000万 in 2 years, R&D ≥ 3000万, R&D staff ≥ 50%.
        equity, m_eq = _sum(f, "equity_financing", (y - 1, y))
        rd2, m_rd = _sum(f, "rd_expense", (y - 1, y))
        staff = _ratio_value(f, y, "rd_staff", "employees")
        _v, m_st = f.many((y, "rd_staff"), (y, "employees"))
        if m_eq or m_rd or m_st:
            general.append(_unknown(f"X1_{year}", label, "", m_eq + m_rd + m_st, counts=False))
            continue
        ok = equity >= 8000 * WAN and rd2 >= 3000 * WAN and staff >= 50
        general.append(
            _check(
                f"X1_{year}",
                _("营业收入不足5000万元时：股权融资、研发费用、研发人员"),
                ok,
                f"{fmt_wan(equity)}，{fmt_wan(rd2)}，{fmt_pct(staff)}",
                _(">= 8000万元，>= 3000万元，>= 50%"),
                counts=False,
            )
        )
    institution = _institution(facts, "county", "X2", _("自建或与高校、科研机构联合建立研发机构"))
    c1, m = f.get(y, "class1_ip")
    ip = (
        _unknown("X3", _("与主导产品相关的I类知识产权"), ">= 2件", m, counts=False)
        if m
        else _check(
            "X3",
            _("与主导产品相关的I类知识产权"),
            c1 >= 2,
            f"{c1}件",
            ">= 2件",
            note=_("须已实际应用并产生收入，需人工核实"),
            counts=False,
        )
    )
    general += [institution, ip]
    general_all = _alt(_all_of("X", _("创新能力（研发投入、研发机构、知识产权）"), general))
    direct = _award(facts, "national", 3, 3)
    rules += [*general, general_all, direct]
    rules.append(_any_of("X0", _("创新能力条件或直通条件"), [general_all, direct]))
    rules.append(_manual("L1", _("位于产业链关键环节（补短板、锻长板、填空白）")))
    rules.append(_manual("L2", _("主导产品属于工业“六基”、制造强国或网络强国重点领域")))
    return rules, None
