"""The enterprise picker (企业选择) of staff forms: a <select> that renders only the chosen
enterprises and names them with their credit code; static/bureau/picker.js turns it into a
search-as-you-type box fed by `enterprises:autocomplete`, so a form never lists every
enterprise of the zone."""

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .selectors import picker_label


class _PickerMixin:
    def __init__(self, attrs: dict | None = None, active_only: bool = False) -> None:
        url = reverse_lazy("enterprises:autocomplete")
        base = {
            # active_only: the field accepts only active enterprises, so only those are offered.
            "data-picker": format_lazy("{}?active=1", url) if active_only else url,
            "data-picker-placeholder": _("输入企业名称或统一社会信用代码"),
            "data-picker-empty": _("没有匹配的企业"),
            "data-picker-remove": _("移除"),
        }
        super().__init__({**base, **(attrs or {})})  # type: ignore[call-arg]

    def optgroups(self, name: str, value: list, attrs: dict | None = None) -> list:
        """Only the chosen enterprises become <option>s (one query, none when nothing is)."""
        chosen = [str(v) for v in value if v not in (None, "")]
        options: list[dict[str, Any]] = []
        if not self.allow_multiple_selected:  # type: ignore[attr-defined]
            options.append(self.create_option(name, "", "---------", not chosen, 0))  # type: ignore[attr-defined]
        if chosen:
            queryset = self.choices.queryset.filter(pk__in=chosen)  # type: ignore[attr-defined]
            for index, e in enumerate(queryset.only("pk", "name", "credit_code"), len(options)):
                label = picker_label(e.name, e.credit_code)
                options.append(self.create_option(name, e.pk, label, True, index))  # type: ignore[attr-defined]
        return [(None, options, 0)]


class EnterprisePicker(_PickerMixin, forms.Select):
    """One enterprise."""


class EnterpriseMultiPicker(_PickerMixin, forms.SelectMultiple):
    """Several enterprises (an activity's participants)."""


def install_admin_autocomplete(site: Any) -> None:
    """Make the admin's autocomplete name enterprises with their credit code, as the staff
    picker does (the admin's own view names them by `str()`, the name alone)."""
    from django.contrib.admin.views.autocomplete import AutocompleteJsonView

    from .models import Enterprise

    class EnterpriseLabelledAutocompleteView(AutocompleteJsonView):
        def serialize_result(self, obj: Any, to_field_name: str) -> dict:
            result = super().serialize_result(obj, to_field_name)
            if isinstance(obj, Enterprise):
                result["text"] = picker_label(obj.name, obj.credit_code)
            return result

    def autocomplete_view(request: Any) -> Any:
        return EnterpriseLabelledAutocompleteView.as_view(admin_site=site)(request)

    site.autocomplete_view = autocomplete_view
