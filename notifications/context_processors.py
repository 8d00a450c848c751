"""The bell in the top bar: the signed-in user's unread notifications."""

from django.http import HttpRequest

from . import selectors


def bell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Loaded with the user (notifications.backends); otherwise one query, kept on the request.
    count = getattr(user, "unread_notifications", None)
    if count is None:
        count = selectors.unread_count(request)
    return {"unread_notifications": count}
