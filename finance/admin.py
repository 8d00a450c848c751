from django.contrib import admin
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from bureau.admin import PortalHistoryAdmin, PortalImportExportAdmin, PortalTabularInline

from .forms import ProductAdminForm
from .imports import (
    DisbursementResource,
    FinancingNeedResource,
    InstitutionResource,
    ProductResource,
    SigningResource,
)
from .models import (
    Branch,
    Contact,
    Disbursement,
    FinanceEvent,
    FinancialProduct,
    FinancingNeed,
    GuaranteeScheme,
    Institution,
    SchemeLoan,
    SchemeStageEntry,
    Signing,
)


class BranchInline(PortalTabularInline):
    model = Branch
    extra = 0


class ContactInline(PortalTabularInline):
    model = Contact
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(PortalImportExportAdmin):
    resource_classes = [InstitutionResource]
    list_display = ("name", "short_name", "kind", "is_active", "n_products")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    inlines = [BranchInline, ContactInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_n_products=Count("products"))

    @admin.display(description=_("产品数"), ordering="_n_products")
    def n_products(self, obj):
        return obj._n_products


@admin.register(Branch)
class BranchAdmin(PortalHistoryAdmin):
    list_display = ("name", "institution", "phone")
    list_filter = ("institution",)
    search_fields = ("name", "institution__name", "address")
    list_select_related = ("institution",)


@admin.register(Contact)
class ContactAdmin(PortalHistoryAdmin):
    list_display = ("name", "title", "institution", "branch", "phone", "email")
    list_filter = ("institution",)
    search_fields = ("name", "institution__name", "phone")
    list_select_related = ("institution", "branch__institution")


@admin.register(FinancialProduct)
class FinancialProductAdmin(PortalImportExportAdmin):
    form = ProductAdminForm
    resource_classes = [ProductResource]
    list_display = (
        "name",
        "provider",
        "kind",
        "min_amount",
        "max_amount",
        "min_rate",
        "max_rate",
        "status",
        "launched_on",
    )
    list_filter = ("kind", "status", "provider", "requires_collateral")
    search_fields = ("name", "provider__name", "description")
    list_select_related = ("provider",)
    date_hierarchy = "launched_on"


class StageEntryInline(PortalTabularInline):
    model = SchemeStageEntry
    extra = 0
    readonly_fields = ("by",)


class SchemeLoanInline(PortalTabularInline):
    model = SchemeLoan
    extra = 0
    autocomplete_fields = ("enterprise",)


@admin.register(GuaranteeScheme)
class GuaranteeSchemeAdmin(PortalHistoryAdmin):
    list_display = (
        "name",
        "bank",
        "guarantor",
        "stage",
        "status",
        "total_line",
        "amplification_multiple",
    )
    list_filter = ("stage", "status")
    search_fields = ("name", "bank__name", "guarantor__name")
    list_select_related = ("bank", "guarantor")
    inlines = [StageEntryInline, SchemeLoanInline]
    readonly_fields = ("stage", "status", "status_changed_at")
    fieldsets = (
        (None, {"fields": ("name", "bank", "guarantor", "product", "stage", "status")}),
        (
            _("额度与分担"),
            {
                "fields": (
                    "compensation_fund",
                    "amplification_multiple",
                    "total_line",
                    "max_loan_per_enterprise",
                    "bank_share",
                    "guarantor_share",
                    "government_share",
                )
            },
        ),
        (_("批次"), {"fields": ("level", "batch_year", "remark", "status_changed_at")}),
    )

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        from bureau.services import record_initial_status

        super().save_model(request, obj, form, change)
        if not change:
            # Keep the start of its history as services.start_scheme does.
            record_initial_status(obj, by=request.user)
            SchemeStageEntry.objects.create(
                scheme=obj, stage=obj.stage, entered_on=timezone.localdate(), by=request.user
            )


@admin.register(SchemeStageEntry)
class SchemeStageEntryAdmin(PortalHistoryAdmin):
    list_display = ("scheme", "stage", "entered_on", "completed_on", "by")
    list_filter = ("stage", "scheme")
    search_fields = ("scheme__name", "remark")
    list_select_related = ("scheme", "by")


@admin.register(SchemeLoan)
class SchemeLoanAdmin(PortalHistoryAdmin):
    list_display = ("enterprise", "scheme", "amount", "granted_on", "term_months")
    list_filter = ("scheme", ("granted_on", admin.DateFieldListFilter))
    search_fields = ("enterprise__name", "enterprise__credit_code")
    list_select_related = ("enterprise", "scheme")
    autocomplete_fields = ("enterprise",)


@admin.register(FinancingNeed)
class FinancingNeedAdmin(PortalImportExportAdmin):
    resource_classes = [FinancingNeedResource]
    list_display = (
        "enterprise",
        "amount",
        "purpose",
        "term_months",
        "status",
        "source",
        "posted_on",
    )
    list_filter = (
        "status",
        "source",
        "collateral_available",
        ("posted_on", admin.DateFieldListFilter),
    )
    search_fields = ("enterprise__name", "enterprise__credit_code", "purpose")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    date_hierarchy = "posted_on"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(FinanceEvent)
class FinanceEventAdmin(PortalHistoryAdmin):
    list_display = ("activity", "kind", "co_organizer", "signed")
    list_filter = ("activity__kind",)
    search_fields = ("activity__topic", "co_organizer")
    autocomplete_fields = ("needs_presented",)
    filter_horizontal = ("institutions",)
    raw_id_fields = ("activity",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("activity__kind")
            .annotate(_signed=Sum("signings__amount"))
        )

    @admin.display(description=_("类型"), ordering="activity__kind")
    def kind(self, obj):
        return obj.activity.kind

    @admin.display(description=_("签约金额（元）"), ordering="_signed")
    def signed(self, obj):
        return obj._signed


class DisbursementInline(PortalTabularInline):
    """Read-only here: disbursements are added one at a time, each checked against the signing."""

    model = Disbursement
    extra = 0
    can_delete = False
    readonly_fields = ("amount", "disbursed_on")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Signing)
class SigningAdmin(PortalImportExportAdmin):
    resource_classes = [SigningResource]
    list_display = ("signed_on", "enterprise", "bank", "product", "amount", "event")
    list_filter = ("bank", "product", ("signed_on", admin.DateFieldListFilter))
    search_fields = ("enterprise__name", "enterprise__credit_code", "bank__name")
    list_select_related = ("enterprise", "bank", "product", "event__activity")
    autocomplete_fields = ("enterprise", "need")
    inlines = [DisbursementInline]
    date_hierarchy = "signed_on"

    def save_model(self, request, obj, form, change):
        from .models import NeedStatus

        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        # A need is closed by its signing, on every path in.
        if obj.need_id and obj.need.status == NeedStatus.OPEN:
            obj.need.status = NeedStatus.MET
            obj.need.met_on = obj.signed_on
            obj.need.save(update_fields=["status", "met_on"])


@admin.register(Disbursement)
class DisbursementAdmin(PortalImportExportAdmin):
    resource_classes = [DisbursementResource]
    list_display = ("disbursed_on", "signing", "amount")
    list_filter = (("disbursed_on", admin.DateFieldListFilter),)
    search_fields = ("signing__enterprise__name", "signing__bank__name")
    list_select_related = ("signing__enterprise", "signing__bank")
    raw_id_fields = ("signing",)
