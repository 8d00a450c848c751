"""The contract by which each domain app publishes its figures (DESIGN.md).

An app's `metrics.py` defines `figures(year, quarter=None) -> list[Figure]`. `reports/` collects
them through `collect()` and never reads another app's tables itself. A figure carries the
queryset of the records behind it so that every number can be drilled into.

Two optional keywords extend the contract; `reports/` passes them only to a `figures` that
declares them: `enterprises` (a filtered Enterprise queryset: publish values over those
enterprises) and `keys` (the figure keys the caller needs, a key ending in "." standing for
every key it begins: the source may skip the work of the others, and may still return them).
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.db.models import QuerySet
from django.dispatch import Signal

logger = logging.getLogger(__name__)

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
#
# Nothing of this may fail a save (DESIGN.md, "Nothing lost"): the change is committed, or is
# about to be, when the version is bumped and the receivers of `figures_changed` run (the
# dashboard's warming task, on the broker). A cache or broker that is down is logged with what
# changed, and the user sees the success the save deserves; the dashboard then reads figures
# computed in the request (reports.selectors), and the warming runs again on its schedule.

VERSION_KEY = "bureau:figures:data-version"

# Sent once a change to the data behind the figures has been committed, with `reason` (what
# changed). A receiver that raises is logged and does not stop the others or the request.
figures_changed = Signal()

# Models of publishing apps that no figure reads: a change to them keeps the version.
UNRELATED_MODELS = {"bureau.user", "enterprises.enterpriseaccount", "talent.personaldataaccess"}


def data_version() -> str:
    """The current version of the data behind the figures (an opaque string). Raises what the
    cache raises when it is down: a reader then computes without it (reports.selectors)."""
    from django.core.cache import cache

    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "unversioned"
    return version


def mark_changed(reason: str = "") -> None:
    """Start a new data version now and again when the current transaction commits, so a
    figure computed from the uncommitted state during the transaction is not kept; then tell
    the receivers of `figures_changed`. Never raises: a failure is logged with `reason`."""
    from django.db import transaction

    _bump_version(reason)
    transaction.on_commit(lambda: _after_commit(reason))


def start_new_version() -> None:
    """A new data version now: run when the cache answers again after an outage during which
    this process could not record a change (bureau.cache.on_recovery)."""
    _bump_version("changes made while the cache was unreachable")


def _bump_version(reason: str) -> None:
    from django.core.cache import cache

    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.exception(
            "could not start a new figures data version after %s; the change is saved, "
            "kept dashboard figures may lag until the cache is back",
            reason or "a change",
        )


def _after_commit(reason: str) -> None:
    _bump_version(reason)
    for receiver, result in figures_changed.send_robust(sender=Figure, reason=reason):
        if isinstance(result, Exception):
            logger.error(
                "after-commit work %s.%s failed after %s; the change is saved",
                getattr(receiver, "__module__", "?"),
                getattr(receiver, "__qualname__", repr(receiver)),
                reason or "a change",
                exc_info=result,
            )


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
        instance = kwargs.get("instance")
        what = "saved" if action is None else action
        if "created" not in kwargs and action is None:
            what = "deleted"
        pk = getattr(instance, "pk", None)
        mark_changed(f"{sender._meta.label_lower} {pk} {what}")
