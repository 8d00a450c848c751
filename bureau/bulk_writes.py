"""Chunked inserts for imports: new rows and their history rows, one statement per chunk.

On PostgreSQL a chunk goes in by COPY into the real table (its indexes, checks and foreign
keys all apply, inside the caller's transaction), with primary keys drawn from the table's own
sequence first, so that each instance has its pk and its history row can name it. Django's
bulk_create spends more time turning values into SQL parameters than the database spends on
the rows; COPY's text format is built here per column type. Elsewhere (SQLite) it is
bulk_create and simple_history's bulk_history_create.
"""

import datetime
import io
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.utils import timezone

# COPY text format: backslash, tab, newline and carriage return are escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def _text(value: Any) -> str:
    return NULL if value is None else str(value).translate(_ESCAPES)


def _plain(value: Any) -> str:
    return NULL if value is None else str(value)


def _boolean(value: Any) -> str:
    return NULL if value is None else ("t" if value else "f")


def _date(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, datetime.datetime):
        value = models.DateField().to_python(value)  # a datetime: its local date, as Django
    return value.isoformat()


def _decimal(value: Any) -> str:
    if value is None:
        return NULL
    return str(value if isinstance(value, Decimal) else Decimal(str(value)))


def _datetime(value: Any) -> str:
    if value is None:
        return NULL
    if settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value)  # as DateTimeField.get_prep_value does (it warns)
    return value.isoformat()


# Exactly these classes (a subclass may convert its values its own way: Django writes it).
_BY_CLASS: dict[type, Callable[[Any], str]] = {
    models.AutoField: _plain,
    models.BigAutoField: _plain,
    models.SmallAutoField: _plain,
    models.IntegerField: _plain,
    models.BigIntegerField: _plain,
    models.SmallIntegerField: _plain,
    models.PositiveIntegerField: _plain,
    models.PositiveBigIntegerField: _plain,
    models.PositiveSmallIntegerField: _plain,
    models.BooleanField: _boolean,
    models.CharField: _text,
    models.TextField: _text,
    models.EmailField: _text,
    models.SlugField: _text,
    models.URLField: _text,
    models.DecimalField: _decimal,
    models.DateField: _date,
    models.DateTimeField: _datetime,
}


def _converter(field: models.Field) -> Callable[[Any], str] | None:
    """COPY text for `field`'s values, or None for a type this module does not write."""
    if type(field) is models.ForeignKey:
        return _converter(field.target_field)
    return _BY_CLASS.get(type(field))


def _copy_plan(model: type[models.Model]) -> list[tuple[models.Field, Callable]] | None:
    plan = []
    for field in model._meta.concrete_fields:
        if field.generated:
            continue
        convert = _converter(field)
        if convert is None:
            return None
        plan.append((field, convert))
    return plan


def _copy(connection, table: str, columns: Sequence[str], lines: list[str]) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(sql, io.StringIO("\n".join(lines) + "\n"))
    if connection.queries_logged:
        # copy_expert bypasses Django's cursor wrapper: log it as that wrapper would, so
        # that query counts (tests, the debug toolbar) see every statement.
        connection.queries_log.append(
            {"sql": f"{sql} -- {len(lines)} rows", "time": f"{time.monotonic() - started:.3f}"}
        )


def _next_ids(connection, model: type[models.Model], count: int) -> list[int]:
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(meta.db_table), meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _uses_copy(connection, model: type[models.Model]) -> bool:
    return (
        connection.vendor == "postgresql"
        and isinstance(model._meta.pk, models.fields.AutoFieldMixin)
        and _copy_plan(model) is not None
    )


def insert_new(
    model: type[models.Model], instances: list[models.Model], *, using: str
) -> list[str] | None:
    """Insert `instances` (new, unsaved) in one statement; each gets its pk, auto_now and
    auto_now_add values, as Model.save() would give them. Returns the rows as COPY wrote them
    (concrete fields in order), which their history rows repeat; None when not by COPY."""
    if not instances:
        return None
    connection = connections[using]
    if not _uses_copy(connection, model):
        model._default_manager.using(using).bulk_create(instances)
        return None
    plan = _copy_plan(model)
    assert plan is not None
    pk = model._meta.pk
    # Fields that compute their value on save (auto_now, auto_now_add): as bulk_create does.
    presave = [f for f, _c in plan if type(f).pre_save is not models.Field.pre_save]
    for instance, new_id in zip(
        instances, _next_ids(connection, model, len(instances)), strict=True
    ):
        setattr(instance, pk.attname, new_id)
        for field in presave:
            setattr(instance, field.attname, field.pre_save(instance, True))
    attnames = [(f.attname, convert) for f, convert in plan]
    lines = [
        "\t".join([convert(getattr(instance, attname)) for attname, convert in attnames])
        for instance in instances
    ]
    _copy(connection, model._meta.db_table, [f.column for f, _c in plan], lines)
    for instance in instances:
        instance._state.adding = False
        instance._state.db = using
    return lines


def insert_history(
    model: type[models.Model],
    instances: list[models.Model],
    *,
    using: str,
    history_type: str,
    user=None,
    reason: str = "",
    written: list[str] | None = None,
) -> None:
    """The django-simple-history rows of `instances` (just created '+', or updated '~'), all
    by `user` with `reason`, dated now; as HistoryManager.bulk_history_create writes them.
    `written`: insert_new's rows of the same instances, whose cells the history repeats."""
    if not instances or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    manager = model.history
    historical = manager.model
    connection = connections[using]
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
    tracked = list(historical.tracked_fields)
    tracked_names = {f.name for f in tracked}
    extra = [
        f
        for f in historical._meta.concrete_fields
        if f.name not in own and f.name not in tracked_names
    ]
    by_name = {f.name: f for f in historical._meta.concrete_fields}
    plan = _copy_plan(historical)
    if (
        connection.vendor != "postgresql"
        or plan is None
        or extra
        or hasattr(historical, "history_relation")
        or any(
            hasattr(i, name)
            for i in instances
            for name in ("_history_user", "_history_date", "_change_reason")
        )
    ):
        manager.bulk_history_create(
            instances,
            update=history_type == "~",
            default_user=user,
            default_change_reason=reason,
        )
        return
    columns = [by_name[f.name] for f in tracked]
    converters = [(f.attname, _converter(by_name[f.name])) for f in tracked]
    user_id = getattr(user, "pk", None) if user is not None else None
    tail = "\t".join([_datetime(timezone.now()), _text(reason), history_type, _plain(user_id)])
    same_cells = written is not None and [f.name for f in tracked] == [
        f.name for f in model._meta.concrete_fields if not f.generated
    ]
    if same_cells:
        lines = [f"{cells}\t{tail}" for cells in written]
    else:
        lines = [
            "\t".join([convert(getattr(instance, attname)) for attname, convert in converters])
            + "\t"
            + tail
            for instance in instances
        ]
    names = [
        *(f.column for f in columns),
        by_name["history_date"].column,
        by_name["history_change_reason"].column,
        by_name["history_type"].column,
        by_name["history_user"].column,
    ]
    _copy(connection, historical._meta.db_table, names, lines)


__all__ = ["insert_history", "insert_new"]
