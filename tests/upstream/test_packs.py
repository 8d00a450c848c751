"""Packs: the numbers are the stored facts through each row's formula and unit; missing facts
and broken balance rules are on the cover; nothing in the workbook is a formula."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory
from tests.querycount import count_queries
from upstream import packs, specs

from .conftest import YEAR, demo_figures, read_book, table_values
from .fixtures import GQ001, GQ002, GQ003, GQ005

pytestmark = pytest.mark.django_db


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _export(code, *enterprises):
    spec = specs.get(code)
    qs = Enterprise.objects.filter(pk__in=[e.pk for e in enterprises])
    return read_book(packs.export(spec, YEAR, qs))


def test_gq002_numbers_are_the_stored_facts_in_thousand_yuan(enterprise, q4):
    annual, quarterly = demo_figures(enterprise, q4)
    book = _export("torch-gq002-2022", enterprise)
    assert book.sheetnames == ["封面", "GQ-002 企业经济概况"]
    sheet = book["GQ-002 企业经济概况"]
    values = table_values(sheet)
    k = Decimal(1000)
    assert values["qc05_0"] == 30001 == _round(annual.revenue / k, 0)
    assert values["qc55"] == _round(annual.main_business_revenue / k, 0)
    assert values["qc236"] == 1500 == _round(annual.rd_expense / k, 0)
    assert values["qc12"] == -250
    assert values["qc24"] == _round(annual.total_assets / k, 0)
    assert values["qc31"] == _round(annual.total_liabilities / k, 0)
    assert values["qc33"] == _round((annual.total_assets - annual.total_liabilities) / k, 0)
    assert values["qc02"] == _round(quarterly.industrial_output_ytd / k, 0) == 41235
    assert values["qc13"] == 1200
    # Not stored yet: left empty, never guessed.
    for code in ("qc06", "qc06_1", "qc07", "qc09", "qc49", "qc11", "qc234", "qc228"):
        assert values[code] is None, code
    # Real numeric cells, in the spec's order and wording, with the unit beside each.
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1]) for r in rows] == GQ002
    assert {r[2] for r in rows} == {"千元", "吨标准煤"}
    assert sheet.cell(row=4 + 1, column=5).data_type == "n"
    assert sheet.cell(row=2, column=5).value == enterprise.credit_code
    assert sheet.cell(row=3, column=5).value == enterprise.name


def _filled(values: dict) -> set[str]:
    return {code for code, value in values.items() if value is not None}


def test_gq003_headcount_is_the_year_end_figure_and_averages_are_missing(enterprise, q4):
    _, quarterly = demo_figures(enterprise, q4)
    book = _export("torch-gq003-2022", enterprise)
    assert book.sheetnames == ["封面", "GQ-003 企业人员概况"]
    sheet = book["GQ-003 企业人员概况"]
    values = table_values(sheet)
    # Q4 期末 in 人, not the annual figure's unrecorded basis (120)
    assert values["qd01"] == quarterly.employees == 118
    assert values["qd05"] is None  # 平均人数: the portal does not store the bases
    assert _filled(values) == {"qd01"}  # every other row waits for facts the portal lacks
    assert [(r[0], r[1]) for r in sheet.iter_rows(min_row=4, values_only=True)] == GQ003
    cover = _cover(book)
    assert "qd05 从业人员平均人数" in cover["门户尚未存储的必填指标（所有企业缺少）"]


def test_kexiao_block_in_ten_thousand_yuan_two_places_and_ip_classes(enterprise, q4):
    annual, _ = demo_figures(enterprise, q4)
    book = _export("kexiao-info-2022", enterprise)
    assert book.sheetnames == ["封面", "财务", "知识产权"]
    money = table_values(book["财务"])
    w = Decimal(10000)
    assert money["资产总额"] == pytest.approx(4000.01)
    assert Decimal(str(money["资产总额"])) == _round(annual.total_assets / w, 2)
    assert Decimal(str(money["销售收入"])) == _round(annual.revenue / w, 2) == Decimal("3000.05")
    assert Decimal(str(money["研发费用总额"])) == _round(annual.rd_expense / w, 2)
    assert Decimal(str(money["净资产"])) == _round(
        (annual.total_assets - annual.total_liabilities) / w, 2
    )
    assert money["利润总额"] is None
    ip = table_values(book["知识产权"])
    assert ip["Ⅰ类"] == annual.invention_patents + annual.other_class1_ip == 4
    assert ip["Ⅱ类"] == annual.class2_ip == 14


def _cover(book) -> dict:
    sheet = book["封面"]
    lines = {}
    for row in sheet.iter_rows(values_only=True):
        if row and row[0] and len([v for v in row if v is not None]) == 2:
            lines[row[0]] = row[1]
    return lines


def _cover_rows(book) -> dict[str, tuple]:
    """The cover's per-enterprise rows by credit code."""
    sheet = book["封面"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "统一社会信用代码")
    return {r[0]: r for r in rows[header + 1 :]}


def test_cover_lists_form_approval_year_and_what_is_missing(enterprise, other_enterprise, q4):
    demo_figures(enterprise, q4, rd_expense=None)
    demo_figures(other_enterprise, q4, main_business_revenue=Decimal("40000000"))
    book = _export("torch-gq002-2022", enterprise, other_enterprise)
    cover = _cover(book)
    assert cover["表号"] == "GQ-002"
    assert cover["批准文号"] == "国统制〔2022〕11号"
    assert cover["报告年度"] == YEAR
    assert cover["计量单位"] == "千元"
    not_stored = cover["门户尚未存储的必填指标（所有企业缺少）"]
    assert "qc06 技术收入" in not_stored and "qc234 利润总额" in not_stored
    assert "qc05_0" not in not_stored and "qc41" not in not_stored  # stored / not required
    rows = _cover_rows(book)
    mine, theirs = rows[enterprise.credit_code], rows[other_enterprise.credit_code]
    assert mine[2] == "qc236 研发费用"  # stored by the portal, left empty by this enterprise
    assert theirs[2] == "无"
    assert theirs[4] == "qc05_0 >= qc55"  # 主营 above 营业收入 breaks the form's balance rule
    assert mine[4] == "无"
    assert mine[3] == theirs[3] + 1


def test_an_enterprise_without_figures_is_missing_every_stored_row(enterprise, q4):
    book = _export("kexiao-info-2022", enterprise)
    row = _cover_rows(book)[enterprise.credit_code]
    assert "资产总额" in row[2] and "Ⅰ类" in row[2]
    assert table_values(book["财务"])["资产总额"] is None


def test_no_formula_cells_even_for_a_formula_like_name(q4):
    hostile = EnterpriseFactory(name='=HYPERLINK("http://evil.example","点我")')
    demo_figures(hostile, q4)
    content = packs.export(
        specs.get("torch-gq002-2022"), YEAR, Enterprise.objects.filter(pk=hostile.pk)
    )
    book = read_book(content)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = [c for c in cells if c.value == hostile.name]
    assert len(names) == 2 and all(c.data_type == "s" for c in names)  # cover and table
    assert b"<f>" not in content


@pytest.mark.parametrize(
    "code", ["torch-gq001-2022", "torch-gq002-2022", "torch-gq003-2022", "torch-gq005-2022"]
)
def test_bulk_pack_query_count_does_not_grow_with_enterprises(q4, code):
    spec = specs.get(code)
    first = [EnterpriseFactory() for _ in range(2)]
    for e in first:
        demo_figures(e, q4)
    few = count_queries(lambda: packs.export(spec, YEAR, Enterprise.objects.all()))
    for _ in range(8):
        demo_figures(EnterpriseFactory(), q4)
    many = count_queries(lambda: packs.export(spec, YEAR, Enterprise.objects.all()))
    assert Enterprise.objects.count() == 10
    # enterprises, annual figures, Q4 figures, the quality explanations, evidence documents
    assert many == few <= 5


def test_hitech_annual_fills_what_is_stored_and_lists_the_rest(enterprise, q4):
    annual, quarterly = demo_figures(enterprise, q4, hitech_product_revenue=Decimal("21000049"))
    book = _export("hitech-annual-2016", enterprise)
    assert book.sheetnames == ["封面", "当年获得知识产权数", "当年人员情况", "企业当年财务状况"]
    money = table_values(book["企业当年财务状况"])
    assert Decimal(str(money["高新技术产品(服务)收入"])) == Decimal("2100.00")
    assert Decimal(str(money["纳税总额"])) == _round(quarterly.tax_ytd / 10000, 2)
    assert money["总收入"] is None and money["研究开发费用额"] is None
    # Holdings are stored, not IP obtained this year: the counts stay empty.
    assert set(table_values(book["当年获得知识产权数"]).values()) == {None}
    not_stored = _cover(book)["门户尚未存储的必填指标（所有企业缺少）"]
    assert "职工总数" in not_stored and "研究开发费用额" in not_stored
    assert "高新技术产品(服务)收入" not in not_stored


def test_gq005_fills_rd_staff_and_ip_holdings_and_leaves_the_ledger_missing(enterprise, q4):
    annual, _ = demo_figures(enterprise, q4)
    book = _export("torch-gq005-2022", enterprise)
    values = table_values(book["GQ-005 研究开发活动及相关情况"])
    assert values["qj09"] == annual.rd_staff == 20
    assert values["qj73"] == annual.invention_patents == 3
    assert values["qj85"] == annual.software_copyrights == 5
    assert values["qj20"] is None and values["qj23_1"] is None  # no eight-category ledger yet
    assert _filled(values) == {"qj09", "qj73", "qj85"}  # the R&D rows stored facts give
    assert book.sheetnames == ["封面", "GQ-005 研究开发活动及相关情况"]
    sheet = book["GQ-005 研究开发活动及相关情况"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1]) for r in rows] == GQ005
    assert {r[0]: r[2] for r in rows}["qj09"] == "人" and {r[0]: r[2] for r in rows}[
        "qj20"
    ] == "千元"
    not_stored = _cover(book)["门户尚未存储的必填指标（所有企业缺少）"]
    assert "qj20 研究开发费用合计" in not_stored and "qj55 当年申请" in not_stored
    assert "qj09 " not in not_stored and "qj73 " not in not_stored
    assert _cover_rows(book)[enterprise.credit_code][2] == "无"


def test_gq005_rows_left_empty_by_the_enterprise_are_on_its_cover_row(enterprise, q4):
    demo_figures(enterprise, q4, rd_staff=None)
    book = _export("torch-gq005-2022", enterprise)
    assert table_values(book["GQ-005 研究开发活动及相关情况"])["qj09"] is None
    assert _cover_rows(book)[enterprise.credit_code][2] == "qj09 研究开发人员合计"


def test_gq001_copies_the_register_and_lists_the_coded_rows_as_missing(
    enterprise, other_enterprise, q4
):
    enterprise.main_products = "光伏组件"
    enterprise.registered_capital = Decimal("12345678.00")
    enterprise.save()
    other_enterprise.main_products = ""
    other_enterprise.registered_capital = None
    other_enterprise.save()
    demo_figures(enterprise, q4)  # the other has no figures: the register still fills
    book = _export("torch-gq001-2022", enterprise, other_enterprise)
    assert book.sheetnames == ["封面", "GQ-001 企业概况"]
    sheet = book["GQ-001 企业概况"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1]) for r in rows] == GQ001
    column = {
        c.value: i + 1
        for i, c in enumerate(sheet[3])
        if c.value in (enterprise.name, other_enterprise.name)
    }
    values = table_values(sheet, column[enterprise.name])
    assert values["qb03_0"] == "光伏组件"
    assert values["qb03_1"] == enterprise.industry_division == "39"
    assert values["qb04"].date() == enterprise.established_on == datetime.date(2015, 6, 1)
    # 注册资金 in 万元, 2 places: 12,345,678 元 → 1,234.5678 → 1,234.57
    assert Decimal(str(values["qb04_0"])) == _round(Decimal("12345678") / 10000, 2)
    assert Decimal(str(values["qb04_0"])) == Decimal("1234.57")
    assert _filled(values) == {"qb03_0", "qb03_1", "qb04", "qb04_0"}  # no code list is guessed
    by_code = {r[0]: r for r in rows}
    assert by_code["qb03_1"][2:4] == (None, "industry_division")  # no unit; its source
    assert by_code["qb04_0"][2:4] == ("万元", "registered_capital")
    assert by_code["qb101"][3] == "门户尚未存储"
    assert isinstance(values["qb03_1"], str)  # a code stays text
    others = table_values(sheet, column[other_enterprise.name])
    assert _filled(others) == {"qb03_1", "qb04"}
    cover = _cover(book)
    assert cover["表号"] == "GQ-001" and cover["批准文号"] == "国统制〔2022〕11号"
    assert cover["计量单位"] == "万元"
    not_stored = cover["门户尚未存储的必填指标（所有企业缺少）"]
    assert "qb101 企业隶属关系" in not_stored and "qb06 登记注册类型" in not_stored
    assert "qb16_1 企业核心技术所属《国家重点支持的高新技术领域》" in not_stored
    for code in ("qb03_0", "qb03_1", "qb04 ", "qb04_0", "qb13", "qb06_2", "qb15_5"):
        assert code not in not_stored, code  # stored, or asked only of some enterprises
    cover_rows = _cover_rows(book)
    assert cover_rows[enterprise.credit_code][2] == "无"
    assert (
        cover_rows[other_enterprise.credit_code][2]
        == "qb03_0 主要业务活动或主要产品；qb04_0 注册资金"
    )
    mine, theirs = (
        cover_rows[enterprise.credit_code][3],
        cover_rows[other_enterprise.credit_code][3],
    )
    assert theirs == mine + 2
