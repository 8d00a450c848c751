"""What pre-screening reads of an enterprise: its year figures and its other facts, as plain
values (money in 元, staff in persons, IP in items; None means unknown)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .text import _

WAN = Decimal(10_000)
ZERO = Decimal(0)
HUNDRED = Decimal(100)


LEVEL_RANK = {"national": 4, "provincial": 3, "municipal": 2, "county": 1, "none": 0}


FIELD_LABELS = {
    "revenue": _("营业收入"),
    "main_business_revenue": _("主营业务收入"),
    "rd_expense": _("研发费用"),
    "cost_expense_total": _("成本费用总额"),
    "hitech_product_revenue": _("高新技术产品（服务）收入"),
    "total_assets": _("资产总额"),
    "total_liabilities": _("负债总额"),
    "net_profit": _("净利润"),
    "equity_financing": _("新增股权融资"),
    "employees": _("从业人员"),
    "tech_staff": _("科技人员"),
    "rd_staff": _("研发人员"),
    "class1_ip": _("I类知识产权"),
    "class2_ip": _("II类知识产权"),
}


@dataclass(frozen=True)
class YearFigures:
    """One financial year of an enterprise (money in 元, staff in persons, IP in items)."""

    year: int
    revenue: Decimal | None = None
    main_business_revenue: Decimal | None = None
    rd_expense: Decimal | None = None
    cost_expense_total: Decimal | None = None
    hitech_product_revenue: Decimal | None = None
    total_assets: Decimal | None = None
    total_liabilities: Decimal | None = None
    net_profit: Decimal | None = None
    equity_financing: Decimal | None = None
    employees: int | None = None
    tech_staff: int | None = None
    rd_staff: int | None = None
    class1_ip: int | None = None
    class2_ip: int | None = None


@dataclass(frozen=True)
class Facts:
    """What pre-screening knows of one enterprise on `assessment_date`; None means unknown."""

    assessment_date: datetime.date
    established_on: datetime.date | None = None
    size_class: str | None = None  # large / medium / small / micro
    years: Mapping[int, YearFigures] = field(default_factory=dict)
    titles: frozenset[str] = frozenset()  # kind codes held and valid on the assessment date
    niche_since_year: int | None = None
    rd_institution_level: str | None = None  # national/provincial/municipal/county/none
    award_level: str | None = None  # highest S&T award of the last 5 years, or "none"
    award_year: int | None = None
    award_rank: int | None = None
    led_standard_year: int | None = None
    high_value_class1_ip: int | None = None
    self_developed_class1_ip: int | None = None
    digital_level: int | None = None
    development_score: Decimal | None = None
    development_score_year: int | None = None
    strategic_industry: str = ""

    @property
    def prior_year(self) -> int:
        """The financial year the criteria call 'last year' (上年度)."""
        return self.assessment_date.year - 1
