"""Run the benchmarks and write docs/benchmarks.md (on demand: `make bench`).

Set DATABASE_URL to a PostgreSQL database for the figures the issues ask for; on SQLite the
numbers are written too, labelled as such.
"""

import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_ROWS", "50000"))
# Everything after this line in docs/benchmarks.md is kept when this script rewrites the file
# (sections written by other benchmarks, e.g. bench/scale_bench.py --docs).
MARKER = "<!-- sections below are kept by bench/run.py -->"

JSON_BENCHES = [
    ("import_enterprises", ["bench/import_enterprises.py", "--rows", str(ROWS)]),
    ("import_preview", ["bench/import_preview.py", "--rows", str(ROWS)]),
]


def run_json(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    results = {name: run_json(args) for name, args in JSON_BENCHES}
    matching = subprocess.run(
        [sys.executable, "bench/talent_matching.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    imp, pre = results["import_enterprises"], results["import_preview"]
    lines = [
        "# Benchmarks",
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d} by `make bench` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, database "
        f"**{imp['database']}**. Targets come from the issues; these are measurements, not tests.",
        "",
        "## Enterprise import (Foundation)",
        "",
        "Target: 50,000 rows on PostgreSQL, validated, with history kept: at least 500 rows/s and",
        "under 512 MiB peak memory.",
        "",
        "| rows | file | read | import | total | rows/s | history rows | peak RSS |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| {imp['rows']:,} | {imp['file_mb']} MB | {imp['read_seconds']} s | "
        f"{imp['import_seconds']} s | {imp['total_seconds']} s | **{imp['rows_per_second']}** | "
        f"{imp['history_rows']:,} | **{imp['peak_rss_mib']} MiB** |",
        "",
        "The preview of the same file in the admin (upload, dry-run validation of every row, page):",
        "",
        "| rows | status | time | page size | rows in the page | rows written |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| {pre['rows']:,} | {pre['status']} | {pre['seconds']} s | {pre['page_kib']} KiB | "
        f"{pre['rows_in_page']} | {pre['written']} |",
        "",
        "The page carries the first 50 rows and the totals; every row is still validated before",
        "the page returns, so the time grows with the file.",
        "",
        "## Talent: demand-to-institution matching (issue 6)",
        "",
        "```",
        matching,
        "```",
        "",
        "Raw results:",
        "",
        "```json",
        json.dumps(results, ensure_ascii=False, indent=2),
        "```",
        "",
    ]
    docs = ROOT / "docs" / "benchmarks.md"
    kept = ""
    if docs.exists():
        text = docs.read_text(encoding="utf-8")
        if MARKER in text:
            kept = text.split(MARKER, 1)[1]
    lines += [MARKER]
    docs.write_text("\n".join(lines) + kept, encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
