from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from import_export.admin import ExportMixin

from bureau.admin import NeutralisedExportMixin

from .exports import SecurityEventResource
from .models import EventKind, SecurityEvent
from .services import record


@admin.register(SecurityEvent)
class SecurityEventAdmin(NeutralisedExportMixin, ExportMixin, admin.ModelAdmin):
    """Read-only: the log can be searched and read, never added to, changed or deleted here.

    The audit admin (who alone may view it) exports it as .xlsx or .csv through the portal's
    one spreadsheet writer, filtered as the list is filtered; each export is itself an event.
    """

    resource_classes = [SecurityEventResource]

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

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        filters = {k: v for k, v in request.GET.items() if not k.startswith("_")}
        record(
            EventKind.LOG_EXPORTED,
            request=request,
            format=file_format.get_extension(),
            rows=getattr(request, "_security_log_rows", None),
            filters=filters,
        )
        return data

    def get_data_for_export(self, request, queryset, **kwargs):
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        request._security_log_rows = len(dataset)  # per request: the admin is shared
        return dataset


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
