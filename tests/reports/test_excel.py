"""The Excel writer serialises cells itself; reopened, every cell reads as it did when each
cell was an openpyxl WriteOnlyCell (value, type, number format, quote prefix, font, fill)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import IllegalCharacterError

from reports import excel

HEADERS = ["文本", "整数", "金额（万元）", "小数", "日期", "是否", "选项"]
KINDS = ["text", "int", "money", "decimal", "date", "bool", "choice"]
ROWS = [
    ["普通企业", 1, Decimal("500.00"), Decimal("3.45"), datetime.date(2024, 6, 27), "是", "小型"],
    ['=HYPERLINK("http://x","点我")', 0, None, None, None, None, None],
    ["+SUM(1,2)", -7, Decimal("0.01"), 2.5, datetime.datetime(2024, 1, 2, 13, 45), "否", ""],
    ["-2+3", 12345678901234567, Decimal("-1234.57"), Decimal("0"), datetime.date(1900, 2, 1)],
    ["@cmd", True, Decimal("1E+3"), float("nan"), "2024-01-01", False, "#N/A"],
    [" 前后空格 ", None, 3, 7, datetime.date(2024, 2, 29), "a&b<c>d\r\ne\tf", "😀"],
    ["", "=", "-", datetime.time(8, 30), datetime.datetime(2024, 3, 1), 1.0, "extra", "drop"],
]


def old_cell(ws, value, *, font=None, fill=None, kind=""):
    """The writer's former cell: a WriteOnlyCell styled one by one (the reference)."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(excel.FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if kind == "money":
        cell.number_format = excel.WAN_FORMAT
    elif isinstance(value, Decimal | float):
        cell.number_format = "#,##0.##"
    elif kind == "date":
        cell.number_format = "yyyy-mm-dd"
    return cell


def old_workbook(heading: str, headers, kinds, rows) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.column_dimensions["A"].width = 30
    ws.freeze_panes = "A3"
    ws.append([old_cell(ws, heading, font=excel.TITLE_FONT)])
    header = []
    for h in headers:
        c = old_cell(ws, h, font=excel.HEADER_FONT, fill=excel.HEADER_FILL)
        c.alignment = excel.HEADER_ALIGNMENT
        header.append(c)
    ws.append(header)
    for row in rows:
        ws.append([old_cell(ws, v, kind=k) for v, k in zip(row, kinds, strict=False)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def described(data: bytes) -> list:
    ws = openpyxl.load_workbook(io.BytesIO(data))["s"]
    cells = []
    for row in ws.iter_rows():
        for c in row:
            if c.value is None and not c.has_style:
                continue
            value = "nan" if isinstance(c.value, float) and c.value != c.value else c.value
            cells.append(
                (
                    c.coordinate,
                    value,
                    c.data_type,
                    c.number_format,
                    bool(c.quotePrefix),
                    bool(c.font.bold),
                    c.fill.fgColor.rgb if c.fill.fill_type else None,
                    c.alignment.horizontal,
                )
            )
    return [ws.freeze_panes, ws.column_dimensions["A"].width, cells]


def test_cells_read_back_as_the_former_writer_wrote_them():
    new = excel.write_workbook(
        [excel.Sheet("s", "标题", [excel.Table("", HEADERS, ROWS, KINDS)], widths=[30])]
    )
    old = old_workbook("标题", HEADERS, KINDS, ROWS)
    assert described(new) == described(old)
    cells = described(new)[2]
    assert ("C3", 500, "n", excel.WAN_FORMAT, False, False, None, None) in cells
    assert ("A4", '=HYPERLINK("http://x","点我")', "s", "General", True, False, None, None) in cells
    assert all(c[2] != "f" for c in cells)


def test_a_character_worksheets_cannot_hold_fails_the_export_as_openpyxl_would():
    # openpyxl's WriteOnlyCell raises the same error on such a value
    with pytest.raises(IllegalCharacterError):
        excel.write_workbook([excel.Sheet("s", "标题", [excel.Table("", ["a"], [["bad\x01"]])])])
