"""Admin of innovation carriers: search, filters, change history and Excel import/export.

Pipeline records show their status read-only: status moves go through the staff pages
(incubation.services.move_application), which keep the transition history; a record added
here starts its history with its initial status.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from bureau.admin import PortalHistoryAdmin, PortalImportExportAdmin, PortalTabularInline
from bureau.services import record_initial_status

from .imports import (
    IncubatorResource,
    PlatformRecognitionResource,
    RDPlatformResource,
    TenancyResource,
)
from .models import (
    Incubator,
    IncubatorLevelApplication,
    PlatformRecognition,
    RDPlatform,
    RDPlatformKind,
    Tenancy,
)

APPLICATION_FIELDS = (
    "level",
    "status",
    "status_changed_at",
    "batch_year",
    "certificate_no",
    "approved_on",
    "valid_from",
    "valid_to",
    "remark",
)


class ApplicationAdminMixin:
    """Status is read-only once a record exists; new records start their history."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["status", "status_changed_at"]
        return readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            record_initial_status(obj, by=request.user, remark=_("管理后台录入"))


class TenancyInline(PortalTabularInline):
    model = Tenancy
    extra = 0
    fields = ("enterprise", "entered_on", "exited_on", "exit_reason", "graduation_basis", "note")
    autocomplete_fields = ("enterprise",)
    show_change_link = True


@admin.register(Incubator)
class IncubatorAdmin(PortalImportExportAdmin):
    resource_classes = [IncubatorResource]
    list_display = (
        "name",
        "kind",
        "level",
        "operator",
        "zone",
        "area_m2",
        "capacity",
        "n_current",
        "is_active",
    )
    list_filter = ("kind", "level", "zone", "is_active")
    search_fields = ("name", "operator", "address", "contact_person")
    autocomplete_fields = ("operator_enterprise",)
    inlines = [TenancyInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "kind",
                    "operator",
                    "operator_enterprise",
                    "level",
                    "zone",
                    "address",
                    "established_on",
                    "is_active",
                    "closed_on",
                )
            },
        ),
        (_("场地与服务"), {"fields": ("area_m2", "tenant_area_m2", "capacity", "services")}),
        (
            _("认定条件相关数据"),
            {
                "fields": (
                    "seed_fund",
                    "financed_tenants",
                    "fund_use_cases",
                    "staff_total",
                    "professional_staff",
                    "mentors",
                    "tenants_with_patent_filings",
                    "tenants_with_valid_ip",
                    "statistics_years",
                    "prior_graduates",
                    "hardship_region",
                )
            },
        ),
        (_("联系方式"), {"fields": ("contact_person", "contact_phone")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("zone")
            .annotate(current=Count("tenancies", filter=Q(tenancies__exited_on__isnull=True)))
        )

    @admin.display(description=_("在孵企业"), ordering="current")
    def n_current(self, obj):
        return obj.current


@admin.register(IncubatorLevelApplication)
class IncubatorLevelApplicationAdmin(ApplicationAdminMixin, PortalHistoryAdmin):
    list_display = ("incubator", "level", "status", "batch_year", "status_changed_at")
    list_filter = ("status", "level", "batch_year")
    search_fields = ("incubator__name", "certificate_no", "remark")
    list_select_related = ("incubator",)
    fields = ("incubator", *APPLICATION_FIELDS, "previous_level")


@admin.register(Tenancy)
class TenancyAdmin(PortalImportExportAdmin):
    resource_classes = [TenancyResource]
    list_display = ("enterprise", "incubator", "entered_on", "exited_on", "exit_reason")
    list_filter = ("incubator", "exit_reason", ("exited_on", admin.EmptyFieldListFilter))
    search_fields = ("enterprise__name", "enterprise__credit_code", "incubator__name")
    list_select_related = ("enterprise", "incubator")
    autocomplete_fields = ("enterprise",)
    date_hierarchy = "entered_on"


@admin.register(RDPlatformKind)
class RDPlatformKindAdmin(PortalHistoryAdmin):
    list_display = ("name", "code", "order")
    search_fields = ("name", "code")


@admin.register(RDPlatform)
class RDPlatformAdmin(ApplicationAdminMixin, PortalImportExportAdmin):
    resource_classes = [RDPlatformResource]
    list_display = (
        "name",
        "enterprise",
        "kind",
        "level",
        "status",
        "batch_year",
        "approved_on",
        "valid_to",
    )
    list_filter = ("status", "level", "kind", "batch_year", "enterprise__zone")
    search_fields = ("name", "enterprise__name", "enterprise__credit_code", "certificate_no")
    list_select_related = ("enterprise", "kind")
    autocomplete_fields = ("enterprise",)
    fields = ("enterprise", "kind", "name", "tech_field", *APPLICATION_FIELDS)


@admin.register(PlatformRecognition)
class PlatformRecognitionAdmin(ApplicationAdminMixin, PortalImportExportAdmin):
    resource_classes = [PlatformRecognitionResource]
    list_display = (
        "enterprise",
        "kind",
        "level",
        "product_name",
        "status",
        "batch_year",
        "approved_on",
        "valid_to",
    )
    list_filter = ("kind", "status", "level", "batch_year", "enterprise__zone")
    search_fields = ("enterprise__name", "enterprise__credit_code", "product_name", "title")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    fields = ("enterprise", "kind", "product_name", "title", *APPLICATION_FIELDS)
