"""Two-factor sign-in (等保 身份鉴别): the attacks an assessor tries, and the sign-in journey.

MFA is required whenever DEBUG is false; the test settings load with DEBUG true (pytest-django
only flips DEBUG at run time), so the rest of the suite signs in with a password alone and these
tests switch `MFA_REQUIRED` on, as production has it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.mfa import check_mfa_required
from audit.models import EventKind, SecurityEvent
from bureau.roles import Role
from tests.bureau.test_access_matrix import ROUTES, _concrete
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Secret-pass-2024"


@pytest.fixture
def mfa_on(settings):
    settings.MFA_REQUIRED = True
    return settings


def enrol(user) -> TOTPDevice:
    """A confirmed authenticator named as two_factor's default device."""
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def current_token(device: TOTPDevice) -> str:
    """The six digits the user's authenticator app shows now (django_otp's own TOTP)."""
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    clock.time = time.time()
    return f"{clock.token():0{device.digits}d}"


def password_step(client: Client, username: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, **extra)


def token_step(client: Client, token: str, step: str = "token", **extra):
    return client.post(
        reverse("login"),
        {"login_view-current_step": step, f"{step}-otp_token": token},
        **extra,
    )


# The admin sends the anonymous to its login address, which redirects to the two-step sign-in.
SIGN_IN = ("/accounts/login/", "/admin/login/")
MFA_PERSONAS = [
    Role.BUREAU_STAFF,
    Role.LEADERSHIP,
    Role.SYSTEM_ADMIN,
    Role.SECURITY_ADMIN,
    Role.AUDIT_ADMIN,
]
STAFF_ROUTES = [
    _concrete(route)
    for route, name, callback in ROUTES
    if set(getattr(callback, "allowed_roles", ())) & set(MFA_PERSONAS)
]


@pytest.mark.parametrize("role", MFA_PERSONAS, ids=[r.group_name for r in MFA_PERSONAS])
def test_correct_password_without_token_opens_no_staff_page_nor_the_admin(mfa_on, role):
    user = UserFactory(username=f"u_{role.group_name}", role=role)
    enrol(user)
    client = Client()
    response = password_step(client, user.username)
    # The password alone leads to the token step, not into the portal.
    assert response.status_code == 200
    assert 'name="token-otp_token"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    for url in ["/admin/", "/staff/", *STAFF_ROUTES]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SIGN_IN), url


def test_password_only_session_is_sent_back_to_sign_in_on_every_staff_url(mfa_on, staff_user):
    """A session signed in some other way than the two-step form (the admin's password form,
    a stolen password-only session) opens nothing and is ended."""
    enrol(staff_user)
    for url in ["/admin/", "/staff/", *STAFF_ROUTES]:
        client = Client()
        client.force_login(staff_user)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SIGN_IN), url
        assert "_auth_user_id" not in client.session, url
    assert SecurityEvent.objects.filter(
        kind=EventKind.MFA_FAILED, username="staff", detail__reason="session_not_verified"
    ).exists()


def test_not_enrolled_staff_is_sent_to_enrolment_before_any_page(mfa_on, leader_user):
    client = Client()
    response = password_step(client, leader_user.username)
    assert response.status_code == 302
    for url in ["/dashboard/", "/admin/", reverse("password_change")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor:setup")), url
    assert client.get(reverse("two_factor:setup")).status_code == 200


def test_enterprise_user_need_not_enrol(mfa_on, enterprise_client):
    assert enterprise_client.get("/portal/").status_code == 200


def test_correct_token_signs_in_and_is_logged(mfa_on, staff_user):
    device = enrol(staff_user)
    client = Client()
    password_step(client, "staff")
    response = token_step(client, current_token(device))
    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/staff/").status_code == 200
    assert client.get("/admin/").status_code == 200
    login = SecurityEvent.objects.filter(kind=EventKind.LOGIN, username="staff").get()
    assert login.detail["mfa"] == "totpdevice"


def test_wrong_token_is_refused_and_logged(mfa_on, staff_user):
    device = enrol(staff_user)
    client = Client()
    password_step(client, "staff", REMOTE_ADDR="10.1.2.3")
    wrong = f"{(int(current_token(device)) + 1) % 1000000:06d}"
    response = token_step(client, wrong, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert "动态口令错误" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = SecurityEvent.objects.get(kind=EventKind.MFA_FAILED)
    assert (event.username, event.ip, event.detail["method"]) == ("staff", "10.1.2.3", "totp")
    assert not SecurityEvent.objects.filter(kind=EventKind.LOGIN).exists()
    # An empty token is no way round it where MFA is required.
    response = token_step(client, "", REMOTE_ADDR="10.1.2.3")
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=EventKind.MFA_FAILED).count() == 2


def test_wrong_tokens_count_towards_the_address_throttle(mfa_on, settings, staff_user):
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    device = enrol(staff_user)
    client = Client()
    password_step(client, "staff", REMOTE_ADDR="10.4.4.4")
    for _ in range(3):
        token_step(
            client,
            "000000" if current_token(device) != "000000" else "111111",
            REMOTE_ADDR="10.4.4.4",
        )
    response = token_step(client, current_token(device), REMOTE_ADDR="10.4.4.4")
    assert response.status_code == 429


def test_backup_code_works_once(mfa_on, staff_user):
    enrol(staff_user)
    backup = StaticDevice.objects.create(user=staff_user, name="backup")
    backup.token_set.create(token="abcd2345")
    backup.token_set.create(token="efgh6789")
    client = Client()
    password_step(client, "staff")
    response = client.post(reverse("login"), {"wizard_goto_step": "backup"})
    assert 'name="backup-otp_token"' in response.content.decode()
    response = token_step(client, "abcd2345", step="backup")
    assert response.status_code == 302 and client.get("/staff/").status_code == 200
    used = SecurityEvent.objects.get(kind=EventKind.MFA_BACKUP_USED)
    assert (used.username, used.detail["remaining"]) == ("staff", 1)

    again = Client()
    password_step(again, "staff")
    again.post(reverse("login"), {"wizard_goto_step": "backup"})
    response = token_step(again, "abcd2345", step="backup")
    assert response.status_code == 200 and "_auth_user_id" not in again.session
    assert SecurityEvent.objects.filter(kind=EventKind.MFA_FAILED, detail__method="backup").exists()


def test_enrolment_with_a_computed_token_verifies_the_session_and_is_logged(mfa_on, staff_user):
    client = Client()
    password_step(client, "staff")
    setup = reverse("two_factor:setup")
    assert client.get(setup).status_code == 200
    response = client.post(setup, {"setup_view-current_step": "welcome"})
    html = response.content.decode()
    assert reverse("two_factor:qr") in html
    key = client.session["django_two_factor-qr_secret_key"]
    qr = client.get(reverse("two_factor:qr"))
    assert qr["Content-Type"].startswith("image/svg+xml") and b"<svg" in qr.content
    from base64 import b32decode

    probe = TOTPDevice(key=b32decode(key + "=" * (-len(key) % 8)).hex())
    response = client.post(
        setup, {"setup_view-current_step": "generator", "generator-token": current_token(probe)}
    )
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=staff_user)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/staff/").status_code == 200
    event = SecurityEvent.objects.get(kind=EventKind.MFA_CHANGED, detail__action="enrolled")
    assert (event.username, event.detail["device"]) == ("staff", "totpdevice")

    response = client.post(reverse("two_factor:backup_tokens"))
    assert response.status_code == 302
    assert StaticDevice.objects.get(user=staff_user).token_set.count() == 10
    assert SecurityEvent.objects.filter(detail__action="backup_codes_generated").exists()


def test_removing_the_authenticator_is_logged_and_enrolment_is_asked_again(mfa_on, staff_user):
    device = enrol(staff_user)
    client = Client()
    password_step(client, "staff")
    token_step(client, current_token(device))
    response = client.post(reverse("two_factor:disable"), {"understand": "on"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff_user).exists()
    event = SecurityEvent.objects.get(kind=EventKind.MFA_CHANGED, detail__action="removed")
    assert event.username == "staff"
    assert client.get("/staff/")["Location"].startswith(reverse("two_factor:setup"))


def test_password_expiry_still_applies_after_the_token(mfa_on, settings, staff_user):
    from datetime import timedelta

    from django.utils import timezone

    from audit.models import PasswordHistory

    PasswordHistory.objects.filter(user=staff_user).update(
        changed_at=timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)
    )
    device = enrol(staff_user)
    client = Client()
    password_step(client, "staff")
    # Before the token, the password change is not open either.
    assert client.get(reverse("password_change"))["Location"].startswith(SIGN_IN)
    token_step(client, current_token(device))
    assert client.get("/staff/")["Location"] == reverse("password_change")


def test_offered_not_required_a_token_may_be_left_empty(settings, staff_user):
    settings.MFA_REQUIRED = False
    device = enrol(staff_user)
    client = Client()
    response = password_step(client, "staff")
    assert "可以留空直接登录" in response.content.decode()
    response = token_step(client, "")
    assert response.status_code == 302 and client.get("/staff/").status_code == 200
    # ... and a wrong one is still refused.
    other = Client()
    password_step(other, "staff")
    token_step(other, f"{(int(current_token(device)) + 1) % 1000000:06d}")
    assert "_auth_user_id" not in other.session


def test_enterprise_user_may_enrol(enterprise_client):
    assert enterprise_client.get(reverse("two_factor:setup")).status_code == 200
    assert enterprise_client.get(reverse("two_factor:profile")).status_code == 200


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_token_step_speaks_the_users_language(mfa_on, staff_user, language):
    enrol(staff_user)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    html = password_step(client, "staff").content.decode()
    expected = "动态口令" if language == "zh-hans" else "authenticator"
    assert expected in html
    if language == "en":
        assert "动态口令" not in html


def test_system_check_refuses_mfa_off_without_debug(settings):
    settings.DEBUG = False
    settings.MFA_REQUIRED = False
    assert [e.id for e in check_mfa_required(None)] == ["audit.E001"]
    settings.MFA_REQUIRED = True
    assert check_mfa_required(None) == []


def test_mfa_cannot_be_switched_off_when_debug_is_false():
    env = {
        **os.environ,
        "DEBUG": "false",
        "MFA_REQUIRED": "false",
        "SECRET_KEY": "y" * 60,
        "DJANGO_SETTINGS_MODULE": "bureau.settings",
    }
    code = "import django; django.setup(); from django.conf import settings; print(settings.MFA_REQUIRED)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr


def test_demo_accounts_print_an_authenticator_that_signs_in(mfa_on):
    import io
    from urllib.parse import parse_qs, urlparse

    from django.core.management import call_command

    from enterprises.demo import demo_code
    from tests.factories import EnterpriseFactory

    EnterpriseFactory(credit_code=demo_code(0))
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    rows = [line.split() for line in out.getvalue().splitlines() if "用户名" in line]
    lines = {parts[2]: parts for parts in rows}
    assert len(lines["demo_enterprise"]) == 5  # enterprise users enrol themselves if they wish
    for username in ("demo_staff", "demo_leader", "demo_admin", "demo_security", "demo_auditor"):
        parts = lines[username]
        assert parts[5] == "动态口令" and parts[6].startswith("otpauth://totp/")
        secret = parse_qs(urlparse(parts[6]).query)["secret"][0]
        device = TOTPDevice.objects.get(user__username=username)
        from base64 import b32decode

        assert b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
        client = Client()
        client.post(reverse("login"), {"username": username, "password": parts[4]})
        response = token_step(client, current_token(device))
        assert response.status_code == 302, username
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # Printed once: a second run prints neither passwords nor URIs.
    again = io.StringIO()
    call_command("create_demo_accounts", stdout=again)
    assert "otpauth://" not in again.getvalue()
