"""Admin of innovation carriers: every model listed with search and history; pipeline status
is read-only on change, and a record added here starts its status history."""

import pytest
from django.urls import reverse

from bureau.models import ApplicationStatus
from incubation.models import RDPlatform, RDPlatformKind

from .factories import (
    IncubatorApplicationFactory,
    IncubatorFactory,
    RDPlatformFactory,
    RecognitionFactory,
    TenancyFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    ("incubator", IncubatorFactory),
    ("incubatorlevelapplication", IncubatorApplicationFactory),
    ("tenancy", TenancyFactory),
    ("rdplatform", RDPlatformFactory),
    ("platformrecognition", RecognitionFactory),
]


@pytest.mark.parametrize(("model", "factory"), MODELS)
def test_staff_opens_list_search_change_and_history(staff_client, model, factory):
    obj = factory()
    base = f"admin:incubation_{model}"
    assert staff_client.get(reverse(f"{base}_changelist") + "?q=测试").status_code == 200
    assert staff_client.get(reverse(f"{base}_change", args=[obj.pk])).status_code == 200
    assert staff_client.get(reverse(f"{base}_history", args=[obj.pk])).status_code == 200


def test_reference_kinds_are_listed(staff_client):
    response = staff_client.get(reverse("admin:incubation_rdplatformkind_changelist"))
    assert "院士工作站" in response.content.decode()


def test_leader_cannot_change_records_in_admin(leader_client):
    platform = RDPlatformFactory()
    url = reverse("admin:incubation_rdplatform_change", args=[platform.pk])
    response = leader_client.post(url, {"name": "改名"})
    platform.refresh_from_db()
    assert platform.name != "改名" and response.status_code in (302, 403)


def test_platform_added_in_admin_starts_its_history(staff_client, enterprise):
    kind = RDPlatformKind.objects.get(code="key_laboratory")
    response = staff_client.post(
        reverse("admin:incubation_rdplatform_add"),
        {
            "enterprise": enterprise.pk,
            "kind": kind.pk,
            "name": "光电重点实验室",
            "level": "provincial",
            "status": ApplicationStatus.PREPARING,
            "status_changed_at_0": "2024-03-01",
            "status_changed_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    platform = RDPlatform.objects.get(name="光电重点实验室")
    assert [t.to_status for t in platform.transitions] == ["preparing"]


def test_status_is_read_only_on_change(staff_client):
    platform = RDPlatformFactory()
    page = staff_client.get(reverse("admin:incubation_rdplatform_change", args=[platform.pk]))
    assert 'name="status"' not in page.content.decode()
