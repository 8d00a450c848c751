"""Word and Excel exports reopened with python-docx and openpyxl; the export task and downloads."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from reports import exports, services
from reports.models import ExportJob, ExportStatus, WordTemplate
from reports.tasks import export_summary
from reports.word import DEFAULT_TEMPLATE
from tests.factories import EnterpriseFactory

from .conftest import enterprise_source, finance_source
from .factories import NarrativeParagraphFactory

pytestmark = pytest.mark.django_db

NASTY = ['=HYPERLINK("http://x","点我")', "+SUM(1,2)", "-2+3", "@cmd"]


@pytest.fixture
def summary(figure_sources, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    EnterpriseFactory.create_batch(3)
    for name in NASTY:
        EnterpriseFactory(name=name)
    figure_sources(enterprises=enterprise_source, finance=finance_source)
    summary = services.ensure_summary(2024)
    services.regenerate(summary)
    NarrativeParagraphFactory(
        section=summary.sections.get(code="work.tiers"), text="持续做好政策宣传和解读。"
    )
    return summary


def east_asia_font(style) -> str | None:
    rpr = style.element.rPr
    return None if rpr is None or rpr.rFonts is None else rpr.rFonts.get(qn("w:eastAsia"))


def test_docx_is_an_official_document_with_the_figures_in_its_text(summary):
    doc = Document(io.BytesIO(exports.build_docx(summary.pk)))
    section = doc.sections[0]

    def mm(length) -> float:
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)

    paragraphs = doc.paragraphs
    title = paragraphs[0]
    assert title.text == "科技金融局2024年度工作总结"
    assert east_asia_font(title.style) == "方正小标宋简体" and title.style.font.size == Pt(22)

    h1 = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert h1 == [
        "一、工作开展情况",
        "二、工作的特色与亮点",
        "三、工作存在的问题与建议",
        "四、2025年度工作安排",
    ]
    h2 = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert "（四）加快企业梯次培育，不断提升服务效能" in h2
    assert east_asia_font(doc.styles["Heading 1"]) == "黑体"
    assert east_asia_font(doc.styles["Heading 2"]) == "楷体_GB2312"
    assert east_asia_font(doc.styles["Normal"]) == "仿宋_GB2312"
    assert doc.styles["Normal"].font.size == Pt(16)

    text = "\n".join(p.text for p in paragraphs)
    # 7 active enterprises in the fake source: 高企 7, 科小 14; 2亿元 signed.
    assert "新培育高企7家" in text and "科小入库14家" in text
    assert "今年累计现场签约2亿元" in text
    body = text.split("附件：")[0]
    # Talent publishes nothing here: its figures are left out of the text, never "暂无数据".
    assert "企业高管" not in body and "暂无数据" not in body
    assert "数据截至" in body
    assert "持续做好政策宣传和解读。" in text

    footer_xml = section.footer._element.xml + section.even_page_footer._element.xml
    assert footer_xml.count("PAGE") == 2  # odd and even page numbers
    assert doc.settings.odd_and_even_pages_header_footer

    # One table of key figures, no internal keys, no records (those are in the Excel file).
    (table,) = doc.tables
    assert [c.text for c in table.rows[0].cells] == [
        "指标",
        "2024年",
        "2023年",
        "增减（增幅）",
        "年度目标",
    ]
    cells = [c.text for row in table.rows for c in row.cells]
    assert "新培育高新技术企业（家）" in cells
    assert not any("enterprises." in c or "=HYPERLINK" in c for c in cells)


def test_docx_carries_the_dashboard_charts_as_images(summary):
    pytest.importorskip("matplotlib")
    doc = Document(io.BytesIO(exports.build_docx(summary.pk)))
    assert len(doc.inline_shapes) >= 2  # quarter trends + tiers distribution


def test_xlsx_has_figures_records_and_native_charts_and_no_formulas(summary):
    wb = openpyxl.load_workbook(io.BytesIO(exports.build_xlsx(summary.pk)))
    assert wb.sheetnames[0] == "指标" and wb.sheetnames[-1] == "图表"
    assert "（四）梯次培育" in wb.sheetnames
    figures = wb["指标"]
    assert figures.freeze_panes == "A3"
    header = [c.value for c in figures[2]]
    assert header[:6] == ["章节", "指标代码", "指标", "单位", "2024年", "2023年"]
    rows = {r[1]: r for r in figures.iter_rows(min_row=3, values_only=True)}
    assert rows["finance.signed_on_site"][3:8] == ("万元", 20000, 15000, 5000, 33.3)
    assert rows["talent.executives"][4] == "暂无数据"
    assert figures["A2"].font.bold

    assert len(wb["图表"]._charts) >= 2
    tiers = wb["（四）梯次培育"]
    values = [c.value for row in tiers.iter_rows() for c in row if c.value is not None]
    for nasty in NASTY:
        assert nasty in values
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.quotePrefix


def test_xlsx_money_columns_are_in_wan_yuan(summary):
    wb = openpyxl.load_workbook(io.BytesIO(exports.build_xlsx(summary.pk)))
    tiers = wb["（四）梯次培育"]
    headers = [c.value for row in tiers.iter_rows() for c in row]
    assert "注册资本（万元）" in headers
    money = [c for row in tiers.iter_rows() for c in row if c.number_format.endswith('" 万元"')]
    assert money and money[0].value == 500  # 5,000,000 元


@pytest.mark.parametrize("n", [3, 30])
def test_xlsx_export_query_count_does_not_grow_with_records(
    figure_sources, settings, tmp_path, django_assert_num_queries, n
):
    settings.MEDIA_ROOT = tmp_path
    EnterpriseFactory.create_batch(n)
    figure_sources(enterprises=enterprise_source)
    summary = services.ensure_summary(2024)
    services.regenerate(summary)
    # summary = 1; one live collect for the records behind the figures = 1 (the values, last
    # year's and the charts' come from the snapshot); one records table per published summary
    # figure (hitech_new, tech_sme_registered) = 2, plus one per foreign-key column for the
    # related rows' names (the zone) = 2; the charts' dashboard data from the snapshot: the
    # year's targets = 1.
    with django_assert_num_queries(7):
        exports.build_xlsx(summary.pk)


def test_export_task_stores_the_file_and_returns_its_path(summary):
    result = export_summary.apply(args=[summary.pk, "docx"]).get()
    job = ExportJob.objects.get(pk=result["job_id"])
    assert result["status"] == "done" and job.status == ExportStatus.DONE and job.progress == 100
    assert Path(result["path"]).exists() and f"reports/{summary.year}/" in job.file.name
    Document(result["path"])  # a valid Word file
    again = export_summary.apply(args=[summary.pk, "docx"], kwargs={"job_id": job.pk}).get()
    assert again["path"] == result["path"]


def test_export_request_runs_in_process_and_the_file_downloads(
    summary, leader_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = leader_client.post(
            reverse("reports:export_request", args=[2024]), {"fmt": "xlsx"}
        )
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("reports:export_status", args=[job.pk])
    status = leader_client.get(
        reverse("reports:export_status", args=[job.pk]), {"format": "json"}
    ).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["download"]
    download = leader_client.get(reverse("reports:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))


def test_a_repeated_request_while_one_runs_does_not_start_a_second(summary, staff_user):
    running = ExportJob.objects.create(summary=summary, fmt="docx", status=ExportStatus.RUNNING)
    job, started = services.request_export(summary, "docx", by=staff_user)
    assert job == running and started is False
    assert ExportJob.objects.filter(summary=summary, fmt="docx").count() == 1
    other, started = services.request_export(summary, "xlsx", by=staff_user)
    assert started is True and other != running


def test_unfinished_export_cannot_be_downloaded(summary, leader_client):
    job = ExportJob.objects.create(summary=summary, fmt="docx", status=ExportStatus.RUNNING)
    assert leader_client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404


def test_uploaded_word_template_replaces_the_default(summary, staff_client):
    doc = Document(str(DEFAULT_TEMPLATE))
    doc.sections[0].header.paragraphs[0].text = "舒城开发区科技金融局文件"
    buffer = io.BytesIO()
    doc.save(buffer)
    upload = SimpleUploadedFile("红头模板.docx", buffer.getvalue())
    response = staff_client.post(
        reverse("reports:template_upload"), {"name": "红头模板", "file": upload}
    )
    assert response.status_code == 302
    assert WordTemplate.objects.get().is_active
    exported = Document(io.BytesIO(exports.build_docx(summary.pk)))
    assert exported.sections[0].header.paragraphs[0].text == "舒城开发区科技金融局文件"
    assert exported.paragraphs[0].text == "科技金融局2024年度工作总结"

    staff_client.post(reverse("reports:template_upload"), {"reset": "1"})
    default = Document(io.BytesIO(exports.build_docx(summary.pk)))
    assert default.sections[0].header.paragraphs[0].text == ""


@pytest.mark.parametrize(
    ("content", "error"),
    [(b"not a zip", "不是有效的Word"), ("no-body", "缺少正文占位符")],
)
def test_bad_template_upload_is_refused_in_chinese(summary, staff_client, content, error):
    if content == "no-body":
        doc = Document()
        doc.add_paragraph("{{ title }}")
        buffer = io.BytesIO()
        doc.save(buffer)
        content = buffer.getvalue()
    response = staff_client.post(
        reverse("reports:template_upload"),
        {"name": "坏模板", "file": SimpleUploadedFile("bad.docx", content)},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not WordTemplate.objects.exists()


def test_default_template_ships_in_the_repo_and_downloads(staff_client):
    assert DEFAULT_TEMPLATE.exists()
    response = staff_client.get(reverse("reports:template_default"))
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert "{{p body }}" in [p.text for p in doc.paragraphs]


def test_export_summary_command_writes_both_formats(summary, tmp_path):
    from django.core.management import call_command

    docx_path, xlsx_path = tmp_path / "s.docx", tmp_path / "s.xlsx"
    call_command("export_summary", year=2024, fmt="docx", output=str(docx_path))
    call_command("export_summary", year=2024, fmt="xlsx", output=str(xlsx_path))
    assert Document(str(docx_path)).paragraphs[0].text == "科技金融局2024年度工作总结"
    assert "指标" in openpyxl.load_workbook(xlsx_path).sheetnames


def test_word_export_with_sparse_data_marks_figures_without_value(settings, tmp_path):
    """A year with almost no records (no targets, no scheme stage) still exports; figures
    without a value are left out of the text and the table, never printed as 暂无数据."""
    import io as _io

    import docx as _docx

    from reports import exports as _exports
    from reports.services import ensure_summary as _ensure
    from tests.factories import ActivityFactory as _Activity

    settings.MEDIA_ROOT = tmp_path
    _Activity()
    data = _exports.build_docx(_ensure(2024).pk)
    text = "\n".join(p.text for p in _docx.Document(_io.BytesIO(data)).paragraphs)
    assert "2024年度工作总结" in text and "暂无数据" not in text
