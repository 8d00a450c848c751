"""Staff: reopen with a reason (kept in history), enter and import assessments made elsewhere."""

import datetime
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse

from bureau.importing import run_import
from digital.imports import AssessmentResource
from digital.models import Assessment, AssessmentSource, AssessmentStatus
from tests.concurrency import token
from tests.digital.factories import AssessmentFactory, edition_2024
from tests.digital.helpers import SPEC
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _edition(db):
    edition_2024()


def test_staff_reopen_keeps_the_reason_in_history_and_lets_the_enterprise_edit(
    staff_client, enterprise_client, enterprise
):
    assessment = AssessmentFactory(enterprise=enterprise, source=AssessmentSource.PORTAL)
    url = reverse("digital:assessment_reopen", args=[assessment.pk])
    staff_client.post(url, {"reason": "设备联网率填写有误，请核实", **token(assessment)})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.REOPENED
    assert (
        assessment.history.first().history_change_reason == "退回修改：设备联网率填写有误，请核实"
    )
    edit = reverse("digital:portal_assessment_edit", args=[assessment.pk])
    page = enterprise_client.get(edit).content.decode()
    assert "局工作人员退回修改：设备联网率填写有误，请核实" in page


def test_reopen_without_a_reason_is_refused(staff_client, enterprise):
    assessment = AssessmentFactory(enterprise=enterprise, source=AssessmentSource.PORTAL)
    staff_client.post(reverse("digital:assessment_reopen", args=[assessment.pk]), {"reason": " "})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def _entry(enterprise, **scores) -> dict:
    data = {
        "enterprise": enterprise.pk,
        "assessed_on": "2024-06-01",
        "source": "external",
        "evaluator": "羚羊工业互联网平台",
        "d_basis": "40",
        "d_management": "20",
        "d_effect": "10",
    }
    data.update({f"d_{k}": v for k, v in scores.items()})
    data.update({f"s_{s.code}": "3" for s in SPEC.scenarios})
    return data


def test_staff_enters_an_external_assessment_and_the_level_follows_the_rules(staff_client):
    enterprise = EnterpriseFactory()
    response = staff_client.post(reverse("digital:assessment_create"), _entry(enterprise))
    assessment = Assessment.objects.get(enterprise=enterprise)
    assert response.url == assessment.get_absolute_url()
    assert assessment.source == AssessmentSource.EXTERNAL
    assert assessment.total_score == Decimal("70") and assessment.level == 3


def test_entered_score_above_the_dimension_maximum_is_refused(staff_client):
    enterprise = EnterpriseFactory()
    response = staff_client.post(
        reverse("digital:assessment_create"), _entry(enterprise, basis="55")
    )
    assert response.status_code == 200
    assert "「数字化基础」得分应在0至50分之间，实际为55分" in response.content.decode()
    assert not Assessment.objects.exists()


def _dataset(rows: list[dict]) -> tablib.Dataset:
    resource = AssessmentResource()
    headers = [f.column_name for f in resource.get_import_fields()]
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append([row.get(h, "") for h in headers])
    return data


def _row(enterprise, **kw) -> dict:
    row = {
        "统一社会信用代码": enterprise.credit_code,
        "评测日期": "2024-07-01",
        "来源": "外部评测平台导入",
        "评测机构/平台": "羚羊工业互联网平台",
        "数字化基础得分": "30",
        "数字化管理得分": "15",
        "数字化成效得分": "5",
        **{f"场景：{s.name}": 2 for s in SPEC.scenarios},
    }
    row.update(kw)
    return row


def test_import_creates_submitted_external_assessments_with_computed_levels():
    a, b = EnterpriseFactory(), EnterpriseFactory()
    outcome = run_import(
        AssessmentResource(), _dataset([_row(a), _row(b, 数字化基础得分="10")]), dry_run=False
    )
    assert outcome.ok, outcome.errors
    first = Assessment.objects.get(enterprise=a)
    assert first.status == AssessmentStatus.SUBMITTED and first.source == AssessmentSource.EXTERNAL
    assert (first.total_score, first.level) == (Decimal("50"), 2)
    assert Assessment.objects.get(enterprise=b).level == 1  # 30 points


def test_import_with_one_bad_row_changes_nothing_and_names_row_and_column():
    a, b = EnterpriseFactory(), EnterpriseFactory()
    rows = [
        _row(a),
        _row(b, 数字化管理得分="31"),
        _row(a, 评测日期="2024-08-01", **{"场景：产品设计": 5}),
    ]
    outcome = run_import(AssessmentResource(), _dataset(rows), dry_run=False)
    assert not outcome.ok
    messages = [str(e) for e in outcome.errors]
    assert any("第3行「数字化管理得分」" in m and "0至30分" in m for m in messages), messages
    assert any("第4行「场景：产品设计」" in m for m in messages), messages
    assert not Assessment.objects.exists()


def test_import_total_outside_the_versions_range_is_refused():
    a = EnterpriseFactory()
    outcome = run_import(
        AssessmentResource(), _dataset([_row(a, 数字化基础得分="-5")]), dry_run=False
    )
    assert not outcome.ok
    assert any("总分应在0至100分之间" in str(e) or "0至50分" in str(e) for e in outcome.errors)
    assert not Assessment.objects.exists()


def test_export_reopens_with_the_scores(staff_client):
    import io

    import openpyxl

    AssessmentFactory(assessed_on=datetime.date(2024, 3, 3))
    response = staff_client.get(reverse("digital:assessment_list") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("企业名称", "统一社会信用代码", "评测日期")
    assert rows[1][6:10] == (25, 15, 10, 50) and rows[1][10] == "二级"


def test_a_new_edition_loads_as_data_and_old_assessments_keep_theirs(tmp_path):
    import json

    from django.core.management import call_command

    from digital.editions import EDITIONS_DIR, read_edition
    from digital.models import QuestionnaireVersion
    from digital.selectors import current_version

    old = AssessmentFactory()
    data = read_edition(EDITIONS_DIR / "2024.json")
    data.update(
        code="2026", name="中小企业数字化水平评测指标（2026年版）", effective_from="2026-01-01"
    )
    path = tmp_path / "2026.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_questionnaire", str(path), verbosity=0)
    assert current_version().code == "2026"
    assert QuestionnaireVersion.objects.count() == 2
    old.refresh_from_db()
    assert old.version.code == "2024"
