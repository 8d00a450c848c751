"""The admin side of personal data (bureau.personal_data): every portal ModelAdmin and inline is
built on these mixins, so for a user without the permission

* lookups that reach a personal field (`?phone__startswith=138`, `?talent__name=…`) raise
  `DisallowedModelAdminLookup` (400), on the changelist, its export and its popups;
* search fields, list filters, the default ordering and sortable columns leave personal fields
  out, and `?o=` on such a column is ignored;
* list columns, change forms, inlines, the history list and exports show them masked or not at
  all, and a historical version (which shows every field) is refused.

A user holding the permission keeps every lookup, search and sort; what they see unmasked is
logged by `log_unmasked` (overridden where a model has an access log).
"""

import dataclasses
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .personal_data import (
    can_view_personal_data,
    mask_value,
    personal_fields,
    personal_target,
    touches_personal_data,
)


@cache
def masked_column(model: type[Model], name: str) -> Callable[[Model], str]:
    """A list column / read-only field showing `model.name` masked (one callable per field, so
    that the admin recognises it as the same read-only field on every call)."""
    field = model._meta.get_field(name)

    def column(obj: Model) -> str:
        return mask_value(model, name, getattr(obj, name))

    column.__name__ = f"masked_{name}"
    return admin.display(description=format_lazy("{}{}", field.verbose_name, _("（已脱敏）")))(
        column
    )


class PersonalDataFormMixin:
    """Change forms and inlines: personal fields of existing records are not in the form for a
    user without the permission; their masked values are shown read-only in their place."""

    def masks_personal_data(self, request) -> bool:
        return bool(personal_fields(self.model)) and not can_view_personal_data(
            request.user, self.model
        )

    def _masks_form(self, request, obj) -> bool:
        # New records are typed in by the user, so the add form keeps the fields editable.
        return self.masks_personal_data(request) and (
            obj is not None or isinstance(self, admin.options.InlineModelAdmin)
        )

    def _mask_names(self, names: Sequence) -> list:
        """`names` with each personal field replaced by its masked column; a tuple inside
        (fields on one line of a fieldset) is mapped the same way."""
        personal = personal_fields(self.model)

        def mapped(name: Any) -> Any:
            if isinstance(name, (list, tuple)):
                return type(name)(mapped(n) for n in name)
            return masked_column(self.model, name) if name in personal else name

        return [mapped(n) for n in names]

    def get_exclude(self, request, obj=None):
        exclude = super().get_exclude(request, obj)
        if not self._masks_form(request, obj):
            return exclude
        return (*(exclude or ()), *personal_fields(self.model))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self._masks_form(request, obj):
            return readonly
        readonly = [n for n in readonly if n not in personal_fields(self.model)]
        return [*readonly, *(masked_column(self.model, n) for n in personal_fields(self.model))]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.fields is None or not self._masks_form(request, obj):
            return fields
        return self._mask_names(fields)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets is None or not self._masks_form(request, obj):
            return fieldsets
        return [
            (title, {**options, "fields": self._mask_names(options["fields"])})
            for title, options in fieldsets
        ]

    def has_add_permission(self, request, *args) -> bool:
        # An inline row added without its personal fields would be saved without them.
        if isinstance(self, admin.options.InlineModelAdmin) and self.masks_personal_data(request):
            return False
        return super().has_add_permission(request, *args)


class PersonalDataAdminMixin(PersonalDataFormMixin):
    """Changelist, search, ordering, history and export of a ModelAdmin (see the module)."""

    # --- what a reader without the permission may ask -------------------------------------

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        if request is not None and touches_personal_data(self.model, lookup, request.user):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return type(fields)(
            f for f in fields if not touches_personal_data(self.model, f, request.user)
        )

    def get_list_filter(self, request):
        def allowed(item: Any) -> bool:
            name = item[0] if isinstance(item, (list, tuple)) else item
            return not (
                isinstance(name, str) and touches_personal_data(self.model, name, request.user)
            )

        return [item for item in super().get_list_filter(request) if allowed(item)]

    def get_ordering(self, request):
        ordering = list(super().get_ordering(request) or self.model._meta.ordering or ())
        kept = [o for o in ordering if not touches_personal_data(self.model, o, request.user)]
        if kept == ordering:
            return super().get_ordering(request)
        # Something was dropped: never fall back to the model's ordering, which holds it.
        return kept or ["-pk"]

    def get_sortable_by(self, request):
        columns = super().get_sortable_by(request)
        changelist = self._ordering_probe(request)
        return [c for c in columns if changelist(c) is not None]

    def _ordering_probe(self, request) -> Callable[[Any], Any]:
        """What `?o=` on a column would order by, or None when that touches personal data."""
        from django.contrib.admin.views.main import ChangeList

        model_admin = self

        class Probe(ChangeList):
            def __init__(self) -> None:
                self.lookup_opts = model_admin.model._meta
                self.model = model_admin.model
                self.model_admin = model_admin

        probe = Probe()

        def order_field(column: Any) -> Any:
            try:
                field = ChangeList.get_ordering_field(probe, column)
            except AttributeError:
                return None
            if field is None or touches_personal_data(self.model, field, request.user):
                return None
            return field

        return order_field

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)
        user = request.user
        model = self.model

        class PersonalDataChangeList(base):
            def get_ordering_field(self, field_name):
                field = super().get_ordering_field(field_name)
                if field is not None and touches_personal_data(model, field, user):
                    return None
                return field

        return PersonalDataChangeList

    # --- what a reader without the permission is shown -------------------------------------

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if not self.masks_personal_data(request):
            return columns
        return self._mask_names(columns)

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        if not links or not self.masks_personal_data(request):
            return links
        return self._mask_names(links)

    def get_history_list_display(self, request):
        columns = super().get_history_list_display(request)
        if not self.masks_personal_data(request):
            return columns
        return [c for c in columns if personal_target(self.model, c) is None]

    def get_historical_record_context_helper(self, request, historical_record):
        helper = super().get_historical_record_context_helper(request, historical_record)
        if not self.masks_personal_data(request):
            return helper
        model = self.model
        format_change = helper.format_delta_change

        def masked_change(change):
            formatted = format_change(change)
            if change.field not in personal_fields(model):
                return formatted
            return dataclasses.replace(
                formatted,
                old=mask_value(model, change.field, change.old),
                new=mask_value(model, change.field, change.new),
            )

        helper.format_delta_change = masked_change
        return helper

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A historical version shows every field as it was, personal ones included.
        if self.masks_personal_data(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        if not self.masks_personal_data(request):
            self.log_unmasked(request, list(queryset), "admin_export")
            return data
        # Left out rather than masked, so that a re-imported file cannot overwrite the values.
        resource = self.choose_export_resource_class(kwargs.get("export_form"), request)(
            **self.get_export_resource_kwargs(request, **kwargs)
        )
        for field in resource.get_export_fields():
            attribute = getattr(field, "attribute", None)
            if (
                attribute
                and touches_personal_data(self.model, attribute, request.user)
                and field.column_name in data.headers
            ):
                del data[field.column_name]
        return data

    def has_import_permission(self, request) -> bool:
        # An import preview counts rows to add and rows to update: when a record is identified by
        # a personal field (the roster: enterprise, name, phone), a file of guesses would tell
        # which guess is right.
        allowed = super().has_import_permission(request)
        if not allowed or not self.masks_personal_data(request):
            return allowed
        for resource_class in self.get_import_resource_classes(request):
            resource = resource_class()
            for name in resource._meta.import_id_fields:
                field = resource.fields.get(name)
                attribute = getattr(field, "attribute", None) or name
                if touches_personal_data(self.model, attribute, request.user):
                    return False
        return allowed

    # --- what a reader with the permission saw ----------------------------------------------

    def log_unmasked(self, request, objects: list[Model], context: str) -> None:
        """Keep who saw which records' personal data unmasked, in the security log (a model's
        admin with an access log of its own, the roster's, writes both)."""
        if not objects:
            return
        from audit.services import record_personal_data

        record_personal_data(
            request=request,
            model=self.model._meta.label,
            ids=[o.pk for o in objects],
            context=context,
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if personal_fields(self.model) and not self.masks_personal_data(request):
            self.log_unmasked(request, list(changelist.result_list), "admin_list")
        return changelist

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if (
            request.method == "GET"
            and personal_fields(self.model)
            and not self.masks_personal_data(request)
        ):
            obj = self.get_object(request, object_id)
            if obj is not None:
                self.log_unmasked(request, [obj], "admin")
        return super().change_view(request, object_id, form_url, extra_context)
