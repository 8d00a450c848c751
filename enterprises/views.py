from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.access import BUREAU_ROLES, enterprise_user_required, role_required
from bureau.models import ReportingPeriod

from . import selectors
from .filters import EnterpriseFilter
from .forms import AnnualFiguresForm, EnterpriseProfileForm, QuarterlyFiguresForm
from .models import AnnualFigures, QuarterlyFigures

PAGE_SIZE = 50


@role_required(*BUREAU_ROLES)
def enterprise_list(request):
    qs = selectors.enterprise_list_for_user(user=request.user)
    flt = EnterpriseFilter(request.GET, queryset=qs)
    page = Paginator(flt.qs.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/enterprise_list.html",
        {"filter": flt, "page": page, "query": query.urlencode()},
    )


@role_required(*BUREAU_ROLES)
def enterprise_detail(request, pk: int):
    enterprise = selectors.enterprise_detail(user=request.user, pk=pk)
    return render(request, "enterprises/enterprise_detail.html", {"enterprise": enterprise})


# --- Enterprise portal (企业填报) ---------------------------------------------------------------


@enterprise_user_required
def portal_home(request):
    enterprise = request.enterprise
    open_periods = list(ReportingPeriod.objects.open())
    filled = set(
        QuarterlyFigures.objects.filter(enterprise=enterprise, period__in=open_periods).values_list(
            "period_id", flat=True
        )
    )
    due = [p for p in open_periods if p.pk not in filled]
    last_year = timezone.localdate().year - 1
    has_annual = AnnualFigures.objects.filter(enterprise=enterprise, year=last_year).exists()
    activity_count = enterprise.activities.aggregate(n=Count("id"))["n"]
    return render(
        request,
        "enterprises/portal_home.html",
        {
            "enterprise": enterprise,
            "due_periods": due,
            "last_year": last_year,
            "has_annual": has_annual,
            "activity_count": activity_count,
        },
    )


@enterprise_user_required
def portal_profile(request):
    enterprise = request.enterprise
    form = EnterpriseProfileForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("企业信息已保存。"))
        return redirect("enterprises:portal_profile")
    return render(
        request, "enterprises/portal_profile.html", {"form": form, "enterprise": enterprise}
    )


@enterprise_user_required
def portal_quarterly(request):
    rows = selectors.quarterly_overview(enterprise=request.enterprise)
    return render(request, "enterprises/portal_quarterly.html", {"rows": rows})


@enterprise_user_required
def portal_quarterly_edit(request, period_id: int):
    period = get_object_or_404(ReportingPeriod, pk=period_id)
    instance = QuarterlyFigures.objects.filter(enterprise=request.enterprise, period=period).first()
    if instance is None:
        instance = QuarterlyFigures(enterprise=request.enterprise, period=period)
    form = QuarterlyFiguresForm(request.POST or None, instance=instance)
    if period.is_locked and request.method != "POST":
        messages.warning(request, _("该填报期已锁定，只能查看。"))
    if request.method == "POST" and form.is_valid():
        figures = form.save(commit=False)
        figures.submitted_by = request.user
        figures.save()
        messages.success(request, _("%(p)s数据已保存。") % {"p": period})
        return redirect("enterprises:portal_quarterly")
    return render(
        request, "enterprises/portal_quarterly_edit.html", {"form": form, "period": period}
    )


@enterprise_user_required
def portal_annual(request):
    figures = AnnualFigures.objects.filter(enterprise=request.enterprise).order_by("-year")
    this_year = timezone.localdate().year
    years = sorted({this_year - 1, this_year - 2, *(f.year for f in figures)}, reverse=True)
    by_year = {f.year: f for f in figures}
    return render(
        request,
        "enterprises/portal_annual.html",
        {"rows": [(y, by_year.get(y)) for y in years]},
    )


@enterprise_user_required
def portal_annual_edit(request, year: int):
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    instance = AnnualFigures.objects.filter(enterprise=request.enterprise, year=year).first()
    if instance is None:
        instance = AnnualFigures(enterprise=request.enterprise, year=year)
    form = AnnualFiguresForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(y)s年度数据已保存。") % {"y": year})
        return redirect("enterprises:portal_annual")
    return render(request, "enterprises/portal_annual_edit.html", {"form": form, "year": year})
