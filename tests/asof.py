"""Helpers of the status-as-of-period-end tests (DESIGN.md: "A figure is the state at its
period's end"): move a pipeline record through dated steps, and date a simple-history change."""

import datetime
from zoneinfo import ZoneInfo

from django.db import models

from bureau.models import Application, ApplicationStatus
from bureau.services import record_initial_status, transition_application

TZ = ZoneInfo("Asia/Shanghai")


def at(day: str) -> datetime.datetime:
    """10:00 on `day` (ISO date) in the portal's time zone."""
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(10), TZ)


def flow(app: Application, *steps: tuple[str, str], **approval) -> Application:
    """Create `app` (unsaved) in the first step's status on its day, then move it through the
    other steps on theirs; an approval is dated (认定日期) on its day, with `approval` fields."""
    (status, day), *rest = steps
    app.status, app.status_changed_at = status, at(day)
    if status == ApplicationStatus.APPROVED and app.approved_on is None:
        app.approved_on = datetime.date.fromisoformat(day)
    app._history_date = at(day)
    app.save()
    record_initial_status(app)
    for status, day in rest:
        fields = dict(approval) if status == ApplicationStatus.APPROVED else {}
        if status == ApplicationStatus.APPROVED:
            fields.setdefault("approved_on", datetime.date.fromisoformat(day))
        app._history_date = at(day)
        transition_application(app, status, at=at(day), **fields)
    return app


def save_on(instance: models.Model, day: str, **changes) -> models.Model:
    """Save `instance` with `changes` as if on `day`: its history row carries that date, and
    so do its own timestamps (created_at on creation, updated_at), as the clock would."""
    creating = instance.pk is None
    for name, value in changes.items():
        setattr(instance, name, value)
    instance._history_date = at(day)
    instance.save()
    stamps = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            if field.auto_now or (creating and field.auto_now_add):
                stamps[field.name] = at(day)
    if stamps:
        type(instance)._default_manager.filter(pk=instance.pk).update(**stamps)
        for name, value in stamps.items():
            setattr(instance, name, value)
    return instance


def pks(figure) -> set[int]:
    """The primary keys of the records behind a figure (its drill-down rows)."""
    return set(figure.records.values_list("pk", flat=True))
