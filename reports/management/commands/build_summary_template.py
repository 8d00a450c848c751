"""python manage.py build_summary_template [--output path]: write the default Word template."""

from pathlib import Path

from django.core.management.base import BaseCommand

from reports.word import DEFAULT_TEMPLATE, build_default_template


class Command(BaseCommand):
    help = "生成默认的年度工作总结Word模板（GB/T 9704-2012）。"

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT_TEMPLATE))

    def handle(self, *args, output: str, **options):
        path = build_default_template(Path(output))
        self.stdout.write(self.style.SUCCESS(f"已生成 {path}"))
