"""Figures the bureau's own records publish: activities held in the year, by kind."""

from django.db.models import Count

from .figures import Figure
from .models import Activity, ActivityKind


def figures(year: int, quarter: int | None = None) -> list[Figure]:
    """One figure per activity kind: how many were held in the year (to the quarter's end)."""
    activities = Activity.objects.filter(date__year=year)
    if quarter:
        activities = activities.filter(date__month__lte=3 * quarter)
    counts = dict(activities.values_list("kind_id").annotate(n=Count("id")).order_by())
    return [
        Figure(
            key=f"bureau.activities.{kind.code}",
            label=f"{kind.name}",
            unit="次",
            value=counts.get(kind.pk, 0),
            year=year,
            quarter=quarter,
            records=activities.filter(kind=kind).select_related("kind"),
            section="四",
        )
        for kind in ActivityKind.objects.all()
    ]
