"""The contract by which each domain app publishes its figures (DESIGN.md).

An app's `metrics.py` defines `figures(year, quarter=None) -> list[Figure]`. `reports/` collects
them through `collect()` and never reads another app's tables itself. A figure carries the
queryset of the records behind it so that every number can be drilled into.

Two optional keywords extend the contract; `reports/` passes them only to a `figures` that
declares them: `enterprises` (a filtered Enterprise queryset: publish values over those
enterprises) and `keys` (the figure keys the caller needs, a key ending in "." standing for
every key it begins: the source may skip the work of the others, and may still return them).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.db.models import QuerySet
from django.dispatch import Signal

PUBLISHING_APPS = ("bureau", "enterprises", "incubation", "digital", "talent", "finance")


@dataclass(frozen=True)
class Figure:
    """One published number: key ('enterprises.hitech_new'), label, unit, value.

    The label is a Chinese msgid translated with gettext when `figures()` runs, so it is in the
    active language (Chinese by default; names from reference data and records stay as
    entered). The unit (元, 家, 个, …) is never translated: reports/ compares it by value.
    """

    key: str
    label: str
    unit: str
    value: int | Decimal | None
    year: int
    quarter: int | None = None
    records: QuerySet | None = field(default=None, compare=False, repr=False)
    section: str = ""
    # Names behind the value that prose can cite (institutions, milestones, products, topics),
    # plain display strings in the order the app chose; "name|YYYY-MM-DD" when a note is dated.
    notes: tuple[str, ...] = ()

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


# --- When published figures may have changed -------------------------------------------------
#
# Readers that keep computed figures (the dashboard's cache) key them by `data_version()`. Any
# save, delete or many-to-many change of a model of a publishing app starts a new version (the
# receivers are connected in BureauConfig.ready); paths that write without model signals
# (bulk imports, the demo seeder) call `mark_changed()` themselves.

VERSION_KEY = "bureau:figures:data-version"

# Sent once a change to the data behind the figures has been committed.
figures_changed = Signal()

# Models of publishing apps that no figure reads: a change to them keeps the version.
UNRELATED_MODELS = {"bureau.user", "enterprises.enterpriseaccount", "talent.personaldataaccess"}


def data_version() -> str:
    """The current version of the data behind the figures (an opaque string)."""
    from django.core.cache import cache

    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "unversioned"
    return version


def mark_changed() -> None:
    """Start a new data version now and again when the current transaction commits, so a
    figure computed from the uncommitted state during the transaction is not kept."""
    from django.core.cache import cache
    from django.db import transaction

    def bump() -> None:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)

    def committed() -> None:
        bump()
        figures_changed.send(sender=Figure)

    bump()
    transaction.on_commit(committed)


def affects_figures(model) -> bool:
    meta = model._meta
    return (
        meta.app_label in PUBLISHING_APPS
        and meta.label_lower not in UNRELATED_MODELS
        and not meta.model_name.startswith("historical")
    )


def on_model_change(sender, **kwargs) -> None:
    """Receiver of post_save, post_delete and m2m_changed for every model."""
    if kwargs.get("raw"):
        return  # fixtures loading
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return
    if affects_figures(sender):
        mark_changed()
