"""Re-importing a corrected file: refused row by row unless the user asks to update, then the
matching records are updated in place, all-or-nothing, with history."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from bureau.models import ApplicationStatus, ApplicationTransition
from enterprises.imports import EnterpriseResource, QualificationResource
from enterprises.models import Enterprise, Qualification, QualificationKind
from tests.factories import EnterpriseFactory, ParkZoneFactory, credit_code_for

pytestmark = pytest.mark.django_db

HEADERS = [f.column_name for f in EnterpriseResource().get_import_fields()]


def _file(path, headers, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _enterprise_row(n: int, name: str, capital=1000000):
    values = {
        "统一社会信用代码": credit_code_for(7000 + n),
        "企业名称": name,
        "所属行业（大类代码）": "39",
        "企业规模": "小型",
        "成立日期": datetime.date(2020, 1, 1),
        "注册资本（元）": capital,
        "所在片区": "光电园",
    }
    return [values.get(h) for h in HEADERS]


@pytest.fixture(autouse=True)
def zone():
    ParkZoneFactory(name="光电园")


def test_corrected_enterprise_file_is_refused_without_update_and_updates_with_it(tmp_path):
    first = _file(
        tmp_path / "a.xlsx", HEADERS, [_enterprise_row(i, f"原名{i}公司") for i in range(3)]
    )
    call_command("import_data", "enterprises", str(first), stdout=io.StringIO())
    corrected = _file(
        tmp_path / "b.xlsx",
        HEADERS,
        [_enterprise_row(i, f"更正{i}公司", capital=2000000) for i in range(3)]
        + [_enterprise_row(9, "新增公司")],
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "enterprises", str(corrected), stdout=io.StringIO(), stderr=err)
    assert "第2行「统一社会信用代码」：统一社会信用代码已存在于企业库" in err.getvalue()
    assert "--update" in err.getvalue()
    assert Enterprise.objects.count() == 3
    out = io.StringIO()
    call_command("import_data", "enterprises", str(corrected), "--update", stdout=out)
    assert "新增 1 行，更新 3 行" in out.getvalue()
    assert Enterprise.objects.count() == 4
    corrected_one = Enterprise.objects.get(credit_code=credit_code_for(7000))
    assert corrected_one.name == "更正0公司" and corrected_one.registered_capital == 2000000
    assert corrected_one.history.count() == 2  # imported, then corrected


def test_update_is_still_all_or_nothing(tmp_path):
    first = _file(tmp_path / "a.xlsx", HEADERS, [_enterprise_row(0, "原名公司")])
    call_command("import_data", "enterprises", str(first), stdout=io.StringIO())
    bad = _file(
        tmp_path / "b.xlsx",
        HEADERS,
        [_enterprise_row(0, "更正公司"), _enterprise_row(1, "坏行公司", capital="很多")],
    )
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            "enterprises",
            str(bad),
            "--update",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert Enterprise.objects.get().name == "原名公司"


def test_admin_import_page_offers_update_and_applies_it(staff_client, tmp_path):
    EnterpriseFactory(credit_code=credit_code_for(7000), name="原名公司")
    url = "/admin/enterprises/enterprise/import/"
    html = staff_client.get(url).content.decode()
    assert "更新已有记录" in html
    fmt = re.search(r'<option value="(\d+)"[^>]*>xlsx</option>', html).group(1)
    path = _file(tmp_path / "b.xlsx", HEADERS, [_enterprise_row(0, "更正公司")])

    with open(path, "rb") as upload:
        response = staff_client.post(url, {"format": fmt, "import_file": upload})
    assert "统一社会信用代码已存在于企业库" in response.content.decode()

    with open(path, "rb") as upload:
        response = staff_client.post(url, {"format": fmt, "import_file": upload, "update": "on"})
    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    assert data["update"] is True
    response = staff_client.post("/admin/enterprises/enterprise/process_import/", data)
    assert response.status_code == 302
    assert Enterprise.objects.get().name == "更正公司"


QHEADERS = [f.column_name for f in QualificationResource().get_import_fields()]


def _qualification_row(code: str, status: str, status_date=None, **extra):
    values = {
        "统一社会信用代码": code,
        "资质类型": QualificationKind.objects.get(code="hitech").name,
        "状态": status,
        "批次年度": 2024,
        "状态日期": status_date,
        **extra,
    }
    return [values.get(h) for h in QHEADERS]


def test_corrected_qualification_status_enters_the_history_at_the_rows_date(tmp_path):
    enterprise = EnterpriseFactory()
    first = _file(
        tmp_path / "a.xlsx",
        QHEADERS,
        [_qualification_row(enterprise.credit_code, "审核中", datetime.date(2024, 9, 1))],
    )
    call_command("import_data", "qualifications", str(first), stdout=io.StringIO())
    corrected = _file(
        tmp_path / "b.xlsx",
        QHEADERS,
        [
            _qualification_row(
                enterprise.credit_code,
                "已认定",
                datetime.date(2025, 1, 10),
                级别="国家级",
                证书编号="GR202534000001",
                认定日期=datetime.date(2025, 1, 10),
            )
        ],
    )
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            "qualifications",
            str(corrected),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    call_command("import_data", "qualifications", str(corrected), "--update", stdout=io.StringIO())
    record = Qualification.objects.get()
    assert record.status == ApplicationStatus.APPROVED
    steps = list(
        ApplicationTransition.objects.filter(object_id=record.pk).values_list(
            "from_status", "to_status", "at__date"
        )
    )
    assert steps == [
        ("", ApplicationStatus.UNDER_REVIEW, datetime.date(2024, 9, 1)),
        (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.APPROVED, datetime.date(2025, 1, 10)),
    ]
    assert record.history.count() == 2


def test_activities_of_one_day_and_topic_are_told_apart_by_participants_and_not_imported_twice(
    tmp_path,
):
    from bureau.models import Activity
    from finance.models import FinanceEvent

    first, second = EnterpriseFactory(), EnterpriseFactory()
    headers = ["类型", "日期", "主题", "参与企业（统一社会信用代码，用；分隔）", "纪要"]
    rows = [
        ["上门宣讲", datetime.date(2025, 3, 3), "上门解读高企政策", first.credit_code, ""],
        ["上门宣讲", datetime.date(2025, 3, 3), "上门解读高企政策", second.credit_code, ""],
        [
            "银企对接会",
            datetime.date(2025, 6, 1),
            "春季银企对接会",
            f"{first.credit_code}、{second.credit_code}",
            "",
        ],
    ]
    path = _file(tmp_path / "a.xlsx", headers, rows)
    call_command("import_data", "activities", str(path), stdout=io.StringIO())
    assert Activity.objects.count() == 3
    event = FinanceEvent.objects.get()
    assert set(event.activity.enterprises.all()) == {first, second}

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "activities", str(path), stdout=io.StringIO(), stderr=err)
    assert "第2行「主题」：已有同类型、同日期、同主题、同参与企业的活动" in err.getvalue()

    rows[0][4] = "补记纪要"
    path = _file(tmp_path / "b.xlsx", headers, rows)
    out = io.StringIO()
    call_command("import_data", "activities", str(path), "--update", stdout=out)
    assert "新增 0 行，更新 3 行" in out.getvalue()
    assert Activity.objects.count() == 3 and FinanceEvent.objects.count() == 1
    assert Activity.objects.get(enterprises=first, kind__code="door_to_door").notes == "补记纪要"
