from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from bureau.access import BUREAU_ROLES, role_required
from bureau.figures import collect

from .selectors import dashboard_data


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@role_required(*BUREAU_ROLES)
def dashboard(request):
    year = _year(request)
    data = dashboard_data(year)
    this_year = timezone.localdate().year
    return render(
        request,
        "reports/dashboard.html",
        {**data, "year": year, "years": range(this_year, this_year - 5, -1)},
    )


@role_required(*BUREAU_ROLES)
def figure_records(request, key: str):
    """The records behind one published figure (drill-down)."""
    year = _year(request)
    figure = collect(year).get(key)
    if figure is None or figure.records is None:
        raise Http404
    page = Paginator(figure.records, 50).get_page(request.GET.get("page"))
    return render(
        request, "reports/figure_records.html", {"figure": figure, "page": page, "year": year}
    )
