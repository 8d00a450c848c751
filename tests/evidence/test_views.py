"""The locker as its users meet it: an enterprise uploads, lists, replaces and deletes its own
documents; staff list them across enterprises with filters, see them on the enterprise page
and link them to a qualification; both languages; query counts flat in the number of rows."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from evidence.models import CrossEnterpriseLink, DocumentType, EvidenceDocument
from tests.concurrency import token
from tests.enterprises.factories import ApprovedQualificationFactory
from tests.factories import EnterpriseFactory
from tests.querycount import count_queries

from .conftest import JPEG, PDF, PNG, form_data, make_document, stored_files, upload

pytestmark = pytest.mark.django_db


def test_enterprise_uploads_a_document_with_its_facts(
    enterprise_client, enterprise, enterprise_user, private_root
):
    response = enterprise_client.post(
        reverse("evidence:portal_list"),
        {**form_data(), "file": upload("专项审计.pdf", content_type="text/html")},
    )
    assert response.status_code == 302
    doc = EvidenceDocument.objects.get()
    assert doc.enterprise == enterprise and doc.uploaded_by == enterprise_user
    assert doc.doc_type == DocumentType.RD_AUDIT_REPORT and doc.year == 2024
    assert doc.facts == ["rd_expense", "rd_personnel"]
    assert doc.original_name == "专项审计.pdf" and doc.size == len(PDF)
    assert doc.content_type == "application/pdf"  # from the checked kind, not the browser
    assert [p.read_bytes() for p in stored_files(private_root)] == [PDF]
    page = enterprise_client.get(reverse("evidence:portal_list")).content.decode()
    assert "2024年度研发费用专项审计报告" in page and "研发费用：人员人工" in page


def test_unknown_fact_and_reversed_validity_are_refused(enterprise_client, private_root):
    response = enterprise_client.post(
        reverse("evidence:portal_list"),
        {
            **form_data(facts=["turnover"], valid_from="2025-01-01", valid_to="2024-01-01"),
            "file": upload(),
        },
    )
    body = response.content.decode()
    assert "turnover" in body and "有效期至不能早于有效期起" in body
    assert EvidenceDocument.objects.count() == 0 and stored_files(private_root) == []
    doc = EvidenceDocument(facts=["turnover"])
    with pytest.raises(ValidationError, match="未知的指标：turnover"):
        doc.full_clean(exclude=["enterprise", "file", "doc_type", "title", "original_name"])


def test_database_refuses_validity_ending_before_it_starts(enterprise):
    doc = make_document(enterprise)
    doc.valid_to = doc.valid_from - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        doc.save()


def test_certificates_need_a_number(enterprise_client):
    response = enterprise_client.post(
        reverse("evidence:portal_list"),
        {**form_data(doc_type=DocumentType.CERTIFICATE, number=""), "file": upload()},
    )
    assert "证书类材料须填写证书编号" in response.content.decode()


def test_replace_keeps_the_row_and_swaps_the_file(
    enterprise_client, enterprise, private_root, django_capture_on_commit_callbacks
):
    doc = make_document(enterprise)
    old = private_root / doc.file.name
    url = reverse("evidence:portal_edit", args=[doc.pk])
    assert enterprise_client.get(url).status_code == 200
    data = {
        **form_data(doc_type=DocumentType.CERTIFICATE, number="GR202534000999", year=""),
        "valid_from": "2025-11-01",
        "valid_to": "2028-10-31",
        **token(doc),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = enterprise_client.post(
            url, {**data, "file": upload("新证书.png", PNG, "image/png")}
        )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.number == "GR202534000999" and doc.original_name == "新证书.png"
    assert doc.file.read() == PNG and not old.exists()
    assert len(stored_files(private_root)) == 1
    # Saving details without a new file keeps the file.
    response = enterprise_client.post(url, {**data, "title": "更名", **token(doc)})
    doc.refresh_from_db()
    assert response.status_code == 302 and doc.title == "更名" and doc.file.read() == PNG


def test_a_stale_edit_is_refused(enterprise_client, enterprise):
    doc = make_document(enterprise)
    stale = token(doc)
    doc.title = "他人先改"
    doc.save()
    url = reverse("evidence:portal_edit", args=[doc.pk])
    enterprise_client.post(url, {**form_data(doc_type="certificate", number="X1"), **stale})
    doc.refresh_from_db()
    assert doc.title == "他人先改"


def test_delete_removes_row_and_file(
    enterprise_client, enterprise, private_root, django_capture_on_commit_callbacks
):
    doc = make_document(enterprise)
    path = private_root / doc.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = enterprise_client.post(
            reverse("evidence:portal_delete", args=[doc.pk]), token(doc)
        )
    assert response.status_code == 302
    assert not EvidenceDocument.objects.exists() and not path.exists()


def _documents(enterprise, n):
    for i in range(n):
        make_document(enterprise, number=f"GR{i:06d}", content=JPEG, original_name="a.jpg")


def test_portal_list_is_paginated_in_sql_with_flat_queries(enterprise_client, enterprise):
    url = reverse("evidence:portal_list")
    _documents(enterprise, 3)
    few = count_queries(lambda: enterprise_client.get(url))
    _documents(enterprise, 40)
    pages = []
    many = count_queries(lambda: pages.append(enterprise_client.get(url)))
    # session, user, account + enterprise, count, the page's rows, the nav and form's own
    assert many == few
    body = pages[0].content.decode()
    assert body.count(reverse("evidence:portal_edit", args=[1])[:-2]) >= 30
    assert "第 1 / 2 页" in body


def test_staff_list_filters_by_type_and_expiry_with_flat_queries(staff_client, enterprise):
    today = timezone.localdate()
    other = EnterpriseFactory(name="安徽第三家科技有限公司")
    soon = make_document(
        enterprise, title="快到期证书", valid_to=today + datetime.timedelta(days=20)
    )
    make_document(other, title="远期证书", valid_to=today + datetime.timedelta(days=400))
    make_document(
        other,
        title="年度审计",
        doc_type=DocumentType.AUDIT_REPORT,
        number="",
        year=2024,
        valid_from=None,
        valid_to=None,
        facts=["revenue"],
    )
    url = reverse("evidence:list")
    body = staff_client.get(url).content.decode()
    assert "快到期证书" in body and "远期证书" in body and "年度审计" in body
    body = staff_client.get(url, {"doc_type": "audit_report"}).content.decode()
    assert "年度审计" in body and "快到期证书" not in body
    body = staff_client.get(url, {"expiring_within": 30}).content.decode()
    assert "快到期证书" in body and "远期证书" not in body and "年度审计" not in body
    body = staff_client.get(url, {"q": "第三家"}).content.decode()
    assert "快到期证书" not in body and "远期证书" in body
    few = count_queries(lambda: staff_client.get(url, {"expiring_within": 3650}))
    for i in range(30):
        e = EnterpriseFactory()
        make_document(e, number=f"N{i}", valid_to=today + datetime.timedelta(days=i + 1))
        ApprovedQualificationFactory(enterprise=e).evidence_documents.add(
            EvidenceDocument.objects.filter(enterprise=e).get()
        )
    many = count_queries(lambda: staff_client.get(url, {"expiring_within": 3650}))
    assert many == few
    assert soon.pk


def test_enterprise_page_shows_its_documents(staff_client, enterprise, other_enterprise):
    make_document(enterprise, title="本企业高企证书")
    make_document(other_enterprise, title="别家证书", number="GR999")
    body = staff_client.get(enterprise.get_absolute_url()).content.decode()
    assert "证明材料" in body and "本企业高企证书" in body and "别家证书" not in body


def test_qualification_page_shows_and_staff_link_its_documents(
    staff_client, leader_client, enterprise, other_enterprise
):
    q = ApprovedQualificationFactory(enterprise=enterprise)
    mine = make_document(enterprise, title="高企证书扫描件")
    audit = make_document(
        enterprise,
        title="专项审计报告",
        doc_type=DocumentType.RD_AUDIT_REPORT,
        number="",
        year=2024,
        valid_from=None,
        valid_to=None,
    )
    foreign = make_document(other_enterprise, title="别家证书")
    page = staff_client.get(q.get_absolute_url()).content.decode()
    assert "尚未关联证明材料" in page and "保存关联" in page and "别家证书" not in page
    link = reverse("evidence:link_qualification", args=[q.pk])
    assert staff_client.post(link, {"documents": [mine.pk, audit.pk]}).status_code == 302
    assert set(q.evidence_documents.all()) == {mine, audit}
    page = leader_client.get(q.get_absolute_url()).content.decode()
    assert "高企证书扫描件" in page and "专项审计报告" in page and "保存关联" not in page
    # Another enterprise's document is not offered and is refused when posted by hand.
    staff_client.post(link, {"documents": [foreign.pk]})
    assert set(q.evidence_documents.all()) == {mine, audit}
    with pytest.raises(CrossEnterpriseLink), transaction.atomic():
        q.evidence_documents.add(foreign)
    with pytest.raises(CrossEnterpriseLink), transaction.atomic():
        foreign.qualifications.add(q)
    assert not foreign.qualifications.exists()


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("zh-hans", ["证明材料", "上传证明材料", "研发费用专项审计报告", "支撑的指标"]),
        (
            "en",
            [
                "Supporting documents",
                "Upload a document",
                "Special audit report on R&amp;D expenses",
                "Facts it supports",
            ],
        ),
    ],
)
def test_portal_page_in_both_languages(enterprise_client, enterprise, language, texts):
    make_document(enterprise, doc_type=DocumentType.RD_AUDIT_REPORT, number="", year=2024)
    enterprise_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = enterprise_client.get(reverse("evidence:portal_list")).content.decode()
    for text in texts:
        assert text in body, text


def test_a_stale_delete_is_refused(enterprise_client, enterprise):
    doc = make_document(enterprise)
    stale = token(doc)
    doc.title = "他人刚改过"
    doc.save()
    response = enterprise_client.post(reverse("evidence:portal_delete", args=[doc.pk]), stale)
    assert response.status_code == 302
    assert EvidenceDocument.objects.filter(pk=doc.pk).exists()
    page = enterprise_client.get(response["Location"]).content.decode()
    assert "保存未生效" in page
