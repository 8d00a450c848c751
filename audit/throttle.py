"""Per-address throttling of sign-in attempts, besides django-axes' per-user lockout.

Axes locks a user name after five failures from one address. An attacker spraying many user
names from one address is stopped here instead: after `LOGIN_IP_FAILURE_LIMIT` failures from one
client address within `LOGIN_IP_WINDOW_SECONDS`, sign-in POSTs from it answer 429 until the window
passes. The address is the one `audit.network.client_ip` trusts (TRUSTED_PROXIES). The counter is
in the cache: if the cache is down, sign-in still works and only the per-user lockout applies.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse

from .network import client_ip

logger = logging.getLogger("security")


def _key(ip: str) -> str:
    return f"login-failures:{ip}"


def count_failure(sender, credentials, request=None, **kwargs) -> None:
    """user_login_failed receiver."""
    ip = client_ip(request) if request is not None else None
    if not ip:
        return
    try:
        if cache.add(_key(ip), 1, settings.LOGIN_IP_WINDOW_SECONDS) is False:
            cache.incr(_key(ip))
    except Exception:
        logger.warning("login failure counter unavailable for %s", ip, exc_info=True)


def failures(ip: str) -> int:
    try:
        return int(cache.get(_key(ip)) or 0)
    except Exception:
        logger.warning("login failure counter unavailable for %s", ip, exc_info=True)
        return 0


class LoginThrottleMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in (reverse("login"), reverse("admin:login")):
            ip = client_ip(request)
            if ip and failures(ip) >= settings.LOGIN_IP_FAILURE_LIMIT:
                from .models import EventKind
                from .services import record

                record(EventKind.LOCKOUT, request=request, reason="address_throttled")
                return render(
                    request,
                    "registration/throttled.html",
                    {"minutes": settings.LOGIN_IP_WINDOW_SECONDS // 60},
                    status=429,
                )
        return self.get_response(request)
