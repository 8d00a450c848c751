"""The quality gate on the portal's figures forms: the annual (AnnualFigures) and quarterly
(QuarterlyFigures) edit views run the rules of upstream.quality on what was typed before
saving it. A failed rule is shown at its field with its message and a box for the
explanation (说明); the submission is refused (nothing is saved) until every failed rule has
one, and accepted with them. The explanations are stored (upstream.Explanation) for staff to
review; a rule that passes after a correction drops its explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from bureau.concurrency import OptimisticLockFormMixin, ensure_current
from enterprises.models import AnnualFigures, QuarterlyFigures

from . import quality
from .models import Explanation, ExplanationStatus

MAX_TEXT = 2000
FIELD_PREFIX = "explain-"


def field_name(code: str) -> str:
    """The explanation box's name for a rule: stable for the rule (a box keeps its text when
    a correction drops another rule from the list) but not its code, which is internal."""
    return FIELD_PREFIX + salted_hmac("upstream.gate.field", code).hexdigest()[:12]


@dataclass
class GateRow:
    failure: quality.Failure
    text: str
    error: str
    existing: Explanation | None

    @property
    def name(self) -> str:
        return field_name(self.failure.code)

    @property
    def message(self) -> str:
        return self.failure.message()


def previous_filings(
    scope: str, year: int, quarter: int | None
) -> dict[str, tuple[int, int | None] | None]:
    """{name prefix: (year, quarter) of the filing the rules compare with, None for none}:
    last year's figures; for a quarter, the same quarter last year and the previous quarter."""
    if scope == "annual":
        return {"last_year_": (year - 1, None)}
    return {
        "last_year_": (year - 1, quarter),
        "last_quarter_": None if quarter == 1 else (year, quarter - 1),
    }


def _own(scope: str, record) -> dict[str, Decimal | None]:
    if record is None:
        return {}
    return {
        name: quality.as_decimal(getattr(record, field))
        for name, field in quality.base_names(scope).items()
    }


def filing_values(scope: str, record, previous: dict) -> dict[str, Decimal | None]:
    """The names a scope's rules read (base units): `record`'s own figures, and those of each
    previous filing (`previous`: prefix → figures or None, as previous_filings names them)."""
    values = _own(scope, record)
    for prefix, earlier in previous.items():
        own = _own(scope, earlier)
        for name in quality.base_names(scope):
            values[prefix + name] = own.get(name)
    return values


class Gate:
    """One filing's gate: an enterprise's year (`quarter` None) or a quarter of a year."""

    def __init__(self, *, enterprise, year: int, quarter: int | None = None, data=None):
        self.enterprise = enterprise
        self.year = year
        self.quarter = quarter
        self.scope = "annual" if quarter is None else "quarterly"
        self.ruleset = quality.ruleset_for(year)
        self.data = data
        self.existing = {
            e.rule_code: e
            for e in Explanation.objects.filter(enterprise=enterprise, year=year, quarter=quarter)
        }
        self.rows: list[GateRow] = []

    # --- values ---------------------------------------------------------------------------

    def values(self, instance) -> dict[str, Decimal | None]:
        """The scope's names over the typed figures, last year's and last quarter's."""
        previous = {}
        for prefix, key in previous_filings(self.scope, self.year, self.quarter).items():
            if key is None:
                previous[prefix] = None
            elif self.scope == "annual":
                previous[prefix] = AnnualFigures.objects.filter(
                    enterprise=self.enterprise, year=key[0]
                ).first()
            else:
                previous[prefix] = QuarterlyFigures.objects.filter(
                    enterprise=self.enterprise, period__year=key[0], period__quarter=key[1]
                ).first()
        return filing_values(self.scope, instance, previous)

    def _rows(self, instance, *, from_post: bool) -> list[GateRow]:
        failures = quality.evaluate(self.ruleset, self.scope, self.values(instance))
        rows = []
        for failure in failures:
            existing = self.existing.get(failure.code)
            if from_post:
                text = (self.data.get(field_name(failure.code)) or "").strip()
            else:
                text = existing.text if existing is not None else ""
            rows.append(GateRow(failure=failure, text=text, error="", existing=existing))
        return rows

    # --- the form --------------------------------------------------------------------------

    def show(self, instance) -> None:
        """On opening the form: the rules the saved figures fail, with the explanations given."""
        if instance.pk is not None:
            self.rows = self._rows(instance, from_post=False)

    def check(self, form: forms.ModelForm) -> bool:
        """After form.is_valid(): True when every failed rule has an explanation; otherwise
        the form carries an error at each failed rule's field and nothing may be saved."""
        if isinstance(form, OptimisticLockFormMixin):
            # A stale form is refused as such (StaleEditError, shown by the middleware) before
            # its figures are checked; the save checks again under the row lock.
            with transaction.atomic():
                ensure_current(form.lock_target(), form.submitted_token())
        self.rows = self._rows(form.instance, from_post=True)
        missing = 0
        for row in self.rows:
            if not row.text:
                row.error = _("请填写说明，或更正上面的数据。")
            elif len(row.text) > MAX_TEXT:
                row.error = _("说明不能超过%(n)s字。") % {"n": MAX_TEXT}
            else:
                continue
            missing += 1
            field = row.failure.field if row.failure.field in form.fields else None
            form.add_error(
                field,
                _("%(m)s 数据无误的，请在下方“数据核查”中填写说明。") % {"m": row.message},
            )
        if missing:
            form.add_error(
                None,
                _(
                    "有%(n)s项数据核查未通过，数据未保存。请更正数据，"
                    "或在下方“数据核查”中逐项填写说明后再提交。"
                )
                % {"n": missing},
            )
        return not missing

    def record(self, *, by) -> int:
        """Store the explanations of the saved figures (inside the save's transaction);
        returns how many are new or changed and wait for review."""
        codes = [row.failure.code for row in self.rows]
        Explanation.objects.filter(
            enterprise=self.enterprise, year=self.year, quarter=self.quarter
        ).exclude(rule_code__in=codes).delete()
        waiting = 0
        for row in self.rows:
            failure, existing = row.failure, row.existing
            if existing is None:
                Explanation.objects.create(
                    enterprise=self.enterprise,
                    year=self.year,
                    quarter=self.quarter,
                    rule_code=failure.code,
                    rules_version=self.ruleset.version,
                    message=failure.message_zh(),
                    values=failure.seen,
                    text=row.text,
                    submitted_by=by,
                )
                waiting += 1
            elif (
                existing.text != row.text
                or existing.values != failure.seen
                or existing.status == ExplanationStatus.AWAITING
            ):
                existing.text = row.text
                existing.values = failure.seen
                existing.message = failure.message_zh()
                existing.rules_version = self.ruleset.version
                existing.status = ExplanationStatus.PENDING
                existing.revision += 1
                existing.submitted_by = by
                existing.save()
                waiting += 1
        return waiting
