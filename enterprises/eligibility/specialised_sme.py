"""专精特新中小企业 (specialised SME) recognition under the 2022 measures (criteria §3.4)."""

from __future__ import annotations

from decimal import Decimal

from .facts import WAN, ZERO, Facts
from .figures import (
    _debt_ratio,
    _Figures,
    _ratio_value,
    _sum,
    _two_year_growth,
    band,
    fmt_pct,
    fmt_wan,
    pct,
)
from .results import RuleResult
from .rules import (
    _alt,
    _amount_rule,
    _any_of,
    _award,
    _banded,
    _check,
    _general_manual,
    _ip_points,
    _manual,
    _niche_rule,
    _niche_years,
    _ratio_rule,
    _score_verdict,
    _scored,
    _sme_rule,
    _unknown,
)
from .text import LEVEL_LABELS, TITLE_LABELS, _, code_label


def specialised_rd_points(rd_expense: Decimal, rd_ratio: Decimal | None) -> int:
    """研发投入 points (10 max): the better of the amount band (万元) and the ratio band (%)."""
    amount = band(rd_expense / WAN, [(500, 10), (400, 8), (300, 6), (200, 4), (100, 2)])
    ratio = band(rd_ratio, [(10, 10), (8, 8), (6, 6), (4, 4), (3, 2)]) if rd_ratio else ZERO
    return int(max(amount, ratio))


def specialised_debt_points(ratio: Decimal) -> int:
    """资产负债率 points (5 max): < 50% → 5; 50–60% → 3; 60–70% (70 included) → 1; > 70% → 0."""
    if ratio < 50:
        return 5
    if ratio < 60:
        return 3
    if ratio <= 70:
        return 1
    return 0


def specialised_sme(facts: Facts) -> tuple[list[RuleResult], tuple]:
    f, y = _Figures(facts), facts.prior_year
    rules = [_sme_rule(facts), _general_manual()]
    if "innovative_sme" in facts.titles:
        rules.append(
            _check("T", _("持有创新型中小企业称号"), True, TITLE_LABELS["innovative_sme"], "")
        )
    else:
        rules.append(
            _manual(
                "T",
                _("持有创新型中小企业称号"),
                note=_("2022年办法是否要求尚不明确，多数省份要求"),
                value=_("未持有"),
            )
        )
    rules.append(_niche_rule(facts, "Z1", 2))
    rules.append(_amount_rule(f, "Z2a", _("上年研发费用"), y, "rd_expense", ">=", 100))
    rules.append(
        _ratio_rule(f, "Z2b", _("上年研发费用占营业收入比重"), y, "rd_expense", "revenue", ">=", 3)
    )
    revenue_rule = _alt(_amount_rule(f, "Z3a", _("上年营业收入"), y, "revenue", ">=", 1000))
    equity2, m_eq2 = _sum(f, "equity_financing", (y - 1, y))
    equity_rule = (
        _unknown("Z3b", _("近两年新增股权融资"), ">= 2000万元", m_eq2, counts=False)
        if m_eq2
        else _check(
            "Z3b",
            _("近两年新增股权融资"),
            equity2 >= 2000 * WAN,
            fmt_wan(equity2),
            ">= 2000万元",
            counts=False,
        )
    )
    rules += [
        revenue_rule,
        equity_rule,
        _any_of("Z3", _("营业收入达1000万元或股权融资达2000万元"), [revenue_rule, equity_rule]),
    ]

    items, low, high = _specialised_score_items(facts, f, y)
    score = _score_verdict(
        "S",
        _("专精特新评价得分（≥60分）"),
        low,
        high,
        lambda s: s >= 60,
        ">= 60",
        items,
        counts=False,
    )
    rd2, m_rd2 = _sum(f, "rd_expense", (y - 1, y))
    direct = [
        _award(facts, "provincial", 3, 3),
        _award(facts, "national", 5, 3),
        _unknown("Z4c", _("近两年研发费用年均 >= 1000万元"), ">= 1000万元", m_rd2, counts=False)
        if m_rd2
        else _check(
            "Z4c",
            _("近两年研发费用年均 >= 1000万元"),
            rd2 / 2 >= 1000 * WAN,
            fmt_wan(rd2 / 2),
            ">= 1000万元",
            counts=False,
        ),
        _unknown("Z4d", _("近两年新增股权融资 >= 6000万元"), ">= 6000万元", m_eq2, counts=False)
        if m_eq2
        else _check(
            "Z4d",
            _("近两年新增股权融资 >= 6000万元"),
            equity2 >= 6000 * WAN,
            fmt_wan(equity2),
            ">= 6000万元",
            counts=False,
        ),
    ]
    rules += [*items, score, *direct]
    rules.append(
        _any_of(
            "Z4",
            _("评价得分达标或符合直接认定条件"),
            [score, *direct],
            threshold=_("创客中国500强等未采集，需人工核实"),
        )
    )
    return rules, (low, high, "≥ 60")


def _specialised_score_items(
    facts: Facts, f: _Figures, y: int
) -> tuple[list[RuleResult], Decimal, Decimal]:
    items: list[RuleResult] = []
    lows: list[Decimal] = []
    highs: list[Decimal] = []

    def add(item: RuleResult, lo: Decimal, hi: Decimal) -> None:
        items.append(item)
        lows.append(Decimal(lo))
        highs.append(Decimal(hi))

    share = _ratio_value(f, y, "main_business_revenue", "revenue")
    _v, m = f.many((y, "main_business_revenue"), (y, "revenue"))
    add(
        *_banded(
            "P1", _("主营业务收入占比"), share, m, [(80, 5), (70, 3), (60, 1)], 5, ">= 80% 5分"
        )
    )
    growth, m = _two_year_growth(f, "main_business_revenue", y)
    add(
        *_banded(
            "P2",
            _("近两年主营业务收入平均增长率"),
            growth,
            m,
            [(10, 10), (8, 8), (6, 6), (4, 4), (0, 2)],
            10,
            ">= 10% 10分",
        )
    )
    years = _niche_years(facts)
    if years is None:
        add(
            _scored(
                "P3",
                _("从事细分市场年限"),
                ZERO,
                Decimal(5),
                5,
                "—",
                _("每满2年1分"),
                (_("深耕细分市场起始年度"),),
            ),
            ZERO,
            Decimal(5),
        )
    else:
        pts = Decimal(min(5, years // 2))
        add(
            _scored("P3", _("从事细分市场年限"), pts, pts, 5, f"{years}年", _("每满2年1分")),
            pts,
            pts,
        )
    add(
        _scored("P4", _("主导产品所属领域"), ZERO, Decimal(5), 5, "—", "", manual=True),
        ZERO,
        Decimal(5),
    )
    if facts.digital_level is None:
        add(
            _scored(
                "F1",
                _("数字化水平"),
                ZERO,
                Decimal(5),
                5,
                "—",
                _("三级及以上5分"),
                (_("数字化水平等级"),),
            ),
            ZERO,
            Decimal(5),
        )
    else:
        pts = Decimal(5 if facts.digital_level >= 3 else 3 if facts.digital_level == 2 else 0)
        add(
            _scored(
                "F1", _("数字化水平"), pts, pts, 5, f"{facts.digital_level}级", _("三级及以上5分")
            ),
            pts,
            pts,
        )
    add(
        _scored(
            "F2", _("质量管理（获奖、认证、品牌、标准）"), ZERO, Decimal(5), 5, "—", "", manual=True
        ),
        ZERO,
        Decimal(5),
    )
    margin = _ratio_value(f, y, "net_profit", "revenue")
    _v, m = f.many((y, "net_profit"), (y, "revenue"))
    add(
        *_banded(
            "F3",
            _("净利润率"),
            margin,
            m,
            [(10, 10), (8, 8), (6, 6), (4, 4), (2, 2)],
            10,
            ">= 10% 10分",
        )
    )
    debt, m = _debt_ratio(f, y)
    if debt is None:
        add(
            _scored("F4", _("资产负债率"), ZERO, Decimal(5), 5, "—", "< 50% 5分", m),
            ZERO,
            Decimal(5),
        )
    else:
        pts = Decimal(specialised_debt_points(debt))
        add(_scored("F4", _("资产负债率"), pts, pts, 5, fmt_pct(debt), "< 50% 5分"), pts, pts)
    add(
        _scored("T1", _("特色化指标（省级设定）"), ZERO, Decimal(15), 15, "—", "", manual=True),
        ZERO,
        Decimal(15),
    )
    lo, hi, m, value = _ip_points(facts, f, y, (10, 8, 6, 2))
    add(
        _scored("N1", _("与主导产品相关的知识产权"), lo, hi, 10, value, _("I类高价值10分"), m),
        lo,
        hi,
    )
    (rd, rev), m = f.many((y, "rd_expense"), (y, "revenue"))
    if m:
        add(_scored("N2", _("上年研发投入"), ZERO, Decimal(10), 10, "—", "", m), ZERO, Decimal(10))
    else:
        ratio = pct(rd, rev)
        pts = Decimal(specialised_rd_points(Decimal(rd), ratio))
        add(
            _scored(
                "N2",
                _("上年研发投入"),
                pts,
                pts,
                10,
                f"{fmt_wan(rd)}，{fmt_pct(ratio)}",
                _(">= 500万元或10%得10分"),
            ),
            pts,
            pts,
        )
    staff = _ratio_value(f, y, "rd_staff", "employees")
    _v, m = f.many((y, "rd_staff"), (y, "employees"))
    add(*_banded("N3", _("研发人员占比"), staff, m, [(20, 5), (10, 3), (5, 1)], 5, ">= 20% 5分"))
    if facts.rd_institution_level is None:
        add(
            _scored("N4", _("研发机构级别"), ZERO, Decimal(10), 10, "—", "", (_("研发机构级别"),)),
            ZERO,
            Decimal(10),
        )
    else:
        pts = Decimal(
            {"national": 10, "provincial": 8, "municipal": 4, "county": 2}.get(
                facts.rd_institution_level, 0
            )
        )
        add(
            _scored(
                "N4",
                _("研发机构级别"),
                pts,
                pts,
                10,
                code_label(LEVEL_LABELS, facts.rd_institution_level),
                _("国家级10分"),
            ),
            pts,
            pts,
        )
    return items, sum(lows, ZERO), sum(highs, ZERO)
