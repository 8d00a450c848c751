"""Time the incubation figures, the dashboard section and the staff lists on the current DB.

Run after `python manage.py seed_demo --scale 20000`:
    .venv/bin/python bench/incubation_figures.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bureau.models import User  # noqa: E402
from incubation import metrics, selectors  # noqa: E402
from incubation.models import PlatformRecognition, RDPlatform  # noqa: E402


def timed(label: str, fn) -> None:
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
    print(f"{label:<40} {elapsed * 1000:8.1f} ms  {len(ctx.captured_queries):3d} queries")


def main() -> None:
    print(
        f"platforms {RDPlatform.objects.count()}, recognitions {PlatformRecognition.objects.count()}"
    )
    timed("figures(2024)", lambda: metrics.figures(2024))
    timed("dashboard_section(2024)", lambda: selectors.dashboard_section(2024))
    user = User.objects.filter(is_superuser=True).first()
    if user is None:
        print("no superuser: page timings skipped")
        return
    client = Client()
    client.force_login(user)
    for url in (
        "/incubation/?year=2024",
        "/incubation/platforms/",
        "/incubation/recognitions/?level=municipal",
        "/incubation/platforms/?format=xlsx",
    ):
        timed(url, lambda url=url: client.get(url, HTTP_HOST="localhost"))


if __name__ == "__main__":
    main()
