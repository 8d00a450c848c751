"""python manage.py export_summary --year 2024 --format docx --output summary.docx"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
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
        parser.add_argument(
            "--appendix",
            choices=["figures", "full"],
            default="figures",
            help="Word附件：figures 仅主要指标表（默认）；full 另附各指标的明细记录（横向页面）",
        )
        parser.add_argument(
            "--user",
            default="",
            help="以该用户名导出：其有权查看个人信息时不脱敏，并记入个人信息查看记录；默认脱敏",
        )

    def handle(self, *args, **options):
        # The summary is a Chinese official document, whatever language the shell runs in.
        with translation.override(settings.LANGUAGE_CODE):
            self.export(**options)

    def export(
        self,
        *,
        year: int,
        fmt: str,
        output: str,
        regenerate: bool,
        appendix: str = "figures",
        user: str = "",
        **options,
    ):
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

        reader = exports.Reader(path=f"export_summary --year {year}")
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"用户“{user}”不存在。")
            reader = exports.reader_for(account.pk, path=reader.path)
        if fmt == ExportFormat.DOCX:
            data = exports.build_docx(
                summary.pk, appendix=appendix, reader=reader, progress=progress
            )
        else:
            data = exports.build_xlsx(summary.pk, reader=reader, progress=progress)
        path = Path(output)
        path.write_bytes(data)
        self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"已导出 {path}（{len(data):,} 字节）"))
