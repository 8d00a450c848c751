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
# Issue 16 measures the import against COPY at 20,000 varied rows.
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "20000"))
MARKER = "<!-- sections below are kept by bench/run.py -->"

JSON_BENCHES = [
    ("import_enterprises", ["bench/import_enterprises.py", "--rows", str(IMPORT_ROWS)]),
    ("import_preview", ["bench/import_preview.py", "--rows", str(ROWS)]),
    # The dashboard cold / filtered / warm / after one edit on the database given (issue 16);
    # its section (every N measured so far) is rewritten after the file below.
    ("dashboard_cold", ["bench/dashboard_cold.py"]),
]


def run_json(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def import_section(imp: dict) -> list[str]:
    """The import table: rows/s of the import and of COPY, and the ratio against 0.10×."""
    copy = imp.get("copy_rows_per_second")
    if copy:
        verdict = "meets" if imp["meets_target"] else "misses"
        ratio = f"**{imp['ratio']:.3f}×** ({verdict})"
        without_read = f"{imp['ratio_without_read']:.3f}×"
        copy_text = f"{copy:,}"
    else:
        ratio = without_read = "—"
        copy_text = "— (not PostgreSQL)"
    lines = [
        "| rows | file | read | validate + write | total | import rows/s | COPY rows/s | "
        "ratio (target 0.10×) | without the read | history rows | peak RSS (growth) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| {imp['rows']:,} | {imp['file_mb']} MB | {imp['read_seconds']} s | "
        f"{imp['import_seconds']} s | {imp['total_seconds']} s | {imp['rows_per_second']:,} | "
        f"{copy_text} | {ratio} | {without_read} | {imp['history_rows']:,} | "
        f"{imp['peak_rss_mib']} MiB (+{imp['rss_growth_mib']}) |",
        "",
        f"Load average at the end of the run: {imp.get('load_average', '?')} (COPY is timed",
        "before and after the import and averaged). COPY is given the rows already in their",
        "stored form; the import starts from the .xlsx, so the ratio without the read is shown",
        "as well.",
    ]
    if copy and not imp["meets_target"]:
        gap = (imp["target_ratio"] - imp["ratio"]) / imp["target_ratio"]
        lines.append(f"**What misses its target:** the import is {gap:.0%} short of 0.10× COPY.")
    return lines


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
        "## Enterprise import against COPY (issue 16)",
        "",
        "Target: the import of a file (read, every row validated, written with its history rows",
        "by a user, all or nothing) at least **0.10×** a PostgreSQL COPY of the same rows into a",
        "copy of the table (`LIKE enterprises_enterprise INCLUDING ALL`), measured in the same",
        "run with stock durability; memory flat in rows (Foundation: ≥ 500 rows/s, < 512 MiB).",
        "",
        *import_section(imp),
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
    path = ROOT / "docs" / "benchmarks.md"
    kept = ""
    if path.exists() and MARKER in path.read_text(encoding="utf-8"):
        kept = path.read_text(encoding="utf-8").split(MARKER, 1)[1]
    lines += [MARKER, kept.lstrip("\n")]
    path.write_text("\n".join(lines), encoding="utf-8")
    subprocess.run([sys.executable, "bench/dashboard_cold.py", "--docs"], cwd=ROOT, check=True)
    print(path.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
