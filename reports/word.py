"""Word (.docx) output laid out as a Chinese official document (GB/T 9704-2012).

The layout lives in a docxtpl template: `reports/word/summary_template.docx` ships in the repo
(build it again with `python manage.py build_summary_template`); a bureau may upload its own
(reports.WordTemplate). The template holds the page set-up, the styles and the footer with
page numbers, and the placeholders `{{ title }}`, `{{ organisation }}`, `{{ date }}` and
`{{p body }}`; the body (headings, paragraphs, appendix tables) is built here as a subdocument
in the template's own styles, so a replaced template restyles the whole document.

GB/T 9704-2012: A4; text block 156 mm × 225 mm with top margin 37 mm and left margin 28 mm,
hence right 26 mm and bottom 35 mm; title in 2号小标宋 (22 pt); body in 3号仿宋_GB2312 (16 pt),
22 lines of 28 characters (fixed line pitch 28.95 pt); level-1 headings in 黑体, level-2 in
楷体_GB2312; page numbers in 4号 (14 pt) 宋体 as "— 1 —", odd pages right, even pages left.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate

from .document import SummaryDocument
from .word_sandbox import environment as sandbox_environment

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "word" / "summary_template.docx"

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
LINE_PITCH = Pt(28.95)

# Style names used by the body; an uploaded template should define them (Word's built-ins).
STYLE_TITLE = "Title"
STYLE_BODY = "Normal"
STYLE_H1 = "Heading 1"
STYLE_H2 = "Heading 2"
STYLE_TABLE_TEXT = "Table Text"


def _set_fonts(font, east_asia: str, size: Pt, *, bold: bool = False) -> None:
    """Direct run formatting: Latin in Times New Roman, Chinese in `east_asia`."""
    font.name = "Times New Roman"
    font.size = size
    font.bold = bold
    rpr = font._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def _style_font(style, east_asia: str, size: Pt, *, bold: bool = False) -> None:
    style.font.name = "Times New Roman"
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    color = rpr.find(qn("w:color"))
    if color is not None:
        rpr.remove(color)


def _paragraph_format(style, *, indent: bool, align=None, before: int = 0, after: int = 0) -> None:
    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE_PITCH
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.first_line_indent = Pt(32) if indent else Pt(0)  # two characters of 16 pt
    pf.left_indent = Pt(0)
    if align is not None:
        pf.alignment = align
    pf.keep_with_next = style.name.startswith("Heading")


def _page_field(paragraph) -> None:
    """'— PAGE —' with a live PAGE field."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        _set_fonts(r.font, PAGE_NUMBER_FONT, SIZE_4)


def build_default_template(path: Path = DEFAULT_TEMPLATE) -> Path:
    """Write the default GB/T 9704 template (the file shipped in the repo)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # page number 7 mm below the text block
    section.header_distance = Mm(15)

    styles = doc.styles
    body = styles[STYLE_BODY]
    _style_font(body, BODY_FONT, SIZE_3)
    _paragraph_format(body, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    title = styles[STYLE_TITLE]
    _style_font(title, TITLE_FONT, SIZE_2)
    _paragraph_format(title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, after=16)
    title.paragraph_format.line_spacing = Pt(36)
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)

    for name, font in ((STYLE_H1, HEADING1_FONT), (STYLE_H2, HEADING2_FONT)):
        style = styles[name]
        _style_font(style, font, SIZE_3)
        _paragraph_format(style, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    table_text = styles.add_style(STYLE_TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = body
    _style_font(table_text, BODY_FONT, Pt(10.5))
    table_text.paragraph_format.first_line_indent = Pt(0)
    table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    table_text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    odd.paragraph_format.first_line_indent = Pt(0)
    _page_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    even.paragraph_format.first_line_indent = Pt(0)
    _page_field(even)

    doc.add_paragraph("{{ title }}", style=STYLE_TITLE)
    doc.add_paragraph("{{p body }}", style=STYLE_BODY)
    sign = doc.add_paragraph("{{ organisation }}", style=STYLE_BODY)
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.right_indent = Pt(64)
    date = doc.add_paragraph("{{ date }}", style=STYLE_BODY)
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date.paragraph_format.right_indent = Pt(64)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


BODY_MARKER = "__SUMMARY_BODY__"
BODY_MARKER_XML = "<w:p><w:r><w:t>" + BODY_MARKER + "</w:t></w:r></w:p>"


@dataclass
class AppendixTable:
    """A table of the appendix: a caption, column headers, rows, and how many rows exist.

    `widths` are the columns' relative widths (None: from the longest text in each column)."""

    caption: str
    headers: list[str]
    rows: list[list]
    total: int
    widths: list[float] | None = None


@dataclass
class ChartImage:
    caption: str
    png: bytes


CHART_WIDTH = Mm(150)
# Records tables: 9 pt text, so a landscape page holds about 140 half-width characters a line.
RECORDS_FONT_SIZE = Pt(9)
HALF_WIDTH_CHAR = int(Pt(9)) // 2 + 1  # EMU
CELL_PADDING = int(Mm(2.5))
MIN_COLUMN = int(Mm(11))
MIN_COLUMN_CHARS = 4
MAX_COLUMN_CHARS = 30
SHORT_COLUMN_CHARS = 18  # a credit code, a date, an amount: kept on one line when the page allows


def picture_paragraph(paragraph) -> None:
    """A picture's paragraph with its own single (auto) line spacing and no indent: under the
    body's exact 28.95 pt pitch Word and LibreOffice clip an inline picture to one line."""
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.first_line_indent = Pt(0)
    pf.left_indent = Pt(0)
    pf.right_indent = Pt(0)
    pf.space_before = Pt(6)
    pf.space_after = Pt(6)
    pf.keep_together = True
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _display_width(text: str) -> int:
    """Width in half-width characters: a Chinese character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def column_widths(table: AppendixTable, total: int) -> list[int]:
    """Column widths (EMU) summing to `total`: given relative widths, else from each column's
    longest text (header included, first 100 rows) at the table's font, bounded so that no
    column takes the page; when the text cannot all fit, the wide columns give way first and
    none drops below a readable minimum (long text wraps inside its column)."""
    if table.widths:
        scale = total / sum(table.widths)
        widths = [int(w * scale) for w in table.widths]
        widths[-1] += total - sum(widths)
        return widths
    desired = []
    for i, header in enumerate(table.headers):
        # A header may wrap over two lines; a value should not.
        longest = max(
            [_display_width(header) / 2]
            + [_display_width(_text(row[i])) for row in table.rows[:100]]
        )
        chars = min(MAX_COLUMN_CHARS, max(MIN_COLUMN_CHARS, longest))
        desired.append(chars * HALF_WIDTH_CHAR + CELL_PADDING)
    floor = min(MIN_COLUMN, total // len(desired))
    # Short values (codes, dates, amounts) keep their width; long text wraps first.
    comfortable = [min(d, SHORT_COLUMN_CHARS * HALF_WIDTH_CHAR + CELL_PADDING) for d in desired]
    if sum(desired) > total and sum(comfortable) <= total:
        k = (total - sum(comfortable)) / max(
            1, sum(d - c for d, c in zip(desired, comfortable, strict=True))
        )
        widths = [int(c + (d - c) * k) for d, c in zip(desired, comfortable, strict=True)]
    elif sum(desired) > total:
        k = (total - floor * len(desired)) / max(1, sum(d - floor for d in desired))
        widths = [int(floor + max(0, d - floor) * k) for d in desired]
    else:
        k = total / sum(desired)
        widths = [int(d * k) for d in desired]
    widths[-1] += total - sum(widths)
    return widths


def set_column_widths(table, widths: list[int]) -> None:
    """Fixed layout with these widths, on the grid (LibreOffice) and on every cell (Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def repeat_header(row) -> None:
    """The header row repeats on each page the table runs over."""
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def text_width(sect_pr) -> int:
    """The text block's width (EMU) of a section."""
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    twips = (
        int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))
    )
    return twips * 635  # 1 twip = 635 EMU


def make_landscape(sect_pr) -> None:
    """Turn a section landscape: the page's sides swapped and its margins turned with it."""
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    size.set(qn("w:w"), height)
    size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")
    top, right = margins.get(qn("w:top")), margins.get(qn("w:right"))
    bottom, left = margins.get(qn("w:bottom")), margins.get(qn("w:left"))
    margins.set(qn("w:top"), left)
    margins.set(qn("w:right"), top)
    margins.set(qn("w:bottom"), right)
    margins.set(qn("w:left"), bottom)


def _style_or_none(doc, name: str):
    try:
        return doc.styles[name]
    except KeyError:
        return None


def _text(value) -> str:
    if value is None:
        return ""
    return str(value)


def render(
    document: SummaryDocument,
    *,
    organisation: str,
    date: str,
    appendix: Iterable[AppendixTable] = (),
    charts: Iterable[ChartImage] = (),
    template: Path | str | io.BytesIO | None = None,
    figures_table: AppendixTable | None = None,
) -> bytes:
    """The summary as .docx bytes, laid out by the template (the default one if None).

    After the signature: the charts, then `figures_table` (the key figures, portrait), then
    the `appendix` tables (the records behind the figures) in a landscape section."""
    tpl = DocxTemplate(template or DEFAULT_TEMPLATE)
    # docxtpl replaces the template's "{{p body }}" paragraph with this marker paragraph; the
    # body is then built with python-docx in the template's own styles and put in its place.
    # (docxtpl's subdocuments would need docxcompose, which is not a dependency.)
    tpl.render(
        {
            "title": document.title,
            "organisation": organisation,
            "date": date,
            "body": BODY_MARKER_XML,
        },
        jinja_env=sandbox_environment(),
    )
    main = tpl.docx
    marker = next((p for p in main.paragraphs if p.text == BODY_MARKER), None)
    if marker is None:
        raise ValueError("Word模板中缺少正文占位符 {{p body }}。")
    # Style ids resolved once: python-docx looks a style name up on every assignment, which
    # dominates the time of a long appendix.
    style_ids = {}
    for name in (STYLE_BODY, STYLE_H1, STYLE_H2, STYLE_TABLE_TEXT, "Table Grid"):
        style = _style_or_none(main, name)
        if style is not None:
            style_ids[name] = style.style_id
    has = {
        name: name in style_ids
        for name in (STYLE_BODY, STYLE_H1, STYLE_H2, STYLE_TABLE_TEXT, "Table Grid")
    }

    def set_style(paragraph, name: str) -> None:
        if name in style_ids:
            paragraph._p.get_or_add_pPr().style = style_ids[name]

    # Body blocks go where the marker is; the appendix follows the signature and date, at
    # the end of the document (before its final section properties).
    anchor = [marker._p]

    def place(element) -> None:
        if anchor[0] is None:
            main.element.body.append(element)
        else:
            anchor[0].addprevious(element)

    def para(text: str, style: str, fallback_font: str | None = None):
        p = main.add_paragraph()
        set_style(p, style)
        run = p.add_run(text)
        if not has.get(style) and fallback_font:
            _set_fonts(run.font, fallback_font, SIZE_3)
        place(p._p)
        return p

    for block in document.blocks:
        if block.kind == "heading":
            if block.level == 1:
                para(block.plain, STYLE_H1, HEADING1_FONT)
            else:
                para(block.plain, STYLE_H2, HEADING2_FONT)
        else:
            para(block.plain, STYLE_BODY)

    anchor[0] = main.element.body.sectPr

    charts = list(charts)
    records = list(appendix)
    if charts or figures_table is not None or records:
        p = para("", STYLE_BODY)
        p.paragraph_format.page_break_before = True
        p.paragraph_format.first_line_indent = Pt(0)
        run = p.add_run(
            "附件：数据图表与主要指标" if not records else "附件：数据图表、主要指标与明细"
        )
        _set_fonts(run.font, HEADING1_FONT, SIZE_3)
    for chart in charts:
        cap = para(chart.caption, STYLE_H2, HEADING2_FONT)
        cap.paragraph_format.keep_with_next = True
        pic = main.add_paragraph()
        place(pic._p)
        picture_paragraph(pic)
        pic.add_run().add_picture(io.BytesIO(chart.png), width=CHART_WIDTH)

    def add_table(table: AppendixTable, width: int, font_size: Pt | None = None) -> None:
        caption = para(table.caption, STYLE_H2, HEADING2_FONT)
        caption.paragraph_format.keep_with_next = True
        t = main.add_table(rows=1, cols=len(table.headers))
        place(t._tbl)
        if has["Table Grid"]:
            t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(t.rows[0].cells, table.headers, strict=True):
            cell.text = ""
            r = cell.paragraphs[0].add_run(header)
            r.bold = True
        repeat_header(t.rows[0])
        for row in table.rows:
            cells = t.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = _text(value)
        set_column_widths(t, column_widths(table, width))
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    set_style(p, STYLE_TABLE_TEXT)
                    if font_size is not None:
                        for r in p.runs:
                            r.font.size = font_size
        if table.total > len(table.rows):
            note = para(
                f"（共{table.total}条，此处列出前{len(table.rows)}条；完整清单见Excel导出。）",
                STYLE_BODY,
            )
            note.paragraph_format.first_line_indent = Pt(0)

    body_sect = main.element.body.sectPr
    if figures_table is not None:
        add_table(figures_table, text_width(body_sect))
    if records:
        # The records go in landscape pages of their own: a paragraph carrying a copy of the
        # portrait section's properties ends the portrait part, and the document's last
        # section (the body's sectPr) turns landscape.
        end_portrait = main.add_paragraph()
        place(end_portrait._p)
        end_portrait._p.get_or_add_pPr().append(copy.deepcopy(body_sect))
        make_landscape(body_sect)
        heading = para("指标明细记录", STYLE_H2, HEADING2_FONT)
        heading.paragraph_format.first_line_indent = Pt(0)
        for table in records:
            add_table(table, text_width(body_sect), RECORDS_FONT_SIZE)

    marker._p.getparent().remove(marker._p)
    out = io.BytesIO()
    main.save(out)
    return out.getvalue()
