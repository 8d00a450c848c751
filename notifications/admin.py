"""The record of what was sent to whom, for bureau staff and the system admin: read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from bureau.roles import Role

from .models import Delivery, FilingReminder, InboxItem, Notification

READERS = (Role.BUREAU_STAFF, Role.SYSTEM_ADMIN)


class ReadOnlyForReaders(admin.ModelAdmin):
    """Visible to staff and the system admin; nobody edits the log by hand."""

    def _reader(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.role in READERS

    def has_module_permission(self, request) -> bool:
        return self._reader(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._reader(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ("channel", "address", "status", "attempts", "error", "sent_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyForReaders):
    list_display = ("created", "recipient", "kind", "title", "read_at")
    list_filter = ("kind", "created")
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)
    date_hierarchy = "created"
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyForReaders):
    list_display = ("created", "recipient", "channel", "address", "status", "sent_at", "title")
    list_filter = ("channel", "status", "created")
    search_fields = ("notification__title", "notification__recipient__username")
    list_select_related = ("notification__recipient",)
    date_hierarchy = "created"

    @admin.display(description=_("接收人"))
    def recipient(self, obj: Delivery) -> str:
        return str(obj.notification.recipient)

    @admin.display(description=_("标题"))
    def title(self, obj: Delivery) -> str:
        return obj.notification.title


@admin.register(InboxItem)
class InboxItemAdmin(ReadOnlyForReaders):
    list_display = (
        "submitted_at",
        "kind",
        "title",
        "enterprise",
        "status",
        "assignee",
        "handled_at",
    )
    list_filter = ("kind", "status")
    search_fields = ("title", "enterprise__name")
    list_select_related = ("enterprise", "assignee")


@admin.register(FilingReminder)
class FilingReminderAdmin(ReadOnlyForReaders):
    list_display = ("sent_at", "period", "enterprise", "recipients", "sent_by")
    list_filter = ("period", "sent_on")
    search_fields = ("enterprise__name",)
    list_select_related = ("period", "enterprise", "sent_by")
