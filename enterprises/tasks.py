"""Daily ladder reminders (run by Celery beat; see docs/enterprises.md for the schedule)."""

import datetime

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from . import selectors

REMINDER_CACHE_KEY = "enterprises:ladder-reminders"


@shared_task(time_limit=300, soft_time_limit=240, autoretry_for=(ConnectionError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def refresh_ladder_reminders(day: str | None = None) -> dict:
    """List titles expiring within 180 days and last year's tech-SME registrations not yet
    renewed, and keep the digest (ids, counts, when) in the cache for staff pages."""
    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    lists = selectors.reminders(on)
    digest = {
        "day": on.isoformat(),
        "checked_at": timezone.now().isoformat(),
        "expiring": list(lists["expiring"].values_list("pk", flat=True)),
        "not_renewed": list(lists["not_renewed"].values_list("pk", flat=True)),
    }
    cache.set(REMINDER_CACHE_KEY, digest, timeout=2 * 24 * 3600)
    return {"expiring": len(digest["expiring"]), "not_renewed": len(digest["not_renewed"])}


def latest_digest() -> dict | None:
    return cache.get(REMINDER_CACHE_KEY)


# --- Pre-screening results (enterprises.prescreening) ------------------------------------------


@shared_task(time_limit=600, soft_time_limit=540, autoretry_for=(ConnectionError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def refresh_prescreen_enterprises(enterprise_ids: list[int]) -> int:
    """Recompute the pre-screening results of these enterprises (their facts changed)."""
    from . import prescreening

    return prescreening.refresh_enterprises(enterprise_ids)


@shared_task(time_limit=60 * 60, soft_time_limit=58 * 60, autoretry_for=(ConnectionError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def refresh_prescreen_all(kind: str | None = None) -> int:
    """Recompute every active enterprise's pre-screening results (nightly, and when the rules,
    the kinds or the rule set in force change), keeping its progress for the list pages."""
    from . import prescreening

    try:
        return prescreening.refresh_all(kind_code=kind or None, progress=prescreening.set_progress)
    finally:
        prescreening.clear_refresh_state()
