"""The records behind a figure as table rows (headers + values), for appendices and sheets.

Works on any model: concrete fields in declaration order, foreign keys shown by their string,
choices by their label, money fields (verbose name ending in 元) converted to 万元.

Rows are read as plain values (`values_list`), not model instances: a figure can stand on
100,000 records, and building an instance (and one per joined foreign key) for each of them
was most of an export's time. A foreign key's string comes from the related model's own
`__str__`, computed once per distinct related row (one query per foreign-key column, whatever
the number of records), so a table reads exactly as `str(obj.fk)` would.

Personal data (people's names, phones, e-mails, ID numbers: a talent's, a legal
representative's, a contact's) is masked as on screen (`talent.masking`) unless the export is
made for a user who may see it unmasked; `Disclosure` then collects which records' personal
data went into the file, so that the export can be logged like an unmasked view.
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

from talent.masking import mask_email, mask_name, mask_phone

SKIPPED = {"id", "created_at", "updated_at", "password", "status_changed_at"}
WAN = Decimal(10_000)
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    kind: str  # "text" | "int" | "money" | "decimal" | "date" | "fk" | "choice" | "bool"
    personal: str = ""  # "" | "name" | "phone" | "email" | "id": how the value is masked


# Models whose `name` is a person's name (姓名), not an organisation's.
PERSON_MODELS = {"talent.talent", "finance.contact", "bureau.user"}
PERSONAL_NAME_FIELDS = {"legal_representative", "contact_person", "contact_name", "full_name"}
MASKS: dict[str, Callable[[str], str]] = {
    "name": mask_name,
    "phone": mask_phone,
    "email": mask_email,
    "id": mask_phone,  # an ID number keeps its last two characters only
}


def personal_kind(model, field: models.Field) -> str:
    """How a field's value is personal data ("" when it is not)."""
    name = field.name
    if isinstance(field, models.EmailField) or "email" in name:
        return "email"
    if "phone" in name or "mobile" in name:
        return "phone"
    if "id_number" in name or "id_card" in name:
        return "id"
    if name in PERSONAL_NAME_FIELDS:
        return "name"
    if name == "name" and model._meta.label_lower in PERSON_MODELS:
        return "name"
    return ""


def personal_fields(model) -> list[tuple[str, str]]:
    """(attribute name, kind) of the model's personal fields."""
    result = []
    for f in model._meta.concrete_fields:
        kind = personal_kind(model, f)
        if kind:
            result.append((f.attname, kind))
    return result


def mask_value(value, kind: str):
    if not kind or not isinstance(value, str) or not value:
        return value
    return MASKS[kind](value)


def masked_str(obj) -> str:
    """`str(obj)` with each of its personal values replaced by the masked value."""
    text = str(obj)
    for attname, kind in personal_fields(type(obj)):
        value = getattr(obj, attname, None)
        if isinstance(value, str) and value and value in text:
            text = text.replace(value, MASKS[kind](value))
    return text


class Disclosure:
    """The records whose personal data an unmasked export carries, by model label."""

    def __init__(self) -> None:
        self.records: dict[str, set] = {}

    def add(self, model, pks) -> None:
        self.records.setdefault(model._meta.label_lower, set()).update(
            pk for pk in pks if pk is not None
        )

    def __bool__(self) -> bool:
        return any(self.records.values())


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
        cols.append(Column(f.name, header, kind, personal_kind(model, f)))
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


def _fk_labels(field: models.ForeignKey, pks, *, unmask: bool = True) -> dict:
    """`str()` of each related row whose key is in `pks` (a list or a subquery), keyed by the
    value the foreign key stores; the related rows' own foreign keys are joined, since many
    `__str__` name them. Without `unmask`, personal values in the string are masked."""
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
    label = str if unmask or not personal_fields(related) else masked_str
    return {getattr(obj, target): label(obj) for obj in qs.iterator(chunk_size=2000)}


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


def _masking(convert: Callable | None, kind: str) -> Callable:
    """The cell converter followed by the personal value's mask."""
    mask = MASKS[kind]

    def masked(value):
        if convert is not None:
            value = convert(value)
        return mask(value) if isinstance(value, str) and value else value

    return masked


def rows(
    records: QuerySet,
    limit: int | None = None,
    *,
    unmask: bool = False,
    disclosure: Disclosure | None = None,
) -> tuple[list[Column], Iterator[list]]:
    """The table's columns and its rows, each cell as `cell_value` gives it; one query for the
    rows and one per foreign-key column, however many records there are.

    Personal data is masked unless `unmask`; with `unmask`, the records (and related rows)
    whose personal data the rows carry are added to `disclosure`."""
    model = records.model
    cols = columns_for(model)
    fields = [model._meta.get_field(c.name) for c in cols]
    own_personal = any(c.personal for c in cols)
    personal_fks = [
        i
        for i, (c, f) in enumerate(zip(cols, fields, strict=True))
        if c.kind == "fk" and personal_fields(f.related_model)
    ]
    # The primary key rides along (last) only to tell the disclosure which records it names.
    track = unmask and disclosure is not None and own_personal
    attnames = [f.attname for f in fields] + (["pk"] if track else [])
    values = records.values_list(*attnames)

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
                labels = _fk_labels(field, pks, unmask=unmask)
                if unmask and disclosure is not None and i in personal_fks:
                    disclosure.add(field.related_model, labels.keys())
            convert = _converter(col, field, labels)
            if col.personal and not unmask:
                convert = _masking(convert, col.personal)
            converters.append(convert)
        pairs = [(i, c) for i, c in enumerate(converters) if c is not None]
        n = len(cols)
        seen: list = []
        for row in data:
            if track:
                seen.append(row[n])
            out = list(row[:n]) if track else list(row)
            for i, convert in pairs:
                out[i] = convert(out[i])
            yield out
        if track:
            disclosure.add(model, seen)

    return cols, generate()
