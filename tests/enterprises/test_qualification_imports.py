"""Excel import of qualifications (资质/梯次): all-or-nothing, Chinese errors naming the row and
the column, the model's rules on every row, and each record's first status in its timeline."""

import datetime
import io
import re

import openpyxl
import pytest
import tablib
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from bureau.importing import run_import
from bureau.models import ApplicationStatus, ApplicationTransition
from enterprises.imports import QualificationResource
from enterprises.models import Qualification
from tests.enterprises.factories import ApprovedQualificationFactory, QualificationFactory, kind
from tests.factories import EnterpriseFactory, credit_code_for
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

HEADERS = [f.column_name for f in QualificationResource().get_import_fields()]


def row(enterprise, **cells) -> list:
    values = {
        "统一社会信用代码": enterprise.credit_code,
        "资质类型": "高企",
        "状态": "已认定",
        "批次年度": 2024,
        "证书编号": "GR202434000001",
        "认定日期": "2024-11-01",
    }
    values.update(cells)
    return [values.get(h, "") for h in HEADERS]


def dataset(*rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=HEADERS)


def nothing_written() -> bool:
    return not Qualification.objects.exists() and not ApplicationTransition.objects.exists()


def test_headers_are_the_chinese_columns_staff_use():
    assert HEADERS == [
        "统一社会信用代码",
        "资质类型",
        "级别",
        "状态",
        "批次年度",
        "证书编号",
        "认定日期",
        "有效期起",
        "有效期至",
        "备注",
        "状态日期",
    ]


def test_good_file_adds_every_record_with_its_first_status_and_history(staff_user):
    a, b = EnterpriseFactory(), EnterpriseFactory()
    data = dataset(
        # A kind by short name, approved: the validity and the level follow from the kind.
        row(a),
        # By code, as a candidate of next year's batch.
        row(a, **{"资质类型": "specialised_sme", "状态": "培育对象", "批次年度": 2025,
                  "证书编号": "", "认定日期": ""}),
        # By full name, explicit level, submitted.
        row(b, **{"资质类型": "科技型中小企业", "级别": "省级", "状态": "已申报",
                  "证书编号": "", "认定日期": "", "备注": "首次申报"}),
    )  # fmt: skip
    outcome = run_import(QualificationResource(), data, dry_run=False, user=staff_user)
    assert outcome.ok, outcome.errors
    assert outcome.new == 3
    approved = Qualification.objects.get(enterprise=a, kind=kind("hitech"))
    assert approved.status == ApplicationStatus.APPROVED
    assert approved.level == "national"  # the kind's default level
    assert approved.valid_from == datetime.date(2024, 11, 1)
    assert approved.valid_to == datetime.date(2027, 10, 31)  # 3 years, from the kind
    candidate = Qualification.objects.get(enterprise=a, kind=kind("specialised_sme"))
    assert (candidate.status, candidate.batch_year) == (ApplicationStatus.CANDIDATE, 2025)
    submitted = Qualification.objects.get(enterprise=b)
    assert (submitted.kind.code, submitted.level, submitted.remark) == (
        "tech_sme",
        "provincial",
        "首次申报",
    )
    # Each record's timeline starts with the status the sheet states, by the importing user,
    # reached on the approval date when the sheet gives one.
    for q in (approved, candidate, submitted):
        [t] = q.transitions
        assert (t.from_status, t.to_status, t.by, t.remark) == (
            "",
            q.status,
            staff_user,
            "Excel导入",
        )
        assert t.at == q.status_changed_at
    assert approved.transitions[0].at.date() == datetime.date(2024, 11, 1)
    history = Qualification.history.filter(history_type="+")
    assert history.count() == 3
    assert {h.history_user for h in history} == {staff_user}
    assert {h.history_change_reason for h in history} == {"Excel导入"}


def test_dry_run_validates_and_writes_nothing():
    outcome = run_import(QualificationResource(), dataset(row(EnterpriseFactory())), dry_run=True)
    assert outcome.ok and outcome.new == 1
    assert nothing_written()


UNKNOWN_CODE = credit_code_for(4242)


@pytest.mark.parametrize(
    ("cells", "column", "fragment"),
    [
        ({"统一社会信用代码": UNKNOWN_CODE}, "统一社会信用代码", f"找不到统一社会信用代码「{UNKNOWN_CODE}」"),
        ({"统一社会信用代码": ""}, "统一社会信用代码", "不能为空"),
        ({"资质类型": "独角兽企业"}, "资质类型", "「独角兽企业」不是已有的资质类型"),
        ({"资质类型": ""}, "资质类型", "不能为空"),
        ({"状态": "通过了"}, "状态", "「通过了」不是可选值"),
        ({"状态": ""}, "状态", "不能为空"),
        ({"级别": "省里"}, "级别", "「省里」不是可选值"),
        ({"批次年度": "去年"}, "批次年度", "不是有效的整数"),
        ({"批次年度": 1990}, "批次年度", "批次年度应在2000至2100之间"),
        ({"认定日期": "昨天"}, "认定日期", "不是有效的日期"),
        ({"认定日期": "", "有效期起": ""}, "有效期起", "已认定的资质须填写认定日期或有效期起"),
        ({"证书编号": ""}, "证书编号", "必须填写证书编号"),
        ({"有效期起": "2024-11-01", "有效期至": "2024-10-31"}, "有效期至", "有效期至不能早于有效期起"),
        ({"状态": "已申报", "有效期起": "2024-11-01", "有效期至": "2024-10-31"}, "有效期至", "不能早于"),
    ],
)  # fmt: skip
def test_each_bad_cell_is_named_by_row_and_column_and_nothing_is_written(cells, column, fragment):
    enterprise = EnterpriseFactory()
    other = EnterpriseFactory()
    data = dataset(row(other), row(enterprise, **cells))
    outcome = run_import(QualificationResource(), data, dry_run=False)
    assert [(e.row, e.column) for e in outcome.errors] == [(3, column)], outcome.errors
    assert fragment in outcome.errors[0].message
    assert str(outcome.errors[0]).startswith(f"第3行「{column}」：")
    assert nothing_written()


def test_an_approved_title_overlapping_one_held_is_refused():
    held = ApprovedQualificationFactory()  # 高企, national, 2024-11-01 – 2027-10-31
    data = dataset(row(held.enterprise, **{"批次年度": 2025, "认定日期": "2025-12-01"}))
    outcome = run_import(QualificationResource(), data, dry_run=False)
    [error] = outcome.errors
    assert (error.row, error.column) == (2, "有效期起")
    assert "有效期重叠" in error.message
    assert Qualification.objects.get() == held


def test_approved_titles_overlapping_within_the_file_are_refused():
    enterprise = EnterpriseFactory()
    data = dataset(
        row(enterprise),
        row(enterprise, **{"批次年度": 2025, "认定日期": "2025-12-01", "证书编号": "GR2"}),
    )
    outcome = run_import(QualificationResource(), data, dry_run=False)
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "有效期起")]
    assert nothing_written()


def test_a_later_title_after_the_held_one_expires_is_accepted():
    held = ApprovedQualificationFactory()  # valid to 2027-10-31
    data = dataset(row(held.enterprise, **{"批次年度": 2027, "认定日期": "2027-11-01"}))
    outcome = run_import(QualificationResource(), data, dry_run=False)
    assert outcome.ok, outcome.errors
    assert Qualification.objects.count() == 2


def test_a_record_already_open_in_the_pipeline_is_not_imported_again():
    open_one = QualificationFactory(status=ApplicationStatus.UNDER_REVIEW, batch_year=2024)
    data = dataset(row(open_one.enterprise))  # the sheet says it was approved
    outcome = run_import(QualificationResource(), data, dry_run=False)
    [error] = outcome.errors
    assert (error.row, error.column) == (2, "资质类型")
    assert "已有2024批次的「高企」记录（审核中）" in error.message
    assert "状态变更请在资质页面办理" in error.message
    open_one.refresh_from_db()
    assert open_one.status == ApplicationStatus.UNDER_REVIEW
    assert Qualification.objects.count() == 1


def test_a_closed_record_does_not_block_a_new_one():
    closed = QualificationFactory(status=ApplicationStatus.REJECTED, batch_year=2024)
    outcome = run_import(QualificationResource(), dataset(row(closed.enterprise)), dry_run=False)
    assert outcome.ok, outcome.errors
    assert Qualification.objects.count() == 2


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({}, {"资质类型": "hitech", "证书编号": "GR2"}),  # the same kind by code and short name
        ({"批次年度": ""}, {"批次年度": "", "证书编号": "GR2"}),  # both without a batch year
    ],
)
def test_duplicates_within_the_file_are_refused_naming_the_first_row(first, second):
    enterprise = EnterpriseFactory()
    other = EnterpriseFactory()
    data = dataset(row(enterprise, **first), row(other), row(enterprise, **second))
    outcome = run_import(QualificationResource(), data, dry_run=False)
    [error] = outcome.errors
    assert (error.row, error.column) == (4, "统一社会信用代码")
    assert "与第2行重复" in error.message
    assert nothing_written()


def test_one_bad_row_among_many_writes_nothing():
    enterprises = EnterpriseFactory.create_batch(30)
    rows = [row(e, **{"证书编号": f"GR{i}"}) for i, e in enumerate(enterprises)]
    rows[17] = row(enterprises[17], **{"状态": "审批通过"})
    outcome = run_import(QualificationResource(), dataset(*rows), dry_run=False)
    assert [(e.row, e.column) for e in outcome.errors] == [(19, "状态")]
    assert nothing_written()
    assert not Qualification.history.exists()


def test_missing_required_column_is_a_file_error():
    data = tablib.Dataset(["x"], headers=["统一社会信用代码"])
    outcome = run_import(QualificationResource(), data, dry_run=False)
    assert not outcome.ok
    assert "缺少必需的列" in str(outcome.errors[0]) and "资质类型" in str(outcome.errors[0])


def test_queries_per_row_are_constant():
    """Per file: enterprises locked, open records, kinds, enterprises looked up (one query
    each) and savepoints. Per approved row, 6 queries whatever the number of rows: the row's
    savepoint and its release (django-import-export), the overlap check, the insert, its
    history row and its first transition. Nothing is looked up row by row."""

    def run(n: int) -> int:
        enterprises = EnterpriseFactory.create_batch(n)
        rows = [row(e, **{"证书编号": f"GR{n}-{i}"}) for i, e in enumerate(enterprises)]
        return count_queries(
            lambda: run_import(QualificationResource(), dataset(*rows), dry_run=False)
        )

    run(1)  # warm the content-type cache
    five, ten = run(5), run(10)
    assert ten - five == 5 * 6


# --- The management command ------------------------------------------------------------------


def _xlsx(path, rows, headers=HEADERS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def test_command_imports_xlsx(tmp_path):
    rows = [
        row(e, **{"证书编号": f"GR{i}"}) for i, e in enumerate(EnterpriseFactory.create_batch(3))
    ]
    out = io.StringIO()
    call_command("import_data", "qualifications", str(_xlsx(tmp_path / "q.xlsx", rows)), stdout=out)
    assert Qualification.objects.count() == 3
    assert ApplicationTransition.objects.count() == 3
    assert "新增 3 行" in out.getvalue()


def test_command_fails_and_changes_nothing_on_a_bad_row(tmp_path):
    rows = [
        row(EnterpriseFactory()),
        row(EnterpriseFactory(), **{"统一社会信用代码": UNKNOWN_CODE}),
    ]
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command(
            "import_data", "qualifications", str(_xlsx(tmp_path / "q.xlsx", rows)), stderr=err
        )
    assert f"第3行「统一社会信用代码」：找不到统一社会信用代码「{UNKNOWN_CODE}」" in err.getvalue()
    assert nothing_written()


def test_command_dry_run_writes_nothing(tmp_path):
    path = _xlsx(tmp_path / "q.xlsx", [row(EnterpriseFactory())])
    out = io.StringIO()
    call_command("import_data", "qualifications", str(path), "--dry-run", stdout=out)
    assert "校验通过" in out.getvalue()
    assert nothing_written()


def test_command_writes_the_template_with_the_headers(tmp_path):
    out = tmp_path / "template.xlsx"
    call_command("import_data", "qualifications", "--template", str(out), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 2  # the header and the example row (skipped while unchanged)


def test_command_lists_the_dataset():
    with pytest.raises(CommandError, match="qualifications"):
        call_command("import_data", "nonsense", "x.xlsx")


# --- The admin -------------------------------------------------------------------------------

URL = "/admin/enterprises/qualification/import/"


def _upload(rows) -> io.BytesIO:
    data = io.BytesIO()
    _xlsx(data, rows)
    data.seek(0)
    data.name = "qualifications.xlsx"
    return data


def _xlsx_format(client) -> str:
    html = client.get(URL).content.decode()
    return re.search(r'<option value="(\d+)"[^>]*>xlsx</option>', html).group(1)


def test_staff_previews_then_confirms_an_import_that_starts_each_timeline(staff_client, staff_user):
    enterprises = EnterpriseFactory.create_batch(3)
    rows = [row(e, **{"证书编号": f"GR{i}"}) for i, e in enumerate(enterprises)]
    response = staff_client.post(
        URL, {"format": _xlsx_format(staff_client), "import_file": _upload(rows)}
    )
    html = response.content.decode()
    assert "文件共 3 行" in html and enterprises[2].credit_code in html
    assert nothing_written()  # the preview writes nothing
    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    response = staff_client.post("/admin/enterprises/qualification/process_import/", data)
    assert response.status_code == 302
    assert Qualification.objects.count() == 3
    assert set(ApplicationTransition.objects.values_list("to_status", "by", "remark")) == {
        ("approved", staff_user.pk, "Excel导入")
    }


def test_admin_reports_a_bad_row_in_chinese_and_offers_no_confirmation(staff_client):
    rows = [row(EnterpriseFactory()), row(EnterpriseFactory(), **{"资质类型": "独角兽企业"})]
    response = staff_client.post(
        URL, {"format": _xlsx_format(staff_client), "import_file": _upload(rows)}
    )
    html = response.content.decode()
    assert "发现 1 处错误，文件未导入" in html
    assert "第3行「资质类型」：「独角兽企业」不是已有的资质类型" in html
    assert response.context.get("confirm_form") is None
    assert nothing_written()


def test_leadership_cannot_import(leader_client):
    assert leader_client.get(URL).status_code == 302  # not admin staff: sent to the admin login
    response = leader_client.post(URL, {"format": "0", "import_file": _upload([])})
    assert response.status_code == 302
    assert nothing_written()


def test_export_writes_the_columns_the_import_reads():
    held = ApprovedQualificationFactory(remark="历史数据")
    data = QualificationResource().export()
    assert data.headers == HEADERS
    assert list(data[0]) == [
        held.enterprise.credit_code,
        "高新技术企业",
        "国家级",
        "已认定",
        "2024",
        held.certificate_no,
        "2024-11-01",
        "2024-11-01",
        "2027-10-31",
        "历史数据",
        timezone.localtime(held.status_changed_at).date().strftime("%Y-%m-%d"),
    ]
