"""Excel writers of the staff lists: rows in, .xlsx bytes out (openpyxl write-only)."""

import io
from collections.abc import Iterable, Sequence

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def _cell(value):
    """Translated (lazy) strings become text; everything else is written as it is."""
    return str(value) if isinstance(value, Promise) else value


def rows_to_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet named `title`: a bold header row, then `rows` (values as given)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(title)[:31])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_cell(header))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
