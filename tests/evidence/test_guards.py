"""Evidence uploads pass bureau/uploads.py: PDF, JPEG and PNG by their magic bytes, size limits
from settings; a renamed .exe, a zip bomb or a wrong-magic file is refused in Chinese and
nothing is stored (no row, no file)."""

import io

import pytest
from django.urls import reverse

from bureau import uploads
from evidence.models import EvidenceDocument

from .conftest import EXE, JPEG, PDF, PNG, form_data, stored_files, upload, zip_bomb

LIMITS = uploads.Limits(max_document_bytes=1024 * 1024)
KINDS = set(uploads.DOCUMENT_KINDS)


@pytest.mark.parametrize(
    ("name", "content"),
    [("证书.pdf", PDF), ("扫描件.JPG", JPEG), ("扫描件.jpeg", JPEG), ("截图.png", PNG)],
)
def test_real_documents_pass(name, content):
    uploads.check_file(io.BytesIO(content), name, len(content), KINDS, LIMITS)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("高企证书.pdf", EXE, "内容实为Windows 可执行程序"),
        ("审计报告.pdf", zip_bomb(), "内容实为压缩文件"),
        ("扫描件.png", JPEG, "内容实为JPEG 图片"),
        ("扫描件.jpg", b"GIF89a" + b"\0" * 40, "不是有效的JPEG 图片文件"),
        ("报表.pdf", b"<html><script>alert(1)</script></html>", "不是有效的PDF文件"),
        ("炸弹.zip", zip_bomb(), "不支持的文件类型“.zip”"),
        ("setup.exe", EXE, "不支持的文件类型“.exe”"),
        ("空.pdf", b"", "文件为空"),
        (
            "脚本.pdf",
            PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript"),
            "可执行内容",
        ),
    ],
)
def test_refused_with_a_chinese_reason(name, content, message):
    with pytest.raises(uploads.UploadRefused, match=message):
        uploads.check_file(io.BytesIO(content), name, len(content), KINDS, LIMITS)


def test_size_limit_for_documents_is_its_own_setting(settings):
    big = PDF + b"\0" * (2 * 1024 * 1024)
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 1024 * 1024
    with pytest.raises(uploads.UploadRefused, match="上限为 1 MB"):
        uploads.check_file(io.BytesIO(big), "a.pdf", len(big), KINDS, uploads.settings_limits())
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
    uploads.check_file(io.BytesIO(big), "a.pdf", len(big), KINDS, uploads.settings_limits())


def test_spreadsheet_uploads_still_refuse_documents():
    with pytest.raises(uploads.UploadRefused, match="只接受 .csv、.xlsx"):
        uploads.check_file(io.BytesIO(PDF), "a.pdf", len(PDF), uploads.IMPORT_KINDS, LIMITS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("高企证书.pdf", EXE, "内容实为Windows 可执行程序"),
        ("审计报告.pdf", zip_bomb(), "内容实为压缩文件"),
        ("财务报表.pdf", PNG, "内容实为PNG 图片"),
    ],
)
def test_portal_refuses_and_stores_nothing(enterprise_client, private_root, name, content, message):
    response = enterprise_client.post(
        reverse("evidence:portal_list"), {**form_data(), "file": upload(name, content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert EvidenceDocument.objects.count() == 0
    assert stored_files(private_root) == []


@pytest.mark.django_db
def test_portal_refuses_an_oversize_file_before_storing(enterprise_client, private_root, settings):
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 1024
    response = enterprise_client.post(
        reverse("evidence:portal_list"),
        {**form_data(), "file": upload(content=PDF + b"\0" * 4096)},
    )
    assert "文件过大" in response.content.decode()
    assert EvidenceDocument.objects.count() == 0 and stored_files(private_root) == []
