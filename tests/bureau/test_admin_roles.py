"""三权分立: system, security and audit administrators, separate and exclusive."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bureau.models import User
from bureau.roles import ADMIN_ROLES, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "domain data": "admin:enterprises_enterprise_changelist",
    "reference data": "admin:bureau_activitykind_changelist",
    "accounts": "admin:bureau_user_changelist",
    "groups": "admin:auth_group_changelist",
    "security log": "admin:audit_securityevent_changelist",
    "security log export": "admin:audit_securityevent_export",
    "personal-data log": "admin:talent_personaldataaccess_changelist",
}
ALLOWED = {
    Role.SYSTEM_ADMIN: {"domain data", "reference data"},
    Role.SECURITY_ADMIN: {"accounts", "groups"},
    Role.AUDIT_ADMIN: {"security log", "security log export", "personal-data log"},
    Role.BUREAU_STAFF: {"domain data", "reference data"},
}


def _client(role: Role) -> Client:
    user = UserFactory(username=f"x-{role.group_name}", role=role)
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", list(ALLOWED))
def test_each_administrator_reaches_only_its_own_pages(role):
    client = _client(role)
    for page, name in PAGES.items():
        status = client.get(reverse(name)).status_code
        expected = 200 if page in ALLOWED[role] else 403
        assert status == expected, f"{role.group_name} on {page}: {status}"


def test_the_audit_admin_only_reads():
    client = _client(Role.AUDIT_ADMIN)
    assert client.get(reverse("admin:audit_securityevent_add")).status_code == 403
    assert client.get(reverse("admin:talent_personaldataaccess_add")).status_code == 403


def test_no_account_holds_two_administrator_roles():
    user = UserFactory(username="both", role=Role.SYSTEM_ADMIN)
    audit = Group.objects.get(name=Role.AUDIT_ADMIN.group_name)
    with pytest.raises(ValidationError, match="三权分立"), transaction.atomic():
        user.groups.add(audit)
    with pytest.raises(ValidationError, match="三权分立"), transaction.atomic():
        audit.user_set.add(user)
    assert [r for r in ADMIN_ROLES if user.groups.filter(name=r.group_name).exists()] == [
        Role.SYSTEM_ADMIN
    ]


def test_the_user_admin_refuses_two_administrator_roles_and_the_superuser_flag():
    security = _client(Role.SECURITY_ADMIN)
    target = UserFactory(username="target", role=Role.BUREAU_STAFF)
    url = reverse("admin:bureau_user_change", args=[target.pk])
    groups = Group.objects.filter(
        name__in=[Role.SYSTEM_ADMIN.group_name, Role.AUDIT_ADMIN.group_name]
    )
    response = security.post(
        url,
        {
            "username": "target",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [g.pk for g in groups],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 200
    assert "三权分立" in response.content.decode()
    target.refresh_from_db()
    assert not target.is_superuser
    page = security.get(url).content.decode()
    assert 'name="is_superuser"' not in page  # shown read-only


def test_create_admin_accounts_makes_three_exclusive_non_superusers():
    out = io.StringIO()
    call_command("create_admin_accounts", stdout=out)
    for role, name in [
        (Role.SYSTEM_ADMIN, "sysadmin"),
        (Role.SECURITY_ADMIN, "secadmin"),
        (Role.AUDIT_ADMIN, "auditadmin"),
    ]:
        user = User.objects.get(username=name)
        assert not user.is_superuser and user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [role.group_name]
        assert name in out.getvalue()
    assert not User.objects.filter(is_superuser=True).exists()
