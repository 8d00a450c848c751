"""python manage.py seed_demo [--scale N]: the demo zone whose 2024 summary is the seed's.

Each app contributes steps through `STEPS = [(order, function)]` in its `demo.py`; steps run
in order, each in its own transaction, and only create what is missing, so a second run
changes nothing. --scale adds N synthetic enterprises with five years of figures and every
app's records in the demo's proportions, for benchmarks; each step reports its time, and the
scale steps their progress (in chunks, so memory stays flat in N).
"""

import time
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from bureau import figures


def demo_steps() -> list:
    steps = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        steps.extend(getattr(module, "STEPS", []))
    return [fn for _order, fn in sorted(steps, key=lambda s: s[0])]


class Command(BaseCommand):
    help = "载入演示数据（可重复运行，不会重复创建）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=0, help="另外生成 N 家合成企业（用于性能测试）"
        )

    def handle(self, *args, scale: int, **options):
        from enterprises import prescreening

        begin = time.perf_counter()
        for step in demo_steps():
            start = time.perf_counter()
            # Pre-screening results are computed once, by the last step, not per saved row.
            with transaction.atomic(), prescreening.importing():
                created = step(scale=scale)
            if created:
                elapsed = time.perf_counter() - start
                self.stdout.write(
                    f"{step.__module__}.{step.__name__}: {created}（{elapsed:.1f} 秒）"
                )
                self.stdout.flush()
        figures.mark_changed()  # bulk inserts send no model signals
        if scale and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load
        if scale:
            self.stdout.write(f"共用时 {time.perf_counter() - begin:.1f} 秒")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
