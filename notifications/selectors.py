"""Reads of the notifications app: a user's own notifications (the one gate), the staff inbox
and filing completion per period. Each costs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from .models import FilingReminder, InboxItem, InboxStatus, Notification

UNREAD_ATTR = "_notifications_unread"


def notifications_for_user(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody reads another's."""
    return Notification.objects.filter(recipient=user).order_by("-created", "-pk")


def notification_get_for_user(*, user, pk: int) -> Notification:
    """The user's notification `pk`; another user's id answers 404."""
    found = notifications_for_user(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def unread_count(request) -> int:
    """Unread notifications of the request's user: one query, kept on the request."""
    if not hasattr(request, UNREAD_ATTR):
        user = request.user
        count = 0
        if user.is_authenticated:
            count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        setattr(request, UNREAD_ATTR, count)
    return getattr(request, UNREAD_ATTR)


# --- Staff inbox --------------------------------------------------------------------------


def open_inbox_items(*, assignee=None) -> QuerySet[InboxItem]:
    """Items nobody has closed yet, longest waiting first (one query with their enterprise
    and assignee)."""
    qs = InboxItem.objects.exclude(status=InboxStatus.HANDLED)
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    return qs.select_related("enterprise", "assignee").order_by("submitted_at", "pk")


def inbox_counts() -> dict[str, int]:
    """Open items by status, and all open (one query)."""
    row = InboxItem.objects.aggregate(
        new=Count("pk", filter=Q(status=InboxStatus.NEW)),
        taken=Count("pk", filter=Q(status=InboxStatus.TAKEN)),
    )
    return {"new": row["new"], "taken": row["taken"], "open": row["new"] + row["taken"]}


def recently_handled(limit: int = 10) -> QuerySet[InboxItem]:
    return (
        InboxItem.objects.filter(status=InboxStatus.HANDLED)
        .select_related("enterprise", "handled_by")
        .order_by("-handled_at", "-pk")[:limit]
    )


# --- Filing completion --------------------------------------------------------------------


@dataclass(frozen=True)
class FilingSummary:
    period: object
    active: int
    filed: int

    @property
    def not_filed(self) -> int:
        return self.active - self.filed

    @property
    def percent(self) -> int:
        return round(100 * self.filed / self.active) if self.active else 0

    @property
    def days_left(self) -> int | None:
        if self.period.deadline is None:
            return None
        return (self.period.deadline - timezone.localdate()).days


def filing_summaries() -> list[FilingSummary]:
    """Each open period with how many active enterprises have filed it (two queries)."""
    from bureau.models import ReportingPeriod
    from enterprises.models import Enterprise, QuarterlyFigures

    periods = list(ReportingPeriod.objects.open().order_by("-year", "-quarter"))
    if not periods:
        return []
    active = Enterprise.objects.filter(is_active=True)
    counts = dict(
        QuarterlyFigures.objects.filter(period__in=periods, enterprise__in=active)
        .values("period")
        .annotate(n=Count("enterprise", distinct=True))
        .values_list("period", "n")
    )
    # The enterprise count as a subquery of the same statement would cost the same; one count.
    total = active.count()
    return [FilingSummary(period=p, active=total, filed=counts.get(p.pk, 0)) for p in periods]


def filing_rows(period, *, status: str = "", query: str = "") -> QuerySet:
    """Active enterprises for `period`, each annotated with `filed_at` (its figures' last save,
    None when not filed) and `reminded_at` (the last filing reminder for the period), filtered
    by status ("filed", "unfiled" or all) and a name or credit code fragment. One query."""
    from enterprises.models import Enterprise, QuarterlyFigures

    figures = QuarterlyFigures.objects.filter(period=period, enterprise=OuterRef("pk"))
    reminders = FilingReminder.objects.filter(period=period, enterprise=OuterRef("pk")).order_by(
        "-sent_at"
    )
    qs = Enterprise.objects.filter(is_active=True).annotate(
        filed=Exists(figures),
        filed_at=Subquery(figures.values("updated_at")[:1]),
        reminded_at=Subquery(reminders.values("sent_at")[:1]),
        accounts_n=Count("accounts", distinct=True),
    )
    if status == "filed":
        qs = qs.filter(filed=True)
    elif status == "unfiled":
        qs = qs.filter(filed=False)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(credit_code__icontains=query.upper()))
    return qs.order_by("filed", "name", "pk")


def unfiled_ids(period) -> list[int]:
    return list(filing_rows(period, status="unfiled").values_list("pk", flat=True))


def reminded_today(period, day: datetime.date | None = None) -> int:
    return FilingReminder.objects.filter(period=period, sent_on=day or timezone.localdate()).count()
