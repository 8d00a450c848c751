"""Every admin Excel import offers its blank template: the header row staff fill in."""

import io

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse

from bureau.admin import AllOrNothingImportMixin

pytestmark = pytest.mark.django_db

IMPORTING = sorted(
    (
        (model._meta.app_label, model._meta.model_name, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, AllOrNothingImportMixin)
    ),
    key=lambda t: t[:2],
)


def grant_roster_permission(username: str) -> None:
    from django.contrib.auth.models import Permission

    from bureau.models import User

    User.objects.get(username=username).user_permissions.add(
        Permission.objects.get(content_type__app_label="talent", codename="view_personal_data")
    )


def _may_import_personal_data(model) -> None:
    """The talent roster imports only for staff who may see it unmasked (a file of guesses
    would otherwise confirm names and phones): the clerk who imports it holds the permission."""
    from talent.models import Talent

    if model is Talent:
        grant_roster_permission("staff")


def test_every_import_admin_is_covered():
    assert len(IMPORTING) >= 8  # enterprises, figures, qualifications, talent, finance, …


@pytest.mark.parametrize(("app", "model", "model_admin"), IMPORTING, ids=lambda v: str(v))
def test_staff_download_the_template_with_the_imports_columns(
    staff_client, app, model, model_admin
):
    _may_import_personal_data(model_admin.model)
    url = reverse(f"admin:{app}_{model}_import_template")
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-import-template.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    resource = model_admin.get_import_resource_classes(None)[0]()
    assert headers == [f.column_name for f in resource.get_import_fields()]
    page = staff_client.get(reverse(f"admin:{app}_{model}_import")).content.decode()
    assert url in page and "下载导入模板" in page


@pytest.mark.parametrize(("app", "model", "model_admin"), IMPORTING[:3], ids=lambda v: str(v))
def test_leadership_and_enterprise_users_get_no_template(
    leader_client, enterprise_client, app, model, model_admin
):
    url = reverse(f"admin:{app}_{model}_import_template")
    for client in (leader_client, enterprise_client):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "spreadsheetml" not in response.get("Content-Type", "")
