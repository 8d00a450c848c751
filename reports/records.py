"""The records behind a figure as table rows (headers + values), for appendices and sheets.

Works on any model: concrete fields in declaration order, foreign keys shown by their string,
choices by their label, money fields (verbose name ending in 元) converted to 万元.

Rows are read as plain values (`values_list`), not model instances: a figure can stand on
100,000 records, and building an instance (and one per joined foreign key) for each of them
was most of an export's time. A foreign key's string comes from the related model's own
`__str__`, computed once per distinct related row (one query per foreign-key column, whatever
the number of records), so a table reads exactly as `str(obj.fk)` would.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import QuerySet
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

SKIPPED = {"id", "created_at", "updated_at", "password", "status_changed_at"}
WAN = Decimal(10_000)
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    kind: str  # "text" | "int" | "money" | "decimal" | "date" | "fk" | "choice" | "bool"


def columns_for(model) -> list[Column]:
    cols = []
    for f in model._meta.concrete_fields:
        if f.name in SKIPPED or f.name.startswith("_"):
            continue
        header = str(f.verbose_name)
        if isinstance(f, models.ForeignKey):
            kind = "fk"
        elif f.choices:
            kind = "choice"
        elif isinstance(f, models.DecimalField):
            if header.endswith("（元）") or header.endswith("(元)"):
                kind = "money"
                header = header.replace("（元）", "（万元）").replace("(元)", "(万元)")
            else:
                kind = "decimal"
        elif isinstance(f, models.BooleanField):
            kind = "bool"
        elif isinstance(f, models.IntegerField):
            kind = "int"
        elif isinstance(f, models.DateField | models.DateTimeField):
            kind = "date"
        elif isinstance(f, models.TextField):
            continue  # long free text stays out of tables
        else:
            kind = "text"
        cols.append(Column(f.name, header, kind))
    return cols


def cell_value(obj, col: Column):
    """One cell from a model instance; `rows` gives the same values without instances."""
    if col.kind == "fk":
        related = getattr(obj, col.name)
        return "" if related is None else str(related)
    if col.kind == "choice":
        return getattr(obj, f"get_{col.name}_display")()
    value = getattr(obj, col.name)
    if value is None:
        return None
    if col.kind == "money":
        return (Decimal(value) / 10_000).quantize(Decimal("0.01"))
    if col.kind == "bool":
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return value


def prepared(records: QuerySet) -> tuple[list[Column], QuerySet]:
    """The columns and the queryset with its foreign keys joined (one query per table)."""
    cols = columns_for(records.model)
    fks = [c.name for c in cols if c.kind == "fk"]
    return cols, (records.select_related(*fks) if fks else records)


def _fk_labels(field: models.ForeignKey, pks) -> dict:
    """`str()` of each related row whose key is in `pks` (a list or a subquery), keyed by the
    value the foreign key stores; the related rows' own foreign keys are joined, since many
    `__str__` name them."""
    related = field.related_model
    own_fks = [
        f.name
        for f in related._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.remote_field.model is not related
    ]
    target = field.target_field.attname
    qs = related._base_manager.filter(**{f"{field.target_field.name}__in": pks})
    if own_fks:
        qs = qs.select_related(*own_fks)
    return {getattr(obj, target): str(obj) for obj in qs.iterator(chunk_size=2000)}


def _converter(col: Column, field: models.Field, labels: dict | None) -> Callable | None:
    """A function from the stored value to the cell's value, None when it is the value."""
    if col.kind == "fk":
        assert labels is not None
        return lambda v: "" if v is None else labels.get(v, "")
    if col.kind == "choice":
        display = {k: force_str(v, strings_only=True) for k, v in make_hashable(field.flatchoices)}

        def choice(v):
            try:
                return display.get(v, v)
            except TypeError:  # an unhashable stored value (a list): as get_FOO_display
                return force_str(display.get(make_hashable(v), v), strings_only=True)

        return choice
    if col.kind == "money":
        return lambda v: None if v is None else (Decimal(v) / WAN).quantize(CENTS)
    if col.kind == "bool":
        return lambda v: None if v is None else ("是" if v else "否")
    if col.kind == "date" and isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else v.replace(tzinfo=None)
    return None


def rows(records: QuerySet, limit: int | None = None) -> tuple[list[Column], Iterator[list]]:
    """The table's columns and its rows, each cell as `cell_value` gives it; one query for the
    rows and one per foreign-key column, however many records there are."""
    model = records.model
    cols = columns_for(model)
    fields = [model._meta.get_field(c.name) for c in cols]
    values = records.values_list(*[f.attname for f in fields])

    def generate() -> Iterator[list]:
        if limit is not None:
            data = list(values[:limit])
        else:
            data = values.iterator(chunk_size=2000)
        converters = []
        for i, (col, field) in enumerate(zip(cols, fields, strict=True)):
            labels = None
            if col.kind == "fk":
                if limit is not None:
                    pks = {row[i] for row in data if row[i] is not None}
                else:
                    pks = records.values(field.attname)
                labels = _fk_labels(field, pks)
            converters.append(_converter(col, field, labels))
        if all(c is None for c in converters):
            for row in data:
                yield list(row)
            return
        pairs = [(i, c) for i, c in enumerate(converters) if c is not None]
        for row in data:
            out = list(row)
            for i, convert in pairs:
                out[i] = convert(out[i])
            yield out

    return cols, generate()
