"""Shared Excel import machinery: Chinese widgets, duplicate detection, history for bulk rows,
and an all-or-nothing runner whose errors name the row and the column.

Every import of the portal (admin, management command, portal upload) goes through
`run_import`, so the rules hold on every path in.
"""

import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar

import tablib
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.results import RowResult

from bureau import figures, spreadsheets

HEADER_ROWS = 1  # data row i of the dataset is Excel row i + HEADER_ROWS
# A well-formed code (check character included) that belongs to no real enterprise: the
# templates' example when the registry is empty.
EXAMPLE_CREDIT_CODE = "91340100MA2N0C5K0C"


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class TextWidget(widgets.CharWidget):
    """Text; an empty cell becomes an empty string (text columns are NOT NULL)."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime) and value.time() == datetime.time():
            value = value.date()  # a date typed into a text column reads back as midnight
        return str(value).strip()


class ChineseDecimalWidget(widgets.DecimalWidget):
    """A number in 元 (or any decimal): text is refused with a message in Chinese."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        text = _text(value).replace(",", "").replace("，", "")
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            raise ValueError(_("「%(v)s」不是有效的数字") % {"v": value}) from None
        if not number.is_finite():
            raise ValueError(_("「%(v)s」不是有效的数字") % {"v": value})
        return number


class ChineseIntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        text = _text(value).replace(",", "")
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            raise ValueError(_("「%(v)s」不是有效的整数") % {"v": value}) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("「%(v)s」不是有效的整数") % {"v": value})
        return int(number)


class ChineseDateWidget(widgets.DateWidget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def __init__(self):
        super().__init__(format=None)
        self.formats = self.FORMATS

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()  # openpyxl reads a date cell as a datetime at midnight
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("「%(v)s」不是有效的日期（应为 2024-01-31 这样的格式）") % {"v": value}
            ) from None


class ChoiceWidget(widgets.Widget):
    """Accepts a choice's stored value or its Chinese label; exports the label."""

    def __init__(self, choices: Iterable[tuple[str, str]], *, blank: bool = False):
        super().__init__()
        self.choices = [(str(v), str(label)) for v, label in choices]
        self.blank = blank
        self.by_text: dict[str, str] = {}
        for value, label in self.choices:
            self.by_text[value] = value
            self.by_text[label] = value
            # "39 计算机、通信…" style labels also match by their leading code.
            self.by_text[label.split(" ", 1)[0]] = value

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not text:
            if self.blank:
                return ""
            raise ValueError(_("不能为空"))
        if text.isdigit() and len(text) == 1 and ("0" + text) in self.by_text:
            text = "0" + text
        try:
            return self.by_text[text]
        except KeyError:
            allowed = "、".join(label for _v, label in self.choices[:12])
            more = "…" if len(self.choices) > 12 else ""
            raise ValueError(
                _("「%(v)s」不是可选值（可选：%(a)s%(m)s）") % {"v": value, "a": allowed, "m": more}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(str(value), value or "")


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a natural field (a credit code, a name), cached for the whole import,
    with an error in Chinese when nothing matches."""

    def __init__(self, model, field: str, *, label: str, normalize=None, dropdown: bool = False):
        super().__init__(model, field)
        self.label = label
        # A small reference set (片区, 活动类型…): the template offers its values as a list.
        self.dropdown = dropdown
        self.normalize = normalize or (lambda v: v)
        self._cache: dict[str, object] | None = None

    def clean(self, value, row=None, **kwargs):
        text = self.normalize(_text(value))
        if not text:
            return None
        if self._cache is None:
            self._cache = {str(getattr(o, self.field)): o for o in self.model.objects.all()}
        try:
            return self._cache[text]
        except KeyError:
            raise ValueError(
                _("找不到%(label)s「%(v)s」") % {"label": self.label, "v": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.field)

    def example_value(self) -> str | None:
        """A value a clerk could type: the key of the first record on file, if any."""
        first = self.model.objects.order_by("pk").first()
        return None if first is None else str(getattr(first, self.field))

    def reference_values(self, limit: int = 200) -> list[str] | None:
        """Every allowed value when the reference set is small (drop-down lists), else None."""
        if not self.dropdown:
            return None
        values = list(
            self.model.objects.order_by("pk").values_list(self.field, flat=True)[: limit + 1]
        )
        return None if len(values) > limit else [str(v) for v in values]


def _model_field(model, attribute: str | None) -> models.Field | None:
    if not attribute or "__" in attribute:
        return None
    try:
        found = model._meta.get_field(attribute)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _default_widget(model_field: models.Field) -> widgets.Widget | None:
    """The Chinese widget for a model field, for columns declared without one."""
    if model_field.choices:
        # A coded column with a default may be left empty: the default applies.
        return ChoiceWidget(
            model_field.choices, blank=model_field.blank or model_field.has_default()
        )
    if isinstance(model_field, models.DateTimeField):
        return None
    if isinstance(model_field, models.DateField):
        return ChineseDateWidget()
    if isinstance(model_field, models.DecimalField):
        return ChineseDecimalWidget()
    if isinstance(model_field, models.IntegerField):
        return ChineseIntegerWidget()
    if isinstance(model_field, (models.CharField, models.TextField)):
        return TextWidget()
    return None


def cell_key(value: Any) -> str:
    """A cell's value as text, the same whether it was read from .xlsx or .csv."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
        return format(number.normalize(), "f") if number.is_finite() else str(value)
    text = str(value).strip()
    try:
        return cell_key(Decimal(text)) if text and text[0] in "0123456789-" else text
    except InvalidOperation:
        return text


def _unique_errors_by_field(exc: ValidationError) -> ValidationError:
    """A record-wide "already exists" (a unique constraint) is named by its first column, so
    that the row's error says which column to correct."""
    from django.core.exceptions import NON_FIELD_ERRORS

    if not hasattr(exc, "error_dict") or NON_FIELD_ERRORS not in exc.error_dict:
        return exc
    kept, moved = [], {}
    for error in exc.error_dict[NON_FIELD_ERRORS]:
        unique = error.code in ("unique", "unique_together")
        check = (error.params or {}).get("unique_check") if unique else None
        if check:
            moved.setdefault(check[0], []).append(error)
        else:
            kept.append(error)
    if not moved:
        return exc
    by_field = {k: v for k, v in exc.error_dict.items() if k != NON_FIELD_ERRORS}
    for name, found in moved.items():
        by_field.setdefault(name, []).extend(found)
    if kept:
        by_field[NON_FIELD_ERRORS] = kept
    return ValidationError(by_field)


class BaseResource(resources.ModelResource):
    """Common behaviour: refuses duplicate keys within a file, keeps history for bulk rows,
    reads blank cells as the field's empty value, skips the template's example row, and
    (when asked) updates the records a row's natural key matches."""

    # Columns whose values together must be unique within one file (column attributes).
    unique_in_file: tuple[str, ...] = ()
    # Whether full_clean() also validates the model's database constraints row by row (one
    # query each). Resources whose constraints are all mirrored by field validators turn it
    # off for speed; the database still enforces them on insert.
    validate_db_constraints = True
    # The template's example row (示例), by field name: values a clerk could type. A lookup
    # column left out takes the key of the first record on file.
    example: ClassVar[dict[str, Any]] = {}
    # Columns required although the model would allow them empty (besides required_columns()).
    also_required: ClassVar[tuple[str, ...]] = ()
    # One sentence per column for the template's 填表说明 sheet, by field name.
    column_notes: ClassVar[dict[str, str]] = {}
    # Columns required only in some rows, by field name: the condition, for 填表说明.
    required_when: ClassVar[dict[str, str]] = {}
    # Fields (attributes) identifying an existing record: with update=True a row matching one
    # updates it in place; without, the row is refused as already on file.
    natural_key: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Keep each row's cells so the admin preview can show the first rows of the file.
        self._meta.store_row_values = True
        self._seen: dict[tuple, int] = {}
        self.history_user = kwargs.get("user")
        self.update_existing = bool(kwargs.get("update", False))
        self._example_keys: dict[str, str] | None = None
        model = self._meta.model
        for import_field in self.fields.values():
            model_field = _model_field(model, import_field.attribute)
            if model_field is None or type(import_field.widget) is not widgets.Widget:
                continue
            widget = _default_widget(model_field)
            if widget is not None:
                import_field.widget = widget

    def before_import(self, dataset, **kwargs):
        self._seen = {}
        self.history_user = kwargs.get("user", self.history_user)
        self._example_keys = None
        missing = [
            f.column_name
            for name, f in self.fields.items()
            if f.column_name not in dataset.headers and name in self.required_columns()
        ]
        if missing:
            raise ValidationError(_("缺少必需的列：%(c)s") % {"c": "、".join(missing)})

    def required_columns(self) -> tuple[str, ...]:
        return self.unique_in_file

    # --- re-importing a corrected file -------------------------------------------------------

    def find_existing(self, row):
        """The record on file with the row's natural key (the latest, should there be two)."""
        if not self.natural_key:
            return None
        lookup = {}
        for name in self.natural_key:
            import_field = self.fields[name]
            try:
                value = import_field.clean(row)
            except (ValueError, ValidationError):
                return None  # the cell's own error is reported with the row
            if value in (None, ""):
                model_field = _model_field(self._meta.model, import_field.attribute)
                if model_field is None or not model_field.null:
                    return None
                lookup[f"{import_field.attribute}__isnull"] = True
            else:
                lookup[import_field.attribute] = value
        return self._meta.model.objects.filter(**lookup).order_by("-pk").first()

    def existing_for_update(self, row):
        """With update: the record this row corrects (its status before kept), else None."""
        if not self.update_existing:
            return None
        found = self.find_existing(row)
        if found is not None:
            found._status_before_import = getattr(found, "status", None)
        return found

    def record_status_change(self, instance) -> None:
        """After an update: a status the file changed goes into the pipeline's history, dated
        as the row says (status_changed_at, from apply_status_date)."""
        before = getattr(instance, "_status_before_import", None)
        if before is None or before == instance.status:
            return
        from django.contrib.contenttypes.models import ContentType

        from .models import ApplicationTransition

        ApplicationTransition.objects.create(
            content_type=ContentType.objects.get_for_model(type(instance)),
            object_id=instance.pk,
            from_status=before,
            to_status=instance.status,
            at=instance.status_changed_at,
            by=self.history_user if getattr(self.history_user, "pk", None) else None,
            remark="Excel导入更正",
        )

    def blank_defaults(self) -> set[str]:
        """Fields whose empty cell stands for a value of its own (职称级别: 无)."""
        return set()

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        # Many-to-many cells are saved after the row; check them now, named by their column.
        for name, import_field in self.fields.items():
            if isinstance(import_field.widget, widgets.ManyToManyWidget) and (
                import_field.column_name in row
            ):
                try:
                    import_field.clean(row)
                except ValueError as exc:
                    errors.setdefault(name, []).append(str(exc))
        if errors:
            raise ValidationError(errors)

    # --- blank cells ------------------------------------------------------------------------

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        super().import_field(field, instance, row, is_m2m, **kwargs)
        if is_m2m or field.readonly or not field.attribute or field.column_name not in row:
            return
        model_field = _model_field(self._meta.model, field.attribute)
        if model_field is None or model_field.null or model_field.is_relation:
            return
        current = getattr(instance, model_field.attname, None)
        if (
            current == ""
            and model_field.has_default()
            and (model_field.choices or not model_field.blank)
        ):
            current = None  # left empty: the model's default (状态: 开放填报; 申报类别)
        if current is not None:
            return
        # An empty cell (openpyxl reads None where a .csv gives ""): the column's empty value.
        # Never a date's default (today): an import dates records by the row, not by the day
        # it runs; a required date left empty is the row's error.
        if isinstance(model_field, models.DateField):
            return
        if model_field.has_default():
            setattr(instance, model_field.attname, model_field.get_default())
        elif model_field.empty_strings_allowed and model_field.blank:
            setattr(instance, model_field.attname, "")

    # --- the template's example row ---------------------------------------------------------

    def example_keys(self) -> dict[str, str]:
        """The example row of this dataset's template, as cell keys by column name."""
        if self._example_keys is None:
            self._example_keys = {spec.name: cell_key(spec.example) for spec in column_specs(self)}
        return self._example_keys

    def is_example_row(self, row) -> bool:
        example = self.example_keys()
        if not any(example.values()) or not set(example) <= set(row):
            return False  # not the template's layout: no example to skip
        return all(cell_key(row.get(name)) == key for name, key in example.items())

    def import_row(self, row, instance_loader, **kwargs):
        # The template's first data row is its example (示例): left as it is, it is no data.
        if kwargs.get("row_number") == 1 and self.is_example_row(row):
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            result.row_values = row
            result.is_example = True
            return result
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row, row_number=None, **kwargs):
        if not self.unique_in_file:
            return
        key = tuple(
            self.normalize_key(name, _text(row.get(self.fields[name].column_name)))
            for name in self.unique_in_file
        )
        if not all(key):
            return
        first = self._seen.setdefault(key, row_number)
        if first != row_number:
            name = self.unique_in_file[0]
            raise ValidationError(
                {
                    name: _("与第%(r)s行重复：%(k)s")
                    % {"r": first + HEADER_ROWS, "k": " / ".join(key)}
                }
            )

    def normalize_key(self, attribute: str, value: str) -> str:
        return value

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # Foreign keys found through a LookupWidget are known to exist: skip the per-row query.
        looked_up = [
            f.attribute
            for f in self.fields.values()
            if f.attribute and isinstance(f.widget, LookupWidget)
        ]
        try:
            instance.full_clean(
                exclude=[*errors.keys(), *looked_up],
                validate_unique=validate_unique and self.validate_unique_per_row(),
                validate_constraints=self.validate_db_constraints,
            )
        except ValidationError as exc:
            errors = _unique_errors_by_field(exc).update_error_dict(errors)
        errors.update(self.extra_row_errors(instance))
        if errors:
            raise ValidationError(errors)

    def validate_unique_per_row(self) -> bool:
        return True

    def extra_row_errors(self, instance) -> dict:
        """Errors a resource finds with data it loaded once for the whole file."""
        return {}

    def get_instance(self, instance_loader, row):
        # A bad key cell (an unknown credit code, text for a year) is the row's error, named
        # by its column, not a crash of the loader.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError as exc:
            raise self.key_errors(row, exc) from None

    def key_errors(self, row, exc: Exception) -> ValidationError:
        errors = {}
        for name in self.get_import_id_fields():
            try:
                self.fields[name].clean(row)
            except ValueError as field_exc:
                errors[name] = str(field_exc)
        return ValidationError(errors or {"__all__": str(exc)})

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        created = list(self.create_instances)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)
        if created and not dry_run:
            figures.mark_changed()  # bulk inserts send no model signals
        if created and hasattr(self._meta.model, "history") and not dry_run:
            self._meta.model.history.bulk_history_create(
                created, default_user=self.history_user, default_change_reason="Excel导入"
            )

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        updated = list(self.update_instances)
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)
        if updated and not dry_run:
            figures.mark_changed()
        if updated and hasattr(self._meta.model, "history") and not dry_run:
            self._meta.model.history.bulk_history_create(
                updated,
                update=True,
                default_user=self.history_user,
                default_change_reason="Excel导入",
            )


STATUS_DATE_COLUMN = "状态日期"
STATUS_DATE_NOTE = (
    "记录达到所填状态的日期。不填时：已认定的按认定日期（或有效期起），其余按批次年度的12月31日"
    "（当年批次不晚于导入当天）；两者都没有时该行报错。"
)


def status_date_field():
    """The 状态日期 column of every pipeline import (an Application's status_changed_at)."""
    from import_export import fields as ie_fields

    return ie_fields.Field(
        attribute=None, column_name=STATUS_DATE_COLUMN, widget=ChineseDateWidget()
    )


def apply_status_date(instance, row, *, approved_status: str = "approved") -> dict[str, str]:
    """Date the imported record's status from the row, never from the day of the import:
    状态日期, else (approved) 认定日期 or 有效期起, else 12-31 of the batch year (not later than
    now). Returns the row's errors by column name."""
    from django.utils import timezone

    try:
        reached = ChineseDateWidget().clean(row.get(STATUS_DATE_COLUMN))
    except ValueError as exc:
        return {STATUS_DATE_COLUMN: str(exc)}
    now = timezone.now()
    if reached is not None and reached > timezone.localdate(now):
        return {STATUS_DATE_COLUMN: _("状态日期不能晚于今天。")}
    approved = instance.status == approved_status
    if reached is not None and approved and instance.approved_on is None:
        instance.approved_on = reached
    if reached is None and approved:
        reached = instance.approved_on or instance.valid_from
    at = None
    if reached is not None:
        at = timezone.make_aware(datetime.datetime.combine(reached, datetime.time(9)))
    elif instance.batch_year:
        year_end = datetime.datetime.combine(
            datetime.date(instance.batch_year, 12, 31), datetime.time(9)
        )
        at = min(timezone.make_aware(year_end), now)
    if at is None:
        return {STATUS_DATE_COLUMN: _("请填写状态日期，或填写批次年度（按该年12月31日计）。")}
    instance.status_changed_at = at
    return {}


@dataclass
class RowError:
    row: int  # the Excel row number, header being row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = _("第%(r)s行") % {"r": self.row} if self.row else _("文件")
        if self.column:
            where += _("「%(c)s」") % {"c": self.column}
        return f"{where}：{self.message}"


@dataclass
class ImportOutcome:
    total_rows: int
    new: int = 0
    updated: int = 0
    skipped: int = 0  # the template's example row, left in the file
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    return [str(error)]


def _column_of(resource: resources.ModelResource, db_column: str) -> str:
    model = resource._meta.model
    for model_field in model._meta.concrete_fields:
        if db_column in (model_field.column, model_field.name):
            for import_field in resource.fields.values():
                if import_field.attribute in (model_field.name, model_field.attname):
                    return import_field.column_name
            return str(model_field.verbose_name)
    return db_column


def _constraint(model, name: str):
    for constraint in model._meta.constraints:
        if constraint.name == name or (
            "%(" in constraint.name
            and constraint.name
            % {"app_label": model._meta.app_label, "class": model.__name__.lower()}
            == name
        ):
            return constraint
    return None


def _constraint_fields(constraint) -> list[str]:
    names = list(getattr(constraint, "fields", ()) or ())
    condition = getattr(constraint, "condition", None)
    pending = [condition] if not names and condition is not None else []
    while pending:
        node = pending.pop(0)
        for child in getattr(node, "children", ()):
            if isinstance(child, tuple):
                names.append(child[0].split("__", 1)[0])
            else:
                pending.append(child)
    return list(dict.fromkeys(names))


def describe_error(resource: resources.ModelResource, error: BaseException) -> tuple[str, str]:
    """(column, reason in Chinese) for an error raised while saving a row: the database's
    refusal (NOT NULL, UNIQUE, CHECK, a foreign key, a value too long) named by its column."""
    if isinstance(error, ValidationError):
        return "", "；".join(str(m) for m in error.messages)
    text = str(error)
    if not isinstance(error, DatabaseError):
        return "", _("无法保存：%(e)s") % {"e": text}
    model = resource._meta.model
    found = re.search(r"NOT NULL constraint failed: \w+\.(\w+)", text) or re.search(
        r'null value in column "(\w+)"', text
    )
    if found:
        return _column_of(resource, found.group(1)), _("不能为空")
    found = re.search(r"UNIQUE constraint failed: ([\w., ]+)", text)
    if found:
        columns = [
            _column_of(resource, c.strip().split(".")[-1]) for c in found.group(1).split(",")
        ]
        return columns[0], _("与已有记录重复（%(c)s）") % {"c": "、".join(columns)}
    found = re.search(r'unique constraint "(\w+)"', text)
    if found:
        constraint = _constraint(model, found.group(1))
        columns = (
            [_column_of(resource, n) for n in _constraint_fields(constraint)] if constraint else []
        )
        return (columns[0] if columns else ""), _("与已有记录重复（%(c)s）") % {
            "c": "、".join(columns) or found.group(1)
        }
    found = re.search(r"CHECK constraint failed: (\w+)", text) or re.search(
        r'check constraint "(\w+)"', text
    )
    if found:
        constraint = _constraint(model, found.group(1))
        columns = (
            [_column_of(resource, n) for n in _constraint_fields(constraint)] if constraint else []
        )
        message = _("不符合数据规则")
        if constraint is not None and constraint.violation_error_message != (
            constraint.default_violation_error_message
        ):
            message = str(constraint.violation_error_message)
        return (columns[0] if columns else ""), message
    found = re.search(r"value too long for type character varying\((\d+)\)", text)
    if found:
        return "", _("内容过长（最多%(n)s个字）") % {"n": found.group(1)}
    if "FOREIGN KEY" in text or "foreign key" in text:
        return "", _("引用的记录不存在")
    if "numeric field overflow" in text or "out of range" in text:
        return "", _("数值超出范围")
    if "current transaction is aborted" in text:
        return "", _("前面的行保存失败，本行未保存")
    return "", _("数据库拒绝保存：%(e)s") % {"e": text}


def collect_errors(resource: resources.ModelResource, result) -> list[RowError]:
    """Every error of an import result, each naming its Excel row and column, in Chinese."""
    columns = {name: f.column_name for name, f in resource.fields.items()}
    columns.update({f.attribute: f.column_name for f in resource.fields.values() if f.attribute})
    columns.update({f.column_name: f.column_name for f in resource.fields.values()})
    errors: list[RowError] = []
    for base_error in result.base_errors:
        errors.append(RowError(0, "", _("文件错误：%(e)s") % {"e": base_error.error}))
    for invalid in result.invalid_rows:
        row = invalid.number + HEADER_ROWS
        for name, messages in invalid.error_dict.items():
            column = columns.get(name, "" if name == "__all__" else name)
            for message in messages:
                errors.append(RowError(row, column, str(message)))
    for number, row_errors in result.row_errors():
        for error in row_errors[:1]:
            column, message = describe_error(resource, error.error)
            errors.append(RowError(number + HEADER_ROWS, column, message))
    errors.sort(key=lambda e: e.row)
    return errors


def run_import(
    resource: resources.ModelResource, dataset: tablib.Dataset, *, dry_run: bool, user=None
) -> ImportOutcome:
    """Import `dataset` in one transaction: any bad row rolls everything back. Whether rows
    matching a record on file update it is the resource's `update` option."""
    if hasattr(resource, "keep_row_results"):
        resource.keep_row_results = 0  # counts and errors only: memory flat in rows
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            user=user,
        )
        errors = collect_errors(resource, result)
        if errors and not dry_run:
            transaction.set_rollback(True)
    totals = result.totals
    return ImportOutcome(
        total_rows=result.total_rows,
        new=totals.get("new", 0),
        updated=totals.get("update", 0),
        skipped=totals.get("skip", 0),
        errors=errors,
        dry_run=dry_run or bool(errors),
    )


def load_dataset(path: str | Path) -> tablib.Dataset:
    """Read the first sheet of an .xlsx file (or a .csv) into a dataset, header row first."""
    from .uploads import guard_path

    path = Path(path)
    guard_path(path)
    if path.suffix.lower() == ".csv":
        return tablib.Dataset().load(path.read_text(encoding="utf-8-sig"), format="csv")
    return dataset_from_xlsx(path)


def dataset_from_xlsx(source) -> tablib.Dataset:
    """Read the first sheet, streamed (bureau.xlsx_reader: values only, one pass): fast and
    lean for files of tens of thousands of rows. Empty rows are dropped."""
    from .xlsx_reader import iter_first_sheet

    rows = iter_first_sheet(source)
    first = next(rows, None)
    # The header is Excel row 1 (openpyxl's first row, empty when row 1 has no cells).
    header_row = first[1] if first is not None and first[0] == 1 else []
    headers = [("" if h is None else str(h).strip()) for h in header_row]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    data = tablib.Dataset(headers=headers)
    for _number, row in rows:
        values = row[:width] + [None] * (width - len(row))
        if any(v not in (None, "") for v in values):
            data.append(values)
    return data


def template_dataset(resource: resources.ModelResource) -> tablib.Dataset:
    """An empty dataset with the import's column headers."""
    return tablib.Dataset(headers=[f.column_name for f in resource.get_import_fields()])


# --- Templates a clerk can fill without the docs ---------------------------------------------

EXAMPLE_SHEET_NOTE = (
    "第2行（灰色斜体）是示例行：原样保留时导入会自动跳过，也可以直接删除或改写成实际数据。"
)


@dataclass(frozen=True)
class ColumnSpec:
    """What the template's 填表说明 sheet says about one column."""

    name: str
    attribute: str | None
    required: bool
    kind: str  # 文本, 整数, 数字, 日期, 可选值, 引用
    unit: str
    format: str
    choices: tuple[str, ...]
    note: str
    example: Any
    readonly: bool = False
    condition: str = ""  # when a column that is not always required must be filled


_UNIT = re.compile(r"（([^（）]*)）$")


def _unit_of(column: str) -> str:
    found = _UNIT.search(column)
    if not found:
        return ""
    # "营业收入（本年累计，元）" → 元; "自有孵化场地面积（㎡）" → ㎡
    return found.group(1).split("，")[-1]


def _is_required(resource: BaseResource, name: str, import_field, model_field) -> bool:
    if import_field.readonly:
        return False
    required = getattr(resource, "required_columns", tuple)()
    if name in required or name in getattr(resource, "also_required", ()):
        return True
    widget = import_field.widget
    if isinstance(widget, ChoiceWidget):
        return not widget.blank
    if model_field is None:
        return False
    if import_field.default is not models.NOT_PROVIDED:
        return False
    return not (model_field.blank or model_field.null or model_field.has_default())


def column_specs(resource: BaseResource) -> list[ColumnSpec]:
    """Every import column of `resource`: required or not, kind, unit, format, allowed
    values and the example, as the template explains them."""
    model = resource._meta.model
    by_field = {id(f): name for name, f in resource.fields.items()}
    examples = getattr(resource, "example", {}) or {}
    notes = getattr(resource, "column_notes", {}) or {}
    specs = []
    for import_field in resource.get_import_fields():
        name = by_field[id(import_field)]
        model_field = _model_field(model, import_field.attribute)
        widget = import_field.widget
        choices: tuple[str, ...] = ()
        example = examples.get(name)
        if isinstance(widget, ChoiceWidget):
            kind, fmt = "可选值", _("从下拉列表中选择（填名称或代码均可）")
            choices = tuple(label for _v, label in widget.choices)
        elif isinstance(widget, LookupWidget):
            kind = "引用"
            fmt = _("须为系统中已有的%(label)s") % {"label": widget.label}
            values = widget.reference_values()
            choices = tuple(values or ())
            example = widget.example_value() or example
        elif hasattr(widget, "example_value"):
            kind, fmt = "引用", _("须为系统中已有的记录，多个用；分隔")
            example = widget.example_value() or example
        elif isinstance(widget, ChineseDateWidget):
            kind, fmt = "日期", _("日期，如 2024-01-31（也可 2024/1/31、2024年1月31日）")
        elif isinstance(widget, ChineseIntegerWidget):
            kind, fmt = "整数", _("整数，不带单位")
        elif isinstance(widget, ChineseDecimalWidget):
            kind, fmt = "数字", _("数字，不带单位和千分位以外的符号")
        else:
            kind, fmt = "文本", _("文本")
            if model_field is not None and getattr(model_field, "max_length", None):
                fmt = _("文本，最多%(n)s个字") % {"n": model_field.max_length}
        if isinstance(example, Promise):
            example = str(example)
        condition = (getattr(resource, "required_when", {}) or {}).get(name, "")
        note = notes.get(name, "")
        if condition:
            note = f"{condition}{note}"
        if not note and model_field is not None and model_field.help_text:
            note = str(model_field.help_text)
        if import_field.readonly:
            note = _("仅供核对，导入时不读取。")
        specs.append(
            ColumnSpec(
                name=import_field.column_name,
                attribute=import_field.attribute,
                required=_is_required(resource, name, import_field, model_field),
                kind=kind,
                unit=_unit_of(import_field.column_name),
                format=fmt,
                choices=choices,
                note=note,
                example=example,
                readonly=bool(import_field.readonly),
                condition=condition,
            )
        )
    return specs


def dataset_title(resource: resources.ModelResource) -> str:
    """The data sheet's name: the dataset in Chinese (Excel allows 31 characters)."""
    title = getattr(resource, "sheet_title", "") or ""
    if not title:
        with translation.override("zh-hans"):
            title = str(resource._meta.model._meta.verbose_name_plural)
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "数据"


def _as_text_cell(cell, value) -> None:
    spreadsheets.set_text_cell(cell, value)  # text stays text, never a formula


def template_workbook(resource: BaseResource) -> bytes:
    """The dataset's blank template: the header row, one example row (skipped on import while
    left unchanged), a 填表说明 sheet explaining every column, and drop-down lists for coded
    columns. The data sheet comes first and is named after the dataset, in Chinese."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    with translation.override("zh-hans"):
        specs = column_specs(resource)
        book = openpyxl.Workbook()
        data = book.active
        data.title = dataset_title(resource)
        lists = book.create_sheet("可选值")
        guide = book.create_sheet("填表说明")
        bold, required_fill = Font(bold=True), PatternFill("solid", fgColor="FCE4D6")
        example_font = Font(italic=True, color="808080")
        for index, spec in enumerate(specs, start=1):
            letter = get_column_letter(index)
            header = data.cell(row=1, column=index)
            _as_text_cell(header, spec.name)
            header.font = bold
            if spec.required:
                header.fill = required_fill
            header.comment = Comment(
                ("必填。" if spec.required else "选填。") + spec.format, "科技金融局"
            )
            example = data.cell(row=2, column=index)
            value = spec.example
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                example.number_format = "yyyy-mm-dd"
            _as_text_cell(example, value)
            example.font = example_font
            data.column_dimensions[letter].width = max(12, min(40, 2 * len(spec.name) + 4))
            if spec.choices:
                for row, choice in enumerate(spec.choices, start=1):
                    _as_text_cell(lists.cell(row=row, column=index), choice)
                _as_text_cell(lists.cell(row=1, column=index), spec.choices[0])
                source = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(spec.choices)}"
                validation = DataValidation(
                    type="list",
                    formula1=source,
                    allow_blank=not spec.required,
                    showErrorMessage=spec.kind == "可选值",
                    errorTitle="不是可选值",
                    error="请从下拉列表中选择。",
                )
                validation.add(f"{letter}2:{letter}10000")
                data.add_data_validation(validation)
        data.freeze_panes = "A2"
        lists.sheet_state = "hidden"

        _as_text_cell(guide.cell(row=1, column=1), EXAMPLE_SHEET_NOTE)
        guide.cell(row=1, column=1).font = bold
        _as_text_cell(
            guide.cell(row=2, column=1),
            "表头为橙色的列必须填写；一行有错时整个文件都不导入，错误会指明行号和列名。",
        )
        headers = ["列名", "是否必填", "单位", "格式", "可选值", "说明", "示例"]
        for column, text in enumerate(headers, start=1):
            cell = guide.cell(row=4, column=column)
            _as_text_cell(cell, text)
            cell.font = bold
        for row, spec in enumerate(specs, start=5):
            allowed = "、".join(spec.choices[:60]) + ("…" if len(spec.choices) > 60 else "")
            values = [
                spec.name,
                "仅导出"
                if spec.readonly
                else ("必填" if spec.required else ("视情况" if spec.condition else "选填")),
                spec.unit,
                spec.format,
                allowed,
                spec.note,
                cell_key(spec.example),
            ]
            for column, value in enumerate(values, start=1):
                cell = guide.cell(row=row, column=column)
                _as_text_cell(cell, value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for letter, width in zip("ABCDEFG", (24, 10, 8, 36, 40, 40, 20), strict=True):
            guide.column_dimensions[letter].width = width
        book.active = 0
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


__all__ = [
    "BaseResource",
    "ChineseDateWidget",
    "ChineseDecimalWidget",
    "ChineseIntegerWidget",
    "ChoiceWidget",
    "ImportOutcome",
    "LookupWidget",
    "ObjectDoesNotExist",
    "RowError",
    "TextWidget",
    "collect_errors",
    "load_dataset",
    "run_import",
    "template_dataset",
    "template_workbook",
    "column_specs",
    "describe_error",
]
