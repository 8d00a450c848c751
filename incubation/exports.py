"""Excel writers of the staff lists: rows in, .xlsx bytes out (openpyxl write-only)."""

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def rows_to_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet named `title`: a bold header row, then `rows` (values as given)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
