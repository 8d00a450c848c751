"""Writes of technology finance that span more than one row: posting needs, events and
invitations, signings that close needs, disbursements, and the guarantee scheme's stages.

Every write validates the model (full_clean) before saving, inside a transaction, so bad
input raises ValidationError with a Chinese message naming the field and saves nothing.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from bureau.concurrency import ensure_current
from bureau.models import Activity, ActivityKind, ApplicationStatus
from bureau.services import record_initial_status, transition_application
from notifications import events

from .case import TAKEN_UP_MESSAGE
from .models import (
    SCHEME_STAGE_ORDER,
    Disbursement,
    FinanceEvent,
    FinancialProduct,
    FinancingNeed,
    GuaranteeScheme,
    Institution,
    NeedSource,
    NeedStatus,
    SchemeStage,
    SchemeStageEntry,
    Signing,
)

# The shared pipeline status that goes with each stage of a scheme's approval path.
STAGE_STATUS: dict[str, str] = {
    SchemeStage.DESIGN: ApplicationStatus.PREPARING,
    SchemeStage.CONTRACT: ApplicationStatus.PREPARING,
    SchemeStage.JUDICIAL_REVIEW: ApplicationStatus.SUBMITTED,
    SchemeStage.COUNTY_REVIEW: ApplicationStatus.UNDER_REVIEW,
    SchemeStage.SIGNING: ApplicationStatus.APPROVED,
    SchemeStage.LAUNCHED: ApplicationStatus.APPROVED,
}


@transaction.atomic
def post_need(*, enterprise, by=None, source: str = NeedSource.STAFF, **fields) -> FinancingNeed:
    """A new open financing need of `enterprise` (from the portal or entered by staff)."""
    need = FinancingNeed(enterprise=enterprise, source=source, created_by=by, **fields)
    need.status = NeedStatus.OPEN
    need.full_clean()
    need.save()
    events.need_posted(need, by=by)
    return need


# The fields of a need its enterprise may change before staff take it up.
ENTERPRISE_EDITABLE = (
    "amount",
    "purpose",
    "term_months",
    "collateral_available",
    "collateral_note",
    "wanted_by",
)


def accepted_in_inbox() -> Exists:
    """Whether staff have taken the need up (or handled it) in their inbox."""
    from notifications.models import InboxItem, InboxStatus

    return Exists(
        InboxItem.objects.filter(
            content_type__app_label="finance",
            content_type__model="financingneed",
            object_id=OuterRef("pk"),
        ).exclude(status=InboxStatus.NEW)
    )


def changeable_by_enterprise() -> Q:
    """Needs the enterprise may still edit or withdraw: posted through the portal, open, not
    taken up in the staff inbox, not presented at any event and without a signing
    (finance.case: not yet taken up)."""
    presented = FinanceEvent.needs_presented.through.objects.filter(financingneed_id=OuterRef("pk"))
    return (
        Q(status=NeedStatus.OPEN, source=NeedSource.PORTAL)
        & ~accepted_in_inbox()
        & ~Exists(presented)
        & ~Exists(Signing.objects.filter(need_id=OuterRef("pk")))
    )


def _lock_changeable(
    need: FinancingNeed, token: str | None, next_url: str | None = None
) -> FinancingNeed:
    """The need re-read under a row lock, refused unless the enterprise may still change it
    (checked in the database, so a staff action committed meanwhile wins) and unless the form
    was opened on its latest version (bureau.concurrency)."""
    locked = (
        FinancingNeed.objects.select_for_update()
        .filter(changeable_by_enterprise(), pk=need.pk, enterprise_id=need.enterprise_id)
        .first()
    )
    if locked is None:
        raise ValidationError(TAKEN_UP_MESSAGE, code="taken_up")
    ensure_current(locked, token, next_url=next_url)
    return locked


@transaction.atomic
def update_need_by_enterprise(
    need: FinancingNeed, *, by, token: str | None, **fields
) -> FinancingNeed:
    """The enterprise's correction of its own need, until staff take it up."""
    locked = _lock_changeable(need, token)
    for name in ENTERPRISE_EDITABLE:
        if name in fields:
            setattr(locked, name, fields[name])
    locked.full_clean()
    locked._history_user = by
    locked._change_reason = _("企业修改")
    locked.save()
    return locked


@transaction.atomic
def withdraw_need(
    need: FinancingNeed, *, by, token: str | None, next_url: str | None = None
) -> FinancingNeed:
    """The enterprise withdraws its own need (已撤回), until staff take it up; the history
    records who withdrew it and when."""
    locked = _lock_changeable(need, token, next_url)
    locked.status = NeedStatus.WITHDRAWN
    locked._history_user = by
    locked._change_reason = _("企业撤回")
    locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def create_event(
    *,
    kind: ActivityKind,
    date: datetime.date,
    topic: str,
    place: str = "",
    co_organizer: str = "",
    institutions: Iterable[Institution] = (),
    enterprises: Iterable = (),
    attendance: int | None = None,
    notes: str = "",
    by=None,
) -> FinanceEvent:
    """A finance event: the bureau activity (counted with all activities) and its finance row."""
    activity = Activity(
        kind=kind,
        date=date,
        topic=topic,
        place=place,
        attendance=attendance,
        notes=notes,
        created_by=by,
    )
    activity.full_clean()
    activity.save()
    activity.enterprises.set(list(enterprises))
    event = FinanceEvent.objects.create(activity=activity, co_organizer=co_organizer)
    event.institutions.set(list(institutions))
    return event


@transaction.atomic
def invite_to_event(
    *, event: FinanceEvent, need: FinancingNeed, bank: Institution | None = None
) -> None:
    """Invite the need's enterprise (and the matched bank) to `event`, presenting the need."""
    # Locked and re-read, so an enterprise's withdrawal committed meanwhile is seen.
    need = FinancingNeed.objects.select_for_update().get(pk=need.pk)
    if not need.is_open:
        raise ValidationError(_("该融资需求已关闭，不能再推介。"))
    event.activity.enterprises.add(need.enterprise)
    event.needs_presented.add(need)
    if bank is not None:
        event.institutions.add(bank)
    events.need_matched(need, event=event, bank=bank)


@transaction.atomic
def record_signing(
    *,
    enterprise,
    bank: Institution,
    amount: Decimal,
    signed_on: datetime.date,
    event: FinanceEvent | None = None,
    product: FinancialProduct | None = None,
    need: FinancingNeed | None = None,
    by=None,
) -> Signing:
    """A signing; it closes its need (met on the signing date) and marks who attended the event."""
    signing = Signing(
        enterprise=enterprise,
        bank=bank,
        amount=amount,
        signed_on=signed_on,
        event=event,
        product=product,
        need=need,
        created_by=by,
    )
    if need is not None:
        # Locked and re-read, so an enterprise's withdrawal committed meanwhile is seen.
        need = FinancingNeed.objects.select_for_update().get(pk=need.pk)
        signing.need = need
    signing.full_clean()
    if need is not None and need.status == NeedStatus.WITHDRAWN:
        raise ValidationError({"need": _("该融资需求已撤回，不能关联签约。")})
    signing.save()
    if need is not None and need.status != NeedStatus.MET:
        need.status = NeedStatus.MET
        need.met_on = signed_on
        need.save(update_fields=["status", "met_on"])
    if event is not None:
        event.activity.enterprises.add(enterprise)
        event.institutions.add(bank)
    events.signing_recorded(signing)
    return signing


@transaction.atomic
def record_disbursement(
    *, signing: Signing, amount: Decimal, disbursed_on: datetime.date
) -> Disbursement:
    """A disbursement under `signing`; refused when the total would exceed the signed amount."""
    # Lock the signing so two concurrent disbursements cannot both pass the total check.
    signing = Signing.objects.select_for_update().get(pk=signing.pk)
    disbursement = Disbursement(signing=signing, amount=amount, disbursed_on=disbursed_on)
    disbursement.full_clean()
    disbursement.save()
    return disbursement


@transaction.atomic
def start_scheme(*, started_on: datetime.date, by=None, remark: str = "", **fields):
    """A new guarantee scheme at its first stage (方案设计), with its first history entries."""
    scheme = GuaranteeScheme(stage=SchemeStage.DESIGN, status=ApplicationStatus.PREPARING, **fields)
    scheme.full_clean()
    scheme.save()
    record_initial_status(scheme, by=by, remark=remark)
    SchemeStageEntry.objects.create(
        scheme=scheme, stage=SchemeStage.DESIGN, entered_on=started_on, remark=remark, by=by
    )
    return scheme


@transaction.atomic
def advance_scheme(
    scheme: GuaranteeScheme,
    *,
    on: datetime.date,
    remark: str = "",
    by=None,
) -> SchemeStageEntry:
    """Move the scheme to the next stage of its approval path on `on`, keeping the remark.

    The previous stage is completed on the same day; the shared pipeline status follows
    (STAGE_STATUS). Stages cannot be skipped, and 上线 is the last.
    """
    scheme = GuaranteeScheme.objects.select_for_update().get(pk=scheme.pk)
    position = SCHEME_STAGE_ORDER.index(scheme.stage)
    if position + 1 >= len(SCHEME_STAGE_ORDER):
        raise ValidationError(_("担保计划已上线，没有下一阶段。"))
    current = scheme.stage_entries.filter(stage=scheme.stage).first()
    if current is not None and on < current.entered_on:
        raise ValidationError(
            {
                "on": _("日期不能早于当前阶段（%(s)s）的开始日期%(d)s。")
                % {"s": scheme.get_stage_display(), "d": current.entered_on}
            }
        )
    to_stage = SCHEME_STAGE_ORDER[position + 1]
    to_status = STAGE_STATUS[to_stage]
    if to_status != scheme.status:
        transition_application(scheme, to_status, by=by, remark=remark, stage=to_stage)
    else:
        scheme.stage = to_stage
        scheme.full_clean()
        scheme.save()
    if current is not None:
        current.completed_on = on
        current.save(update_fields=["completed_on"])
    return SchemeStageEntry.objects.create(
        scheme=scheme, stage=to_stage, entered_on=on, remark=remark, by=by
    )
