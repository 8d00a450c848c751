"""The enterprise import in chunks (issue 16): real .xlsx files of a few hundred rows, every row
validated, history kept, a bounded number of queries, all or nothing."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau import bulk_import, figures
from bureau.importing import load_dataset, run_import
from enterprises.imports import EnterpriseResource
from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory, ParkZoneFactory, credit_code_for

pytestmark = pytest.mark.django_db

COLUMNS = [f.column_name for f in EnterpriseResource().get_import_fields()]


def row(n: int, **overrides) -> list:
    cells = {
        "统一社会信用代码": credit_code_for(5000 + n),
        "企业名称": f"分块导入测试{n}有限公司",
        "所属行业（大类代码）": "39" if n % 2 else "34 通用设备制造业",
        "企业规模": ("小型", "中型", "微型")[n % 3],
        "成立日期": datetime.date(2015, 1, 1) + datetime.timedelta(days=n % 3000),
        "注册资本（元）": 1_000_000 + n if n % 4 else None,
        "注册地址": f"创新大道{n}号",
        "所在片区": "光电信息产业园" if n % 5 else None,
        "法定代表人": "张三",
        "联系电话": f"0551-6{n:07d}",
        "战略性新兴产业类别": "新一代信息技术产业" if n % 3 else "",
        "主要产品": "传感器",
    }
    cells.update(overrides)
    return [cells.get(column) for column in COLUMNS]


def xlsx(tmp_path, rows: list[list], name: str = "enterprises.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for values in rows:
        sheet.append(values)
    path = tmp_path / name
    book.save(path)
    return path


@pytest.fixture(autouse=True)
def zone():
    return ParkZoneFactory(name="光电信息产业园")


def test_a_300_row_file_imports_every_row_with_its_history(tmp_path, staff_user, monkeypatch):
    changes = []
    monkeypatch.setattr(figures, "mark_changed", lambda *a, **k: changes.append(a))
    path = xlsx(tmp_path, [row(n) for n in range(300)])

    outcome = run_import(EnterpriseResource(), load_dataset(path), dry_run=False, user=staff_user)

    assert outcome.ok and outcome.new == 300, outcome.errors[:3]
    assert Enterprise.objects.count() == 300
    history = Enterprise.history.filter(history_type="+")
    assert history.count() == 300
    assert set(history.values_list("history_user", "history_change_reason").distinct()) == {
        (staff_user.pk, "Excel导入")
    }
    # Each history row repeats its enterprise as written.
    assert set(history.values_list("id", "credit_code", "name")) == set(
        Enterprise.objects.values_list("id", "credit_code", "name")
    )
    e = Enterprise.objects.get(credit_code=credit_code_for(5007))
    assert (e.industry_division, e.size_class, e.established_on) == (
        "39",
        "medium",
        datetime.date(2015, 1, 8),
    )
    assert e.registered_capital == Decimal(1_000_007) and e.zone.name == "光电信息产业园"
    assert e.strategic_industry == "next_gen_it" and e.created_at is not None
    blank = Enterprise.objects.get(credit_code=credit_code_for(5000))
    assert blank.registered_capital is None and blank.zone is None
    assert blank.strategic_industry == "" and blank.contact_person == ""
    # The figures' data version moves once for the whole file, not per chunk.
    assert len(changes) == 1


def _queries_for(tmp_path, rows: int) -> tuple[int, int]:
    path = xlsx(tmp_path, [row(n + rows * 1000) for n in range(rows)], f"q{rows}.xlsx")
    resource = EnterpriseResource()
    dataset = load_dataset(path)
    with CaptureQueriesContext(connection) as ctx:
        outcome = run_import(resource, dataset, dry_run=False)
    assert outcome.ok and outcome.new == rows, outcome.errors[:3]
    return len(ctx.captured_queries), -(-rows // resource.chunk_size())


def test_queries_grow_with_chunks_not_with_rows(tmp_path, monkeypatch):
    # Per chunk: its savepoint and release (2), the codes on file among the chunk's (1), its
    # enterprises (1; on PostgreSQL drawing their ids first: 2), their history rows (1).
    # Nothing per row.
    per_chunk = 6 if connection.vendor == "postgresql" else 5
    monkeypatch.setattr(EnterpriseResource._meta, "batch_size", 40)
    few, few_chunks = _queries_for(tmp_path, 50)
    many, many_chunks = _queries_for(tmp_path, 200)
    assert (few_chunks, many_chunks) == (2, 5)
    assert many - few == per_chunk * (many_chunks - few_chunks)


def test_a_file_in_one_chunk_takes_the_same_queries_for_50_or_200_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(EnterpriseResource, "chunk_size", lambda self: 1000)
    if connection.vendor == "sqlite":
        # One INSERT holds at most 999 parameters there: Django splits a 200-row chunk.
        pytest.skip("SQLite splits a chunk of 200 rows into several INSERTs")
    few, _ = _queries_for(tmp_path, 50)
    many, _ = _queries_for(tmp_path, 200)
    assert many == few


def test_error_on_row_n_names_row_and_column_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(EnterpriseResource._meta, "batch_size", 40)
    rows = [row(n) for n in range(300)]
    rows[249] = row(249, **{"企业规模": "特大型"})  # in the seventh chunk: six already written
    rows[280] = row(280, **{"所在片区": "不存在的园区"})
    outcome = run_import(EnterpriseResource(), load_dataset(xlsx(tmp_path, rows)), dry_run=False)

    assert not outcome.ok
    assert [(e.row, e.column) for e in outcome.errors] == [(251, "企业规模"), (282, "所在片区")]
    assert "不是可选值" in outcome.errors[0].message
    assert str(outcome.errors[1]).startswith("第282行「所在片区」：找不到片区")
    assert Enterprise.objects.count() == 0
    assert Enterprise.history.count() == 0


def test_code_registered_before_the_file_is_refused_in_a_later_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(EnterpriseResource._meta, "batch_size", 40)
    EnterpriseFactory(credit_code=credit_code_for(5000 + 150))
    path = xlsx(tmp_path, [row(n) for n in range(200)])
    outcome = run_import(EnterpriseResource(), load_dataset(path), dry_run=False)
    [error] = outcome.errors
    assert (error.row, error.column) == (152, "统一社会信用代码") and "已存在" in error.message
    assert Enterprise.objects.count() == 1


def test_update_corrects_registered_enterprises_with_their_history(tmp_path, staff_user):
    existing = EnterpriseFactory(credit_code=credit_code_for(5001), name="旧名称")
    path = xlsx(tmp_path, [row(n) for n in range(120)])
    resource = EnterpriseResource(update=True)
    outcome = run_import(resource, load_dataset(path), dry_run=False, user=staff_user)
    assert outcome.ok and (outcome.new, outcome.updated) == (119, 1)
    existing.refresh_from_db()
    assert existing.name == "分块导入测试1有限公司"
    changed = Enterprise.history.get(id=existing.pk, history_type="~")
    assert changed.history_user == staff_user and changed.name == existing.name


def test_dry_run_of_a_large_file_writes_nothing(tmp_path):
    path = xlsx(tmp_path, [row(n) for n in range(120)])
    outcome = run_import(EnterpriseResource(), load_dataset(path), dry_run=True)
    assert outcome.ok and outcome.new == 120 and outcome.dry_run
    assert Enterprise.objects.count() == 0 and Enterprise.history.count() == 0


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("credit_code", ["", credit_code_for(1), "91341523MA2N0K0X8O", "X" * 30]),
        ("name", ["", "某公司", "长" * 121, "a\x00b"]),
        ("industry_division", ["", "39", "98", "3"]),
        ("size_class", ["", "small", "huge"]),
        ("strategic_industry", ["", "next_gen_it", "other"]),
        ("registered_capital", [None, Decimal("-1"), Decimal("1.234"), Decimal("10") ** 20]),
        ("contact_phone", ["", "1" * 31]),
    ],
)
def test_planned_field_checks_say_what_field_clean_says(name, values):
    field = Enterprise._meta.get_field(name)
    planned = bulk_import._field_cleaner(field)
    instance = Enterprise()
    for value in values:
        expected = planned_result = None
        try:
            expected = ("ok", field.clean(value, instance))
        except ValidationError as exc:
            expected = ("error", exc.messages)
        try:
            planned_result = ("ok", planned(value, instance))
        except ValidationError as exc:
            planned_result = ("error", exc.messages)
        assert planned_result == expected, value


def test_a_refusal_by_the_database_rolls_back_and_later_rows_are_still_checked(
    tmp_path, monkeypatch
):
    # A code registered by someone else after the chunk's lookup: only the database sees it.
    monkeypatch.setattr(EnterpriseResource._meta, "batch_size", 40)
    monkeypatch.setattr(EnterpriseResource, "extra_row_errors", lambda self, instance: {})
    EnterpriseFactory(credit_code=credit_code_for(5000 + 60))
    history_before = Enterprise.history.count()
    rows = [row(n) for n in range(200)]
    rows[150] = row(150, **{"成立日期": "去年"})
    outcome = run_import(EnterpriseResource(), load_dataset(xlsx(tmp_path, rows)), dry_run=False)

    assert not outcome.ok
    assert outcome.errors[0].row == 0  # the chunk's refusal, reported for the file
    assert [(e.row, e.column) for e in outcome.errors[1:]] == [(152, "成立日期")]
    assert Enterprise.objects.count() == 1
    assert Enterprise.history.count() == history_before
