import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bureau.models import ApplicationStatus, Level

from . import industries
from .models import (
    Enterprise,
    ParkZone,
    PrescreenResult,
    Qualification,
    QualificationKind,
    SizeClass,
    StrategicIndustry,
)


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或代码"), method="search")
    zone = django_filters.ModelChoiceFilter(label=_("片区"), queryset=ParkZone.objects.all())
    size_class = django_filters.ChoiceFilter(label=_("规模"), choices=SizeClass.choices)
    section = django_filters.ChoiceFilter(
        label=_("行业门类"), choices=industries.SECTION_CHOICES, method="filter_section"
    )
    strategic_industry = django_filters.ChoiceFilter(
        label=_("战略性新兴产业"), choices=StrategicIndustry.choices
    )

    class Meta:
        model = Enterprise
        fields = ["q", "zone", "size_class", "section", "strategic_industry"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))

    def filter_section(self, queryset, name, value):
        return queryset.filter(industry_division__in=industries.divisions_of(value))


class PrescreenResultFilter(django_filters.FilterSet):
    """The pre-screening list's filters (zone, industry, size) on the results table's own
    columns, so that filtering, sorting and paging stay one indexed query."""

    zone = django_filters.ModelChoiceFilter(label=_("片区"), queryset=ParkZone.objects.all())
    section = django_filters.ChoiceFilter(
        label=_("行业门类"), choices=industries.SECTION_CHOICES, method="filter_section"
    )
    size_class = django_filters.ChoiceFilter(label=_("规模"), choices=SizeClass.choices)

    class Meta:
        model = PrescreenResult
        fields = ["zone", "section", "size_class"]

    def filter_section(self, queryset, name, value):
        return queryset.filter(industry_division__in=industries.divisions_of(value))


class QualificationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或证书编号"), method="search")
    kind = django_filters.ModelChoiceFilter(
        label=_("资质类型"), queryset=QualificationKind.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ApplicationStatus.choices)
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Level.choices)
    batch_year = django_filters.NumberFilter(label=_("批次年度"))

    class Meta:
        model = Qualification
        fields = ["q", "kind", "status", "level", "batch_year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(certificate_no__icontains=value)
        )
