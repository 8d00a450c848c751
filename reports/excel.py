"""Excel (.xlsx) output in openpyxl's write-only mode: rows in, bytes out.

A string that begins with =, +, - or @ is written as text with Excel's quote prefix, so Excel
never evaluates it (CSV/formula injection); the writer never emits a formula.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@")
WAN_FORMAT = '#,##0.00" 万元"'
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B3261E")
TITLE_FONT = Font(bold=True, size=13)
THIN = Side(style="thin", color="D9DEE4")
BORDER = Border(bottom=THIN)


@dataclass
class Table:
    """A block of a sheet: an optional title line, headers, rows; `kinds` name money columns."""

    title: str
    headers: list[str]
    rows: Iterable[list]
    kinds: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    name: str
    heading: str
    tables: list[Table]
    widths: list[int] = field(default_factory=list)


@dataclass
class ChartSpec:
    """A native chart over a table of the charts sheet: 'bar', 'line' or 'pie'."""

    kind: str
    title: str
    table: Table


def _cell(ws, value, *, font=None, fill=None, number_format=None, kind: str = ""):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True
    else:
        cell = WriteOnlyCell(ws, value=value)
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if number_format:
        cell.number_format = number_format
    elif kind == "money":
        cell.number_format = WAN_FORMAT
    elif isinstance(value, Decimal | float):
        cell.number_format = "#,##0.##"
    elif kind == "date":
        cell.number_format = "yyyy-mm-dd"
    return cell


def _header_row(ws, headers: list[str]) -> list:
    row = []
    for h in headers:
        c = _cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        row.append(c)
    return row


def write_workbook(
    sheets: list[Sheet],
    charts: list[ChartSpec] = (),
    *,
    charts_sheet: str = "图表",
    progress: Callable[[int], None] = lambda n: None,
) -> bytes:
    """Write the sheets (header styled, frozen, column widths) and a sheet of native charts."""
    wb = Workbook(write_only=True)
    total = max(1, len(sheets) + (1 if charts else 0))
    for i, sheet in enumerate(sheets):
        ws = wb.create_sheet(sheet.name[:31])
        for col, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = "A3" if len(sheet.tables) == 1 else "A2"
        ws.append([_cell(ws, sheet.heading, font=TITLE_FONT)])
        for table in sheet.tables:
            if len(sheet.tables) > 1:
                ws.append([])
                ws.append([_cell(ws, table.title, font=Font(bold=True))])
            ws.append(_header_row(ws, table.headers))
            kinds = table.kinds or [""] * len(table.headers)
            for row in table.rows:
                ws.append([_cell(ws, v, kind=k) for v, k in zip(row, kinds, strict=False)])
        progress(int((i + 1) * 100 / total))
    if charts:
        ws = wb.create_sheet(charts_sheet)
        ws.column_dimensions["A"].width = 28
        row_no = 1
        anchor_row = 1
        for spec in charts:
            ws.append([_cell(ws, spec.title, font=Font(bold=True))])
            ws.append(_header_row(ws, spec.table.headers))
            data_rows = [list(r) for r in spec.table.rows]
            for r in data_rows:
                ws.append([_cell(ws, v) for v in r])
            first = row_no + 1  # header row
            last = first + len(data_rows)
            if data_rows:
                ws.add_chart(
                    _chart(ws, spec, first, last, len(spec.table.headers)), f"H{anchor_row}"
                )
            row_no = last + 1
            ws.append([])
            row_no += 1
            # leave room: each chart is about 15 rows tall
            while row_no < anchor_row + 17:
                ws.append([])
                row_no += 1
            anchor_row = row_no
        progress(100)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _chart(ws, spec: ChartSpec, header_row: int, last_row: int, ncols: int):
    cats = Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_row)
    data = Reference(ws, min_col=2, max_col=ncols, min_row=header_row, max_row=last_row)
    if spec.kind == "pie":
        chart = PieChart()
        data = Reference(ws, min_col=2, max_col=2, min_row=header_row, max_row=last_row)
    elif spec.kind == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "col"
    chart.title = spec.title
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.width, chart.height = 18, 7.5
    return chart
