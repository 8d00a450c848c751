"""Pages of technology finance: staff lists, the event page, the need page with its matches, the
guarantee scheme, the leadership overview, and the enterprise portal's own needs and signings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.access import BUREAU_ROLES, EDITOR_ROLES, enterprise_user_required, role_required
from bureau.concurrency import ensure_current

from . import selectors, services
from .forms import (
    DisbursementForm,
    EventForm,
    InviteForm,
    NeedForm,
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
    needs = selectors.need_list_for_user(user=request.user).prefetch_related(
        Prefetch("signings", queryset=selectors.signing_list_for_user(user=request.user))
    )
    return render(
        request,
        "finance/portal_needs.html",
        {
            "needs": needs.order_by("-posted_on", "-pk"),
            "signings": selectors.signing_list_for_user(user=request.user).order_by("-signed_on"),
            "form": form,
        },
    )


@enterprise_user_required
def portal_need_detail(request, pk: int):
    need = selectors.need_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "finance/portal_need_detail.html",
        {
            "need": need,
            "signings": selectors.signing_list_for_user(user=request.user).filter(need=need),
        },
    )


@enterprise_user_required
def portal_signing_detail(request, pk: int):
    signing = selectors.signing_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "finance/portal_signing_detail.html",
        {"signing": signing, "disbursements": selectors.disbursements_of(signing)},
    )
