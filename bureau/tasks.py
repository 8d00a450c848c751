"""Background work shared by every app: large Excel imports run in a worker.

Tasks take plain values (a dataset name, a file path, a user id) and return plain JSON, so a
real worker and eager mode behave alike.
"""

from celery import shared_task
from django.db import OperationalError


@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=30 * 60,
    time_limit=31 * 60,
)
def import_file(self, dataset: str, path: str, user_id: int | None = None, dry_run: bool = False):
    """Import `path` into `dataset`, all or nothing; returns counts and row errors (Chinese)."""
    from bureau.importing import load_dataset, run_import
    from bureau.management.commands.import_data import available_datasets
    from bureau.models import User

    resource = available_datasets()[dataset]()
    user = User.objects.filter(pk=user_id).first() if user_id else None
    outcome = run_import(resource, load_dataset(path), dry_run=dry_run, user=user)
    return {
        "ok": outcome.ok,
        "total_rows": outcome.total_rows,
        "new": outcome.new,
        "updated": outcome.updated,
        "dry_run": outcome.dry_run,
        "errors": [str(e) for e in outcome.errors[:200]],
        "error_count": len(outcome.errors),
    }


@shared_task(ignore_result=True, expires=55, time_limit=30)
def heartbeat() -> None:
    """Written every minute by beat through a worker: /readyz reads its age (bureau/health.py)."""
    import time

    from django.core.cache import cache

    from bureau.health import HEARTBEAT_KEY

    cache.set(HEARTBEAT_KEY, time.time(), timeout=24 * 3600)
