"""python manage.py periods open|lock --year Y [--quarter Q]"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bureau.models import ReportingPeriod
from bureau.services import lock_period, unlock_period


class Command(BaseCommand):
    help = (
        "开放或锁定填报期：open 开设（或解锁）填报期，lock 锁定；不带 --quarter 时为全年四个季度。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["open", "lock"], help="open 开放填报；lock 锁定")
        parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="季度 1至4")

    @transaction.atomic
    def handle(self, *args, action: str, year: int, quarter: int | None, **options):
        quarters = [quarter] if quarter else [1, 2, 3, 4]
        done = []
        for q in quarters:
            period = ReportingPeriod.objects.filter(year=year, quarter=q).first()
            if period is None:
                if action == "lock":
                    raise CommandError(f"{year}年第{q}季度的填报期尚未开设，不能锁定。")
                period = ReportingPeriod(year=year, quarter=q)
                try:
                    period.full_clean()
                except ValidationError as exc:
                    raise CommandError("；".join(exc.messages)) from None
                period._change_reason = "命令行开设"
                period.save()
            elif action == "open":
                unlock_period(period, by=None)
            if action == "lock" and not period.is_locked:
                lock_period(period, by=None)
            done.append(str(period))
        verb = "已开放" if action == "open" else "已锁定"
        self.stdout.write(self.style.SUCCESS(f"{verb}：{'、'.join(done)}"))
