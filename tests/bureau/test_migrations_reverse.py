"""Every migration reverses: the project's apps migrate to zero and back on a fresh database.

Runs `manage.py migrate` in a subprocess against a database of its own (a new PostgreSQL
database when the suite runs on PostgreSQL, as in CI; a temporary SQLite file otherwise), so the
test database of the other tests is never touched. Before the fix, digital 0002's reversal
failed ("Must be 'Dimension' instance") and the apps' post_migrate hooks wrote reference data
into tables the reversal had just dropped ("no such table: talent_talentprogramme").
"""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection

# Every project app with migrations; the check at the end says none is left applied.
APPS_TO_ZERO = [
    "evidence",
    "upstream",
    "notifications",
    "audit",
    "reports",
    "finance",
    "talent",
    "digital",
    "incubation",
    "enterprises",
    "bureau",
]
# Taking these to zero unapplies every migration that depends on them first, in one plan (one
# rendering of the project's states instead of one per app: about 40 s less on SQLite).
ZERO_ROOTS = ["bureau", "audit"]


def _manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def fresh_database_url(tmp_path):
    """A URL of an empty database of the suite's engine; dropped afterwards."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    import psycopg2

    name = f"bureau_migrations_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"],
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def _check(result: subprocess.CompletedProcess, what: str) -> None:
    assert result.returncode == 0, (
        f"{what} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    )


@pytest.mark.django_db
def test_every_app_migrates_to_zero_and_back(fresh_database_url):
    _check(_manage(fresh_database_url, "migrate", "--noinput", "-v", "0"), "migrate")
    for app in ZERO_ROOTS:
        _check(_manage(fresh_database_url, "migrate", app, "zero", "--noinput", "-v", "0"), app)
    shown = _manage(fresh_database_url, "showmigrations", *APPS_TO_ZERO)
    _check(shown, "showmigrations")
    assert "[X]" not in shown.stdout, shown.stdout
    _check(_manage(fresh_database_url, "migrate", "--noinput", "-v", "0"), "migrate again")
    # The reference data the migrations and hooks write is back, once.
    count = _manage(
        fresh_database_url,
        "shell",
        "--no-imports",
        "-c",
        "from digital.models import QuestionnaireVersion as V; "
        "from talent.models import TalentProgramme as P; "
        "print(V.objects.filter(code='2024').count(), P.objects.count() > 0)",
    )
    _check(count, "shell")
    assert count.stdout.strip().splitlines()[-1].split() == ["1", "True"]


def test_the_reversal_covers_every_project_app_with_migrations():
    from pathlib import Path

    from django.apps import apps

    base = Path(settings.BASE_DIR).resolve()
    own = {
        c.label
        for c in apps.get_app_configs()
        if Path(c.path).resolve().is_relative_to(base)
        and "site-packages" not in Path(c.path).parts
        and (Path(c.path) / "migrations").is_dir()
    }
    assert own == set(APPS_TO_ZERO)
