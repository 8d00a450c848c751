"""python manage.py export_summary --year 2024 --format docx --output summary.docx"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from bureau.models import MAX_YEAR, MIN_YEAR
from reports import exports, services
from reports.document import data_note
from reports.models import AnnualSummary, ExportFormat


class Command(BaseCommand):
    help = "导出年度工作总结（Word 或 Excel）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", dest="fmt", choices=ExportFormat.values, default="docx")
        parser.add_argument("--output", required=True, help="输出文件路径")
        parser.add_argument(
            "--regenerate",
            action="store_true",
            help="导出前按当前数据重新起草（工作人员修改过的段落保留）",
        )

    def handle(self, *args, **options):
        # The summary is a Chinese official document, whatever language the shell runs in.
        with translation.override(settings.LANGUAGE_CODE):
            self.export(**options)

    def export(self, *, year: int, fmt: str, output: str, regenerate: bool, **options):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"年度应在{MIN_YEAR}至{MAX_YEAR}之间。")
        summary = AnnualSummary.objects.filter(year=year).first()
        if summary is None:
            summary = services.ensure_summary(year)
            services.regenerate(summary)
            self.stdout.write(f"{year}年度工作总结不存在，已按当前数据起草。")
        elif regenerate or not summary.figures_snapshot:
            services.regenerate(summary)
            self.stdout.write(f"已按当前数据重新起草{year}年度工作总结。")
        elif services.is_stale(summary):
            self.stdout.write(
                self.style.WARNING(
                    f"注意：文中数据截至{data_note(summary.drafted_at).removeprefix('数据截至')}，"
                    "此后数据已有变化；本次导出仍使用该时点的数据（加 --regenerate 按当前数据重新起草）。"
                )
            )
        summary.refresh_from_db()
        self.stdout.write(data_note(summary.drafted_at))

        def progress(percent: int) -> None:
            self.stderr.write(f"\r{percent:3d}%", ending="")

        builder = exports.build_docx if fmt == ExportFormat.DOCX else exports.build_xlsx
        data = builder(summary.pk, progress=progress)
        path = Path(output)
        path.write_bytes(data)
        self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"已导出 {path}（{len(data):,} 字节）"))
