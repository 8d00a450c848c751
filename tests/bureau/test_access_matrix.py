"""Every URL the project defines, for every role: allowed, or refused (302 to login / 403).

The URL list is read from the resolver, so views that later issues add are covered without
editing this file. A view must declare its roles (bureau.access.role_required or
enterprise_user_required); an undeclared view fails here unless it is a known public one.
"""

import re

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from bureau.roles import ACCOUNT_MODELS, AUDIT_MODELS, Role

pytestmark = pytest.mark.django_db

# Views reachable without a role check of ours: auth pages, language switch, the role router.
PUBLIC = {
    "login",
    "logout",
    "set_language",
    "home",
    "favicon",  # /favicon.ico, asked for by browsers before anyone signs in
    # Every role changes its own password (login required by Django's views); reset is public.
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # Each user's own second factor (login required by the views; audit/mfa_views.py).
    "two_factor:profile",
    "two_factor:setup",
    "two_factor:qr",
    "two_factor:setup_complete",
    "two_factor:backup_tokens",
    "two_factor:disable",
    "admin_login_redirect",
}
PERSONAS = ["anonymous", "staff", "leader", "sysadmin", "enterprise", "outsider"]
ROLE_OF = {
    "staff": Role.BUREAU_STAFF,
    "leader": Role.LEADERSHIP,
    "sysadmin": Role.SYSTEM_ADMIN,
    "enterprise": Role.ENTERPRISE_USER,
    "outsider": Role.ENTERPRISE_USER,
}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            if p.namespace == "admin":
                continue  # the admin is covered below, model by model
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}", p.callback


def _concrete(route: str) -> str:
    """A URL for the route: ids become 999999 (nothing), year 2024, other slugs 'x'."""
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"<int:year>", "2024", route)
    route = re.sub(r"<int:[^>]+>", "999999", route)
    route = re.sub(r"<(?:str|slug|path):[^>]+>", "x", route)
    route = re.sub(r"<[^>]+>", "x", route)
    return "/" + route


ROUTES = sorted({(r, n, c) for r, n, c in _walk(get_resolver().url_patterns)}, key=lambda x: x[0])


@pytest.fixture
def clients(
    client, staff_client, leader_client, sysadmin_client, enterprise_client, outsider_client
):
    return {
        "anonymous": client,
        "staff": staff_client,
        "leader": leader_client,
        "sysadmin": sysadmin_client,
        "enterprise": enterprise_client,
        "outsider": outsider_client,
    }


def test_every_view_declares_its_roles():
    undeclared = [
        (route, name)
        for route, name, callback in ROUTES
        if name not in PUBLIC
        and not hasattr(callback, "allowed_roles")
        and not route.lstrip("^").startswith(("static", "media"))
    ]
    assert undeclared == []


@pytest.mark.parametrize(
    ("route", "name", "callback"),
    [r for r in ROUTES if hasattr(r[2], "allowed_roles")],
    ids=[r[1] for r in ROUTES if hasattr(r[2], "allowed_roles")],
)
def test_route_for_every_persona(clients, route, name, callback):
    url = _concrete(route)
    for persona in PERSONAS:
        response = clients[persona].get(url)
        if persona == "anonymous":
            assert response.status_code == 302, (url, persona)
            assert response["Location"].startswith("/accounts/login/"), (url, persona)
        elif ROLE_OF[persona] in callback.allowed_roles:
            # Allowed: the page, a redirect, a 404 for the made-up id, or 405 for POST-only.
            assert response.status_code in (200, 302, 404, 405), (
                url,
                persona,
                response.status_code,
            )
        else:
            assert response.status_code == 403, (url, persona, response.status_code)


# 三权分立: accounts, groups and lockouts are the security admin's, the audit trail the audit
# admin's (tests/bureau/test_admin_roles.py walks those two); staff and the system admin get
# 403 there, and the rest of the admin is theirs.
SEPARATED = {(m._meta.app_label, m._meta.model_name) for m in admin.site._registry} & (
    ACCOUNT_MODELS | AUDIT_MODELS
)
ADMIN_MODELS = sorted(
    f"/admin/{m._meta.app_label}/{m._meta.model_name}/" for m in admin.site._registry
)


@pytest.mark.parametrize("url", ["/admin/", *ADMIN_MODELS])
def test_admin_is_for_staff_and_system_admin_only(clients, url):
    separated = any(url == f"/admin/{app}/{model}/" for app, model in SEPARATED)
    for persona in PERSONAS:
        response = clients[persona].get(url)
        if persona in ("sysadmin", "staff") and not separated:
            assert response.status_code == 200, (url, persona)
        elif persona in ("sysadmin", "staff"):
            assert response.status_code == 403, (url, persona)
        else:
            assert response.status_code == 302, (url, persona)
            assert "/admin/login/" in response["Location"]


def test_staff_cannot_manage_user_accounts(staff_client):
    assert staff_client.get("/admin/bureau/user/").status_code == 403


def test_leadership_has_view_permissions_only(leader_user):
    perms = leader_user.get_all_permissions()
    assert perms and all(p.split(".")[1].startswith("view_") for p in perms)


def test_enterprise_user_has_no_model_permissions(enterprise_user):
    assert enterprise_user.get_all_permissions() == set()


@pytest.mark.parametrize(
    "persona", ["staff_client", "leader_client", "sysadmin_client", "enterprise_client"]
)
def test_each_role_lands_on_its_home(request, persona):
    client = request.getfixturevalue(persona)
    response = client.get("/")
    expected = {
        "staff_client": "/staff/",
        "leader_client": "/dashboard/",
        "sysadmin_client": "/admin/",
        "enterprise_client": "/portal/",
    }[persona]
    assert response.status_code == 302 and response["Location"] == expected


def test_user_without_role_is_refused(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get("/").status_code == 403


def test_enterprise_user_cannot_open_another_enterprise_by_id(outsider_client, enterprise):
    # The registry detail page is for bureau roles; the portal serves only the user's own.
    assert outsider_client.get(f"/enterprises/{enterprise.pk}/").status_code == 403
    response = outsider_client.get("/portal/")
    assert enterprise.name not in response.content.decode()


def test_enterprise_selector_hides_other_enterprises(outsider_user, enterprise, other_enterprise):
    from django.http import Http404

    from enterprises.selectors import enterprise_get_for_user

    assert enterprise_get_for_user(user=outsider_user, pk=other_enterprise.pk) == other_enterprise
    with pytest.raises(Http404):
        enterprise_get_for_user(user=outsider_user, pk=enterprise.pk)
