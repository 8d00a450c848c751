"""Benchmark: the pre-screening lists read from kept results (issue 16), at N enterprises.

    DATABASE_URL=… .venv/bin/python manage.py seed_demo --scale 10000   # ends with the refresh
    DATABASE_URL=… .venv/bin/python bench/enterprises_prescreen.py [--runs 20] [--export-kinds 1]

Measures, in one run:
- the full refresh (`prescreening.refresh_all`: every active enterprise, every kind), in a
  fresh process: wall time, rows written, peak RSS of that process;
- the list page through Django's test client as bureau staff: `--runs` GETs cycling through the
  kinds with filters (zone, size, tier, outcome), sorts and pages (first, middle, last):
  median and p95 server time, queries, and the peak Python memory one request allocates
  (tracemalloc, measured on separate GETs so that tracing does not slow the timed ones), for the
  first and the last page;
- the Excel export of a kind's whole list (streamed): wall time, rows, peak Python memory.
Writes `bench/results/prescreen-<vendor>-<N>.json` and prints it as the last line.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")


def setup() -> None:
    import django

    django.setup()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def refresh_child() -> None:
    """In a fresh process: one full refresh."""
    setup()
    from enterprises import prescreening

    start = time.perf_counter()
    rows = prescreening.refresh_all()
    print(
        json.dumps(
            {
                "seconds": round(time.perf_counter() - start, 1),
                "rows": rows,
                "peak_rss_mib": round(peak_rss_mib(), 1),
            }
        )
    )


def child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _client():
    from django.contrib.auth.models import Group
    from django.test import Client

    from bureau.models import User
    from bureau.roles import Role

    user, _created = User.objects.get_or_create(username="bench-staff")
    user.groups.add(Group.objects.get(name=Role.BUREAU_STAFF.group_name))
    client = Client()
    client.force_login(user)
    return client


def _urls() -> list[tuple[str, dict]]:
    """A mix of what staff open: each kind, filtered, sorted, paged."""
    from django.utils import timezone

    from enterprises import eligibility
    from enterprises.models import ParkZone, PrescreenResult, QualificationKind
    from enterprises.views import PRESCREEN_PAGE

    rule_set = eligibility.rule_set_for(timezone.localdate()).version
    zones = list(ParkZone.objects.order_by("pk").values_list("pk", flat=True)[:3])
    kinds = list(QualificationKind.objects.filter(is_active=True).exclude(rule_family=""))
    urls = []
    for i, kind in enumerate(kinds):
        base = f"/ladder/prescreen/{kind.code}/"
        listed = PrescreenResult.objects.filter(kind=kind, rule_set=rule_set, holds_kind=False)
        last = max(1, (listed.count() + PRESCREEN_PAGE - 1) // PRESCREEN_PAGE)
        urls += [
            (base, {}),
            (base, {"zone": zones[i % len(zones)]} if zones else {}),
            (base, {"size_class": "small", "outcome": "cannot_tell"}),
            (base, {"tier": "none", "sort": "-score", "page": max(1, last // 2)}),
            (base, {"page": last}),
        ]
    return urls


def page_timings(runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client()
    urls = _urls()
    for url, params in urls[:3]:  # warm-up: resolver, templates, connection
        client.get(url, params)
    times, queries = [], []
    for n in range(runs):
        url, params = urls[n % len(urls)]
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, params, response.status_code)
        assert "尚未计算".encode() not in response.content, "no results: run the refresh"
        queries.append(len(ctx.captured_queries))
    times.sort()
    memory = {}
    for label, (url, params) in (("first_page", urls[0]), ("last_page", urls[4])):
        tracemalloc.start()
        client.get(url, params)
        memory[label] = round(tracemalloc.get_traced_memory()[1] / 2**20, 2)
        tracemalloc.stop()
    return {
        "runs": runs,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 1),
        "max_ms": round(times[-1], 1),
        "queries_max": max(queries),
        "peak_python_mib_per_request": memory,
    }


def export_timing(code: str) -> dict:
    import openpyxl

    client = _client()
    start = time.perf_counter()
    response = client.get(f"/ladder/prescreen/{code}/", {"export": "xlsx"})
    body = b"".join(response.streaming_content)
    elapsed = time.perf_counter() - start
    # Memory on a second, untimed export: tracing slows Python several times over.
    tracemalloc.start()
    b"".join(client.get(f"/ladder/prescreen/{code}/", {"export": "xlsx"}).streaming_content)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    rows = sum(1 for _row in sheet.iter_rows(min_row=3, values_only=True))
    return {
        "kind": code,
        "seconds": round(elapsed, 2),
        "rows": rows,
        "kib": round(len(body) / 1024),
        "peak_python_mib": round(peak, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--refresh-child", action="store_true")
    parser.add_argument("--skip-refresh", action="store_true")
    parser.add_argument("--export-kinds", nargs="*", default=["hitech"])
    args = parser.parse_args()
    if args.refresh_child:
        refresh_child()
        return
    setup()
    from django.db import connection

    from enterprises.models import Enterprise, PrescreenResult

    n = Enterprise.objects.count()
    result = {
        "enterprises": n,
        "database": f"{connection.vendor} {connection.cursor().connection.info.server_version}"
        if connection.vendor == "postgresql"
        else connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared), "
        f"Python {platform.python_version()}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    print(f"# {n:,} enterprises on {result['database']}", file=sys.stderr)
    if not args.skip_refresh:
        result["refresh"] = child("--refresh-child")
        print(f"# refresh: {result['refresh']}", file=sys.stderr)
    result["result_rows"] = PrescreenResult.objects.count()
    result["page"] = page_timings(args.runs)
    print(f"# page: {result['page']}", file=sys.stderr)
    result["export"] = [export_timing(code) for code in args.export_kinds]
    print(f"# export: {result['export']}", file=sys.stderr)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"prescreen-{connection.vendor}-{n}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
