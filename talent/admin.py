"""Admin of the talent app. Personal data stays masked in the admin too unless the staff member
holds `talent.view_personal_data`; every unmasked change form and export is logged."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from bureau.admin import PortalImportExportAdmin
from bureau.concurrency import OptimisticLockAdminMixin

from .imports import TalentResource
from .masking import mask_name, mask_phone
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

PERSONAL_FIELDS = ("name", "phone", "email")


@admin.register(Talent)
class TalentAdmin(PortalImportExportAdmin):
    resource_classes = [TalentResource]
    list_display = (
        "masked_name",
        "enterprise",
        "category",
        "title_level",
        "education",
        "field",
        "masked_phone",
        "registered_on",
        "left_on",
    )
    list_filter = ("category", "title_level", "education", "gender", "registered_on")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    date_hierarchy = "registered_on"

    def get_search_fields(self, request):
        # Searching by name would reveal names to staff who may not see them.
        if can_view_personal_data(request.user):
            return ("name", "enterprise__name", "field", "title")
        return ("enterprise__name", "field", "title")

    def get_list_display(self, request):
        if can_view_personal_data(request.user):
            swap = {"masked_name": "name", "masked_phone": "phone"}
            return tuple(swap.get(f, f) for f in self.list_display)
        return self.list_display

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if can_view_personal_data(request.user):
            log_personal_data_access(
                user=request.user,
                talents=list(changelist.result_list),
                context="admin_list",
                path=request.path,
            )
        return changelist

    def get_exclude(self, request, obj=None):
        if obj is not None and not can_view_personal_data(request.user):
            return PERSONAL_FIELDS
        return super().get_exclude(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not can_view_personal_data(request.user):
            return ("masked_name", "masked_phone")
        return super().get_readonly_fields(request, obj)

    @admin.display(description=_("姓名（已脱敏）"), ordering="name")
    def masked_name(self, obj):
        return mask_name(obj.name)

    @admin.display(description=_("联系电话（已脱敏）"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and can_view_personal_data(request.user):
            obj = self.get_object(request, object_id)
            if obj is not None:
                log_personal_data_access(
                    user=request.user, talents=[obj], context="admin", path=request.path
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A historical version shows every field as it was, names and phones included.
        if not can_view_personal_data(request.user):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_export_permission(self, request):
        return can_view_personal_data(request.user) and super().has_export_permission(request)

    def get_export_queryset(self, request):
        qs = super().get_export_queryset(request)
        log_personal_data_access(
            user=request.user, talents=list(qs), context="admin_export", path=request.path
        )
        return qs


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
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
class TalentProgrammeAdmin(OptimisticLockAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "code", "is_subsidy", "order")
    list_filter = ("is_subsidy",)
    search_fields = ("name", "code")


@admin.register(TalentApplication)
class TalentApplicationAdmin(OptimisticLockAdminMixin, SimpleHistoryAdmin):
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
class TalentActivityAdmin(OptimisticLockAdminMixin, SimpleHistoryAdmin):
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
    list_display = ("title", "enterprise", "institution", "kind", "signed_on", "end_on", "value")
    list_filter = ("kind", "institution", ("signed_on", admin.DateFieldListFilter))
    search_fields = ("title", "enterprise__name", "institution__name")
    list_select_related = ("enterprise", "institution")
    autocomplete_fields = ("enterprise", "institution")
    raw_id_fields = ("demand",)
    date_hierarchy = "signed_on"


@admin.register(TechnologyDemand)
class TechnologyDemandAdmin(PortalImportExportAdmin):
    list_display = ("title", "enterprise", "field", "status", "budget", "raised_on", "deadline")
    list_filter = ("status", "field", ("raised_on", admin.DateFieldListFilter))
    search_fields = ("title", "description", "enterprise__name")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    date_hierarchy = "raised_on"


@admin.register(DemandMatch)
class DemandMatchAdmin(OptimisticLockAdminMixin, SimpleHistoryAdmin):
    list_display = ("demand", "institution", "score", "status", "confirmed_by", "confirmed_at")
    list_filter = ("status", "institution")
    search_fields = ("demand__title", "institution__name", "reasons")
    list_select_related = ("demand", "institution", "confirmed_by")
    raw_id_fields = ("demand", "agreement")
