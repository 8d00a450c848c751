"""Who may open what: an enterprise user sees only its own assessments; staff-only pages refuse
enterprise users; only editors reopen."""

import pytest
from django.urls import reverse

from digital.models import Assessment, AssessmentSource, AssessmentStatus
from tests.digital.factories import AssessmentFactory, DiagnosticVisitFactory, edition_2024

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_assessment(enterprise):
    return AssessmentFactory(enterprise=enterprise, source=AssessmentSource.PORTAL)


@pytest.fixture
def own_draft(enterprise):
    return Assessment.objects.create(enterprise=enterprise, version=edition_2024())


def test_enterprise_user_cannot_open_other_enterprise_assessment(
    outsider_client, own_assessment, own_draft
):
    assert outsider_client.get(own_assessment.get_absolute_url()).status_code == 404
    edit = reverse("digital:portal_assessment_edit", args=[own_draft.pk])
    assert outsider_client.get(edit).status_code == 404
    assert (
        outsider_client.post(edit, {"action": "save", "q_network": ["network_1"]}).status_code
        == 404
    )
    own_draft.refresh_from_db()
    assert own_draft.answers == {}


def test_enterprise_user_opens_its_own_assessment(enterprise_client, own_assessment):
    assert enterprise_client.get(own_assessment.get_absolute_url()).status_code == 200


def test_outsider_list_shows_none_of_the_other_enterprises_assessments(
    outsider_client, own_assessment
):
    response = outsider_client.get(reverse("digital:portal_assessments"))
    assert response.status_code == 200
    assert list(response.context["assessments"]) == []


@pytest.mark.parametrize(
    "name",
    [
        "digital:overview",
        "digital:assessment_list",
        "digital:round_list",
        "digital:visit_list",
        "digital:delivery_list",
        "digital:project_list",
        "digital:demonstrations",
    ],
)
def test_staff_pages_refuse_enterprise_users_and_serve_leadership(
    name, enterprise_client, leader_client
):
    edition_2024()
    assert enterprise_client.get(reverse(name)).status_code == 403
    assert leader_client.get(reverse(name), follow=True).status_code == 200


def test_enterprise_user_cannot_open_a_visit_or_its_export(enterprise_client, enterprise):
    visit = DiagnosticVisitFactory(enterprise=enterprise)
    assert enterprise_client.get(visit.get_absolute_url()).status_code == 403
    assert enterprise_client.get(reverse("digital:visit_list") + "?format=xlsx").status_code == 403
    assert (
        enterprise_client.get(reverse("digital:assessment_list") + "?format=xlsx").status_code
        == 403
    )


def test_leadership_cannot_reopen_or_enter_assessments(leader_client, own_assessment):
    url = reverse("digital:assessment_reopen", args=[own_assessment.pk])
    assert leader_client.post(url, {"reason": "x"}).status_code == 403
    assert leader_client.get(reverse("digital:assessment_create")).status_code == 403
    own_assessment.refresh_from_db()
    assert own_assessment.status == AssessmentStatus.SUBMITTED


def test_enterprise_user_cannot_reopen_its_own_assessment(enterprise_client, own_assessment):
    url = reverse("digital:assessment_reopen", args=[own_assessment.pk])
    assert enterprise_client.post(url, {"reason": "想改"}).status_code == 403
