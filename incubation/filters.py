"""Filters of the staff lists (django-filter): kind, level, status, year, zone."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bureau.models import ApplicationStatus, Level
from enterprises.models import ParkZone

from .models import (
    ExitReason,
    Incubator,
    IncubatorKind,
    PlatformRecognition,
    RDPlatform,
    RDPlatformKind,
    RecognitionKind,
    Tenancy,
)


def _search(queryset, name, value):
    return queryset.filter(
        Q(enterprise__name__icontains=value) | Q(enterprise__credit_code__icontains=value.upper())
    )


def _year(queryset, name, value):
    """The approval year, or the batch year of one not (yet) approved."""
    return queryset.filter(
        Q(approved_on__year=value) | Q(approved_on__isnull=True, batch_year=value)
    )


class _ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或代码"), method="search")
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Level.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ApplicationStatus.choices)
    year = django_filters.NumberFilter(label=_("年度"), method="filter_year")
    zone = django_filters.ModelChoiceFilter(
        label=_("片区"), queryset=ParkZone.objects.all(), field_name="enterprise__zone"
    )

    def search(self, queryset, name, value):
        return _search(queryset, name, value)

    def filter_year(self, queryset, name, value):
        return _year(queryset, name, value)


class PlatformFilter(_ApplicationFilter):
    kind = django_filters.ModelChoiceFilter(
        label=_("平台类型"), queryset=RDPlatformKind.objects.all()
    )

    class Meta:
        model = RDPlatform
        fields = ["q", "kind", "level", "status", "year", "zone"]

    def search(self, queryset, name, value):
        return _search(queryset, name, value) | queryset.filter(name__icontains=value)


class RecognitionFilter(_ApplicationFilter):
    kind = django_filters.ChoiceFilter(label=_("认定类别"), choices=RecognitionKind.choices)

    class Meta:
        model = PlatformRecognition
        fields = ["q", "kind", "level", "status", "year", "zone"]


class IncubatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或运营主体"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=IncubatorKind.choices)
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Level.choices)
    zone = django_filters.ModelChoiceFilter(label=_("片区"), queryset=ParkZone.objects.all())

    class Meta:
        model = Incubator
        fields = ["q", "kind", "level", "zone"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(operator__icontains=value))


class TenancyFilter(django_filters.FilterSet):
    STATE_CHOICES = [
        ("current", _("在孵")),
        ("graduated", _("已毕业")),
        ("left", _("其他离孵")),
    ]

    q = django_filters.CharFilter(label=_("企业名称或代码"), method="search")
    incubator = django_filters.ModelChoiceFilter(
        label=_("孵化载体"), queryset=Incubator.objects.all()
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=STATE_CHOICES, method="filter_state"
    )
    year = django_filters.NumberFilter(label=_("入孵年度"), field_name="entered_on__year")
    zone = django_filters.ModelChoiceFilter(
        label=_("片区"), queryset=ParkZone.objects.all(), field_name="incubator__zone"
    )

    class Meta:
        model = Tenancy
        fields = ["q", "incubator", "state", "year", "zone"]

    def search(self, queryset, name, value):
        return _search(queryset, name, value)

    def filter_state(self, queryset, name, value):
        if value == "current":
            return queryset.filter(exited_on__isnull=True)
        if value == "graduated":
            return queryset.filter(exit_reason=ExitReason.GRADUATED)
        return queryset.exclude(exit_reason__in=["", ExitReason.GRADUATED])
