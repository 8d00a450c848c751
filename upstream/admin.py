"""The quality gate's explanations (数据核查说明) in the admin: read-only, for finding and
reading them. The enterprise's own fields are never edited here, and a decision goes through
upstream.services.review, as in the staff queue: the bulk action accepts; a send-back needs a
comment, which the queue (linked from every row) asks for and tells the enterprise of."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bureau.access import EDITOR_ROLES
from bureau.admin import PortalModelAdmin

from . import services
from .filters import FILING_KINDS
from .models import Explanation, ExplanationStatus


class FilingFilter(admin.SimpleListFilter):
    title = _("报表")
    parameter_name = "filing"

    def lookups(self, request, model_admin):
        return FILING_KINDS

    def queryset(self, request, queryset):
        if self.value() in ("annual", "quarterly"):
            return queryset.filter(quarter__isnull=self.value() == "annual")
        return queryset


@admin.register(Explanation)
class ExplanationAdmin(PortalModelAdmin):
    list_display = (
        "enterprise",
        "filing",
        "short_message",
        "rule_code",
        "status",
        "reviewer",
        "updated_at",
        "queue_link",
    )
    list_filter = ("status", "year", FilingFilter)
    search_fields = ("enterprise__name", "enterprise__credit_code")
    list_select_related = ("enterprise", "reviewer")
    ordering = ("-updated_at", "-pk")
    actions = ["accept"]
    fields = (
        "enterprise",
        "filing",
        "rule_code",
        "rules_version",
        "message",
        "values",
        "text",
        "status",
        "revision",
        "submitted_by",
        "created_at",
        "updated_at",
        "reviewer",
        "review_comment",
        "reviewed_at",
        "queue_link",
    )
    readonly_fields = fields

    # Read-only for everyone: the enterprise's text, values and message are its own, and a
    # decision changes status, reviewer and comment together (the model's constraints) and
    # tells the enterprise of a send-back: only upstream.services.review does both.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.role in EDITOR_ROLES and self.has_view_permission(request)

    @admin.display(description=_("报表"), ordering="year")
    def filing(self, obj: Explanation) -> str:
        return obj.filing_label

    @admin.display(description=_("核查提示"))
    def short_message(self, obj: Explanation) -> str:
        return Truncator(obj.message).chars(60)

    @admin.display(description=_("审核"))
    def queue_link(self, obj: Explanation) -> str:
        query = {"status": obj.status, "year": obj.year, "q": obj.enterprise.credit_code}
        query["filing"] = "annual" if obj.quarter is None else "quarterly"
        url = f"{reverse('upstream:explanations')}?{urlencode(query)}"
        label = _("去审核") if obj.status == ExplanationStatus.PENDING else _("在审核队列中查看")
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.action(description=_("认可所选说明"), permissions=["review"])
    def accept(self, request: HttpRequest, queryset: QuerySet[Explanation]) -> None:
        accepted, refused = 0, 0
        for pk, revision in queryset.filter(status=ExplanationStatus.PENDING).values_list(
            "pk", "revision"
        ):
            try:
                services.review(pk, revision=revision, accept=True, comment="", by=request.user)
            except ValidationError:
                refused += 1  # decided or revised meanwhile
            else:
                accepted += 1
        skipped = queryset.count() - accepted - refused
        if accepted:
            self.message_user(
                request,
                ngettext("已认可%(n)s项说明。", "已认可%(n)s项说明。", accepted) % {"n": accepted},
                messages.SUCCESS,
            )
        if refused or skipped:
            self.message_user(
                request,
                _("%(n)s项说明不是待审核状态或已被修改，未认可；退回请在审核队列中填写意见。")
                % {"n": refused + skipped},
                messages.WARNING,
            )
