"""Excel import in the admin: a preview of the first rows, Chinese errors, all-or-nothing."""

import io
import re

import openpyxl
import pytest

from enterprises.imports import EnterpriseResource
from enterprises.models import Enterprise
from tests.factories import ParkZoneFactory, credit_code_for

pytestmark = pytest.mark.django_db

HEADERS = [f.column_name for f in EnterpriseResource().get_import_fields()]
URL = "/admin/enterprises/enterprise/import/"


def _upload(rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "enterprises.xlsx"
    return data


def _row(i, capital="1000000"):
    return [
        credit_code_for(5000 + i),
        f"后台导入{i}有限公司",
        "39",
        "小型",
        "2020-01-01",
        capital,
        "",
        "光电园",
    ]


def _xlsx_format_index(client) -> str:
    html = client.get(URL).content.decode()
    return re.search(r'<option value="(\d+)"[^>]*>xlsx</option>', html).group(1)


@pytest.fixture(autouse=True)
def zone():
    ParkZoneFactory(name="光电园")


def test_preview_shows_first_page_only_then_confirm_imports(staff_client):
    fmt = _xlsx_format_index(staff_client)
    response = staff_client.post(
        URL, {"format": fmt, "import_file": _upload([_row(i) for i in range(120)])}
    )
    html = response.content.decode()
    assert "文件共 120 行" in html and "以下仅显示前 50 行" in html
    assert "后台导入49有限公司" in html and "后台导入50有限公司" not in html
    assert Enterprise.objects.count() == 0
    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    response = staff_client.post("/admin/enterprises/enterprise/process_import/", data)
    assert response.status_code == 302
    assert Enterprise.objects.count() == 120
    assert Enterprise.history.count() == 120


def test_bad_row_is_reported_in_chinese_and_nothing_is_offered(staff_client):
    fmt = _xlsx_format_index(staff_client)
    rows = [_row(0), _row(1, capital="一百万"), _row(2)]
    response = staff_client.post(URL, {"format": fmt, "import_file": _upload(rows)})
    html = response.content.decode()
    assert "发现 1 处错误，文件未导入" in html
    assert "第3行「注册资本（元）」：「一百万」不是有效的数字" in html
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Enterprise.objects.count() == 0


def test_leadership_cannot_import(leader_client):
    assert leader_client.get(URL).status_code == 302  # not admin staff: sent to admin login
