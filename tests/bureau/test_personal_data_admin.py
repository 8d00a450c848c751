"""Personal data in every admin (issue 14, hole 3, made general).

The tests walk `admin.site._registry` and the personal-field registry, so a new admin, a new
inline or a new relation to a model with personal fields is covered without editing them; only
a new model with personal fields needs a line in `RECORDS` (a test says so when it is missing).
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.auth.models import Permission
from django.db.models import ForeignObjectRel
from django.test import RequestFactory
from django.urls import reverse

from bureau.personal_data import (
    CONTACT_DATA_PERMISSION,
    MASKS,
    mask_value,
    models_with_personal_data,
    permission_for,
    personal_fields,
    personal_target,
    search_path,
)
from bureau.personal_data_admin import PersonalDataAdminMixin, PersonalDataFormMixin
from bureau.roles import DOMAIN_APPS, Role
from enterprises.models import Enterprise
from finance.models import Contact
from finance.models import Institution as FinanceInstitution
from incubation.models import Incubator
from talent.models import Institution as TalentInstitution
from talent.models import Talent
from tests.factories import EnterpriseFactory
from tests.finance.factories import InstitutionFactory as BankFactory
from tests.incubation.factories import IncubatorFactory
from tests.talent.factories import InstitutionFactory, TalentFactory

pytestmark = pytest.mark.django_db

LOOKUPS = [
    "exact",
    "iexact",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "contains",
    "icontains",
    "regex",
    "iregex",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "range",
    "isnull",
]
# Values no reader without the permission may find in a page (masked forms differ from them).
SECRET = {"name": "欧阳明月", "phone": "13812345678", "email": "secret.person@example.cn"}
MASKED = {kind: MASKS[kind](value) for kind, value in SECRET.items()}

# One record of every model that declares personal fields, with those fields set to SECRET.
RECORDS = {
    Talent: lambda values: TalentFactory(**values),
    Enterprise: lambda values: EnterpriseFactory(**values),
    Incubator: lambda values: IncubatorFactory(**values),
    TalentInstitution: lambda values: InstitutionFactory(**values),
    Contact: lambda values: Contact.objects.create(institution=BankFactory(), **values),
}


def secret_values(model) -> dict[str, str]:
    return {field: SECRET[kind] for field, kind in personal_fields(model).items()}


def grant(user, model) -> None:
    app_label, codename = permission_for(model).split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )


def request_for(user, path: str = "/admin/", data: dict | None = None):
    request = RequestFactory().get(path, data or {})
    request.user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    return request


def registered_admins() -> list[tuple[type, admin.ModelAdmin]]:
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def personal_paths(model) -> list[str]:
    """Every lookup path from `model` to a personal field: its own, and those one relation away
    (forward and reverse), which the admin's default rules do not all refuse."""
    paths = list(personal_fields(model))
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        if not field.is_relation or related is None or not personal_fields(related):
            continue
        name = (
            field.field.related_query_name() if isinstance(field, ForeignObjectRel) else field.name
        )
        paths += [f"{name}__{personal}" for personal in personal_fields(related)]
    return paths


# --- The registry ------------------------------------------------------------------------------


def test_the_registry_names_the_personal_fields():
    declared = {m._meta.label: dict(personal_fields(m)) for m in models_with_personal_data()}
    assert declared == {
        "enterprises.Enterprise": {
            "legal_representative": "name",
            "contact_person": "name",
            "contact_phone": "phone",
        },
        "finance.Contact": {"name": "name", "phone": "phone", "email": "email"},
        "incubation.Incubator": {"contact_person": "name", "contact_phone": "phone"},
        "talent.Institution": {"contact_person": "name", "contact_phone": "phone"},
        "talent.Talent": {"name": "name", "phone": "phone", "email": "email"},
    }
    for model in models_with_personal_data():
        for field in personal_fields(model):
            assert model._meta.get_field(field).concrete
        app_label, codename = permission_for(model).split(".")
        assert Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists()
    assert permission_for(Talent) == "talent.view_personal_data"
    assert permission_for(Contact) == CONTACT_DATA_PERMISSION == "bureau.view_contact_data"


def test_every_model_with_personal_data_has_a_test_record():
    assert set(RECORDS) == set(models_with_personal_data())


def test_no_role_receives_the_unmasking_permissions(staff_user, leader_user, sysadmin_user):
    for model in models_with_personal_data():
        for user in (staff_user, leader_user):
            assert not user.has_perm(permission_for(model)), (user, model)
    staff_perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(group__name=Role.BUREAU_STAFF.group_name)
    }
    assert "talent.view_personal_data" not in staff_perms
    assert "bureau.view_contact_data" not in staff_perms
    assert "enterprises.change_enterprise" in staff_perms


@pytest.mark.parametrize(
    ("model", "path", "target"),
    [
        (Talent, "phone__startswith", (Talent, "phone")),
        (Talent, "-name", (Talent, "name")),
        (Talent, "enterprise__contact_phone__regex", (Enterprise, "contact_phone")),
        (Talent, "enterprise__name__startswith", None),
        (Enterprise, "talents__name", (Talent, "name")),
        (FinanceInstitution, "contacts__phone__contains", (Contact, "phone")),
        (Contact, "institution__name", None),
        (Talent, "pk", None),
        (Talent, "no_such_field", None),
    ],
)
def test_personal_target_follows_relations(model, path, target):
    assert personal_target(model, search_path(path)) == target


# --- Every admin is built on the mixin ---------------------------------------------------------


def test_every_admin_and_inline_is_built_on_the_personal_data_mixin():
    """Every admin of the portal's apps; third-party admins (auth groups, axes) hold no personal
    fields and are swept by the lookup test below like the others."""
    for model, model_admin in registered_admins():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        assert isinstance(model_admin, PersonalDataAdminMixin), model._meta.label
        for inline in model_admin.inlines:
            assert issubclass(inline, PersonalDataFormMixin), (model._meta.label, inline)


# --- No lookup, search, filter or ordering reaches personal data --------------------------------


def test_every_lookup_on_every_personal_path_is_refused_in_every_admin(staff_user):
    request = request_for(staff_user)
    checked = 0
    for model, model_admin in registered_admins():
        for path in personal_paths(model):
            for lookup in LOOKUPS:
                key = f"{path}__{lookup}"
                assert not model_admin.lookup_allowed(key, "1", request), (model, key)
                checked += 1
            assert not model_admin.lookup_allowed(path, "1", request), (model, path)
    # Talent, Enterprise, the two institutions, the incubator, the contacts and the records
    # pointing at them (applications, agreements, accounts, tenancies…).
    assert checked > 500


def test_the_permission_restores_lookups_on_the_models_own_fields(staff_user):
    for model in models_with_personal_data():
        grant(staff_user, model)
    request = request_for(staff_user)
    for model in models_with_personal_data():
        model_admin = admin.site._registry[model]
        for field in personal_fields(model):
            for lookup in LOOKUPS:
                assert model_admin.lookup_allowed(f"{field}__{lookup}", "1", request)


@pytest.mark.parametrize(
    "model", sorted(RECORDS, key=lambda m: m._meta.label), ids=lambda m: m._meta.label
)
def test_changelist_answers_400_to_personal_lookups(model, staff_client):
    RECORDS[model](secret_values(model))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for field, kind in personal_fields(model).items():
        response = staff_client.get(url, {f"{field}__startswith": SECRET[kind][:2]})
        assert response.status_code == 400, (model, field)


def test_search_filters_and_ordering_never_touch_personal_data(staff_user):
    request = request_for(staff_user)
    for model, model_admin in registered_admins():
        for search_field in model_admin.get_search_fields(request):
            assert personal_target(model, search_path(search_field)) is None, (model, search_field)
        for item in model_admin.get_list_filter(request):
            name = item[0] if isinstance(item, (list, tuple)) else item
            if isinstance(name, str):
                assert personal_target(model, name) is None, (model, name)
        for entry in model_admin.get_ordering(request) or model._meta.ordering:
            assert personal_target(model, str(entry)) is None, (model, entry)
        changelist = model_admin.get_changelist_instance(request)
        for column in changelist.list_display:
            try:
                order_field = changelist.get_ordering_field(column)
            except AttributeError:
                continue
            if order_field is not None:
                assert personal_target(model, str(order_field)) is None, (model, column)
        for entry in changelist.get_ordering(request, changelist.root_queryset):
            assert personal_target(model, str(entry).lstrip("-")) is None, (model, entry)
        for column in model_admin.get_sortable_by(request):
            if isinstance(column, str):
                assert personal_target(model, column) is None, (model, column)


def test_search_finds_personal_values_only_with_the_permission(staff_user, staff_client):
    for model in RECORDS:
        RECORDS[model](secret_values(model))
    for model in models_with_personal_data():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for kind in set(personal_fields(model).values()):
            response = staff_client.get(url, {"q": SECRET[kind]})
            assert response.status_code == 200
            assert response.context["cl"].result_count == 0, (model, kind)
    for model in models_with_personal_data():
        grant(staff_user, model)
    searchable = 0
    for model in models_with_personal_data():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        fields = admin.site._registry[model].search_fields
        for field, kind in personal_fields(model).items():
            if field in fields:
                assert staff_client.get(url, {"q": SECRET[kind]}).context["cl"].result_count >= 1
                searchable += 1
    assert searchable >= 5


# --- What the admin shows ---------------------------------------------------------------------


def assert_masked(body: str, model) -> None:
    for field, kind in personal_fields(model).items():
        assert SECRET[kind] not in body, (model, field)
    assert any(MASKED[kind] in body for kind in personal_fields(model).values()), model


@pytest.mark.parametrize(
    "model", sorted(RECORDS, key=lambda m: m._meta.label), ids=lambda m: m._meta.label
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_changelist_and_change_form_show_personal_data_masked(model, language, staff_client):
    record = RECORDS[model](secret_values(model))
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    changelist = staff_client.get(reverse(f"{info}_changelist"), **headers)
    change = staff_client.get(reverse(f"{info}_change", args=[record.pk]), **headers)
    assert changelist.status_code == change.status_code == 200
    for response in (changelist, change):
        for field, kind in personal_fields(model).items():
            assert SECRET[kind] not in response.content.decode(), (model, field, response)
    assert_masked(change.content.decode(), model)
    suffix = "（已脱敏）" if language == "zh-hans" else "(masked)"
    assert suffix in change.content.decode()


@pytest.mark.parametrize(
    "model", sorted(RECORDS, key=lambda m: m._meta.label), ids=lambda m: m._meta.label
)
def test_change_form_without_permission_keeps_the_stored_values(model, staff_client):
    """Saving the form (whose personal fields are read-only) changes nothing personal."""
    record = RECORDS[model](secret_values(model))
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    response = staff_client.get(reverse(f"{info}_change", args=[record.pk]))
    form = response.context["adminform"].form
    for field in personal_fields(model):
        assert field not in form.fields
    record.refresh_from_db()
    for field, kind in personal_fields(model).items():
        assert getattr(record, field) == SECRET[kind]


@pytest.mark.parametrize(
    "model", sorted(RECORDS, key=lambda m: m._meta.label), ids=lambda m: m._meta.label
)
def test_the_permission_shows_the_values(model, staff_user, staff_client):
    record = RECORDS[model](secret_values(model))
    grant(staff_user, model)
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    body = staff_client.get(reverse(f"{info}_change", args=[record.pk])).content.decode()
    for field, kind in personal_fields(model).items():
        assert SECRET[kind] in body, (model, field)


def test_leadership_and_system_admins_see_masked_even_with_the_permission(
    leader_user, sysadmin_user
):
    from bureau.personal_data import can_view_personal_data

    for user in (leader_user, sysadmin_user):
        for model in models_with_personal_data():
            grant(user, model)
        user = type(user).objects.get(pk=user.pk)
        for model in models_with_personal_data():
            assert not can_view_personal_data(user, model)


@pytest.mark.parametrize(
    "model", sorted(RECORDS, key=lambda m: m._meta.label), ids=lambda m: m._meta.label
)
def test_history_masks_changes_and_refuses_versions(model, staff_client):
    record = RECORDS[model](secret_values(model))
    for field, kind in personal_fields(model).items():
        setattr(record, field, SECRET[kind][::-1] if kind != "email" else "other@example.cn")
    record.save()
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    body = staff_client.get(reverse(f"{info}_history", args=[record.pk])).content.decode()
    for field, kind in personal_fields(model).items():
        assert SECRET[kind] not in body, (model, field)
        assert SECRET[kind][::-1] not in body, (model, field)
        assert mask_value(model, field, SECRET[kind]) in body, (model, field)
    version = record.history.earliest()
    response = staff_client.get(
        reverse(f"{info}_simple_history", args=[record.pk, version.history_id])
    )
    assert response.status_code == 403


def test_inline_contacts_are_masked_and_cannot_be_added_without_the_permission(
    staff_user, staff_client
):
    contact = RECORDS[Contact](secret_values(Contact))
    url = reverse("admin:finance_institution_change", args=[contact.institution_id])
    response = staff_client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert_masked(body, Contact)
    formsets = {f.formset.prefix: f for f in response.context["inline_admin_formsets"]}
    assert not formsets["contacts"].has_add_permission
    grant(staff_user, Contact)
    body = staff_client.get(url).content.decode()
    assert SECRET["phone"] in body and SECRET["name"] in body


def test_exports_leave_personal_columns_out_without_the_permission(staff_user):
    enterprise = RECORDS[Enterprise](secret_values(Enterprise))
    model_admin = admin.site._registry[Enterprise]
    queryset = Enterprise.objects.filter(pk=enterprise.pk)
    data = model_admin.get_data_for_export(request_for(staff_user), queryset)
    flat = " ".join(str(v) for row in data for v in row)
    assert enterprise.name in flat
    for kind in ("name", "phone"):
        assert SECRET[kind] not in flat
    assert not {"法定代表人", "联系人", "联系电话"} & set(data.headers)
    grant(staff_user, Enterprise)
    data = model_admin.get_data_for_export(request_for(staff_user), queryset)
    assert {"法定代表人", "联系人", "联系电话"} <= set(data.headers)
    assert SECRET["phone"] in " ".join(str(v) for row in data for v in row)


def test_a_related_lookup_is_refused_through_the_changelist_too(staff_client):
    InstitutionFactory(contact_phone=SECRET["phone"])
    response = staff_client.get(
        reverse("admin:talent_cooperationagreement_changelist"),
        {"institution__contact_phone__startswith": "138"},
    )
    assert response.status_code == 400


def test_refusal_is_the_admins_disallowed_lookup(staff_user):
    model_admin = admin.site._registry[Talent]
    request = request_for(staff_user, data={"phone__startswith": "138"})
    with pytest.raises(DisallowedModelAdminLookup):
        model_admin.get_changelist_instance(request)


def test_unmasked_admin_rows_are_logged_for_the_roster(staff_user, staff_client):
    from talent.models import PersonalDataAccess

    TalentFactory(**secret_values(Talent), registered_on=datetime.date(2024, 1, 5))
    staff_client.get(reverse("admin:talent_talent_changelist"))
    assert not PersonalDataAccess.objects.exists()
    grant(staff_user, Talent)
    staff_client.get(reverse("admin:talent_talent_changelist"))
    assert PersonalDataAccess.objects.filter(user=staff_user, context="admin_list").count() == 1
