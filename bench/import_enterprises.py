"""Benchmark: import a 50,000-row enterprise file, validated, with history kept.

Run on demand (`make bench`, or `python bench/import_enterprises.py --rows 50000`), with
DATABASE_URL pointing at PostgreSQL for the figure the issue asks for. Prints one JSON line;
bench/run.py collects these into docs/benchmarks.md.
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")


def write_file(path: Path, rows: int) -> None:
    import openpyxl

    from enterprises.credit_code import make_code
    from enterprises.imports import EnterpriseResource

    headers = [f.column_name for f in EnterpriseResource().get_import_fields()]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for i in range(rows):
        code = make_code(f"91340000B{i:08d}")
        sheet.append(
            [
                code,
                f"基准测试企业{i}有限公司",
                "39",
                "小型",
                "2015-01-01",
                1000000,
                f"某某路{i}号",
                "基准园区",
                "张三",
                "李四",
                "0564-0000000",
                "新一代信息技术产业",
                "电子元件",
            ]
        )
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bureau.importing import load_dataset, run_import
    from enterprises.imports import EnterpriseResource
    from enterprises.models import Enterprise, ParkZone

    call_command("migrate", verbosity=0)
    Enterprise.objects.filter(name__startswith="基准测试企业").delete()
    Enterprise.history.filter(name__startswith="基准测试企业").delete()
    ParkZone.objects.get_or_create(name="基准园区")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "enterprises.xlsx"
        write_file(path, args.rows)
        size_mb = path.stat().st_size / 2**20
        base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        started = time.perf_counter()
        dataset = load_dataset(path)
        loaded = time.perf_counter()
        outcome = run_import(EnterpriseResource(), dataset, dry_run=False)
        finished = time.perf_counter()

    assert outcome.ok, outcome.errors[:5]
    imported = Enterprise.objects.filter(name__startswith="基准测试企业").count()
    history = Enterprise.history.filter(name__startswith="基准测试企业").count()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "benchmark": "import_enterprises",
                "database": connection.vendor,
                "rows": args.rows,
                "file_mb": round(size_mb, 1),
                "imported": imported,
                "history_rows": history,
                "read_seconds": round(loaded - started, 1),
                "import_seconds": round(finished - loaded, 1),
                "total_seconds": round(finished - started, 1),
                "rows_per_second": round(args.rows / (finished - started)),
                "peak_rss_mib": round(peak_rss),
                "rss_before_mib": round(base_rss),
            },
            ensure_ascii=False,
        )
    )
    Enterprise.objects.filter(name__startswith="基准测试企业").delete()


if __name__ == "__main__":
    main()
