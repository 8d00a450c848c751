"""The two-command set-up: demo data is idempotent, demo accounts print once, production
settings pass `check --deploy`, and SQLite runs in WAL mode."""

import io
import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from bureau.models import User


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(demo_year):
    first = _row_counts()
    assert first["enterprises.Enterprise"] >= 240
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert _row_counts() == first
    assert "演示数据已就绪" in out.getvalue()


@pytest.mark.django_db
def test_demo_accounts_print_passwords_once_and_log_in(demo_year):
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    text = out.getvalue()
    lines = [line.split() for line in text.splitlines() if "用户名" in line]
    assert {parts[2] for parts in lines} == {
        "demo_staff",
        "demo_leader",
        "demo_enterprise",
        "demo_admin",
        "demo_security",
        "demo_auditor",
    }
    from django.contrib.auth.password_validation import validate_password

    for parts in lines:
        user = User.objects.get(username=parts[2])
        assert user.check_password(parts[4])
        validate_password(parts[4])  # the demo passwords meet the portal's own rules
        assert not user.is_superuser  # 三权分立: administrators are roles
    again = io.StringIO()
    call_command("create_demo_accounts", stdout=again)
    assert "密码" not in again.getvalue().split("（")[0] and "用户名 demo" not in again.getvalue()
    assert User.objects.get(username="demo_enterprise").enterprise_account.enterprise.name


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "portal.example.org",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the test suite, never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_is_generated_into_var_and_ignored_by_git():
    path = settings.BASE_DIR / "var" / "secret_key"
    if not os.environ.get("SECRET_KEY"):
        assert path.exists() and path.read_text().strip() == settings.SECRET_KEY
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "var/secret_key"], cwd=settings.BASE_DIR
    ).returncode
    assert ignored == 0


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL in use")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
