"""Every upload passes bureau/uploads.py before a parser sees it: bombs, macros, lies, sizes.

The bombs are generated here (a 1 MB file that inflates to 1 GB, headers that lie about sizes,
10,000 entries, an archive inside an archive, a billion-laughs sheet); the guard runs on the
largest in a subprocess under a 400 MB address-space ceiling and a 60 s limit, so a guard that
inflated the file in memory would be killed rather than pass.
"""

import io
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bureau import uploads
from bureau.models import ActivityKind
from enterprises.models import Enterprise

LIMITS = uploads.Limits(max_bytes=10 * 1024 * 1024, max_entries=2000, max_uncompressed=300 << 20)

CONTENT_TYPES_XLSX = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def _zip(entries: dict[str, bytes], *, content_types: str | None = CONTENT_TYPES_XLSX) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if content_types is not None:
            z.writestr("[Content_Types].xml", content_types)
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def _real_xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["名称", "代码"])
    book.active.append(["测试", "x"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def gigabyte_bomb(tmp_path_factory) -> Path:
    """An .xlsx of about 1 MB whose sheet inflates to 1 GiB of zeros (honest headers)."""
    path = tmp_path_factory.mktemp("bombs") / "bomb.xlsx"
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * (1 << 20)
    body = b"".join(deflate.compress(chunk) for _ in range(1024)) + deflate.flush()
    size = 1 << 30
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES_XLSX)
    # Append the pre-deflated member by hand (zipfile would deflate 1 GiB again).
    data = path.read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    name = b"xl/worksheets/sheet1.xml"
    cd_offset = data.rfind(b"PK\x01\x02")
    local = data[:cd_offset]
    central_first = data[cd_offset : data.rfind(b"PK\x05\x06")]
    offset = len(local)
    header = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(body), size, len(name), 0
    )
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        0,
        crc,
        len(body),
        size,
        len(name),
        0,
        0,
        0,
        0,
        0,
        offset,
    )
    cd = central_first + central + name
    cd_start = offset + len(header) + len(name) + len(body)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 2, 2, len(cd), cd_start, 0)
    path.write_bytes(local + header + name + body + cd + end)
    assert first.filename == "[Content_Types].xml"
    assert path.stat().st_size < 2 * 1024 * 1024
    return path


def _lying(data: bytes, member: str, declared: int) -> bytes:
    """Rewrite `member`'s uncompressed size in both headers to `declared`."""
    data = bytearray(data)
    name = member.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_len_at = 26 if signature == b"PK\x03\x04" else 28
            name_len = struct.unpack_from("<H", data, start + name_len_at)[0]
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(data[name_at : name_at + name_len]) == name:
                struct.pack_into("<I", data, start + size_at, declared)
            start += 4
    return bytes(data)


def test_the_gigabyte_bomb_is_refused_in_seconds_under_a_small_memory_ceiling(gigabyte_bomb):
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20))\n"
        "from bureau import uploads\n"
        "limits = uploads.Limits(max_bytes=10 << 20, max_entries=2000, max_uncompressed=300 << 20)\n"
        "try:\n"
        f"    with open({str(gigabyte_bomb)!r}, 'rb') as fp:\n"
        f"        uploads.check_file(fp, 'bomb.xlsx', {gigabyte_bomb.stat().st_size}, {{'.xlsx'}}, limits)\n"
        "except uploads.UploadRefused as exc:\n"
        "    print('REFUSED', exc)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(uploads.__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("REFUSED"), result.stdout
    assert "压缩炸弹" in result.stdout


def test_a_bomb_whose_headers_claim_a_small_size_is_stopped_while_inflating(gigabyte_bomb):
    lying = _lying(gigabyte_bomb.read_bytes(), "xl/worksheets/sheet1.xml", 1000)
    with pytest.raises(uploads.UploadRefused):
        uploads.check_file(io.BytesIO(lying), "bomb.xlsx", len(lying), {".xlsx"}, LIMITS)


def test_a_header_that_declares_more_than_is_there_is_refused_too():
    data = _lying(_zip({"xl/workbook.xml": b"<a/>" * 100}), "xl/workbook.xml", 2_000_000_000)
    with pytest.raises(uploads.UploadRefused, match="过大|损坏"):
        uploads.check_file(io.BytesIO(data), "t.xlsx", len(data), {".xlsx"}, LIMITS)


def test_ten_thousand_entries_are_refused_before_any_is_read():
    data = _zip({f"xl/x{i}.xml": b"" for i in range(10_000)})
    with pytest.raises(uploads.UploadRefused, match="10001 个部件"):
        uploads.check_file(io.BytesIO(data), "many.xlsx", len(data), {".xlsx"}, LIMITS)


@pytest.mark.parametrize(
    ("entries", "match"),
    [
        ({"xl/embeddings/inner.zip": _zip({"a": b"b"})}, "内嵌了压缩文件"),
        ({"xl/media/image1.png": _zip({"a": b"b"})}, "内嵌了压缩文件"),
        ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, "含宏"),
    ],
)
def test_nested_archives_and_macro_parts_are_refused(entries, match):
    data = _zip(entries)
    with pytest.raises(uploads.UploadRefused, match=match):
        uploads.check_file(io.BytesIO(data), "t.xlsx", len(data), {".xlsx"}, LIMITS)


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("figures.xlsm", "含宏"),
        ("template.docm", "含宏"),
        ("old.xls", "不支持的文件类型"),
        ("run.exe", "不支持的文件类型"),
        ("noextension", "不支持的文件类型"),
    ],
)
def test_only_the_kinds_a_page_offers_are_accepted(name, match):
    data = _real_xlsx()
    with pytest.raises(uploads.UploadRefused, match=match):
        uploads.check_file(io.BytesIO(data), name, len(data), {".xlsx", ".csv"}, LIMITS)


def test_a_file_whose_content_is_not_its_extension_is_refused():
    not_a_zip = b"<html>hello</html>"
    with pytest.raises(uploads.UploadRefused, match="不是有效的"):
        uploads.check_file(io.BytesIO(not_a_zip), "t.xlsx", len(not_a_zip), {".xlsx"}, LIMITS)
    word = _zip(
        {"word/document.xml": b"<w/>"},
        content_types=CONTENT_TYPES_XLSX.replace(
            "spreadsheetml.sheet.main+xml", "wordprocessingml.document.main+xml"
        ),
    )
    with pytest.raises(uploads.UploadRefused, match="不符"):
        uploads.check_file(io.BytesIO(word), "t.xlsx", len(word), {".xlsx"}, LIMITS)


def test_size_is_checked_before_the_content_is_read():
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("read before the size check")

    with pytest.raises(uploads.UploadRefused, match="文件过大"):
        uploads.check_file(Unreadable(), "big.xlsx", 11 * 1024 * 1024, {".xlsx"}, LIMITS)


def test_a_real_workbook_and_a_utf8_csv_pass_and_are_rewound():
    data = _real_xlsx()
    fp = io.BytesIO(data)
    uploads.check_file(fp, "ok.xlsx", len(data), {".xlsx", ".csv"}, LIMITS)
    assert fp.tell() == 0
    csv = "名称,代码\n测试,x\n".encode("utf-8-sig")
    uploads.check_file(io.BytesIO(csv), "ok.csv", len(csv), {".xlsx", ".csv"}, LIMITS)
    with pytest.raises(uploads.UploadRefused, match="UTF-8"):
        gbk = "名称,代码\n".encode("gbk")
        uploads.check_file(io.BytesIO(gbk), "gbk.csv", len(gbk), {".csv"}, LIMITS)


def test_openpyxl_parses_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
)


def _billion_laughs_xlsx() -> bytes:
    data = _real_xlsx()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                text = LAUGHS + text[text.index("<worksheet") :]
                content = text.replace("测试", "&lol4;").encode()
            z.writestr(info, content)
    return out.getvalue()


@pytest.mark.django_db
def test_an_entity_bomb_in_a_sheet_is_refused_by_the_import_command(tmp_path):
    path = tmp_path / "laughs.xlsx"
    path.write_bytes(_billion_laughs_xlsx())
    before = Enterprise.objects.count()
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_data", "enterprises", str(path))
    assert Enterprise.objects.count() == before


@pytest.mark.django_db
def test_the_import_command_refuses_a_bomb_and_a_macro_file(tmp_path, gigabyte_bomb):
    with pytest.raises(CommandError, match="压缩炸弹"):
        call_command("import_data", "enterprises", str(gigabyte_bomb))
    macro = tmp_path / "figures.xlsm"
    macro.write_bytes(_real_xlsx())
    with pytest.raises(CommandError, match="含宏"):
        call_command("import_data", "enterprises", str(macro))


def test_every_admin_import_offers_only_xlsx_and_csv():
    from django.contrib import admin
    from import_export.admin import ImportMixin
    from import_export.formats import base_formats

    from bureau.admin import PortalImportForm

    importers = [a for a in admin.site._registry.values() if isinstance(a, ImportMixin)]
    assert importers
    for model_admin in importers:
        assert model_admin.get_import_formats() == [base_formats.XLSX, base_formats.CSV]
        assert issubclass(model_admin.import_form_class, PortalImportForm), model_admin


def _admin_import(client, url, name: str, data: bytes, fmt: str):
    return client.post(url, {"format": fmt, "import_file": SimpleUploadedFile(name, data)})


@pytest.mark.django_db
def test_the_admin_import_refuses_a_bomb_in_chinese_and_imports_nothing(
    admin_client, gigabyte_bomb
):
    url = reverse("admin:enterprises_enterprise_import")
    before = Enterprise.objects.count()
    response = _admin_import(admin_client, url, "bomb.xlsx", gigabyte_bomb.read_bytes(), "0")
    assert response.status_code == 200
    assert "压缩炸弹" in response.content.decode()
    assert Enterprise.objects.count() == before
    response = _admin_import(admin_client, url, "figures.xlsm", _real_xlsx(), "0")
    assert "含宏" in response.content.decode()


@pytest.mark.django_db
def test_admin_imports_leave_no_temporary_file_good_or_bad(admin_client, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    url = reverse("admin:bureau_activity_import")
    ActivityKind.objects.get_or_create(code="meeting", defaults={"name": "会议"})
    bad = "类型,日期,主题\n不存在的类型,2031-03-01,x\n".encode("utf-8-sig")
    response = _admin_import(admin_client, url, "bad.csv", bad, "1")
    assert response.status_code == 200
    assert list(tmp_path.iterdir()) == []
    good = "类型,日期,主题\n会议,2031-03-01,季度例会\n".encode("utf-8-sig")
    response = _admin_import(admin_client, url, "good.csv", good, "1")
    assert response.status_code == 200
    assert list(tmp_path.iterdir()) == []
