"""Writes that every app shares: moving an application through the pipeline, locking periods,
and keeping the role groups' permissions in step with the installed models."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    ALLOWED_TRANSITIONS,
    Application,
    ApplicationStatus,
    ApplicationTransition,
    PeriodStatus,
    ReportingPeriod,
    User,
)
from .roles import (
    ACCOUNT_MODELS,
    ADMIN_ROLES,
    AUDIT_MODELS,
    DOMAIN_APPS,
    EXPLICIT_ONLY_PERMISSIONS,
    STAFF_EXCLUDED_MODELS,
    Role,
)

# Set by the demo seeder only (`trusted_writes()`): its rows come from a fixed plan, so the
# model's constraints are left to the database (which enforces every one of them) instead of
# being checked first by one SELECT per constraint per transition (a third of seed_demo's time).
_trusted_writes: ContextVar[bool] = ContextVar("trusted_writes", default=False)


@contextmanager
def trusted_writes():
    """Within it, transitions skip the Python-side check of database constraints (the database
    still refuses a row that breaks one). For seeders of generated data, never for user input."""
    token = _trusted_writes.set(True)
    try:
        yield
    finally:
        _trusted_writes.reset(token)


@transaction.atomic
def transition_application(
    application: Application,
    to_status: str,
    *,
    by: User | None = None,
    remark: str = "",
    at=None,
    **fields,
) -> ApplicationTransition:
    """Move `application` to `to_status` if the flow allows it, keeping who/when/why.

    Extra keyword fields (level, certificate_no, valid_from, valid_to, approved_on…) are set on
    the application in the same transaction; the model is validated before saving.
    """
    from_status = application.status
    if to_status not in ApplicationStatus.values:
        raise ValidationError(_("未知的状态：%(s)s") % {"s": to_status})
    if to_status not in ALLOWED_TRANSITIONS[from_status]:
        raise ValidationError(
            _("不能从「%(a)s」变更为「%(b)s」。")
            % {
                "a": ApplicationStatus(from_status).label,
                "b": ApplicationStatus(to_status).label,
            }
        )
    at = at or timezone.now()
    for name, value in fields.items():
        setattr(application, name, value)
    application.status = to_status
    application.status_changed_at = at
    if to_status == ApplicationStatus.APPROVED and application.approved_on is None:
        application.approved_on = timezone.localdate(at)
    application.full_clean(validate_constraints=not _trusted_writes.get())
    application.save()
    transition = ApplicationTransition.objects.create(
        content_type=ContentType.objects.get_for_model(type(application)),
        object_id=application.pk,
        from_status=from_status,
        to_status=to_status,
        at=at,
        by=by,
        remark=remark,
    )
    from notifications import events  # the enterprise hears of its application's new stage

    events.application_moved(application, transition)
    return transition


def record_initial_status(application: Application, *, by: User | None = None, remark: str = ""):
    """Keep the first status of a newly created application in its history."""
    return ApplicationTransition.objects.create(
        content_type=ContentType.objects.get_for_model(type(application)),
        object_id=application.pk,
        from_status="",
        to_status=application.status,
        at=application.status_changed_at,
        by=by,
        remark=remark,
    )


def lock_period(period: ReportingPeriod, *, by: User | None) -> None:
    period.status = PeriodStatus.LOCKED
    period.locked_at = timezone.now()
    period.locked_by = by
    period.save()


def unlock_period(period: ReportingPeriod, *, by: User | None) -> None:
    period.status = PeriodStatus.OPEN
    period.locked_at = None
    period.locked_by = None
    period.save()


def sync_role_groups() -> dict[Role, Group]:
    """Create the role groups and give each the permissions its role implies.

    Staff: add/change/delete/view on every domain model (not users, not the audit trail).
    Leadership: view only. Enterprise users: none (their portal checks ownership).
    三权分立: the system admin gets everything but accounts/permissions and the audit trail; the
    security admin gets accounts, groups, permissions and lockouts; the audit admin reads the
    audit trail (view only). Explicit-only permissions (unmasking personal data) go to no group.
    Idempotent; runs after every migrate so new models are covered automatically.
    """
    groups = {role: Group.objects.get_or_create(name=role.group_name)[0] for role in Role}
    perms = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS).select_related(
        "content_type"
    )
    staff, view = [], []
    for perm in perms:
        key = (perm.content_type.app_label, perm.content_type.model)
        if key in STAFF_EXCLUDED_MODELS or key in AUDIT_MODELS:
            continue
        if (perm.content_type.app_label, perm.codename) in EXPLICIT_ONLY_PERMISSIONS:
            continue
        # Historical models carry no permissions of their own; everything else does.
        staff.append(perm)
        if perm.codename.startswith("view_"):
            view.append(perm)
    groups[Role.BUREAU_STAFF].permissions.set(staff)
    groups[Role.LEADERSHIP].permissions.set(view)
    explicit = Q(pk__in=[])
    for app, codename in EXPLICIT_ONLY_PERMISSIONS:
        explicit |= Q(content_type__app_label=app, codename=codename)
    every = Permission.objects.exclude(explicit).select_related("content_type")
    system, security, audit = [], [], []
    for perm in every:
        key = (perm.content_type.app_label, perm.content_type.model)
        if key in ACCOUNT_MODELS:
            # Permissions themselves are Django's, fixed by the code: view only.
            if key != ("auth", "permission") or perm.codename.startswith("view_"):
                security.append(perm)
        elif key in AUDIT_MODELS:
            if perm.codename.startswith("view_"):
                audit.append(perm)
        else:
            system.append(perm)
    groups[Role.SYSTEM_ADMIN].permissions.set(system)
    groups[Role.SECURITY_ADMIN].permissions.set(security)
    groups[Role.AUDIT_ADMIN].permissions.set(audit)
    groups[Role.ENTERPRISE_USER].permissions.clear()
    return groups


def admin_roles_of(group_names) -> list[Role]:
    names = set(group_names)
    return [r for r in ADMIN_ROLES if r.group_name in names]


def refuse_two_admin_roles(sender, instance, action, reverse, pk_set=None, **kwargs) -> None:
    """m2m_changed receiver on User.groups: no account holds two administrator roles (三权分立)."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        # A group given users: each user keeps at most one administrator role.
        role = next((r for r in ADMIN_ROLES if r.group_name == instance.name), None)
        if role is None:
            return
        others = [r.group_name for r in ADMIN_ROLES if r is not role]
        clash = Group.objects.filter(name__in=others, user__pk__in=pk_set).exists()
    else:
        adding = Group.objects.filter(pk__in=pk_set).values_list("name", flat=True)
        held = instance.groups.values_list("name", flat=True)
        clash = len(admin_roles_of([*adding, *held])) > 1
    if clash:
        raise ValidationError(_("三权分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任。"))
