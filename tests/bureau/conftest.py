"""Real processes of a test's own: a PostgreSQL cluster with a migrated template database."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import require_service
from tests.procs import PostgresCluster, manage, otp_key, portal_env


@pytest.fixture(scope="session")
def own_postgres():
    """A PostgreSQL cluster of this test session (never DATABASE_URL's), with `bureau_tpl`
    migrated once; each test copies it with `fresh_database`."""
    require_service("PostgreSQL", PostgresCluster.available(), "no initdb in /usr/lib/postgresql")
    cluster = PostgresCluster()
    try:
        cluster.init()
        url = cluster.create_database("bureau_tpl")
        manage("migrate", "--noinput", "-v", "0", env=portal_env(DATABASE_URL=url, REDIS_URL=""))
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def fresh_database(own_postgres):
    """A new database copied from the migrated template; its URL."""
    name = f"bureau_{uuid.uuid4().hex[:8]}"
    own_postgres.psql(f"CREATE DATABASE {name} TEMPLATE bureau_tpl OWNER {own_postgres.user};")
    return own_postgres.url(name)


def create_user(database_url: str, username: str, role: str, password: str) -> None:
    """A user of the given role (a bureau.roles.Role name) in that database, with an
    authenticator whose key is `otp_key(username)` (tests.procs), so that `Browser.login` can
    pass the two-factor step a DEBUG=false portal asks of staff."""
    code = (
        "from bureau.roles import Role; from bureau.models import User; "
        "from django.contrib.auth.models import Group; "
        "from django_otp.plugins.otp_totp.models import TOTPDevice; "
        f"role = Role.{role}; "
        f"u = User.objects.create_user({username!r}, password={password!r}, "
        "is_staff=role == Role.BUREAU_STAFF); "
        "u.groups.add(Group.objects.get(name=role.group_name)); "
        f"TOTPDevice.objects.create(user=u, name='default', confirmed=True, "
        f"key={otp_key(username)!r})"
    )
    manage("shell", "-c", code, env=portal_env(DATABASE_URL=database_url, REDIS_URL=""))
