"""Who may open what: role checks written once, used by every view."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .roles import Role

BUREAU_ROLES = (Role.BUREAU_STAFF, Role.LEADERSHIP, Role.SYSTEM_ADMIN)
EDITOR_ROLES = (Role.BUREAU_STAFF, Role.SYSTEM_ADMIN)


def role_required(*roles: Role) -> Callable:
    """Anonymous users go to the login page; signed-in users of another role get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = roles  # read by the access-matrix test
        return wrapper

    return decorator


def enterprise_user_required(view: Callable) -> Callable:
    """For the enterprise portal: sets request.enterprise to the user's own enterprise."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.role is not Role.ENTERPRISE_USER:
            raise PermissionDenied
        account = getattr(request.user, "enterprise_account", None)
        if account is None:
            raise PermissionDenied
        request.enterprise = account.enterprise
        return view(request, *args, **kwargs)

    wrapper.allowed_roles = (Role.ENTERPRISE_USER,)
    return wrapper
