"""Login, lockout after five failures, idle expiry, the portal's own login look."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


def test_login_page_is_the_portals_own(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "登录科技金融局业务平台" in html and "/static/bureau/portal.css" in html
    assert "django-admin" not in html


def test_login_redirects_each_role_home(client, enterprise_user):
    response = client.post(
        "/accounts/login/", {"username": "ent", "password": "Secret-pass-2024"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/portal/"


def test_five_failures_lock_the_account(client, staff_user):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "staff", "password": "nope"})
    response = client.post(
        "/accounts/login/", {"username": "staff", "password": "Secret-pass-2024"}
    )
    assert response.status_code == 429
    assert "账号已被暂时锁定" in response.content.decode()


def test_four_failures_do_not_lock(client, staff_user):
    for _ in range(4):
        client.post("/accounts/login/", {"username": "staff", "password": "nope"})
    response = client.post(
        "/accounts/login/", {"username": "staff", "password": "Secret-pass-2024"}
    )
    assert response.status_code == 302


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_request_renews_the_session(client, staff_user):
    client.post("/accounts/login/", {"username": "staff", "password": "Secret-pass-2024"})
    first = client.session.get_expiry_date()
    client.get("/staff/")
    assert client.session.get_expiry_date() >= first


@pytest.mark.parametrize("password", ["12345678", "password", "short"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_logout_is_post_and_shows_portal_page(staff_client):
    response = staff_client.post("/accounts/logout/")
    assert response.status_code == 200
    assert "您已安全退出" in response.content.decode()
    assert staff_client.get("/staff/").status_code == 302
