"""Every import dataset, on real .xlsx files written by openpyxl from the dataset's own blank
template: one valid row with every optional cell empty, then with every optional cell filled,
through the management command and through the admin's import page.

The datasets are those `import_data` lists, so a dataset added later is covered without editing
this file; its template's example row must be a valid row in the `world` below (lookup columns
take the first record on file, which the world provides).
"""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import models
from import_export import widgets

from bureau.admin import AllOrNothingImportMixin
from bureau.importing import column_specs
from bureau.management.commands.import_data import available_datasets
from bureau.models import Activity, PeriodStatus
from tests.bureau.test_import_templates import grant_roster_permission
from tests.digital.factories import DemoParkProjectFactory, ServicePackageFactory
from tests.factories import EnterpriseFactory, PeriodFactory
from tests.finance.factories import (
    FinanceEventFactory,
    InstitutionFactory,
    ProductFactory,
    SigningFactory,
)
from tests.incubation.factories import IncubatorFactory
from tests.talent.factories import InstitutionFactory as TalentInstitutionFactory

pytestmark = pytest.mark.django_db

DATASETS = available_datasets()
NAMES = sorted(DATASETS)


def _admin_for(resource_class):
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AllOrNothingImportMixin) and resource_class in (
            model_admin.get_import_resource_classes(None)
        ):
            return model._meta.app_label, model._meta.model_name
    return None


@pytest.fixture
def world(db):
    """One record of each reference the datasets look up, so every example row is valid."""
    enterprise = EnterpriseFactory(name="示例引用企业有限公司")
    for quarter in (1, 2, 3, 4):
        PeriodFactory(year=2024, quarter=quarter, status=PeriodStatus.OPEN)
    IncubatorFactory(name="示例孵化器")
    ServicePackageFactory()
    bank = InstitutionFactory(name="示例银行舒城支行")
    ProductFactory(name="示例贷", provider=bank)
    event = FinanceEventFactory()
    SigningFactory(event=event, bank=bank, enterprise=enterprise)
    TalentInstitutionFactory(name="示例大学")
    DemoParkProjectFactory()
    return enterprise


def test_every_dataset_has_an_admin_import_and_an_example_for_each_required_column(world):
    assert {"activities", "targets", "periods", "service_packages"} <= set(DATASETS)
    for name, resource_class in DATASETS.items():
        assert _admin_for(resource_class), f"{name} has no admin import"
        for spec in column_specs(resource_class()):
            if spec.required:
                assert spec.example not in (None, ""), f"{name}: no example for {spec.name}"


def _template_rows(path) -> tuple[list[str], list]:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), list(rows[1])


def _filled_file(template: bytes, mode: str, resource) -> tuple[io.BytesIO, dict]:
    """The template with one row more under the example: the example's values, optional
    cells cleared when `mode` is "empty"."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    example = [c.value for c in sheet[2]]
    specs = {s.name: s for s in column_specs(resource)}
    row = []
    for header, value in zip(headers, example, strict=True):
        spec = specs[header]
        keep = spec.required or bool(spec.condition) or (mode == "filled" and not spec.readonly)
        row.append(value if keep else None)
    sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out, dict(zip(headers, row, strict=True))


def _snapshot(model) -> set:
    return set(model.objects.values_list("pk", flat=True))


def _assert_record(resource, before: set, cells: dict) -> None:
    model = resource._meta.model
    new = model.objects.exclude(pk__in=before)
    assert new.count() == 1, "the example row is skipped, the row under it imported"
    record = new.get()
    for name, import_field in resource.fields.items():
        if import_field.readonly or not import_field.attribute:
            continue
        if import_field.column_name not in cells:
            continue
        value = getattr(record, import_field.attribute)
        cell = cells[import_field.column_name]
        if isinstance(import_field.widget, widgets.ManyToManyWidget):
            expected = import_field.clean({import_field.column_name: cell})
            assert set(value.all()) == set(expected), name
            continue
        if cell in (None, ""):
            model_field = model._meta.get_field(import_field.attribute)
            allowed = {None, ""}
            if model_field.has_default():
                allowed.add(model_field.get_default())
            assert value in allowed or name in resource.blank_defaults(), (name, value)
            continue
        expected = import_field.clean({import_field.column_name: cell})
        if isinstance(expected, Decimal) or isinstance(value, Decimal):
            assert Decimal(str(value)) == Decimal(str(expected)), name
        elif isinstance(value, models.Model):
            assert value == expected, name
        else:
            assert value == expected, (name, value, expected)


def _template_by_command(name: str, tmp_path) -> bytes:
    path = tmp_path / f"{name}-template.xlsx"
    call_command("import_data", name, "--template", str(path), stdout=io.StringIO())
    return path.read_bytes()


@pytest.mark.parametrize("mode", ["empty", "filled"])
@pytest.mark.parametrize("name", NAMES)
def test_command_imports_the_datasets_own_template_with_one_row(world, tmp_path, name, mode):
    resource = DATASETS[name]()
    template = _template_by_command(name, tmp_path)
    upload, cells = _filled_file(template, mode, resource)
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(upload.getvalue())
    model = resource._meta.model
    before = _snapshot(model)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_data", name, str(path), stdout=out, stderr=err)
    except CommandError:
        pytest.fail(f"{name} ({mode}) refused: {err.getvalue()}")
    assert "跳过示例行 1 行" in out.getvalue()
    _assert_record(DATASETS[name](), before, cells)


@pytest.mark.parametrize("mode", ["empty", "filled"])
@pytest.mark.parametrize("name", NAMES)
def test_admin_imports_the_datasets_own_template_with_one_row(world, staff_client, name, mode):
    app, model_name = _admin_for(DATASETS[name])
    if app == "talent" and model_name == "talent":
        grant_roster_permission("staff")  # the roster imports only for who may see it
    template = staff_client.get(f"/admin/{app}/{model_name}/import-template/").content
    resource = DATASETS[name]()
    upload, cells = _filled_file(template, mode, resource)
    upload.name = f"{name}.xlsx"
    url = f"/admin/{app}/{model_name}/import/"
    html = staff_client.get(url).content.decode()
    fmt = re.search(r'<option value="(\d+)"[^>]*>xlsx</option>', html).group(1)
    model = resource._meta.model
    before = _snapshot(model)
    response = staff_client.post(url, {"format": fmt, "import_file": upload})
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context.get("portal_errors")
    data = {field: confirm[field].value() for field in confirm.fields}
    response = staff_client.post(f"/admin/{app}/{model_name}/process_import/", data)
    assert response.status_code == 302
    _assert_record(DATASETS[name](), before, cells)


def _typed_columns(resource) -> tuple[str | None, str | None]:
    specs = [s for s in column_specs(resource) if not s.readonly]
    number = next((s.name for s in specs if s.kind in ("整数", "数字")), None)
    date = next((s.name for s in specs if s.kind == "日期"), None)
    return number, date


@pytest.mark.parametrize("name", NAMES)
def test_text_in_a_number_column_and_a_bad_date_name_row_and_column(world, tmp_path, name):
    resource = DATASETS[name]()
    if not any(_typed_columns(resource)):
        pytest.skip("no number or date column")
    template = _template_by_command(name, tmp_path)
    upload, _cells = _filled_file(template, "filled", resource)
    book = openpyxl.load_workbook(upload)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    number, date = _typed_columns(resource)
    if number:
        sheet.cell(row=3, column=headers.index(number) + 1).value = "一百二十"
    if date:
        sheet.cell(row=3, column=headers.index(date) + 1).value = "2024-13-45"
    path = tmp_path / f"{name}-bad.xlsx"
    book.save(path)
    model = resource._meta.model
    before = _snapshot(model)
    activities = Activity.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_data", name, str(path), stdout=io.StringIO(), stderr=err)
    if number:
        assert f"第3行「{number}」：「一百二十」不是有效的" in err.getvalue()
    if date:
        assert f"第3行「{date}」：「2024-13-45」不是有效的日期" in err.getvalue()
    assert _snapshot(model) == before
    assert Activity.objects.count() == activities


@pytest.mark.parametrize("name", NAMES)
def test_template_explains_every_column_and_offers_lists_for_coded_columns(tmp_path, name):
    book = openpyxl.load_workbook(io.BytesIO(_template_by_command(name, tmp_path)))
    data = book.worksheets[0]
    assert data.title not in ("Tablib Dataset", "Sheet")
    assert re.search(r"[\u4e00-\u9fff]", data.title)
    guide = book["填表说明"]
    explained = {row[0] for row in guide.iter_rows(min_row=5, values_only=True)}
    headers = [c.value for c in data[1]]
    assert set(headers) <= explained
    assert "示例行" in guide["A1"].value
    specs = column_specs(DATASETS[name]())
    coded = [s for s in specs if s.kind == "可选值"]
    validated = " ".join(str(v.sqref) for v in data.data_validations.dataValidation)
    for spec in coded:
        letter = openpyxl.utils.get_column_letter(headers.index(spec.name) + 1)
        assert f"{letter}2:{letter}10000" in validated, spec.name
    required = {row[0]: row[1] for row in guide.iter_rows(min_row=5, values_only=True)}
    for spec in specs:
        assert required[spec.name] in ("必填", "选填", "视情况", "仅导出")


def test_example_row_holds_real_numbers_and_dates(tmp_path):
    path = tmp_path / "qualifications.xlsx"
    path.write_bytes(_template_by_command("qualifications", tmp_path))
    headers, example = _template_rows(path)
    assert isinstance(example[headers.index("批次年度")], int)
    assert isinstance(example[headers.index("状态日期")], datetime.datetime)


def test_blank_optional_cells_of_a_hand_made_xlsx_import_as_the_same_csv_does(world, tmp_path):
    """The finding: an empty 备注 cell failed the row (NOT NULL constraint failed)."""
    from incubation.models import RDPlatform, RDPlatformKind

    headers = ["统一社会信用代码", "平台类型", "平台名称", "技术领域", "状态", "批次年度", "备注"]
    row = [
        world.credit_code,
        RDPlatformKind.objects.first().name,
        "示例中心",
        None,
        "培育对象",
        2024,
        None,
    ]
    book = openpyxl.Workbook()
    book.active.append(headers)
    book.active.append(row)
    path = tmp_path / "platforms.xlsx"
    book.save(path)
    call_command("import_data", "rd_platforms", str(path), stdout=io.StringIO())
    platform = RDPlatform.objects.get()
    assert (platform.remark, platform.tech_field) == ("", "")


def test_a_database_refusal_names_the_row_and_column_in_chinese(world, tmp_path, monkeypatch):
    """A refusal only the database sees (here a duplicate target, with the per-row check
    switched off) is reported as 第N行「列名」：原因, not as the database's English text."""
    from bureau.imports import TargetResource
    from tests.factories import TargetFactory

    TargetFactory(year=2025, figure_key="bureau.activities.policy_seminar", target_value=10)
    monkeypatch.setattr(TargetResource, "get_instance", lambda self, loader, row: None)
    monkeypatch.setattr(TargetResource, "validate_unique_per_row", lambda self: False)
    monkeypatch.setattr(TargetResource, "validate_db_constraints", False)
    book = openpyxl.Workbook()
    book.active.append(["年度", "指标（代码或名称）", "目标值"])
    book.active.append([2025, "bureau.activities.policy_seminar", 12])
    path = tmp_path / "targets.xlsx"
    book.save(path)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "targets", str(path), stdout=io.StringIO(), stderr=err)
    assert "第2行「年度」：与已有记录重复（年度、指标（代码或名称））" in err.getvalue()
    assert "constraint" not in err.getvalue()


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("NOT NULL constraint failed: incubation_rdplatform.remark", ("备注", "不能为空")),
        (
            'null value in column "remark" of relation "incubation_rdplatform" violates '
            "not-null constraint",
            ("备注", "不能为空"),
        ),
        (
            'new row for relation "x" violates check constraint '
            '"incubation_rdplatform_valid_to_after_from"',
            ("有效期至", "有效期至不能早于有效期起。"),
        ),
        ("value too long for type character varying(200)", ("", "内容过长（最多200个字）")),
    ],
)
def test_database_messages_are_translated(message, expected):
    from django.db import IntegrityError

    from bureau.importing import describe_error
    from incubation.imports import RDPlatformResource

    assert describe_error(RDPlatformResource(), IntegrityError(message)) == expected


def test_a_record_wide_duplicate_is_named_by_its_first_column(world, tmp_path, monkeypatch):
    """The model's unique constraint, checked before saving, names a column too."""
    from bureau.imports import TargetResource
    from tests.factories import TargetFactory

    TargetFactory(year=2025, figure_key="bureau.activities.policy_seminar", target_value=10)
    monkeypatch.setattr(TargetResource, "get_instance", lambda self, loader, row: None)
    book = openpyxl.Workbook()
    book.active.append(["年度", "指标（代码或名称）", "目标值"])
    book.active.append([2025, "bureau.activities.policy_seminar", 12])
    path = tmp_path / "targets.xlsx"
    book.save(path)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "targets", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("第2行「年度」：")


def test_the_admin_import_page_offers_the_update_choice_in_english(staff_client):
    html = staff_client.get(
        "/admin/enterprises/enterprise/import/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Update records on file" in html
    assert "Download the import template" in html


def test_an_empty_required_date_is_refused_not_set_to_the_import_day(world, tmp_path):
    """登记日期 of a financing need has the model default today; an import must not use it."""
    from finance.models import FinancingNeed

    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码", "融资金额（元）", "资金用途", "登记日期"])
    book.active.append([world.credit_code, 1000000, "补充流动资金", None])
    path = tmp_path / "needs.xlsx"
    book.save(path)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "finance_needs", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("第2行「登记日期」：")
    assert not FinancingNeed.objects.exists()
