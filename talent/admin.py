"""Admin of the talent app. Personal data stays masked in the admin too unless the staff member
holds `talent.view_personal_data`; every unmasked change form and export is logged."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from bureau.admin import PortalHistoryAdmin, PortalImportExportAdmin, PortalModelAdmin

from . import imports
from .imports import TalentResource
from .models import (
    CooperationAgreement,
    DemandMatch,
    Institution,
    PersonalDataAccess,
    Talent,
    TalentActivity,
    TalentApplication,
    TalentProgramme,
    TechnologyDemand,
)
from .selectors import can_view_personal_data, log_personal_data_access


@admin.register(Talent)
class TalentAdmin(PortalImportExportAdmin):
    """Names, phones and e-mails are personal (Talent.PERSONAL_FIELDS): without
    `talent.view_personal_data` the base admin masks them and refuses to filter, search or sort
    by them (bureau.personal_data_admin); with it, each record shown is logged here."""

    resource_classes = [TalentResource]
    list_display = (
        "name",
        "enterprise",
        "category",
        "title_level",
        "education",
        "field",
        "phone",
        "registered_on",
        "left_on",
    )
    list_filter = ("category", "title_level", "education", "gender", "registered_on")
    list_select_related = ("enterprise",)
    search_fields = ("name", "phone", "enterprise__name", "field", "title")
    autocomplete_fields = ("enterprise",)
    date_hierarchy = "registered_on"

    def log_unmasked(self, request, objects, context: str) -> None:
        log_personal_data_access(
            user=request.user, talents=objects, context=context, path=request.path
        )

    def has_export_permission(self, request):
        return can_view_personal_data(request.user) and super().has_export_permission(request)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(PortalModelAdmin):
    list_display = ("at", "user", "talent_id", "context", "path")
    list_filter = ("context", ("at", admin.DateFieldListFilter))
    search_fields = ("user__username", "user__full_name", "path")
    list_select_related = ("user",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TalentProgramme)
class TalentProgrammeAdmin(PortalHistoryAdmin):
    list_display = ("name", "code", "is_subsidy", "order")
    list_filter = ("is_subsidy",)
    search_fields = ("name", "code")


@admin.register(TalentApplication)
class TalentApplicationAdmin(PortalHistoryAdmin):
    list_display = (
        "programme",
        "enterprise",
        "talent",
        "status",
        "batch_year",
        "amount_requested",
        "amount_granted",
        "amount_paid",
        "paid_on",
    )
    list_filter = ("programme", "status", "batch_year", "level")
    search_fields = ("enterprise__name", "certificate_no", "remark")
    list_select_related = ("programme", "enterprise", "talent")
    autocomplete_fields = ("enterprise",)
    raw_id_fields = ("talent",)
    # Status moves only through the pipeline (the staff page), which keeps its history.
    readonly_fields = ("status", "status_changed_at")


@admin.register(TalentActivity)
class TalentActivityAdmin(PortalHistoryAdmin):
    list_display = ("activity", "status", "planned_on", "institution_names")
    list_filter = ("status", "activity__kind")
    search_fields = ("activity__topic", "institutions__name")
    list_select_related = ("activity",)
    raw_id_fields = ("activity", "talents")
    filter_horizontal = ("institutions",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("institutions")

    @admin.display(description=_("参与院校"))
    def institution_names(self, obj):
        return "、".join(i.name for i in obj.institutions.all())


@admin.register(Institution)
class InstitutionAdmin(PortalImportExportAdmin):
    resource_classes = [imports.InstitutionResource]
    list_display = ("name", "kind", "city", "research_fields", "contact_person", "n_agreements")
    list_filter = ("kind", "city")
    search_fields = ("name", "short_name", "research_fields", "capabilities")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("agreements"))

    @admin.display(description=_("合作协议数"), ordering="n")
    def n_agreements(self, obj):
        return obj.n


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(PortalImportExportAdmin):
    resource_classes = [imports.CooperationAgreementResource]
    list_display = ("title", "enterprise", "institution", "kind", "signed_on", "end_on", "value")
    list_filter = ("kind", "institution", ("signed_on", admin.DateFieldListFilter))
    search_fields = ("title", "enterprise__name", "institution__name")
    list_select_related = ("enterprise", "institution")
    autocomplete_fields = ("enterprise", "institution")
    raw_id_fields = ("demand",)
    date_hierarchy = "signed_on"


@admin.register(TechnologyDemand)
class TechnologyDemandAdmin(PortalImportExportAdmin):
    resource_classes = [imports.TechnologyDemandResource]
    list_display = ("title", "enterprise", "field", "status", "budget", "raised_on", "deadline")
    list_filter = ("status", "field", ("raised_on", admin.DateFieldListFilter))
    search_fields = ("title", "description", "enterprise__name")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    date_hierarchy = "raised_on"


@admin.register(DemandMatch)
class DemandMatchAdmin(PortalHistoryAdmin):
    list_display = ("demand", "institution", "score", "status", "confirmed_by", "confirmed_at")
    list_filter = ("status", "institution")
    search_fields = ("demand__title", "institution__name", "reasons")
    list_select_related = ("demand", "institution", "confirmed_by")
    raw_id_fields = ("demand", "agreement")
