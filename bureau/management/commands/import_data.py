"""python manage.py import_data <dataset> <file.xlsx> [--dry-run] [--update] | --template out.xlsx"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from bureau.importing import load_dataset, run_import, template_workbook


def available_datasets() -> dict:
    """Every app's import resources, from the DATASETS mapping of its `imports` module."""
    found = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.imports")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.imports":
                raise
            continue
        found.update(getattr(module, "DATASETS", {}))
    return found


class Command(BaseCommand):
    help = "从 Excel 导入数据（全部成功或全部不导入）；或用 --template 生成空白模板。"

    def add_arguments(self, parser):
        parser.add_argument("dataset", help="数据集名称，如 enterprises、annual_figures")
        parser.add_argument("file", nargs="?", help=".xlsx 或 .csv 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument(
            "--update",
            action="store_true",
            help="与已有记录（按统一社会信用代码或各数据集的识别列）相同的行更新该记录，而不是报错",
        )
        parser.add_argument(
            "--template", metavar="OUT.xlsx", help="写出空白模板（表头、示例行、填表说明）"
        )

    def handle(
        self,
        *args,
        dataset: str,
        file: str | None,
        dry_run: bool,
        template: str | None,
        update: bool = False,
        **kw,
    ):
        datasets = available_datasets()
        if dataset not in datasets:
            raise CommandError(f"未知的数据集「{dataset}」。可用：{'、'.join(sorted(datasets))}")
        resource = datasets[dataset](update=update)
        if template:
            with open(template, "wb") as handle:
                handle.write(template_workbook(resource))
            self.stdout.write(f"已写出模板：{template}")
            return
        if not file:
            raise CommandError("请指定要导入的文件，或使用 --template 生成模板。")
        try:
            data = load_dataset(file)
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{file}") from None
        except Exception as exc:
            raise CommandError(f"无法读取文件 {file}：{exc}") from None
        outcome = run_import(resource, data, dry_run=dry_run)
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"共 {outcome.total_rows} 行，发现 {len(outcome.errors)} 处错误，未导入任何数据。"
            )
        verb = "校验通过（未写入）" if dry_run else "导入完成"
        skipped = f"跳过示例行 {outcome.skipped} 行，" if outcome.skipped else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}：共 {outcome.total_rows} 行，{skipped}"
                f"新增 {outcome.new} 行，更新 {outcome.updated} 行。"
            )
        )
