"""python manage.py restore_check --manifest DIR/manifest.json: does this database hold the backup?"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bureau.backup import BackupError, check_against


class Command(BaseCommand):
    help = (
        "恢复校验：将当前数据库（DATABASE_URL，通常是刚由 pg_restore 恢复的库）与备份清单逐表比对"
        "行数与金额合计；有差异时逐项列出并以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--manifest", type=Path, required=True, help="备份目录中的 manifest.json"
        )

    def handle(self, *args, manifest: Path, **options):
        if manifest.is_dir():
            manifest = manifest / "manifest.json"
        if not manifest.exists():
            raise CommandError(f"找不到备份清单：{manifest}")
        try:
            problems, actual = check_against(manifest)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"恢复校验未通过：{len(problems)} 处差异。")
        self.stdout.write(
            f"恢复校验通过：{len(actual['tables'])} 张表的行数、{len(actual['sums'])} 个金额列的合计"
            "均与备份一致。"
        )
