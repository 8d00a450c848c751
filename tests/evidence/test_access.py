"""Who reaches which document: an enterprise user only its own (another's id is a 404 on every
view and on the download), bureau roles all of them, leadership read-only; the files lie
outside every served directory; every download writes one audit entry."""

from pathlib import Path

import pytest
from django.core import checks
from django.urls import reverse

from audit.models import EventKind, SecurityEvent
from evidence.apps import check_private_root
from evidence.models import EvidenceDocument
from tests.concurrency import token
from tests.enterprises.factories import ApprovedQualificationFactory

from .conftest import PDF, form_data, make_document, stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(enterprise):
    """A document of `enterprise`, which the outsider must not reach."""
    return make_document(enterprise)


def test_outsider_gets_404_on_every_view_and_the_download(outsider_client, theirs):
    pk = theirs.pk
    assert outsider_client.get(reverse("evidence:download", args=[pk])).status_code == 404
    assert outsider_client.get(reverse("evidence:portal_edit", args=[pk])).status_code == 404
    edit = outsider_client.post(
        reverse("evidence:portal_edit", args=[pk]),
        {**form_data(title="改掉"), **token(theirs), "file": upload()},
    )
    assert edit.status_code == 404
    assert outsider_client.post(reverse("evidence:portal_delete", args=[pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "高新技术企业证书"
    assert theirs.file.read() == PDF
    listing = outsider_client.get(reverse("evidence:portal_list")).content.decode()
    assert theirs.title not in listing
    # The refused download was not logged as one (the 404 is, as for any foreign id).
    assert not SecurityEvent.objects.filter(kind=EventKind.DOWNLOAD).exists()
    assert SecurityEvent.objects.filter(kind=EventKind.NOT_FOUND).count() == 4


def test_enterprise_users_cannot_use_bureau_pages(enterprise_client, theirs):
    q = ApprovedQualificationFactory(enterprise=theirs.enterprise)
    assert enterprise_client.get(reverse("evidence:list")).status_code == 403
    link = reverse("evidence:link_qualification", args=[q.pk])
    assert enterprise_client.post(link, {"documents": [theirs.pk]}).status_code == 403
    assert (
        enterprise_client.post(reverse("evidence:notify"), {"document": [theirs.pk]}).status_code
        == 403
    )
    assert not q.evidence_documents.exists()


def test_leadership_reads_and_downloads_but_cannot_upload_or_link(
    leader_client, enterprise, theirs, private_root
):
    assert leader_client.get(reverse("evidence:list")).status_code == 200
    response = leader_client.get(reverse("evidence:download", args=[theirs.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    before = len(stored_files(private_root))
    assert leader_client.get(reverse("evidence:portal_list")).status_code == 403
    refused = leader_client.post(reverse("evidence:portal_list"), {**form_data(), "file": upload()})
    assert refused.status_code == 403
    assert EvidenceDocument.objects.count() == 1 and len(stored_files(private_root)) == before
    q = ApprovedQualificationFactory(enterprise=enterprise)
    link = reverse("evidence:link_qualification", args=[q.pk])
    assert leader_client.post(link, {"documents": [theirs.pk]}).status_code == 403
    assert (
        leader_client.post(reverse("evidence:notify"), {"document": [theirs.pk]}).status_code == 403
    )
    assert (
        leader_client.post(reverse("evidence:portal_delete", args=[theirs.pk])).status_code == 403
    )


@pytest.mark.parametrize("persona", ["staff_client", "leader_client", "enterprise_client"])
def test_each_download_writes_one_audit_entry(request, persona, theirs):
    client = request.getfixturevalue(persona)
    url = reverse("evidence:download", args=[theirs.pk])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        b"".join(response.streaming_content)
    events = list(SecurityEvent.objects.filter(kind=EventKind.DOWNLOAD).order_by("pk"))
    assert len(events) == 2  # one per download, not one more from the middleware
    user = request.getfixturevalue(persona.replace("_client", "_user"))
    for event in events:
        assert event.username == user.username
        assert event.path == url
        assert event.detail["document"] == theirs.pk
        assert event.detail["enterprise"] == theirs.enterprise_id
        assert event.detail["file"] == "高企证书.pdf"
        assert event.detail["bytes"] == len(PDF)


def test_files_are_private(theirs, private_root, settings):
    path = private_root / theirs.file.name
    assert path.read_bytes() == PDF
    media = Path(settings.MEDIA_ROOT).resolve()
    assert media not in path.resolve().parents
    assert theirs.file.name.startswith(f"{theirs.enterprise_id}/")
    assert "高企" not in theirs.file.name  # the user's name stays in the row, not the path
    with pytest.raises(ValueError, match="no public URL"):
        theirs.file.url  # noqa: B018
    assert check_private_root() == []
    settings.EVIDENCE_ROOT = media / "evidence"
    errors = check_private_root()
    assert [e.id for e in errors] == ["evidence.E001"] and isinstance(errors[0], checks.Error)


def test_anonymous_is_sent_to_sign_in(client, theirs):
    response = client.get(reverse("evidence:download", args=[theirs.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
