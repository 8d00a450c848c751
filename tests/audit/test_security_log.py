"""The security log: what is recorded, that nothing can change it, and the client address."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from audit.models import AppendOnlyError, EventKind, SecurityEvent
from audit.network import client_ip
from bureau.roles import Role
from tests.conftest import require_service
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Kj7#mQ2v!pLx"


def _kinds(**filters) -> list[str]:
    return list(
        SecurityEvent.objects.filter(**filters).order_by("pk").values_list("kind", flat=True)
    )


@pytest.fixture
def person(db):
    user = UserFactory(username="clerk", role=Role.BUREAU_STAFF)
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client: Client, password: str, username: str = "clerk"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.9.8.7"
    )


def test_login_failure_success_and_logout_are_recorded_and_failures_kept(person):
    client = Client()
    _login(client, "wrong-password")
    _login(client, PASSWORD)
    client.post(reverse("logout"))
    logins = [EventKind.LOGIN_FAILED, EventKind.LOGIN, EventKind.LOGOUT]
    assert _kinds(username="clerk", kind__in=logins) == [
        EventKind.LOGIN_FAILED,
        EventKind.LOGIN,
        EventKind.LOGOUT,
    ]
    failed = SecurityEvent.objects.get(kind=EventKind.LOGIN_FAILED)
    assert failed.ip == "10.9.8.7" and failed.user_id is None
    assert PASSWORD not in str(failed.detail) and "wrong-password" not in str(failed.detail)


def test_a_lockout_is_recorded(person, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _login(client, "wrong-password")
    assert EventKind.LOCKOUT in _kinds(username="clerk")
    assert _kinds(username="clerk").count(EventKind.LOGIN_FAILED) >= settings.AXES_FAILURE_LIMIT


def test_password_role_and_permission_changes_carry_old_and_new_values(person):
    before = SecurityEvent.objects.filter(pk__gt=0).order_by("-pk").values_list("pk", flat=True)
    start = before[0] if before else 0
    person.set_password("An0ther#Passw0rd")
    person.save()
    leaders = Group.objects.get(name=Role.LEADERSHIP.group_name)
    person.groups.add(leaders)
    perm = Permission.objects.get(codename="view_personal_data")
    person.user_permissions.add(perm)
    person.is_superuser = True
    person.save()

    events = list(SecurityEvent.objects.filter(username="clerk", pk__gt=start).order_by("pk"))
    kinds = [e.kind for e in events]
    assert kinds.count(EventKind.PASSWORD_CHANGED) == 1
    groups = next(e for e in events if e.kind == EventKind.ROLE_CHANGED and "new" in e.detail)
    assert groups.detail["old"] == [Role.BUREAU_STAFF.group_name]
    assert groups.detail["new"] == sorted(
        [Role.BUREAU_STAFF.group_name, Role.LEADERSHIP.group_name]
    )
    perms = next(e for e in events if e.kind == EventKind.PERMISSION_CHANGED)
    assert perms.detail == {
        "target": f"bureau.User:{person.pk}",
        "old": [],
        "new": ["view_personal_data"],
    }
    flags = next(e for e in events if e.kind == EventKind.ROLE_CHANGED and "flags" in e.detail)
    assert flags.detail["flags"] == {"is_superuser": {"old": False, "new": True}}


def test_a_group_permission_change_is_recorded():
    group = Group.objects.create(name="临时组")
    perm = Permission.objects.filter(codename__startswith="view_").first()
    group.permissions.add(perm)
    event = SecurityEvent.objects.get(
        kind=EventKind.PERMISSION_CHANGED, detail__target=f"auth.Group:{group.pk}"
    )
    assert event.detail["new"] == [perm.codename]


def test_downloads_uploads_refusals_and_anothers_id_are_recorded(
    staff_client, leader_client, enterprise_client, other_enterprise
):
    staff_client.get(reverse("reports:template_default"))
    download = SecurityEvent.objects.get(kind=EventKind.DOWNLOAD)
    assert download.username == "staff" and download.detail["file"].endswith(".docx")
    assert download.path == reverse("reports:template_default")

    leader_client.post(reverse("reports:template_upload"), {"name": "x"})
    assert SecurityEvent.objects.filter(kind=EventKind.ACCESS_DENIED, username="leader").exists()

    response = enterprise_client.get(reverse("enterprises:detail", args=[other_enterprise.pk]))
    assert response.status_code in (403, 404)
    assert SecurityEvent.objects.filter(
        kind__in=[EventKind.ACCESS_DENIED, EventKind.NOT_FOUND], username="ent"
    ).exists()


def test_an_upload_is_recorded_with_its_name_and_size(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff_client.post(
        reverse("reports:template_upload"),
        {"name": "坏", "file": SimpleUploadedFile("bad.docx", b"not a zip")},
    )
    event = SecurityEvent.objects.get(kind=EventKind.UPLOAD)
    assert event.detail["files"] == [{"field": "file", "name": "bad.docx", "bytes": 9}]
    assert event.status == 200  # refused on the page, and still recorded


def test_no_row_can_be_changed_or_deleted_through_the_orm():
    event = SecurityEvent.objects.create(kind=EventKind.LOGIN, username="x")
    event.username = "y"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.filter(pk=event.pk).update(username="y")
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.filter(pk=event.pk).delete()
    assert SecurityEvent.objects.get(pk=event.pk).username == "x"


def test_no_role_can_add_change_or_delete_through_the_admin(admin_client):
    event = SecurityEvent.objects.create(kind=EventKind.LOGIN, username="x")
    assert admin_client.get(reverse("admin:audit_securityevent_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:audit_securityevent_add")).status_code == 403
    delete = reverse("admin:audit_securityevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:audit_securityevent_change", args=[event.pk])
    admin_client.post(change, {"username": "y"})
    assert SecurityEvent.objects.get(pk=event.pk).username == "x"


def test_bureau_roles_cannot_read_the_log(staff_client, leader_client):
    url = reverse("admin:audit_securityevent_changelist")
    assert staff_client.get(url).status_code in (302, 403)
    assert leader_client.get(url).status_code in (302, 403)


def test_on_postgresql_a_trigger_refuses_update_and_delete_for_the_application_role():
    require_service("PostgreSQL", connection.vendor == "postgresql", "the suite runs on SQLite")
    from django.db import DatabaseError, transaction

    event = SecurityEvent.objects.create(kind=EventKind.LOGIN, username="x")
    with connection.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cur.fetchone()[0] is False, "the application's role must not be a superuser"
    for sql in (
        "UPDATE audit_securityevent SET username = 'y' WHERE id = %s",
        "DELETE FROM audit_securityevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql, [event.pk])
    assert SecurityEvent.objects.get(pk=event.pk).username == "x"


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.5", "", [], "203.0.113.5"),
        ("203.0.113.5", "1.2.3.4", [], "203.0.113.5"),  # an untrusted peer cannot claim an address
        ("10.0.0.2", "198.51.100.7", ["10.0.0.0/8"], "198.51.100.7"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.7", ["10.0.0.0/8"], "198.51.100.7"),  # spoofed left hop
        ("10.0.0.2", "198.51.100.7, 10.0.0.3", ["10.0.0.0/8"], "198.51.100.7"),
        ("10.0.0.2", "not-an-ip", ["10.0.0.0/8"], "10.0.0.2"),
    ],
)
def test_client_address_believes_only_trusted_proxies(remote, forwarded, trusted, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXIES=trusted):
        assert client_ip(request) == expected


def _grant(user, model) -> None:
    from bureau.personal_data import permission_for

    app_label, codename = permission_for(model).split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )


def test_an_unmasked_page_view_of_contact_data_is_one_security_event(staff_user, staff_client):
    from enterprises.models import Enterprise
    from tests.factories import EnterpriseFactory

    firm = EnterpriseFactory(contact_person="王建国", contact_phone="13912345678")
    url = reverse("enterprises:detail", args=[firm.pk])
    staff_client.get(url)
    assert not SecurityEvent.objects.filter(kind=EventKind.PERSONAL_DATA).exists()  # masked
    _grant(staff_user, Enterprise)
    assert "13912345678" in staff_client.get(url).content.decode()
    event = SecurityEvent.objects.get(kind=EventKind.PERSONAL_DATA)
    assert event.username == "staff" and event.path == url
    assert event.detail["model"] == "enterprises.Enterprise" and event.detail["ids"] == [firm.pk]


def test_an_unmasked_roster_read_in_the_admin_is_in_the_security_log(staff_user, staff_client):
    from talent.models import Talent
    from tests.talent.factories import TalentFactory

    talents = TalentFactory.create_batch(3)
    _grant(staff_user, Talent)
    assert staff_client.get(reverse("admin:talent_talent_changelist")).status_code == 200
    event = SecurityEvent.objects.get(kind=EventKind.PERSONAL_DATA)
    assert event.detail["model"] == "talent.Talent"
    assert sorted(event.detail["ids"]) == sorted(t.pk for t in talents)
