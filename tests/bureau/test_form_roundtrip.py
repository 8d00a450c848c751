"""Open a record, save without changes, nothing changes: every form of every app, both languages.

The forms are discovered, not listed: every Form/ModelForm class in a project app's forms.py,
and the ModelForm the admin builds for every registered model. Each is given an instance (or,
for a plain form, initial values) with every field set, rendered in zh-hans and in en, and the
rendered HTML is read the way a browser submits it: value attributes (after the browser's value
sanitisation: an <input type="date"> whose value is not ISO submits "", an <input type="number">
whose value is not a valid number submits ""), selected options, checked boxes, textarea text.
That is posted back unchanged; the form must be valid, and the saved instance (or the cleaned
values) must equal what was there, field by field. A new form is covered without editing this.
"""

import datetime
import importlib
import inspect
import itertools
import re
import types
import typing
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import factory
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator
from django.db import models
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict

from bureau.roles import Role
from tests.factories import UserFactory

LANGUAGES = ["zh-hans", "en"]

# Forms whose values a page never renders back, with the reason.
NOT_ROUND_TRIP = {
    # A password box is never filled in by the server.
    "bureau.forms.LoginForm": "password fields are never rendered back",
    # A file input cannot be pre-filled by HTML; a re-save without a new file keeps the file.
    "reports.forms.WordTemplateForm": "file upload",
}
# Model fields the database sets on save.
SKIPPED_FIELD_TYPES = (models.AutoField, models.BigAutoField)


# --- Discovery ------------------------------------------------------------------------------


def project_apps() -> list:
    base = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
        and not Path(config.path).resolve().is_relative_to(base / ".venv")
    ]


def project_form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for config in project_apps():
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and cls not in (forms.Form, forms.ModelForm)
                and not inspect.isabstract(cls)
            ):
                found.append(cls)
    return found


def dotted(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


FORM_CLASSES = project_form_classes()
ADMIN_MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


# --- Values ---------------------------------------------------------------------------------

_counter = itertools.count(1)
BASE_DAY = datetime.date(2018, 1, 15)


def _factories() -> dict[type[models.Model], type[factory.django.DjangoModelFactory]]:
    """Every factory in tests/**/factories.py, by the model it makes."""
    found: dict = {}
    tests_dir = Path(__file__).resolve().parent.parent
    for path in sorted(tests_dir.rglob("factories.py")):
        name = ".".join(path.relative_to(tests_dir.parent).with_suffix("").parts)
        module = importlib.import_module(name)
        for _n, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, factory.django.DjangoModelFactory)
                and cls.__module__ == module.__name__
                and cls._meta.model is not None
            ):
                model = cls._meta.model
                # The plainest factory of a model (the base, not a variant in a late state).
                if model not in found or issubclass(found[model], cls):
                    found[model] = cls
    return found


FACTORIES = _factories()


def _decimal_candidates(max_digits: int | None, places: int | None) -> list[Decimal]:
    """Amounts that use every decimal place and enough digits to be grouped (12345.67)."""
    max_digits = max_digits or 12
    places = 2 if places is None else places
    whole = max(1, min(max_digits - places, 5))
    candidates = []
    for digits in (whole, min(whole, 2), 1):
        text = "1234567890"[:digits]
        fraction = "6789012345"[:places]
        candidates.append(Decimal(f"{text}.{fraction}" if places else text))
    candidates += [Decimal("12.5"), Decimal("1"), Decimal("0")]
    return [c for c in dict.fromkeys(candidates) if len(c.as_tuple().digits) <= max_digits]


def _file_for(field: models.FileField, n: int) -> ContentFile:
    """A file the field accepts: its first allowed extension (a real .docx for Word)."""
    extensions = [
        ext
        for v in field.validators
        if isinstance(v, FileExtensionValidator)
        for ext in (v.allowed_extensions or [])
    ]
    ext = extensions[0] if extensions else "txt"
    if ext == "docx":
        from reports.word import DEFAULT_TEMPLATE

        content = Path(DEFAULT_TEMPLATE).read_bytes()
    else:
        content = b"round trip"
    return ContentFile(content, name=f"roundtrip{n}.{ext}")


def _validator_bounds(field) -> list:
    """The limits the field's validators set (its min and max are values it accepts)."""
    bounds = []
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if isinstance(limit, int | Decimal) and not callable(limit):
            bounds.append(limit)
    return bounds


def _int_candidates(name: str) -> list[int]:
    if "year" in name:
        return [2020, 2018, 2024]
    if "quarter" in name:
        return [2, 1, 3, 4]
    return [12, 3, 1, 2, 0, 100]


def model_field_candidates(
    field: models.Field, position: int, anchor: datetime.date = BASE_DAY
) -> list:
    """Values to try for a model field, most demanding first (each kept within the field).

    Dates go after `anchor` (the latest date the record already holds), later fields later,
    as start/end pairs are declared; then equal, then before.
    """
    n = next(_counter)
    if field.choices:
        values = [value for value, _label in field.flatchoices if value not in ("", None)]
        return values[1:] + values[:1] if len(values) > 1 else values
    if isinstance(field, models.BooleanField):
        return [True, False]
    if isinstance(field, models.FileField):
        return [_file_for(field, n)]
    if isinstance(field, models.GenericIPAddressField):
        return ["192.0.2.1"]
    if isinstance(field, models.DateTimeField):
        start = timezone.make_aware(datetime.datetime(2018, 1, 15, 9, 30, 15))
        return [start + datetime.timedelta(days=31 * position + k) for k in (0, 1, -1)]
    if isinstance(field, models.DateField):
        step = datetime.timedelta(days=31 * (position + 1))
        today = timezone.localdate()
        return [min(anchor + step, today), anchor, anchor - step]
    if isinstance(field, models.TimeField):
        return [datetime.time(9, 30)]
    if isinstance(field, models.DecimalField):
        return _decimal_candidates(field.max_digits, field.decimal_places)
    if isinstance(field, models.IntegerField):
        return _int_candidates(field.name) + _validator_bounds(field)
    if isinstance(field, models.FloatField):
        return [12.5, 1.0]
    if isinstance(field, models.EmailField):
        return [f"user{n}@example.com"]
    if isinstance(field, models.URLField):
        return [f"https://example.com/{n}"]
    if isinstance(field, models.JSONField):
        return [{"k": "v"}, ["x"], []]
    if isinstance(field, models.CharField | models.TextField):
        limit = field.max_length or 200
        words = [
            f"测试{field.name}{n}",
            f"0551-6{n:07d}"[:limit],
            f"138{n:08d}"[:limit],
            f"T{n}",
        ]
        return [w[:limit] for w in words]
    return []


def _settable_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.get_fields()
        if f.concrete
        and not f.many_to_many
        and not f.auto_created
        and f.editable
        and not isinstance(f, SKIPPED_FIELD_TYPES)
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def concrete_model(model: type[models.Model]) -> type[models.Model]:
    if not model._meta.abstract:
        return model
    subclasses = [m for m in apps.get_models() if issubclass(m, model)]
    assert subclasses, f"no concrete model for {model.__name__}"
    return subclasses[0]


def build_instance(
    model: type[models.Model], depth: int = 0, overrides: dict | None = None
) -> models.Model:
    """A saved instance of `model` with every editable field set, valid by its own rules."""
    model = concrete_model(model)
    overrides = overrides or {}
    maker = FACTORIES.get(model)
    if maker is not None:
        declared = set(maker._meta.declarations)
        missing = {
            f.name: related_instance(f, depth)
            for f in _settable_fields(model)
            if isinstance(f, models.ForeignKey)
            and not f.null
            and f.name not in declared
            and f.attname not in overrides
        }
        instance = maker.create(**missing, **overrides)
    pre: dict[str, list] = {}
    if maker is None:
        instance = model(**overrides)
        for position, field in enumerate(model._meta.concrete_fields):
            if field.primary_key or field.attname in overrides:
                continue
            if isinstance(field, models.ForeignKey):
                if not field.null:
                    setattr(instance, field.name, related_instance(field, depth))
            elif not field.null and not field.has_default() and not field.blank:
                candidates = model_field_candidates(field, position)
                if candidates and _is_empty(getattr(instance, field.attname)):
                    setattr(instance, field.attname, candidates[0])
                    pre[field.attname] = candidates[1:]
    filled = {**pre, **_fill(instance, depth, keep=set(overrides))}
    _solve(instance, filled)
    instance.save()
    for field in model._meta.many_to_many:
        if field.editable and not getattr(instance, field.name).exists():
            getattr(instance, field.name).add(related_instance(field, depth))
    return type(instance)._default_manager.get(pk=instance.pk)


def lookup_values(queryset) -> dict:
    """The field = value conditions of a queryset's filter, to build a record it includes."""
    values = {}
    for child in queryset.query.where.children:
        target = getattr(getattr(child, "lhs", None), "target", None)
        if getattr(child, "lookup_name", None) == "exact" and target is not None:
            values[target.attname] = child.rhs
    return values


def related_instance(field: models.Field, depth: int) -> models.Model:
    """An existing record the field may point to, else a new one."""
    related = concrete_model(field.related_model)
    queryset = related._default_manager.all()
    limit = field.get_limit_choices_to() if hasattr(field, "get_limit_choices_to") else None
    if limit:
        queryset = queryset.complex_filter(limit)
    existing = queryset.order_by("pk").first()
    if existing is not None:
        return existing
    return build_instance(related, depth + 1)


def _fill(instance: models.Model, depth: int, keep: set[str] = frozenset()) -> dict[str, list]:
    """Set every empty editable field; returns each filled field's remaining candidates."""
    filled: dict[str, list] = {}
    fields = _settable_fields(type(instance))
    dates = [
        getattr(instance, f.attname)
        for f in fields
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
    ]
    anchor = max((d for d in dates if d), default=BASE_DAY)
    for position, field in enumerate(fields):
        if field.attname in keep:
            continue
        if isinstance(field, models.ForeignKey):
            if getattr(instance, field.attname) is None and (depth < 2 or not field.null):
                setattr(instance, field.name, related_instance(field, depth))
                if field.null:
                    # Rules may tie it to another field (需求 of the same 企业): or none.
                    filled[field.attname] = [None]
            continue
        current = getattr(instance, field.attname)
        if isinstance(current, datetime.datetime) and current.microsecond:
            # No form box carries fractions of a second (timestamps from timezone.now).
            setattr(instance, field.attname, current.replace(microsecond=0))
            continue
        if not _is_empty(current) and not (
            isinstance(field, models.BooleanField) and not getattr(instance, field.attname)
        ):
            continue
        candidates = model_field_candidates(field, position, anchor)
        if candidates:
            setattr(instance, field.attname, candidates[0])
            filled[field.attname] = candidates[1:]
    return filled


def _errors(instance: models.Model) -> dict[str, list[str]]:
    try:
        instance.full_clean(validate_unique=True)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _solve(instance: models.Model, filled: dict[str, list]) -> None:
    """Pick, for the fields it filled, values the record's own rules accept together.

    Each field first takes a candidate its own validators accept; then every field a
    validation error names moves to its next candidate; a rule across fields (no field named)
    moves the one field that clears it. An optional field left with none is emptied: its rules
    forbid it in this combination (say, 毕业条件 without 毕业).
    """
    model = type(instance)
    for name, rest in filled.items():
        field = next(f for f in model._meta.concrete_fields if f.attname == name)
        options = [getattr(instance, name), *rest]
        for value in options:
            try:
                field.clean(value, instance)
            except ValidationError:
                continue
            setattr(instance, name, value)
            filled[name] = [o for o in options if o != value]
            break
    for _round in range(30):
        errors = _errors(instance)
        if not errors:
            return
        named = [n for n in errors if n in filled]
        if named:
            for name in named:
                if filled[name]:
                    setattr(instance, name, filled[name].pop(0))
                else:
                    _empty(instance, name)
            continue
        if not _clear_rule_across_fields(instance, filled, errors):
            break
    assert not _errors(instance), (
        f"cannot build a valid {model.__name__}: {_errors(instance)} "
        f"from {[(n, getattr(instance, n)) for n in filled]}"
    )


def _empty(instance: models.Model, attname: str) -> None:
    field = next(f for f in type(instance)._meta.concrete_fields if f.attname == attname)
    if field.null:
        setattr(instance, attname, None)
    elif isinstance(field, models.CharField | models.TextField) and field.blank:
        setattr(instance, attname, "")


def _clear_rule_across_fields(instance, filled: dict[str, list], errors: dict) -> bool:
    before = sum(len(v) for v in errors.values())
    for name, rest in filled.items():
        current = getattr(instance, name)
        for value in [*rest, None]:
            if value is None:
                _empty(instance, name)
            else:
                setattr(instance, name, value)
            after = _errors(instance)
            if sum(len(v) for v in after.values()) < before:
                if value is not None:
                    rest.remove(value)
                return True
        setattr(instance, name, current)
    return False


# --- What a browser submits --------------------------------------------------------------------

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_RE = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$")
DATETIME_LOCAL_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$")
NUMBER_RE = re.compile(r"^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$")
NOT_SUBMITTED = {"submit", "button", "image", "reset", "file"}


def sanitise(kind: str, value: str) -> str:
    """The HTML value sanitisation algorithm for the input types forms here use."""
    if kind == "date":
        if DATE_RE.match(value):
            try:
                datetime.date.fromisoformat(value)
                return value
            except ValueError:
                return ""
        return ""
    if kind == "time":
        return value if TIME_RE.match(value) else ""
    if kind == "datetime-local":
        return value if DATETIME_LOCAL_RE.match(value) else ""
    if kind == "number":
        return value if NUMBER_RE.match(value) else ""
    if kind in ("text", "search", "tel", "password", "hidden", "email", "url"):
        return value.replace("\r", "").replace("\n", "") if kind != "hidden" else value
    return value


class BrowserForm(HTMLParser):
    """Collects what a browser would submit for the controls in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []
        self.invalid: list[str] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: ("" if v is None else v) for k, v in attrs}
        if tag == "input":
            self._input(a)
        elif tag == "select":
            self._select = {
                "name": a.get("name"),
                "multiple": "multiple" in a,
                "size": int(a.get("size") or 0),
                "disabled": "disabled" in a,
                "options": [],
            }
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._option["disabled"] = "disabled" in a
        elif tag == "textarea":
            self._textarea = {"name": a.get("name"), "disabled": "disabled" in a, "text": ""}

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            self._select["options"].append(self._option)
            self._option = None
        elif tag == "select" and self._select is not None:
            self._end_select(self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            t = self._textarea
            if t["name"] and not t["disabled"]:
                text = t["text"][1:] if t["text"].startswith("\n") else t["text"]
                self.pairs.append((t["name"], text))
            self._textarea = None

    def _input(self, a: dict) -> None:
        kind = (a.get("type") or "text").lower()
        name = a.get("name")
        if not name or "disabled" in a or kind in NOT_SUBMITTED:
            return
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self.pairs.append((name, a.get("value", "on") or "on"))
            return
        raw = a.get("value", "")
        value = sanitise(kind, raw)
        if raw and not value:
            self.invalid.append(f"{name}: <input type={kind}> cannot hold {raw!r}")
        if kind == "number" and value:
            self._check_number(name, Decimal(value), a)
        if "required" in a and value == "":
            self.invalid.append(f"{name}: required but empty, the browser will not submit")
        self.pairs.append((name, value))

    def _check_number(self, name: str, value: Decimal, a: dict) -> None:
        """A value outside min/max or off the step blocks the submission in the browser."""
        if a.get("min") not in (None, "") and value < Decimal(a["min"]):
            self.invalid.append(f"{name}: {value} below min {a['min']}")
        if a.get("max") not in (None, "") and value > Decimal(a["max"]):
            self.invalid.append(f"{name}: {value} above max {a['max']}")
        step = a.get("step", "1")
        if step not in ("any", ""):
            base = Decimal(a.get("min") or 0)
            if (value - base) % Decimal(step) != 0:
                self.invalid.append(f"{name}: {value} is off the step {step}")

    def _end_select(self, s: dict) -> None:
        if not s["name"] or s["disabled"]:
            return
        options = [o for o in s["options"] if not o["disabled"]]

        def value(o: dict) -> str:
            return o["value"] if o["value"] is not None else " ".join(o["text"].split())

        chosen = [o for o in options if o["selected"]]
        if s["multiple"]:
            self.pairs += [(s["name"], value(o)) for o in chosen]
        elif chosen:
            self.pairs.append((s["name"], value(chosen[-1])))
        elif options and s["size"] <= 1:
            self.pairs.append((s["name"], value(options[0])))


def submitted(html: str) -> tuple[MultiValueDict, list[str]]:
    parser = BrowserForm()
    parser.feed(html)
    parser.close()
    data = MultiValueDict()
    for name, value in parser.pairs:
        data.appendlist(name, value)
    return data, parser.invalid


# --- Plain forms: initial values of every field -----------------------------------------------


def form_field_candidates(name: str, field: forms.Field, position: int) -> list:
    """Values for every kind of form field, kept within the field's limits; best first."""
    empty = [] if field.required else [None]
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [list(_choice_queryset(field)[:2])]
    if isinstance(field, forms.ModelChoiceField):
        return [_choice_queryset(field).first(), *empty]
    if isinstance(field, forms.MultipleChoiceField):
        values = [v for v, _label in _flat(field.choices) if v not in ("", None)]
        return [values[:2], values[:1]]
    if isinstance(field, forms.ChoiceField):
        values = [v for v, _label in _flat(field.choices) if v not in ("", None)]
        assert values, f"{name}: a choice field with no choices"
        if isinstance(field, forms.TypedChoiceField):
            values = [field.coerce(v) for v in values]
        return [*reversed(values), *empty]
    if isinstance(field, forms.BooleanField):
        return [True]
    if isinstance(field, forms.DateTimeField):
        return [timezone.make_aware(datetime.datetime(2018, 1, 15, 9, 30))]
    if isinstance(field, forms.DateField):
        step = datetime.timedelta(days=31 * position)
        return [BASE_DAY + step, BASE_DAY, BASE_DAY - step]
    if isinstance(field, forms.TimeField):
        return [datetime.time(9, 30)]
    if isinstance(field, forms.DecimalField):
        places = field.decimal_places if field.decimal_places is not None else 2
        return [
            c for c in _decimal_candidates(field.max_digits, places) if _accepts(field, c)
        ] + empty
    if isinstance(field, forms.IntegerField):
        return [c for c in _int_candidates(name) if _accepts(field, c)] + empty
    if isinstance(field, forms.CharField):
        limit = field.max_length or 200
        return [f"测试{name}"[:limit], *empty]
    raise AssertionError(f"{name}: no value for {type(field).__name__}; teach the test")


def _accepts(field: forms.Field, value) -> bool:
    try:
        field.clean(field.prepare_value(value))
    except ValidationError:
        return False
    return True


def plain_initial(form_class: type[forms.BaseForm], kwargs: dict) -> dict:
    """Initial values of every field that the form's own cross-field rules accept together."""
    probe = form_class(**kwargs)
    candidates = {
        name: form_field_candidates(name, field, position)
        for position, (name, field) in enumerate(probe.fields.items())
        if not isinstance(field.widget, forms.HiddenInput)
    }
    for name, options in candidates.items():
        assert options, f"{name}: no value the field accepts"
    initial = {name: options.pop(0) for name, options in candidates.items()}
    for _round in range(20):
        form = form_class(**kwargs)
        form.cleaned_data = dict(initial)
        form._errors = forms.utils.ErrorDict()
        try:
            form.clean()
        except ValidationError as exc:
            named = list(getattr(exc, "error_dict", {}) or {None: exc})
        else:
            named = list(form._errors)
        if not named:
            return {n: v for n, v in initial.items() if v is not None}
        for name in named:
            targets = [name] if name in candidates else list(candidates)
            for target in targets:
                if candidates[target]:
                    initial[target] = candidates[target].pop(0)
                    break
    raise AssertionError(f"{dotted(form_class)}: no initial values pass its clean()")


def _flat(choices) -> Iterator[tuple]:
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label


def _choice_queryset(field: forms.ModelChoiceField):
    queryset = field.queryset
    if not queryset.exists():
        build_instance(queryset.model, overrides=lookup_values(queryset))
    assert queryset.exists(), f"{queryset.model.__name__}: the form's choices stay empty"
    return queryset.order_by("pk")


def same(cleaned, initial) -> bool:
    if isinstance(initial, models.Model):
        return getattr(cleaned, "pk", None) == initial.pk
    if isinstance(initial, list) and initial and isinstance(initial[0], models.Model):
        return {o.pk for o in cleaned} == {o.pk for o in initial}
    if isinstance(initial, list):
        return [str(v) for v in cleaned] == [str(v) for v in initial]
    if isinstance(cleaned, str) and not isinstance(initial, str):
        return cleaned == str(initial)
    return cleaned == initial


# --- Building a form ------------------------------------------------------------------------


def _questionnaire():
    from digital.selectors import questionnaire
    from tests.digital.factories import edition_2024

    return questionnaire(edition_2024())


# Arguments a form's __init__ requires that are not a model instance.
TYPED_ARGUMENTS = {"Questionnaire": _questionnaire}


def _events():
    from finance.models import FinanceEvent

    build_instance(FinanceEvent)
    return FinanceEvent.objects.all()


NAMED_ARGUMENTS = {"current": lambda: "submitted", "year": lambda: 2024}
# Optional arguments without which a form has nothing to offer (its choices come from them).
OPTIONAL_ARGUMENTS = {"events": _events}


def required_kwargs(cls: type[forms.BaseForm]) -> dict:
    """Build the keyword-only arguments the form requires, from their annotations."""
    kwargs = {}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        try:
            hints = typing.get_type_hints(init)
        except Exception:  # noqa: BLE001 (forward references the test cannot resolve)
            hints = {}
        for name, parameter in inspect.signature(init).parameters.items():
            if parameter.kind is not parameter.KEYWORD_ONLY or name in kwargs:
                continue
            if parameter.default is not parameter.empty:
                if name in OPTIONAL_ARGUMENTS:
                    kwargs[name] = OPTIONAL_ARGUMENTS[name]()
                continue
            kwargs[name] = _argument(cls, name, hints.get(name))
    return kwargs


def _argument(cls: type, name: str, hint):
    if hint is not None:
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        for option in options:
            if isinstance(option, type) and issubclass(option, models.Model):
                return build_instance(option)
            if getattr(option, "__name__", "") in TYPED_ARGUMENTS:
                return TYPED_ARGUMENTS[option.__name__]()
    if name in NAMED_ARGUMENTS:
        return NAMED_ARGUMENTS[name]()
    raise AssertionError(f"{dotted(cls)}: cannot build its {name!r} argument; annotate it")


def render(form: forms.BaseForm, language: str) -> str:
    with translation.override(language):
        return "".join(str(bound) for bound in form)


def compare_instances(before: models.Model, after: models.Model, names) -> list[str]:
    diffs = []
    for name in names:
        field = before._meta.get_field(name)
        if field.many_to_many:
            b = set(getattr(before, name).values_list("pk", flat=True))
            a = set(getattr(after, name).values_list("pk", flat=True))
        else:
            b, a = getattr(before, field.attname), getattr(after, field.attname)
        if b != a:
            diffs.append(f"{name}: {b!r} → {a!r}")
    return diffs


def conform_to_form(form_class, kwargs: dict, instance: models.Model) -> models.Model:
    """Give model fields that the form offers as a list of choices (JSON lists) valid values."""
    form = form_class(instance=instance, **kwargs)
    changed = False
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField):
            relation = getattr(instance, name, None)
            if relation is not None and hasattr(relation, "set"):
                relation.set(list(_choice_queryset(field)[:2]))
            continue
        if isinstance(field, forms.ModelChoiceField) or not isinstance(field, forms.ChoiceField):
            continue
        names = {f.name for f in instance._meta.get_fields()}
        if name not in names:
            continue  # a form-only field
        model_field = instance._meta.get_field(name)
        if model_field.choices:
            continue
        values = [v for v, _label in _flat(field.choices) if v not in ("", None)]
        wanted = values[:2] if isinstance(field, forms.MultipleChoiceField) else values[0]
        if getattr(instance, model_field.attname) != wanted:
            setattr(instance, model_field.attname, wanted)
            changed = True
    if changed:
        instance.save()
    return type(instance)._default_manager.get(pk=instance.pk)


def model_form_round_trip(form_class, kwargs: dict, instance, language: str) -> None:
    instance = conform_to_form(form_class, kwargs, instance)
    form = form_class(instance=instance, **kwargs)
    html = render(form, language)
    data, invalid = submitted(html)
    assert not invalid, f"{language}: the browser would not submit this as rendered: {invalid}"
    fresh = type(instance)._default_manager.get(pk=instance.pk)
    posted = form_class(data=data, files=MultiValueDict(), instance=fresh, **kwargs)
    with translation.override(language):
        assert posted.is_valid(), f"{language}: {posted.errors.as_data()}\nposted: {dict(data)}"
        assert not posted.has_changed(), f"{language}: reported as changed: {posted.changed_data}"
        posted.save()
    after = type(instance)._default_manager.get(pk=instance.pk)
    names = [
        n
        for n in form_class.base_fields
        if n in {f.name for f in _settable_fields(type(instance))}
        or n in {f.name for f in type(instance)._meta.many_to_many}
    ]
    if not names:
        pytest.skip("the form edits no model field (all read-only)")
    diffs = compare_instances(instance, after, names)
    assert not diffs, f"{language}: saving unchanged changed {diffs}"


# --- The tests ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff(db):
    return UserFactory(username="roundtrip", role=Role.SYSTEM_ADMIN)


def test_discovery_finds_the_forms_of_every_app():
    """The walk is real: forms of each app and every admin registration are in it."""
    names = {dotted(c) for c in FORM_CLASSES}
    for expected in (
        "enterprises.forms.EnterpriseProfileForm",
        "bureau.forms.ActivityQuickForm",
        "finance.forms.EventForm",
        "talent.forms.DemandForm",
        "incubation.forms.EndTenancyForm",
        "digital.forms.ScoredAssessmentForm",
        "reports.forms.ParagraphForm",
        "digital.forms.QuestionnaireForm",  # its fields are made in __init__
    ):
        assert expected in names
    assert len(ADMIN_MODELS) > 40


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=dotted)
def test_project_form_round_trips_unchanged(form_class, language, staff):
    if dotted(form_class) in NOT_ROUND_TRIP:
        pytest.skip(NOT_ROUND_TRIP[dotted(form_class)])
    kwargs = required_kwargs(form_class)
    if issubclass(form_class, forms.BaseModelForm):
        instance = build_instance(form_class._meta.model)
        model_form_round_trip(form_class, kwargs, instance, language)
        return
    initial = plain_initial(form_class, kwargs)
    form = form_class(initial=initial, **kwargs)
    html = render(form, language)
    data, invalid = submitted(html)
    assert not invalid, f"{language}: the browser would not submit this as rendered: {invalid}"
    posted = form_class(data=data, **kwargs)
    with translation.override(language):
        assert posted.is_valid(), f"{language}: {posted.errors.as_data()}\nposted: {dict(data)}"
    diffs = [
        f"{name}: {value!r} → {posted.cleaned_data.get(name)!r}"
        for name, value in initial.items()
        if not same(posted.cleaned_data.get(name), value)
    ]
    assert not diffs, f"{language}: {diffs}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_admin_change_form_round_trips_unchanged(model, language, staff):
    model_admin = admin.site._registry[model]
    instance = build_instance(model)
    request = RequestFactory().get("/")
    request.user = staff
    if not model_admin.has_change_permission(request, instance):
        pytest.skip("read-only in the admin")
    form_class = model_admin.get_form(request, instance, change=True)
    model_form_round_trip(form_class, {}, instance, language)
