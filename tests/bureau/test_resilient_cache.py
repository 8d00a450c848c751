"""The Redis cache fails open while Redis cannot be reached (bureau/cache.py), and the sign-in
throttle then fails open to django-axes' per-user lockout, logged (audit/throttle.py)."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache

from audit import throttle
from bureau import cache as resilient
from tests.procs import free_port


@pytest.fixture
def dead_redis(settings):
    """The cache pointed at a loopback port nothing listens on."""
    resilient._state.update(down_until=0.0, down_since=None, writes_dropped=False)
    settings.CACHES = {
        "default": {
            "BACKEND": "bureau.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield
    resilient._state.update(down_until=0.0, down_since=None, writes_dropped=False)


def test_reads_miss_and_writes_are_dropped_while_redis_is_unreachable(dead_redis, caplog):
    with caplog.at_level(logging.WARNING, logger="bureau.cache"):
        assert cache.get("k", "fallback") == "fallback"
        cache.set("k", 1)
        assert cache.add("k", 1) is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.get_or_set("k", 7) == 7
        cache.delete("k")
    assert resilient.is_down()
    # One warning for the outage, not one per call.
    assert sum("cache unreachable" in r.getMessage() for r in caplog.records) == 1
    with pytest.raises(ConnectionError):
        cache.incr("k")


def test_recovery_runs_the_hooks_of_a_process_that_dropped_a_write(dead_redis, monkeypatch):
    ran = []
    monkeypatch.setattr(resilient, "_recovery_hooks", [lambda: ran.append(1)])
    cache.set("k", 1)  # dropped
    cache._succeeded()  # what the first answered call after the outage does
    assert ran == [1] and not resilient.is_down()


@pytest.mark.django_db
def test_sign_in_throttle_fails_open_and_logs_while_the_cache_is_down(
    dead_redis, client, caplog, staff_user
):
    with caplog.at_level(logging.WARNING, logger="security"):
        response = client.post(
            "/accounts/login/", {"username": "staff", "password": "wrong-password-1"}
        )
    assert response.status_code == 200  # the form again, not 429 nor 500
    assert throttle.failures("127.0.0.1") == 0
    assert any("login failure counter unavailable" in r.getMessage() for r in caplog.records)
    response = client.post(
        "/accounts/login/", {"username": "staff", "password": "Secret-pass-2024"}
    )
    assert response.status_code == 302
