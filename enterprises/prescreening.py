"""Pre-screening results as data (预筛结果): computing, keeping and refreshing them.

The rules stay in `enterprises.eligibility` and the facts in `selectors.facts_for`; this module
runs them for every active enterprise and every kind with rules, and writes the outcome, the
ranking columns and the reasons shown (in every UI language) to `PrescreenResult`, one row per
enterprise, kind and rule set. The pre-screening lists then filter, sort and page in SQL.

When results are recomputed:
- an enterprise's facts change (its record, annual figures, qualifications, innovation
  profile): `note_changed` collects its id during the transaction and queues one task for all
  collected ids when it commits (signals connected in EnterprisesConfig.ready; imports call
  `note_changed` for the rows they bulk-write);
- the rules or the kinds' set-up change (`rules_digest` differs), the rule set in force changes
  (a new `rule_set_for(today)`), or nothing is computed yet: the list page queues a full refresh;
- every night (Celery beat `prescreen-nightly`), since titles expire and the assessment date moves;
- by hand: `python manage.py prescreen_refresh [--kind K]`.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from . import eligibility, selectors
from .eligibility import Status
from .models import Enterprise, PrescreenResult, QualificationKind

logger = logging.getLogger(__name__)

CHUNK = 500  # enterprises per chunk: facts, assessments and rows of one chunk in memory
REFRESH_STATE_KEY = "enterprises:prescreen:refresh"  # progress of the running full refresh
REFRESH_QUEUED_KEY = "enterprises:prescreen:queued"  # a full refresh is queued or running
REFRESH_STATE_SECONDS = 60 * 60  # the full refresh task's time limit

ZERO = Decimal(0)

# Columns written by a refresh (all but the key).
_UPDATE_FIELDS = [
    "rules_digest",
    "assessed_on",
    "computed_at",
    "holds_kind",
    "outcome",
    "outcome_rank",
    "score",
    "score_max",
    "sort_score",
    "failed_count",
    "tier_code",
    "enterprise_name",
    "zone",
    "industry_division",
    "size_class",
    "conditions",
    "reasons",
]
_ENTERPRISE_FIELDS = (
    "name",
    "size_class",
    "established_on",
    "strategic_industry",
    "is_active",
    "zone_id",
    "industry_division",
)


@functools.cache
def _rules_source_digest() -> str:
    h = hashlib.sha256()
    for path in sorted(Path(eligibility.__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def rules_digest(kinds: Sequence[QualificationKind]) -> str:
    """A short fingerprint of what results depend on besides an enterprise's facts: the rules'
    code and each active kind's code, rule family and ladder rank. Results with another
    digest are stale."""
    h = hashlib.sha256(_rules_source_digest().encode())
    for k in kinds:
        h.update(f"|{k.pk}:{k.code}:{k.rule_family}:{k.ladder_rank}".encode())
    return h.hexdigest()[:16]


def screened_kinds(kinds: Sequence[QualificationKind], day: datetime.date) -> list:
    """The active kinds the rule set in force on `day` has rules for."""
    return [k for k in kinds if k.rule_family and eligibility.evaluator_for(k.rule_family, day)]


class _Texts:
    """str() of the rules' lazy labels, once per label object and language: the labels are
    shared proxies (made once per message), so a run translates a few hundred, not millions."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, str]] = {}

    def __call__(self, value) -> str:
        if type(value) is str:
            return value
        hit = self._memo.get(id(value))
        if hit is None or hit[0] is not value:
            hit = self._memo[id(value)] = (value, str(value))
        return hit[1]


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _result(enterprise, kind, assessment, facts, tier_code: str, common: dict) -> tuple:
    """The row for one assessment, and the rules whose text the row shows (rendered later,
    per language, for the whole chunk)."""
    failed = assessment.failed
    counted = [r for r in assessment.parts if getattr(r, "counts", False)]
    conditions = {
        status: [r.code for r in counted if r.status == status]
        for status in (Status.PASS, Status.FAIL, Status.UNKNOWN, Status.MANUAL)
    }
    manual = [r.label for r in assessment.rules if r.status == Status.MANUAL and r.counts]
    row = PrescreenResult(
        enterprise_id=enterprise.pk,
        kind_id=kind.pk,
        holds_kind=kind.code in facts.titles,
        outcome=assessment.outcome.value,
        outcome_rank=assessment.outcome.rank,
        score=assessment.score,
        score_max=assessment.score_max,
        sort_score=assessment.score or ZERO,
        failed_count=len(failed),
        tier_code=tier_code,
        enterprise_name=enterprise.name,
        zone_id=enterprise.zone_id,
        industry_division=enterprise.industry_division,
        size_class=enterprise.size_class,
        conditions={str(k): v for k, v in conditions.items()},
        reasons={},
        **common,
    )
    # Missing figures are kept for every outcome (the export lists them); the page shows
    # them for "cannot tell" only, as before.
    # (`_render` names them per language through the same memo as the rules' labels.)
    return row, [(r.label, r.value, r.threshold) for r in failed], assessment, manual


def _render(pending: list[tuple]) -> list[PrescreenResult]:
    """Fill each row's `reasons` in every UI language, one language at a time."""
    for language in _languages():
        text = _Texts()
        with translation.override(language):
            for row, failed, assessment, manual in pending:
                row.reasons[language] = {
                    "failed": [[text(a), text(b), text(c)] for a, b, c in failed],
                    "missing": list(assessment.missing_as(text)),
                    "manual": [text(m) for m in manual],
                }
    return [p[0] for p in pending]


def _compute_chunk(
    enterprises: list[Enterprise],
    day: datetime.date,
    kinds: list[QualificationKind],
    targets: list[QualificationKind],
    common: dict,
    ids=None,
) -> list[PrescreenResult]:
    all_facts = selectors.facts_for(enterprises, day, ids=ids)
    evaluators = [(k, eligibility.evaluator_for(k.rule_family, day)) for k in targets]
    tiers: dict[frozenset, str] = {}
    pending = []
    for enterprise in enterprises:
        facts = all_facts[enterprise.pk]
        titles = facts.titles
        if titles not in tiers:
            tier = selectors.current_tier(titles, kinds)
            tiers[titles] = tier.code if tier else ""
        for kind, evaluate in evaluators:
            pending.append(_result(enterprise, kind, evaluate(facts), facts, tiers[titles], common))
    return _render(pending)


def _write(rows: list[PrescreenResult]) -> None:
    PrescreenResult.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["enterprise", "kind", "rule_set"],
        update_fields=_UPDATE_FIELDS,
    )


def _context(day: datetime.date | None, kind_code: str | None):
    day = day or timezone.localdate()
    kinds = selectors.ladder_kinds()
    targets = screened_kinds(kinds, day)
    if kind_code:
        targets = [k for k in targets if k.code == kind_code]
    rule_set = eligibility.rule_set_for(day)
    common = {
        "rule_set": rule_set.version,
        "rules_digest": rules_digest(kinds),
        "assessed_on": day,
    }
    return day, kinds, targets, rule_set, common


def refresh_enterprises(enterprise_ids: Iterable[int], *, day: datetime.date | None = None) -> int:
    """Recompute every kind's result of the given enterprises (inactive or deleted ones lose
    theirs); the number of rows written. A query per chunk for the enterprises, three for
    their facts, one upsert and one delete."""
    day, kinds, targets, rule_set, common = _context(day, None)
    ids = sorted(set(enterprise_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            enterprises = list(
                Enterprise.objects.filter(pk__in=chunk, is_active=True).only(*_ENTERPRISE_FIELDS)
            )
            common["computed_at"] = timezone.now()
            rows = _compute_chunk(enterprises, day, kinds, targets, common)
            _write(rows)
            active = {e.pk for e in enterprises}
            PrescreenResult.objects.filter(enterprise_id__in=chunk).exclude(
                enterprise_id__in=active, kind__in=targets, rule_set=rule_set.version
            ).delete()
            written += len(rows)
    return written


def refresh_all(
    *,
    kind_code: str | None = None,
    day: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the results of every active enterprise (of one kind with `kind_code`) in
    chunks of CHUNK enterprises by primary key, each in its own transaction, so memory stays
    flat in the number of enterprises; then drop rows no refresh wrote (other rule sets,
    inactive enterprises, kinds without rules). The number of rows written."""
    day, kinds, targets, rule_set, common = _context(day, kind_code)
    total = Enterprise.objects.filter(is_active=True).count()
    done = written = 0
    last = 0
    started = timezone.now()
    while True:
        chunk_ids = list(
            Enterprise.objects.filter(is_active=True, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not chunk_ids:
            break
        lo, hi = last, chunk_ids[-1]
        in_range = Enterprise.objects.filter(pk__gt=lo, pk__lte=hi, is_active=True)
        with transaction.atomic():
            enterprises = list(in_range.only(*_ENTERPRISE_FIELDS).order_by("pk"))
            common["computed_at"] = timezone.now()
            rows = _compute_chunk(
                enterprises, day, kinds, targets, common, ids=in_range.values("pk")
            )
            _write(rows)
            # Enterprises of the range no longer active.
            PrescreenResult.objects.filter(
                enterprise_id__gt=lo, enterprise_id__lte=hi, rule_set=rule_set.version
            ).exclude(enterprise__is_active=True).delete()
        written += len(rows)
        done += len(enterprises)
        last = hi
        if progress is not None:
            progress(done, total)
    stale = PrescreenResult.objects.exclude(rule_set=rule_set.version)
    stale = stale | PrescreenResult.objects.filter(enterprise_id__gt=last)
    if not kind_code:
        stale = stale | PrescreenResult.objects.exclude(kind__in=targets)
    stale.delete()
    logger.info(
        "pre-screening refreshed: %s rows for %s enterprises in %.1f s",
        written,
        done,
        (timezone.now() - started).total_seconds(),
    )
    return written


# --- Queuing ----------------------------------------------------------------------------------

_local = threading.local()


def note_changed(enterprise_ids: Iterable[int], *, force: bool = False) -> None:
    """Recompute these enterprises' results once the current transaction commits (at once
    outside one), in tasks of up to 5 × CHUNK ids. Never raises. During an import
    (`importing()`) the per-row signals are skipped: the import names all its enterprises
    once, with `force`."""
    if bulk_writing() and not force:
        return
    ids = {i for i in enterprise_ids if i is not None}
    if not ids:
        return
    # One refresh per transaction, however many rows it saves or deletes: a delete of 20,000
    # enterprises sends a signal per row and per cascaded row, and a refresh each would queue
    # (or, without a broker, run) tens of thousands of tasks. Each change registers the same
    # hook; the first to run at commit takes every id noted so far, the rest find none. Ids of
    # a rolled-back savepoint may ride along with a later commit: a refresh recomputes from
    # what is stored, so an extra one changes nothing.
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = set()
    pending.update(ids)
    transaction.on_commit(_queue_pending, robust=True)


def _queue_pending() -> None:
    ids = getattr(_local, "pending", None)
    _local.pending = None
    if ids:
        _queue(sorted(ids))


class importing:
    """Within it, model signals do not queue refreshes one row at a time: an import queues one
    refresh for every enterprise of its file when it ends, the demo seeder refreshes all."""

    def __enter__(self) -> None:
        _local.importing = getattr(_local, "importing", 0) + 1

    def __exit__(self, *exc) -> None:
        _local.importing -= 1


def bulk_writing() -> bool:
    """Whether this thread is inside `importing()`."""
    return bool(getattr(_local, "importing", 0))


def _queue(ids: list[int]) -> None:
    from .tasks import refresh_prescreen_enterprises

    for start in range(0, len(ids), 5 * CHUNK):
        _safely(refresh_prescreen_enterprises.delay, ids[start : start + 5 * CHUNK])


def queue_refresh_all(kind_code: str | None = None) -> bool:
    """Queue one full refresh unless one is already queued or running; whether it was queued.
    With no broker the refresh runs here, in process."""
    from .tasks import refresh_prescreen_all

    try:
        if not cache.add(REFRESH_QUEUED_KEY, timezone.now().isoformat(), REFRESH_STATE_SECONDS):
            return False
    except Exception:
        logger.exception("cache unavailable: queuing the pre-screening refresh without a lock")
    return _safely(refresh_prescreen_all.delay, kind_code)


def _safely(send: Callable, *args) -> bool:
    try:
        send(*args)
    except Exception:
        # DESIGN.md "Nothing lost": the change is committed; the nightly run catches up.
        logger.exception("could not queue the pre-screening refresh %s", args[:1])
        return False
    return True


def refresh_state() -> dict | None:
    """The running or queued full refresh: {"queued_at", "done", "total"} (None if none)."""
    try:
        queued = cache.get(REFRESH_QUEUED_KEY)
        state = cache.get(REFRESH_STATE_KEY)
    except Exception:
        return None
    if queued is None and state is None:
        return None
    return {"queued_at": queued, **(state or {})}


def set_progress(done: int, total: int) -> None:
    try:
        cache.set(REFRESH_STATE_KEY, {"done": done, "total": total}, REFRESH_STATE_SECONDS)
    except Exception:
        logger.warning("cache unavailable: pre-screening refresh progress not shown")


def clear_refresh_state() -> None:
    try:
        cache.delete_many([REFRESH_STATE_KEY, REFRESH_QUEUED_KEY])
    except Exception:
        logger.warning("cache unavailable: pre-screening refresh state not cleared")
