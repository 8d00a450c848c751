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
sys.path.insert(0, str(ROOT))

from bench import crawl  # noqa: E402

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
    refresh = imp.get("prescreen_refresh")
    if refresh:
        per = refresh["seconds"] / max(refresh["enterprises"], 1) * 1000
        lines += [
            "",
            f"The import queues the pre-screening refresh of the {refresh['enterprises']:,} "
            f"enterprises it wrote to the Celery worker; timed apart in the same run it took "
            f"{refresh['seconds']} s ({per:.1f} ms per enterprise, {refresh['rows_written']:,} "
            "results written). It is not part of the import's time: the clerk's request does "
            "not wait for it.",
        ]
    if imp.get("durability"):
        lines += ["", f"Measured {imp.get('date', '')} with {imp['durability']}."]
    if copy and not imp["meets_target"]:
        gap = (imp["target_ratio"] - imp["ratio"]) / imp["target_ratio"]
        lines.append(f"**What misses its target:** the import is {gap:.0%} short of 0.10× COPY.")
    return lines


RESULTS = ROOT / "bench" / "results"


def prescreen_section() -> list[str]:
    """The pre-screening pages at each N measured (bench/prescreen_pages.py's results)."""
    found = sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in RESULTS.glob("prescreen-pages-*.json")),
        key=lambda r: r["enterprises"],
    )
    if not found:
        return []
    lines = [
        "## Pre-screening pages at N enterprises (issue 16) — `bench/prescreen_pages.py`",
        "",
        "Staff through Django's test client; per kind the first page, page 50, a zone with",
        "an outcome, a sort by score: median / p95 (queries). Target: p95 under 300 ms at",
        "100,000 and memory per request flat in N. The export is the zone's list, streamed.",
        "",
    ]
    for r in found:
        verdict = "meets" if r["meets_target"] else "misses"
        lines += [
            f"**{r['enterprises']:,} enterprises** ({r['results_kept']:,} kept results; "
            f"{r['database']}, {r['durability']}; {r['date']}; load average "
            f"{r.get('load_average', '?')}): worst page p95 **{r['worst_page_p95_ms']:,} ms** "
            f"({verdict}); the process's RSS grew {r['rss_growth_mib']} MiB over all requests.",
            "",
            "| kind | first page | page 50 | zone + outcome | by score | export (zone) |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for code, k in r["kinds"].items():
            cells = [
                f"{k[n]['median_ms']:,} / {k[n]['p95_ms']:,} ms ({k[n]['queries']} q)"
                for n in ("first_page", "page_50", "zone_and_outcome", "by_score")
            ]
            x = k["export_zone"]
            lines.append(
                f"| {code} | {' | '.join(cells)} | {x['seconds']} s, {x['kib']:,} KiB, "
                f"+{x['rss_growth_mib']} MiB |"
            )
        lines.append("")
    return lines


def main() -> None:
    """Run every benchmark, keep each result in bench/results/, and write docs/benchmarks.md.
    `--from-results` writes the document from the kept results without running anything."""
    from_results = "--from-results" in sys.argv[1:]
    if from_results:
        results = {
            name: json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
            for name, _args in JSON_BENCHES
            if (RESULTS / f"{name}.json").exists()
        }
        matching = (RESULTS / "talent_matching.txt").read_text(encoding="utf-8").strip()
    else:
        results = {name: run_json(args) for name, args in JSON_BENCHES}
        matching = subprocess.run(
            [sys.executable, "bench/talent_matching.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        RESULTS.mkdir(exist_ok=True)
        for name, result in results.items():
            (RESULTS / f"{name}.json").write_text(
                json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        (RESULTS / "talent_matching.txt").write_text(matching + "\n", encoding="utf-8")
        # Every page cold and warm on the same database; it keeps bench/results/crawl-<N>.json.
        subprocess.run([sys.executable, "bench/crawl.py"], cwd=ROOT, check=True)
    imp, pre = results["import_enterprises"], results["import_preview"]
    lines = [
        "# Benchmarks",
        "",
        (
            f"Written {datetime.datetime.now(datetime.UTC):%Y-%m-%d} by `bench/run.py "
            "--from-results` from the results kept in `bench/results/`; each section names the "
            "date, machine and database of its own run."
            if from_results
            else f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d} by `make bench` on "
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"database **{imp['database']}**."
        )
        + " Targets come from the issues; these are measurements, not tests.",
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
        *prescreen_section(),
        *crawl.section(),
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
