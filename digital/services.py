"""Writes of the digital app: saving, submitting and reopening assessments, and recording
assessments made elsewhere. Each refuses bad input with a Chinese message and saves nothing."""

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import events

from . import scoring
from .models import Assessment, AssessmentSource, AssessmentStatus
from .selectors import (
    Questionnaire,
    current_period,
    current_version,
    open_assessment,
    questionnaire,
)


def _problems_error(problems: list[scoring.AnswerProblem]) -> ValidationError:
    return ValidationError({p.code: p.message for p in problems})


@transaction.atomic
def start_assessment(*, enterprise, user, version=None) -> Assessment:
    """The enterprise's open draft, or a new one on the current questionnaire version."""
    existing = open_assessment(enterprise)
    if existing is not None:
        return existing
    assessment = Assessment(
        enterprise=enterprise,
        version=version or current_version(),
        period=current_period(),
        source=AssessmentSource.PORTAL,
    )
    assessment._change_reason = _("开始填写")
    assessment.save()
    return assessment


def _ensure_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise ValidationError(_("该评测已提交，不能修改；如需更正，请联系局工作人员退回。"))


def _clean_answers(
    q: Questionnaire, answers: Mapping[str, Sequence[str]], levels: Mapping[str, int]
) -> tuple[dict[str, list[str]], dict[str, int]]:
    answers = {code: list(chosen) for code, chosen in answers.items() if chosen}
    levels = {code: int(v) for code, v in levels.items() if v is not None and v != ""}
    problems = scoring.answer_problems(q.spec, answers) + scoring.scenario_problems(q.spec, levels)
    if problems:
        raise _problems_error(problems)
    return answers, levels


@transaction.atomic
def save_draft(
    assessment: Assessment,
    *,
    answers: Mapping[str, Sequence[str]],
    scenario_levels: Mapping[str, int],
    user,
) -> Assessment:
    """Keep the answers given so far; unanswered questions are allowed in a draft."""
    _ensure_editable(assessment)
    q = questionnaire(assessment.version)
    answers, levels = _clean_answers(q, answers, scenario_levels)
    assessment.answers = answers
    assessment.scenario_levels = levels
    assessment._change_reason = _("保存草稿")
    assessment.save()
    return assessment


@transaction.atomic
def submit_assessment(
    assessment: Assessment,
    *,
    answers: Mapping[str, Sequence[str]],
    scenario_levels: Mapping[str, int],
    user,
    day: datetime.date | None = None,
) -> Assessment:
    """Score a complete questionnaire, set its level and make it read-only.

    Refused, with the unanswered questions named, when a required question or a scenario has
    no answer.
    """
    _ensure_editable(assessment)
    q = questionnaire(assessment.version)
    answers, levels = _clean_answers(q, answers, scenario_levels)
    missing_q, missing_s = scoring.unanswered(q.spec, answers, levels)
    if missing_q or missing_s:
        errors = {x.code: _("此题未作答：%(t)s") % {"t": x.text} for x in missing_q}
        errors.update({s.code: _("此场景未选择等级：%(t)s") % {"t": s.name} for s in missing_s})
        raise ValidationError(errors)
    result = scoring.evaluate(q.spec, answers, levels)
    _apply_result(assessment, result)
    assessment.answers = answers
    assessment.scenario_levels = levels
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.assessed_on = day or timezone.localdate()
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = user
    assessment.reopen_reason = ""
    assessment._change_reason = _("提交评测")
    assessment.save()
    events.assessment_submitted(assessment, by=user)
    return assessment


def _apply_result(assessment: Assessment, result: scoring.AssessmentResult) -> None:
    assessment.dimension_scores = {k: str(v) for k, v in result.dimension_scores.items()}
    assessment.total_score = result.total
    assessment.level = result.level.level
    assessment.level_reasons = "；".join(result.level.reasons)


@transaction.atomic
def reopen_assessment(assessment: Assessment, *, user, reason: str) -> Assessment:
    """Send a submitted assessment back to its enterprise for changes; the reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因。")})
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的评测才能退回。"))
    if assessment.source != AssessmentSource.PORTAL:
        raise ValidationError(_("外部评测或工作人员录入的评测不能退回给企业，请直接修改。"))
    other = open_assessment(assessment.enterprise)
    if other is not None:
        raise ValidationError(_("该企业已有一份未提交的评测，不能再退回另一份。"))
    assessment.status = AssessmentStatus.REOPENED
    assessment.reopen_reason = reason
    assessment._change_reason = _("退回修改：%(r)s") % {"r": reason}
    assessment.save()
    events.assessment_reopened(assessment)
    return assessment


@transaction.atomic
def record_scored_assessment(
    *,
    enterprise,
    version,
    source: str,
    assessed_on: datetime.date,
    dimension_scores: Mapping[str, Decimal],
    scenario_levels: Mapping[str, int],
    evaluator: str = "",
    external_ref: str = "",
    user=None,
) -> Assessment:
    """Record an assessment made elsewhere (an evaluation platform, an on-site evaluation):
    its dimension scores and scenario levels as reported; the level follows from our rules."""
    if source not in (AssessmentSource.STAFF, AssessmentSource.EXTERNAL):
        raise ValidationError({"source": _("来源应为工作人员录入或外部评测平台导入。")})
    q = questionnaire(version)
    levels = {code: int(v) for code, v in scenario_levels.items() if v is not None and v != ""}
    problems = scoring.score_problems(q.spec, dimension_scores) + scoring.scenario_problems(
        q.spec, levels
    )
    if problems:
        raise _problems_error(problems)
    result = scoring.evaluate_scores(q.spec, dimension_scores, levels)
    assessment = Assessment(
        enterprise=enterprise,
        version=version,
        source=source,
        evaluator=evaluator,
        external_ref=external_ref,
        scenario_levels=levels,
        status=AssessmentStatus.SUBMITTED,
        assessed_on=assessed_on,
        submitted_at=timezone.now(),
        submitted_by=user,
        period=current_period(assessed_on),
    )
    _apply_result(assessment, result)
    assessment._change_reason = AssessmentSource(source).label
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError as exc:
        raise ValidationError(_("评测未能保存：%(e)s") % {"e": exc}) from exc
    return assessment
