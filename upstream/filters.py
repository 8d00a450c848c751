"""Filters of the staff review queue of explanations (数据核查说明)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Explanation, ExplanationStatus

FILING_KINDS = [("annual", _("年度数据")), ("quarterly", _("季度数据"))]


class ExplanationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ExplanationStatus.choices)
    year = django_filters.NumberFilter(label=_("年度"))
    filing = django_filters.ChoiceFilter(
        label=_("报表"), choices=FILING_KINDS, method="filter_filing"
    )
    rule_code = django_filters.CharFilter(label=_("规则代码"), lookup_expr="istartswith")
    q = django_filters.CharFilter(label=_("企业名称或代码"), method="search")

    class Meta:
        model = Explanation
        fields = ["status", "year", "filing", "rule_code", "q"]

    def filter_filing(self, queryset, name, value):
        return queryset.filter(quarter__isnull=value == "annual")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code__icontains=value.upper())
        )
