"""Signals that become security-log events: logins, lockouts, passwords, roles, permissions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .models import EventKind
from .services import record


def _logged_in(sender, request, user, **kwargs) -> None:
    # The second factor that verified this sign-in, if any (set by django-otp's token form).
    device = getattr(user, "otp_device", None)
    mfa = device._meta.model_name if device is not None else None
    record(EventKind.LOGIN, request=request, user=user, mfa=mfa)


def _logged_out(sender, request, user, **kwargs) -> None:
    record(EventKind.LOGOUT, request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only the user name is kept from the credentials, never the password tried.
    record(
        EventKind.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", ""))[:150],
    )


def _locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    record(EventKind.LOCKOUT, request=request, username=str(username or "")[:150])


def _user_changing(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """Password and role flags compared with the stored row before a user is saved."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {
        "password",
        "is_superuser",
        "is_staff",
        "is_active",
    } & set(update_fields):
        return
    old = (
        sender._base_manager.filter(pk=instance.pk)
        .values("password", "is_superuser", "is_staff", "is_active")
        .first()
    )
    if old is None:
        return
    if old["password"] != instance.password:
        record(EventKind.PASSWORD_CHANGED, username=instance.get_username(), target=instance.pk)
    flags = {
        f: {"old": old[f], "new": getattr(instance, f)}
        for f in ("is_superuser", "is_staff", "is_active")
        if old[f] != getattr(instance, f)
    }
    if flags:
        record(
            EventKind.ROLE_CHANGED,
            username=instance.get_username(),
            target=instance.pk,
            flags=flags,
        )


def _names(queryset, field: str) -> list[str]:
    return sorted(str(v) for v in queryset.values_list(field, flat=True))


def _m2m_changed(kind: EventKind, relation: str, field: str):
    """Receiver for one many-to-many relation: the old set before, old and new after."""

    def receiver(sender, instance, action, reverse, pk_set=None, **kwargs) -> None:
        if reverse:
            # Changed from the other side (e.g. a group's user set): record per affected object.
            return
        if action in ("pre_add", "pre_remove", "pre_clear"):
            instance._audit_old = _names(getattr(instance, relation).all(), field)
        elif action in ("post_add", "post_remove", "post_clear"):
            old = getattr(instance, "_audit_old", None)
            new = _names(getattr(instance, relation).all(), field)
            if old != new:
                username = getattr(instance, "get_username", lambda: "")()
                record(
                    kind,
                    username=username,
                    target=f"{instance._meta.label}:{instance.pk}",
                    old=old,
                    new=new,
                )

    return receiver


def connect() -> None:
    from axes.signals import user_locked_out

    User = get_user_model()
    user_logged_in.connect(_logged_in, dispatch_uid="audit.login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit.logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit.login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit.lockout")
    from .sessions import mark_login_time
    from .throttle import count_failure

    user_logged_in.connect(mark_login_time, dispatch_uid="audit.session_start")
    from .passwords import mark_expiry

    user_logged_in.connect(mark_expiry, dispatch_uid="audit.password_expiry")
    user_login_failed.connect(count_failure, dispatch_uid="audit.throttle")
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from two_factor.signals import user_verified

    from . import mfa

    user_verified.connect(mfa.backup_code_used, dispatch_uid="audit.mfa_backup_used")
    for device_model in (TOTPDevice, StaticDevice):
        post_save.connect(
            mfa.device_saved, sender=device_model, dispatch_uid=f"audit.{device_model}"
        )
        post_delete.connect(
            mfa.device_deleted, sender=device_model, dispatch_uid=f"audit.del.{device_model}"
        )
    pre_save.connect(_user_changing, sender=User, dispatch_uid="audit.user")
    m2m_changed.connect(
        _m2m_changed(EventKind.ROLE_CHANGED, "groups", "name"),
        sender=User.groups.through,
        dispatch_uid="audit.user_groups",
        weak=False,
    )
    m2m_changed.connect(
        _m2m_changed(EventKind.PERMISSION_CHANGED, "user_permissions", "codename"),
        sender=User.user_permissions.through,
        dispatch_uid="audit.user_permissions",
        weak=False,
    )
    m2m_changed.connect(
        _m2m_changed(EventKind.PERMISSION_CHANGED, "permissions", "codename"),
        sender=Group.permissions.through,
        dispatch_uid="audit.group_permissions",
        weak=False,
    )
