"""Password rules of GB/T 22239-2019 level 3 (身份鉴别), as Django password validators.

- complexity: at least three of four character classes (upper, lower, digit, symbol), and at
  least 10 characters (Django's MinimumLengthValidator, configured in settings);
- no reuse of the last `PASSWORD_HISTORY_COUNT` (5) passwords;
- a change forced after `PASSWORD_MAX_AGE_DAYS` (90) for bureau staff, leadership and admins
  (middleware below); enterprise users are not forced.

Where this departs from OWASP ASVS 4.0 (V2.1): ASVS advises against composition rules and
periodic rotation (2.1.9, 2.1.10) and asks for a breached-password check instead. 等保 2.0's
assessment practice asks for both complexity and periodic change, and the portal must pass that
assessment, so both are enforced; the common-password check (Django's list) stays as well.
"""

from __future__ import annotations

import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

CLASSES = (
    ("upper", set(string.ascii_uppercase)),
    ("lower", set(string.ascii_lowercase)),
    ("digit", set(string.digits)),
)


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols (anything else) the password has."""
    chars = set(password)
    count = sum(1 for _name, members in CLASSES if chars & members)
    every = set().union(*(m for _n, m in CLASSES))
    if chars - every:
        count += 1
    return count


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少%(n)d类。")
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少%(n)d类。") % {
            "n": self.min_classes
        }


class PasswordHistoryValidator:
    """Refuse the last `count` passwords; record each new one (Django calls password_changed)."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def _recent(self, user):
        from .models import PasswordHistory

        return PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[
            : self.count
        ]

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        hashes = list(self._recent(user))
        if user.password and user.password not in hashes:
            hashes.insert(0, user.password)
        if any(check_password(password, h) for h in hashes[: self.count]):
            raise ValidationError(
                _("新密码不能与最近%(n)d次使用过的密码相同。") % {"n": self.count},
                code="password_reused",
            )

    def password_changed(self, password: str, user=None) -> None:
        from .models import PasswordHistory

        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        keep = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[
                : self.count
            ]
        )
        PasswordHistory.objects.filter(user_id=user.pk).exclude(pk__in=keep).delete()

    def get_help_text(self) -> str:
        return _("新密码不能与最近%(n)d次使用过的密码相同。") % {"n": self.count}


def last_changed(user):
    """When the user last set a password: the history, or the account's creation."""
    from .models import PasswordHistory

    at = (
        PasswordHistory.objects.filter(user_id=user.pk).values_list("changed_at", flat=True).first()
    )
    return at or user.date_joined


def must_change(user) -> bool:
    from bureau.roles import Role

    if user.role in (None, Role.ENTERPRISE_USER):
        return False
    max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    return timezone.now() - last_changed(user) > max_age


EXPIRED = "password_expired"


def mark_expiry(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: whether this sign-in must change its password first.

    Decided once at sign-in, so pages do not pay a query for it on every request.
    """
    if must_change(user):
        request.session[EXPIRED] = True


class PasswordExpiryMiddleware:
    """Staff, leadership and admins whose password is older than 90 days change it first."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(EXPIRED):
            done = reverse("password_change_done")
            if request.path == done:
                session.pop(EXPIRED, None)
            elif request.path not in (reverse("password_change"), reverse("logout")) and not (
                request.path.startswith((settings.STATIC_URL, "/i18n/"))
            ):
                from django.contrib import messages

                messages.warning(
                    request,
                    _("密码已超过%(d)d天未修改，请先修改密码。")
                    % {"d": settings.PASSWORD_MAX_AGE_DAYS},
                )
                return redirect("password_change")
        return self.get_response(request)
