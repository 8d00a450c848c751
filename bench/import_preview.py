"""Benchmark: the admin import preview of a large enterprise file.

Measures the time to the preview page and its size: the page carries the first 50 rows and
the totals, not the whole file. Prints one JSON line.
"""

import argparse
import io
import json
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.import_enterprises import ZONES, write_file
    from bureau.models import User
    from enterprises.models import Enterprise, ParkZone

    call_command("migrate", verbosity=0)
    for zone in ZONES:
        ParkZone.objects.get_or_create(name=zone)
    user, _ = User.objects.get_or_create(username="bench_admin", defaults={"is_staff": True})
    user.is_superuser = user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)

    path = Path(tempfile.mkdtemp()) / "bench_preview.xlsx"
    write_file(path, args.rows)
    url = "/admin/enterprises/enterprise/import/"
    fmt = re.search(r'<option value="(\d+)"[^>]*>xlsx</option>', client.get(url).content.decode())
    data = io.BytesIO(path.read_bytes())
    data.name = "enterprises.xlsx"
    before = Enterprise.objects.count()
    started = time.perf_counter()
    response = client.post(url, {"format": fmt.group(1), "import_file": data})
    elapsed = time.perf_counter() - started
    html = response.content.decode()
    rows_in_page = html.count("基准测试企业")
    print(
        json.dumps(
            {
                "benchmark": "import_preview",
                "database": connection.vendor,
                "rows": args.rows,
                "status": response.status_code,
                "seconds": round(elapsed, 1),
                "page_kib": round(len(response.content) / 1024),
                "rows_in_page": rows_in_page,
                "says_total": f"文件共 {args.rows} 行" in html,
                "written": Enterprise.objects.count() - before,
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            },
            ensure_ascii=False,
        )
    )
    path.unlink()


if __name__ == "__main__":
    main()
