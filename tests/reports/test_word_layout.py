"""The Word file leadership reads: the summary, its charts whole, one table of key figures;
the records behind the figures only on request, in landscape pages; the summary's own date."""

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from reports import exports, services
from reports.models import AnnualSummary, ExportJob
from tests.concurrency import token
from tests.conftest import require_service
from tests.factories import EnterpriseFactory, TargetFactory

from .conftest import enterprise_source, finance_source

pytestmark = pytest.mark.django_db

INTERNAL_KEY = re.compile(r"\b[a-z_]+\.[a-z_]+(?:\.[a-z_]+)*\b")


@pytest.fixture
def summary(figure_sources, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    EnterpriseFactory.create_batch(4)
    figure_sources(enterprises=enterprise_source, finance=finance_source)
    TargetFactory(year=2024, figure_key="enterprises.hitech_new", label="高企", target_value=5)
    summary = services.ensure_summary(2024)
    services.regenerate(summary)
    return summary


def all_text(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_default_word_file_has_one_key_figures_table_and_no_internal_keys(summary):
    doc = Document(io.BytesIO(exports.build_docx(summary.pk)))
    (table,) = doc.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == ["指标", "2024年", "2023年", "增减（增幅）", "年度目标"]
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}
    # 4 enterprises: 高企 4 against a target of 5; 2亿元 signed, 1.5亿元 the year before.
    assert rows["新培育高新技术企业（家）"] == ["4", "4", "0", "5"]
    assert rows["现场签约金额（万元）"] == ["20000", "15000", "+5000（+33.3%）", "—"]
    assert not any("暂无数据" in label for label in rows)  # unpublished figures are left out
    assert not INTERNAL_KEY.search(all_text(doc))
    assert len(doc.sections) == 1 and doc.sections[0].orientation == WD_ORIENT.PORTRAIT


def test_every_inline_picture_has_its_own_single_spacing_and_no_indent(summary):
    pytest.importorskip("matplotlib")
    doc = Document(io.BytesIO(exports.build_docx(summary.pk)))
    pictures = [p for p in doc.paragraphs if p._p.xpath(".//pic:pic")]
    assert len(pictures) == len(doc.inline_shapes) >= 2  # the trends and the tiers at least
    body_pitch = doc.styles["Normal"].paragraph_format
    assert body_pitch.line_spacing_rule == WD_LINE_SPACING.EXACTLY  # what pictures must escape
    for p in pictures:
        spacing = p._p.pPr.find(qn("w:spacing"))
        assert spacing is not None and spacing.get(qn("w:lineRule")) == "auto", p._p.xml[:300]
        assert p.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE
        assert p.paragraph_format.first_line_indent == Pt(0)


def test_full_appendix_lists_the_records_in_a_landscape_section_with_set_widths(summary):
    doc = Document(io.BytesIO(exports.build_docx(summary.pk, appendix="full")))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    portrait, landscape = doc.sections
    assert landscape.page_width == portrait.page_height
    assert landscape.page_height == portrait.page_width
    records = doc.tables[1:]
    assert records, "the records behind the figures"
    text_width = landscape.page_width - landscape.left_margin - landscape.right_margin
    for table in records:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(grid) * 635 - text_width) < 635 * len(grid)  # fills the landscape width
        assert min(grid) * 635 >= text_width / len(grid) / 3  # no column is a sliver
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None  # the header repeats on every page
    names = {c.text for t in records for row in t.rows for c in row.cells}
    assert "安徽测试科技0有限公司" in names or any("测试科技" in n for n in names)


def test_document_date_is_the_summarys_own_once_staff_set_it(summary, staff_client):
    def signed(doc) -> str:
        return next(p.text for p in doc.paragraphs if re.fullmatch(r"\d{4}年\d+月\d+日", p.text))

    today = datetime.date.today()
    doc = Document(io.BytesIO(exports.build_docx(summary.pk)))
    assert signed(doc) == f"{today.year}年{today.month}月{today.day}日"

    response = staff_client.post(
        reverse("reports:summary_edit", args=[summary.year]),
        {
            "title": summary.title,
            "organisation": summary.organisation,
            "document_date": "2025-01-15",
            **token(summary),
        },
    )
    assert response.status_code == 302
    assert AnnualSummary.objects.get(pk=summary.pk).document_date == datetime.date(2025, 1, 15)
    doc = Document(io.BytesIO(exports.build_docx(summary.pk)))
    assert signed(doc) == "2025年1月15日"


def test_export_page_offers_the_records_appendix(
    summary, staff_client, django_capture_on_commit_callbacks
):
    page = staff_client.get(reverse("reports:summary_preview", args=[2024])).content.decode()
    assert 'name="appendix"' in page and "主要指标表及指标明细记录" in page
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("reports:export_request", args=[2024]), {"fmt": "docx", "appendix": "full"}
        )
    job = ExportJob.objects.get()
    assert job.appendix == "full" and job.status == "done"
    assert len(Document(job.file.path).sections) == 2


def test_export_command_takes_the_appendix_option(summary, tmp_path):
    default, full = tmp_path / "a.docx", tmp_path / "b.docx"
    call_command("export_summary", year=2024, fmt="docx", output=str(default))
    call_command("export_summary", year=2024, fmt="docx", output=str(full), appendix="full")
    assert len(Document(str(default)).tables) == 1
    assert len(Document(str(full)).tables) > 1


def pdf_pages(path: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


@pytest.mark.services
def test_demo_years_default_word_file_renders_under_15_pages_in_libreoffice(
    demo_data, tmp_path, settings
):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    require_service("LibreOffice", soffice is not None, "soffice")
    settings.MEDIA_ROOT = tmp_path
    docx = tmp_path / "summary.docx"
    call_command("export_summary", year=2024, fmt="docx", output=str(docx))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pages = pdf_pages(tmp_path / "summary.pdf")
    assert 3 <= pages < 15, pages


@pytest.mark.parametrize("n", [3, 30])
def test_default_word_export_query_count_does_not_grow_with_records(
    figure_sources, settings, tmp_path, django_assert_num_queries, n
):
    settings.MEDIA_ROOT = tmp_path
    EnterpriseFactory.create_batch(n)
    figure_sources(enterprises=enterprise_source)
    summary = services.ensure_summary(2024)
    services.regenerate(summary)
    # the summary = 1, again with sections, paragraphs and plan items (none) = 4; the year's
    # targets = 1; the active template = 1; last year's figures and the charts come from the
    # summary's snapshot (no query).
    with django_assert_num_queries(8):
        exports.build_docx(summary.pk)


def test_a_year_without_any_figure_gets_no_empty_table(figure_sources, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    figure_sources()
    summary = services.ensure_summary(2031)
    doc = Document(io.BytesIO(exports.build_docx(summary.pk)))
    assert doc.tables == [] and doc.paragraphs[0].text.endswith("2031年度工作总结")
