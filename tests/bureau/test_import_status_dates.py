"""Imported pipeline records carry the dates of the events, not of the import: the status date
of the row (状态日期, else 认定日期 for an approved one), else the end of the batch year."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bureau.importing import column_specs
from bureau.management.commands.import_data import available_datasets
from bureau.models import Application, ApplicationStatus, ApplicationTransition
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

PIPELINE = sorted(
    name
    for name, resource in available_datasets().items()
    if issubclass(resource._meta.model, Application)
)


def test_the_pipeline_datasets_are_found():
    assert {"qualifications", "rd_platforms", "platform_recognitions"} <= set(PIPELINE)


def _import(tmp_path, name, **cells):
    """One row of `name`: the template's example with `cells` changed (None clears a cell)."""
    template = tmp_path / "t.xlsx"
    call_command("import_data", name, "--template", str(template), stdout=io.StringIO())
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    for column, value in cells.items():
        row[headers.index(column)] = value
    sheet.append(row)
    sheet.delete_rows(2)  # the example itself
    path = tmp_path / "data.xlsx"
    book.save(path)
    err = io.StringIO()
    try:
        call_command("import_data", name, str(path), stdout=io.StringIO(), stderr=err)
    except CommandError:
        return err.getvalue()
    return ""


def _history(name):
    model = available_datasets()[name]._meta.model
    record = model.objects.get()
    return record, list(
        ApplicationTransition.objects.filter(object_id=record.pk).values_list("to_status", "at")
    )


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory()


def _local_date(at):
    return timezone.localtime(at).date()


@pytest.mark.parametrize("name", PIPELINE)
def test_a_last_years_application_without_dates_is_dated_at_the_end_of_its_batch_year(
    enterprise, tmp_path, name
):
    year = timezone.localdate().year - 1
    errors = _import(
        tmp_path,
        name,
        状态="审核中",
        批次年度=year,
        状态日期=None,
        认定日期=None,
        有效期起=None,
        有效期至=None,
        证书编号=None,
    )
    assert errors == ""
    record, history = _history(name)
    end = datetime.date(year, 12, 31)
    assert _local_date(record.status_changed_at) == end
    assert [(s, _local_date(at)) for s, at in history] == [(ApplicationStatus.UNDER_REVIEW, end)]


@pytest.mark.parametrize("name", PIPELINE)
def test_the_rows_status_date_wins(enterprise, tmp_path, name):
    errors = _import(
        tmp_path,
        name,
        状态="已申报",
        批次年度=2025,
        状态日期=datetime.date(2025, 4, 2),
        认定日期=None,
        有效期起=None,
        有效期至=None,
        证书编号=None,
    )
    assert errors == ""
    record, history = _history(name)
    assert [(s, _local_date(at)) for s, at in history] == [
        (ApplicationStatus.SUBMITTED, datetime.date(2025, 4, 2))
    ]


@pytest.mark.parametrize("name", PIPELINE)
def test_an_approved_row_is_dated_by_its_approval(enterprise, tmp_path, name):
    errors = _import(
        tmp_path,
        name,
        状态="已认定",
        批次年度=2024,
        状态日期=None,
        认定日期=datetime.date(2024, 12, 2),
    )
    assert errors == ""
    record, history = _history(name)
    assert [(s, _local_date(at)) for s, at in history] == [
        (ApplicationStatus.APPROVED, datetime.date(2024, 12, 2))
    ]


@pytest.mark.parametrize("name", PIPELINE)
def test_a_row_with_no_date_at_all_is_refused_naming_the_status_date(enterprise, tmp_path, name):
    errors = _import(
        tmp_path,
        name,
        状态="审核中",
        批次年度=None,
        状态日期=None,
        认定日期=None,
        有效期起=None,
        有效期至=None,
        证书编号=None,
    )
    assert "第2行「状态日期」：请填写状态日期，或填写批次年度" in errors
    model = available_datasets()[name]._meta.model
    assert not model.objects.exists()


@pytest.mark.parametrize("name", PIPELINE)
def test_templates_explain_the_status_date(name):
    spec = next(s for s in column_specs(available_datasets()[name]()) if s.name == "状态日期")
    assert spec.kind == "日期" and "批次年度" in spec.note
