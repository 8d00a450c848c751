"""The contract by which each domain app publishes its figures (DESIGN.md).

An app's `metrics.py` defines `figures(year, quarter=None) -> list[Figure]`. `reports/` collects
them through `collect()` and never reads another app's tables itself. A figure carries the
queryset of the records behind it so that every number can be drilled into.

Two optional keywords extend the contract; `reports/` passes them only to a `figures` that
declares them: `enterprises` (a filtered Enterprise queryset: publish values over those
enterprises) and `keys` (the figure keys the caller needs, a key ending in "." standing for
every key it begins: the source may skip the work of the others, and may still return them).

A metrics module also declares `READS`: the apps and models its figures read (`reads`). Kept
figures are invalidated by what changed: each change moves the version of its model and app
(`versions`, `mark_changed`, `on_model_change`), and a reader keeps an app's figures under the
versions of exactly what that app's figures read, so an edit in one app leaves the others'.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable, Collection, Mapping
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


# --- What each source reads -------------------------------------------------------------------
#
# A source's module declares `READS`: the data its figures' values, labels and notes are read
# from, each entry an app label ("talent": every table of the app) or a model label
# ("bureau.activity": that table only, many-to-many tables included). A source that declares
# nothing is taken to read every publishing app. Readers that keep figures key them by the
# versions of exactly what their source reads (`versions`), so an edit in talent leaves
# finance's figures in place.


def reads(label: str) -> tuple[str, ...]:
    """What the figures of the app `label` read (its metrics module's READS), every
    publishing app when it declares nothing."""
    try:
        module = import_module(f"{label}.metrics")
    except ModuleNotFoundError as exc:
        if exc.name != f"{label}.metrics":
            raise
        return PUBLISHING_APPS
    declared = getattr(module, "READS", None)
    return PUBLISHING_APPS if declared is None else tuple(declared)


# --- When published figures may have changed -------------------------------------------------
#
# Versions live in the cache, one per app and one per model of an app (a "channel"), under an
# epoch shared by all. A save, delete or many-to-many change of a model of a publishing app
# (the receivers are connected in BureauConfig.ready) starts a new version of its model and of
# its app; a status change of an application (bureau.ApplicationTransition) counts as a change
# of the application's own model. `mark_changed(apps=...)` starts new versions of the apps or
# models named (an app named without its model also moves every model of it); without `apps`
# (bulk imports, the demo seeder, a change this process could not record) it starts a new
# epoch: every kept figure is computed anew.
#
# A reader of an app reads its app's version (moved by any of its models); a reader of a model
# reads the model's version and the app-wide one (moved when a change names the app only).
#
# Nothing of this may fail a save (DESIGN.md, "Nothing lost"): the change is committed, or is
# about to be, when the versions are bumped and the receivers of `figures_changed` run (the
# dashboard's warming task, on the broker). A cache or broker that is down is logged with what
# changed, and the user sees the success the save deserves; the dashboard then reads figures
# computed in the request (reports.selectors), and the warming runs again on its schedule.

VERSION_KEY = "bureau:figures:data-version"  # the epoch: part of every version
CHANNEL_KEY = "bureau:figures:version:"  # + app label, model label, or "<app>:*" (app-wide)

# Sent once a change to the data behind the figures has been committed, with `reason` (what
# changed) and `apps` (the channels whose version moved; None: all). A receiver that raises is
# logged and does not stop the others or the request.
figures_changed = Signal()

# Models of publishing apps that no figure reads: a change to them keeps the versions.
UNRELATED_MODELS = {"bureau.user", "enterprises.enterpriseaccount", "talent.personaldataaccess"}

TRANSITION_MODEL = "bureau.applicationtransition"


def _channel_keys(channel: str) -> list[str]:
    """The cache keys a reader of `channel` depends on, after the epoch."""
    if "." in channel:
        return [CHANNEL_KEY + channel, CHANNEL_KEY + channel.split(".", 1)[0] + ":*"]
    return [CHANNEL_KEY + channel]


def _bump_keys(channel: str) -> list[str]:
    """The cache keys a change of `channel` moves."""
    if "." in channel:
        return [CHANNEL_KEY + channel, CHANNEL_KEY + channel.split(".", 1)[0]]
    return [CHANNEL_KEY + channel, CHANNEL_KEY + channel + ":*"]


def versions(channels: Collection[str]) -> str | None:
    """The version of the data of `channels` (app or model labels): an opaque string that
    changes when any of them changes, or None when the cache cannot tell (a reader then
    computes without keeping). Raises what the cache raises when it is down."""
    return versions_of({"": channels})[""]


def versions_of(groups: Mapping[str, Collection[str]]) -> dict[str, str | None]:
    """`versions` of each group of channels, by the group's name, in one cache round trip
    when the versions exist (two more the first time)."""
    from django.core.cache import cache

    wanted = {
        name: [VERSION_KEY, *sorted({k for c in channels for k in _channel_keys(c)})]
        for name, channels in groups.items()
    }
    keys = sorted({k for group in wanted.values() for k in group})
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, None)
        found.update(cache.get_many(missing))
    return {
        name: None
        if any(k not in found for k in group)
        else hashlib.sha256("|".join(str(found[k]) for k in group).encode()).hexdigest()[:20]
        for name, group in wanted.items()
    }


def data_version() -> str:
    """The version of all the data behind the figures (every publishing app): see
    `versions`; "unversioned" when the cache cannot tell."""
    return versions(PUBLISHING_APPS) or "unversioned"


def mark_changed(reason: str = "", apps: Collection[str] | None = None) -> None:
    """Start new versions of `apps` (app or model labels; None: everything) now and again when
    the current transaction commits, so a figure computed from the uncommitted state during the
    transaction is not kept; then tell the receivers of `figures_changed`. Never raises: a
    failure is logged with `reason`."""
    from django.db import transaction

    channels = None if apps is None else tuple(sorted(set(apps)))
    _bump_version(reason, channels)
    transaction.on_commit(lambda: _after_commit(reason, channels))


def start_new_version() -> None:
    """A new epoch now: run when the cache answers again after an outage during which this
    process could not record a change (bureau.cache.on_recovery)."""
    _bump_version("changes made while the cache was unreachable", None)


def _bump_version(reason: str, channels: tuple[str, ...] | None) -> None:
    from django.core.cache import cache

    if channels is None:
        keys = [VERSION_KEY]
    else:
        keys = sorted({k for c in channels for k in _bump_keys(c)})
    try:
        fresh = uuid.uuid4().hex
        cache.set_many(dict.fromkeys(keys, fresh), None)
    except Exception:
        logger.exception(
            "could not start a new figures data version after %s; the change is saved, "
            "kept dashboard figures may lag until the cache is back",
            reason or "a change",
        )


def _after_commit(reason: str, channels: tuple[str, ...] | None) -> None:
    _bump_version(reason, channels)
    results = figures_changed.send_robust(sender=Figure, reason=reason, apps=channels)
    for receiver, result in results:
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


def changed_channels(sender, instance, kwargs) -> tuple[str, ...] | None:
    """The model labels a change moves (None: unknown, so everything). A many-to-many change
    moves the relation's table and the model whose field it is (a model label stands for its
    many-to-many tables too); an application's status transition moves the application's own
    model."""
    label = sender._meta.label_lower
    if label == TRANSITION_MODEL:
        from django.contrib.contenttypes.models import ContentType

        try:
            model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
        except Exception:
            return None
        if model is None:
            return None
        return (label, model._meta.label_lower)
    owner = sender._meta.auto_created  # the model whose many-to-many field this table is
    if owner:
        return (label, owner._meta.label_lower)
    return (label,)


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
        channels = changed_channels(sender, instance, kwargs)
        mark_changed(f"{sender._meta.label_lower} {pk} {what}", apps=channels)
