"""What reports read: the figures every app publishes (bureau.figures), the year's targets,
and the summary with its sections. Nothing here queries another app's tables directly; a
zone/industry filter narrows a figure through the records the app published with it.

Query budget of the dashboard, whatever the number of enterprises (asserted in tests):
one `collect` for the year (the figures shown), one for the year before (the tiles' and
targets' figures), one per quarter (the charted figures), the targets, and, with a zone or
industry filter, one count per filterable figure asked for.

The dashboard reads figure values through `figure_values`, which keeps each app's part of a
`collect` (without its records) in the cache under the versions of what that app's figures read
(bureau.figures.reads and .versions; with a filter, the enterprises' too): a change to a record
moves the versions of its model and app only, so a reader never sees a value older than the
last committed change it depends on, and after an edit in talent only talent's figures are
computed again. A cold entry is computed by one reader at a time (`_single_flight`); the others
wait for it, or serve the last value kept with the moment it was computed. With the cache warm
the dashboard costs the targets' query and the session's; the apps' panels are kept per app
the same way (`cached_panels`).
"""

from __future__ import annotations

import datetime
import hashlib
import inspect
import logging
import time
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bureau import figures as registry
from bureau.figures import Figure
from bureau.models import Target
from enterprises.models import Enterprise

from . import summary as spec
from .models import AnnualSummary, NarrativeParagraph, PlanItem, SummarySection

logger = logging.getLogger(__name__)

# Units of figures that are counts of their records, so a filtered count is meaningful.
COUNT_UNITS = {"家", "个", "次", "人", "项", "件", "场", "户"}

# Figures the dashboard charts by quarter (cumulative to each quarter's end).
TREND_KEYS = [
    "enterprises.hitech_new",
    "enterprises.tech_sme_registered",
    "digital.assessed_enterprises",
    "talent.executives",
    "bureau.activities.policy_seminar",
    "bureau.activities.door_to_door",
]
MONEY_TREND_KEYS = ["finance.signed_on_site"]

# Distributions: every figure whose key starts with the prefix is one slice / bar, by label.
DISTRIBUTIONS = [
    ("tiers", "enterprises.tiers.", _lazy("梯次企业（按类型与级别）")),
    ("digital_levels", "digital.levels.", _lazy("数字化水平分布")),
    ("platforms", "incubation.platforms.", _lazy("研发平台（按级别）")),
    ("financing", "finance.by_bank.", _lazy("融资签约（按银行）")),
    ("activities", "bureau.activities.", _lazy("工作活动（按类型）")),
]


def enterprise_path(model) -> str | None:
    """How a figure's records reach an enterprise: '' for Enterprise itself, else a lookup."""
    if model is Enterprise:
        return ""
    for f in model._meta.get_fields():
        if getattr(f, "related_model", None) is Enterprise and not f.auto_created:
            return f.name
    return None


def collect(
    year: int,
    quarter: int | None = None,
    *,
    enterprises: QuerySet | None = None,
    apps: Collection[str] | None = None,
    keys: Collection[str] | None = None,
) -> dict[str, Figure]:
    """Every published figure for the year (and quarter), by key; with `apps`, only the
    figures of those apps (a drill-down needs its figure's app only); with `keys`, only those
    figures (a key ending in "." stands for every key it begins), from their apps, and a
    source whose `figures` accepts a `keys` keyword is told which it may skip (the quarter
    trends need seven figures of five apps).

    With `enterprises` (a filtered Enterprise queryset), a source whose `figures` accepts an
    `enterprises` keyword gets it; other figures that count their records are recounted over
    those enterprises; figures that can be neither (sums in 元) are dropped, so they show as
    missing rather than as a number that ignores the filter.
    """
    if keys is not None:
        keys = frozenset(keys)
        prefixes = tuple(key for key in keys if key.endswith("."))
        wanted_apps = {key.split(".", 1)[0] for key in keys}
        apps = wanted_apps if apps is None else wanted_apps & set(apps)

    def asked(key: str) -> bool:
        return keys is None or key in keys or key.startswith(prefixes)

    result: dict[str, Figure] = {}
    for label, source in registry.sources().items():
        if apps is not None and label not in apps:
            continue
        accepts = inspect.signature(source).parameters
        options = {"keys": keys} if keys is not None and "keys" in accepts else {}
        if enterprises is None:
            published = source(year, quarter, **options)
        elif "enterprises" in accepts:
            published = source(year, quarter, enterprises=enterprises, **options)
        else:
            published = [
                narrowed
                for figure in source(year, quarter, **options)
                if asked(figure.key) and (narrowed := narrow(figure, enterprises)) is not None
            ]
        for figure in published:
            if asked(figure.key):
                result[figure.key] = figure
    return result


def figure_values(
    year: int,
    quarter: int | None = None,
    *,
    enterprises: QuerySet | None = None,
    scope: str = "",
    apps: Collection[str] | None = None,
    keys: Collection[str] | None = None,
) -> dict[str, Figure]:
    """`collect`'s figures without their records, kept in the cache for the data version.

    `scope` names the filter behind `enterprises` (e.g. "zone=3&industry=C") and is part of
    the cache key; a filtered call without a scope is computed every time.
    """
    return kept_values(year, quarter, enterprises=enterprises, scope=scope, apps=apps, keys=keys)[0]


def kept_values(
    year: int,
    quarter: int | None = None,
    *,
    enterprises: QuerySet | None = None,
    scope: str = "",
    apps: Collection[str] | None = None,
    keys: Collection[str] | None = None,
    serve_last: bool = False,
) -> tuple[dict[str, Figure], datetime.datetime]:
    """`figure_values` with the moment its values were computed (the oldest app's).

    Each app's figures are kept apart, under the versions of what that app's figures read
    (bureau.figures.reads), and of the enterprises too when filtered: after an edit in one app
    only the apps reading it are computed again. One cache round trip for the versions and one
    for the kept values when all are kept.

    With `serve_last` (the dashboard, which shows that moment), a reader that finds another
    computing a cold entry for too long serves the last value kept instead; without it (a
    summary's snapshot, which must be current) it computes itself."""
    seconds = settings.FIGURE_CACHE_SECONDS
    if not seconds or (enterprises is not None and not scope):
        return collect(year, quarter, enterprises=enterprises, apps=apps, keys=keys), timezone.now()
    labels = _asked_apps(apps, keys)
    what = f"figures {year} Q{quarter or '-'} {scope or '*'}"
    try:
        entries = kept_entries(
            labels, year, quarter, scope=scope, keys=keys, filtered=enterprises is not None
        )
        if any(entry is None for entry in entries.values()):
            raise _Unversioned(what)
        kept = cache.get_many([key for key, _last in entries.values()])
    except Exception as exc:
        if not isinstance(exc, _Unversioned):
            logger.exception("figure cache unreadable for %s: computed in the request", what)
        return collect(year, quarter, enterprises=enterprises, apps=apps, keys=keys), timezone.now()

    result: dict[str, Figure] = {}
    moments = []
    for label, (key, last) in entries.items():

        def compute(label: str = label) -> tuple[dict[str, Figure], datetime.datetime]:
            computed = collect(year, quarter, enterprises=enterprises, apps=[label], keys=keys)
            return {k: replace(f, records=None) for k, f in computed.items()}, timezone.now()

        values, at = kept.get(key) or _single_flight(
            key, last, compute, seconds, f"{what} {label}", serve_last=serve_last
        )
        result.update(values)
        moments.append(at)
    return result, min(moments, default=timezone.now())


def kept_entry(
    label: str,
    year: int,
    quarter: int | None = None,
    *,
    scope: str = "",
    keys: Collection[str] | None = None,
    filtered: bool = False,
) -> tuple[str, str] | None:
    """The cache keys of app `label`'s kept figures (in the active language): the entry of
    the current versions of what they read, and the last one kept whatever its versions. None
    when the cache cannot tell the versions. Raises what the cache raises."""
    return kept_entries([label], year, quarter, scope=scope, keys=keys, filtered=filtered)[label]


def kept_entries(
    labels: Collection[str],
    year: int,
    quarter: int | None = None,
    *,
    scope: str = "",
    keys: Collection[str] | None = None,
    filtered: bool = False,
) -> dict[str, tuple[str, str] | None]:
    """`kept_entry` of each app of `labels`, reading their versions in one round trip."""
    groups = {}
    for label in labels:
        reads = set(registry.reads(label))
        if filtered:
            reads.add("enterprises")  # the filter reads the enterprises' zone, industry…
        groups[label] = reads
    found = registry.versions_of(groups)
    entries: dict[str, tuple[str, str] | None] = {}
    for label in labels:
        if found[label] is None:
            entries[label] = None
            continue
        wanted = (
            ",".join(sorted(k for k in keys if k.split(".", 1)[0] == label))
            if keys is not None
            else "*"
        )
        digest = hashlib.sha256(f"{scope}|{wanted}".encode()).hexdigest()[:16]
        place = ":".join([get_language() or "", str(year), str(quarter or 0), digest, label])
        entries[label] = (
            f"reports:figures:{found[label]}:{place}",
            f"reports:figures-last:{place}",
        )
    return entries


class _Unversioned(Exception):
    """The cache could not tell the data's version: nothing may be kept."""


def _asked_apps(apps: Collection[str] | None, keys: Collection[str] | None) -> list[str]:
    """The publishing apps a `collect` with these `apps` and `keys` calls, in source order."""
    labels = list(registry.sources())
    if apps is not None:
        labels = [label for label in labels if label in apps]
    if keys is not None:
        wanted = {key.split(".", 1)[0] for key in keys}
        labels = [label for label in labels if label in wanted]
    return labels


# Single flight (one computation per key at a time): the first reader of a cold key takes a
# lock and computes; the others poll for its result for up to LOCK_WAIT_SECONDS, then serve the
# last value kept for the same figures (under a key without versions, with the moment it was
# computed, which the dashboard shows; only readers that show it: the dashboard and its
# panels), or compute themselves when there is none (or they must be current: a snapshot).
LOCK_SECONDS = 120  # longer than any computation: a reader that died frees the key by then
LOCK_WAIT_SECONDS = 3.0
POLL_SECONDS = 0.05


def _single_flight(
    key: str, last: str | None, compute, seconds: int, what: str, *, serve_last: bool = False
):
    """`compute()`'s result for the cold `key`, computed by one reader at a time (see above)
    and kept under `key` and `last` (served while waiting only with `serve_last`). A cache
    that fails is logged and the result computed in the request: the dashboard is slower,
    never a server error."""
    from bureau.cache import is_down

    lock = f"{key}:computing"
    try:
        leader = bool(cache.add(lock, 1, LOCK_SECONDS))
    except Exception:
        logger.exception("figure cache unusable for %s: computed in the request", what)
        return compute()
    if not leader and not is_down():
        waited = _wait_for(key, lock, last if serve_last else None, what)
        if waited is not None:
            return waited
    try:
        result = compute()
    finally:
        if leader:
            _quietly(cache.delete, lock, what=what)
    stored = {key: result, last: result} if last else {key: result}
    _quietly(cache.set_many, stored, seconds, what=what)
    return result


def _wait_for(key: str, lock: str, last: str | None, what: str):
    """The value another reader is computing under `key`, once it is there; else the last
    value kept under `last`; None when neither (the caller computes)."""
    from bureau.cache import is_down

    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    try:
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            found = cache.get_many([key, lock])
            if key in found:
                return found[key]
            if lock not in found or is_down():
                break  # the computing reader gave up or died, or the cache went away
        return cache.get(last) if last else None
    except Exception:
        logger.exception("figure cache unreadable for %s: computed in the request", what)
        return None


def _quietly(operation, *args, what: str) -> None:
    try:
        operation(*args)
    except Exception:
        logger.exception("figure cache unwritable for %s: not kept", what)


def _kept(key, compute, seconds: int, what: str, last=None, serve_last: bool = False):
    """`compute()`'s result kept in the cache under `key()` (which reads the data versions;
    None: unknown, nothing kept), computed once at a time (`_single_flight`). A cache that
    cannot be read or written is logged and the result computed in the request: the dashboard
    is slower, never a server error."""
    try:
        cache_key = key()
        kept = None if cache_key is None else cache.get(cache_key)
    except Exception:
        logger.exception("figure cache unreadable for %s: computed in the request", what)
        return compute()
    if cache_key is None:
        return compute()
    if kept is None:
        kept = _single_flight(cache_key, last, compute, seconds, what, serve_last=serve_last)
    return kept


# What an app's dashboard panel reads besides what its figures read: the enterprises it names.
PANEL_READS = ("enterprises",)


def cached_panels(year: int, request) -> list[str]:
    """The apps' dashboard panels (rendered HTML), each kept in the cache under the versions
    of what its app's figures read and the enterprises (bureau.reminders.dashboard_panels)."""
    from django.template.loader import render_to_string

    from bureau.reminders import _sources

    seconds = settings.FIGURE_CACHE_SECONDS
    panels = []
    for source in _sources("dashboard_panel"):
        label = django_apps.get_containing_app_config(source.__module__).label

        def render(source=source) -> str:
            template, context = source(year)
            return render_to_string(template, context, request)

        if not seconds:
            panels.append(render())
            continue
        reads = {*registry.reads(label), *PANEL_READS}
        place = f"{get_language()}:{year}:{label}"
        panels.append(
            _kept(
                lambda reads=reads, place=place: (
                    None
                    if (version := registry.versions(reads)) is None
                    else f"reports:panels:{version}:{place}"
                ),
                render,
                seconds,
                f"panel {label} {year}",
                last=f"reports:panels-last:{place}",
                serve_last=True,
            )
        )
    return panels


def narrow(figure: Figure, enterprises: QuerySet) -> Figure | None:
    """The figure recounted over the given enterprises, or None when it cannot be.

    Counted as COUNT(DISTINCT id) over the records (a join to many enterprises may repeat a
    record), not COUNT(*) over a SELECT DISTINCT of every column; the records stay distinct
    for the drill-down."""
    if figure.records is None or figure.unit not in COUNT_UNITS:
        return None
    path = enterprise_path(figure.records.model)
    if path is None:
        return None
    if not path and _combinable(figure.records, enterprises):
        # Enterprise records: the filter's conditions on the same rows, not a second join of
        # the enterprises table (which PostgreSQL may nest-loop against the records).
        matching = figure.records & enterprises.order_by()
    else:
        lookup = f"{path}__in" if path else "pk__in"
        matching = figure.records.filter(**{lookup: enterprises.values("pk")})
    return Figure(
        key=figure.key,
        label=figure.label,
        unit=figure.unit,
        value=distinct_count(matching),
        year=figure.year,
        quarter=figure.quarter,
        records=matching.distinct(),
        section=figure.section,
    )


def _combinable(records: QuerySet, enterprises: QuerySet) -> bool:
    """Whether `records & enterprises` is their intersection as one WHERE (same model, neither
    sliced, distinct or grouped, and the filter adds no annotation or join of its own)."""
    a, b = records.query, enterprises.query
    return (
        records.model is enterprises.model
        and not (a.distinct or b.distinct or a.is_sliced or b.is_sliced)
        and a.group_by is None
        and b.group_by is None
        and not b.annotations
        and not b.select_related
        and sum(1 for count in b.alias_refcount.values() if count) <= 1  # no join used
    )


def distinct_count(records: QuerySet) -> int:
    """How many distinct rows `records` holds, in one query: COUNT(DISTINCT pk), or over a
    queryset already distinct COUNT(*) of its distinct ids (one column, not every column)."""
    if records.query.distinct:
        return records.order_by().values("pk").count()
    return records.order_by().aggregate(n=Count("pk", distinct=True))["n"]


@dataclass
class Tile:
    """A KPI tile: this year's value, last year's, and the target when there is one."""

    key: str
    label: str
    unit: str
    figure: Figure | None
    previous: Figure | None
    target: Target | None = None

    @property
    def value(self):
        return None if self.figure is None else self.figure.value

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None or self.previous.value is None:
            return None
        return Decimal(self.value) - Decimal(self.previous.value)

    @property
    def change_percent(self) -> Decimal | None:
        if self.change is None or not self.previous.value:
            return None
        return (self.change * 100 / Decimal(self.previous.value)).quantize(Decimal("0.1"))

    @property
    def percent(self) -> int | None:
        """Progress against the target in whole percent, above 100 when exceeded (105)."""
        if self.target is None or self.value is None or not self.target.target_value:
            return None
        return int(Decimal(self.value) * 100 / self.target.target_value)

    @property
    def bar_percent(self) -> int | None:
        """The bar's fill, 0–100: a target exceeded fills it (and is coloured apart)."""
        return None if self.percent is None else max(0, min(100, self.percent))

    @property
    def exceeded(self) -> bool:
        return self.percent is not None and self.percent > 100

    @property
    def is_money(self) -> bool:
        return self.unit == "元"


# Kept for the foundation's callers; a TargetProgress is a Tile with a target.
TargetProgress = Tile


@dataclass
class DashboardData:
    year: int
    quarter: int | None
    figures: dict[str, Figure]
    previous: dict[str, Figure]
    tiles: list[Tile]
    targets: list[Tile]
    trends: dict = field(default_factory=dict)
    distributions: list[dict] = field(default_factory=list)
    filtered: bool = False
    # When the oldest of the figures shown was computed (they are kept per data version).
    computed_at: datetime.datetime | None = None


def _narrowable_money(key: str, enterprises: QuerySet | None) -> bool:
    """Whether a money trend can be shown under the filter: always unfiltered; filtered only
    when its app narrows its own figures (`narrow` drops sums in 元), else its app's figures
    need not be computed for each quarter only to be dropped."""
    if enterprises is None:
        return True
    source = registry.sources().get(key.split(".", 1)[0])
    return source is not None and "enterprises" in inspect.signature(source).parameters


def _label_for(key: str, *sources: dict[str, Figure]) -> tuple[str, str]:
    for figures in sources:
        if key in figures:
            return figures[key].label, figures[key].unit
    return FIGURE_LABELS.get(key, (key, ""))


def _number(value) -> float | None:
    return None if value is None else float(value)


def dashboard_data(
    year: int,
    quarter: int | None = None,
    *,
    enterprises: QuerySet | None = None,
    scope: str = "",
    source=None,
) -> DashboardData:
    """Everything the leadership dashboard shows for the year (to the quarter), filtered.

    Figures come from `figure_values` (cached per data version); `scope` names the filter.
    `source(year, quarter, keys)`, when given, supplies the figures instead (a summary's
    snapshot: `snapshot_dashboard`)."""

    moments = []

    def values(y: int, q: int | None, keys: Collection[str] | None = None) -> dict[str, Figure]:
        if source is not None:
            moments.append(timezone.now())
            return source(y, q, keys)
        result, at = kept_values(
            y, q, enterprises=enterprises, scope=scope, keys=keys, serve_last=True
        )
        moments.append(at)
        return result

    targets = list(Target.objects.filter(year=year).order_by("figure_key"))
    target_keys = {t.figure_key for t in targets}
    tile_keys = [k for k in spec.figure_keys() if not k.startswith("target:")]
    shown = target_keys.union(tile_keys)
    # This year's values serve the tiles and the distributions; last year's the tiles' change.
    figures = values(year, quarter, sorted(shown.union(p for _c, p, _t in DISTRIBUTIONS)))
    previous = values(year - 1, quarter, sorted(shown))

    # A target tile reads in its figure's unit (the target's own unit is typed by staff and may
    # differ: 次 for a count of enterprises); the target's unit only stands in without a figure.
    target_tiles = [
        Tile(
            t.figure_key,
            t.label,
            figures[t.figure_key].unit if t.figure_key in figures else t.unit,
            figures.get(t.figure_key),
            previous.get(t.figure_key),
            t,
        )
        for t in targets
    ]
    tiles = []
    for key in tile_keys:
        if key in target_keys:
            continue
        label, unit = _label_for(key, figures, previous)
        tiles.append(Tile(key, label, unit, figures.get(key), previous.get(key)))

    # The quarter trends need only the charted figures, up to the quarter filtered on.
    shown_quarters = list(range(1, (quarter or 4) + 1))
    trend_keys = TREND_KEYS + [k for k in MONEY_TREND_KEYS if _narrowable_money(k, enterprises)]
    quarters = {q: values(year, q, trend_keys) for q in shown_quarters}
    trend_series = []
    for key in TREND_KEYS + MONEY_TREND_KEYS:
        label, unit = _label_for(key, figures, *quarters.values())
        values = [
            _number(quarters[q][key].value) if key in quarters[q] else None for q in shown_quarters
        ]
        if key in MONEY_TREND_KEYS:
            values = [None if v is None else round(v / 10_000, 2) for v in values]
            unit = "万元"
        trend_series.append(
            {
                "key": key,
                "name": label,
                "unit": unit,
                "money": key in MONEY_TREND_KEYS,
                "data": values,
                "missing": all(v is None for v in values),
            }
        )

    distributions = []
    for code, prefix, title in DISTRIBUTIONS:
        items = [
            # Money slices are drawn in 万元, as every amount on the dashboard is shown.
            {
                "name": f.label,
                "value": round(float(f.value) / 10_000, 2),
                "key": f.key,
                "unit": "万元",
            }
            if f.unit == "元"
            else {"name": f.label, "value": _number(f.value), "key": f.key, "unit": f.unit}
            for key, f in sorted(figures.items())
            if key.startswith(prefix) and f.value is not None
        ]
        # All zero: nothing to divide (a pie would draw equal slices); shown as the empty note.
        empty = not any(i["value"] for i in items)
        distributions.append({"code": code, "title": str(title), "items": items, "empty": empty})

    return DashboardData(
        year=year,
        quarter=quarter,
        figures=figures,
        previous=previous,
        tiles=tiles,
        targets=target_tiles,
        trends={
            "quarters": [_("第%(q)s季度") % {"q": q} for q in shown_quarters],
            "series": trend_series,
        },
        distributions=distributions,
        filtered=enterprises is not None,
        computed_at=min(moments),
    )


def _probe_keys() -> list[str]:
    """The figures that tell whether a year has data: the tiles' and the distributions'."""
    tile_keys = [k for k in spec.figure_keys() if not k.startswith("target:")]
    return sorted(set(tile_keys).union(p for _c, p, _t in DISTRIBUTIONS))


def year_has_data(year: int) -> bool:
    """Whether any of the year's dashboard figures is other than zero or missing (read
    through the figures kept in the cache, as the dashboard reads them)."""
    figures = figure_values(year, keys=_probe_keys())
    return any(f.value for f in figures.values())


def dashboard_year(years: list[int]) -> tuple[int, bool]:
    """The year the dashboard opens on: the latest of `years` (newest first) that has data,
    and whether that is not the first (the current year had none); the first if none has."""
    for year in years:
        if year_has_data(year):
            return year, year != years[0]
    return years[0], False


# Labels of the summary's figure keys, for showing a figure that no app publishes yet.
FIGURE_LABELS: dict[str, tuple[str, str]] = {
    key: (spec.key_label(key), "") for key in spec.figure_keys()
}


# --- The summary ---------------------------------------------------------------------------


def summary_values(year: int) -> dict[str, spec.FigureValue]:
    """The values the summary's sentences need: published figures and the year's targets."""
    values = {
        key: spec.FigureValue(key, f.label, f.unit, f.value)
        for key, f in figure_values(year).items()
    }
    for target in Target.objects.filter(year=year):
        key = f"target:{target.figure_key}"
        values[key] = spec.FigureValue(key, target.label, target.unit, target.target_value)
    return values


def summary_get(*, year: int) -> AnnualSummary:
    """The year's summary with sections, paragraphs and plan items (four queries), or 404."""
    qs = AnnualSummary.objects.prefetch_related(
        Prefetch(
            "sections",
            queryset=SummarySection.objects.prefetch_related(
                Prefetch("paragraphs", queryset=NarrativeParagraph.objects.order_by("order", "pk"))
            ).order_by("order"),
        ),
        Prefetch(
            "plan_items",
            queryset=PlanItem.objects.prefetch_related("targets").order_by("order", "pk"),
        ),
    )
    try:
        return qs.get(year=year)
    except AnnualSummary.DoesNotExist:
        raise Http404 from None


# --- The snapshot a summary is drafted from (services.take_snapshot writes it) ---------------

SNAPSHOT_VERSION = 2


def _parsed(data: dict) -> dict[str, spec.FigureValue]:
    return {key: spec.FigureValue.from_json(key, value) for key, value in (data or {}).items()}


def values_of(snapshot: dict) -> dict[str, spec.FigureValue]:
    """This year's figures of a snapshot by key, with the year's targets as 'target:<key>'."""
    if snapshot.get("version") != SNAPSHOT_VERSION:
        # A summary drafted before snapshots held every figure: its flat key → value map.
        return _parsed(snapshot)
    values = _parsed(snapshot.get("current", {}))
    for key, target in _parsed(snapshot.get("targets", {})).items():
        values[f"target:{key}"] = replace(target, key=f"target:{key}")
    return values


def snapshot_values(summary: AnnualSummary) -> dict[str, spec.FigureValue]:
    """The figures the summary was last drafted from (this year's, targets as 'target:')."""
    return values_of(summary.figures_snapshot or {})


def facts_of(snapshot: dict, summary: AnnualSummary | None = None):
    """The drafting rules' input (reports.drafting.Facts) from a snapshot."""
    from .drafting import Facts

    year = summary.year if summary is not None else int(snapshot.get("year", 0))
    return Facts(
        year=year,
        current=values_of(snapshot),
        previous=_parsed(snapshot.get("previous", {})),
        targets=_parsed(snapshot.get("targets", {})),
        next_targets=_parsed(snapshot.get("next_targets", {})),
        rounding=dict(summary.rounding or {}) if summary is not None else {},
    )


def _as_figures(values: dict[str, spec.FigureValue], year: int, quarter=None) -> dict[str, Figure]:
    return {
        k: Figure(k, v.label, v.unit, v.value, year, quarter, None, notes=v.notes)
        for k, v in values.items()
        if not k.startswith("target:")
    }


def snapshot_figures(summary: AnnualSummary) -> tuple[dict[str, Figure], dict[str, Figure]]:
    """This year's and last year's figures as the summary was drafted (no records): what an
    export's key-figures table shows, so that it agrees with the text."""
    snapshot = summary.figures_snapshot or {}
    current = _as_figures(values_of(snapshot), summary.year)
    previous = _as_figures(_parsed(snapshot.get("previous", {})), summary.year - 1)
    return current, previous


def snapshot_dashboard(summary: AnnualSummary) -> DashboardData:
    """The dashboard's tiles, trends and distributions computed from the summary's snapshot
    (no query for figures): what an export's charts draw, so that they agree with the text."""
    snapshot = summary.figures_snapshot or {}
    current, previous = snapshot_figures(summary)
    quarters = {
        int(q): _as_figures(_parsed(v), summary.year, int(q))
        for q, v in snapshot.get("quarters", {}).items()
    }

    def source(y: int, q: int | None, keys=None) -> dict[str, Figure]:
        if q is not None:
            return quarters.get(q, {})
        return current if y == summary.year else previous

    return dashboard_data(summary.year, source=source)
