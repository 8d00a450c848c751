"""The dashboard's filters (django-filter): year and quarter choose the figures, park zone and
industry narrow them to the enterprises they cover (`.qs` is that Enterprise queryset)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises import industries
from enterprises.models import Enterprise, ParkZone

QUARTER_CHOICES = [(q, _("第%(q)s季度") % {"q": q}) for q in range(1, 5)]


def year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(y, y) for y in range(this_year, this_year - 6, -1)]


class DashboardFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        label=_("年度"), choices=year_choices, method="keep", empty_label=None
    )
    quarter = django_filters.ChoiceFilter(
        label=_("截至季度"),
        choices=QUARTER_CHOICES,
        method="keep",
        empty_label=_("全年"),
    )
    zone = django_filters.ModelChoiceFilter(
        label=_("园区片区"), queryset=ParkZone.objects.all(), empty_label=_("全部片区")
    )
    industry = django_filters.ChoiceFilter(
        label=_("行业门类"),
        choices=industries.SECTION_CHOICES,
        method="filter_industry",
        empty_label=_("全部行业"),
    )

    class Meta:
        model = Enterprise
        fields = ["year", "quarter", "zone", "industry"]

    def keep(self, queryset, name, value):
        return queryset  # year and quarter choose the figures, not the enterprises

    def filter_industry(self, queryset, name, value):
        return queryset.filter(industry_division__in=industries.divisions_of(value))

    @property
    def narrows(self) -> bool:
        """Whether a zone or industry is chosen (figures are then recounted over them)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return bool(data.get("zone") or data.get("industry"))

    @property
    def scope(self) -> str:
        """The narrowing choices as a stable string ('' without any): the figures' cache key."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        zone, industry = data.get("zone"), data.get("industry")
        if not (zone or industry):
            return ""
        return f"zone={zone.pk if zone else ''}&industry={industry or ''}"
