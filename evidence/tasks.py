"""Celery tasks of the evidence locker: they take plain values and call a service."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(time_limit=600, soft_time_limit=540)
def notify_expiring_documents(day: str | None = None) -> int:
    """Documents expiring within EVIDENCE_EXPIRING_DAYS: each enterprise told once per
    document (dedupe keys), so running twice a day tells nobody twice."""
    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return services.notify_all_expiring(on)
