"""An absolute session limit besides the idle one (等保 身份鉴别: 登录连接超时自动退出)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

STARTED = "auth_started_at"


def mark_login_time(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: when this session's sign-in happened."""
    request.session[STARTED] = timezone.now().timestamp()


class AbsoluteSessionLimitMiddleware:
    """A session ends `SESSION_ABSOLUTE_SECONDS` (8 h) after sign-in, however active it is."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(STARTED)
            now = timezone.now().timestamp()
            if started is None:
                request.session[STARTED] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                from .models import EventKind
                from .services import record

                record(EventKind.LOGOUT, request=request, reason="absolute_session_limit")
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
