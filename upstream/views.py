"""Upstream packs on the web: staff download one enterprise's pack from its page or a filtered
set in bulk; an enterprise downloads its own (another enterprise's id is a 404). Also the
quality gate's explanations: the staff review queue and the enterprise's own list."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.access import BUREAU_ROLES, EDITOR_ROLES, enterprise_user_required, role_required
from bureau.models import ReportingPeriod
from bureau.roles import Role
from bureau.spreadsheets import XLSX_CONTENT_TYPE
from enterprises.filters import EnterpriseFilter
from enterprises.models import AnnualFigures, Enterprise, QuarterlyFigures
from enterprises.selectors import enterprise_list_for_user

from . import packs, services, specs
from .filters import ExplanationFilter
from .models import Explanation, ExplanationStatus


def _spec(code: str) -> specs.Spec:
    spec = specs.get(code)
    if spec is None:
        raise Http404
    return spec


def _year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    return year


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _years(enterprise: Enterprise) -> list[int]:
    """Years with stored figures, and last year, newest first."""
    years = set(AnnualFigures.objects.filter(enterprise=enterprise).values_list("year", flat=True))
    years |= set(
        QuarterlyFigures.objects.filter(enterprise=enterprise, period__quarter=4).values_list(
            "period__year", flat=True
        )
    )
    years.add(timezone.localdate().year - 1)
    return sorted(years, reverse=True)


def _packs_page(request, enterprise: Enterprise, *, portal: bool):
    return render(
        request,
        "upstream/enterprise_packs.html",
        {
            "enterprise": enterprise,
            "specs": list(specs.registry().values()),
            "years": _years(enterprise),
            "portal": portal,
        },
    )


@role_required(*BUREAU_ROLES)
def enterprise_packs(request, pk: int):
    """One enterprise's packs, from its page (staff)."""
    enterprise = get_object_or_404(enterprise_list_for_user(user=request.user), pk=pk)
    return _packs_page(request, enterprise, portal=False)


@enterprise_user_required
def portal_packs(request):
    """上报数据包 of the user's own enterprise."""
    return _packs_page(request, request.enterprise, portal=True)


@role_required(*BUREAU_ROLES, Role.ENTERPRISE_USER)
def enterprise_pack(request, code: str, year: int, pk: int):
    """One enterprise's pack; an enterprise user reaches only its own enterprise (else 404)."""
    spec, year = _spec(code), _year(year)
    enterprise = get_object_or_404(enterprise_list_for_user(user=request.user), pk=pk)
    qs = Enterprise.objects.filter(pk=enterprise.pk)
    return _xlsx(packs.export(spec, year, qs), packs.filename(spec, year, [enterprise]))


@role_required(*BUREAU_ROLES)
def bulk(request):
    """The form list, and the bulk pack of every active enterprise the filters select."""
    flt = EnterpriseFilter(
        request.GET, queryset=enterprise_list_for_user(user=request.user).filter(is_active=True)
    )
    code, year = request.GET.get("form"), request.GET.get("year")
    if code and year and flt.is_valid():
        try:
            year_value = _year(int(year))
        except ValueError:
            raise Http404 from None
        spec = _spec(code)
        return _xlsx(packs.export(spec, year_value, flt.qs), packs.filename(spec, year_value))
    this_year = timezone.localdate().year
    return render(
        request,
        "upstream/bulk.html",
        {
            "filter": flt,
            "specs": list(specs.registry().values()),
            "years": list(range(this_year - 1, this_year - 6, -1)),
        },
    )


# --- The quality gate's explanations (数据核查说明) ---------------------------------------------

EXPLANATION_PAGE = 50


@role_required(*BUREAU_ROLES)
def explanation_queue(request):
    """Staff review queue: every explanation, pending first by default; leadership reads only."""
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = ExplanationStatus.PENDING
    flt = ExplanationFilter(
        data,
        queryset=Explanation.objects.select_related("enterprise", "reviewer").order_by(
            "-updated_at", "-pk"
        ),
    )
    page = Paginator(flt.qs, EXPLANATION_PAGE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    return render(
        request,
        "upstream/explanation_queue.html",
        {
            "filter": flt,
            "page": page,
            "query": query.urlencode(),
            "can_review": request.user.role in EDITOR_ROLES,
        },
    )


@role_required(*EDITOR_ROLES)
@require_POST
def explanation_review(request, pk: int):
    explanation = get_object_or_404(Explanation, pk=pk)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    action = request.POST.get("action")
    if action not in ("accept", "return"):
        raise Http404
    try:
        services.review(
            explanation.pk,
            revision=revision,
            accept=action == "accept",
            comment=request.POST.get("comment", ""),
            by=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if action == "accept":
            messages.success(request, _("已认可该说明。"))
        else:
            messages.success(request, _("已退回该说明，并已通知企业。"))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("upstream:explanations")
    return redirect(back)


@enterprise_user_required
def portal_explanations(request):
    """The user's own enterprise's explanations and their review state."""
    rows = Explanation.objects.filter(enterprise=request.enterprise).order_by(
        "-year", "-quarter", "rule_code"
    )
    return render(request, "upstream/portal_explanations.html", {"rows": rows})


@enterprise_user_required
def portal_explanation(request, pk: int):
    """One explanation of the user's own enterprise (another enterprise's id is a 404)."""
    explanation = get_object_or_404(Explanation, pk=pk, enterprise=request.enterprise)
    if explanation.quarter is None:
        form_url = reverse("enterprises:portal_annual_edit", args=[explanation.year])
    else:
        period = ReportingPeriod.objects.filter(
            year=explanation.year, quarter=explanation.quarter
        ).first()
        form_url = reverse("enterprises:portal_quarterly_edit", args=[period.pk]) if period else ""
    return render(
        request,
        "upstream/portal_explanation.html",
        {"e": explanation, "form_url": form_url},
    )
