"""Pages of the talent app: staff lists and overview (bureau roles), the enterprise portal's own
staff and demands (enterprise users). Every record page goes through a selector gate."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau import receipts
from bureau.access import BUREAU_ROLES, EDITOR_ROLES, enterprise_user_required, role_required
from bureau.concurrency import ensure_current, posted_token
from bureau.models import ApplicationStatus
from bureau.services import transition_application
from notifications import events

from . import metrics, selectors, services
from .forms import (
    AgreementFromMatchForm,
    DemandForm,
    PaymentForm,
    PortalDemandForm,
    TalentFilterForm,
    TalentForm,
    TransitionForm,
)
from .models import (
    DemandMatch,
    DemandStatus,
    Education,
    Institution,
    TalentActivityStatus,
    TechField,
    TitleLevel,
)

PAGE_SIZE = 50


def _page(request, qs):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


# --- Overview with the leadership section ----------------------------------------------------


def overview_context(year: int) -> dict:
    """Tiles and the leadership section for `year` (a fixed number of queries)."""
    start, end = metrics.period_bounds(year)
    roster = metrics.roster_at(end)
    grid = {
        (row["title_level"], row["education"]): row["n"]
        for row in roster.values("title_level", "education").annotate(n=Count("id"))
    }
    educations = list(Education)
    table = []
    for level in TitleLevel:
        cells = [grid.get((level.value, e.value), 0) for e in educations]
        table.append((level.label, cells, sum(cells)))
    column_totals = [sum(row[1][i] for row in table) for i in range(len(educations))]
    by_institution = (
        metrics.agreements_in_force(start, end)
        .values("institution__name")
        .annotate(
            agreements=Count("id"),
            enterprises=Count("enterprise", distinct=True),
            value=Sum("value"),
        )
        .order_by("-enterprises", "institution__name")
    )
    status_counts = {
        row["status"]: row["n"]
        for row in selectors.TechnologyDemand.objects.filter(
            raised_on__gte=start, raised_on__lte=end
        )
        .values("status")
        .annotate(n=Count("id"))
    }
    by_status = [(s.value, s.label, status_counts.get(s.value, 0)) for s in DemandStatus]
    return {
        "year": year,
        "figures": metrics.figures(year),
        "educations": educations,
        "title_table": table,
        "column_totals": column_totals,
        "by_institution": list(by_institution),
        "by_status": by_status,
        "demand_total": sum(n for _v, _l, n in by_status),
    }


@role_required(*BUREAU_ROLES)
def overview(request):
    return render(request, "talent/overview.html", overview_context(_year(request)))


# --- Roster --------------------------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def talent_list(request):
    form = TalentFilterForm(request.GET or None)
    qs = selectors.talent_list_for_user(user=request.user).filter(left_on__isnull=True)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(enterprise__name__contains=data["q"])
        for name in ("category", "title_level", "education"):
            if data[name]:
                qs = qs.filter(**{name: data[name]})
    page, query = _page(request, qs.order_by("enterprise__name", "pk"))
    selectors.with_person_views(
        list(page.object_list), user=request.user, context="list", path=request.get_full_path()
    )
    return render(
        request,
        "talent/talent_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "unmasked": selectors.can_view_personal_data(request.user),
        },
    )


@role_required(*BUREAU_ROLES)
def talent_detail(request, pk: int):
    talent = selectors.talent_get_for_user(user=request.user, pk=pk)
    selectors.with_person_views([talent], user=request.user, context="detail", path=request.path)
    return render(request, "talent/talent_detail.html", {"talent": talent})


# --- Programmes ----------------------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def application_list(request):
    qs = selectors.application_list_for_user(user=request.user)
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    page, query = _page(request, qs.order_by("-batch_year", "-pk"))
    return render(
        request,
        "talent/application_list.html",
        {"page": page, "query": query, "statuses": ApplicationStatus.choices, "status": status},
    )


@role_required(*BUREAU_ROLES)
def application_detail(request, pk: int):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    can_edit = request.user.role in EDITOR_ROLES
    # Both forms carry the application's edit token: a move or a payment from a page opened
    # before someone else's change is refused (bureau.concurrency).
    form = TransitionForm(current=application.status, prefix="t", lock_record=application)
    payment = PaymentForm(prefix="p", lock_record=application)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if "t-to_status" in request.POST:
            form = TransitionForm(
                request.POST, current=application.status, prefix="t", lock_record=application
            )
            if form.is_valid():
                fields = {}
                if form.cleaned_data["amount_granted"] is not None:
                    fields["amount_granted"] = form.cleaned_data["amount_granted"]
                try:
                    with transaction.atomic():
                        ensure_current(application, form.submitted_token())
                        transition_application(
                            application,
                            form.cleaned_data["to_status"],
                            by=request.user,
                            remark=form.cleaned_data["remark"],
                            **fields,
                        )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("状态已更新。"))
                    return redirect(application.get_absolute_url())
        else:
            payment = PaymentForm(request.POST, prefix="p", lock_record=application)
            if payment.is_valid():
                application.amount_paid = payment.cleaned_data["amount_paid"]
                application.paid_on = payment.cleaned_data["paid_on"]
                try:
                    application.full_clean()
                except ValidationError as exc:
                    for message in exc.messages:
                        payment.add_error(None, message)
                else:
                    with transaction.atomic():
                        ensure_current(application, payment.submitted_token())
                        application.save(update_fields=["amount_paid", "paid_on"])
                    messages.success(request, _("拨付信息已保存。"))
                    return redirect(application.get_absolute_url())
    return render(
        request,
        "talent/application_detail.html",
        {
            "application": application,
            "form": form,
            "payment": payment,
            "can_edit": can_edit,
            "approved": application.status == ApplicationStatus.APPROVED,
        },
    )


# --- Trainings and exchanges ---------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def activity_list(request):
    page, query = _page(request, selectors.talent_activities())
    return render(
        request,
        "talent/activity_list.html",
        {"page": page, "query": query, "planned": TalentActivityStatus.PLANNED},
    )


# --- Cooperation ---------------------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def institution_list(request):
    return render(
        request, "talent/institution_list.html", {"institutions": selectors.institution_list()}
    )


@role_required(*BUREAU_ROLES)
def institution_detail(request, pk: int):
    institution = selectors.institution_detail(pk=pk)
    return render(request, "talent/institution_detail.html", {"institution": institution})


@role_required(*BUREAU_ROLES)
def agreement_list(request):
    page, query = _page(request, selectors.agreement_list())
    return render(request, "talent/agreement_list.html", {"page": page, "query": query})


@role_required(*BUREAU_ROLES)
def demand_list(request):
    qs = selectors.demand_list_for_user(user=request.user).annotate(n_matches=Count("matches"))
    status = request.GET.get("status", "")
    if status in DemandStatus.values:
        qs = qs.filter(status=status)
    page, query = _page(request, qs.order_by("-raised_on", "-pk"))
    return render(
        request,
        "talent/demand_list.html",
        {"page": page, "query": query, "statuses": DemandStatus.choices, "status": status},
    )


@role_required(*BUREAU_ROLES)
def demand_detail(request, pk: int):
    demand = selectors.demand_get_for_user(user=request.user, pk=pk)
    matched = {m.institution_id for m in demand.matches.all()}
    suggestions = []
    if demand.status != DemandStatus.SOLVED:
        suggestions = services.suggestions_for(demand)
    return render(
        request,
        "talent/demand_detail.html",
        {
            "demand": demand,
            "suggestions": suggestions,
            "matched": matched,
            "can_edit": request.user.role in EDITOR_ROLES,
            "field_label": TechField(demand.field).label,
        },
    )


@role_required(*EDITOR_ROLES)
def demand_confirm(request, pk: int):
    if request.method != "POST":
        return redirect("talent:demand_detail", pk=pk)
    demand = selectors.demand_get_for_user(user=request.user, pk=pk)
    institution = get_object_or_404(Institution, pk=request.POST.get("institution"))
    try:
        services.confirm_match(demand=demand, institution=institution, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已确认与「%(i)s」对接。") % {"i": institution.name})
    return redirect("talent:demand_detail", pk=pk)


@role_required(*EDITOR_ROLES)
def match_agreement(request, pk: int):
    match = get_object_or_404(
        DemandMatch.objects.select_related("demand__enterprise", "institution"), pk=pk
    )
    form = AgreementFromMatchForm(
        request.POST or None,
        initial={"title": match.demand.title, "signed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.create_agreement_from_match(
                    match=match,
                    **{k: v for k, v in form.cleaned_data.items()},
                )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    target = field if field in form.fields else None
                    for error in errors:
                        form.add_error(target, error)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("合作协议已登记。"))
            return redirect("talent:demand_detail", pk=match.demand_id)
    return render(request, "talent/match_agreement.html", {"match": match, "form": form})


# --- Enterprise portal: own staff and own demands ---------------------------------------------


@enterprise_user_required
def portal_talents(request):
    qs = selectors.talent_list_for_user(user=request.user).order_by("left_on", "category", "pk")
    page, query = _page(request, qs)
    selectors.with_person_views(
        list(page.object_list), user=request.user, context="portal_list", path=request.path
    )
    return render(request, "talent/portal_talents.html", {"page": page, "query": query})


@enterprise_user_required
def portal_talent_edit(request, pk: int | None = None):
    if pk is None:
        talent = None
    else:
        talent = selectors.talent_get_for_user(user=request.user, pk=pk)
        if request.method == "GET":
            # The edit form shows the person's data in full: the owner's own staff, but still
            # an unmasked view, so it is logged.
            selectors.log_personal_data_access(
                user=request.user, talents=[talent], context="portal_edit", path=request.path
            )
    form = TalentForm(request.POST or None, instance=talent)
    if request.method == "POST" and form.is_valid():
        form.instance.enterprise = request.enterprise
        form.save()
        messages.success(request, _("人才信息已保存。"))
        return redirect("talent:portal_talents")
    return render(request, "talent/portal_talent_form.html", {"form": form, "talent": talent})


@enterprise_user_required
def portal_demands(request):
    demands = selectors.demand_list_for_user(user=request.user).annotate(
        n_matches=Count("matches", filter=Q(matches__isnull=False))
    )
    form = DemandForm(request.POST or None, initial={"raised_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        demand = form.save(commit=False)
        demand.enterprise = request.enterprise
        demand.created_by = request.user
        demand.save()
        events.submitted(demand, by=request.user)
        messages.success(request, _("技术需求已提交，局工作人员将为您对接高校院所。"))
        return redirect("talent:portal_demands")
    return render(
        request,
        "talent/portal_demands.html",
        {"demands": demands.order_by("-raised_on", "-pk"), "form": form},
    )


@enterprise_user_required
@require_POST
def portal_demand_withdraw(request, pk: int):
    """The enterprise withdraws its own demand until staff match it (talent.services)."""
    demand = selectors.demand_get_for_user(user=request.user, pk=pk)
    try:
        services.withdraw_demand_by_enterprise(demand, by=request.user, token=posted_token(request))
    except ValidationError as exc:
        if exc.code == "taken_up":
            messages.error(request, services.DEMAND_TAKEN_UP_MESSAGE)
        else:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("talent:portal_demands")
    messages.success(request, _("技术需求已撤回。"))
    return redirect("talent:portal_demands")


@enterprise_user_required
def portal_demand_receipt(request, pk: int):
    demand = selectors.demand_get_for_user(user=request.user, pk=pk)
    first, last = receipts.first_and_last_change(demand)
    filed_at = first.history_date if first is not None else None
    receipt = receipts.Receipt(
        title=_("技术需求"),
        reference=receipts.reference_number(
            receipts.DEMAND, filed_at or demand.raised_on, demand.pk
        ),
        enterprise=demand.enterprise.name,
        credit_code=demand.enterprise.credit_code,
        filed_at=filed_at,
        filed_by=receipts.person(demand.created_by if demand.created_by_id else None),
        status=demand.get_status_display(),
        rows=[
            (_("所需技术"), demand.title),
            (_("技术领域"), demand.get_field_display()),
            (_("需求描述"), receipts.text(demand.description)),
            (_("预算（万元）"), receipts.wan(demand.budget)),
            (_("提出日期"), receipts.text(demand.raised_on)),
            (_("期望解决日期"), receipts.text(demand.deadline)),
        ],
        updated_at=last.history_date if last is not None and last != first else None,
        back_url=reverse("talent:portal_demands"),
    )
    return render(
        request, "portal/receipt.html", {"receipt": receipt, "printed_at": timezone.now()}
    )


@enterprise_user_required
def portal_demand_edit(request, pk: int):
    demand = selectors.demand_get_for_user(user=request.user, pk=pk)
    if not selectors.demand_changeable(demand):
        messages.error(request, services.DEMAND_TAKEN_UP_MESSAGE)
        return redirect("talent:portal_demands")
    form = PortalDemandForm(request.POST or None, instance=demand)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.DEMAND_EDITABLE}
        try:
            services.update_demand_by_enterprise(
                demand, by=request.user, token=form.submitted_token(), **fields
            )
        except ValidationError as exc:
            if exc.code == "taken_up":
                messages.error(request, services.DEMAND_TAKEN_UP_MESSAGE)
                return redirect("talent:portal_demands")
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("技术需求已修改。"))
            return redirect("talent:portal_demands")
    return render(request, "talent/portal_demand_form.html", {"form": form, "demand": demand})
