"""python manage.py load_questionnaire FILE.json: load a new questionnaire edition as data."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from digital.editions import check_edition, load_edition, read_edition


class Command(BaseCommand):
    help = "载入一版数字化水平评测问卷（JSON，格式同 digital/editions/2024.json）。"

    def add_arguments(self, parser):
        parser.add_argument("file")

    @transaction.atomic
    def handle(self, *args, file: str, **options):
        try:
            data = read_edition(file)
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取 {file}：{exc}") from None
        problems = check_edition(data)
        if problems:
            raise CommandError("问卷分值有误，未载入：" + "；".join(problems))
        version, created = load_edition(data)
        if created:
            self.stdout.write(self.style.SUCCESS(f"已载入：{version}"))
        else:
            self.stdout.write(f"版本「{version.code}」已存在，未作修改（已评测的数据保持原版本）。")
