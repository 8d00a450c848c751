"""Writes of the quality gate: staff accept an explanation or send it back with a comment (a
send-back tells the enterprise); after a staff import of figures, each failed rule asks the
enterprise for an explanation (notifications)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import AnnualFigures, QuarterlyFigures
from notifications.models import Kind
from notifications.services import notify_each_enterprise, notify_enterprise

from . import quality
from .gate import filing_values, previous_filings
from .models import Explanation, ExplanationStatus


def review(pk: int, *, revision: int, accept: bool, comment: str, by) -> Explanation:
    """Accept or send back a pending explanation as the reviewer saw it (`revision`).

    Refused (ValidationError) when it is no longer pending or the enterprise changed it since
    the page was read, and when a send-back has no comment. One conditional UPDATE, so two
    reviewers cannot both decide the same revision.
    """
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("退回时请填写审核意见，告诉企业需要补充什么。")})
    status = ExplanationStatus.ACCEPTED if accept else ExplanationStatus.RETURNED
    with transaction.atomic():
        changed = Explanation.objects.filter(
            pk=pk, status=ExplanationStatus.PENDING, revision=revision
        ).update(
            status=status,
            reviewer=by,
            reviewed_at=timezone.now(),
            review_comment=comment,
            updated_at=timezone.now(),
        )
        if not changed:
            raise ValidationError(
                _("该说明已被他人审核，或企业已修改说明；请查看最新内容后再审核。")
            )
        explanation = Explanation.objects.select_related("enterprise").get(pk=pk)
        if not accept:
            notify_enterprise(
                explanation.enterprise,
                Kind.EXPLANATION_RETURNED,
                _("%(f)s数据核查说明被退回") % {"f": explanation.filing_label},
                # The message, never the rule's code: codes are internal to the bureau.
                _("核查提示：%(m)s 审核意见：%(r)s") % {"m": explanation.message, "r": comment},
                explanation.portal_url(),
            )
    return explanation


IMPORT_CHUNK = 500  # filings evaluated and written together by request_explanations


def request_explanations(scope: str, pks: Sequence[int]) -> int:
    """After staff imported figures (`scope` "annual": AnnualFigures ids, "quarterly":
    QuarterlyFigures ids; call inside the import's transaction): run the gate's rules on each.

    The import is never refused for a rule (staff enter what the enterprise reported).
    Each failed rule becomes an explanation awaiting the enterprise's text (待企业说明), or
    awaits it again where an earlier one read other values; one that still reads the same
    values is kept; a rule that now passes drops its explanation, as on the form. Each
    enterprise asked for something is notified once. Returns the explanations asked for.

    A constant number of queries per call, whatever the rows and the rules: the figures,
    the filings they compare with and the explanations on file are read once, the rules are
    evaluated in memory, and the writes are bulk. Callers pass at most IMPORT_CHUNK ids.
    """
    if not pks:
        return 0
    if scope == "annual":
        records = list(AnnualFigures.objects.filter(pk__in=pks))
        filings = [(r, r.enterprise_id, r.year, None) for r in records]
    else:
        records = list(QuarterlyFigures.objects.filter(pk__in=pks).select_related("period"))
        filings = [(r, r.enterprise_id, r.period.year, r.period.quarter) for r in records]
    if not filings:
        return 0
    enterprise_ids = {f[1] for f in filings}
    years = {f[2] for f in filings}
    earlier_years = {
        key[0]
        for _r, _e, year, quarter in filings
        for key in previous_filings(scope, year, quarter).values()
        if key is not None
    }
    if scope == "annual":
        earlier = {
            (f.enterprise_id, f.year, None): f
            for f in AnnualFigures.objects.filter(
                enterprise_id__in=enterprise_ids, year__in=earlier_years
            )
        }
    else:
        earlier = {
            (f.enterprise_id, f.period.year, f.period.quarter): f
            for f in QuarterlyFigures.objects.filter(
                enterprise_id__in=enterprise_ids, period__year__in=earlier_years
            ).select_related("period")
        }
    on_file: dict[tuple, dict[str, Explanation]] = {}
    for e in Explanation.objects.filter(
        enterprise_id__in=enterprise_ids, year__in=years, quarter__isnull=scope == "annual"
    ):
        on_file.setdefault((e.enterprise_id, e.year, e.quarter), {})[e.rule_code] = e

    now = timezone.now()
    create: list[Explanation] = []
    update: list[Explanation] = []
    drop: list[int] = []
    asked: dict[int, list[Explanation]] = {}
    for record, enterprise_id, year, quarter in filings:
        previous = {
            prefix: None if key is None else earlier.get((enterprise_id, *key))
            for prefix, key in previous_filings(scope, year, quarter).items()
        }
        ruleset = quality.ruleset_for(year)
        failures = quality.evaluate(ruleset, scope, filing_values(scope, record, previous))
        mine = on_file.get((enterprise_id, year, quarter), {})
        failed = {f.code for f in failures}
        drop += [e.pk for code, e in mine.items() if code not in failed]
        for failure in failures:
            existing = mine.get(failure.code)
            if existing is None:
                existing = Explanation(
                    enterprise_id=enterprise_id,
                    year=year,
                    quarter=quarter,
                    rule_code=failure.code,
                    rules_version=ruleset.version,
                    message=failure.message_zh(),
                    values=failure.seen,
                    text="",
                    status=ExplanationStatus.AWAITING,
                )
                create.append(existing)
            elif existing.values != failure.seen:
                # Other figures than those explained: the enterprise explains them afresh (its
                # earlier text is kept for it to revise); a new revision, so no reviewer can
                # decide the old one.
                existing.values = failure.seen
                existing.message = failure.message_zh()
                existing.rules_version = ruleset.version
                existing.status = ExplanationStatus.AWAITING
                existing.revision += 1
                existing.updated_at = now
                update.append(existing)
            else:
                continue
            asked.setdefault(enterprise_id, []).append(existing)
    with transaction.atomic():
        if drop:
            Explanation.objects.filter(pk__in=drop).delete()
        Explanation.objects.bulk_create(create, batch_size=IMPORT_CHUNK)
        Explanation.objects.bulk_update(
            update,
            ["values", "message", "rules_version", "status", "revision", "updated_at"],
            batch_size=IMPORT_CHUNK,
        )
        notify_each_enterprise(
            {eid: _explanation_needed(items) for eid, items in asked.items()},
            Kind.EXPLANATION_NEEDED,
        )
    return len(create) + len(update)


def _explanation_needed(items: list[Explanation]) -> tuple[str, str, str]:
    """The notification of one enterprise's explanations asked for: (title, body, url)."""
    filings = list(dict.fromkeys(str(e.filing_label) for e in items))
    return (
        _("请填写数据核查说明"),
        _(
            "局工作人员录入的贵单位%(f)s数据有%(n)s项未通过数据核查。请在“数据核查说明”中逐项"
            "核实：数据有误的，请在报表中更正；数据无误的，请在报表中填写说明。"
        )
        % {"f": "、".join(filings), "n": len(items)},
        reverse("upstream:portal_explanations"),
    )
