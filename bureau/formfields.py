"""What every form of the portal shares: browser-native date/number widgets, money in 万元.

Widgets: `<input type="date">` (and time, datetime-local) accepts only ISO values, whatever the
UI language, so these widgets render ISO explicitly; bureau/formats/zh_Hans makes ISO the first
input format as well, so that forms built anywhere else (the admin) round-trip the same way.

Money (金额) is stored as Decimal 元 and shown in 万元 across the portal's lists and details;
`WanField` lets a form take what the user reads: 万元 typed, 元 cleaned, 元 shown back in 万元.
`BureauModelForm` puts both on a model form: date fields get the date widget, and the fields
named in `wan_fields` become `WanField`s labelled in 万元.
"""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

WAN = Decimal(10_000)
CENT = Decimal("0.01")
# 元 to the cent is 万元 to six places.
WAN_PLACES = 6


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None, format: str | None = None) -> None:  # noqa: A002
        super().__init__(attrs, format=format or "%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict | None = None, format: str | None = None) -> None:  # noqa: A002
        super().__init__(attrs, format=format or "%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None, format: str | None = None) -> None:  # noqa: A002
        super().__init__(attrs, format=format or "%Y-%m-%dT%H:%M")


def yuan_to_wan(value: Decimal | int) -> str:
    """12345.6 元 → '1.23456' 万元: exact, no exponent, no trailing zeros, no grouping."""
    wan = (Decimal(value) / WAN).quantize(Decimal(1).scaleb(-WAN_PLACES))
    text = f"{wan:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class WanField(forms.DecimalField):
    """An amount typed in 万元 and cleaned to Decimal 元 (two places); initial 元 shown in 万元.

    `min_value`/`max_value` are in 元, like the model's validators; the widget's min/max/step
    attributes are given in 万元 so that the browser checks what the user types.
    """

    default_error_messages = {
        "wan_places": _("金额以万元填写，最多%(places)s位小数（精确到分）。"),
    }

    def __init__(
        self,
        *,
        max_digits: int | None = 16,
        min_value: Decimal | None = None,
        max_value: Decimal | None = None,
        **kwargs,
    ) -> None:
        kwargs.pop("decimal_places", None)
        super().__init__(
            max_digits=max_digits,
            decimal_places=2,
            min_value=min_value,
            max_value=max_value,
            **kwargs,
        )

    def to_python(self, value) -> Decimal | None:
        wan = super().to_python(value)
        if wan is None:
            return None
        exponent = wan.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > WAN_PLACES:
            raise ValidationError(
                self.error_messages["wan_places"],
                code="wan_places",
                params={"places": WAN_PLACES},
            )
        return (wan * WAN).quantize(CENT)

    def prepare_value(self, value):
        # Values from the instance or `initial` are 元 (Decimal/int); typed data stays as typed.
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return yuan_to_wan(value)
        return value

    def has_changed(self, initial, data) -> bool:
        try:
            typed = self.to_python(data)
        except ValidationError:
            return True
        initial = None if initial in (None, "") else Decimal(initial)
        return typed != initial

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.NumberInput):
            attrs["step"] = f"{Decimal(1).scaleb(-WAN_PLACES):f}"
            if self.min_value is not None:
                attrs["min"] = yuan_to_wan(self.min_value)
            if self.max_value is not None:
                attrs["max"] = yuan_to_wan(self.max_value)
        return attrs


_YUAN_LABEL = re.compile(r"([（，,(])元([）)])$")


def wan_label(label: str) -> str:
    """'预算（元）' → '预算（万元）'; '营业收入（本年累计，元）' → '营业收入（本年累计，万元）'."""
    if _YUAN_LABEL.search(label):
        return _YUAN_LABEL.sub(r"\g<1>万元\g<2>", label)
    return f"{label}（万元）"


def _translated(msgid: str) -> str:
    return gettext(msgid)


_translated_lazy = lazy(_translated, str)


def wan_formfield(model_field: models.DecimalField, **kwargs) -> WanField:
    """A WanField for a 元 model field: its required-ness, validators in 元, label in 万元."""
    with override("zh-hans"):
        msgid = wan_label(str(model_field.verbose_name))
    defaults = {
        "label": _translated_lazy(msgid),
        "required": not model_field.blank,
        "max_digits": model_field.max_digits,
        "help_text": model_field.help_text,
        "validators": [],
    }
    defaults.update(kwargs)
    field = WanField(**defaults)
    # The model's own validators (≥ 0 and the like) work in 元, as the cleaned value is.
    field.validators.extend(
        v for v in model_field.validators if v.__class__.__name__ != "DecimalValidator"
    )
    return field


_NATIVE_WIDGETS = {
    forms.DateInput: DateInput,
    forms.TimeInput: TimeInput,
    forms.DateTimeInput: DateTimeInput,
}


def use_native_widgets(form: forms.BaseForm) -> None:
    """Give each date/time field still on Django's text box the browser's own picker (ISO)."""
    for field in form.fields.values():
        native = _NATIVE_WIDGETS.get(type(field.widget))
        if native is not None:
            widget = native(attrs=field.widget.attrs)
            widget.is_required = field.widget.is_required
            field.widget = widget


def display_rows(form: forms.BaseForm) -> list[tuple[str, str]]:
    """Each visible field's label and its value as text, for a page that only shows them."""
    from .templatetags.money import wan

    rows = []
    for bound in form.visible_fields():
        field = bound.field
        value = bound.initial if not form.is_bound else bound.value()
        if isinstance(field, WanField) and not form.is_bound:
            text = wan(value)
        elif value in (None, "", []):
            text = "—"
        elif isinstance(field, forms.ChoiceField):
            wanted = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
            labels = [str(label) for key, label in field.choices if str(key) in wanted]
            text = "、".join(labels) or str(value)
        elif isinstance(value, datetime.date):
            text = value.strftime("%Y-%m-%d")
        elif isinstance(value, bool):
            text = gettext("是") if value else gettext("否")
        else:
            text = str(value)
        rows.append((str(bound.label), text))
    return rows


class BureauModelForm(forms.ModelForm):
    """The portal's model forms: native date boxes; the `wan_fields` typed in 万元."""

    wan_fields: tuple[str, ...] = ()

    def display_rows(self) -> list[tuple[str, str]]:
        return display_rows(self)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        use_native_widgets(self)
        model = self._meta.model
        for name in self.wan_fields:
            if name in self.fields:
                self.fields[name] = wan_formfield(model._meta.get_field(name))


class BureauForm(forms.Form):
    """The portal's plain forms: native date boxes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        use_native_widgets(self)
