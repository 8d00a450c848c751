"""Redis stopped under a running gunicorn: sign-in, pages, a save and the leadership dashboard
still answer 200, and when Redis is back nothing needs a restart (issue 15).

gunicorn runs with the shipped gunicorn.conf.py against this test's database and a Redis of
the test's own (never the one of REDIS_URL), which the test stops by pid.
"""

from __future__ import annotations

import pytest
from django.db import connection

from bureau.roles import Role
from enterprises.models import Enterprise
from tests.conftest import PRODUCTION_HASHERS, require_service
from tests.factories import ActivityKindFactory, EnterpriseAccountFactory, UserFactory
from tests.procs import Browser, Gunicorn, RedisServer, portal_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PASSWORD = "Secret-pass-2024"

# Each role's pages; every one must answer 200 with Redis up, down and back.
PAGES = {
    "r_staff": [
        "/staff/",
        "/activities/",
        "/activities/new/",
        "/enterprises/",
        "/ladder/reminders/",
    ],
    "r_leader": ["/dashboard/", "/enterprises/", "/activities/"],
    "r_ent": ["/portal/", "/portal/profile/", "/portal/quarterly/", "/portal/annual/"],
}


def test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@pytest.fixture
def redis_and_gunicorn(settings):
    require_service("redis-server", RedisServer.available(), "redis-server not on PATH")
    redis = RedisServer()
    redis.start()
    web = Gunicorn(
        env=portal_env(
            DATABASE_URL=test_database_url(),
            REDIS_URL=redis.url,
            DEBUG="true",
            FIGURE_CACHE_SECONDS="3600",
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            GUNICORN_ACCESSLOG="-",
        )
    )
    try:
        web.start()
        yield redis, web
    finally:
        web.stop()
        redis.close()


def _personas():
    """Users the gunicorn process signs in: their passwords are hashed with the portal's own
    hashers, not the one-round hash the test process uses for its own users (tests/conftest)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        return _create_personas()


def _create_personas():
    from tests.factories import EnterpriseFactory

    UserFactory(username="r_staff", role=Role.BUREAU_STAFF)
    UserFactory(username="r_leader", role=Role.LEADERSHIP)
    company = EnterpriseFactory(name="红迪斯光电有限公司")
    EnterpriseAccountFactory(
        enterprise=company, user=UserFactory(username="r_ent", role=Role.ENTERPRISE_USER)
    )
    ActivityKindFactory(name="政策宣讲会")
    return company


def _walk(web: Gunicorn, phase: str) -> dict[str, Browser]:
    """Sign in every persona and open each of its pages; return the signed-in clients."""
    clients = {}
    for username, pages in PAGES.items():
        client = Browser(web.url)
        answer = client.login(username, PASSWORD)
        assert answer.status == 200, (phase, username, answer.status, web.output()[-3000:])
        assert "/accounts/login/" not in answer.body or "退出" in answer.body, (phase, username)
        for page in pages:
            got = client.request(page)
            assert got.status == 200, (phase, username, page, got.status, web.output()[-3000:])
        clients[username] = client
    return clients


def _save_profile(client: Browser, company: Enterprise, phone: str, phase: str) -> None:
    values = client.form_values("/portal/profile/")
    values["contact_phone"] = phone
    answer = client.request("/portal/profile/", values)
    assert answer.status == 200, (phase, answer.status)
    assert "企业信息已保存" in answer.body, (phase, answer.body[:2000])
    company.refresh_from_db()
    assert company.contact_phone == phone, phase


def test_pages_saves_and_dashboard_answer_200_while_redis_is_down_and_after(redis_and_gunicorn):
    redis, web = redis_and_gunicorn
    company = _personas()

    clients = _walk(web, "redis up")
    _save_profile(clients["r_ent"], company, "0551-1111111", "redis up")

    redis.stop()
    clients = _walk(web, "redis down")
    _save_profile(clients["r_ent"], company, "0551-2222222", "redis down")
    dashboard = clients["r_leader"].request("/dashboard/")
    assert dashboard.status == 200
    # The dashboard says when its figures were computed.
    assert "数据统计于" in dashboard.body

    redis.start()
    clients = _walk(web, "redis back")
    _save_profile(clients["r_ent"], company, "0551-3333333", "redis back")
