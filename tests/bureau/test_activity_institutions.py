"""The activities file names the financial institutions attending a finance event.

A real .xlsx written under the template's own headers goes in through `import_data`; an unknown
institution, or institutions named on a seminar, is the row's Chinese error and nothing is
written; a corrected file with --update replaces the event's institutions; an export of the
activities reads back the same names.
"""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from bureau.imports import ActivityResource
from bureau.models import Activity
from finance.models import FinanceEvent
from tests.finance.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

COLUMN = "参加金融机构（金融对接活动，机构名称，用；分隔）"


def template_headers(tmp_path) -> tuple[list[str], openpyxl.Workbook]:
    path = tmp_path / "activities-template.xlsx"
    call_command("import_data", "activities", "--template", str(path), stdout=io.StringIO())
    book = openpyxl.load_workbook(path)
    return [c.value for c in book.worksheets[0][1]], book


def write(tmp_path, rows: list[dict], name: str = "activities.xlsx") -> str:
    headers, _book = template_headers(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        assert set(row) <= set(headers), set(row) - set(headers)
        sheet.append([row.get(h) for h in headers])
    path = tmp_path / name
    book.save(path)
    return str(path)


def run(path: str, *extra: str) -> str:
    err = io.StringIO()
    try:
        call_command("import_data", "activities", path, *extra, stdout=io.StringIO(), stderr=err)
    except CommandError as exc:
        return f"{err.getvalue()}\n{exc}"
    return ""


def matchmaking(institutions: str, **more) -> dict:
    return {
        "类型": "银企对接会",
        "日期": "2023-06-20",
        "主题": "二〇二三年银企对接会",
        COLUMN: institutions,
        **more,
    }


@pytest.fixture
def banks():
    return (
        InstitutionFactory(name="徽商银行舒城支行", short_name="徽商银行"),
        InstitutionFactory(name="舒城农村商业银行", short_name=""),
        InstitutionFactory(name="国元融资担保有限公司", short_name="国元担保"),
    )


def test_the_template_explains_the_institutions_column(tmp_path):
    headers, book = template_headers(tmp_path)
    assert COLUMN in headers
    rows = [
        " ".join(str(c) for c in r if c)
        for sheet in book.worksheets[1:]
        for r in sheet.iter_rows(values_only=True)
    ]
    (explained,) = [r for r in rows if COLUMN in r]
    assert "金融对接活动" in explained and "名称或简称" in explained


def test_institutions_by_name_or_short_name_attend_the_event(tmp_path, banks):
    assert run(write(tmp_path, [matchmaking("徽商银行、舒城农村商业银行")])) == ""
    event = FinanceEvent.objects.get()
    assert {i.name for i in event.institutions.all()} == {"徽商银行舒城支行", "舒城农村商业银行"}


def test_an_unknown_institution_is_the_rows_chinese_error_and_nothing_is_written(tmp_path, banks):
    rows = [
        {"类型": "政策宣讲会", "日期": "2023-03-10", "主题": "宣讲会"},
        matchmaking("徽商银行；不存在的银行"),
    ]
    message = run(write(tmp_path, rows))
    assert f"第3行「{COLUMN}」：找不到金融机构「不存在的银行」" in message, message
    assert not Activity.objects.exists() and not FinanceEvent.objects.exists()


def test_institutions_on_a_seminar_are_refused(tmp_path, banks):
    rows = [{"类型": "政策宣讲会", "日期": "2023-03-10", "主题": "宣讲会", COLUMN: "徽商银行"}]
    message = run(write(tmp_path, rows))
    assert (
        f"第2行「{COLUMN}」：只有政银推进会、银企对接会等金融对接活动才填写参加金融机构" in message
    )
    assert not Activity.objects.exists()


def test_a_corrected_file_with_update_replaces_the_events_institutions(tmp_path, banks):
    assert run(write(tmp_path, [matchmaking("徽商银行")])) == ""
    corrected = write(tmp_path, [matchmaking("舒城农村商业银行；国元担保")], "corrected.xlsx")
    assert "已有同类型" in run(corrected)
    assert run(corrected, "--update") == ""
    event = FinanceEvent.objects.get()
    assert {i.name for i in event.institutions.all()} == {
        "舒城农村商业银行",
        "国元融资担保有限公司",
    }
    assert Activity.objects.count() == 1


def test_an_export_reads_back_the_same_institutions(tmp_path, banks):
    assert run(write(tmp_path, [matchmaking("徽商银行、国元担保")])) == ""
    exported = ActivityResource().export()
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert set(row[COLUMN].split("；")) == {"徽商银行舒城支行", "国元融资担保有限公司"}
    FinanceEvent.objects.get().institutions.clear()
    book = openpyxl.Workbook()
    book.active.append(exported.headers)
    book.active.append(list(exported[0]))
    path = tmp_path / "exported.xlsx"
    book.save(path)
    assert run(str(path), "--update") == ""
    assert FinanceEvent.objects.get().institutions.count() == 2
