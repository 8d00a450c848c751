"""python manage.py backup [--output DIR]: database dump, media archive and manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bureau.backup import BackupError, backup, default_directory


class Command(BaseCommand):
    help = (
        "备份：pg_dump 自定义格式的数据库转储、媒体文件归档，以及各数据表行数与金额合计的清单"
        "（manifest.json，与转储同一快照），供 restore_check 校验恢复结果。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="备份目录（默认 var/backups/<UTC时间>）")

    def handle(self, *args, output: Path | None, **options):
        try:
            result = backup(output or default_directory())
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"备份完成：{result.directory}（{result.tables} 张表，{result.rows} 行；"
            f"转储 {result.dump_bytes} 字节，媒体 {result.media_bytes} 字节；用时 {result.seconds} 秒）"
        )
