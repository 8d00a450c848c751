"""Figures of the enterprise registry."""

from django.db.models import Count, Q

from bureau.figures import Figure

from .models import Enterprise, QuarterlyFigures


def figures(year: int, quarter: int | None = None) -> list[Figure]:
    """Registered enterprises, and how many reported the year's (latest) quarterly figures."""
    registered = Enterprise.objects.filter(is_active=True)
    reported = QuarterlyFigures.objects.filter(period__year=year)
    if quarter:
        reported = reported.filter(period__quarter=quarter)
    counts = registered.aggregate(
        n=Count("id", distinct=True),
        reported=Count("id", filter=Q(quarterly_figures__in=reported), distinct=True),
    )
    return [
        Figure(
            key="enterprises.registered",
            label="在册企业",
            unit="家",
            value=counts["n"],
            year=year,
            quarter=quarter,
            records=registered.select_related("zone"),
        ),
        Figure(
            key="enterprises.quarterly_reporting",
            label="报送季度数据的企业",
            unit="家",
            value=counts["reported"],
            year=year,
            quarter=quarter,
            records=registered.filter(quarterly_figures__in=reported).distinct(),
        ),
    ]
