from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from bureau.admin import (
    PortalHistoryAdmin,
    PortalImportExportAdmin,
    PortalModelAdmin,
    PortalTabularInline,
)
from bureau.services import record_initial_status

from .imports import (
    AnnualFiguresResource,
    EnterpriseResource,
    QualificationResource,
    QuarterlyFiguresResource,
)
from .models import (
    AnnualFigures,
    Enterprise,
    EnterpriseAccount,
    InnovationProfile,
    ParkZone,
    Qualification,
    QualificationKind,
    QuarterlyFigures,
)


@admin.register(ParkZone)
class ParkZoneAdmin(PortalModelAdmin):
    list_display = ("name", "order")
    search_fields = ("name",)


class AnnualFiguresInline(PortalTabularInline):
    """The enterprise's years at a glance, read-only: a year is changed on its own page, where a
    locked year opens read-only and a stale form is refused (bureau.concurrency)."""

    model = AnnualFigures
    extra = 0
    fields = ("year", "revenue", "rd_expense", "employees", "tech_staff", "total_assets")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AccountInline(PortalTabularInline):
    model = EnterpriseAccount
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Enterprise)
class EnterpriseAdmin(PortalImportExportAdmin):
    resource_classes = [EnterpriseResource]
    list_display = (
        "name",
        "credit_code",
        "industry_division",
        "size_class",
        "zone",
        "strategic_industry",
        "is_active",
    )
    list_filter = ("size_class", "zone", "strategic_industry", "is_active", "industry_division")
    search_fields = ("name", "credit_code", "contact_person")
    list_select_related = ("zone",)
    inlines = [AnnualFiguresInline, AccountInline]
    fieldsets = (
        (None, {"fields": ("credit_code", "name", "industry_division", "size_class", "zone")}),
        (
            _("登记信息"),
            {"fields": ("established_on", "registered_capital", "address", "legal_representative")},
        ),
        (_("联系人"), {"fields": ("contact_person", "contact_phone")}),
        (_("产业"), {"fields": ("strategic_industry", "main_products", "is_active")}),
    )


class LockedPeriodReadOnlyMixin:
    """Figures of a locked period open read-only: values, no inputs, no save or delete."""

    def _locked(self, obj) -> bool:
        return obj is not None and obj.pk is not None and self.locking_period(obj) is not None

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._locked(obj)


@admin.register(AnnualFigures)
class AnnualFiguresAdmin(LockedPeriodReadOnlyMixin, PortalImportExportAdmin):
    resource_classes = [AnnualFiguresResource]
    list_display = ("enterprise", "year", "revenue", "rd_expense", "employees", "tech_staff")
    list_filter = ("year",)
    search_fields = ("enterprise__name", "enterprise__credit_code")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)

    @staticmethod
    def locking_period(obj: AnnualFigures):
        period = obj.locking_period()
        return period if period is not None and period.is_locked else None


@admin.register(QuarterlyFigures)
class QuarterlyFiguresAdmin(LockedPeriodReadOnlyMixin, PortalImportExportAdmin):
    resource_classes = [QuarterlyFiguresResource]
    list_display = ("enterprise", "period", "revenue_ytd", "rd_expense_ytd", "tax_ytd", "employees")
    list_filter = ("period__year", "period__quarter")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    list_select_related = ("enterprise", "period")
    autocomplete_fields = ("enterprise",)

    @staticmethod
    def locking_period(obj: QuarterlyFigures):
        return obj.period if obj.period.is_locked else None


@admin.register(EnterpriseAccount)
class EnterpriseAccountAdmin(PortalModelAdmin):
    list_display = ("user", "enterprise")
    search_fields = ("user__username", "enterprise__name")
    autocomplete_fields = ("user", "enterprise")
    list_select_related = ("user", "enterprise")


@admin.register(QualificationKind)
class QualificationKindAdmin(PortalHistoryAdmin):
    list_display = (
        "name",
        "short_name",
        "code",
        "rule_family",
        "default_level",
        "validity_rule",
        "validity_years",
        "ladder_rank",
        "is_active",
    )
    list_filter = ("rule_family", "validity_rule", "is_active")
    search_fields = ("name", "short_name", "code")


@admin.register(Qualification)
class QualificationAdmin(PortalImportExportAdmin):
    """Status moves only through the staff page's transition form (it keeps the timeline); an
    Excel import adds records at their stated status, which starts each one's timeline."""

    resource_classes = [QualificationResource]
    list_display = (
        "enterprise",
        "kind",
        "status",
        "level",
        "batch_year",
        "certificate_no",
        "valid_from",
        "valid_to",
    )
    list_filter = ("kind", "status", "level", "batch_year")
    search_fields = ("enterprise__name", "enterprise__credit_code", "certificate_no")
    list_select_related = ("enterprise", "kind")
    autocomplete_fields = ("enterprise",)
    readonly_fields = ("status", "status_changed_at", "timeline")
    fields = (
        "enterprise",
        "kind",
        "status",
        "level",
        "batch_year",
        "certificate_no",
        "approved_on",
        "valid_from",
        "valid_to",
        "remark",
        "status_changed_at",
        "timeline",
    )

    @admin.display(description=_("状态记录"))
    def timeline(self, obj: Qualification) -> str:
        if not obj.pk:
            return "—"
        return render_to_string(
            "includes/application_timeline.html", {"transitions": obj.transitions}
        )

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            record_initial_status(obj, by=request.user, remark=_("后台新增"))


@admin.register(InnovationProfile)
class InnovationProfileAdmin(PortalHistoryAdmin):
    list_display = (
        "enterprise",
        "niche_since_year",
        "rd_institution_level",
        "award_level",
        "digital_level",
        "development_score",
    )
    list_filter = ("rd_institution_level", "award_level", "digital_level")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
