"""Celery tasks of the notifications app: they take ids and plain values and call a service."""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import events, services
from .models import Delivery, DeliveryStatus


@shared_task(time_limit=120, soft_time_limit=100, ignore_result=True)
def send_deliveries(ids: list[int]) -> dict:
    """Send the pending e-mail/SMS deliveries among `ids` (idempotent: sent ones are skipped)."""
    return services.send_deliveries(ids)


@shared_task(time_limit=300, soft_time_limit=240, ignore_result=True)
def sweep_deliveries() -> int:
    """Send deliveries left pending (a broker that refused the task, a transient failure)
    for more than a minute; returns how many were tried."""
    before = timezone.now() - datetime.timedelta(minutes=1)
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, created__lt=before)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    if ids:
        services.send_deliveries(ids)
    return len(ids)


@shared_task(time_limit=600, soft_time_limit=540)
def daily_notices(day: str | None = None) -> dict:
    """Periods about to close and qualifications expiring: each told once (dedupe keys)."""
    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return {
        "period_closing": events.periods_closing(on, settings.PERIOD_CLOSING_NOTICE_DAYS),
        "qualification_expiring": events.qualifications_expiring(on),
    }
