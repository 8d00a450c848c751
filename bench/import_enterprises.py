"""Benchmark: the enterprise import against PostgreSQL COPY of the same rows (issue 16).

    DATABASE_URL=postgres://… python bench/import_enterprises.py [--rows 20000]

In one run, on one database: generates `--rows` varied enterprises as a real .xlsx (what a
clerk fills: labels, date cells, numbers, blanks), then times
(a) the floor: PostgreSQL COPY of the same rows, already in their stored form, into a copy of
    the table (`CREATE TABLE … (LIKE enterprises_enterprise INCLUDING ALL)`: the same columns,
    indexes and check constraints), measured before and after (b) and averaged;
(b) the portal's import of the file (bureau.importing: read, every row validated, written in
    chunks into the real table with its history rows, by a user, all or nothing).
Prints one JSON line (rows/s of each, the ratio against the 0.10× target, peak RSS);
bench/run.py collects it into docs/benchmarks.md. On SQLite only (b) runs.
"""

import argparse
import datetime
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")

TARGET_RATIO = 0.10
NAME_PREFIX = "基准测试企业"
ZONES = ("基准园区", "基准光电园", "基准智能制造园", "基准科创城")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国"
WORDS = ("光电", "智能", "精密", "新材料", "生物", "数控", "信息", "环保", "储能", "半导体")
PRODUCTS = ("光电显示模组", "工业机器人", "锂电池隔膜", "医用敷料", "数控机床", "传感器", "")
ROADS = ("创新大道", "科学路", "长江西路", "望江路", "玉兰大道")


def current_rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


class RssSampler(threading.Thread):
    """The process's largest resident set while running (sampled every 20 ms, Linux)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = current_rss_mib()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.02):
            self.peak = max(self.peak, current_rss_mib())

    def stop(self) -> float:
        self.stopped.set()
        self.join()
        return max(self.peak, current_rss_mib())


def enterprise_rows(rows: int, seed: int = 16) -> list[dict]:
    """`rows` varied enterprises, each as the cells a clerk types (labels, not codes)."""
    from django.utils import timezone

    from enterprises import industries
    from enterprises.credit_code import make_code
    from enterprises.models import SizeClass, StrategicIndustry

    rng = random.Random(seed)
    divisions = list(industries.DIVISION_CHOICES)
    sizes = [str(label) for _v, label in SizeClass.choices]
    strategic = [str(label) for _v, label in StrategicIndustry.choices]
    today = timezone.localdate()
    out = []
    for i in range(rows):
        region = rng.choice(("340100", "340200", "341523", "341500", "340800"))
        code, label = rng.choice(divisions)
        capital = rng.choice(
            (None, rng.randrange(100_000, 500_000_000), Decimal(rng.randrange(10**6, 10**9)) / 100)
        )
        person = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        out.append(
            {
                "credit_code": make_code(f"91{region}MA{i:07d}"),
                "name": f"{NAME_PREFIX}{i}{rng.choice(WORDS)}科技有限公司",
                "industry_division": rng.choice((code, label)),  # "39" or "39 计算机、…"
                "size_class": rng.choice(sizes),
                "established_on": today - datetime.timedelta(days=rng.randrange(30, 9000)),
                "registered_capital": capital,
                "address": f"{rng.choice(ROADS)}{rng.randrange(1, 3000)}号",
                "zone": rng.choice((*ZONES, None)),
                "legal_representative": person,
                "contact_person": rng.choice((person, "", rng.choice(SURNAMES) + "经理")),
                "contact_phone": rng.choice(
                    (
                        "",
                        f"0551-{rng.randrange(10**7, 10**8)}",
                        f"1{rng.randrange(3, 9)}{rng.randrange(10**8, 10**9)}",
                    )
                ),
                "strategic_industry": rng.choice((*strategic, "", "")),
                "main_products": rng.choice(PRODUCTS),
            }
        )
    return out


def write_file(path: Path, rows: int) -> list[dict]:
    """The import file of `rows` varied enterprises (header row first); returns the rows."""
    import openpyxl

    from enterprises.imports import EnterpriseResource

    resource_ = EnterpriseResource()
    fields = [(name, f.column_name) for name, f in resource_.fields.items()]
    data = enterprise_rows(rows)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("企业")
    sheet.append([column for _name, column in fields])
    for row in data:
        sheet.append([row[name] for name, _column in fields])
    book.save(path)
    return data


def stored_rows(data: list[dict]) -> list[tuple]:
    """The same rows in the form the table stores them (codes, ids, dates), for COPY."""
    from django.utils import timezone

    from enterprises.models import ParkZone, SizeClass, StrategicIndustry

    zones = dict(ParkZone.objects.filter(name__in=ZONES).values_list("name", "pk"))
    sizes = {str(label): value for value, label in SizeClass.choices}
    strategic = {str(label): value for value, label in StrategicIndustry.choices}
    now = timezone.now()
    return [
        (
            r["credit_code"],
            r["name"],
            r["industry_division"].split(" ", 1)[0],
            sizes[r["size_class"]],
            r["established_on"],
            r["registered_capital"],
            r["address"],
            zones.get(r["zone"]),
            r["legal_representative"],
            r["contact_person"],
            r["contact_phone"],
            strategic.get(r["strategic_industry"], ""),
            r["main_products"],
            True,
            now,
            now,
        )
        for r in data
    ]


COPY_COLUMNS = (
    "credit_code, name, industry_division, size_class, established_on, registered_capital, "
    "address, zone_id, legal_representative, contact_person, contact_phone, "
    "strategic_industry, main_products, is_active, created_at, updated_at"
)


def copy_text(rows: list[tuple]) -> str:
    """COPY's text format of `rows` (prepared before the clock starts)."""

    def cell(value) -> str:
        if value is None:
            return r"\N"
        if value is True or value is False:
            return "t" if value else "f"
        if isinstance(value, datetime.datetime | datetime.date):
            return value.isoformat()
        return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    return "".join("\t".join(cell(v) for v in row) + "\n" for row in rows)


def time_copy(path: Path) -> float:
    """Seconds for COPY of the rows in `path` into a fresh copy of the enterprise table,
    committed (the text is read into memory before the clock starts)."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_enterprise")
        cursor.execute(
            "CREATE TABLE bench_copy_enterprise (LIKE enterprises_enterprise INCLUDING ALL)"
        )
    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY bench_copy_enterprise ({COPY_COLUMNS}) FROM STDIN", io.StringIO(text)
        )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_copy_enterprise")
        copied = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_copy_enterprise")
    assert copied == text.count("\n"), copied
    return elapsed


def durability() -> str:
    """The database's durability settings (stock is fsync=on, synchronous_commit=on)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        sync = cursor.fetchone()[0]
    return f"fsync={fsync}, synchronous_commit={sync}"


def clear() -> None:
    """Remove the bench's rows; the deletion queues no pre-screening refresh (nothing is
    left to refresh, and the eager task would rescan every deleted id)."""
    from enterprises import prescreening
    from enterprises.models import Enterprise

    real_queue, prescreening._queue = prescreening._queue, lambda ids: None
    try:
        Enterprise.objects.filter(name__startswith=NAME_PREFIX).delete()
        Enterprise.history.filter(name__startswith=NAME_PREFIX).delete()
    finally:
        prescreening._queue = real_queue


def prepare(rows: int, folder: Path) -> None:
    """Write the .xlsx and COPY's text of the same rows into `folder` (run in a child process,
    so that the measured process holds only what the import itself needs)."""
    import django

    django.setup()
    from django.db import connection

    data = write_file(folder / "enterprises.xlsx", rows)
    if connection.vendor == "postgresql":
        (folder / "enterprises.tsv").write_text(copy_text(stored_rows(data)), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)  # the child process's folder
    args = parser.parse_args()
    if args.prepare:
        prepare(args.rows, Path(args.prepare))
        return

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bureau.importing import load_dataset, run_import
    from bureau.models import User
    from enterprises.imports import EnterpriseResource
    from enterprises.models import Enterprise, ParkZone

    call_command("migrate", verbosity=0)
    clear()
    for zone in ZONES:
        ParkZone.objects.get_or_create(name=zone)
    user, _created = User.objects.get_or_create(username="bench_import")
    postgres = connection.vendor == "postgresql"

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--prepare", tmp], check=True
        )
        path, tsv = folder / "enterprises.xlsx", folder / "enterprises.tsv"
        size_mb = path.stat().st_size / 2**20
        copy_seconds = [time_copy(tsv)] if postgres else []
        rss_before = current_rss_mib()
        sampler = RssSampler()
        sampler.start()

        # In production the import queues the pre-screening refresh of the rows it wrote to the
        # Celery worker; run in process (no broker here) it would be timed as the import's own
        # work. It is collected and timed apart, after the import.
        from enterprises import prescreening

        queued: list[list[int]] = []
        real_queue = prescreening._queue
        prescreening._queue = queued.append
        try:
            started = time.perf_counter()
            dataset = load_dataset(path)
            loaded = time.perf_counter()
            outcome = run_import(EnterpriseResource(), dataset, dry_run=False, user=user)
            finished = time.perf_counter()
        finally:
            prescreening._queue = real_queue
        rss_peak = sampler.stop()
        refresh_started = time.perf_counter()
        refreshed = sum(prescreening.refresh_enterprises(ids) for ids in queued)
        refresh_seconds = time.perf_counter() - refresh_started
        del dataset
        if postgres:
            copy_seconds.append(time_copy(tsv))

    assert outcome.ok, [str(e) for e in outcome.errors[:5]]
    imported = Enterprise.objects.filter(name__startswith=NAME_PREFIX).count()
    history = Enterprise.history.filter(
        name__startswith=NAME_PREFIX, history_type="+", history_user=user
    ).count()
    assert imported == history == args.rows, (imported, history)
    import_rps = args.rows / (finished - started)
    result = {
        "benchmark": "import_enterprises",
        "database": connection.vendor,
        "rows": args.rows,
        "file_mb": round(size_mb, 1),
        "imported": imported,
        "history_rows": history,
        "read_seconds": round(loaded - started, 2),
        "import_seconds": round(finished - loaded, 2),
        "total_seconds": round(finished - started, 2),
        "rows_per_second": round(import_rps),
        "import_rows_per_second": round(args.rows / (finished - loaded)),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "durability": durability(),
        "peak_rss_mib": round(rss_peak),
        "prescreen_refresh": {
            "enterprises": sum(len(ids) for ids in queued),
            "rows_written": refreshed,
            "seconds": round(refresh_seconds, 2),
            "note": "queued by the import to the worker; timed apart, in this process",
        },
        "rss_before_mib": round(rss_before),
        "rss_growth_mib": round(rss_peak - rss_before),
        "load_average": round(os.getloadavg()[0], 2),
        "target_ratio": TARGET_RATIO,
    }
    if copy_seconds:
        copy_rps = args.rows / (sum(copy_seconds) / len(copy_seconds))
        result |= {
            "copy_seconds": [round(s, 3) for s in copy_seconds],
            "copy_rows_per_second": round(copy_rps),
            # The file read, validated and written, history included, against COPY of rows
            # already in their stored form; and the same without reading the .xlsx.
            "ratio": round(import_rps / copy_rps, 3),
            "ratio_without_read": round(args.rows / (finished - loaded) / copy_rps, 3),
        }
        result["meets_target"] = result["ratio"] >= TARGET_RATIO
    print(json.dumps(result, ensure_ascii=False), flush=True)
    clear()


if __name__ == "__main__":
    main()
