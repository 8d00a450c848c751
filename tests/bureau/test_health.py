"""/healthz and /readyz: open to the balancer, each part's state as JSON, 503 only when a
required part is down (issue 15)."""

from __future__ import annotations

import json
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from bureau import cache as resilient
from bureau.health import HEARTBEAT_KEY
from tests.conftest import require_service
from tests.procs import RedisServer

PARTS = {"database", "cache", "broker", "worker"}


def _get(client: Client, path: str, **headers):
    response = client.get(path, **headers)
    return response, json.loads(response.content)


@pytest.fixture(autouse=True)
def _cache_state_reset():
    resilient._state.update(down_until=0.0, down_since=None, writes_dropped=False)
    yield
    resilient._state.update(down_until=0.0, down_since=None, writes_dropped=False)


def test_healthz_answers_without_touching_the_database(client):
    # Without the django_db mark any database access raises: none happens, and no session or
    # CSRF cookie is set either.
    response, body = _get(client, "/healthz")
    assert response.status_code == 200 and body == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert not response.cookies


@pytest.mark.django_db
def test_healthz_is_200_while_the_database_is_down(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("down"),
    ):
        response, body = _get(client, "/healthz")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_without_redis_reports_the_database_up_and_the_rest_off(client, settings):
    settings.REDIS_URL = ""  # CI sets one: this is the `make run` set-up, tasks in process
    response, body = _get(client, "/readyz")
    assert response.status_code == 200
    assert body == {
        "status": "ok",
        "checks": {
            "database": {"state": "up"},
            "cache": {"state": "off"},
            "broker": {"state": "off"},
            "worker": {"state": "off"},
        },
    }


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_down(client):
    from django.db import connection

    down = OperationalError("could not connect to 10.1.2.3")
    # The connection object itself as well as its class: under CI's PostgreSQL the class patch
    # alone once let /readyz reach a working cursor (order-dependent; not reproduced alone).
    with (
        mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=down),
        mock.patch.object(connection, "cursor", side_effect=down),
    ):
        response, body = _get(client, "/readyz")
    assert response.status_code == 503
    assert body["status"] == "down" and body["checks"]["database"] == {"state": "down"}
    # The error's text (hosts, addresses) is not revealed.
    assert "10.1.2.3" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/readyz/"])
def test_probes_are_open_behind_https_redirect_and_any_host(client, settings, path):
    """A balancer probes a node by its address over plain HTTP, signed out."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    response = client.get(path, HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert not response.cookies
    assert "Server" not in response and "X-Powered-By" not in response


@pytest.mark.django_db
def test_probes_refuse_other_methods(client):
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_probes_make_no_security_log_rows(client):
    from audit.models import SecurityEvent

    before = SecurityEvent.objects.count()
    client.get("/readyz")
    client.get("/healthz")
    assert SecurityEvent.objects.count() == before


# --- With a Redis of the test's own -----------------------------------------------------------


@pytest.fixture
def own_redis(settings):
    require_service("redis-server", RedisServer.available(), "redis-server not on PATH")
    server = RedisServer()
    server.start()
    settings.REDIS_URL = server.url
    settings.CELERY_BROKER_URL = server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "bureau.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    try:
        yield server
    finally:
        server.close()


@pytest.mark.services
@pytest.mark.django_db
def test_readyz_states_with_redis_up_down_and_back(client, own_redis, settings):
    from bureau.tasks import heartbeat

    # Redis up, no heartbeat yet: the worker is down, the node still ready (degraded).
    response, body = _get(client, "/readyz")
    assert response.status_code == 200, body
    assert body["status"] == "degraded"
    assert {k: v["state"] for k, v in body["checks"].items()} == {
        "database": "up",
        "cache": "up",
        "broker": "up",
        "worker": "down",
    }

    heartbeat.apply()
    response, body = _get(client, "/readyz")
    assert response.status_code == 200 and body["status"] == "ok", body
    assert body["checks"]["worker"]["state"] == "up"
    assert 0 <= body["checks"]["worker"]["age_seconds"] <= 5

    # A heartbeat older than HEARTBEAT_MAX_AGE_SECONDS: stale.
    from django.core.cache import cache

    cache.set(HEARTBEAT_KEY, time.time() - settings.HEARTBEAT_MAX_AGE_SECONDS - 5)
    _response, body = _get(client, "/readyz")
    assert body["checks"]["worker"]["state"] == "stale"

    own_redis.stop()
    response, body = _get(client, "/readyz")
    assert response.status_code == 200, body  # Redis is not required: pages work without it
    assert {k: v["state"] for k, v in body["checks"].items()} == {
        "database": "up",
        "cache": "down",
        "broker": "down",
        "worker": "down",
    }
    # Where the operator requires Redis, the node leaves the balancer.
    settings.READYZ_REQUIRED = ["database", "cache", "broker"]
    response, body = _get(client, "/readyz")
    assert response.status_code == 503 and body["status"] == "down"

    # Redis back (empty): the probe sees it at once, no restart; the next heartbeat is kept.
    own_redis.start()
    _response, body = _get(client, "/readyz")
    assert body["checks"]["cache"]["state"] == "up" and body["checks"]["worker"]["state"] == "down"
    heartbeat.apply()
    response, body = _get(client, "/readyz")
    assert response.status_code == 200 and body["status"] == "ok", body
