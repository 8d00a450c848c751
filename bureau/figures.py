"""The contract by which each domain app publishes its figures (DESIGN.md).

An app's `metrics.py` defines `figures(year, quarter=None) -> list[Figure]`. `reports/` collects
them through `collect()` and never reads another app's tables itself. A figure carries the
queryset of the records behind it so that every number can be drilled into.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.db.models import QuerySet

PUBLISHING_APPS = ("bureau", "enterprises", "incubation", "digital", "talent", "finance")


@dataclass(frozen=True)
class Figure:
    """One published number: key ('enterprises.hitech_new'), Chinese label, unit, value."""

    key: str
    label: str
    unit: str
    value: int | Decimal | None
    year: int
    quarter: int | None = None
    records: QuerySet | None = field(default=None, compare=False, repr=False)
    section: str = ""

    @property
    def app_label(self) -> str:
        return self.key.split(".", 1)[0]


FigureSource = Callable[..., list[Figure]]


def sources() -> dict[str, FigureSource]:
    """The `figures` function of every installed app that publishes one, by app label."""
    found: dict[str, FigureSource] = {}
    for label in PUBLISHING_APPS:
        if not apps.is_installed(label):
            continue
        try:
            module = import_module(f"{label}.metrics")
        except ModuleNotFoundError as exc:
            if exc.name != f"{label}.metrics":
                raise
            continue
        found[label] = module.figures
    return found


def collect(year: int, quarter: int | None = None) -> dict[str, Figure]:
    """Every published figure for the year (and quarter), keyed by figure key."""
    result: dict[str, Figure] = {}
    for source in sources().values():
        for figure in source(year, quarter):
            result[figure.key] = figure
    return result
