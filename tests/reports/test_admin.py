"""Every reports model is in the admin with search and filters; leadership cannot change it."""

import pytest
from django.urls import reverse

from reports import services

pytestmark = pytest.mark.django_db

MODELS = [
    "annualsummary",
    "summarysection",
    "narrativeparagraph",
    "planitem",
    "exportjob",
    "wordtemplate",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_searches_and_opens(model, sysadmin_client, figure_sources):
    figure_sources()
    summary = services.ensure_summary(2024)
    url = reverse(f"admin:reports_{model}_changelist")
    assert sysadmin_client.get(url, {"q": "2024"}).status_code == 200
    if model == "annualsummary":
        change = reverse("admin:reports_annualsummary_change", args=[summary.pk])
        assert sysadmin_client.get(change).status_code == 200
        history = reverse("admin:reports_annualsummary_history", args=[summary.pk])
        assert sysadmin_client.get(history).status_code == 200
