"""Roster import: preview, per-row Chinese errors naming row and column, all-or-nothing."""

import pytest
import tablib

from bureau.importing import run_import
from talent.imports import DATASETS, TalentResource
from talent.models import Talent

pytestmark = pytest.mark.django_db

HEADERS = ["统一社会信用代码", "姓名", "人才类别", "职称级别", "最高学历", "联系电话", "登记日期"]


def dataset(*rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=HEADERS)


def test_no_id_number_column_exists():
    columns = [f.column_name for f in TalentResource().get_import_fields()]
    assert not any("身份证" in c for c in columns)
    assert set(DATASETS) >= {"talents", "institutions", "technology_demands"}


def test_good_rows_import_after_a_preview(enterprise):
    data = dataset(
        [
            enterprise.credit_code,
            "王建国",
            "企业高管",
            "副高级",
            "硕士研究生",
            "13900000001",
            "2024-05-01",
        ],
        [enterprise.credit_code.lower(), "李娜", "技术骨干", "", "大学本科", "", "2024-06-01"],
    )
    preview = run_import(TalentResource(), data, dry_run=True)
    assert preview.ok and preview.new == 2 and not Talent.objects.exists()
    outcome = run_import(TalentResource(), data, dry_run=False)
    assert outcome.ok and outcome.new == 2
    li = Talent.objects.get(name="李娜")
    assert (li.title_level, li.enterprise) == ("none", enterprise)
    assert Talent.objects.get(name="王建国").history.count() == 1


def test_one_bad_row_imports_nothing_and_names_row_and_column(enterprise):
    data = dataset(
        [
            enterprise.credit_code,
            "王建国",
            "企业高管",
            "副高级",
            "硕士研究生",
            "13900000001",
            "2024-05-01",
        ],
        [enterprise.credit_code, "李娜", "董事", "", "大学本科", "", ""],
        ["91341523MA0000000X", "赵六", "企业高管", "", "博士研究生", "", "2024-13-01"],
    )
    outcome = run_import(TalentResource(), data, dry_run=False)
    assert not outcome.ok
    messages = [str(e) for e in outcome.errors]
    assert any(m.startswith("第3行「人才类别」") and "「董事」不是可选值" in m for m in messages)
    assert any(m.startswith("第4行") and "统一社会信用代码" in m for m in messages)
    assert not Talent.objects.exists()


def test_duplicate_person_in_one_file_is_refused(enterprise):
    row = [enterprise.credit_code, "王建国", "企业高管", "", "大学本科", "13900000001", ""]
    outcome = run_import(TalentResource(), dataset(row, row), dry_run=False)
    assert any("与第2行重复" in str(e) for e in outcome.errors)
    assert not Talent.objects.exists()


def test_reimporting_a_known_person_updates_instead_of_duplicating(enterprise):
    row = [
        enterprise.credit_code,
        "王建国",
        "企业高管",
        "",
        "大学本科",
        "13900000001",
        "2024-05-01",
    ]
    run_import(TalentResource(), dataset(row), dry_run=False)
    row[4] = "硕士研究生"
    outcome = run_import(TalentResource(), dataset(row), dry_run=False)
    assert outcome.updated == 1
    assert Talent.objects.get().education == "master"


def test_a_blank_registration_date_is_refused_not_set_to_the_import_day(enterprise):
    """A roster counts people registered by the period's end: an import must not date them."""
    data = dataset([enterprise.credit_code, "李娜", "技术骨干", "", "大学本科", "", ""])
    outcome = run_import(TalentResource(), data, dry_run=False)
    assert [str(e) for e in outcome.errors] == ["第2行「登记日期」：不能为空"]
    assert not Talent.objects.exists()
