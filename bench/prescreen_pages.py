"""The pre-screening list pages and their export at N enterprises (issue 16).

    DATABASE_URL=postgres://… python bench/prescreen_pages.py [--runs 10]   # → bench/results/

As a staff user through Django's test client, for each qualification kind: the first page,
a page deep in the list, a zone filter with an outcome, a sort by score; server time (median,
p95, queries) and the process's RSS growth over all requests (memory per request must stay
flat in N); then the filtered list's Excel export (streamed), its time and RSS growth. Reads
only the results the refresh keeps (PrescreenResult): nothing is computed per request.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale_bench import setup, timed  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_PAGE_MS = 300


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(runs: int) -> dict:
    setup()
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from bureau.models import User
    from bureau.roles import Role
    from enterprises import selectors
    from enterprises.models import Enterprise, ParkZone, PrescreenResult

    user, created = User.objects.get_or_create(username="bench-staff")
    if created:
        user.groups.add(Group.objects.get(name=Role.BUREAU_STAFF.group_name))
    client = Client()
    client.force_login(user)
    zone = ParkZone.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        durability = "sqlite"
        if connection.vendor == "postgresql":
            cursor.execute("SHOW fsync")
            fsync = cursor.fetchone()[0]
            cursor.execute("SHOW synchronous_commit")
            durability = f"fsync={fsync}, synchronous_commit={cursor.fetchone()[0]}"
    result = {
        "enterprises": Enterprise.objects.count(),
        "results_kept": PrescreenResult.objects.count(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": connection.vendor,
        "durability": durability,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "kinds": {},
    }
    client.get("/ladder/prescreen/tech_sme/")  # the first request's imports and templates
    rss_start = rss_mib()
    for kind in selectors.ladder_kinds():
        base = f"/ladder/prescreen/{kind.code}/"
        urls = {
            "first_page": base,
            "page_50": f"{base}?page=50",
            "zone_and_outcome": f"{base}?zone={zone.pk}&outcome=eligible",
            "by_score": f"{base}?sort=score",
        }
        kind_result = {}
        for name, url in urls.items():
            kind_result[name] = timed(lambda url=url: client.get(url), runs, None)
        before = rss_mib()
        started = time.perf_counter()
        response = client.get(f"{base}?zone={zone.pk}&export=xlsx")
        size = sum(len(chunk) for chunk in response.streaming_content)
        kind_result["export_zone"] = {
            "seconds": round(time.perf_counter() - started, 2),
            "kib": round(size / 1024),
            "rss_growth_mib": round(rss_mib() - before, 1),
        }
        result["kinds"][kind.code] = kind_result
        print(f"# {kind.code}: {kind_result}", file=sys.stderr)
    result["rss_growth_mib"] = round(rss_mib() - rss_start, 1)
    pages = [t for k in result["kinds"].values() for n, t in k.items() if n != "export_zone"]
    result["worst_page_p95_ms"] = max(t["p95_ms"] for t in pages)
    result["meets_target"] = result["worst_page_p95_ms"] < TARGET_PAGE_MS
    try:
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    result = measure(args.runs)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"prescreen-pages-{result['enterprises']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
