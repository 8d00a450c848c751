"""Upstream packs on the web: staff download one enterprise's pack from its page or a filtered
set in bulk; an enterprise downloads its own (another enterprise's id is a 404)."""

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from bureau.access import BUREAU_ROLES, enterprise_user_required, role_required
from bureau.roles import Role
from bureau.spreadsheets import XLSX_CONTENT_TYPE
from enterprises.filters import EnterpriseFilter
from enterprises.models import AnnualFigures, Enterprise, QuarterlyFigures
from enterprises.selectors import enterprise_list_for_user

from . import packs, specs


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
