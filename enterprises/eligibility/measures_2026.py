"""The 2026 gradient measures (criteria §3.6: 工信部企业〔2026〕2号): specialised SME, little
giant, and the new entry tier 科技和创新型中小企业."""

from __future__ import annotations

from decimal import Decimal

from .facts import HUNDRED, WAN, Facts
from .figures import _debt_ratio, _Figures, _missing_name, _sum, fmt_pct, fmt_wan
from .innovative_sme import innovative_sme
from .results import DeferredRules, PrefixedRules, RuleResult, Status
from .rules import (
    _alt,
    _amount_rule,
    _any_of,
    _award,
    _check,
    _general_manual,
    _institution,
    _manual,
    _niche_rule,
    _outcome_rule,
    _ratio_rule,
    _sme_rule,
    _title,
    _unknown,
)
from .tech_sme import tech_sme
from .text import _, _lazy_call, _year_label


def _each_year_rd(f: _Figures, y: int) -> list[RuleResult]:
    out = []
    for year in (y - 1, y):
        out.append(
            _amount_rule(
                f,
                f"N3a_{year}",
                _year_label(_("%(y)s年研发费用"), year),
                year,
                "rd_expense",
                ">=",
                100,
            )
        )
        out.append(
            _ratio_rule(
                f,
                f"N3b_{year}",
                _year_label(_("%(y)s年研发费用占营业收入比重"), year),
                year,
                "rd_expense",
                "revenue",
                ">=",
                3,
            )
        )
    return out


def _development_score(facts: Facts, code: str, minimum: int) -> RuleResult:
    label = _("专精特新发展评价得分")
    if facts.development_score is None or (
        facts.development_score_year is not None and facts.development_score_year < facts.prior_year
    ):
        return _unknown(code, label, f">= {minimum}", (_("当年专精特新发展评价得分"),))
    return _check(
        code,
        label,
        facts.development_score >= minimum,
        str(facts.development_score),
        f">= {minimum}",
        note=_("平台评价得分，由企业填报并提供佐证"),
    )


def specialised_sme_2026(facts: Facts) -> tuple[list[RuleResult], tuple | None]:
    f, y = _Figures(facts), facts.prior_year
    rules = [
        _sme_rule(facts),
        _general_manual(),
        _title(
            facts,
            ["tech_innovative_sme", "innovative_sme"],
            "N1a",
            _("持有科技和创新型中小企业称号（含有效期内的创新型中小企业）"),
            counts=True,
        ),
        _niche_rule(facts, "N1b", 3),
    ]
    revenue_rule = _alt(_amount_rule(f, "N2a1", _("上年营业收入"), y, "revenue", ">=", 1500))
    equity, m_eq = _sum(f, "equity_financing", (y - 1, y))
    equity_rule = (
        _unknown("N2a2", _("近两年新增实缴股权融资"), ">= 2000万元", m_eq, counts=False)
        if m_eq
        else _check(
            "N2a2",
            _("近两年新增实缴股权融资"),
            equity >= 2000 * WAN,
            fmt_wan(equity),
            ">= 2000万元",
            counts=False,
        )
    )
    rules += [
        revenue_rule,
        equity_rule,
        _any_of("N2a", _("营业收入达1500万元或股权融资达2000万元"), [revenue_rule, equity_rule]),
    ]
    rules.append(
        _ratio_rule(
            f,
            "N2b",
            _("主营业务收入占营业收入比重"),
            y,
            "main_business_revenue",
            "revenue",
            ">=",
            80,
        )
    )
    debt, m = _debt_ratio(f, y)
    rules.append(
        _unknown("N2c", _("资产负债率"), "<= 80%", m)
        if m
        else _check("N2c", _("资产负债率"), debt <= 80, fmt_pct(debt), "<= 80%")
    )
    rules += _each_year_rd(f, y)
    c1, m = f.get(y, "class1_ip")
    ip = (
        _unknown("N4a", _("与主导产品相关的I类知识产权"), ">= 1件", m, counts=False)
        if m
        else _check(
            "N4a",
            _("与主导产品相关的I类知识产权"),
            c1 >= 1,
            f"{c1}件",
            ">= 1件",
            note=_("须已应用并产生收入，外购不计"),
            counts=False,
        )
    )
    waivers = [
        _award(facts, "provincial", 3, 3),
        _institution(facts, "provincial", "N4c", _("拥有省部级以上研发机构")),
    ]
    rules += [
        ip,
        *waivers,
        _any_of("N4", _("知识产权条件（或获奖、研发机构豁免）"), [ip, *waivers]),
    ]
    rules.append(_manual("N5", _("主导产品在国内外细分市场中排名靠前")))
    rules.append(_development_score(facts, "N6", 50))
    return rules, None


def little_giant_2026(facts: Facts) -> tuple[list[RuleResult], tuple | None]:
    f, y = _Figures(facts), facts.prior_year
    rules = [
        _sme_rule(facts),
        _general_manual(),
        _title(facts, ["specialised_sme"], "G1a", _("持有专精特新中小企业称号"), counts=True),
        _niche_rule(facts, "G1b", 3),
        _amount_rule(f, "G2a", _("上年营业收入"), y, "revenue", ">=", 5000),
        _ratio_rule(
            f,
            "G2b",
            _("主营业务收入占营业收入比重"),
            y,
            "main_business_revenue",
            "revenue",
            ">=",
            90,
        ),
    ]
    (now, before), m = f.many((y, "revenue"), (y - 2, "revenue"))
    label = _("近两年营业收入复合增长率")
    if m:
        rules.append(_unknown("G2c", label, ">= 5%", m))
    elif before == 0:
        rules.append(
            _unknown("G2c", label, ">= 5%", (_missing_name(y - 2, "revenue") + "（为0）",))
        )
    else:
        ok = Decimal(now) >= Decimal(before) * Decimal("1.1025")  # (1 + 5%)²
        cagr = ((Decimal(now) / Decimal(before)).sqrt() - 1) * HUNDRED
        rules.append(_check("G2c", label, ok, fmt_pct(cagr), ">= 5%"))
    debt, m = _debt_ratio(f, y)
    rules.append(
        _unknown("G2d", _("资产负债率"), "<= 75%", m)
        if m
        else _check("G2d", _("资产负债率"), debt <= 75, fmt_pct(debt), "<= 75%")
    )
    rd2, m = _sum(f, "rd_expense", (y - 1, y))
    rules.append(
        _unknown("G3a", _("近两年研发费用总额"), ">= 1200万元", m)
        if m
        else _check("G3a", _("近两年研发费用总额"), rd2 >= 1200 * WAN, fmt_wan(rd2), ">= 1200万元")
    )
    for year in (y - 1, y):
        rules.append(
            _ratio_rule(
                f,
                f"G3b_{year}",
                _year_label(_("%(y)s年研发费用占营业收入比重"), year),
                year,
                "rd_expense",
                "revenue",
                ">=",
                3,
            )
        )
    c1, m = f.get(y, "class1_ip")
    ip = (
        _unknown("G4a", _("与主导产品相关的I类知识产权"), ">= 4件", m, counts=False)
        if m
        else _check(
            "G4a",
            _("与主导产品相关的I类知识产权"),
            c1 >= 4,
            f"{c1}件",
            ">= 4件",
            note=_("须已应用并产生收入"),
            counts=False,
        )
    )
    award = _award(facts, "national", 3, 3)
    rules += [ip, award, _any_of("G4", _("知识产权条件（或国家级获奖豁免）"), [ip, award])]
    rules.append(_manual("G5", _("细分市场占有率 >= 10% 或国内前三，拥有知名品牌")))
    rules.append(_manual("G6", _("主导产品属于关键基础领域，位于产业链关键环节")))
    rules.append(_development_score(facts, "G7", 60))
    return rules, None


def tech_innovative_sme_2026(facts: Facts) -> tuple[list, tuple | None]:
    """科技和创新型中小企业: its own standard is not yet published (criteria §3.6, §8.2), so both
    the 科小 scoring and the 创新型 scoring are run and either suffices. When the 科小 scoring
    passes, the 创新型 scoring cannot change the verdict: it is then worked out only if the
    rules are shown (ranking 10,000 enterprises needs the verdict alone)."""
    tech_rules, _t = tech_sme(facts)
    tech_verdict = _outcome_rule("TS", _TS_LABEL, tech_rules)

    def innovative() -> tuple[list[RuleResult], RuleResult]:
        innov_rules, _i = innovative_sme(facts)
        return innov_rules, _outcome_rule("IS", _IS_LABEL, innov_rules)

    if tech_verdict.status != Status.PASS:
        innov_rules, innov_verdict = innovative()
        return [
            PrefixedRules("科小·", tuple(tech_rules)),
            PrefixedRules("创新型·", tuple(innov_rules)),
            tech_verdict,
            innov_verdict,
            _any_of("TI", _TI_LABEL, [tech_verdict, innov_verdict]),
        ], None

    done: list = []

    def once() -> tuple[list[RuleResult], RuleResult]:
        if not done:
            done.append(innovative())
        return done[0]

    # Passed by the 科小 scoring: the composite passes whatever the 创新型 verdict; its value
    # names the passed scorings, so it is completed from that verdict when shown.
    def composite_value() -> str:
        return str(_any_of("TI", _TI_LABEL, [tech_verdict, once()[1]]).value)

    return [
        PrefixedRules("科小·", tuple(tech_rules)),
        DeferredRules(lambda: [PrefixedRules("创新型·", tuple(once()[0]))]),
        tech_verdict,
        DeferredRules(lambda: [once()[1]]),
        RuleResult("TI", _TI_LABEL, Status.PASS, value=_lazy_call(composite_value)),
    ], None


_TS_LABEL = _("按科技型中小企业评价")
_IS_LABEL = _("按创新型中小企业评价（63号标准过渡适用）")
_TI_LABEL = _("两套评价之一通过（新标准发布前）")
