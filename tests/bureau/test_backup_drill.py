"""The backup and restore drill on a PostgreSQL of the test's own (issue 15): seed, back up
(dump + media + manifest), restore into a fresh database, and check it against the manifest;
a restore that differs by one amount fails the check."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import time

import pytest

from bureau.backup import compare, pg_tool
from tests.procs import ROOT, manage, portal_env

pytestmark = pytest.mark.services


def test_compare_names_each_difference():
    expected = {"tables": {"a": 2, "b": 1}, "sums": {"a.amount": "10.00"}}
    actual = {"tables": {"a": 2, "c": 4}, "sums": {"a.amount": "10.01"}}
    assert compare(expected, expected) == []
    assert compare(expected, actual) == [
        "缺少数据表 b（备份中 1 行）",
        "多出数据表 c（4 行）",
        "金额列 a.amount：备份中合计 10.00，当前 10.01",
    ]


def test_backup_refuses_sqlite_clearly(tmp_path):
    env = portal_env(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", REDIS_URL="")
    done = subprocess.run(
        [sys.executable, "manage.py", "backup", "--output", str(tmp_path / "b")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "需要 PostgreSQL" in done.stderr


def test_backup_restore_drill_matches_the_manifest(own_postgres, fresh_database, tmp_path):
    media = tmp_path / "media"
    (media / "summary_templates").mkdir(parents=True)
    (media / "summary_templates" / "kept.docx").write_bytes(b"PK template bytes")
    env = portal_env(DATABASE_URL=fresh_database, REDIS_URL="", MEDIA_ROOT=str(media))
    manage("seed_demo", env=env, timeout=900)

    started = time.monotonic()
    out = manage("backup", "--output", str(tmp_path / "b"), env=env)
    backup_seconds = time.monotonic() - started
    assert "备份完成" in out
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["enterprises_enterprise"] > 0
    assert any(v != "0" for v in manifest["sums"].values())
    with tarfile.open(tmp_path / "b" / "media.tar.gz") as archive:
        assert "media/summary_templates/kept.docx" in archive.getnames()

    # Restore into a database that did not exist, as on a new machine.
    own_postgres.psql(f"CREATE DATABASE restored OWNER {own_postgres.user};")
    restored = own_postgres.url("restored")
    started = time.monotonic()
    subprocess.run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "-h",
            "127.0.0.1",
            "-p",
            str(own_postgres.port),
            "-U",
            own_postgres.user,
            "-d",
            "restored",
            str(tmp_path / "b" / "db.dump"),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
        env={**env, "PGPASSWORD": own_postgres.password},
    )
    check_env = portal_env(DATABASE_URL=restored, REDIS_URL="")
    out = manage("restore_check", "--manifest", str(tmp_path / "b"), env=check_env)
    restore_seconds = time.monotonic() - started
    assert "恢复校验通过" in out
    print(
        f"drill: {sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables; "
        f"backup {backup_seconds:.1f} s, restore + check {restore_seconds:.1f} s"
    )

    # One amount changed after the restore: the check names it and fails.
    money = next(k for k, v in manifest["sums"].items() if v != "0")
    table, column = money.split(".")
    own_postgres.psql(
        f'UPDATE "{table}" SET "{column}" = "{column}" + 1 WHERE ctid = '  # noqa: S608
        f'(SELECT ctid FROM "{table}" WHERE "{column}" IS NOT NULL LIMIT 1);',
        database="restored",
    )
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "restore_check",
            "--manifest",
            str(tmp_path / "b" / "manifest.json"),
        ],
        cwd=ROOT,
        env=check_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert f"金额列 {money}" in done.stderr
