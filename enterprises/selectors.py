"""Reads of the enterprise registry shared by pages and figures."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from bureau.models import ReportingPeriod
from bureau.roles import Role

from .models import AnnualFigures, Enterprise, QuarterlyFigures


def enterprise_list_for_user(*, user) -> QuerySet[Enterprise]:
    """Enterprises the user may see: all for bureau roles, only its own for an enterprise user."""
    qs = Enterprise.objects.select_related("zone")
    if user.role is Role.ENTERPRISE_USER:
        return qs.filter(accounts__user=user)
    if user.role is None:
        return qs.none()
    return qs


def enterprise_get_for_user(*, user, pk: int) -> Enterprise:
    """The one gate for a single enterprise: 404 when the user may not see it."""
    try:
        return enterprise_list_for_user(user=user).get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None


def enterprise_detail(*, user, pk: int) -> Enterprise:
    enterprise = enterprise_list_for_user(user=user).prefetch_related(
        Prefetch("annual_figures", queryset=AnnualFigures.objects.order_by("-year")),
        Prefetch(
            "quarterly_figures",
            queryset=QuarterlyFigures.objects.select_related("period").order_by(
                "-period__year", "-period__quarter"
            ),
        ),
    )
    try:
        return enterprise.get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None


def quarterly_overview(
    *, enterprise: Enterprise
) -> list[tuple[ReportingPeriod, QuarterlyFigures | None]]:
    """Every reporting period with the enterprise's figures for it (None when not yet filled)."""
    figures = {f.period_id: f for f in QuarterlyFigures.objects.filter(enterprise=enterprise)}
    return [(p, figures.get(p.pk)) for p in ReportingPeriod.objects.all()]


def enterprise_counts_by_zone() -> QuerySet:
    return Enterprise.objects.filter(is_active=True).values("zone__name").annotate(n=Count("id"))
