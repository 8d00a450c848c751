"""Benchmarks of the reports app on the current database (seed it first):

    python manage.py seed_demo --scale 10000
    python bench/reports_bench.py [--runs 30]

Measures the dashboard's and the summary preview's server time (median, 95th percentile)
through Django's test client as a leadership user, the Word and Excel exports (time, peak
Python memory), and the Excel writer's rows per second against openpyxl's plain write-only
mode on the same cells in the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")

import django  # noqa: E402

django.setup()

import io  # noqa: E402

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from bureau.models import User  # noqa: E402
from bureau.roles import Role  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402
from reports import excel, exports, records, services  # noqa: E402
from reports.selectors import collect  # noqa: E402


def timed(fn, runs: int) -> tuple[float, float, int]:
    """(median ms, p95 ms, queries of the last run)."""
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, queries


def leader_client() -> Client:
    from django.contrib.auth.models import Group

    user, created = User.objects.get_or_create(username="bench-leader")
    if created:
        user.groups.add(Group.objects.get(name=Role.LEADERSHIP.group_name))
    client = Client()
    client.force_login(user)
    return client


def excel_throughput(year: int) -> dict:
    """Our writer vs openpyxl's plain write-only append, on the same rows."""
    figures = collect(year)
    tables = []
    for fig in figures.values():
        if fig.records is None:
            continue
        cols, rows = records.rows(fig.records)
        tables.append(([c.header for c in cols], [c.kind for c in cols], list(rows)))
    n_rows = sum(len(t[2]) for t in tables)

    start = time.perf_counter()
    wb = Workbook(write_only=True)
    for headers, _kinds, rows in tables:
        ws = wb.create_sheet()
        ws.append(headers)
        for row in rows:
            ws.append(row)
    wb.save(io.BytesIO())
    plain = time.perf_counter() - start

    start = time.perf_counter()
    excel.write_workbook(
        [
            excel.Sheet(f"s{i}", "bench", [excel.Table("", headers, rows, kinds)])
            for i, (headers, kinds, rows) in enumerate(tables)
        ]
    )
    ours = time.perf_counter() - start
    return {
        "rows": n_rows,
        "plain_rows_per_s": n_rows / plain if plain else 0,
        "ours_rows_per_s": n_rows / ours if ours else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    summary = services.ensure_summary(args.year)
    if not summary.figures_snapshot:
        services.regenerate(summary)
    client = leader_client()
    print(f"# reports bench: {Enterprise.objects.count():,} enterprises, {connection.vendor}")
    print(
        f"# {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )

    for name, url in [
        ("dashboard", f"/dashboard/?year={args.year}"),
        ("summary preview", f"/summaries/{args.year}/"),
    ]:
        median, p95, queries = timed(lambda url=url: client.get(url), args.runs)
        print(f"{name:18s} median {median:8.1f} ms  p95 {p95:8.1f} ms  queries {queries}")

    for fmt, builder in [("docx", exports.build_docx), ("xlsx", exports.build_xlsx)]:
        tracemalloc.start()
        start = time.perf_counter()
        data = builder(summary.pk)
        elapsed = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"export {fmt:11s} {elapsed * 1000:8.1f} ms  {len(data) / 1024:8.1f} KiB  "
            f"peak Python memory {peak / 2**20:7.1f} MiB"
        )

    t = excel_throughput(args.year)
    ratio = t["ours_rows_per_s"] / t["plain_rows_per_s"] if t["plain_rows_per_s"] else 0
    print(
        f"excel rows {t['rows']:,}: ours {t['ours_rows_per_s']:,.0f} rows/s, openpyxl "
        f"write-only {t['plain_rows_per_s']:,.0f} rows/s, ratio {ratio:.2f} (target ≥ 0.5)"
    )


if __name__ == "__main__":
    main()
