"""Personas for every role (healthchecks' alice/bob/charlie), and the service switch.

`enterprise_user` belongs to `enterprise`; `outsider_user` belongs to `other_enterprise`, so
every ownership test is one line: ask for the other's record by id.
"""

import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API keeps an event loop running in the test thread; the ORM calls that
# fixtures make around it are still synchronous, so Django's async guard is relaxed in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from bureau.roles import Role
from tests.factories import EnterpriseAccountFactory, EnterpriseFactory, UserFactory

# Hashing a password at production strength (PBKDF2, 1,000,000 rounds) costs 0.5–3 s on a
# loaded CI core, and most tests create two or three users: in this process a one-round hash
# stands in. Processes a test starts (gunicorn, celery, manage.py) keep the real hashers and
# hash the passwords of the users they create themselves (tests/bureau/conftest.create_user).
PRODUCTION_HASHERS = list(settings.PASSWORD_HASHERS)
settings.PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    *[h for h in PRODUCTION_HASHERS if not h.endswith("MD5PasswordHasher")],
]

# Files a test stores in the evidence locker go to a scratch directory, never under var/.
settings.EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="evidence-test-"))


def require_service(name: str, available: bool, why: str = "") -> None:
    """Skip a test whose service is missing, or fail it when REQUIRE_SERVICES is set (CI)."""
    if available:
        return
    message = f"{name} not available{': ' + why if why else ''}"
    if settings.REQUIRE_SERVICES or os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"{message} (REQUIRE_SERVICES is set)")
    pytest.skip(message)


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", role=Role.BUREAU_STAFF)


@pytest.fixture
def leader_user(db):
    return UserFactory(username="leader", role=Role.LEADERSHIP)


@pytest.fixture
def sysadmin_user(db):
    return UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN)


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(name="安徽自家光电有限公司")


@pytest.fixture
def other_enterprise(db):
    return EnterpriseFactory(name="安徽别家电子有限公司")


@pytest.fixture
def enterprise_user(enterprise):
    return EnterpriseAccountFactory(
        enterprise=enterprise, user=UserFactory(username="ent", role=Role.ENTERPRISE_USER)
    ).user


@pytest.fixture
def outsider_user(other_enterprise):
    return EnterpriseAccountFactory(
        enterprise=other_enterprise,
        user=UserFactory(username="outsider", role=Role.ENTERPRISE_USER),
    ).user


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff_user):
    return _client_for(staff_user)


@pytest.fixture
def leader_client(leader_user):
    return _client_for(leader_user)


@pytest.fixture
def sysadmin_client(sysadmin_user):
    return _client_for(sysadmin_user)


@pytest.fixture
def enterprise_client(enterprise_user):
    return _client_for(enterprise_user)


@pytest.fixture
def outsider_client(outsider_user):
    return _client_for(outsider_user)


# --- Browser (Playwright driving the system's Chromium) -------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = settings.BASE_DIR / "var" / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium for the whole session (skips, or fails in CI, when absent)."""
    require_service("Chromium", os.path.exists(CHROMIUM), CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser context on the live server; `page.login(user)` signs in a persona."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)

    def login(user, password: str = "Secret-pass-2024"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    def screenshot(name: str) -> str:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return str(path)

    page.login = login
    page.screenshot_as = screenshot
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _language_restored():
    """A request in English leaves English active in its thread (LocaleMiddleware does not
    deactivate it); every test starts and ends in the language it found."""
    from django.utils import translation

    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.fixture(autouse=True)
def _no_pending_prescreen_refresh():
    """Ids a test changed but never committed (its transaction is rolled back) would ride
    along with the next test's refresh (enterprises.prescreening.note_changed)."""
    from enterprises import prescreening

    prescreening._local.pending = None
    yield
    prescreening._local.pending = None


@pytest.fixture(autouse=True)
def _figure_cache_off(settings):
    """Computed figures are not kept between requests in tests (in CI one Redis serves every
    test database); tests of the cache turn it on with a private cache of their own."""
    settings.FIGURE_CACHE_SECONDS = 0


# --- Celery: eager in tests unless a test asks for the real worker ---------------------------


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Tasks run in process in tests; `celery_worker` switches a test to a real worker."""
    from bureau.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    # Exports run inside the request, so the file is there when the POST returns; the test of
    # the background thread turns it on.
    settings.EXPORT_IN_THREAD = False
    yield
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def celery_worker(transactional_db):
    """A real `celery worker` process on REDIS_URL, reading this test's database."""
    import subprocess
    import sys
    import time

    import redis as redis_lib
    from django.db import connection

    from bureau.celery import app

    url = settings.REDIS_URL
    reachable = False
    if url:
        try:
            reachable = bool(redis_lib.Redis.from_url(url, socket_connect_timeout=2).ping())
        except redis_lib.RedisError:
            reachable = False
    require_service("Redis", reachable, url or "REDIS_URL is not set")

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{db['NAME']}"
    else:
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": url,
        # Files the worker writes land where this test reads them.
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "bureau",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app.conf.result_backend = url
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"celery worker exited with {proc.returncode}")
            if app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1):
                break
        else:
            pytest.fail("celery worker did not answer within 60 s")
        yield queue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


# --- Data set up once per module -------------------------------------------------------------


def once_per_module(setup):
    """A module-scoped fixture that runs `setup()` once in a transaction of its own; every test
    of the module (with `db`) runs in a savepoint inside it and sees the data, and the module's
    end rolls it all back. seed_demo takes tens of seconds: a module asks for it once, not per
    test. `make test` sends each file's tests to one xdist worker (`--dist loadfile`), or
    each worker would set it up again."""

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        from django.db import transaction

        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                yield setup()
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                from tests import demo_snapshot

                demo_snapshot.clear_caches()

    return fixture


def _seed_demo():
    from tests import demo_snapshot

    demo_snapshot.seed()


# The whole demo year (`seed_demo`), once per module that asks for it.
demo_year = once_per_module(_seed_demo)


@pytest.fixture
def demo_data(db):
    """The whole demo year inside this test's transaction, copied from the process's snapshot
    (tests/demo_snapshot.py). Ask for it before fixtures that create rows: the copy replaces
    every table's contents."""
    _seed_demo()
    yield
    # The test's rollback brings back the content types the copy replaced: ids cached during
    # the test would point at rows that are gone (an FK error in a later test's teardown).
    from tests import demo_snapshot

    demo_snapshot.clear_caches()


COMMITTED = "committed_demo_year"


@pytest.fixture(scope="module")
def committed_demo_year(django_db_setup, django_db_blocker):
    """The demo year committed once for a module of browser tests, which the live server's thread
    reads through a connection of its own (so a rolled-back transaction cannot serve). The
    module's tests run without a per-test flush: they must not depend on one another's writes
    (distinct usernames). The module's end flushes, as a transactional test does."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                _seed_demo()
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's helper, except that a test on the committed demo year gets database access
    without `transactional_db` (whose flush after the test would wipe the module's data)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    if COMMITTED in request.fixturenames:
        blocker = request.getfixturevalue("django_db_blocker")
        blocker.unblock()
        try:
            yield from _with_live_server(request)
        finally:
            blocker.restore()
        return
    request.getfixturevalue("transactional_db")
    yield from _with_live_server(request)


def _with_live_server(request):
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()
