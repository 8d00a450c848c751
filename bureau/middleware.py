"""Response headers the security controls ask for beyond Django's own."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreForSignedInMiddleware:
    """`Cache-Control: no-store` on every page a signed-in user gets (剩余信息保护).

    A shared or back-button cache must not keep an enterprise's figures or a roster page after
    the user has logged out. Static files are served before this (whitenoise) and keep theirs.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
