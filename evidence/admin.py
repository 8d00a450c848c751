from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bureau.admin import PortalHistoryAdmin

from .models import EvidenceDocument


@admin.register(EvidenceDocument)
class EvidenceDocumentAdmin(PortalHistoryAdmin):
    """Details only: files come in through the portal's guarded upload and go out through the
    access-checked, logged download (evidence.views), never through the admin."""

    list_display = ("enterprise", "doc_type", "title", "number", "valid_to", "created_at")
    list_filter = ("doc_type",)
    search_fields = ("enterprise__name", "enterprise__credit_code", "title", "number")
    exclude = ("file",)
    readonly_fields = ("download", "original_name", "size", "content_type", "uploaded_by")
    raw_id_fields = ("enterprise", "qualifications")

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("文件"))
    def download(self, obj) -> str:
        if not obj or not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)
