"""Excel import: all-or-nothing, with per-row errors in Chinese naming the row and the column."""

import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.management import call_command
from django.core.management.base import CommandError

from bureau.importing import run_import
from bureau.models import PeriodStatus
from enterprises.imports import AnnualFiguresResource, EnterpriseResource, QuarterlyFiguresResource
from enterprises.models import AnnualFigures, Enterprise, QuarterlyFigures
from tests.factories import (
    AnnualFiguresFactory,
    EnterpriseFactory,
    ParkZoneFactory,
    PeriodFactory,
    credit_code_for,
)

pytestmark = pytest.mark.django_db

HEADERS = [f.column_name for f in EnterpriseResource().get_import_fields()]


def enterprise_row(n: int, **overrides) -> list:
    row = {
        "统一社会信用代码": credit_code_for(1000 + n),
        "企业名称": f"安徽导入测试{n}有限公司",
        "所属行业（大类代码）": "39",
        "企业规模": "小型",
        "成立日期": "2018-03-01",
        "注册资本（元）": "5000000",
        "所在片区": "光电信息产业园",
    }
    row.update(overrides)
    return [row.get(h, "") for h in HEADERS]


def dataset(rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=HEADERS)


@pytest.fixture(autouse=True)
def zone():
    return ParkZoneFactory(name="光电信息产业园")


def test_good_file_imports_every_row_with_history(staff_user):
    outcome = run_import(
        EnterpriseResource(),
        dataset([enterprise_row(i) for i in range(5)]),
        dry_run=False,
        user=staff_user,
    )
    assert outcome.ok and outcome.new == 5
    assert Enterprise.objects.count() == 5
    assert Enterprise.history.filter(history_type="+").count() == 5
    assert Enterprise.history.first().history_user == staff_user


def test_one_bad_row_among_100_changes_nothing():
    rows = [enterprise_row(i) for i in range(100)]
    bad = credit_code_for(1057)
    wrong = bad[:17] + ("0" if bad[17] != "0" else "1")
    rows[57] = enterprise_row(57, **{"统一社会信用代码": wrong})
    outcome = run_import(EnterpriseResource(), dataset(rows), dry_run=False)
    assert not outcome.ok
    assert Enterprise.objects.count() == 0
    assert Enterprise.history.count() == 0
    [error] = outcome.errors
    assert error.row == 59  # header is Excel row 1, so data row 58 is Excel row 59
    assert error.column == "统一社会信用代码"
    assert "校验码错误" in error.message and wrong in error.message
    assert str(error).startswith("第59行「统一社会信用代码」")


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"统一社会信用代码": "91341523MA2N0K0X8"}, "统一社会信用代码", "长度应为18位"),
        ({"统一社会信用代码": "91341523MA2N0K0X8O"}, "统一社会信用代码", "O"),
        ({"注册资本（元）": "-100"}, "注册资本（元）", "0"),
        ({"注册资本（元）": "五百万"}, "注册资本（元）", "不是有效的数字"),
        ({"企业规模": "特大型"}, "企业规模", "不是可选值"),
        ({"所属行业（大类代码）": "98"}, "所属行业（大类代码）", "不是可选值"),
        ({"成立日期": "2099-01-01"}, "成立日期", "不能晚于今天"),
        ({"成立日期": "去年"}, "成立日期", "不是有效的日期"),
        ({"所在片区": "不存在的园区"}, "所在片区", "找不到片区"),
        ({"企业名称": ""}, "企业名称", ""),
    ],
)
def test_bad_values_are_named_by_row_and_column(overrides, column, fragment):
    rows = [enterprise_row(0), enterprise_row(1, **overrides)]
    outcome = run_import(EnterpriseResource(), dataset(rows), dry_run=False)
    assert Enterprise.objects.count() == 0
    assert [(e.row, e.column) for e in outcome.errors] == [(3, column)]
    assert fragment in outcome.errors[0].message


def test_duplicate_code_within_file_names_first_row():
    rows = [enterprise_row(0), enterprise_row(1), enterprise_row(2)]
    rows[2][0] = rows[0][0].lower()  # the same code, typed in lower case
    outcome = run_import(EnterpriseResource(), dataset(rows), dry_run=False)
    assert Enterprise.objects.count() == 0
    [error] = outcome.errors
    assert error.row == 4 and "与第2行重复" in error.message


def test_code_already_registered_is_refused():
    existing = EnterpriseFactory(credit_code=credit_code_for(1000))
    outcome = run_import(EnterpriseResource(), dataset([enterprise_row(0)]), dry_run=False)
    assert Enterprise.objects.count() == 1 and Enterprise.objects.get() == existing
    assert "已存在" in outcome.errors[0].message


def test_dry_run_validates_and_writes_nothing():
    outcome = run_import(EnterpriseResource(), dataset([enterprise_row(0)]), dry_run=True)
    assert outcome.ok and outcome.new == 1
    assert Enterprise.objects.count() == 0


def _annual_rows(enterprise, **overrides):
    headers = [f.column_name for f in AnnualFiguresResource().get_import_fields()]
    row = {
        "统一社会信用代码": enterprise.credit_code,
        "年度": 2024,
        "营业收入（元）": 1000000,
        "从业人员（人）": 50,
        "科技人员（人）": 10,
    }
    row.update(overrides)
    return tablib.Dataset([row.get(h, "") for h in headers], headers=headers)


def test_annual_figures_import_updates_existing_year():
    figures = AnnualFiguresFactory(year=2024, revenue=Decimal("1"))
    outcome = run_import(AnnualFiguresResource(), _annual_rows(figures.enterprise), dry_run=False)
    assert outcome.ok and outcome.updated == 1
    figures.refresh_from_db()
    assert figures.revenue == Decimal("1000000")


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"年度": 2999}, "年度", "未来"),
        ({"从业人员（人）": -3}, "从业人员（人）", "0"),
        ({"从业人员（人）": "很多"}, "从业人员（人）", "不是有效的整数"),
        ({"科技人员（人）": 80}, "科技人员（人）", "科技人员不能多于从业人员"),
        ({"统一社会信用代码": credit_code_for(999)}, "统一社会信用代码", "找不到"),
    ],
)
def test_annual_figures_bad_input(overrides, column, fragment):
    enterprise = EnterpriseFactory()
    outcome = run_import(
        AnnualFiguresResource(), _annual_rows(enterprise, **overrides), dry_run=False
    )
    assert AnnualFigures.objects.count() == 0
    assert outcome.errors[0].column == column
    assert fragment in outcome.errors[0].message


def _quarterly(enterprise, year=2024, quarter=1):
    headers = [f.column_name for f in QuarterlyFiguresResource().get_import_fields()]
    row = {
        "统一社会信用代码": enterprise.credit_code,
        "年度": year,
        "季度": quarter,
        "营业收入（本年累计，元）": 500000,
    }
    return tablib.Dataset([row.get(h, "") for h in headers], headers=headers)


def test_quarterly_import_into_open_period():
    PeriodFactory(year=2024, quarter=1)
    enterprise = EnterpriseFactory()
    outcome = run_import(QuarterlyFiguresResource(), _quarterly(enterprise), dry_run=False)
    assert outcome.ok, outcome.errors
    assert QuarterlyFigures.objects.get().revenue_ytd == Decimal("500000")


def test_quarterly_import_into_locked_period_is_refused():
    PeriodFactory(year=2024, quarter=1, status=PeriodStatus.LOCKED)
    outcome = run_import(QuarterlyFiguresResource(), _quarterly(EnterpriseFactory()), dry_run=False)
    assert QuarterlyFigures.objects.count() == 0
    assert "已锁定" in outcome.errors[0].message


@pytest.mark.parametrize(("quarter", "fragment"), [(5, "季度应为1至4"), (0, "季度应为1至4")])
def test_quarter_outside_one_to_four_is_refused(quarter, fragment):
    outcome = run_import(
        QuarterlyFiguresResource(), _quarterly(EnterpriseFactory(), quarter=quarter), dry_run=False
    )
    assert outcome.errors[0].column == "季度" and fragment in outcome.errors[0].message


def test_quarter_without_period_is_refused():
    outcome = run_import(QuarterlyFiguresResource(), _quarterly(EnterpriseFactory()), dry_run=False)
    assert "尚未开设" in outcome.errors[0].message


def _xlsx(tmp_path, rows, headers=HEADERS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "enterprises.xlsx"
    book.save(path)
    return path


def test_command_imports_xlsx(tmp_path):
    path = _xlsx(tmp_path, [enterprise_row(i) for i in range(3)])
    out = io.StringIO()
    call_command("import_data", "enterprises", str(path), stdout=out)
    assert Enterprise.objects.count() == 3
    assert "新增 3 行" in out.getvalue()


def test_command_fails_and_changes_nothing_on_a_bad_row(tmp_path):
    rows = [enterprise_row(i) for i in range(3)]
    rows[1][HEADERS.index("注册资本（元）")] = "abc"
    path = _xlsx(tmp_path, rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_data", "enterprises", str(path), stderr=err)
    assert Enterprise.objects.count() == 0
    assert "第3行「注册资本（元）」" in err.getvalue()


def test_command_dry_run_writes_nothing(tmp_path):
    path = _xlsx(tmp_path, [enterprise_row(0)])
    call_command("import_data", "enterprises", str(path), "--dry-run", stdout=io.StringIO())
    assert Enterprise.objects.count() == 0


def test_command_writes_template_with_headers(tmp_path):
    out = tmp_path / "template.xlsx"
    call_command("import_data", "enterprises", "--template", str(out), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[1]] == HEADERS


def test_command_unknown_dataset():
    with pytest.raises(CommandError, match="未知的数据集"):
        call_command("import_data", "nonsense", "x.xlsx")
