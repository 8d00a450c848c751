"""Headers an assessor checks: CSP without inline script, no-store when signed in, __Host- cookies."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def _script_src(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(d for d in policy.split(";") if d.strip().startswith("script-src"))


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))
)
def test_no_template_carries_inline_script_or_event_handlers(path):
    text = (TEMPLATES / path).read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), f"inline <script> in {path}"
    assert not EVENT_HANDLER.search(text), f"inline event handler in {path}"


@pytest.mark.parametrize(
    ("client_fixture", "paths"),
    [
        ("staff_client", ["/staff/", "/enterprises/", "/incubation/", "/finance/", "/admin/"]),
        ("leader_client", ["/dashboard/"]),
        ("enterprise_client", ["/portal/", "/portal/profile/"]),
        ("client", ["/accounts/login/"]),
    ],
)
def test_every_page_sends_a_policy_that_refuses_inline_script(request, client_fixture, paths):
    client = request.getfixturevalue(client_fixture)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        script_src = _script_src(response)
        assert "'self'" in script_src and "'unsafe-inline'" not in script_src, path
        assert "'unsafe-eval'" not in script_src, path
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), f"inline script on {path}"
        assert not EVENT_HANDLER.search(html), f"inline handler on {path}"


def test_signed_in_pages_are_not_stored_by_caches(staff_client, enterprise_client):
    for c, path in [(staff_client, "/staff/"), (enterprise_client, "/portal/")]:
        cache_control = c.get(path)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, path


def test_the_page_behaviour_script_replaces_the_inline_handlers(client):
    html = client.get("/accounts/login/").content.decode()
    assert "bureau/behaviour.js" in html
    assert "data-autosubmit" in html  # the language menu


def test_under_https_the_cookies_carry_the_host_prefix():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "y" * 60,
        "ALLOWED_HOSTS": "portal.example.org",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "bureau.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True"], result.stderr
