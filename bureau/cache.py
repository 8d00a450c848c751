"""The Redis cache that a Redis outage cannot turn into a server error (issue 15).

Nothing the portal keeps in the cache is the only copy of anything: figures are computed again
in the request, the ladder reminders' digest is rebuilt by its task, the sign-in throttle's
counters fall back to django-axes' per-user lockout (audit/throttle.py), sessions live in the
database. So while Redis cannot be reached, a read answers "not there", a write is dropped, and
the page is served. `incr` still raises, so that a counter's owner knows it counted nothing.

After one failure the process stops asking Redis for `RETRY_SECONDS`, so an outage costs each
process one connection timeout per interval rather than one per cache call; then it tries
again, and when Redis answers it is used again at once, with no restart. Writes dropped
during an outage may leave something stale behind in a Redis that kept its data (a network
partition, a Redis with persistence): the hooks registered with `on_recovery` run once in the
process that dropped them when Redis answers again (the figures' data version starts anew).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0

_lock = threading.Lock()
_state = {"down_until": 0.0, "down_since": None, "writes_dropped": False}
_recovery_hooks: list[Callable[[], None]] = []


def on_recovery(hook: Callable[[], None]) -> None:
    """Run `hook()` when Redis answers again after this process dropped a write."""
    if hook not in _recovery_hooks:
        _recovery_hooks.append(hook)


def is_down() -> bool:
    """Whether this process currently treats the cache as unreachable."""
    return _state["down_since"] is not None


def _errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.RedisError, OSError)


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, failing open while Redis is unreachable (see the module)."""

    def _skipping(self) -> bool:
        return time.monotonic() < _state["down_until"]

    def _failed(self, exc: BaseException, write: bool) -> None:
        with _lock:
            first = _state["down_since"] is None
            if first:
                _state["down_since"] = time.time()
            _state["down_until"] = time.monotonic() + RETRY_SECONDS
            if write:
                _state["writes_dropped"] = True
        if first:
            logger.warning(
                "cache unreachable (%s: %s): pages are served without it, retried every %.0f s",
                type(exc).__name__,
                exc,
                RETRY_SECONDS,
            )

    def _succeeded(self) -> None:
        if _state["down_since"] is None:
            return
        with _lock:
            since, dropped = _state["down_since"], _state["writes_dropped"]
            _state.update(down_since=None, down_until=0.0, writes_dropped=False)
        if since is None:
            return
        logger.warning("cache reachable again after %.0f s", time.time() - since)
        if dropped:
            for hook in list(_recovery_hooks):
                try:
                    hook()
                except Exception:
                    logger.exception("cache recovery hook %r failed", hook)

    def _call(self, write: bool, fallback, operation: Callable, *args, **kwargs):
        if self._skipping():
            if write:
                _state["writes_dropped"] = True
            return fallback
        try:
            result = operation(*args, **kwargs)
        except _errors() as exc:
            self._failed(exc, write)
            return fallback
        self._succeeded()
        return result

    def get(self, key, default=None, version=None):
        return self._call(False, default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._call(False, {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(True, False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._call(True, None, super().delete_many, keys, version)

    def clear(self):
        return self._call(True, False, super().clear)

    def incr(self, key, delta=1, version=None):
        """Raises while Redis is unreachable: a counter must know it counted nothing."""
        if self._skipping():
            raise ConnectionError("cache unreachable")
        try:
            result = super().incr(key, delta, version)
        except _errors() as exc:
            self._failed(exc, True)
            raise
        self._succeeded()
        return result

    def ping(self) -> bool:
        """Whether Redis answers now (for /readyz): ignores the retry interval."""
        try:
            client = self._cache.get_client(write=True)
            ok = bool(client.ping())
        except _errors() as exc:
            self._failed(exc, False)
            return False
        self._succeeded()
        return ok
