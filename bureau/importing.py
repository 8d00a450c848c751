"""Shared Excel import machinery: Chinese widgets, duplicate detection, history for bulk rows,
and an all-or-nothing runner whose errors name the row and the column.

Every import of the portal (admin, management command, portal upload) goes through
`run_import`, so the rules hold on every path in.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import tablib
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import resources, widgets

from bureau import figures

HEADER_ROWS = 1  # data row i of the dataset is Excel row i + HEADER_ROWS


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class TextWidget(widgets.CharWidget):
    """Text; an empty cell becomes an empty string (text columns are NOT NULL)."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
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

    def __init__(self, model, field: str, *, label: str, normalize=None):
        super().__init__(model, field)
        self.label = label
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


class BaseResource(resources.ModelResource):
    """Common behaviour: refuses duplicate keys within a file, keeps history for bulk rows."""

    # Columns whose values together must be unique within one file (column attributes).
    unique_in_file: tuple[str, ...] = ()
    # Whether full_clean() also validates the model's database constraints row by row (one
    # query each). Resources whose constraints are all mirrored by field validators turn it
    # off for speed; the database still enforces them on insert.
    validate_db_constraints = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Keep each row's cells so the admin preview can show the first rows of the file.
        self._meta.store_row_values = True
        self._seen: dict[tuple, int] = {}
        self.history_user = kwargs.get("user")

    def before_import(self, dataset, **kwargs):
        self._seen = {}
        self.history_user = kwargs.get("user", self.history_user)
        missing = [
            f.column_name
            for name, f in self.fields.items()
            if f.column_name not in dataset.headers and name in self.required_columns()
        ]
        if missing:
            raise ValidationError(_("缺少必需的列：%(c)s") % {"c": "、".join(missing)})

    def required_columns(self) -> tuple[str, ...]:
        return self.unique_in_file

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
            errors = exc.update_error_dict(errors)
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
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    return [str(error)]


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
        for error in row_errors:
            errors.append(RowError(number + HEADER_ROWS, "", _messages(error.error)[0]))
    errors.sort(key=lambda e: e.row)
    return errors


def run_import(
    resource: resources.ModelResource, dataset: tablib.Dataset, *, dry_run: bool, user=None
) -> ImportOutcome:
    """Import `dataset` in one transaction: any bad row rolls everything back."""
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
    """Read the first sheet in openpyxl's streaming mode (values only): fast and lean for
    files of tens of thousands of rows. Trailing empty rows are dropped."""
    import openpyxl

    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        headers = [("" if h is None else str(h).strip()) for h in next(rows, ())]
        while headers and not headers[-1]:
            headers.pop()
        width = len(headers)
        data = tablib.Dataset(headers=headers)
        for row in rows:
            values = list(row[:width]) + [None] * (width - len(row))
            if any(v not in (None, "") for v in values):
                data.append(values)
        return data
    finally:
        book.close()


def template_dataset(resource: resources.ModelResource) -> tablib.Dataset:
    """An empty dataset with the import's column headers, for the downloadable template."""
    return tablib.Dataset(headers=[f.column_name for f in resource.get_import_fields()])


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
]
