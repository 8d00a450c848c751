"""Writes of the incubation app that span more than one row: applications with their history,
level upgrades that change the incubator, and a tenant's exit or graduation."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.models import Application, ApplicationStatus, ApplicationTransition, User
from bureau.services import record_initial_status, transition_application
from enterprises.models import Enterprise

from .models import ExitReason, Incubator, IncubatorLevelApplication, Tenancy


@transaction.atomic
def create_application(
    application: Application, *, by: User | None = None, remark: str = ""
) -> Application:
    """Validate and save a new application, keeping its first status in the history."""
    application.full_clean()
    application.save()
    record_initial_status(application, by=by, remark=remark)
    return application


@transaction.atomic
def move_application(
    application: Application,
    to_status: str,
    *,
    by: User | None = None,
    remark: str = "",
    at: datetime.datetime | None = None,
    **fields,
) -> ApplicationTransition:
    """Move an application through the shared flow; an approved level upgrade also sets the
    incubator's level. A backdated move may not precede the application's last change."""
    if at is not None and at < application.status_changed_at:
        raise ValidationError(
            _("状态变更时间不能早于上一次变更（%(t)s）。")
            % {"t": f"{timezone.localtime(application.status_changed_at):%Y-%m-%d %H:%M}"}
        )
    upgrade = (
        isinstance(application, IncubatorLevelApplication)
        and to_status == ApplicationStatus.APPROVED
    )
    if upgrade:
        # Locked and read afresh: the level it replaces is kept on the application, so the
        # figures can tell an incubator's level on a day before this approval.
        incubator = Incubator.objects.select_for_update().get(pk=application.incubator_id)
        fields["previous_level"] = incubator.level
    transition = transition_application(
        application, to_status, by=by, remark=remark, at=at, **fields
    )
    if upgrade:
        incubator.level = application.level
        incubator.save(update_fields=["level"])
        application.incubator = incubator
    return transition


@transaction.atomic
def admit_tenant(tenancy: Tenancy) -> Tenancy:
    """Register an enterprise's entry; refuses a second current incubator and overlapping
    stays (database-enforced on PostgreSQL; checked by Tenancy.clean() everywhere)."""
    if tenancy.enterprise_id:
        # Concurrent admissions of the same enterprise wait here, so the overlap check in
        # clean() cannot be raced on databases without the exclusion constraint.
        Enterprise.objects.select_for_update().filter(pk=tenancy.enterprise_id).first()
    tenancy.full_clean()
    try:
        with transaction.atomic():
            tenancy.save()
    except IntegrityError as exc:
        if "tenancy_no_overlapping_stays" in str(exc):
            message = _("该企业的在孵期间与已登记的在孵期间重叠。")
        else:
            message = _("该企业已在另一孵化载体在孵，请先办理离孵。")
        raise ValidationError({"enterprise": message}) from None
    return tenancy


@transaction.atomic
def end_tenancy(
    tenancy: Tenancy,
    *,
    on: datetime.date | None = None,
    reason: str = ExitReason.GRADUATED,
    graduation_basis: str = "",
) -> Tenancy:
    """Record a tenant's exit (毕业 when `reason` is graduated) on `on` (default today)."""
    if tenancy.exited_on is not None:
        raise ValidationError(
            {"exited_on": _("该企业已于 %(d)s 离孵。") % {"d": tenancy.exited_on}}
        )
    tenancy.exited_on = on or timezone.localdate()
    tenancy.exit_reason = reason
    tenancy.graduation_basis = graduation_basis if reason == ExitReason.GRADUATED else ""
    tenancy.full_clean()
    tenancy.save()
    return tenancy
