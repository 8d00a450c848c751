"""python manage.py prescreen_refresh [--kind K]: recompute the kept pre-screening results."""

import time

from django.core.management.base import BaseCommand, CommandError

from enterprises import prescreening
from enterprises.models import QualificationKind


class Command(BaseCommand):
    help = "重新计算全部在册企业的梯次预审结果（可只算一种资质）。"

    def add_arguments(self, parser):
        parser.add_argument("--kind", default="", help="资质类型代码，如 hitech；不填则全部")

    def handle(self, *args, kind: str, **options):
        if (
            kind
            and not QualificationKind.objects.filter(code=kind).exclude(rule_family="").exists()
        ):
            raise CommandError(f"没有带预审规则的资质类型「{kind}」。")
        begin = time.perf_counter()

        def progress(done: int, total: int) -> None:
            prescreening.set_progress(done, total)
            if options["verbosity"] > 1 or done == total:
                self.stdout.write(f"{done} / {total}")

        try:
            written = prescreening.refresh_all(kind_code=kind or None, progress=progress)
        finally:
            prescreening.clear_refresh_state()
        self.stdout.write(
            self.style.SUCCESS(
                f"预审结果已更新：{written} 条（{time.perf_counter() - begin:.1f} 秒）。"
            )
        )
