"""The enterprise's own items (我的事项): every need, demand, application and filing it has
submitted, one row each, with its status in words, when it last changed and where to see it.

An app with records an enterprise submits defines `portal_items(user) -> list[PortalItem]` in
its `selectors.py` (its own ownership gate, a constant number of queries); this module collects
them, like bureau.reminders.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models

from .reminders import _sources


@dataclass(frozen=True)
class PortalItem:
    """One row of 我的事项. `submitted` is the day it was filed; `changed` its last change."""

    kind: str
    title: str
    submitted: datetime.date | None
    status: str
    changed: datetime.datetime | datetime.date | None
    url: str
    receipt_url: str = ""
    open: bool = False  # still waiting on the bureau or the enterprise

    @property
    def sort_key(self) -> tuple:
        changed = self.changed
        if isinstance(changed, datetime.datetime):
            changed = changed.date()
        return (changed or self.submitted or datetime.date.min, self.submitted or datetime.date.min)


def latest_history_date(model: type[models.Model]) -> models.Subquery:
    """The record's latest history entry's time, as a subquery to annotate a list with (no
    query per row)."""
    history = model.history.model
    return models.Subquery(
        history._default_manager.filter(**{model._meta.pk.attname: models.OuterRef("pk")})
        .order_by("-history_id")
        .values("history_date")[:1]
    )


def portal_items(user) -> list[PortalItem]:
    """Every app's items of the user's enterprise, the most recently changed first."""
    items = [item for source in _sources("portal_items") for item in source(user)]
    return sorted(items, key=lambda item: item.sort_key, reverse=True)
