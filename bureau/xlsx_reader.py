"""A lean streaming reader of an .xlsx file's first worksheet, for imports (issue 16).

openpyxl's read-only mode costs most of an import's time on a large file: a sheet written
without a `<dimension>` (openpyxl's own files, our templates) is parsed twice, and every cell
goes through element objects built by a pure-Python parser (defusedxml's). Here openpyxl still
reads the workbook's parts (the sheet list, the shared strings, the styles that mark dates),
and the sheet itself is parsed once by lxml in C, a `<row>` at a time, each dropped once read.

Values are what `openpyxl.load_workbook(read_only=True, data_only=True)` gives for the same
cells (tests/bureau/test_xlsx_reader.py holds it to that): numbers as int or float, date cells
as datetimes, shared and inline strings as text, booleans, a formula's cached value.

Hardened: entities are never resolved, nothing is fetched, and a sheet declaring a DTD (where
entities would be declared) is refused; no spreadsheet needs one.
"""

import warnings
from collections.abc import Iterator
from typing import Any

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE, INLINE, TEXT, RUN = (MAIN_NS + name for name in ("row", "c", "v", "is", "t", "r"))


class UnsafeWorkbook(ValueError):
    """The sheet declares a DTD: no spreadsheet needs one, and entities live there."""


DIGITS = "0123456789"


def _column_index(ref: str, cache: dict[str, int]) -> int:
    """0-based column of a cell reference ("AB12" → 27)."""
    letters = ref.rstrip(DIGITS)
    index = cache.get(letters)
    if index is None:
        index = 0
        for char in letters.upper():
            index = index * 26 + ord(char) - 64
        index -= 1
        cache[letters] = index
    return index


def _cast_number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _inline_text(element) -> str | None:
    """An inline string's text: its plain part and its runs, not the phonetic hints (rPh)."""
    if element is None:
        return None
    parts = []
    for child in element:
        if child.tag == TEXT:
            parts.append(child.text or "")
        elif child.tag == RUN:
            text = child.find(TEXT)
            if text is not None:
                parts.append(text.text or "")
    return "".join(parts)


def iter_first_sheet(source) -> Iterator[tuple[int, list]]:
    """(Excel row number, the row's values from column A) for each row of the first
    worksheet that has cells, in order; values are None where a cell is empty."""
    from lxml import etree
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    reader = ExcelReader(source, read_only=True, data_only=True, keep_links=False)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        target = next(
            (
                rel.target
                for _sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ),
            None,
        )
        if target is None:
            return
        book = reader.wb
        shared = reader.shared_strings
        dates = {str(s) for s in getattr(book, "_date_formats", ())}
        timedeltas = {str(s) for s in getattr(book, "_timedelta_formats", ())}
        epoch = book.epoch
        columns: dict[str, int] = {}
        checked = False
        row_number = 0
        with reader.archive.open(target) as stream:
            events = etree.iterparse(
                stream,
                events=("end",),
                tag=ROW,
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
            )
            for _event, row in events:
                if not checked:
                    _refuse_dtd(row.getroottree())
                    checked = True
                ref = row.get("r")
                row_number = int(ref) if ref else row_number + 1
                values: dict[int, Any] = {}
                column = -1
                for cell in row.iterchildren(CELL):
                    ref = cell.get("r")
                    if ref:
                        column = columns.get(ref.rstrip(DIGITS))
                        if column is None:
                            column = _column_index(ref, columns)
                    else:
                        column += 1
                    kind = cell.get("t", "n")
                    if not len(cell):
                        continue  # <c r="B2"/>: an empty (styled) cell
                    first = cell[0]
                    if kind == "inlineStr":
                        inline = first if first.tag == INLINE else cell.find(INLINE)
                        # Mostly one plain <t>; runs (rich text) take the longer way.
                        if inline is not None and len(inline) == 1 and inline[0].tag == TEXT:
                            value = inline[0].text or ""
                        else:
                            value = _inline_text(inline)
                    else:
                        if first.tag == VALUE:
                            value = first.text or None
                        else:  # a formula (<f>) before its cached value
                            value = cell.findtext(VALUE) or None
                        if value is None:
                            continue
                        if kind == "n":
                            value = _cast_number(value)
                            style = cell.get("s")
                            if style in dates:
                                try:
                                    value = from_excel(value, epoch, timedelta=style in timedeltas)
                                except (OverflowError, ValueError):
                                    warnings.warn(
                                        f"a date cell holds {value}, outside Excel's dates",
                                        stacklevel=2,
                                    )
                                    value = "#VALUE!"
                        elif kind == "s":
                            value = shared[int(value)]
                        elif kind == "b":
                            value = bool(int(value))
                        elif kind == "d":
                            value = from_ISO8601(value)
                        # "str" (a formula's text) and "e" (an error such as #N/A) stay text
                    if value is not None:
                        values[column] = value
                # Read rows are dropped: memory stays flat however long the sheet.
                row.clear()
                parent = row.getparent()
                while row.getprevious() is not None:
                    del parent[0]
                width = max(values) + 1 if values else 0
                yield row_number, [values.get(i) for i in range(width)]
            if not checked and events.root is not None:
                _refuse_dtd(events.root.getroottree())
    finally:
        reader.archive.close()


def _refuse_dtd(tree) -> None:
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        from django.utils.translation import gettext as _

        raise UnsafeWorkbook(_("工作表含有不允许的 XML 声明（DTD），文件未读取。"))
