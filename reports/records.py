"""The records behind a figure as table rows (headers + values), for appendices and sheets.

Works on any model: concrete fields in declaration order, foreign keys shown by their string
(fetched with select_related, so a table costs one query whatever its length), choices by
their label, money fields (verbose name ending in 元) converted to 万元.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import QuerySet

SKIPPED = {"id", "created_at", "updated_at", "password", "status_changed_at"}


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


def rows(records: QuerySet, limit: int | None = None) -> tuple[list[Column], Iterator[list]]:
    cols, qs = prepared(records)
    if limit is not None:
        qs = qs[:limit]
        iterable = iter(qs)
    else:
        iterable = qs.iterator(chunk_size=2000)
    return cols, ([cell_value(obj, c) for c in cols] for obj in iterable)
