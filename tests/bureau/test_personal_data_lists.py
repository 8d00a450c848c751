"""Personal data in the staff and leadership pages (issue 14, hole 3): no list filter, search
or ordering parameter reaches a personal field, and the pages show them masked unless the reader
holds the permission."""

import importlib

import django_filters
import pytest
from django.apps import apps
from django.urls import reverse

from bureau.personal_data import models_with_personal_data, personal_fields, personal_target
from enterprises.models import Enterprise
from finance.models import Contact
from incubation.models import Incubator
from talent.models import Institution as TalentInstitution
from tests.bureau.test_personal_data_admin import MASKED, RECORDS, SECRET, grant, secret_values

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("bureau", "enterprises", "incubation", "digital", "talent", "finance", "reports")
# Parameters an attacker would try on any list page.
PROBES = [
    {"phone__startswith": "138"},
    {"contact_phone__startswith": "138"},
    {"name": SECRET["name"]},
    {"name__startswith": SECRET["name"][:1]},
    {"legal_representative": SECRET["name"]},
    {"ordering": "phone"},
    {"ordering": "-contact_phone"},
    {"sort": "name"},
    {"o": "contact_person"},
]


def project_filtersets() -> list[type[django_filters.FilterSet]]:
    for app in PROJECT_APPS:
        for module in ("filters", "forms"):
            try:
                importlib.import_module(f"{app}.{module}")
            except ModuleNotFoundError:
                continue
    found, todo = [], list(django_filters.FilterSet.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.split(".")[0] in PROJECT_APPS and cls._meta.model is not None:
            found.append(cls)
    return sorted(found, key=lambda c: c.__qualname__)


def test_filtersets_are_found():
    names = {c.__name__ for c in project_filtersets()}
    assert {"EnterpriseFilter", "IncubatorFilter", "ActivityFilter", "AssessmentFilter"} <= names


@pytest.mark.parametrize("filterset", project_filtersets(), ids=lambda c: c.__name__)
def test_no_filterset_filters_on_a_personal_field(filterset):
    model = filterset._meta.model
    for name, flt in filterset.base_filters.items():
        assert personal_target(model, flt.field_name or name) is None, (filterset, name)


@pytest.mark.parametrize(
    "filterset",
    [c for c in project_filtersets() if c._meta.model in RECORDS],
    ids=lambda c: c.__name__,
)
def test_no_text_filter_matches_a_personal_value(filterset):
    """Searches written as methods cannot be read statically: each text filter is run with the
    secret values of a record holding them and must not find it."""
    model = filterset._meta.model
    record = RECORDS[model](secret_values(model))
    for name, flt in filterset.base_filters.items():
        if not isinstance(flt, django_filters.CharFilter):
            continue
        for kind in set(personal_fields(model).values()):
            result = filterset({name: SECRET[kind]}, queryset=model.objects.all()).qs
            assert not result.filter(pk=record.pk).exists(), (filterset, name, kind)


LIST_PAGES = {
    "enterprises:list": Enterprise,
    "incubation:incubator_list": Incubator,
    "talent:institution_list": TalentInstitution,
    "finance:institution_list": Contact,
}


@pytest.mark.parametrize("url_name", LIST_PAGES)
@pytest.mark.parametrize("persona", ["staff_client", "leader_client"])
def test_list_pages_ignore_personal_parameters(url_name, persona, request):
    client = request.getfixturevalue(persona)
    model = LIST_PAGES[url_name]
    RECORDS[model](secret_values(model))
    RECORDS[model]({field: "" for field in personal_fields(model)})
    baseline = client.get(reverse(url_name))
    assert baseline.status_code == 200
    rows = baseline.content.decode().count("<tr")
    for params in PROBES:
        response = client.get(reverse(url_name), params)
        assert response.status_code == 200, params
        assert response.content.decode().count("<tr") == rows, params


def test_every_model_with_personal_data_has_a_list_or_page_test():
    covered = set(LIST_PAGES.values()) | {apps.get_model("talent", "Talent")}
    assert covered == set(models_with_personal_data())


DETAIL_PAGES = {
    Enterprise: "enterprises:detail",
    Incubator: "incubation:incubator_detail",
    TalentInstitution: "talent:institution_detail",
}


# The institutions list shows each contact's name and phone, not the e-mail.
NOT_SHOWN = {Contact: {"email"}}


def shown_fields(model) -> dict[str, str]:
    return {f: k for f, k in personal_fields(model).items() if f not in NOT_SHOWN.get(model, ())}


def _page_url(model, record) -> str:
    if model is Contact:
        return reverse("finance:institution_list")
    return reverse(DETAIL_PAGES[model], args=[record.pk])


@pytest.mark.parametrize(
    "model", [Enterprise, Incubator, TalentInstitution, Contact], ids=lambda m: m._meta.label
)
@pytest.mark.parametrize("persona", ["staff_client", "leader_client", "sysadmin_client"])
def test_pages_show_contact_data_masked(model, persona, request):
    record = RECORDS[model](secret_values(model))
    body = request.getfixturevalue(persona).get(_page_url(model, record)).content.decode()
    for field, kind in shown_fields(model).items():
        assert SECRET[kind] not in body, (model, field)
        assert MASKED[kind] in body, (model, field)


@pytest.mark.parametrize(
    "model", [Enterprise, Incubator, TalentInstitution, Contact], ids=lambda m: m._meta.label
)
def test_pages_show_contact_data_to_staff_with_the_permission(model, staff_user, staff_client):
    record = RECORDS[model](secret_values(model))
    grant(staff_user, model)
    body = staff_client.get(_page_url(model, record)).content.decode()
    for field, kind in shown_fields(model).items():
        assert SECRET[kind] in body, (model, field)


def test_enterprise_user_sees_own_profile_contacts_masked(enterprise, enterprise_client):
    for field, kind in personal_fields(Enterprise).items():
        setattr(enterprise, field, SECRET[kind])
    enterprise.save()
    body = enterprise_client.get(reverse("enterprises:portal_home")).content.decode()
    assert SECRET["phone"] not in body and MASKED["phone"] in body


@pytest.mark.parametrize("persona", ["staff_client", "leader_client"])
def test_incubator_export_masks_contacts_without_the_permission(persona, request):
    from io import BytesIO

    from openpyxl import load_workbook

    RECORDS[Incubator](secret_values(Incubator))
    client = request.getfixturevalue(persona)
    response = client.get(reverse("incubation:incubator_list"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert SECRET["phone"] not in cells and SECRET["name"] not in cells
    assert MASKED["phone"] in cells and MASKED["name"] in cells


def test_incubator_export_shows_contacts_with_the_permission(staff_user, staff_client):
    from io import BytesIO

    from openpyxl import load_workbook

    RECORDS[Incubator](secret_values(Incubator))
    grant(staff_user, Incubator)
    response = staff_client.get(reverse("incubation:incubator_list"), {"format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert SECRET["phone"] in cells and SECRET["name"] in cells
