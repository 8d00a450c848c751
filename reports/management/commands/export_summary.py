"""python manage.py export_summary --year 2024 --format docx --output summary.docx"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from reports import exports, services
from reports.models import AnnualSummary, ExportFormat


class Command(BaseCommand):
    help = "导出年度工作总结（Word 或 Excel）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", dest="fmt", choices=ExportFormat.values, default="docx")
        parser.add_argument("--output", required=True, help="输出文件路径")
        parser.add_argument(
            "--regenerate", action="store_true", help="导出前按当前数据重新生成数据句"
        )

    def handle(self, *args, **options):
        # The summary is a Chinese official document, whatever language the shell runs in.
        with translation.override(settings.LANGUAGE_CODE):
            self.export(**options)

    def export(self, *, year: int, fmt: str, output: str, regenerate: bool, **options):
        summary = AnnualSummary.objects.filter(year=year).first()
        if summary is None:
            raise CommandError(f"{year}年度工作总结不存在；请先在平台中创建。")
        if regenerate:
            services.ensure_summary(year)
            services.regenerate(summary)

        def progress(percent: int) -> None:
            self.stderr.write(f"\r{percent:3d}%", ending="")

        builder = exports.build_docx if fmt == ExportFormat.DOCX else exports.build_xlsx
        data = builder(summary.pk, progress=progress)
        path = Path(output)
        path.write_bytes(data)
        self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"已导出 {path}（{len(data):,} 字节）"))
