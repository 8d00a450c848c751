"""Pages of the notifications app: each user's own notifications and preferences (every role),
the staff inbox actions and filing completion with reminders (催报) for editors."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.access import EDITOR_ROLES, role_required
from bureau.models import ReportingPeriod
from bureau.personal_data import can_view_personal_data
from bureau.roles import Role

from . import exports, selectors, services
from .models import InboxItem

PAGE_SIZE = 30
FILING_PAGE_SIZE = 100
EVERY_ROLE = tuple(Role)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- Each user's own notifications --------------------------------------------------------


@role_required(*EVERY_ROLE)
def notification_list(request):
    qs = selectors.notifications_for_user(user=request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "only_unread": only_unread, "query": "unread=1" if only_unread else ""},
    )


@role_required(*EVERY_ROLE)
@require_POST
def notification_read(request, pk: int):
    """Mark one of the user's notifications read; with open=1 go on to its page."""
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.mark_read(request.user, notification.pk)
    if request.POST.get("open") == "1" and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect(_safe_next(request, "notifications:list"))


@role_required(*EVERY_ROLE)
@require_POST
def notification_read_all(request):
    n = services.mark_read(request.user)
    messages.success(request, _("已将%(n)s条消息标为已读。") % {"n": n})
    return redirect(_safe_next(request, "notifications:list"))


@role_required(*EVERY_ROLE)
def preferences(request):
    table = services.preference_table(request.user)
    if request.method == "POST":
        choices = {
            kind: (
                request.POST.get(f"{kind}-email") == "on",
                request.POST.get(f"{kind}-sms") == "on",
            )
            for kind, *_rest in table
        }
        services.save_preferences(request.user, choices)
        messages.success(request, _("通知偏好已保存。"))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "table": table,
            "has_email": bool(request.user.email),
            "phone": services.masked_phone_of(request.user),
        },
    )


# --- Staff inbox --------------------------------------------------------------------------


@role_required(*EDITOR_ROLES)
def inbox(request):
    mine = request.GET.get("mine") == "1"
    qs = selectors.open_inbox_items(assignee=request.user if mine else None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "mine": mine,
            "query": "mine=1" if mine else "",
            "now": timezone.now(),
            "handled": selectors.recently_handled(),
        },
    )


def _inbox_action(request, pk: int, action) -> HttpResponse:
    try:
        action(pk, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已处理，并已通知企业。"))
    return redirect(_safe_next(request, "staff_home"))


@role_required(*EDITOR_ROLES)
@require_POST
def inbox_take(request, pk: int):
    get_object_or_404(InboxItem, pk=pk)
    return _inbox_action(request, pk, services.take_up)


@role_required(*EDITOR_ROLES)
@require_POST
def inbox_handle(request, pk: int):
    get_object_or_404(InboxItem, pk=pk)
    return _inbox_action(request, pk, services.mark_handled)


# --- Filing completion and reminders (催报) -------------------------------------------------


@role_required(*EDITOR_ROLES)
def filing_overview(request):
    summaries = selectors.filing_summaries()
    return render(request, "notifications/filing_overview.html", {"summaries": summaries})


def _filing_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


@role_required(*EDITOR_ROLES)
def filing_status(request, period_id: int):
    from enterprises.models import Enterprise

    period = get_object_or_404(ReportingPeriod, pk=period_id)
    status = request.GET.get("status", "")
    if status not in ("", "filed", "unfiled"):
        status = ""
    term = request.GET.get("q", "").strip()[:60]
    rows = selectors.filing_rows(period, status=status, query=term)
    if request.GET.get("format") == "xlsx":
        unmasked = can_view_personal_data(request.user, Enterprise)
        listed = list(rows)
        content = exports.filing_xlsx(period, listed, user=request.user)
        if unmasked:
            from audit.services import record_personal_data

            record_personal_data(
                request=request,
                model=Enterprise._meta.label,
                ids=[e.pk for e in listed if e.contact_person or e.contact_phone],
                context="filing_export",
                path=request.path,
            )
        response = HttpResponse(content, content_type=exports.XLSX)
        name = quote(_("填报情况") + f"-{period.year}Q{period.quarter}")
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}-{stamp}.xlsx"
        response.export_rows = len(listed)
        return response
    summary = next((s for s in selectors.filing_summaries() if s.period.pk == period.pk), None)
    page = Paginator(rows, FILING_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/filing_status.html",
        {
            "period": period,
            "summary": summary,
            "page": page,
            "status": status,
            "q": term,
            "query": _filing_query(request),
            "today": timezone.localdate(),
            "reminded_today": selectors.reminded_today(period),
        },
    )


@role_required(*EDITOR_ROLES)
@require_POST
def filing_remind(request, period_id: int):
    period = get_object_or_404(ReportingPeriod, pk=period_id)
    if request.POST.get("scope") == "all_unfiled":
        ids = selectors.unfiled_ids(period)
    else:
        ids = [int(v) for v in request.POST.getlist("enterprise") if v.isdigit()]
    back = _safe_next(request, f"/staff/filing/{period.pk}/")
    if not ids:
        messages.error(request, _("请先选择要催报的企业。"))
        return redirect(back)
    try:
        outcome = services.send_filing_reminders(period, ids, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(back)
    text = _("已向%(n)s家企业发送催报提醒（%(m)s个账号）。") % {
        "n": outcome.sent,
        "m": outcome.notifications,
    }
    if outcome.already:
        text += _("%(n)s家今天已催报过，未重复发送。") % {"n": outcome.already}
    if outcome.filed:
        text += _("%(n)s家已填报，无需催报。") % {"n": outcome.filed}
    messages.success(request, text)
    return redirect(back)


@role_required(*EDITOR_ROLES)
@require_POST
def qualification_notify(request):
    """From the ladder reminders: tell the chosen titles' enterprises they expire soon (once
    per title and validity, as the daily task does)."""
    from enterprises.models import Qualification

    from . import events

    ids = [int(v) for v in request.POST.getlist("qualification") if v.isdigit()]
    renewals = [int(v) for v in request.POST.getlist("renewal") if v.isdigit()]
    day = timezone.localdate()
    told = skipped = 0
    chosen = (
        Qualification.objects.filter(pk__in=ids, valid_to__isnull=False)
        .select_related("enterprise", "kind")
        .order_by("pk")
    )
    for q in chosen:
        if events.qualification_expiring(q, day=day):
            told += 1
        else:
            skipped += 1
    # Last year's 科技型中小企业 not registered again this year (the reminders' second list).
    for q in Qualification.objects.filter(pk__in=renewals).select_related("enterprise"):
        if events.tech_sme_not_renewed(q, year=day.year):
            told += 1
        else:
            skipped += 1
    ids += renewals
    if not ids:
        messages.error(request, _("请先选择要提醒的资质。"))
    else:
        text = _("已提醒%(n)s家企业。") % {"n": told}
        if skipped:
            text += _("%(n)s项此前已提醒过或企业没有账号，未重复发送。") % {"n": skipped}
        messages.success(request, text)
    return redirect(_safe_next(request, "enterprises:reminders"))
