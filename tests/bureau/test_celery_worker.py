"""A task through a real Celery worker process against real Redis (REQUIRE_SERVICES in CI)."""

import openpyxl
import pytest

from bureau.tasks import import_file
from enterprises.imports import EnterpriseResource
from enterprises.models import Enterprise
from tests.factories import ParkZoneFactory, credit_code_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _file(tmp_path, rows):
    headers = [f.column_name for f in EnterpriseResource().get_import_fields()]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for code, name in rows:
        sheet.append([code, name, "39", "小型", "2019-01-01", "1000000", "", "光电园"])
    path = tmp_path / "import.xlsx"
    book.save(path)
    return str(path)


def test_import_runs_in_a_real_worker(celery_worker, tmp_path, staff_user):
    ParkZoneFactory(name="光电园")
    path = _file(tmp_path, [(credit_code_for(7000 + i), f"工人导入{i}有限公司") for i in range(3)])
    result = import_file.apply_async(("enterprises", path, staff_user.pk), queue=celery_worker)
    outcome = result.get(timeout=90)
    assert outcome["ok"] and outcome["new"] == 3
    assert Enterprise.objects.filter(name__startswith="工人导入").count() == 3
    assert Enterprise.history.filter(history_user=staff_user).count() == 3


def test_bad_file_in_a_real_worker_changes_nothing(celery_worker, tmp_path):
    ParkZoneFactory(name="光电园")
    bad = credit_code_for(8000)[:17] + "I"
    path = _file(tmp_path, [(credit_code_for(8001), "好企业有限公司"), (bad, "坏代码有限公司")])
    outcome = import_file.apply_async(("enterprises", path), queue=celery_worker).get(timeout=90)
    assert not outcome["ok"]
    assert outcome["errors"] and outcome["errors"][0].startswith("第3行「统一社会信用代码」")
    assert not Enterprise.objects.filter(name="好企业有限公司").exists()
