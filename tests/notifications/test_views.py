"""The bell, the list, mark read and preferences, as each user meets them: only one's own."""

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import Kind, Notification, Preference

pytestmark = pytest.mark.django_db


def notices(user, n: int, kind: str = Kind.SIGNING) -> list[Notification]:
    return [services.notify([user], kind, f"消息{i}", "正文", "/portal/")[0] for i in range(n)]


def bell_count(page: str) -> str | None:
    import re

    match = re.search(r"data-bell-count>(\d+)<", page)
    return match.group(1) if match else None


def test_the_bell_shows_the_unread_count(enterprise_client, enterprise_user):
    notices(enterprise_user, 3)
    services.mark_read(enterprise_user, Notification.objects.first().pk)
    page = enterprise_client.get("/portal/").content.decode()
    assert bell_count(page) == "2"


def test_no_count_without_unread(enterprise_client):
    page = enterprise_client.get("/portal/").content.decode()
    assert 'href="/notifications/"' in page
    assert bell_count(page) is None


@pytest.mark.parametrize("n", [0, 25])
def test_the_bell_costs_no_query_of_its_own(n, staff_client, staff_user, django_assert_num_queries):
    """The count comes with the user (notifications.backends): a page with 25 unread costs what
    it costs with none. /notifications/preferences/: session, user (with the count), groups,
    preferences, the user's enterprise account (where SMS go: none for staff); the session saved
    (savepoint, update, release)."""
    notices(staff_user, n)
    with django_assert_num_queries(8):
        response = staff_client.get("/notifications/preferences/")
    assert bell_count(response.content.decode()) == (str(n) if n else None)


@pytest.mark.parametrize("n", [3, 40])
def test_list_queries_do_not_grow(n, enterprise_client, enterprise_user, django_assert_num_queries):
    notices(enterprise_user, n)
    # session, user, groups, count for the pager, the page of notifications, session saved (3)
    with django_assert_num_queries(8):
        response = enterprise_client.get("/notifications/")
    assert response.status_code == 200
    assert response.content.decode().count("data-notification=") == min(n, 30)


def test_list_shows_only_ones_own(enterprise_client, enterprise_user, outsider_user):
    notices(enterprise_user, 1)
    services.notify([outsider_user], Kind.SIGNING, "别家的签约消息")
    page = enterprise_client.get("/notifications/").content.decode()
    assert "消息0" in page and "别家的签约消息" not in page


def test_mark_one_read_and_open_goes_to_its_page(enterprise_client, enterprise_user):
    [n] = notices(enterprise_user, 1)
    response = enterprise_client.post(reverse("notifications:read", args=[n.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == "/portal/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_needs_a_post(enterprise_client, enterprise_user):
    [n] = notices(enterprise_user, 1)
    assert enterprise_client.get(reverse("notifications:read", args=[n.pk])).status_code == 405
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_read_is_protected_by_csrf(enterprise_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(enterprise_user)
    [n] = notices(enterprise_user, 1)
    assert client.post(reverse("notifications:read", args=[n.pk])).status_code == 403
    n.refresh_from_db()
    assert n.read_at is None


def test_another_users_notification_by_id_is_404(outsider_client, enterprise_user):
    [n] = notices(enterprise_user, 1)
    response = outsider_client.post(reverse("notifications:read", args=[n.pk]), {"open": "1"})
    assert response.status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_touches_only_ones_own(enterprise_client, enterprise_user, outsider_user):
    notices(enterprise_user, 3)
    [other] = notices(outsider_user, 1)
    response = enterprise_client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=enterprise_user, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_preferences_form_saves_the_choices(enterprise_client, enterprise_user):
    page = enterprise_client.get("/notifications/preferences/").content.decode()
    assert 'name="filing_reminder-sms" aria-label="短信" checked' in page
    data = {f"{k}-email": "on" for k in Kind.values if k != Kind.SIGNING}
    response = enterprise_client.post("/notifications/preferences/", data)
    assert response.status_code == 302
    prefs = {p.kind: (p.email, p.sms) for p in Preference.objects.filter(user=enterprise_user)}
    assert prefs[Kind.SIGNING] == (False, False)
    assert prefs[Kind.FILING_REMINDER] == (True, False)
    assert services.channels_for([enterprise_user], Kind.FILING_REMINDER)[enterprise_user.pk] == {
        "email"
    }


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ["消息通知", "全部标为已读", "融资签约已登记"]),
        ("en", ["Notifications", "Mark all read", "Financing signing recorded"]),
    ],
)
def test_pages_render_in_both_languages(enterprise_client, enterprise_user, language, words):
    notices(enterprise_user, 1)
    enterprise_client.cookies["django_language"] = language
    page = enterprise_client.get("/notifications/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words:
        assert word in page
    prefs = enterprise_client.get("/notifications/preferences/", HTTP_ACCEPT_LANGUAGE=language)
    assert prefs.status_code == 200
