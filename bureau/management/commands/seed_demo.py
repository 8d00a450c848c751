"""python manage.py seed_demo [--scale N]: the demo zone whose 2024 summary is the seed's.

Each app contributes steps through `STEPS = [(order, function)]` in its `demo.py`; steps run
in order inside one transaction and only create what is missing, so a second run changes
nothing. --scale adds N synthetic enterprises with figures, for benchmarks.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


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
        with transaction.atomic():
            for step in demo_steps():
                created = step(scale=scale)
                if created:
                    self.stdout.write(f"{step.__module__}.{step.__name__}: {created}")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
