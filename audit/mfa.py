"""Two-factor sign-in (双因素认证, 等保 2.0 身份鉴别): who needs it, where it is enforced.

django-otp keeps the devices (TOTP, and static backup codes) and marks a session verified;
django-two-factor-auth's wizard asks for the token after the password (bureau.views.LoginView).
This module holds the portal's policy:

- bureau staff, leadership and the three administrators need a verified session before any
  page but sign-in, enrolment, sign-out and the language switch opens, whenever
  `MFA_REQUIRED` is on; settings turn it on whenever DEBUG is false (the audit.E001 check
  refuses a settings override that turns it off there);
- enterprise users (and everyone when MFA is only offered) may enrol; a token asked of them may
  then be left empty.
"""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core import checks
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from two_factor import forms as two_factor_forms

from .models import EventKind
from .services import record

# A session marked verified by the second factor, set by django_otp.login.
VERIFIED_SESSION_KEY = DEVICE_ID_SESSION_KEY


def role_needs_mfa(role) -> bool:
    """Bureau staff, leadership and the three administrators; not enterprise users."""
    from bureau.roles import Role

    return role is not None and role is not Role.ENTERPRISE_USER


def mfa_required_for(user) -> bool:
    """Whether this signed-in user must pass a second factor before any page opens."""
    if not settings.MFA_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return role_needs_mfa(user.role) or user.is_staff or user.is_superuser


@checks.register(checks.Tags.security, deploy=False)
def check_mfa_required(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """audit.E001: with DEBUG false, two-factor sign-in cannot be switched off."""
    if not settings.DEBUG and not settings.MFA_REQUIRED:
        return [
            checks.Error(
                "MFA_REQUIRED is false while DEBUG is false.",
                hint="Two-factor sign-in is required in production (等保 身份鉴别); "
                "only a DEBUG run may leave it optional.",
                id="audit.E001",
            )
        ]
    return []


def otpauth_uri(username: str, hex_key: str, digits: int = 6) -> str:
    """The otpauth:// URI an authenticator app reads (from the QR code or pasted)."""
    secret = b32encode(unhexlify(hex_key.encode("ascii"))).decode("ascii").rstrip("=")
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{username}")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": digits}, quote_via=quote)
    return f"otpauth://totp/{label}?{query}"


def _exempt_paths() -> tuple[str, ...]:
    return (
        reverse("login"),
        reverse("logout"),
        reverse("two_factor:setup"),
        reverse("two_factor:qr"),
        reverse("two_factor:setup_complete"),
        "/i18n/",
        settings.STATIC_URL,
        "/favicon",
    )


class MFARequiredMiddleware:
    """An unverified session of a user who needs two-factor sign-in opens no page.

    With no device yet, the user is sent to enrolment (after which the session is verified);
    with a device but an unverified session (signed in some other way than the two-step
    sign-in, such as the admin's own password form), the session ends and sign-in asks for the
    token. Costs no query unless MFA is required for a signed-in user whose session is not
    verified.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and mfa_required_for(user)
            and not request.path.startswith(_exempt_paths())
        ):
            if user_has_device(user):
                record(EventKind.MFA_FAILED, request=request, reason="session_not_verified")
                logout(request)
                messages.warning(request, _("请重新登录并输入动态口令。"))
                return redirect_to_login(request.get_full_path())
            messages.info(request, _("请先设置双因素认证（动态口令），才能使用本平台。"))
            return redirect(f"{reverse('two_factor:setup')}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class _RecordsFailureMixin:
    """A wrong or missing token is a security-log event and counts towards the address'
    sign-in throttle (audit.throttle), besides django-otp's per-device back-off."""

    method = "totp"

    def clean(self):
        if not self.cleaned_data.get("otp_token") and not settings.MFA_REQUIRED:
            # Offered, not required (make run): an empty token signs in without the second
            # factor. Wherever MFA is required, an enrolled user (enterprise users too) gives it.
            return self.cleaned_data
        try:
            return super().clean()
        except forms.ValidationError:
            from .throttle import count_failure

            request = getattr(self, "request", None)
            record(
                EventKind.MFA_FAILED,
                request=request,
                username=self.user.get_username(),
                method=self.method,
            )
            count_failure(None, {"username": self.user.get_username()}, request=request)
            raise


OTP_ERRORS = {
    "token_required": gettext_lazy("请输入动态口令。"),
    "challenge_exception": gettext_lazy("无法发送验证码：{0}"),
    "not_interactive": gettext_lazy("所选设备不能发送验证码。"),
    "challenge_message": gettext_lazy("验证码：{0}"),
    "invalid_token": gettext_lazy("动态口令错误，请核对后重新输入。"),
    "n_failed_attempts": gettext_lazy("动态口令错误次数过多，验证已暂停，请稍后再试。"),
    "verification_not_allowed": gettext_lazy("验证已暂停，请稍后再试。"),
    "device_required": gettext_lazy("请选择设备。"),
}


class TokenForm(_RecordsFailureMixin, two_factor_forms.AuthenticationTokenForm):
    """The token step of sign-in: six digits from the authenticator app."""

    otp_error_messages = OTP_ERRORS
    otp_token = forms.RegexField(
        label=gettext_lazy("动态口令"),
        regex=r"^[0-9]*$",
        min_length=6,
        max_length=6,
        required=False,
        error_messages={"invalid": gettext_lazy("动态口令是6位数字。")},
    )
    otp_token.widget.attrs.update(
        {"autofocus": "autofocus", "inputmode": "numeric", "autocomplete": "one-time-code"}
    )

    def __init__(self, user, initial_device, request=None, **kwargs) -> None:
        super().__init__(user, initial_device, **kwargs)
        self.request = request


class BackupTokenForm(_RecordsFailureMixin, two_factor_forms.BackupTokenForm):
    """The backup step of sign-in: one of the ten one-time backup codes."""

    method = "backup"
    otp_error_messages = OTP_ERRORS
    otp_token = forms.CharField(label=gettext_lazy("备用验证码"), required=False)
    otp_token.widget.attrs.update({"autofocus": "autofocus", "autocomplete": "off"})

    def __init__(self, user, initial_device, request=None, **kwargs) -> None:
        super().__init__(user, initial_device, **kwargs)
        self.request = request


class DeviceTokenForm(two_factor_forms.TOTPDeviceForm):
    """Enrolment: the first token from the app proves it holds the secret."""

    token = forms.IntegerField(
        label=gettext_lazy("动态口令"),
        min_value=0,
        max_value=999999,
        error_messages={"invalid": gettext_lazy("动态口令是6位数字。")},
        widget=forms.TextInput,  # six digits, not a number box with arrows
    )
    token.widget.attrs.update(
        {"autofocus": "autofocus", "inputmode": "numeric", "autocomplete": "one-time-code"}
    )
    error_messages = {"invalid_token": gettext_lazy("动态口令错误，请核对手机上的时间后重新输入。")}


class DisableForm(forms.Form):
    understand = forms.BooleanField(label=gettext_lazy("我确认停用双因素认证"))


def backup_code_used(sender, request, user, device, **kwargs) -> None:
    """two_factor's user_verified receiver: a backup code spent is its own event."""
    from django_otp.plugins.otp_static.models import StaticDevice

    if isinstance(device, StaticDevice):
        remaining = device.token_set.count()
        record(EventKind.MFA_BACKUP_USED, request=request, user=user, remaining=remaining)


def device_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """Enrolment of an authenticator (TOTP) or of backup codes, by any path."""
    if raw or not created:
        return
    record(
        EventKind.MFA_CHANGED,
        username=_username(instance.user_id),
        target=instance.user_id,
        action="enrolled",
        device=instance._meta.model_name,
        confirmed=instance.confirmed,
    )


def device_deleted(sender, instance, **kwargs) -> None:
    """Removal of an authenticator or of the backup codes, by any path (profile, admin)."""
    record(
        EventKind.MFA_CHANGED,
        username=_username(instance.user_id),
        target=instance.user_id,
        action="removed",
        device=instance._meta.model_name,
    )


def _username(user_id: int) -> str:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()._base_manager.filter(pk=user_id).values_list("username", flat=True).first()
        or ""
    )
