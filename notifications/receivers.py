"""Events without an owning service: a reporting period opened (created open in the admin or
by `manage.py periods open`, or unlocked)."""

from django.db.models.signals import post_save, pre_save
from django.utils import timezone

_OLD_STATUS = "_notifications_old_status"


def _remember_status(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    setattr(instance, _OLD_STATUS, old)


def _period_saved(sender, instance, created, raw=False, **kwargs) -> None:
    from bureau.models import PeriodStatus

    from . import events

    if raw or instance.status != PeriodStatus.OPEN:
        return
    if created or getattr(instance, _OLD_STATUS, None) == PeriodStatus.LOCKED:
        events.period_opened(instance, day=timezone.localdate())


def connect() -> None:
    from bureau.models import ReportingPeriod

    pre_save.connect(_remember_status, sender=ReportingPeriod, dispatch_uid="notif-period-pre")
    post_save.connect(_period_saved, sender=ReportingPeriod, dispatch_uid="notif-period-post")
