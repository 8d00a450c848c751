import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import industries
from .models import Enterprise, ParkZone, SizeClass, StrategicIndustry


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
