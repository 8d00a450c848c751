"""Personas for every role (healthchecks' alice/bob/charlie), and the service switch.

`enterprise_user` belongs to `enterprise`; `outsider_user` belongs to `other_enterprise`, so
every ownership test is one line: ask for the other's record by id.
"""

import os

import pytest
from django.conf import settings

from bureau.roles import Role
from tests.factories import EnterpriseAccountFactory, EnterpriseFactory, UserFactory


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
