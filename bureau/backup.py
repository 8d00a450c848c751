"""Backups of the portal and the check that a restore holds what was backed up (issue 15).

A backup is a directory: `db.dump` (pg_dump's custom format, for pg_restore), `media.tar.gz`
(uploaded templates and kept exports under MEDIA_ROOT) and `manifest.json`: every table's row
count and the sum of every decimal (money) column, taken in the same snapshot as the dump (the
manifest's transaction exports its snapshot and pg_dump reads that one), so a restore of the
dump must match the manifest exactly. `restore_check` compares a database to a manifest.
"""

from __future__ import annotations

import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

MANIFEST, DUMP, MEDIA = "manifest.json", "db.dump", "media.tar.gz"


class BackupError(RuntimeError):
    """A backup or a check that cannot run (no PostgreSQL, no pg_dump); the message is Chinese."""


def pg_tool(name: str) -> str:
    """The PostgreSQL client tool `name` (pg_dump, pg_restore), newest installed first: a newer
    pg_dump reads an older server, not the reverse. PG_BIN names the directory explicitly."""
    if os.environ.get("PG_BIN"):
        return os.path.join(os.environ["PG_BIN"], name)
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: [int(n) for n in re.findall(r"\d+", p)],
    )
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path is None:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端，或以 PG_BIN 指定其目录。")
    return on_path


def _require_postgres() -> dict:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        raise BackupError(
            "备份与恢复校验需要 PostgreSQL（DATABASE_URL）；本地 SQLite 请直接复制 var/ 目录。"
        )
    return db


def libpq_env(db: dict) -> dict[str, str]:
    """Environment for pg_dump/pg_restore/psql to reach the database of `db` settings."""
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def manifest_now() -> dict:
    """Row counts of every table and sums of every decimal column, read in the current
    transaction (call inside one with REPEATABLE READ for a consistent picture)."""
    tables = sorted(connection.introspection.table_names())
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 - introspected names
            counts[table] = cursor.fetchone()[0]
        sums: dict[str, str] = {}
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table not in counts:
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.DecimalField):
                    cursor.execute(f"SELECT sum({quote(field.column)}) FROM {quote(table)}")  # noqa: S608
                    total = cursor.fetchone()[0]
                    sums[f"{table}.{field.column}"] = str(Decimal(total or 0))
    return {"tables": counts, "sums": dict(sorted(sums.items()))}


@dataclass
class BackupResult:
    directory: Path
    seconds: float
    dump_bytes: int
    media_bytes: int
    tables: int
    rows: int


def backup(directory: Path) -> BackupResult:
    """Write db.dump, media.tar.gz and manifest.json into `directory` (created)."""
    db = _require_postgres()
    directory.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    taken_at = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        # pg_dump reads exactly what this transaction sees, so the manifest describes the dump.
        subprocess.run(  # noqa: S603 - fixed arguments, the database name from settings
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={directory / DUMP}",
                db["NAME"],
            ],
            env=libpq_env(db),
            check=True,
            capture_output=True,
            text=True,
        )
        manifest = manifest_now()
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(directory / MEDIA, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest.update(
        taken_at=taken_at.isoformat(),
        database=db["NAME"],
        dump=DUMP,
        media=MEDIA,
        media_files=sum(len(files) for _d, _s, files in os.walk(media_root))
        if media_root.exists()
        else 0,
    )
    (directory / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return BackupResult(
        directory=directory,
        seconds=round(time.monotonic() - started, 2),
        dump_bytes=(directory / DUMP).stat().st_size,
        media_bytes=(directory / MEDIA).stat().st_size,
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
    )


def compare(expected: dict, actual: dict) -> list[str]:
    """The differences between a manifest and the current database's (Chinese lines)."""
    problems = []
    for table, count in expected["tables"].items():
        got = actual["tables"].get(table)
        if got is None:
            problems.append(f"缺少数据表 {table}（备份中 {count} 行）")
        elif got != count:
            problems.append(f"数据表 {table}：备份中 {count} 行，当前 {got} 行")
    for table in sorted(set(actual["tables"]) - set(expected["tables"])):
        problems.append(f"多出数据表 {table}（{actual['tables'][table]} 行）")
    for column, total in expected["sums"].items():
        got = actual["sums"].get(column)
        if got is None:
            problems.append(f"缺少金额列 {column}")
        elif Decimal(got) != Decimal(total):
            problems.append(f"金额列 {column}：备份中合计 {total}，当前 {got}")
    return problems


def check_against(manifest_path: Path) -> tuple[list[str], dict]:
    """Compare the current database with a manifest; (differences, the current manifest)."""
    _require_postgres()
    expected = json.loads(manifest_path.read_text(encoding="utf-8"))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        actual = manifest_now()
    return compare(expected, actual), actual


def default_directory() -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "var" / "backups" / stamp
