"""`/healthz` and `/readyz` for the load balancer and the process supervisor (issue 15).

- `/healthz`: the process is up and answers; touches nothing (no database, no cache).
- `/readyz`: each part the portal uses, as JSON, `{"status": ..., "checks": {part: {"state":
  ...}}}` with states `up`, `down`, `stale` (the worker's heartbeat is too old) or `off` (not
  configured: no REDIS_URL, so tasks run in process). It answers 503 when a part named in
  `READYZ_REQUIRED` is not `up`/`off` (by default only the database: the portal serves every
  page and save without Redis, see bureau/cache.py, so a Redis outage must not take every web
  node out of the balancer at once), else 200 with status "ok" or "degraded".

Both are answered by a middleware placed before every other but the outage one, so neither
host validation, the HTTPS redirect, sessions, sign-in, MFA, password expiry nor the security
log sees them: a balancer probes a node by its address over plain HTTP. They reveal states
only: no versions, hosts, error messages or timings beyond the heartbeat's age.
"""

from __future__ import annotations

import json
import logging
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

HEALTHZ, READYZ = "/healthz", "/readyz"
# The key the beat-scheduled heartbeat task writes (a Unix time), read by /readyz.
HEARTBEAT_KEY = "bureau:worker-heartbeat"

UP, DOWN, STALE, OFF = "up", "down", "stale", "off"


def _database() -> dict:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("readyz: database unreachable: %s", type(exc).__name__)
        # A broken connection must not be kept for the next request.
        connection.close_if_unusable_or_obsolete()
        return {"state": DOWN}
    return {"state": UP}


def _cache() -> dict:
    from django.core.cache import cache

    if not settings.REDIS_URL:
        return {"state": OFF}
    ping = getattr(cache, "ping", None)
    try:
        ok = ping() if ping is not None else cache.get(HEARTBEAT_KEY, 0) is not None
    except Exception:
        ok = False
    return {"state": UP if ok else DOWN}


def _broker() -> dict:
    if not settings.REDIS_URL:
        return {"state": OFF}
    import redis

    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
        try:
            ok = bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError):
        ok = False
    return {"state": UP if ok else DOWN}


def _worker(cache_state: str) -> dict:
    if not settings.REDIS_URL:
        return {"state": OFF}
    if cache_state != UP:
        return {"state": DOWN}
    from django.core.cache import cache

    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        return {"state": DOWN}
    age = max(0, int(time.time() - float(beat)))
    state = UP if age <= settings.HEARTBEAT_MAX_AGE_SECONDS else STALE
    return {"state": state, "age_seconds": age}


def readiness() -> tuple[int, dict]:
    """The HTTP status and the JSON body of /readyz."""
    cache_check = _cache()
    checks = {
        "database": _database(),
        "cache": cache_check,
        "broker": _broker(),
        "worker": _worker(cache_check["state"]),
    }
    failing = [name for name, check in checks.items() if check["state"] not in (UP, OFF)]
    required = set(settings.READYZ_REQUIRED)
    if required & set(failing):
        return 503, {"status": "down", "checks": checks}
    return 200, {"status": "degraded" if failing else "ok", "checks": checks}


def _json(status: int, body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers /healthz and /readyz (GET or HEAD) before any other middleware runs."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info.rstrip("/")
        if path in (HEALTHZ, READYZ):
            if request.method not in ("GET", "HEAD"):
                return _json(405, {"status": "method not allowed"})
            if path == HEALTHZ:
                return _json(200, {"status": "ok"})
            return _json(*readiness())
        return self.get_response(request)
