"""Pages of innovation carriers: thin views (permission, form, selector or service, render)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bureau.access import BUREAU_ROLES, EDITOR_ROLES, enterprise_user_required, role_required
from bureau.concurrency import ensure_current, posted_token
from bureau.models import Level
from bureau.personal_data import shown
from enterprises.selectors import enterprise_get_for_user

from . import selectors, services
from .exports import rows_to_xlsx
from .filters import IncubatorFilter, PlatformFilter, RecognitionFilter, TenancyFilter
from .forms import AdmitTenantForm, EndTenancyForm, TransitionForm
from .models import IncubatorLevelApplication, Tenancy

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def _download(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def _wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


# --- Overview (with the leadership dashboard section) -------------------------------------------


@role_required(*BUREAU_ROLES)
def overview(request):
    year = _year(request)
    this_year = timezone.localdate().year
    return render(
        request,
        "incubation/overview.html",
        {
            "carriers": selectors.dashboard_section(year),
            "incubators": selectors.incubator_list().order_by("name"),
            "year": year,
            "years": range(this_year, this_year - 5, -1),
        },
    )


# --- Incubators --------------------------------------------------------------------------------


@role_required(*BUREAU_ROLES)
def incubator_list(request):
    qs = selectors.incubator_list_for_user(user=request.user)
    flt = IncubatorFilter(request.GET, queryset=qs)
    rows = flt.qs.order_by("name")
    if _wants_xlsx(request):
        return _download(
            "incubators",
            rows_to_xlsx(
                _("孵化载体"),
                [
                    _("名称"),
                    _("类型"),
                    _("级别"),
                    _("运营主体"),
                    _("片区"),
                    _("孵化场地面积（㎡）"),
                    _("可容纳企业数"),
                    _("在孵企业"),
                    _("累计毕业企业"),
                    _("升级目标"),
                    _("联系人"),
                    _("联系电话"),
                ],
                (
                    [
                        i.name,
                        i.get_kind_display(),
                        i.get_level_display(),
                        i.operator,
                        str(i.zone or ""),
                        i.area_m2,
                        i.capacity,
                        i.current_tenants,
                        i.prior_graduates + i.recorded_graduates,
                        _level_label(i.applying_level),
                        shown(request.user, i, "contact_person"),
                        shown(request.user, i, "contact_phone"),
                    ]
                    for i in rows
                ),
            ),
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incubation/incubator_list.html",
        {"filter": flt, "page": page, "query": _query(request)},
    )


def _level_label(level: str | None) -> str:
    return Level(level).label if level else ""


@role_required(*BUREAU_ROLES)
def incubator_detail(request, pk: int):
    detail = selectors.incubator_detail(user=request.user, pk=pk)
    open_app = next((a for a in detail.applications if a.status in selectors.OPEN_STATUSES), None)
    return render(
        request,
        "incubation/incubator_detail.html",
        {
            "d": detail,
            "incubator": detail.incubator,
            "open_app": open_app,
            "transition_form": TransitionForm(application=open_app) if open_app else None,
            "admit_form": AdmitTenantForm(),
            "end_form": EndTenancyForm(initial={"exited_on": timezone.localdate()}),
        },
    )


@role_required(*EDITOR_ROLES)
@require_POST
def tenant_admit(request, pk: int):
    incubator = selectors.incubator_get_for_user(user=request.user, pk=pk)
    form = AdmitTenantForm(request.POST, instance=Tenancy(incubator=incubator))
    if form.is_valid():
        try:
            services.admit_tenant(form.instance)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已登记入孵：%(e)s") % {"e": form.instance.enterprise})
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
    return redirect(incubator)


@role_required(*EDITOR_ROLES)
@require_POST
def tenant_end(request, pk: int):
    tenancy = selectors.tenancy_list_for_user(user=request.user).filter(pk=pk).first()
    if tenancy is None:
        raise Http404
    form = EndTenancyForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                ensure_current(
                    tenancy, posted_token(request), next_url=tenancy.incubator.get_absolute_url()
                )
                services.end_tenancy(
                    tenancy,
                    on=form.cleaned_data["exited_on"],
                    reason=form.cleaned_data["exit_reason"],
                    graduation_basis=form.cleaned_data["graduation_basis"],
                )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已办理离孵：%(e)s") % {"e": tenancy.enterprise})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(tenancy.incubator)


@role_required(*BUREAU_ROLES)
def tenant_list(request):
    qs = selectors.tenancy_list_for_user(user=request.user).select_related("enterprise__zone")
    flt = TenancyFilter(request.GET, queryset=qs)
    rows = flt.qs.order_by("incubator__name", "-entered_on", "pk")
    if _wants_xlsx(request):
        return _download(
            "tenants",
            rows_to_xlsx(
                _("在孵企业"),
                [
                    _("孵化载体"),
                    _("企业名称"),
                    _("统一社会信用代码"),
                    _("入孵日期"),
                    _("离孵日期"),
                    _("离孵原因"),
                    _("毕业条件"),
                ],
                (
                    [
                        t.incubator.name,
                        t.enterprise.name,
                        t.enterprise.credit_code,
                        t.entered_on,
                        t.exited_on,
                        t.get_exit_reason_display(),
                        t.get_graduation_basis_display(),
                    ]
                    for t in rows
                ),
            ),
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incubation/tenant_list.html",
        {"filter": flt, "page": page, "query": _query(request)},
    )


# --- R&D platforms and recognitions ------------------------------------------------------------


APPLICATION_HEADERS = [
    gettext_lazy("级别"),
    gettext_lazy("状态"),
    gettext_lazy("批次年度"),
    gettext_lazy("认定日期"),
    gettext_lazy("证书编号"),
    gettext_lazy("有效期至"),
]


def _application_cells(a) -> list:
    return [
        a.get_level_display(),
        a.get_status_display(),
        a.batch_year,
        a.approved_on,
        a.certificate_no,
        a.valid_to,
    ]


@role_required(*BUREAU_ROLES)
def platform_list(request):
    qs = selectors.platform_list_for_user(user=request.user)
    flt = PlatformFilter(request.GET, queryset=qs)
    rows = flt.qs.order_by("-approved_on", "name", "pk")
    if _wants_xlsx(request):
        return _download(
            "rd-platforms",
            rows_to_xlsx(
                _("研发平台"),
                [
                    _("平台名称"),
                    _("平台类型"),
                    _("依托企业"),
                    _("统一社会信用代码"),
                    _("片区"),
                    _("技术领域"),
                    *APPLICATION_HEADERS,
                ],
                (
                    [
                        p.name,
                        p.kind.name,
                        p.enterprise.name,
                        p.enterprise.credit_code,
                        str(p.enterprise.zone or ""),
                        p.tech_field,
                        *_application_cells(p),
                    ]
                    for p in rows
                ),
            ),
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incubation/platform_list.html",
        {"filter": flt, "page": page, "query": _query(request)},
    )


@role_required(*BUREAU_ROLES)
def recognition_list(request):
    qs = selectors.recognition_list_for_user(user=request.user)
    flt = RecognitionFilter(request.GET, queryset=qs)
    rows = flt.qs.order_by("-approved_on", "-status_changed_at", "pk")
    if _wants_xlsx(request):
        return _download(
            "recognitions",
            rows_to_xlsx(
                _("平台认定"),
                [
                    _("认定类别"),
                    _("企业名称"),
                    _("统一社会信用代码"),
                    _("片区"),
                    _("产品名称"),
                    _("名称"),
                    *APPLICATION_HEADERS,
                ],
                (
                    [
                        r.get_kind_display(),
                        r.enterprise.name,
                        r.enterprise.credit_code,
                        str(r.enterprise.zone or ""),
                        r.product_name,
                        r.title,
                        *_application_cells(r),
                    ]
                    for r in rows
                ),
            ),
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incubation/recognition_list.html",
        {"filter": flt, "page": page, "query": _query(request)},
    )


def _application_page(request, application, template: str):
    can_edit = request.user.role in EDITOR_ROLES
    form = TransitionForm(application=application) if can_edit else None
    return render(
        request,
        template,
        {
            "app": application,
            "transitions": list(application.transitions),
            "transition_form": form if form and form.fields["to_status"].choices else None,
        },
    )


@role_required(*BUREAU_ROLES)
def platform_detail(request, pk: int):
    platform = selectors.platform_get_for_user(user=request.user, pk=pk)
    return _application_page(request, platform, "incubation/platform_detail.html")


@role_required(*BUREAU_ROLES)
def recognition_detail(request, pk: int):
    recognition = selectors.recognition_get_for_user(user=request.user, pk=pk)
    return _application_page(request, recognition, "incubation/recognition_detail.html")


MOVABLE = {
    "platform": selectors.platform_get_for_user,
    "recognition": selectors.recognition_get_for_user,
}


@role_required(*EDITOR_ROLES)
@require_POST
def application_move(request, kind: str, pk: int):
    """Move a platform, recognition or incubator level application to its next status."""
    if kind == "incubator-level":
        application = (
            IncubatorLevelApplication.objects.select_related("incubator").filter(pk=pk).first()
        )
        if application is None:
            raise Http404
    elif kind in MOVABLE:
        application = MOVABLE[kind](user=request.user, pk=pk)
    else:
        raise Http404
    form = TransitionForm(request.POST, application=application)
    if form.is_valid():
        try:
            with transaction.atomic():
                ensure_current(
                    application, form.submitted_token(), next_url=application.get_absolute_url()
                )
                services.move_application(
                    application,
                    form.cleaned_data["to_status"],
                    by=request.user,
                    remark=form.cleaned_data["remark"],
                    **form.extra_fields(),
                )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("已变更为「%(s)s」。") % {"s": application.get_status_display()},
            )
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
    return redirect(application.get_absolute_url())


# --- An enterprise's carriers: staff view and the enterprise's own portal page ------------------


@role_required(*BUREAU_ROLES)
def enterprise_carriers(request, pk: int):
    enterprise = enterprise_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "incubation/enterprise_carriers.html",
        {"enterprise": enterprise, **selectors.enterprise_carriers(enterprise=enterprise)},
    )


@enterprise_user_required
def portal_carriers(request):
    return render(
        request,
        "incubation/portal_carriers.html",
        {
            "enterprise": request.enterprise,
            **selectors.enterprise_carriers(enterprise=request.enterprise),
        },
    )


@enterprise_user_required
def portal_platform(request, pk: int):
    platform = selectors.platform_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "incubation/portal_application.html",
        {"app": platform, "transitions": list(platform.transitions)},
    )


@enterprise_user_required
def portal_recognition(request, pk: int):
    recognition = selectors.recognition_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "incubation/portal_application.html",
        {"app": recognition, "transitions": list(recognition.transitions)},
    )
