"""The portal's one way out to spreadsheets: every .xlsx and .csv it writes goes through here,
and no user's text ever becomes a formula (CSV/Excel formula injection, OWASP).

- xlsx: text is written as a string cell (`data_type` "s", an inline string), never as a
  formula or an error value, whatever it starts with; text that starts like a formula also
  gets Excel's quote prefix, so it stays text when a clerk edits the cell. Numbers, dates and
  booleans stay native cells.
- csv: a cell whose text starts like a formula is prefixed with a single quote (OWASP); every
  field is quoted, so no separator a locale's Excel splits on can start a new cell.

The staff lists, the pre-screening lists, the admin's import-export formats (EXPORT_FORMATS,
offered by `bureau.admin.NeutralisedExportMixin` on every admin) and the import templates are
written here; the annual summary's workbook (reports/excel.py) serialises its own cells for
speed and asks `starts_like_formula` which of them need the quote prefix.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# A cell that starts with one of these is read as a formula by Excel, LibreOffice or WPS: the
# OWASP list, plus the full-width forms that some Chinese input methods turn into formulas.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
CSV_GUARD = "'"
# A plain number literal ("-12.50", "+86", "1e5") cannot carry a formula; it is left as it is,
# so that negative amounts in a csv stay numbers. ASCII digits only.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_BOLD = Font(bold=True)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv"


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read `text` as a formula (it is not a plain number)."""
    return text.startswith(FORMULA_TRIGGERS) and _NUMBER.fullmatch(text) is None


def csv_text(text: str) -> str:
    """`text` as a csv cell: prefixed with a single quote when it starts like a formula."""
    return CSV_GUARD + text if starts_like_formula(text) else text


def _local(value: datetime.datetime) -> datetime.datetime:
    """An aware datetime in the portal's time zone, without tzinfo (Excel has none)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _text(value) -> str:
    if isinstance(value, list | tuple | set | dict):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return str(value)


def csv_value(value) -> str:
    """Any cell value as csv text: numbers and dates plainly (ISO), text guarded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return csv_text(_text(value))


def write_csv(headers: Sequence, rows: Iterable[Sequence]) -> str:
    """A csv document (header line, then rows), every field quoted and guarded. It starts with
    a byte-order mark, so Excel on a Chinese Windows reads it as UTF-8 (the portal's imports
    read csv as utf-8-sig, so the file goes back in unchanged)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([csv_value(h) for h in headers])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return out.getvalue()


def xlsx_cell(sheet, value, *, font: Font | None = None) -> WriteOnlyCell:
    """One write-only cell: text as a string cell (never a formula), the rest native."""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    elif isinstance(value, bool | int | float | Decimal | datetime.date | datetime.time):
        pass
    elif value is not None:
        value = _text(value)  # lazy translations, SafeStrings, enums, lists
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl reads a str starting with "=" as a formula, and "#N/A" as an error.
        cell.data_type = "s"
        if starts_like_formula(value):
            cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def set_text_cell(cell, value) -> None:
    """Give a cell of a normal (not write-only) openpyxl sheet its value, text kept as text:
    for writers that need openpyxl features write-only mode lacks (the import templates'
    comments and drop-down lists, bureau/importing.py)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if starts_like_formula(value):
            cell.quotePrefix = True


_NATIVE = (type(None), bool, int, float, Decimal, datetime.date, datetime.time)


def _xlsx_row(sheet, values: Iterable) -> list:
    """A row for `sheet.append`: plain values where openpyxl writes them as they are (the
    fast path), cells from the first value that needs one (text that openpyxl would read as
    a formula or an error value, an aware datetime, any other object) to the row's end:
    openpyxl reuses the last cell object of a row for the raw values after it."""
    values = list(values)
    for i, v in enumerate(values):
        t = type(v)
        if t is str:
            if not (v.startswith(FORMULA_TRIGGERS) or v.startswith("#")):
                continue
        elif t in _NATIVE:  # exact types: a datetime is not a date here
            continue
        elif t is datetime.datetime and v.tzinfo is None:
            continue
        return values[:i] + [xlsx_cell(sheet, x) for x in values[i:]]
    return values


@dataclass
class Sheet:
    """A sheet of a workbook: optional lines above the header, a bold header row, rows."""

    title: str
    headers: Sequence
    rows: Iterable[Sequence]
    preamble: Sequence[Sequence] = ()
    widths: Sequence[int] = field(default_factory=tuple)


def _sheet_title(title: str) -> str:
    # Sheet names cannot hold []:*?/\ and are at most 31 characters.
    return re.sub(r"[\[\]:*?/\\]", "-", str(title))[:31] or "Sheet1"


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of the sheets (openpyxl's write-only mode, so long lists stay cheap)."""
    buffer = io.BytesIO()
    save_xlsx(sheets, buffer)
    return buffer.getvalue()


def xlsx_file(sheets: Sequence[Sheet]):
    """The workbook of the sheets in a temporary file, rewound, for a streamed download
    (FileResponse): with rows from an iterator, memory stays flat in the number of rows, since
    write-only sheets spool their rows to disk too. The file is deleted when closed."""
    import tempfile

    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    save_xlsx(sheets, target)
    target.seek(0)
    return target


def save_xlsx(sheets: Sequence[Sheet], target) -> None:
    """Write the workbook of the sheets to `target` (a path or a binary file)."""
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for spec in sheets:
        ws = book.create_sheet(title=_sheet_title(spec.title))
        for col, width in enumerate(spec.widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = f"A{len(spec.preamble) + 2}"
        for line in spec.preamble:
            ws.append([xlsx_cell(ws, v) for v in line])
        ws.append([xlsx_cell(ws, h, font=_BOLD) for h in spec.headers])
        for row in spec.rows:
            ws.append(_xlsx_row(ws, row))
    book.save(target)


def rows_to_xlsx(
    title: str, headers: Sequence, rows: Iterable[Sequence], *, preamble: Sequence[Sequence] = ()
) -> bytes:
    """A one-sheet workbook: `preamble` lines, a bold header row, then `rows`."""
    return write_xlsx([Sheet(title=title, headers=headers, rows=rows, preamble=preamble)])


# --- django-import-export: the only export formats the admin offers -------------------------


class NeutralisedXLSX(base_formats.XLSX):
    """The admin's .xlsx export, written by `write_xlsx` (native numbers and dates)."""

    native_types = True

    def export_data(self, dataset, **kwargs) -> bytes:
        return rows_to_xlsx(dataset.title or "Sheet1", dataset.headers or [], dataset)


class NeutralisedCSV(base_formats.CSV):
    """The admin's .csv export, written by `write_csv`."""

    native_types = False

    def export_data(self, dataset, **kwargs) -> str:
        return write_csv(dataset.headers or [], dataset)


EXPORT_FORMATS: list[type[base_formats.Format]] = [NeutralisedXLSX, NeutralisedCSV]
