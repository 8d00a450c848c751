"""The dashboard cold, filtered, warm and after one edit in one app (issue 16), at N enterprises.

    DATABASE_URL=postgres://… python manage.py seed_demo --scale 10000
    DATABASE_URL=postgres://… python bench/dashboard_cold.py [--runs 5]   # → bench/results/
    python bench/dashboard_cold.py --docs      # rewrites its section of docs/benchmarks.md

Through Django's test client as a leadership user, server time (median, p95, queries) of:
the dashboard with every figure computed anew (a new data version before each request),
unfiltered, with a park-zone filter and with an industry filter (the largest industry
section); the same views warm (figures kept); and the unfiltered view after one real edit in
one app (a talent record saved: its app's figures are recomputed, the others stay kept).
The slowest queries of each cold filtered view are listed. Results go to
`bench/results/dashboard-cold-<N>.json`; `bench/run.py` runs it on the database it is given.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale_bench import setup, timed, write_section  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BEGIN, END = "<!-- dashboard-cold:begin -->", "<!-- dashboard-cold:end -->"
TARGET_COLD_MS = 1000  # a cold filtered view (zone, industry) under 1 s
TARGET_EDIT_MS = 300  # the dashboard after one edit in one app
TARGET_WARM_MS = 50


def slowest(client, url: str, before, n: int = 3) -> list[dict]:
    """The `n` slowest queries of one cold request: time and the statement's start."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    return [{"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:140]} for q in queries[:n]]


def measure(year: int, runs: int) -> dict:
    setup()
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from bureau import figures
    from bureau.models import User
    from bureau.roles import Role
    from enterprises import industries
    from enterprises.models import Enterprise, ParkZone
    from talent.models import Talent

    user, created = User.objects.get_or_create(username="bench-leader")
    if created:
        user.groups.add(Group.objects.get(name=Role.LEADERSHIP.group_name))
    client = Client()
    client.force_login(user)
    zone = ParkZone.objects.order_by("pk").first()
    sections = Counter(
        industries.section_of(d)
        for d in Enterprise.objects.values_list("industry_division", flat=True)
        if d
    )
    section, in_section = sections.most_common(1)[0]
    talent = Talent.objects.order_by("pk").first()

    def edit_one_talent() -> None:
        talent.save()  # a real save: the talent app's data version moves, no other

    plain = f"/dashboard/?year={year}"
    by_zone = f"{plain}&zone={zone.pk}"
    by_industry = f"{plain}&industry={section}"
    result = {
        "enterprises": Enterprise.objects.count(),
        "synthetic": Enterprise.objects.filter(name__contains="号有限公司").count(),
        "database": f"{connection.vendor} {connection.cursor().connection.info.server_version}"
        if connection.vendor == "postgresql"
        else connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared), "
        f"Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "year": year,
        "zone": {"name": zone.name, "enterprises": Enterprise.objects.filter(zone=zone).count()},
        "industry": {"section": section, "enterprises": in_section},
    }
    for name, url, before, n in [
        ("cold", plain, figures.mark_changed, runs),
        ("cold_zone", by_zone, figures.mark_changed, runs),
        ("cold_industry", by_industry, figures.mark_changed, runs),
        ("warm", plain, None, runs * 4),
        ("warm_zone", by_zone, None, runs * 4),
        ("warm_industry", by_industry, None, runs * 4),
        ("after_edit", plain, edit_one_talent, runs),
    ]:
        result[name] = timed(lambda url=url: client.get(url), n, before)
        print(f"# {name}: {result[name]}", file=sys.stderr)
    result["slowest_zone"] = slowest(client, by_zone, figures.mark_changed)
    result["slowest_industry"] = slowest(client, by_industry, figures.mark_changed)
    try:
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return result


def _cell(r: dict, name: str, target: int | None = None) -> str:
    t = r.get(name)
    if not t:
        return "not run"
    p95 = f"{t['p95_ms']:,} ms"
    if target is not None:
        p95 = f"**{p95}** ({'meets' if t['p95_ms'] < target else 'misses'})"
    return f"{t['median_ms']:,} / {p95} ({t['queries']} q; {t['runs']} runs)"


def section() -> str:
    results = sorted(
        (json.loads(p.read_text()) for p in RESULTS.glob("dashboard-cold-*.json")),
        key=lambda r: r["synthetic"],
    )
    lines = [
        BEGIN,
        "## Dashboard: cold, filtered, warm and after one edit (issue 16)",
        "",
        "Measured by `bench/dashboard_cold.py` on `seed_demo --scale N`; raw results in",
        "`bench/results/dashboard-cold-N.json`. Server time through Django's test client as",
        "leadership: median / p95 (queries; runs). *Cold* starts a new data version before each",
        "request, so every figure of every app is computed anew; *after one edit* saves one",
        "talent record before each request (only talent's figures are recomputed). The zone is",
        "the first park zone; the industry the largest section. Targets: a cold filtered view",
        f"under {TARGET_COLD_MS:,} ms; after one edit under {TARGET_EDIT_MS} ms; warm under",
        f"{TARGET_WARM_MS} ms. Two CPU cores shared with other engineers' work at the time (load",
        "average at the end of each run given): read the times as upper bounds.",
        "",
        "| N | cold | cold, one zone | cold, one industry | warm | warm, zone | warm, industry"
        " | after one edit in one app | load |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['synthetic']:,} | {_cell(r, 'cold')} | "
            f"{_cell(r, 'cold_zone', TARGET_COLD_MS)} | "
            f"{_cell(r, 'cold_industry', TARGET_COLD_MS)} | {_cell(r, 'warm', TARGET_WARM_MS)} | "
            f"{_cell(r, 'warm_zone', TARGET_WARM_MS)} | "
            f"{_cell(r, 'warm_industry', TARGET_WARM_MS)} | "
            f"{_cell(r, 'after_edit', TARGET_EDIT_MS)} | "
            f"{', '.join(map(str, r.get('load_average', [])))} |"
        )
    lines.append("")
    for r in results:
        lines.append(
            f"At {r['synthetic']:,} ({r['database']}, {r['date']}): zone {r['zone']['name']} "
            f"({r['zone']['enterprises']:,} enterprises), industry section "
            f"{r['industry']['section']} ({r['industry']['enterprises']:,}); the slowest "
            "queries of one cold industry view:"
        )
        lines.append("")
        for q in r.get("slowest_industry", []):
            lines.append(f"- {q['ms']} ms: `{q['sql']}…`")
        lines.append("")
    missed = [
        f"{name.replace('_', ' ')} at {r['synthetic']:,} ({r[name]['p95_ms']:,} ms p95 against "
        f"{target:,} ms)"
        for r in results
        for name, target in [
            ("cold_zone", TARGET_COLD_MS),
            ("cold_industry", TARGET_COLD_MS),
            ("after_edit", TARGET_EDIT_MS),
            ("warm", TARGET_WARM_MS),
        ]
        if r.get(name) and r[name]["p95_ms"] >= target
    ]
    if missed:
        lines.append("**What misses its target:** " + "; ".join(missed) + ".")
        lines.append("")
    lines += [END, ""]
    return "\n".join(lines)


def write_docs() -> None:
    write_section(section(), BEGIN, END)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--docs", action="store_true")
    args = parser.parse_args()
    if args.docs:
        write_docs()
        return
    result = measure(args.year, args.runs)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"dashboard-cold-{result['synthetic']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
