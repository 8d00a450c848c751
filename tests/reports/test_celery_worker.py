"""The summary export through a real Celery worker process on real Redis (CI)."""

import io

import docx
import openpyxl
import pytest

from reports.models import ExportJob, ExportStatus
from reports.services import ensure_summary
from reports.tasks import export_summary
from tests.factories import ActivityFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_summary_export_runs_in_a_real_worker(media, celery_worker, fmt):
    for _ in range(3):
        ActivityFactory()  # three policy seminars in 2024
    summary = ensure_summary(2024)
    result = export_summary.apply_async((summary.pk, fmt), queue=celery_worker).get(timeout=180)
    assert result["status"] == ExportStatus.DONE.value, (
        result,
        ExportJob.objects.get(pk=result["job_id"]).error,
    )
    job = ExportJob.objects.get(pk=result["job_id"])
    assert job.status == ExportStatus.DONE and job.progress == 100
    data = job.file.read()
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert len(book.sheetnames) >= 2
    else:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        assert "2024年度工作总结" in text and "政策宣讲会3次" in text
