from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

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


class _DeviceAdmin(admin.ModelAdmin):
    """A user's second-factor device, for the security admin: seen and removed (a lost phone),
    never added or edited here, and its secret (TOTP key, backup codes) never shown."""

    list_display = ("user", "name", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed")
    readonly_fields = fields
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _DeviceAdmin)
