"""Receipts (回执) of what an enterprise filed through the portal: what, when, by whom, under
which reference number. Each app builds its receipt from its own record; one template
(templates/portal/receipt.html, with static/bureau/print.css) prints them all."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

# Reference prefixes, one per kind of filing.
NEED = "RZ"  # 融资需求
DEMAND = "JS"  # 技术需求
QUARTERLY = "JB"  # 季度数据
ANNUAL = "NB"  # 年度数据
ASSESSMENT = "PC"  # 数字化评测


def reference_number(prefix: str, filed: datetime.date | datetime.datetime, pk: int) -> str:
    """A stable reference for a filing: prefix, the day it was first filed, the record's id
    (e.g. RZ-20261202-000042); the same record always prints the same reference."""
    if isinstance(filed, datetime.datetime):
        filed = timezone.localtime(filed).date()
    return f"{prefix}-{filed:%Y%m%d}-{pk:06d}"


@dataclass(frozen=True)
class Receipt:
    """`rows` are (label, value) pairs as printed; `filed_at` is when it was first filed,
    `updated_at` its last change (None when never changed since)."""

    title: str
    reference: str
    enterprise: str
    credit_code: str
    filed_at: datetime.datetime | datetime.date | None
    filed_by: str
    status: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    updated_at: datetime.datetime | None = None
    back_url: str = ""


def first_and_last_change(record: models.Model) -> tuple:
    """The record's first and latest history entries (django-simple-history), or Nones."""
    history = record.history.select_related("history_user").order_by("history_id")
    return history.first(), history.last()


def person(user) -> str:
    """Who filed: the account's name, or a note that nobody signed in did (an import)."""
    if user is None:
        return _("系统（导入或后台任务）")
    return str(user)


def text(value) -> str:
    """A value as printed on a receipt: '—' for nothing, 是/否 for booleans."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def wan(amount) -> str:
    """An amount in 元 printed in 万元 without trailing zeros ('—' for none)."""
    if amount is None:
        return "—"
    value = (Decimal(amount) / 10000).normalize()
    return f"{value:f}"


def field_rows(instance: models.Model, *, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(label, value) for each field the enterprise fills in, in the model's order: not the
    id, the relations or the bookkeeping times."""
    rows = []
    for f in instance._meta.concrete_fields:
        if f.primary_key or f.is_relation or f.name in skip or not f.editable:
            continue
        value = getattr(instance, f.attname)
        if isinstance(value, Decimal):
            value = f"{value:,.2f}"
        rows.append((str(f.verbose_name), text(value)))
    return rows
