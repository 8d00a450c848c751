"""Large imports in chunks (issue 16): every row validated as before, written a chunk at a time.

`BulkResource` is the BaseResource of imports large enough to matter (the enterprise registry):
- each row goes through the same steps and hooks as any import (the duplicate check, the
  instance lookup, the cells' widgets, the blank-cell rules, the model's field validation and
  clean(), the resource's own checks), but with the per-field work planned once per file
  instead of looked up again for every cell;
- rows are written per chunk (Meta.batch_size), new ones by COPY with their history rows
  (bureau.bulk_writes); lookups a row needs (the records on file for its key) are fetched for
  the whole chunk by `before_chunk`;
- all or nothing: once a row is refused nothing more is written (the transaction is rolled
  back anyway), the remaining rows are still validated so the clerk sees every error;
- the figures' data version moves once per import, not once per chunk;
- the result keeps the first `keep_row_results` row results (None: all, as the admin's log
  needs), so memory does not grow with the file.
"""

from collections import OrderedDict
from collections.abc import Callable
from itertools import islice
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import connections, models
from django.utils.encoding import force_str
from import_export import widgets
from import_export.fields import NOT_PROVIDED
from import_export.results import Result, RowResult
from import_export.utils import atomic_if_using_transaction

from bureau import figures

from .bulk_writes import insert_history, insert_new
from .importing import BaseResource, LookupWidget, _model_field, _unique_errors_by_field

CHANGE_REASON = "Excel导入"


class ChunkedResult(Result):
    """An import result that keeps the first `keep` row results (all when None); errors are
    numbered from the runner's own list, not from the kept rows."""

    keep: int | None = None

    def append_row_result(self, row_result) -> None:
        if self.keep is None or len(self.rows) < self.keep:
            self.rows.append(row_result)

    def row_errors(self):
        return [(error.number, error.errors) for error in self.error_rows]


def _blank_rule(model_field: models.Field) -> Callable[[models.Model], None] | None:
    """BaseResource.import_field's empty-cell rule for one field, decided once."""
    if model_field.null or model_field.is_relation:
        return None
    attname = model_field.attname
    has_default = model_field.has_default()
    default_if_empty = has_default and bool(model_field.choices or not model_field.blank)
    is_date = isinstance(model_field, models.DateField)
    fills_empty_string = model_field.empty_strings_allowed and model_field.blank

    def rule(instance: models.Model) -> None:
        current = getattr(instance, attname, None)
        if current == "" and default_if_empty:
            current = None
        if current is not None or is_date:
            return
        if has_default:
            setattr(instance, attname, model_field.get_default())
        elif fills_empty_string:
            setattr(instance, attname, "")

    return rule


def _field_cleaner(field: models.Field) -> Callable[[Any, models.Model], Any]:
    """Field.clean (to_python, validate, validators) with the same checks and messages, but
    the choices looked up in a set instead of a walk through the list, and a text's length and
    NUL characters tested inline: the validators run (and word the error) only when the
    value fails those tests, or for validators of their own (a credit code's)."""
    plain_validate = type(field).validate is models.Field.validate
    validators = field.validators
    max_length = None
    others = []
    for validator in validators:
        if type(validator) is MaxLengthValidator and max_length is None:
            max_length = validator.limit_value
        elif type(validator) is not ProhibitNullCharactersValidator:
            others.append(validator)
    inline_text = isinstance(field, models.CharField) and isinstance(max_length, int)
    if not plain_validate or not (field.choices or inline_text):
        return field.clean
    keys = {key for key, _label in field.flatchoices} if field.choices else None
    empty = field.empty_values
    messages = field.error_messages
    run_validators = field.run_validators

    def clean(value, instance):
        value = field.to_python(value)
        if field.editable:
            if keys is not None and value not in empty and value not in keys:
                raise ValidationError(
                    messages["invalid_choice"], code="invalid_choice", params={"value": value}
                )
            if value is None and not field.null:
                raise ValidationError(messages["null"], code="null")
            if not field.blank and value in empty:
                raise ValidationError(messages["blank"], code="blank")
        if value in empty:
            return value  # Field.run_validators skips empty values
        if not inline_text or len(value) > max_length or "\x00" in value:
            run_validators(value)
        else:
            for validator in others:
                try:
                    validator(value)
                except ValidationError:
                    run_validators(value)  # every validator's message, as Django gathers them
        return value

    return clean


class BulkResource(BaseResource):
    """A BaseResource imported in chunks (see the module's docstring); needs Meta.use_bulk,
    skip_diff and no many-to-many columns."""

    # How many row results the import's result keeps (None: every row).
    keep_row_results: int | None = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        meta = self._meta
        assert meta.use_bulk and meta.skip_diff and meta.batch_size, type(self).__name__
        assert not any(
            isinstance(f.widget, widgets.ManyToManyWidget) for f in self.fields.values()
        ), "bulk imports save no many-to-many cells"
        self._import_plan: list[tuple] = []
        self._validation_plan: list[tuple] = []
        self._wrote = False
        self._looked_up: set[str] = set()

    def get_result_class(self):
        return ChunkedResult

    # --- planned once per file ----------------------------------------------------------------

    def _plan(self, headers) -> None:
        model = self._meta.model
        present = set(headers or ())
        self._import_plan = []
        imported: set[str] = set()
        self._looked_up = set()
        for import_field in self.get_import_fields():
            if (
                not import_field.attribute
                or import_field.readonly
                or import_field.column_name not in present
            ):
                continue
            attribute = import_field.attribute
            if "__" in attribute:
                # A resource design error, found when the file's columns are first planned.
                raise ImproperlyConfigured(
                    f"{type(self).__name__}.{import_field.column_name}: a bulk import sets the "
                    f"model's own fields only, not {attribute!r}"
                )
            model_field = _model_field(model, attribute)
            rule = _blank_rule(model_field) if model_field is not None else None
            self._import_plan.append(
                (
                    import_field.column_name,
                    attribute,
                    import_field.widget.clean,
                    import_field.default,
                    import_field.empty_values,
                    import_field.saves_null_values,
                    rule,
                )
            )
            if model_field is None:
                continue
            if isinstance(import_field.widget, LookupWidget):
                self._looked_up.add(model_field.name)  # known to exist: no query per row
            else:
                imported.add(model_field.name)
        # Fields the file does not set keep their defaults (or, updating, the values on
        # file): full_clean would check them again for every row, to the same result.
        self._validation_plan = [
            (f.name, f.attname, f.blank, f.empty_values, _field_cleaner(f))
            for f in model._meta.concrete_fields
            if f.name in imported and not f.generated
        ]

    # --- one row ------------------------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        """ModelResource.import_instance + BaseResource.import_field, per the plan."""
        errors = {}
        for column, attribute, clean, default, empty, saves_null, rule in self._import_plan:
            try:
                value = clean(row[column], row=row, **kwargs)
            except ValueError as exc:
                errors[attribute] = ValidationError(force_str(exc), code="invalid")
                continue
            if default is not NOT_PROVIDED and value in empty:
                value = default() if callable(default) else default
            if value is not None or saves_null:
                setattr(instance, attribute, value)
            if rule is not None:
                rule(instance)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """BaseResource.validate_instance: Model.full_clean over the fields the file sets."""
        errors = dict(import_validation_errors or {})
        model_errors: dict = {}
        for name, attname, blank, empty, clean in self._validation_plan:
            if name in errors:
                continue
            raw = getattr(instance, attname)
            if blank and raw in empty:
                continue
            try:
                setattr(instance, attname, clean(raw, instance))
            except ValidationError as exc:
                model_errors[name] = exc.error_list
        try:
            instance.clean()
        except ValidationError as exc:
            model_errors = exc.update_error_dict(model_errors)
        # As full_clean: unique and constraint checks leave out the fields already refused.
        exclude = {
            *errors,
            *self._looked_up,
            *(n for n in model_errors if n != NON_FIELD_ERRORS),
        }
        if validate_unique and self.validate_unique_per_row():
            try:
                instance.validate_unique(exclude=exclude)
            except ValidationError as exc:
                model_errors = exc.update_error_dict(model_errors)
        if self.validate_db_constraints:
            try:
                instance.validate_constraints(exclude=exclude)
            except ValidationError as exc:
                model_errors = exc.update_error_dict(model_errors)
        if model_errors:
            errors = _unique_errors_by_field(ValidationError(model_errors)).update_error_dict(
                errors
            )
        errors.update(self.extra_row_errors(instance))
        if errors:
            raise ValidationError(errors)

    def chunk_size(self) -> int:
        """Rows per chunk: Meta.batch_size, or fewer where the database takes fewer rows in
        one INSERT (SQLite's 999 parameters), so that a chunk is one statement per table."""
        size = self._meta.batch_size
        model = self._meta.model
        ops = connections[self.get_db_connection_name()].ops
        for table in (model, getattr(getattr(model, "history", None), "model", None)):
            if table is not None:
                fields = [f for f in table._meta.concrete_fields if not f.generated]
                size = min(size, ops.bulk_batch_size(fields, [None] * size))
        return max(size, 1)

    def before_chunk(self, rows: list[dict]) -> None:
        """Load what the chunk's rows will look up (records on file for their keys)."""

    # --- the whole file -----------------------------------------------------------------------

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        result = self.get_result_class()()
        result.keep = self.keep_row_results
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        db_connection = self.get_db_connection_name()
        self._wrote = False
        try:
            with atomic_if_using_transaction(using_transactions, using=db_connection):
                self.before_import(dataset, **kwargs)
            self._check_import_id_fields(dataset.headers)
        except Exception as e:
            self.handle_import_error(result, e, raise_errors)
        instance_loader = self._meta.instance_loader_class(self, dataset)
        result.total_rows = len(dataset)
        if collect_failed_rows:
            result.add_dataset_headers(dataset.headers)
        headers = dataset.headers
        self._plan(headers)
        kwargs.update({"dry_run": dry_run, "using_transactions": using_transactions})
        failed = bool(result.base_errors)
        numbered = enumerate(dataset, 1)
        size = self.chunk_size()
        while chunk := [
            (i, OrderedDict(zip(headers, values, strict=False)))
            for i, values in islice(numbered, size)
        ]:
            self.before_chunk([row for _i, row in chunk])
            for i, row in chunk:
                kwargs["row_number"] = i
                row_result = self.import_row(row, instance_loader, **kwargs)
                result.increment_row_result_total(row_result)
                if row_result.errors:
                    failed = True
                    result.append_error_row(i, row, row_result.errors)
                    if collect_failed_rows:
                        result.append_failed_row(row, row_result.errors[0])
                    if raise_errors:
                        from import_export import exceptions

                        raise exceptions.ImportError(row_result.errors[-1].error, number=i, row=row)
                elif row_result.validation_error:
                    failed = True
                    result.append_invalid_row(i, row, row_result.validation_error)
                    if collect_failed_rows:
                        result.append_failed_row(row, row_result.validation_error)
                    if raise_errors:
                        from import_export import exceptions

                        raise exceptions.ImportError(row_result.validation_error, number=i, row=row)
                if (
                    row_result.import_type != RowResult.IMPORT_TYPE_SKIP
                    or self._meta.report_skipped
                ):
                    result.append_row_result(row_result)
            if failed:
                # All or nothing: the file will be rolled back, so nothing more is written.
                self.create_instances.clear()
                self.update_instances.clear()
                continue
            self.bulk_create(using_transactions, dry_run, raise_errors, result=result)
            self.bulk_update(using_transactions, dry_run, raise_errors, result=result)
            failed = bool(result.base_errors)
        try:
            with atomic_if_using_transaction(using_transactions, using=db_connection):
                self.after_import(dataset, result, **kwargs)
        except Exception as e:
            self.handle_import_error(result, e, raise_errors)
        return result

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self._wrote and not kwargs.get("dry_run"):
            figures.mark_changed("Excel import")  # bulk writes send no model signals

    # --- writes ---------------------------------------------------------------------------

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(self.create_instances, "+", using_transactions, dry_run, raise_errors, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(self.update_instances, "~", using_transactions, dry_run, raise_errors, result)

    def _write(self, instances, kind, using_transactions, dry_run, raise_errors, result) -> None:
        """Write a chunk's new ('+') or corrected ('~') records, and (not in a dry run) their
        history rows. A refusal by the database rolls back to the chunk's savepoint, so the
        transaction stays usable and the rest of the file is still validated and reported."""
        if not instances or not (using_transactions or not dry_run):
            instances.clear()
            return
        model = self._meta.model
        using = self.get_db_connection_name()
        user = self.history_user if getattr(self.history_user, "pk", None) else None
        try:
            with atomic_if_using_transaction(using_transactions, using=using):
                written = None
                if kind == "+":
                    written = insert_new(model, instances, using=using)
                else:
                    model._default_manager.using(using).bulk_update(
                        instances, self.get_bulk_update_fields()
                    )
                if not dry_run:
                    self._wrote = True
                    if hasattr(model, "history"):
                        insert_history(
                            model,
                            instances,
                            using=using,
                            history_type=kind,
                            user=user,
                            reason=CHANGE_REASON,
                            written=written,
                        )
        except Exception as e:
            self.handle_import_error(result, e, raise_errors)
        finally:
            instances.clear()
