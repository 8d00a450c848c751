"""Passwords and sessions (等保 身份鉴别): complexity, history, expiry, reset, limits, throttling."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import EventKind, PasswordHistory, SecurityEvent
from audit.passwords import character_classes
from audit.sessions import STARTED
from bureau.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = "Blue-River-2031"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefghij", 1),
        ("abcdeFGHIJ", 2),
        ("abcdeFGH12", 3),
        ("abcdeFGH1!", 4),
        ("密码abcDEF12", 4),
    ],
)
def test_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "10"),  # too short (Django's own message)
        ("abcdefghijk", "至少3类"),
        ("abcdefGHIJK", "至少3类"),
        ("Password123", "太常见"),
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_reason(password, message):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert any(message in m for m in exc.value.messages), exc.value.messages


def test_none_of_the_last_five_passwords_can_come_back():
    user = UserFactory(username="rotator", role=Role.BUREAU_STAFF)
    used = [f"Blue-River-{n}x" for n in range(6)]
    for password in used:
        validate_password(password, user)
        user.set_password(password)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for recent in used[1:]:
        with pytest.raises(ValidationError, match="最近5次"):
            validate_password(recent, user)
    validate_password(used[0], user)  # the sixth-last is allowed again


@pytest.mark.parametrize(
    "role", [Role.BUREAU_STAFF, Role.LEADERSHIP, Role.ENTERPRISE_USER, Role.SYSTEM_ADMIN]
)
def test_every_role_can_change_its_password(role):
    user = UserFactory(username=f"u-{role.group_name}", role=role)
    user.set_password("Old-Passw0rd!")
    user.save()
    client = Client()
    client.force_login(user)
    url = reverse("password_change")
    assert client.get(url).status_code == 200
    weak = client.post(
        url,
        {
            "old_password": "Old-Passw0rd!",
            "new_password1": "abcdefghijk",
            "new_password2": "abcdefghijk",
        },
    )
    assert "至少3类" in weak.content.decode()
    done = client.post(
        url, {"old_password": "Old-Passw0rd!", "new_password1": GOOD, "new_password2": GOOD}
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(GOOD)
    assert SecurityEvent.objects.filter(
        kind=EventKind.PASSWORD_CHANGED, username=user.username
    ).exists()


def test_a_forgotten_password_is_reset_through_an_emailed_link():
    user = UserFactory(username="forgetful", role=Role.ENTERPRISE_USER, email="finance@example.org")
    client = Client()
    response = client.post(reverse("password_reset"), {"email": "finance@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["finance@example.org"] and "重设密码" in message.subject
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(set_url, {"new_password1": GOOD, "new_password2": GOOD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD)
    # An unknown address gets the same answer and no e-mail.
    client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert len(mail.outbox) == 1


def _aged(user, days: int) -> None:
    PasswordHistory.objects.filter(user=user).update(
        changed_at=timezone.now() - timedelta(days=days)
    )
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))


def test_staff_with_a_90_day_old_password_change_it_before_anything_else():
    user = UserFactory(username="oldstaff", role=Role.BUREAU_STAFF)
    user.set_password("Old-Passw0rd!")
    user.save()
    _aged(user, 91)
    client = Client()
    assert (
        client.post(
            reverse("login"), {"username": "oldstaff", "password": "Old-Passw0rd!"}
        ).status_code
        == 302
    )
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    client.post(
        reverse("password_change"),
        {"old_password": "Old-Passw0rd!", "new_password1": GOOD, "new_password2": GOOD},
        follow=True,
    )
    assert client.get(reverse("staff_home")).status_code == 200


def test_enterprise_users_are_not_forced_to_rotate(enterprise_user):
    enterprise_user.set_password("Old-Passw0rd!")
    enterprise_user.save()
    _aged(enterprise_user, 400)
    client = Client()
    client.post(
        reverse("login"), {"username": enterprise_user.username, "password": "Old-Passw0rd!"}
    )
    assert client.get(reverse("enterprises:portal_home")).status_code == 200


def test_a_session_ends_eight_hours_after_sign_in_however_active(staff_client):
    assert staff_client.get(reverse("staff_home")).status_code == 200
    session = staff_client.session
    session[STARTED] = (timezone.now() - timedelta(hours=8, minutes=1)).timestamp()
    session.save()
    response = staff_client.get(reverse("staff_home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert staff_client.get(reverse("staff_home")).status_code == 302
    assert SecurityEvent.objects.filter(
        kind=EventKind.LOGOUT, detail__reason="absolute_session_limit"
    ).exists()


def test_one_address_spraying_user_names_is_throttled(settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    attacker, neighbour = Client(REMOTE_ADDR="198.51.100.9"), Client(REMOTE_ADDR="198.51.100.10")
    for n in range(3):
        r = attacker.post(reverse("login"), {"username": f"guess{n}", "password": "x"})
        assert r.status_code == 200
    blocked = attacker.post(
        reverse("login"),
        {"username": "guess9", "password": "x"},
        HTTP_X_FORWARDED_FOR="203.0.113.1",
    )
    assert blocked.status_code == 429 and "登录失败次数过多" in blocked.content.decode()
    assert (
        neighbour.post(reverse("login"), {"username": "guess0", "password": "x"}).status_code == 200
    )
