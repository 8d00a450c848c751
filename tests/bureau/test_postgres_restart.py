"""PostgreSQL restarted under a running gunicorn: requests during the outage answer the 503
page, none 500, and every request after it 200 with no restart of the portal (issue 15)."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from tests.bureau.conftest import create_user
from tests.procs import Browser, Gunicorn, portal_env

pytestmark = pytest.mark.services

PASSWORD = "Secret-pass-2024"
PAGES = ["/staff/", "/enterprises/", "/activities/"]


def test_requests_during_a_postgres_restart_answer_503_and_recover(own_postgres, fresh_database):
    create_user(fresh_database, "pg_staff", "BUREAU_STAFF", PASSWORD)
    web = Gunicorn(
        env=portal_env(
            DATABASE_URL=fresh_database,
            REDIS_URL="",
            DEBUG="false",
            SECRET_KEY="test-only-" + "x" * 50,
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            STATIC_MANIFEST="false",
        )
    )
    web.start()
    try:
        client = Browser(web.url, timeout=20)
        assert client.login("pg_staff", PASSWORD).status == 200
        for page in PAGES:
            assert client.request(page).status == 200, page

        seen: list[tuple[float, int, str]] = []
        stop = threading.Event()

        def loop() -> None:
            # One signed-in user clicking through the pages, bounded by `stop` and 90 s.
            deadline = time.monotonic() + 90
            i = 0
            while not stop.is_set() and time.monotonic() < deadline:
                page = PAGES[i % len(PAGES)]
                answer = client.request(page, follow=False)
                seen.append((time.monotonic(), answer.status, answer.body[:400]))
                i += 1
                time.sleep(0.05)

        worker = threading.Thread(target=loop, daemon=True)
        worker.start()
        time.sleep(1.0)
        own_postgres.stop("fast")
        time.sleep(3.0)  # the outage: every request in it meets no database
        own_postgres.start()
        back = time.monotonic()
        time.sleep(4.0)
        stop.set()
        worker.join(timeout=30)

        statuses = Counter(status for _t, status, _b in seen)
        assert set(statuses) <= {200, 503}, (statuses, web.output()[-3000:])
        assert statuses[503] > 0, statuses  # the loop did meet the outage
        outage = [body for _t, status, body in seen if status == 503]
        assert all("系统暂时不可用" in body for body in outage)
        # Once PostgreSQL accepts connections again (give it 1 s), every request is 200.
        after = [status for t, status, _b in seen if t > back + 1.0]
        assert after and set(after) == {200}, Counter(after)
        for page in PAGES:
            assert client.request(page).status == 200, page
    finally:
        web.stop()
