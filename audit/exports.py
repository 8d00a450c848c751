"""The security log as a spreadsheet, for the audit admin (written by bureau.spreadsheets)."""

from __future__ import annotations

import json

from import_export import fields, resources

from .models import SecurityEvent


class SecurityEventResource(resources.ModelResource):
    """One row per event, in the admin list's order; the event kind by its label and the
    detail as JSON text. Export only: the log is never imported."""

    at = fields.Field(attribute="at", column_name="时间")
    kind = fields.Field(attribute="kind", column_name="事件")
    username = fields.Field(attribute="username", column_name="用户名")
    user_id = fields.Field(attribute="user_id", column_name="用户ID")
    ip = fields.Field(attribute="ip", column_name="IP地址")
    method = fields.Field(attribute="method", column_name="请求方式")
    path = fields.Field(attribute="path", column_name="路径")
    status = fields.Field(attribute="status", column_name="响应状态")
    detail = fields.Field(attribute="detail", column_name="详情")

    class Meta:
        model = SecurityEvent
        fields = (
            "id",
            "at",
            "kind",
            "username",
            "user_id",
            "ip",
            "method",
            "path",
            "status",
            "detail",
        )
        export_order = fields

    def get_export_headers(self, selected_fields=None):
        # The column names in the reader's language (the Chinese names are the msgids).
        from django.utils.translation import gettext

        return [gettext(h) for h in super().get_export_headers(selected_fields)]

    def dehydrate_kind(self, event: SecurityEvent) -> str:
        return str(event.get_kind_display())

    def dehydrate_detail(self, event: SecurityEvent) -> str:
        return json.dumps(event.detail, ensure_ascii=False, sort_keys=True, default=str)
