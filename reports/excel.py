"""Excel (.xlsx) output in openpyxl's write-only mode: rows in, bytes out.

Every string is written as an inline string, never a formula; one that starts like a formula
(bureau.spreadsheets.starts_like_formula: = + - @ tab CR, as OWASP lists them) also gets Excel's
quote prefix, so it stays text when edited. This is the portal's spreadsheet writer
(bureau/spreadsheets.py) specialised for the summary's large workbook.

openpyxl builds the workbook (styles, column widths, frozen panes, charts, packaging), but the
cells of each sheet are serialised here, straight into the sheet's XML part: openpyxl's
write-only mode spends tens of microseconds on each cell (a cell object, its style, an lxml
element), which made a 250,000-row export take minutes. Each cell is written as openpyxl
would write it (inline strings, `%.16g` numbers, Excel serial dates, the same style records),
and `tests/reports/test_excel.py` compares the two cell by cell.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, TIME_FORMATS
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

from bureau.spreadsheets import FORMULA_TRIGGERS, starts_like_formula

FORMULA_PREFIXES = FORMULA_TRIGGERS
WAN_FORMAT = '#,##0.00" 万元"'
DECIMAL_FORMAT = "#,##0.##"
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B3261E")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(bold=True, size=13)
BOLD_FONT = Font(bold=True)
THIN = Side(style="thin", color="D9DEE4")
BORDER = Border(bottom=THIN)
CHUNK_ROWS = 1000


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


@dataclass(frozen=True)
class Look:
    """What a row's cells share: the header's or a title's font, fill and alignment."""

    font: Font | None = None
    fill: PatternFill | None = None
    alignment: Alignment | None = None


PLAIN = Look()
TITLE = Look(font=TITLE_FONT)
TABLE_TITLE = Look(font=BOLD_FONT)
HEADER = Look(font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGNMENT)


class _FileWorksheetWriter(WorksheetWriter):
    """openpyxl's sheet writer, on a file object this module can also write rows to."""

    file: io.BufferedWriter

    def get_stream(self):
        with open(self.out, "wb") as self.file, xmlfile(self.file) as xf:
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        el = yield
                        if el is True:
                            yield xf
                        elif el is not None:
                            xf.write(el)
                except GeneratorExit:
                    pass


def _sheet_data(writer: _FileWorksheetWriter):
    """Opens <sheetData> in openpyxl's stream, hands over to raw writes until closed."""
    xf = writer.xf.send(True)
    with xf.element("sheetData"):
        xf.flush()
        try:
            while True:
                yield
        except GeneratorExit:
            pass
    writer.xf.send(None)


class _ColumnStyles(dict):
    """A column's ` s="N"` cell attribute by the value's type ("q": text with quote prefix),
    as openpyxl's cell would get it: money → 万元 format; Decimal or float → #,##0.##;
    a date column → yyyy-mm-dd; a date or time elsewhere → openpyxl's default format."""

    def __init__(self, sheet: _SheetRows, kind: str, look: Look) -> None:
        super().__init__()
        self.sheet, self.kind, self.look = sheet, kind, look

    def __missing__(self, key) -> str:
        quote = key == "q"
        t = str if quote else key
        if self.kind == "money":
            number_format = WAN_FORMAT
        elif t is Decimal or t is float:
            number_format = DECIMAL_FORMAT
        elif self.kind == "date":
            number_format = DATE_FORMAT
        else:
            number_format = TIME_FORMATS.get(t)
        attr = self.sheet.style(self.look, number_format, quote)
        self[key] = attr
        return attr


def _escape(text: str) -> str:
    # as lxml escapes element text (non-ASCII becomes character references on encoding)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _number(value) -> str:
    text = "%.16g" % value  # noqa: UP031 - as openpyxl: a Decimal goes through float
    return "" if text in ("nan", "inf", "-inf") else text


class _SheetRows:
    """Rows appended to one write-only sheet, serialised as openpyxl would serialise them."""

    def __init__(self, ws) -> None:
        writer = _FileWorksheetWriter(ws)
        writer.write_top()  # properties, views (frozen panes), column widths
        ws._writer = writer
        ws._rows = _sheet_data(writer)
        next(ws._rows)
        self.ws = ws
        self.file = writer.file
        self.epoch = ws.parent.epoch
        self.row = 0
        self.buffer: list[str] = []
        self.letters: list[str] = []
        self.styles: dict[tuple, str] = {}
        self.serials: dict = {}

    def style(self, look: Look, number_format: str | None, quote: bool) -> str:
        """The ` s="N"` attribute of a cell with this look, number format and quote prefix."""
        key = (look, number_format, quote)
        if key not in self.styles:
            cell = WriteOnlyCell(self.ws)
            if look.font:
                cell.font = look.font
            if look.fill:
                cell.fill = look.fill
            if look.alignment:
                cell.alignment = look.alignment
            if number_format:
                cell.number_format = number_format
            if quote:
                cell.quotePrefix = True
            self.styles[key] = f' s="{cell.style_id}"' if cell.has_style else ""
        return self.styles[key]

    def columns(self, kinds: list[str], look: Look = PLAIN) -> list[_ColumnStyles]:
        return [_ColumnStyles(self, kind, look) for kind in kinds]

    def append(self, values: Iterable, columns: list[_ColumnStyles]) -> int:
        """Write one row (values past the last column are left out); returns its number."""
        self.row += 1
        r = str(self.row)
        letters = self.letters
        while len(letters) < len(columns):
            letters.append(get_column_letter(len(letters) + 1))
        cells = [
            self._cell(f"{letter}{r}", v, styles)
            for letter, v, styles in zip(letters, values, columns, strict=False)
        ]
        self.buffer.append(f'<row r="{r}">{"".join(cells)}</row>' if cells else f'<row r="{r}"/>')
        if len(self.buffer) >= CHUNK_ROWS:
            self.flush()
        return self.row

    def _cell(self, ref: str, v, styles: _ColumnStyles) -> str:
        t = type(v)
        if t is str:
            if starts_like_formula(v):
                s = styles["q"]
            else:
                s = styles[str]
                if v in ERROR_CODES:
                    return f'<c r="{ref}"{s} t="e"><v>{v}</v></c>'
            if not v:
                return f'<c r="{ref}"{s} t="inlineStr"/>'
            if len(v) > 32767:
                v = v[:32767]
            space = ' xml:space="preserve"' if v != v.strip() else ""
            return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{_escape(v)}</t></is></c>'
        if v is None:
            s = styles[t]
            return f'<c r="{ref}"{s}/>' if s else ""
        if t is int or t is Decimal or t is float:
            return f'<c r="{ref}"{styles[t]} t="n"><v>{_number(v)}</v></c>'
        if t is bool:
            return f'<c r="{ref}"{styles[t]} t="b"><v>{int(v)}</v></c>'
        if t in TIME_FORMATS:
            return self._serial(ref, v, styles[t])
        for base in (str, int, float, Decimal):  # subclasses: an IntEnum, a SafeString
            if isinstance(v, base):
                return self._cell(ref, base(v), styles)
        for base in TIME_FORMATS:  # datetime before date
            if isinstance(v, base):
                return self._serial(ref, v, styles[base])
        raise ValueError(f"Cannot convert {v!r} to Excel")

    def _serial(self, ref: str, v, s: str) -> str:
        """A date or time as Excel's serial number, as openpyxl writes it."""
        if getattr(v, "tzinfo", None) is not None:
            raise TypeError("Excel does not support timezones in datetimes.")
        serial = self.serials.get(v)
        if serial is None:
            serial = self.serials[v] = _number(to_excel(v, self.epoch))
        return f'<c r="{ref}"{s} t="n"><v>{serial}</v></c>'

    def abandon(self) -> None:
        """Close the sheet's part after a failure, so no half-written stream is left open."""
        self.buffer = []
        self.ws._rows.close()
        self.ws._writer.close()
        self.ws._writer.cleanup()

    def flush(self) -> None:
        if not self.buffer:
            return
        text = "".join(self.buffer)
        self.buffer = []
        if ILLEGAL_CHARACTERS_RE.search(text):
            raise IllegalCharacterError("A cell holds a character that worksheets cannot hold.")
        self.file.write(text.encode("ascii", "xmlcharrefreplace"))


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
    opened: list[_SheetRows] = []
    try:
        for i, sheet in enumerate(sheets):
            ws = wb.create_sheet(sheet.name[:31])
            for col, width in enumerate(sheet.widths, start=1):
                ws.column_dimensions[get_column_letter(col)].width = width
            ws.freeze_panes = "A3" if len(sheet.tables) == 1 else "A2"
            out = _SheetRows(ws)
            opened.append(out)
            out.append([sheet.heading], out.columns([""], TITLE))
            for table in sheet.tables:
                if len(sheet.tables) > 1:
                    out.append([], [])
                    out.append([table.title], out.columns([""], TABLE_TITLE))
                out.append(table.headers, out.columns([""] * len(table.headers), HEADER))
                columns = out.columns(table.kinds or [""] * len(table.headers))
                for row in table.rows:
                    out.append(row, columns)
            out.flush()
            progress(int((i + 1) * 100 / total))
        if charts:
            ws = wb.create_sheet(charts_sheet)
            ws.column_dimensions["A"].width = 28
            out = _SheetRows(ws)
            opened.append(out)
            row_no = 1
            anchor_row = 1
            for spec in charts:
                out.append([spec.title], out.columns([""], TABLE_TITLE))
                ncols = len(spec.table.headers)
                out.append(spec.table.headers, out.columns([""] * ncols, HEADER))
                data_rows = [list(r) for r in spec.table.rows]
                columns = out.columns([""] * max([ncols, *map(len, data_rows)]))
                for r in data_rows:
                    out.append(r, columns)
                first = row_no + 1  # header row
                last = first + len(data_rows)
                if data_rows:
                    ws.add_chart(_chart(ws, spec, first, last, ncols), f"H{anchor_row}")
                row_no = last + 1
                out.append([], [])
                row_no += 1
                # leave room: each chart is about 15 rows tall
                while row_no < anchor_row + 17:
                    out.append([], [])
                    row_no += 1
                anchor_row = row_no
            out.flush()
            progress(100)
    except Exception:
        for sheet_rows in opened:
            sheet_rows.abandon()
        raise
    stream = io.BytesIO()
    wb.save(stream)
    return stream.getvalue()


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
