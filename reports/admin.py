from django.contrib import admin

from bureau.admin import PortalHistoryAdmin, PortalStackedInline, PortalTabularInline

from .forms import WordTemplateForm
from .models import (
    AnnualSummary,
    ExportJob,
    NarrativeParagraph,
    PlanItem,
    SummarySection,
    WordTemplate,
)
from .services import log_template_upload


class SectionInline(PortalTabularInline):
    model = SummarySection
    fields = ["order", "code", "level", "title"]
    readonly_fields = ["order", "code", "level"]
    extra = 0
    can_delete = False


class PlanItemInline(PortalStackedInline):
    model = PlanItem
    extra = 0
    filter_horizontal = ["targets"]


@admin.register(AnnualSummary)
class AnnualSummaryAdmin(PortalHistoryAdmin):
    list_display = ["year", "title", "drafted_at", "updated_at"]
    search_fields = ["title"]
    list_filter = ["year"]
    readonly_fields = ["drafted_at", "figures_snapshot"]
    inlines = [SectionInline, PlanItemInline]


@admin.register(SummarySection)
class SummarySectionAdmin(PortalHistoryAdmin):
    list_display = ["summary", "order", "code", "level", "title"]
    list_filter = ["summary__year", "level"]
    search_fields = ["title", "code"]
    readonly_fields = ["code", "parent_code", "level", "order"]


@admin.register(NarrativeParagraph)
class NarrativeParagraphAdmin(PortalHistoryAdmin):
    list_display = ["section", "order", "__str__", "updated_by", "updated_at", "deleted_at"]
    list_filter = ["section__summary__year", "section__code"]
    search_fields = ["text"]
    list_select_related = ["section__summary", "updated_by"]

    # Deleting here marks the paragraph as the edit page does, so that re-drafting does not
    # bring a drafted one back (services.delete_paragraph).
    def delete_model(self, request, obj: NarrativeParagraph) -> None:
        from .services import delete_paragraph

        delete_paragraph(obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        from .services import delete_paragraph

        for paragraph in queryset.filter(deleted_at=None):
            delete_paragraph(paragraph, by=request.user)


@admin.register(PlanItem)
class PlanItemAdmin(PortalHistoryAdmin):
    list_display = ["summary", "order", "title"]
    list_filter = ["summary__year"]
    search_fields = ["title", "text"]
    filter_horizontal = ["targets"]


@admin.register(ExportJob)
class ExportJobAdmin(PortalHistoryAdmin):
    list_display = [
        "summary",
        "fmt",
        "status",
        "progress",
        "requested_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["fmt", "status", "summary__year"]
    search_fields = ["summary__title", "error"]
    readonly_fields = ["progress", "error", "finished_at"]
    list_select_related = ["summary", "requested_by"]


@admin.register(WordTemplate)
class WordTemplateAdmin(PortalHistoryAdmin):
    # The upload page's form: the same checks (sandboxed trial render) for the admin.
    form = WordTemplateForm
    fields = ["name", "file", "is_active"]
    list_display = ["name", "is_active", "uploaded_by", "uploaded_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            log_template_upload(obj, by=request.user)
