"""The imports' streaming .xlsx reader gives what openpyxl gives for the same cells, for files
written by openpyxl (inline strings) and by Excel (shared strings), and refuses a DTD."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from lxml import etree
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from bureau.importing import dataset_from_xlsx
from bureau.xlsx_reader import UnsafeWorkbook, iter_first_sheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

ROWS = [
    ["统一社会信用代码", "企业名称", "成立日期", "注册资本（元）", "人数", "在册", "备注"],
    [
        "91341523MA2N0K0X8A",
        "安徽示例科技有限公司",
        datetime.date(2018, 3, 1),
        5000000,
        12,
        True,
        None,
    ],
    [
        "  带空格的代码  ",
        "Ｆｕｌｌ　ｗｉｄｔｈ",
        datetime.datetime(2020, 5, 18, 9, 30),
        12.5,
        0,
        False,
        "",
    ],
    [None, "第一列为空", "2019/07/01", Decimal("1234.56"), -3, None, "多行\n文本"],
    [None, None, None, None, None, None, None],  # an empty row between data rows
    ["最后一行", "=1+1 不是公式", None, 1e20, 7, None, "tab\there & <angle>"],
]


def _openpyxl_values(path) -> tuple[list, list]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    headers = [("" if h is None else str(h).strip()) for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()  # as dataset_from_xlsx always did
    data = [list(r[: len(headers)]) for r in rows[1:] if any(v not in (None, "") for v in r)]
    return headers, data


def _write(path, rows, *, epoch=None, start_row: int = 1) -> None:
    book = openpyxl.Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    sheet.title = "数据"
    for r, values in enumerate(rows, start=start_row):
        for c, value in enumerate(values, start=1):
            if value is not None:
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text
    sheet["J2"] = "=SUM(D2:D3)"  # a formula openpyxl saved without a cached value
    book.create_sheet("第二张表")["A1"] = "不读取"
    book.save(path)


def _as_shared_strings(path) -> None:
    """Rewrite an openpyxl file as Excel writes one: strings in xl/sharedStrings.xml, with a
    rich-text entry (runs) and a phonetic hint (rPh) that is not part of the text."""
    source = zipfile.ZipFile(path)
    parts = {name: source.read(name) for name in source.namelist()}
    source.close()
    sheet_name = "xl/worksheets/sheet1.xml"
    tree = etree.fromstring(parts[sheet_name])
    strings: list[str] = []
    for cell in tree.iter(f"{{{MAIN}}}c"):
        if cell.get("t") != "inlineStr":
            continue
        text = "".join(cell.itertext())
        for child in list(cell):
            cell.remove(child)
        cell.set("t", "s")
        etree.SubElement(cell, f"{{{MAIN}}}v").text = str(len(strings))
        strings.append(text)
    parts[sheet_name] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    sst = etree.Element(f"{{{MAIN}}}sst", nsmap={None: MAIN})
    for text in strings:
        si = etree.SubElement(sst, f"{{{MAIN}}}si")
        if text == "安徽示例科技有限公司":
            for piece in ("安徽", "示例科技有限公司"):
                run = etree.SubElement(si, f"{{{MAIN}}}r")
                etree.SubElement(run, f"{{{MAIN}}}t").text = piece
            phonetic = etree.SubElement(si, f"{{{MAIN}}}rPh", sb="0", eb="2")
            etree.SubElement(phonetic, f"{{{MAIN}}}t").text = "アンキ"
        else:
            t = etree.SubElement(si, f"{{{MAIN}}}t")
            t.text = text
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    parts["xl/sharedStrings.xml"] = etree.tostring(sst, xml_declaration=True, encoding="UTF-8")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


@pytest.mark.parametrize("shared", [False, True], ids=["inline strings", "shared strings"])
@pytest.mark.parametrize("epoch", [None, CALENDAR_MAC_1904], ids=["1900", "1904"])
def test_reader_gives_what_openpyxl_gives(tmp_path, shared, epoch):
    path = tmp_path / "book.xlsx"
    _write(path, ROWS, epoch=epoch)
    if shared:
        _as_shared_strings(path)
        assert b"sharedStrings" in zipfile.ZipFile(path).read("[Content_Types].xml")
    headers, data = _openpyxl_values(path)

    dataset = dataset_from_xlsx(path)

    assert list(dataset.headers) == headers
    assert [list(r) for r in dataset] == data
    assert data[0][1] == "安徽示例科技有限公司" and data[0][2] == datetime.datetime(2018, 3, 1)
    assert data[1][5] is False and data[3][1] == "=1+1 不是公式"


def test_reader_takes_a_file_object_and_gives_excel_row_numbers(tmp_path):
    path = tmp_path / "book.xlsx"
    _write(path, ROWS)
    numbers = [number for number, _values in iter_first_sheet(io.BytesIO(path.read_bytes()))]
    assert numbers == [1, 2, 3, 4, 6]  # row 5 has no cells


def test_a_sheet_not_starting_at_row_one_has_no_header_as_with_openpyxl(tmp_path):
    path = tmp_path / "book.xlsx"
    _write(path, ROWS[:3], start_row=3)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    first = next(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert not any(first)  # openpyxl's first row is the empty row 1
    dataset = dataset_from_xlsx(path)
    assert not dataset.headers and len(dataset) == 0


def test_a_sheet_declaring_a_dtd_is_refused(tmp_path):
    path = tmp_path / "book.xlsx"
    _write(path, ROWS[:2])
    source = zipfile.ZipFile(path)
    parts = {name: source.read(name) for name in source.namelist()}
    source.close()
    sheet = parts["xl/worksheets/sheet1.xml"]
    root = re.search(rb"<(\w+:)?worksheet", sheet).start()
    doctype = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    parts["xl/worksheets/sheet1.xml"] = (sheet[:root] + doctype + sheet[root:]).replace(
        b"<v>", b"<v>&b;", 1
    )
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    with pytest.raises(UnsafeWorkbook):
        dataset_from_xlsx(path)
