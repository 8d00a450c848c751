from django.contrib import admin

from .models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read-only: the log can be searched and read, never added to, changed or deleted here."""

    list_display = ("at", "kind", "username", "ip", "method", "path", "status")
    list_filter = ("kind", "at")
    search_fields = ("username", "path", "ip")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]
    list_per_page = 100
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
