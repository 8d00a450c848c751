"""Benchmark: pre-screen one kind over 10,000 enterprises with 3 years of figures.

Run against PostgreSQL (the production database):

    DATABASE_URL=postgres://… .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://… .venv/bin/python bench/enterprises_prescreen.py [N]

Creates N synthetic enterprises (default 10,000) with annual figures 2023–2025 if they are
missing, then times `selectors.prescreen` for each kind with rules, counting queries.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

from enterprises import demo, selectors  # noqa: E402
from enterprises.models import AnnualFigures, Enterprise, ParkZone, QualificationKind  # noqa: E402


def ensure(n: int) -> None:
    for order, name in enumerate(demo.ZONES):
        ParkZone.objects.get_or_create(name=name, defaults={"order": order})
    existing = Enterprise.objects.filter(name__contains="号有限公司").count()
    if existing >= n:
        return
    built = bulk_create_with_history(
        demo.build_enterprises(n - existing, start=existing, salt=1), Enterprise, batch_size=2000
    )
    codes = [e.credit_code for e in built]
    firms = list(Enterprise.objects.filter(credit_code__in=codes))
    import random

    rng = random.Random(5)
    rows = [demo._annual(e, y, rng) for e in firms for y in (2023, 2024, 2025)]
    AnnualFigures.objects.bulk_create(rows, batch_size=5000)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    ensure(n)
    day = timezone.localdate()
    total = Enterprise.objects.count()
    print(f"{connection.vendor}, {total} enterprises, assessment date {day}")
    for kind in QualificationKind.objects.exclude(rule_family=""):
        started, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as ctx:
            rows = selectors.prescreen(kind, Enterprise.objects.all(), day)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{kind.code:22} {len(rows):6} rows  {len(ctx.captured_queries)} queries  "
            f"wall {elapsed:.2f}s  python cpu {cpu:.2f}s"
        )


if __name__ == "__main__":
    main()
