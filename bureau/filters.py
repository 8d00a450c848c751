import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Activity, ActivityKind


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ModelChoiceFilter(label=_("类型"), queryset=ActivityKind.objects.all())
    year = django_filters.NumberFilter(label=_("年度"), field_name="date", lookup_expr="year")
    topic = django_filters.CharFilter(label=_("主题"), lookup_expr="icontains")

    class Meta:
        model = Activity
        fields = ["kind", "year", "topic"]
