"""The evidence locker's fixtures: a private root per test, real PDF/PNG/JPEG bytes, documents."""

import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence.models import DocumentType, EvidenceDocument

# A small, real PDF (one empty page) and image signatures with a body.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def zip_bomb(megabytes: int = 64) -> bytes:
    """A zip of ~64 KB whose one member inflates to `megabytes` MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("报告.pdf", b"\0" * (megabytes << 20))
    return out.getvalue()


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "private-evidence"
    return settings.EVIDENCE_ROOT


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(name: str = "高企证书.pdf", content: bytes = PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_document(enterprise, **kw) -> EvidenceDocument:
    values = {
        "doc_type": DocumentType.CERTIFICATE,
        "title": "高新技术企业证书",
        "number": "GR202434000123",
        "issuer": "安徽省科学技术厅",
        "issued_on": datetime.date(2024, 11, 1),
        "valid_from": datetime.date(2024, 11, 1),
        "valid_to": datetime.date(2027, 10, 31),
        "facts": ["revenue_hitech_product"],
        "original_name": "高企证书.pdf",
        "size": len(PDF),
        "content_type": "application/pdf",
    }
    values.update(kw)
    content = values.pop("content", PDF)
    return EvidenceDocument.objects.create(
        enterprise=enterprise, file=ContentFile(content, name=values["original_name"]), **values
    )


def form_data(**kw) -> dict:
    data = {
        "doc_type": DocumentType.RD_AUDIT_REPORT,
        "title": "2024年度研发费用专项审计报告",
        "number": "皖信审字〔2025〕第017号",
        "issuer": "安徽信达会计师事务所",
        "issued_on": "2025-03-15",
        "year": "2024",
        "valid_from": "",
        "valid_to": "",
        "facts": ["rd_expense", "rd_personnel"],
    }
    data.update(kw)
    return data
