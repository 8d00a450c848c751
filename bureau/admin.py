from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm
from simple_history.admin import SimpleHistoryAdmin

from . import spreadsheets, uploads
from .concurrency import OptimisticLockAdminMixin, OptimisticLockInlineMixin
from .importing import (
    HEADER_ROWS,
    collect_errors,
    template_workbook,
)
from .imports import ActivityResource, PeriodResource, TargetResource
from .models import Activity, ActivityKind, ApplicationTransition, ReportingPeriod, Target, User
from .personal_data_admin import PersonalDataAdminMixin, PersonalDataFormMixin
from .services import admin_roles_of, lock_period, unlock_period

admin.site.site_header = _("科技金融局业务平台")
admin.site.site_title = _("科技金融局业务平台")
admin.site.index_title = _("数据管理")


PREVIEW_ROWS = 50
MAX_ERRORS_SHOWN = 200


UPDATE_LABEL = _("更新已有记录")
UPDATE_HELP = _(
    "勾选后，与系统中已有记录相同（按统一社会信用代码或该表的识别列）的行会更新该记录；"
    "不勾选则这些行报错。无论是否勾选，文件中有一行出错就整个文件都不导入。"
)


class PortalImportForm(ImportForm):
    update = forms.BooleanField(label=UPDATE_LABEL, help_text=UPDATE_HELP, required=False)

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        uploads.guard_upload(upload, uploads.IMPORT_KINDS)
        return upload


class PortalConfirmImportForm(ConfirmImportForm):
    update = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AllOrNothingImportMixin:
    """Confirmed admin imports roll back entirely if any row turns out bad; the preview shows
    the first rows and the errors in Chinese (row and column), not the whole file. The import
    page offers to update the records a row matches (the command's --update)."""

    import_template_name = "admin/portal_import.html"
    # The uploaded file passes bureau/uploads.py's guards before django-import-export reads it.
    import_form_class = PortalImportForm
    # Imports take what the templates are: .xlsx and .csv; nothing else reaches a parser.
    import_formats = [base_formats.XLSX, base_formats.CSV]
    confirm_form_class = PortalConfirmImportForm

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", None) or {}
        resource_kwargs["update"] = bool(cleaned.get("update"))
        resource_kwargs["user"] = request.user
        return resource_kwargs

    def get_import_data_kwargs(self, **kwargs):
        # The confirmed import too is all-or-nothing: a row that went bad since the preview
        # (a record changed meanwhile) rolls the whole file back.
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            resource = self.get_import_resource_classes(request)[0]()
            for error in collect_errors(resource, result)[:MAX_ERRORS_SHOWN]:
                self.message_user(request, str(error), messages.ERROR)
            self.message_user(request, _("文件未导入：请改正后重新上传。"), messages.ERROR)
            return HttpResponseRedirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_import",
                    current_app=self.admin_site.name,
                )
            )
        return super().process_result(result, request)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["update"] = bool(import_form.cleaned_data.get("update"))
        return initial

    def get_urls(self):
        return [
            path(
                "import-template/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_import_template",
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        """The import's blank Excel template: the header row in the columns' order, an example
        row, the 填表说明 sheet and drop-down lists."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        response = HttpResponse(
            template_workbook(resource),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"{self.opts.model_name}-import-template.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if getattr(response, "context_data", None) is not None:
            response.context_data["import_template_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_import_template",
                current_app=self.admin_site.name,
            )
        return self._with_portal_preview(request, response)

    def _with_portal_preview(self, request, response):
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if result is not None:
            resource = self.get_import_resource_classes(request)[0]()
            errors = collect_errors(resource, result)
            context["portal_errors"] = [str(e) for e in errors[:MAX_ERRORS_SHOWN]]
            context["portal_error_count"] = len(errors)
            context["preview_total"] = result.total_rows
            context["preview_headers"] = [f.column_name for f in resource.get_import_fields()]
            context["preview_rows"] = [
                (number + HEADER_ROWS, [values.get(h) for h in context["preview_headers"]])
                for number, values in enumerate(
                    (r.row_values or {} for r in result.rows[:PREVIEW_ROWS]), start=1
                )
            ]
            # Only the first page of rows reaches the template.
            result.rows = result.rows[:PREVIEW_ROWS]
            result.invalid_rows = result.invalid_rows[:PREVIEW_ROWS]
        return response


class NeutralisedExportMixin:
    """Admin exports offer only bureau.spreadsheets' formats (.xlsx and .csv, user text never a
    formula); .xlsx keeps numbers and dates native, as django-import-export's own xlsx did."""

    def get_export_formats(self):
        return list(spreadsheets.EXPORT_FORMATS)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # As ExportMixin.get_export_data, but "native types" follows the format's own flag:
        # the library decides it by exact class (its BINARY_FORMATS), which ours are not.
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request, queryset, force_native_type=file_format.native_types, **kwargs
        )
        data.title = str(self.opts.verbose_name_plural)
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data


@checks.register(checks.Tags.admin)
def check_exports_are_neutralised(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every admin that exports offers only bureau.spreadsheets' formats (no other path)."""
    allowed = set(spreadsheets.EXPORT_FORMATS)
    return [
        checks.Error(
            f"{type(model_admin).__name__} offers exports that bureau.spreadsheets does not "
            "write: user text could become a formula.",
            hint="Base the admin on PortalImportExportAdmin or NeutralisedExportMixin.",
            obj=type(model_admin),
            id="bureau.E001",
        )
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ExportMixin)
        and not set(model_admin.get_export_formats()) <= allowed
    ]


# Every admin and inline of the portal is built on one of these, so that personal data stays
# masked and out of lookups, search and ordering (bureau.personal_data_admin); a test walks
# admin.site._registry to hold every app to it.
class PortalModelAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    """The portal's plain ModelAdmin."""


class PortalHistoryAdmin(PersonalDataAdminMixin, OptimisticLockAdminMixin, SimpleHistoryAdmin):
    """Admin with change history (django-simple-history) and the refusal of a save from a
    stale change form (bureau.concurrency)."""


class PortalImportExportAdmin(
    PersonalDataAdminMixin,
    OptimisticLockAdminMixin,
    AllOrNothingImportMixin,
    NeutralisedExportMixin,
    ImportExportModelAdmin,
    SimpleHistoryAdmin,
):
    """Admin with Excel import/export (django-import-export), change history, and the refusal
    of a save from a stale change form (bureau.concurrency)."""


class PortalTabularInline(PersonalDataFormMixin, OptimisticLockInlineMixin, admin.TabularInline):
    """Inline rows, each refused when saved from a stale page (bureau.concurrency)."""


class PortalStackedInline(PersonalDataFormMixin, OptimisticLockInlineMixin, admin.StackedInline):
    """Inline rows, each refused when saved from a stale page (bureau.concurrency)."""


class OneAdminRoleUserChangeForm(UserChangeForm):
    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if groups is not None and len(admin_roles_of(g.name for g in groups)) > 1:
            raise forms.ValidationError(
                _("三权分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任。")
            )
        return groups


@admin.register(User)
class UserAdmin(PersonalDataAdminMixin, BaseUserAdmin):
    form = OneAdminRoleUserChangeForm
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("联系信息"), {"fields": ("full_name", "phone")}),
    )
    list_display = ("username", "full_name", "email", "is_active", "is_staff", "last_login")
    list_filter = ("groups", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")

    def get_readonly_fields(self, request, obj=None):
        # The superuser flag is not given through the portal (三权分立: roles are groups).
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(PortalImportExportAdmin):
    resource_classes = [PeriodResource]
    list_display = ("__str__", "year", "quarter", "status", "deadline", "locked_at", "locked_by")
    list_filter = ("status", "year")
    readonly_fields = ("locked_at", "locked_by")
    actions = ["lock", "unlock"]

    @admin.action(description=_("锁定所选填报期"), permissions=["change"])
    def lock(self, request, queryset):
        for period in queryset:
            lock_period(period, by=request.user)
        self.message_user(request, _("已锁定 %d 个填报期。") % queryset.count(), messages.SUCCESS)

    @admin.action(description=_("解锁所选填报期"), permissions=["change"])
    def unlock(self, request, queryset):
        for period in queryset:
            unlock_period(period, by=request.user)
        self.message_user(request, _("已解锁 %d 个填报期。") % queryset.count(), messages.SUCCESS)


@admin.register(ActivityKind)
class ActivityKindAdmin(PortalModelAdmin):
    list_display = ("name", "code", "order")
    search_fields = ("name", "code")


@admin.register(Activity)
class ActivityAdmin(PortalImportExportAdmin):
    resource_classes = [ActivityResource]
    list_display = ("date", "kind", "topic", "place", "attendance", "participant_count")
    list_filter = ("kind", ("date", admin.DateFieldListFilter))
    search_fields = ("topic", "place", "enterprises__name")
    date_hierarchy = "date"
    autocomplete_fields = ("enterprises",)
    filter_horizontal = ("staff",)

    def get_queryset(self, request):
        from django.db.models import Count

        return (
            super()
            .get_queryset(request)
            .select_related("kind")
            .annotate(n_enterprises=Count("enterprises"))
        )

    @admin.display(description=_("参与企业数"), ordering="n_enterprises")
    def participant_count(self, obj):
        return obj.n_enterprises

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Target)
class TargetAdmin(PortalImportExportAdmin):
    resource_classes = [TargetResource]
    list_display = ("year", "label", "figure_key", "target_value", "unit")
    list_filter = ("year",)
    search_fields = ("label", "figure_key")


@admin.register(ApplicationTransition)
class ApplicationTransitionAdmin(PortalModelAdmin):
    list_display = ("at", "content_type", "object_id", "from_status", "to_status", "by", "remark")
    list_filter = ("to_status", "content_type")
    list_select_related = ("content_type", "by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
