"""Pages of technology finance: staff lists, the event page, the need page with its matches, the
guarantee scheme, the leadership overview, and the enterprise portal's own needs and signings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau import receipts
from bureau.access import BUREAU_ROLES, EDITOR_ROLES, enterprise_user_required, role_required
from bureau.concurrency import ensure_current, posted_token

from . import selectors, services
from .forms import (
    DisbursementForm,
    EventForm,
    InviteForm,
    NeedForm,
    PortalNeedForm,
    SchemeAdvanceForm,
    SigningForm,
    apply_errors,
)
from .models import FinancialProduct, GuaranteeScheme, NeedSource, NeedStatus
from .overview import overview as build_overview

PAGE_SIZE = 50


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _require_editor(request) -> None:
    if request.user.role not in EDITOR_ROLES:
        raise PermissionDenied


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Leadership overview ----------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def overview(request):
    year = _year(request)
    this_year = timezone.localdate().year
    return render(
        request,
        "finance/overview.html",
        {
            "ov": build_overview(year),
            "year": year,
            "years": range(this_year, this_year - 5, -1),
        },
    )


# --- Institutions and products ----------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def institution_list(request):
    return render(
        request,
        "finance/institution_list.html",
        {"institutions": selectors.institution_list().order_by("kind", "name")},
    )


@role_required(*BUREAU_ROLES)
def product_list(request):
    qs = selectors.product_list().order_by("status", "name")
    return render(request, "finance/product_list.html", {"page": _page(request, qs)})


@role_required(*BUREAU_ROLES)
def product_detail(request, pk: int):
    product = get_object_or_404(FinancialProduct.objects.select_related("provider"), pk=pk)
    return render(request, "finance/product_detail.html", {"product": product})


# --- Needs ------------------------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def need_list(request):
    status = request.GET.get("status", NeedStatus.OPEN)
    qs = selectors.need_list_for_user(user=request.user)
    if status in NeedStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "finance/need_list.html",
        {
            "page": _page(request, qs.order_by("-posted_on", "-pk")),
            "status": status,
            "statuses": NeedStatus.choices,
        },
    )


@role_required(*EDITOR_ROLES)
def need_create(request):
    form = NeedForm(request.POST or None, with_enterprise=True)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.post_need(
                enterprise=form.cleaned_data["enterprise"],
                by=request.user,
                source=NeedSource.STAFF,
                **form.service_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"amount": "amount_wan"})
        else:
            messages.success(request, _("融资需求已登记。"))
            return redirect(need.get_absolute_url())
    return render(request, "finance/need_form.html", {"form": form, "staff": True})


@role_required(*BUREAU_ROLES)
def need_detail(request, pk: int):
    need = selectors.need_get_for_user(user=request.user, pk=pk)
    events = selectors.upcoming_events()
    invite = InviteForm(request.POST or None, events=events)
    if request.method == "POST":
        _require_editor(request)
        if invite.is_valid():
            try:
                services.invite_to_event(
                    event=invite.cleaned_data["event"], need=need, bank=invite.cleaned_data["bank"]
                )
            except ValidationError as exc:
                apply_errors(invite, exc, {})
            else:
                messages.success(request, _("已邀请企业参加活动并推介该需求。"))
                return redirect(need.get_absolute_url())
    matches = selectors.need_matches(need)
    return render(
        request,
        "finance/need_detail.html",
        {
            "need": need,
            "matches": matches,
            "invite": invite,
            "has_events": events.exists(),
            "signings": need.signings.select_related("bank", "product"),
            "tiers_known": bool(selectors.enterprise_tiers(need.enterprise)),
        },
    )


# --- Events -----------------------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def event_list(request):
    return render(
        request, "finance/event_list.html", {"page": _page(request, selectors.event_list())}
    )


@role_required(*EDITOR_ROLES)
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc, {})
        else:
            messages.success(request, _("活动已登记。"))
            return redirect(event.get_absolute_url())
    return render(request, "finance/event_form.html", {"form": form})


@role_required(*BUREAU_ROLES)
def event_detail(request, pk: int):
    event = selectors.event_detail(pk)
    form = SigningForm(request.POST or None, event=event)
    if request.method == "POST":
        _require_editor(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_signing(
                    event=event,
                    enterprise=data["enterprise"],
                    bank=data["bank"],
                    product=data["product"],
                    need=data["need"],
                    amount=data["amount_wan"],
                    signed_on=data["signed_on"],
                    by=request.user,
                )
            except ValidationError as exc:
                apply_errors(form, exc, {"amount": "amount_wan"})
            else:
                messages.success(request, _("签约已登记。"))
                return redirect(event.get_absolute_url())
    signings = list(event.signings.all())
    return render(
        request,
        "finance/event_detail.html",
        {
            "event": event,
            "signings": signings,
            "signed_total": sum((s.amount for s in signings), start=0),
            "form": form,
        },
    )


# --- Signings ---------------------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def signing_list(request):
    year = _year(request)
    qs = selectors.signing_list_for_user(user=request.user).filter(signed_on__year=year)
    return render(
        request,
        "finance/signing_list.html",
        {"page": _page(request, qs.order_by("-signed_on", "-pk")), "year": year},
    )


@role_required(*BUREAU_ROLES)
def signing_detail(request, pk: int):
    signing = selectors.signing_get_for_user(user=request.user, pk=pk)
    form = DisbursementForm(request.POST or None)
    if request.method == "POST":
        _require_editor(request)
        if form.is_valid():
            try:
                services.record_disbursement(
                    signing=signing,
                    amount=form.cleaned_data["amount_wan"],
                    disbursed_on=form.cleaned_data["disbursed_on"],
                )
            except ValidationError as exc:
                apply_errors(form, exc, {"amount": "amount_wan"})
            else:
                messages.success(request, _("放款已登记。"))
                return redirect(signing.get_absolute_url())
    return render(
        request,
        "finance/signing_detail.html",
        {
            "signing": signing,
            "disbursements": selectors.disbursements_of(signing),
            "form": form,
        },
    )


# --- The guarantee scheme ---------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def scheme_list(request):
    schemes = GuaranteeScheme.objects.select_related("bank", "guarantor").order_by("name")
    if len(schemes) == 1:
        return redirect(schemes[0].get_absolute_url())
    return render(request, "finance/scheme_list.html", {"schemes": schemes})


@role_required(*BUREAU_ROLES)
def scheme_detail(request, pk: int):
    scheme = selectors.scheme_detail(pk)
    form = SchemeAdvanceForm(
        request.POST or None, initial={"on": timezone.localdate()}, lock_record=scheme
    )
    if request.method == "POST":
        _require_editor(request)
        if form.is_valid():
            try:
                with transaction.atomic():
                    ensure_current(scheme, form.submitted_token())
                    services.advance_scheme(
                        scheme,
                        by=request.user,
                        on=form.cleaned_data["on"],
                        remark=form.cleaned_data["remark"],
                    )
            except ValidationError as exc:
                apply_errors(form, exc, {})
            else:
                messages.success(request, _("担保计划已进入下一阶段。"))
                return redirect(scheme.get_absolute_url())
    return render(request, "finance/scheme_detail.html", {"scheme": scheme, "form": form})


# --- Enterprise portal ------------------------------------------------------------------------


@enterprise_user_required
def portal_needs(request):
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_need(
                enterprise=request.enterprise,
                by=request.user,
                source=NeedSource.PORTAL,
                **form.service_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"amount": "amount_wan"})
        else:
            messages.success(request, _("融资需求已提交，局工作人员将为您对接合适的金融产品。"))
            return redirect("finance:portal_needs")
    today = timezone.localdate()
    needs = list(selectors.portal_needs_for_user(user=request.user).order_by("-posted_on", "-pk"))
    return render(
        request,
        "finance/portal_needs.html",
        {
            "needs": [(n, selectors.case_of(n, today=today)) for n in needs],
            "signings": selectors.signing_list_for_user(user=request.user).order_by("-signed_on"),
            "form": form,
        },
    )


@enterprise_user_required
def portal_need_detail(request, pk: int):
    need = selectors.portal_need_get(user=request.user, pk=pk)
    matches = selectors.portal_matches(need)
    return render(
        request,
        "finance/portal_need_detail.html",
        {
            "need": need,
            "case": selectors.case_of(need),
            "eligible": [(m, p) for m, p in matches if m.eligible],
            "ineligible": [(m, p) for m, p in matches if not m.eligible],
            "signings": list(need.signings.all()),
            "tiers_known": bool(selectors.enterprise_tiers(need.enterprise)),
        },
    )


def _refused(request, need, exc: ValidationError):
    """A refused change: the taken-up message (or the service's) on the need's page."""
    for message in exc.messages:
        messages.error(request, message)
    return redirect("finance:portal_need_detail", need.pk)


@enterprise_user_required
def portal_need_edit(request, pk: int):
    need = selectors.portal_need_get(user=request.user, pk=pk)
    if not selectors.case_of(need).changeable:
        return _refused(request, need, ValidationError(services.TAKEN_UP_MESSAGE))
    form = PortalNeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_need_by_enterprise(
                need, by=request.user, token=form.submitted_token(), **form.service_fields()
            )
        except ValidationError as exc:
            if exc.code == "taken_up":
                return _refused(request, need, exc)
            apply_errors(form, exc, {"amount": "amount_wan"})
        else:
            messages.success(request, _("融资需求已修改。"))
            return redirect("finance:portal_need_detail", need.pk)
    return render(request, "finance/portal_need_form.html", {"form": form, "need": need})


@enterprise_user_required
@require_POST
def portal_need_withdraw(request, pk: int):
    need = selectors.portal_need_get(user=request.user, pk=pk)
    try:
        services.withdraw_need(
            need,
            by=request.user,
            token=posted_token(request),
            next_url=reverse("finance:portal_need_detail", args=[need.pk]),
        )
    except ValidationError as exc:
        return _refused(request, need, exc)
    messages.success(request, _("融资需求已撤回。"))
    return redirect("finance:portal_need_detail", need.pk)


@enterprise_user_required
def portal_need_receipt(request, pk: int):
    need = selectors.portal_need_get(user=request.user, pk=pk)
    first, last = receipts.first_and_last_change(need)
    filed_at = first.history_date if first is not None else None
    term = _("%(m)s个月") % {"m": need.term_months} if need.term_months else _("未限定")
    collateral = receipts.text(need.collateral_available)
    if need.collateral_note:
        collateral = f"{collateral}：{need.collateral_note}"
    receipt = receipts.Receipt(
        title=_("融资需求"),
        reference=receipts.reference_number(receipts.NEED, filed_at or need.posted_on, need.pk),
        enterprise=need.enterprise.name,
        credit_code=need.enterprise.credit_code,
        filed_at=filed_at,
        filed_by=receipts.person(need.created_by if need.created_by_id else None),
        status=selectors.case_of(need).stage,
        rows=[
            (_("融资金额（万元）"), receipts.wan(need.amount)),
            (_("资金用途"), need.purpose),
            (_("期限"), term),
            (_("可提供抵质押"), collateral),
            (_("期望到位日期"), receipts.text(need.wanted_by)),
            (_("登记日期"), receipts.text(need.posted_on)),
            (_("来源"), need.get_source_display()),
        ],
        updated_at=last.history_date if last is not None and last != first else None,
        back_url=reverse("finance:portal_need_detail", args=[need.pk]),
    )
    return render(
        request, "portal/receipt.html", {"receipt": receipt, "printed_at": timezone.now()}
    )


@enterprise_user_required
def portal_signing_detail(request, pk: int):
    signing = selectors.signing_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "finance/portal_signing_detail.html",
        {"signing": signing, "disbursements": selectors.disbursements_of(signing)},
    )
