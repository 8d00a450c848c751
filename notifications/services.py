"""Writes of the notifications app: creating notifications and queueing their e-mail and SMS
deliveries, sending those, marking read, preferences, the staff inbox and filing reminders.

Sending happens after the commit in a Celery task (eager without a broker). A broker that
refuses the task never fails the save that asked for it: the failure is logged, and the
deliveries stay pending for the sweep (tasks.sweep_deliveries) to send later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.masking import mask_email, mask_phone

from .models import (
    DEFAULT_CHANNELS,
    Channel,
    Delivery,
    DeliveryStatus,
    FilingReminder,
    InboxItem,
    InboxKind,
    InboxStatus,
    Notification,
    Preference,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


# --- Recipients ---------------------------------------------------------------------------


def enterprise_recipients(enterprises) -> QuerySet:
    """The active user accounts of an enterprise, an id list or a queryset of enterprises
    (enterprises.EnterpriseAccount), with what delivery needs loaded."""
    from bureau.models import User

    if isinstance(enterprises, Model):
        enterprises = [enterprises.pk]
    return (
        User.objects.filter(is_active=True, enterprise_account__enterprise__in=enterprises)
        .select_related("enterprise_account__enterprise")
        .order_by("pk")
    )


def _phone_of(user) -> str:
    """Where an SMS goes: the enterprise's contact phone, else the user's own number."""
    account = getattr(user, "enterprise_account", None)
    phone = account.enterprise.contact_phone if account is not None else ""
    return (phone or user.phone or "").strip()


def masked_phone_of(user) -> str:
    """The number SMS to `user` go to, masked (for the preferences page)."""
    return mask_phone(_phone_of(user))


def _address(user, channel: str) -> str:
    return (user.email or "").strip() if channel == Channel.EMAIL else _phone_of(user)


def _masked(channel: str, address: str) -> str:
    return mask_email(address) if channel == Channel.EMAIL else mask_phone(address)


# --- Preferences --------------------------------------------------------------------------


def channels_for(users: Iterable, kind: str) -> dict[int, set[str]]:
    """Extra channels (e-mail, SMS) each user wants for `kind`: their preference row, else the
    kind's defaults. One query."""
    ids = [u.pk for u in users]
    chosen = {
        p.user_id: p
        for p in Preference.objects.filter(user_id__in=ids, kind=kind).only(
            "user_id", "email", "sms"
        )
    }
    result: dict[int, set[str]] = {}
    for pk in ids:
        pref = chosen.get(pk)
        if pref is None:
            result[pk] = set(DEFAULT_CHANNELS[kind])
        else:
            result[pk] = {
                c for c, on in ((Channel.EMAIL, pref.email), (Channel.SMS, pref.sms)) if on
            }
    return result


def preference_table(user) -> list[tuple[str, str, bool, bool]]:
    """(kind, label, e-mail on, SMS on) for every kind, as `user` has chosen or by default."""
    from .models import Kind

    rows = {p.kind: p for p in Preference.objects.filter(user=user)}
    table = []
    for kind in Kind:
        pref = rows.get(kind.value)
        if pref is None:
            defaults = DEFAULT_CHANNELS[kind.value]
            table.append(
                (kind.value, kind.label, Channel.EMAIL in defaults, Channel.SMS in defaults)
            )
        else:
            table.append((kind.value, kind.label, pref.email, pref.sms))
    return table


@transaction.atomic
def save_preferences(user, choices: Mapping[str, tuple[bool, bool]]) -> None:
    """Store `user`'s (e-mail, SMS) choice for each kind given."""
    for kind, (email, sms) in choices.items():
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": bool(email), "sms": bool(sms)}
        )


# --- Notify -------------------------------------------------------------------------------


def notify(
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    *,
    dedupe_key: str = "",
) -> list[Notification]:
    """One notification per recipient (users), in the portal at once, and its e-mail/SMS
    deliveries as each recipient's preferences say, sent after the commit.

    With `dedupe_key`, a recipient who already has a notification with that key gets none.
    Returns the notifications created. A constant number of queries for any number of users.
    """
    users = list(recipients)
    if not users:
        return []
    if dedupe_key:
        already = set(
            Notification.objects.filter(
                recipient_id__in=[u.pk for u in users], dedupe_key=dedupe_key
            ).values_list("recipient_id", flat=True)
        )
        users = [u for u in users if u.pk not in already]
        if not users:
            return []
    return _create([(u, title, body, url) for u in users], kind, dedupe_key=dedupe_key)


def notify_each_enterprise(
    messages: Mapping[int, tuple[str, str, str]], kind: str
) -> list[Notification]:
    """`notify` with a message of its own for each enterprise ({enterprise id: (title, body,
    url)}) to that enterprise's active accounts. A constant number of queries for any number
    of enterprises (a staff import tells every enterprise of its file at once)."""
    if not messages:
        return []
    users = list(enterprise_recipients(list(messages)))
    return _create(
        [(u, *messages[u.enterprise_account.enterprise_id]) for u in users],
        kind,
    )


def _create(
    items: list[tuple[Any, str, str, str]], kind: str, *, dedupe_key: str = ""
) -> list[Notification]:
    """The notifications ((recipient, title, body, url) each) and their deliveries."""
    if not items:
        return []
    users = [u for u, *_rest in items]
    now = timezone.now()
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=u,
                    kind=kind,
                    title=title[:200],
                    body=body,
                    url=url[:300],
                    created=now,
                    dedupe_key=dedupe_key[:120],
                )
                for u, title, body, url in items
            ]
        )
        channels = channels_for(users, kind)
        deliveries = []
        for n, user in zip(notifications, users, strict=True):
            for channel in (Channel.EMAIL, Channel.SMS):
                if channel not in channels[user.pk]:
                    continue
                address = _address(user, channel)
                deliveries.append(
                    Delivery(
                        notification=n,
                        channel=channel,
                        address=_masked(channel, address),
                        status=DeliveryStatus.PENDING if address else DeliveryStatus.SKIPPED,
                        created=now,
                    )
                )
        deliveries = Delivery.objects.bulk_create(deliveries)
        pending = [d.pk for d in deliveries if d.status == DeliveryStatus.PENDING]
        if pending:
            transaction.on_commit(lambda: queue_deliveries(pending))
    return notifications


def notify_enterprise(enterprise, kind: str, title: str, body: str = "", url: str = "", **kw):
    """`notify` the enterprise's own accounts (never another enterprise's users)."""
    return notify(enterprise_recipients(enterprise), kind, title, body, url, **kw)


def queue_deliveries(ids: list[int]) -> None:
    """Hand the deliveries to the sending task; a broker that refuses is logged, never raised
    (the save is committed; the sweep sends what is left pending)."""
    from . import tasks

    try:
        tasks.send_deliveries.delay(ids)
    except Exception:
        logger.exception(
            "could not queue %d notification deliveries; the notifications are saved and the "
            "sweep will send them",
            len(ids),
        )


def _text(notification: Notification) -> str:
    link = ""
    if notification.url:
        link = settings.PORTAL_BASE_URL.rstrip("/") + notification.url
    return "\n\n".join(part for part in (notification.body, link) if part)


def send_deliveries(ids: Iterable[int]) -> dict[str, int]:
    """Send the pending deliveries among `ids`; each ends sent, failed (with the error) or, after
    a transient failure under MAX_ATTEMPTS, pending again. Returns counts by status."""
    from .sms import get_backend

    deliveries = list(
        Delivery.objects.filter(pk__in=list(ids), status=DeliveryStatus.PENDING).select_related(
            "notification__recipient__enterprise_account__enterprise"
        )
    )
    counts = {"sent": 0, "failed": 0, "pending": 0}
    if not deliveries:
        return counts
    connection = None
    sms = None
    for d in deliveries:
        n = d.notification
        user = n.recipient
        address = _address(user, d.channel)
        d.attempts += 1
        try:
            if not address:
                raise ValueError(_("没有可用的地址"))
            if d.channel == Channel.EMAIL:
                if connection is None:
                    connection = get_connection()
                subject = f"{_('科技金融局业务平台')}：{n.title}"
                EmailMessage(
                    subject=subject[:200],
                    body=_text(n) or n.title,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[address],
                    connection=connection,
                ).send()
            else:
                if sms is None:
                    sms = get_backend()
                sms.send(
                    address,
                    f"【{settings.SMS_SIGNATURE}】{n.title}" + (f" {n.body}" if n.body else ""),
                )
        except Exception as exc:  # a provider's error of any kind: keep it on the record
            d.error = f"{type(exc).__name__}: {exc}"[:2000]
            d.status = (
                DeliveryStatus.PENDING if d.attempts < MAX_ATTEMPTS else DeliveryStatus.FAILED
            )
            logger.warning("delivery %s (%s) failed: %s", d.pk, d.channel, d.error)
        else:
            d.status = DeliveryStatus.SENT
            d.sent_at = timezone.now()
            d.error = ""
        counts[d.status] += 1
    Delivery.objects.bulk_update(deliveries, ["status", "sent_at", "error", "attempts"])
    return counts


# --- Reading ------------------------------------------------------------------------------


def mark_read(user, pk: int | None = None) -> int:
    """Mark one of `user`'s notifications (or all unread ones) read; returns how many changed.
    Another user's id changes nothing."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())


# --- Staff inbox --------------------------------------------------------------------------


def record_submission(
    kind: str, record: Model, *, enterprise, title: str, url: str = "", by=None
) -> InboxItem:
    """An enterprise submitted `record`: put it in the staff inbox, or refresh its open item
    (a second submission before staff handled the first keeps one item, waiting since the
    first)."""
    content_type = ContentType.objects.get_for_model(type(record))
    item = (
        InboxItem.objects.filter(kind=kind, content_type=content_type, object_id=record.pk)
        .exclude(status=InboxStatus.HANDLED)
        .first()
    )
    if item is not None:
        item.title = title[:200]
        item.url = url[:300]
        item.submitted_by = by
        item.save(update_fields=["title", "url", "submitted_by"])
        return item
    try:
        with transaction.atomic():
            return InboxItem.objects.create(
                kind=kind,
                content_type=content_type,
                object_id=record.pk,
                enterprise=enterprise,
                title=title[:200],
                url=url[:300],
                submitted_by=by,
            )
    except IntegrityError:  # a concurrent submission created it first
        return InboxItem.objects.get(
            kind=kind, content_type=content_type, object_id=record.pk, status__in=OPEN_STATUSES
        )


OPEN_STATUSES = (InboxStatus.NEW, InboxStatus.TAKEN)


def _handled_message(item: InboxItem, action: str) -> tuple[str, str]:
    label = InboxKind(item.kind).label
    if action == "take":
        return (
            _("局工作人员已受理您提交的%(k)s") % {"k": label},
            _("「%(t)s」已由局工作人员受理，正在办理。") % {"t": item.title},
        )
    return (
        _("您提交的%(k)s已办结") % {"k": label},
        _("「%(t)s」已由局工作人员办结。") % {"t": item.title},
    )


@transaction.atomic
def take_up(item_id: int, *, by) -> InboxItem:
    """Staff take an inbox item (assign to me); the enterprise is told it was taken up."""
    item = InboxItem.objects.select_for_update().select_related("enterprise").get(pk=item_id)
    if item.status == InboxStatus.HANDLED:
        raise ValidationError(_("该事项已办结。"))
    if item.status == InboxStatus.TAKEN and item.assignee_id == by.pk:
        return item
    first_time = item.status == InboxStatus.NEW
    item.status = InboxStatus.TAKEN
    item.assignee = by
    item.taken_at = timezone.now()
    item.save(update_fields=["status", "assignee", "taken_at"])
    if first_time:
        from .models import Kind

        title, body = _handled_message(item, "take")
        notify_enterprise(item.enterprise, Kind.SUBMISSION_HANDLED, title, body, _portal_url(item))
    return item


@transaction.atomic
def mark_handled(item_id: int, *, by) -> InboxItem:
    """Staff close an inbox item; the enterprise is told it was handled."""
    from .models import Kind

    item = InboxItem.objects.select_for_update().select_related("enterprise").get(pk=item_id)
    if item.status == InboxStatus.HANDLED:
        raise ValidationError(_("该事项已办结。"))
    now = timezone.now()
    item.status = InboxStatus.HANDLED
    item.assignee = item.assignee or by
    item.taken_at = item.taken_at or now
    item.handled_at = now
    item.handled_by = by
    item.save(update_fields=["status", "assignee", "taken_at", "handled_at", "handled_by"])
    title, body = _handled_message(item, "handled")
    notify_enterprise(item.enterprise, Kind.SUBMISSION_HANDLED, title, body, _portal_url(item))
    return item


# Where the enterprise reads about each kind of submission in its own portal.
PORTAL_PAGES = {
    InboxKind.FINANCING_NEED: "finance:portal_needs",
    InboxKind.TECH_DEMAND: "talent:portal_demands",
    InboxKind.ASSESSMENT: "digital:portal_assessments",
    InboxKind.QUARTERLY: "enterprises:portal_quarterly",
    InboxKind.ANNUAL: "enterprises:portal_annual",
    InboxKind.PROFILE: "enterprises:portal_profile",
}


def _portal_url(item: InboxItem) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(PORTAL_PAGES[item.kind])
    except NoReverseMatch:
        return reverse("enterprises:portal_home")


# --- Filing reminders (催报) ---------------------------------------------------------------


@dataclass(frozen=True)
class ReminderOutcome:
    sent: int  # enterprises reminded now
    already: int  # reminded earlier today for this period: not again
    filed: int  # have filed meanwhile: not reminded
    notifications: int


def send_filing_reminders(period, enterprise_ids: Iterable[int], *, by) -> ReminderOutcome:
    """Remind the chosen enterprises that have not filed `period` to file: a notification to
    each one's accounts through their channels, and a FilingReminder row so that no enterprise
    is reminded twice in a day for one period. A constant number of queries per call."""
    from bureau.models import PeriodStatus
    from enterprises.models import Enterprise, QuarterlyFigures

    from .models import Kind

    if period.status != PeriodStatus.OPEN:
        raise ValidationError(_("%(p)s已锁定，不能催报。") % {"p": period})
    today = timezone.localdate()
    ids = set(
        Enterprise.objects.filter(pk__in=list(enterprise_ids), is_active=True).values_list(
            "pk", flat=True
        )
    )
    filed = set(
        QuarterlyFigures.objects.filter(period=period, enterprise_id__in=ids).values_list(
            "enterprise_id", flat=True
        )
    )
    with transaction.atomic():
        already = set(
            FilingReminder.objects.filter(
                period=period, sent_on=today, enterprise_id__in=ids
            ).values_list("enterprise_id", flat=True)
        )
        targets = sorted(ids - filed - already)
        users = list(enterprise_recipients(targets))
        per_enterprise: dict[int, int] = {}
        for u in users:
            eid = u.enterprise_account.enterprise_id
            per_enterprise[eid] = per_enterprise.get(eid, 0) + 1
        FilingReminder.objects.bulk_create(
            [
                FilingReminder(
                    enterprise_id=eid,
                    period=period,
                    sent_on=today,
                    sent_by=by,
                    recipients=per_enterprise.get(eid, 0),
                )
                for eid in targets
            ],
            ignore_conflicts=True,
        )
        from django.urls import reverse

        deadline = (
            _("截止日期为%(d)s。") % {"d": period.deadline.isoformat()} if period.deadline else ""
        )
        created = notify(
            users,
            Kind.FILING_REMINDER,
            _("请填报%(p)s数据") % {"p": period},
            _("贵单位尚未填报%(p)s的数据，请尽快登录平台填报。") % {"p": period} + deadline,
            reverse("enterprises:portal_quarterly_edit", args=[period.pk]),
            dedupe_key=f"filing:{period.pk}:{today.isoformat()}",
        )
    return ReminderOutcome(
        sent=len(targets),
        already=len(already - filed),
        filed=len(filed),
        notifications=len(created),
    )
