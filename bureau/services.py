"""Writes that every app shares: moving an application through the pipeline, locking periods,
and keeping the role groups' permissions in step with the installed models."""

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
from .roles import DOMAIN_APPS, EXPLICIT_ONLY_PERMISSIONS, STAFF_EXCLUDED_MODELS, Role


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
    application.full_clean()
    application.save()
    return ApplicationTransition.objects.create(
        content_type=ContentType.objects.get_for_model(type(application)),
        object_id=application.pk,
        from_status=from_status,
        to_status=to_status,
        at=at,
        by=by,
        remark=remark,
    )


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

    Staff: add/change/delete/view on every domain model (not users). Leadership: view only.
    System admin: everything. Enterprise users: none (their portal checks ownership).
    Idempotent; runs after every migrate so new models are covered automatically.
    """
    groups = {role: Group.objects.get_or_create(name=role.group_name)[0] for role in Role}
    perms = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS).select_related(
        "content_type"
    )
    staff, view = [], []
    for perm in perms:
        key = (perm.content_type.app_label, perm.content_type.model)
        if key in STAFF_EXCLUDED_MODELS:
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
    groups[Role.SYSTEM_ADMIN].permissions.set(Permission.objects.exclude(explicit))
    groups[Role.ENTERPRISE_USER].permissions.clear()
    return groups
