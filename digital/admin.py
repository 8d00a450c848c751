from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from bureau.admin import PortalHistoryAdmin, PortalImportExportAdmin, PortalTabularInline

from . import imports
from .models import (
    Assessment,
    DemonstrationEnterprise,
    DemoParkProject,
    DiagnosticRound,
    DiagnosticVisit,
    Dimension,
    FollowUpAction,
    FundAllocation,
    Indicator,
    Milestone,
    Option,
    ProvincialDemoApplication,
    Question,
    QuestionnaireVersion,
    Scenario,
    ServiceDelivery,
    ServicePackage,
)


class EditionLockedMixin:
    """A questionnaire edition in use is not edited: assessments were scored with it."""

    def version_of(self, obj):
        return obj.version

    def has_change_permission(self, request, obj=None):
        if obj is not None and Assessment.objects.filter(version=self.version_of(obj)).exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and Assessment.objects.filter(version=self.version_of(obj)).exists():
            return False
        return super().has_delete_permission(request, obj)


class DimensionInline(PortalTabularInline):
    model = Dimension
    extra = 0


class ScenarioInline(PortalTabularInline):
    model = Scenario
    extra = 0


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(EditionLockedMixin, PortalHistoryAdmin):
    list_display = ("name", "code", "document_no", "rule_set", "effective_from", "is_current")
    list_filter = ("is_current", "rule_set")
    search_fields = ("name", "code", "document_no")
    inlines = [DimensionInline, ScenarioInline]

    def version_of(self, obj):
        return obj


@admin.register(Dimension)
class DimensionAdmin(EditionLockedMixin, PortalHistoryAdmin):
    list_display = ("name", "code", "version", "max_points", "order")
    list_filter = ("version",)
    search_fields = ("name", "code")
    list_select_related = ("version",)


@admin.register(Indicator)
class IndicatorAdmin(EditionLockedMixin, PortalHistoryAdmin):
    list_display = ("name", "code", "dimension", "max_points", "order")
    list_filter = ("dimension__version", "dimension")
    search_fields = ("name", "code")
    list_select_related = ("dimension",)

    def version_of(self, obj):
        return obj.dimension.version


class OptionInline(PortalTabularInline):
    model = Option
    extra = 0


@admin.register(Question)
class QuestionAdmin(EditionLockedMixin, PortalHistoryAdmin):
    list_display = ("text", "code", "indicator", "kind", "max_points", "required", "order")
    list_filter = ("version", "kind", "indicator__dimension")
    search_fields = ("text", "code")
    list_select_related = ("indicator",)
    inlines = [OptionInline]


@admin.register(Option)
class OptionAdmin(EditionLockedMixin, PortalHistoryAdmin):
    list_display = ("text", "code", "question", "points", "exclusive", "order")
    list_filter = ("question__version", "exclusive")
    search_fields = ("text", "code", "question__text")
    list_select_related = ("question",)

    def version_of(self, obj):
        return obj.question.version


@admin.register(Scenario)
class ScenarioAdmin(EditionLockedMixin, PortalHistoryAdmin):
    list_display = ("name", "code", "group", "mandatory", "version", "order")
    list_filter = ("version", "group", "mandatory")
    search_fields = ("name", "code")


@admin.register(Assessment)
class AssessmentAdmin(PortalImportExportAdmin):
    resource_classes = [imports.AssessmentResource]
    list_display = (
        "enterprise",
        "assessed_on",
        "source",
        "status",
        "total_score",
        "level",
        "version",
    )
    list_filter = (
        "status",
        "source",
        "level",
        "version",
        ("assessed_on", admin.DateFieldListFilter),
    )
    search_fields = ("enterprise__name", "enterprise__credit_code", "evaluator", "external_ref")
    list_select_related = ("enterprise", "version")
    autocomplete_fields = ("enterprise",)
    date_hierarchy = "assessed_on"
    readonly_fields = (
        "dimension_scores",
        "total_score",
        "level",
        "level_reasons",
        "submitted_at",
        "submitted_by",
        "created_at",
        "updated_at",
    )

    def has_change_permission(self, request, obj=None):
        # Scores follow from the answers by the rules: change them through the portal pages.
        return request.user.is_superuser and super().has_change_permission(request, obj)


class DiagnosticRoundAdmin(PortalImportExportAdmin):
    list_display = ("__str__", "period", "due_date")
    list_filter = ("period__year",)
    search_fields = ("title",)
    autocomplete_fields = ("enterprises",)
    list_select_related = ("period",)


admin.site.register(DiagnosticRound, DiagnosticRoundAdmin)


class FollowUpActionInline(PortalTabularInline):
    model = FollowUpAction
    extra = 1


@admin.register(DiagnosticVisit)
class DiagnosticVisitAdmin(PortalImportExportAdmin):
    resource_classes = [imports.DiagnosticVisitResource]
    list_display = ("date", "enterprise", "kind", "round", "experts")
    list_filter = ("kind", ("date", admin.DateFieldListFilter))
    search_fields = ("enterprise__name", "findings", "recommendations", "experts")
    list_select_related = ("enterprise", "round__period")
    autocomplete_fields = ("enterprise",)
    filter_horizontal = ("staff",)
    date_hierarchy = "date"
    inlines = [FollowUpActionInline]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(PortalImportExportAdmin):
    list_display = ("description", "visit", "owner", "due_date", "status", "done_on")
    list_filter = ("status", ("due_date", admin.DateFieldListFilter))
    search_fields = ("description", "owner", "visit__enterprise__name")
    list_select_related = ("visit__enterprise",)


@admin.register(ServicePackage)
class ServicePackageAdmin(PortalImportExportAdmin):
    resource_classes = [imports.ServicePackageResource]
    list_display = ("name", "kind", "provider", "unit_value", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "provider")


@admin.register(ServiceDelivery)
class ServiceDeliveryAdmin(PortalImportExportAdmin):
    resource_classes = [imports.ServiceDeliveryResource]
    list_display = ("delivered_on", "enterprise", "package", "provider")
    list_filter = ("package", ("delivered_on", admin.DateFieldListFilter))
    search_fields = ("enterprise__name", "enterprise__credit_code", "package__name", "provider")
    list_select_related = ("enterprise", "package")
    autocomplete_fields = ("enterprise",)
    date_hierarchy = "delivered_on"


class MilestoneInline(PortalTabularInline):
    model = Milestone
    extra = 0
    exclude = ("order",)


class FundAllocationInline(PortalTabularInline):
    model = FundAllocation
    extra = 0
    autocomplete_fields = ("enterprise",)


@admin.register(DemoParkProject)
class DemoParkProjectAdmin(PortalImportExportAdmin):
    resource_classes = [imports.DemoParkProjectResource]
    list_display = ("name", "approved_year", "budget", "general_contractor", "status")
    list_filter = ("status", "approved_year")
    search_fields = ("name", "general_contractor")
    inlines = [MilestoneInline, FundAllocationInline]


@admin.register(Milestone)
class MilestoneAdmin(PortalImportExportAdmin):
    resource_classes = [imports.MilestoneResource]
    list_display = ("project", "stage", "planned_date", "actual_date", "status")
    list_filter = ("status", "stage", "project")
    search_fields = ("project__name", "note")
    list_select_related = ("project",)
    exclude = ("order",)


@admin.register(FundAllocation)
class FundAllocationAdmin(PortalImportExportAdmin):
    list_display = ("project", "enterprise", "amount", "spent", "purpose")
    list_filter = ("project",)
    search_fields = ("enterprise__name", "purpose")
    list_select_related = ("project", "enterprise")
    autocomplete_fields = ("enterprise",)


@admin.register(DemonstrationEnterprise)
class DemonstrationEnterpriseAdmin(PortalImportExportAdmin):
    resource_classes = [imports.DemonstrationEnterpriseResource]
    list_display = ("enterprise", "group", "year", "project", "case_title")
    list_filter = ("group", "year", "project")
    search_fields = ("enterprise__name", "case_title")
    list_select_related = ("enterprise", "project")
    autocomplete_fields = ("enterprise",)


@admin.register(ProvincialDemoApplication)
class ProvincialDemoApplicationAdmin(PortalImportExportAdmin):
    resource_classes = [imports.ProvincialDemoApplicationResource]
    list_display = ("enterprise", "project_title", "batch_year", "status", "level", "approved_on")
    list_filter = ("status", "batch_year", "level")
    search_fields = ("enterprise__name", "project_title", "certificate_no")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)
    readonly_fields = ("status", "status_changed_at")

    def save_model(self, request, obj, form, change):
        from bureau.services import record_initial_status

        super().save_model(request, obj, form, change)
        if not change:
            record_initial_status(obj, by=request.user, remark=str(_("后台录入")))
