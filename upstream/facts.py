"""The registry of named facts (事实) the upstream form specs compute from, in base units.

Every fact has a dimension (money in 元, persons in 人, items in 件; `text` for a code, a date
or free text, which only a spec's text rows read) and says where the portal stores it today:
a field of the enterprise's annual figures (AnnualFigures), of its fourth-quarter year-to-date
figures (QuarterlyFigures of the year's Q4 period), of the enterprise register itself
(Enterprise: its current value, not the year's), or nowhere yet (`source=None`). A form row whose formula needs a fact that is not stored, or that the
enterprise left empty, is reported missing on the export's cover sheet; it is never filled
with a guess. docs/upstream.md lists the facts not stored yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Dimension → base unit, and the units a form row of that dimension may use (factor from base).
BASE_UNITS = {
    "money": "元",
    "persons": "人",
    "items": "件",
    "energy": "吨标准煤",
    "institutions": "个",
    "papers": "篇",
    "pieces": "项",
}
UNITS: dict[str, tuple[str, Decimal]] = {
    "元": ("money", Decimal(1)),
    "千元": ("money", Decimal(1000)),
    "万元": ("money", Decimal(10000)),
    "人": ("persons", Decimal(1)),
    "件": ("items", Decimal(1)),
    "吨标准煤": ("energy", Decimal(1)),
    "个": ("institutions", Decimal(1)),
    "篇": ("papers", Decimal(1)),
    "项": ("pieces", Decimal(1)),
}
# A fact that is not a quantity (a code, a date, text): no unit, never in a formula.
TEXT = "text"


@dataclass(frozen=True)
class Fact:
    name: str
    label: str  # 中文名
    dimension: str  # a key of BASE_UNITS, or TEXT
    source: str | None  # "annual.<field>", "q4.<field>", "enterprise.<field>" or None (not yet)
    note: str = ""

    @property
    def stored(self) -> bool:
        return self.source is not None


def _f(name, label, dimension, source=None, note=""):
    return Fact(name, label, dimension, source, note)


FACTS: dict[str, Fact] = {
    f.name: f
    for f in [
        # --- stored today: annual figures (enterprises.AnnualFigures, 元 / 人 / 件) ---
        _f("revenue", "营业收入", "money", "annual.revenue"),
        _f("revenue_main", "主营业务收入", "money", "annual.main_business_revenue"),
        _f("rd_expense", "研发费用", "money", "annual.rd_expense"),
        _f("cost_expense_total", "成本费用总额", "money", "annual.cost_expense_total"),
        _f(
            "revenue_hitech_product",
            "高新技术产品（服务）收入",
            "money",
            "annual.hitech_product_revenue",
        ),
        _f("total_assets", "资产总额", "money", "annual.total_assets"),
        _f("total_liabilities", "负债总额", "money", "annual.total_liabilities"),
        _f("net_profit", "净利润", "money", "annual.net_profit"),
        _f(
            "employees_reported",
            "从业人员（年度数据，口径未记录）",
            "persons",
            "annual.employees",
            "The annual figure's headcount basis (期末/季平均/月平均) is not recorded.",
        ),
        _f(
            "tech_staff_reported",
            "科技人员（年度数据，口径未记录）",
            "persons",
            "annual.tech_staff",
            "Headcount basis not recorded.",
        ),
        _f("rd_staff", "研发人员", "persons", "annual.rd_staff"),
        _f("ip_invention_patents", "发明专利（拥有）", "items", "annual.invention_patents"),
        _f("ip_other_class1", "其他I类知识产权（拥有）", "items", "annual.other_class1_ip"),
        _f("ip_utility_models", "实用新型专利（拥有）", "items", "annual.utility_models"),
        _f("ip_design_patents", "外观设计专利（拥有）", "items", "annual.design_patents"),
        _f("ip_software_copyrights", "软件著作权（拥有）", "items", "annual.software_copyrights"),
        # --- stored today: the year's Q4 year-to-date figures (QuarterlyFigures) ---
        _f(
            "industrial_output",
            "工业总产值（第四季度本年累计）",
            "money",
            "q4.industrial_output_ytd",
        ),
        _f("tax_paid", "税收（第四季度本年累计）", "money", "q4.tax_ytd"),
        _f("employees_year_end", "从业人员期末人数（第四季度期末）", "persons", "q4.employees"),
        # --- stored today: the enterprise register (enterprises.Enterprise), current values ---
        _f(
            "registered_capital",
            "注册资本",
            "money",
            "enterprise.registered_capital",
            "The register's current value, not the value at the report year's end.",
        ),
        _f("established_on", "成立日期", TEXT, "enterprise.established_on"),
        _f("main_products", "主要产品", TEXT, "enterprise.main_products"),
        _f(
            "industry_division",
            "所属行业（国民经济行业大类代码）",
            TEXT,
            "enterprise.industry_division",
            "The GB/T 4754 division: two digits.",
        ),
        # --- not stored yet (issue 18, "the facts the forms need") ---
        _f("revenue_other", "其他业务收入", "money"),
        _f("revenue_tech_transfer", "技术转让收入", "money"),
        _f("revenue_tech_contracting", "技术承包收入", "money"),
        _f("revenue_tech_consulting", "技术咨询与服务收入", "money"),
        _f("revenue_tech_commissioned_rd", "接受委托研究开发收入", "money"),
        _f("revenue_product_sales", "产品销售收入", "money"),
        _f("revenue_goods_sales", "商品销售收入", "money"),
        _f("nontaxable_income", "不征税收入", "money"),
        _f("exports_total", "出口总额", "money"),
        _f("cost_of_sales", "营业成本", "money"),
        _f("selling_expense", "销售费用", "money"),
        _f("admin_expense", "管理费用", "money"),
        _f("finance_expense", "财务费用", "money"),
        _f("profit_total", "利润总额", "money"),
        _f("income_tax_expense", "所得税费用", "money"),
        _f("tax_relief_total", "减免税总额", "money"),
        _f("tax_relief_cit", "企业所得税减免额", "money"),
        _f("equity_total", "所有者权益", "money"),
        _f("rd_personnel", "研发费用：人员人工", "money"),
        _f("rd_direct_input", "研发费用：直接投入", "money"),
        _f("rd_depreciation", "研发费用：折旧与长期待摊", "money"),
        _f("rd_amortisation", "研发费用：无形资产摊销", "money"),
        _f("rd_design", "研发费用：设计", "money"),
        _f("rd_trials", "研发费用：装备调试与试验", "money"),
        _f("rd_commissioned", "研发费用：委托外部研发", "money"),
        _f("rd_other", "研发费用：其他", "money"),
        _f("rd_domestic", "境内研发费用", "money"),
        _f("employees_avg", "从业人员平均人数", "persons"),
        _f("employees_quarterly_avg", "职工总数（全年季平均数）", "persons"),
        _f("employees_monthly_avg", "职工总数（全年月平均数）", "persons"),
        _f("tech_staff_quarterly_avg", "科技人员数（全年季平均数）", "persons"),
        _f("tech_staff_monthly_avg", "科技人员数（全年月平均数）", "persons"),
        _f("new_hires", "当年新增从业人员", "persons"),
        _f("graduate_hires", "吸纳高校应届毕业生", "persons"),
        _f("returnees", "留学归国人员", "persons"),
        _f("foreign_residents", "外籍常驻人员", "persons"),
        _f("staff_doctorate", "博士", "persons"),
        _f("staff_master", "硕士", "persons"),
        _f("staff_bachelor", "本科", "persons"),
        _f("staff_college", "专科", "persons"),
        _f("rd_staff_fulltime", "研究开发人员：全职", "persons"),
        _f("ip_class1_granted_year", "当年获得I类知识产权", "items"),
        _f("ip_invention_applied_year", "当年申请发明专利", "items"),
        _f("ip_invention_granted_year", "当年授权发明专利", "items"),
        _f("ip_patent_applied_year", "当年专利申请", "items"),
        _f("ip_patent_granted_year", "当年专利授权", "items"),
        _f("ip_patents_valid", "期末有效专利", "items"),
        _f("ip_utility_granted_year", "当年获得实用新型", "items"),
        _f("ip_design_granted_year", "当年获得外观设计", "items"),
        _f("ip_software_granted_year", "当年获得软件著作权", "items"),
        _f("ip_layout_designs", "集成电路布图设计（拥有）", "items"),
        _f("ip_plant_varieties", "植物新品种（拥有）", "items"),
    ]
}


def fact_names() -> frozenset[str]:
    return frozenset(FACTS)
