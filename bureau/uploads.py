"""The guards every uploaded file passes before a parser (openpyxl, docxtpl, csv) sees it.

One set of checks for every path a file comes in by (the admin's Excel import, the import
command and its task, the Word template upload):

- size: at most `UPLOAD_MAX_BYTES` (default 10 MB), checked before anything is read;
- type: only the kinds the page offers, by extension and by content (an .xlsx must be a zip
  whose `[Content_Types].xml` declares a workbook); macro-enabled files (.xlsm, .docm, a
  `vbaProject.bin` part, a macroEnabled content type) are refused;
- zip structure, for .xlsx and .docx: at most `UPLOAD_MAX_ZIP_ENTRIES` entries, no archive
  nested inside (a zip, or a part that starts like one), a declared uncompressed total of at most
  `UPLOAD_MAX_UNCOMPRESSED_BYTES`, and the same bound on what the entries really inflate to,
  counted while streaming so a header that lies stops the check at the limit, not at the end;
- csv: UTF-8 (with or without BOM), no NUL bytes;
- documents (the evidence locker's PDF, JPEG and PNG scans): at most
  `UPLOAD_MAX_DOCUMENT_BYTES`, the content must start with its kind's magic bytes (`%PDF-`,
  JPEG's SOI marker, PNG's signature), so a renamed .exe, zip (a zip bomb included) or any
  other file is refused before it is stored; a PDF that declares JavaScript or a launch action
  is refused as well.

`check_*` functions are plain (limits as arguments) so tests can run them in a subprocess under
a small memory ceiling; `guard_upload` reads the limits from settings and raises a Django
ValidationError whose message is for the user, in Chinese.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlam", ".docm", ".dotm"}
ZIP_MAGIC = b"PK\x03\x04"
CONTENT_TYPES = "[Content_Types].xml"
# What the main part of each kind declares in [Content_Types].xml.
MAIN_CONTENT_TYPE = {
    ".xlsx": "spreadsheetml.sheet.main+xml",
    ".docx": "wordprocessingml.document.main+xml",
}
READ_CHUNK = 1 << 16
KIND_LABELS = {
    ".xlsx": "Excel（.xlsx）",
    ".docx": "Word（.docx）",
    ".csv": "CSV",
    ".pdf": "PDF",
    ".jpg": "JPEG 图片",
    ".jpeg": "JPEG 图片",
    ".png": "PNG 图片",
}
# Documents stored as they are (never parsed): what each kind's content starts with.
DOCUMENT_MAGIC = {
    ".pdf": b"%PDF-",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
}
DOCUMENT_KINDS = frozenset(DOCUMENT_MAGIC)
# What a refused document really is, when its first bytes say so (for the message).
KNOWN_MAGIC = (
    (b"MZ", "Windows 可执行程序（.exe/.dll）"),
    (b"\x7fELF", "可执行程序（ELF）"),
    (ZIP_MAGIC, "压缩文件（.zip 等）"),
    (b"Rar!", "压缩文件（.rar）"),
    (b"7z\xbc\xaf\x27\x1c", "压缩文件（.7z）"),
    (b"\x1f\x8b", "压缩文件（.gz）"),
    (b"%PDF-", "PDF 文件"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"\x89PNG", "PNG 图片"),
)
# PDF actions that run something when the file is opened.
PDF_ACTIVE = (b"/JavaScript", b"/Launch")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    max_entries: int = 2_000
    max_uncompressed: int = 300 * 1024 * 1024
    max_document_bytes: int = 20 * 1024 * 1024


class UploadRefused(ValueError):
    """A file that must not reach a parser; the message names why, in Chinese."""


def _kind(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def check_kind(name: str, allowed: set[str]) -> str:
    """The file's extension, if the page accepts it."""
    kind = _kind(name)
    if kind in MACRO_EXTENSIONS:
        raise UploadRefused(f"不接受含宏的文件（{kind}）：请另存为不含宏的 .xlsx 或 .docx 后上传。")
    if kind not in allowed:
        offered = "、".join(sorted(allowed))
        raise UploadRefused(f"不支持的文件类型“{kind or '无扩展名'}”：此处只接受 {offered} 文件。")
    return kind


def check_size(size: int, limits: Limits, kind: str = "") -> None:
    ceiling = limits.max_document_bytes if kind in DOCUMENT_KINDS else limits.max_bytes
    if size > ceiling:
        raise UploadRefused(
            f"文件过大（{size / 1048576:.1f} MB），上限为 {ceiling / 1048576:.0f} MB。"
        )
    if size == 0 and kind in DOCUMENT_KINDS:
        raise UploadRefused("文件为空（0 字节），请重新选择文件。")


def check_document(fp: BinaryIO, kind: str, limits: Limits) -> None:
    """A PDF/JPEG/PNG by its content: its magic bytes, and no active content in a PDF."""
    head = fp.read(16)
    if not head.startswith(DOCUMENT_MAGIC[kind]):
        actual = next((label for magic, label in KNOWN_MAGIC if head.startswith(magic)), None)
        label = KIND_LABELS[kind]
        if actual:
            raise UploadRefused(
                f"文件内容与扩展名不符：扩展名为 {kind}，内容实为{actual}，不予接收。"
            )
        raise UploadRefused(f"文件内容与扩展名不符：不是有效的{label}文件。")
    if kind == ".pdf":
        data = head + fp.read(limits.max_document_bytes)
        for marker in PDF_ACTIVE:
            if marker in data:
                raise UploadRefused(
                    "PDF 文件含有可执行内容（JavaScript 或启动动作），不予接收；"
                    "请打印为普通 PDF 后上传。"
                )


def check_archive(fp: BinaryIO, kind: str, limits: Limits) -> None:
    """Zip structure of an .xlsx/.docx: entries, nesting, macros, declared and real size."""
    try:
        archive = zipfile.ZipFile(fp)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused(
            f"文件不是有效的{KIND_LABELS.get(kind, kind)}文件（无法作为压缩包打开）。"
        ) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise UploadRefused(
                f"文件结构异常：包含 {len(entries)} 个部件，超过上限 {limits.max_entries}。"
            )
        declared = 0
        names = set()
        for info in entries:
            names.add(info.filename)
            lower = info.filename.lower()
            if "vbaproject" in lower:
                raise UploadRefused("不接受含宏的文件：文件中包含宏代码（vbaProject.bin）。")
            if lower.endswith((".zip", ".xlsx", ".xlsm", ".docx", ".docm", ".jar", ".7z", ".rar")):
                raise UploadRefused(f"文件结构异常：内嵌了压缩文件（{info.filename}）。")
            declared += info.file_size
            if declared > limits.max_uncompressed:
                raise UploadRefused(
                    f"文件解压后过大（超过 {limits.max_uncompressed // 1048576} MB），疑似压缩炸弹。"
                )
        if CONTENT_TYPES not in names:
            raise UploadRefused(
                f"文件不是有效的{KIND_LABELS.get(kind, kind)}文件（缺少 {CONTENT_TYPES}）。"
            )
        content_types = archive.read(CONTENT_TYPES)[: limits.max_bytes].decode("utf-8", "replace")
        if "macroEnabled" in content_types or "vbaProject" in content_types:
            raise UploadRefused("不接受含宏的文件：文件声明了宏部件。")
        expected = MAIN_CONTENT_TYPE.get(kind)
        if expected and expected not in content_types:
            raise UploadRefused(f"文件内容与扩展名不符：不是{KIND_LABELS.get(kind, kind)}文件。")
        # What the entries really inflate to, whatever their headers say.
        total = 0
        for info in entries:
            try:
                with archive.open(info) as member:
                    head = member.read(4)
                    if head == ZIP_MAGIC:
                        raise UploadRefused(f"文件结构异常：内嵌了压缩文件（{info.filename}）。")
                    total += len(head)
                    while chunk := member.read(READ_CHUNK):
                        total += len(chunk)
                        if total > limits.max_uncompressed:
                            raise UploadRefused(
                                f"文件解压后过大（超过 {limits.max_uncompressed // 1048576} MB），"
                                "疑似压缩炸弹。"
                            )
            except UploadRefused:
                raise
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
                raise UploadRefused(f"文件已损坏：部件 {info.filename} 无法读取。") from None


def check_csv(fp: BinaryIO, limits: Limits) -> None:
    data = fp.read(limits.max_bytes + 1)
    if b"\x00" in data:
        raise UploadRefused("CSV 文件中含有非文本内容（NUL 字节）。")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused(
            "CSV 文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8”后上传。"
        ) from None


def check_file(fp: BinaryIO, name: str, size: int, allowed: set[str], limits: Limits) -> None:
    """All the checks, in order: type by name, size, then the content (rewound afterwards)."""
    kind = check_kind(name, allowed)
    check_size(size, limits, kind)
    start = fp.tell()
    try:
        if kind in MAIN_CONTENT_TYPE:
            check_archive(fp, kind, limits)
        elif kind == ".csv":
            check_csv(fp, limits)
        elif kind in DOCUMENT_KINDS:
            check_document(fp, kind, limits)
    finally:
        fp.seek(start)


def settings_limits() -> Limits:
    from django.conf import settings

    return Limits(
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_entries=settings.UPLOAD_MAX_ZIP_ENTRIES,
        max_uncompressed=settings.UPLOAD_MAX_UNCOMPRESSED_BYTES,
        max_document_bytes=settings.UPLOAD_MAX_DOCUMENT_BYTES,
    )


def guard_upload(upload, allowed: set[str]) -> None:
    """Check an UploadedFile; raise django.forms.ValidationError (Chinese) if refused."""
    from django.core.exceptions import ValidationError

    try:
        check_file(upload, upload.name, upload.size, allowed, settings_limits())
    except UploadRefused as exc:
        raise ValidationError(str(exc), code="upload_refused") from None


# What the Excel import pages and the import command accept.
IMPORT_KINDS = {".xlsx", ".csv"}


def guard_path(path, allowed: set[str] = IMPORT_KINDS) -> None:
    """Check a file on disk (the import command); raise UploadRefused if refused."""
    path = PurePath(path)
    with open(path, "rb") as fp:
        fp.seek(0, io.SEEK_END)
        size = fp.tell()
        fp.seek(0)
        check_file(fp, path.name, size, allowed, settings_limits())
