"""Scoring of the SME digitalisation self-assessment (数字化水平评测), as plain Python.

The questionnaire of an edition (criteria.md §4.2, 2024 edition: 数字化基础 50 + 数字化管理 30 +
数字化成效 20 = 100 points) is passed in as plain specs; the answers are option codes per
question and a self-rated level 0–4 per scenario (数字化经营, 16 scenarios). The overall level
(一级 … 四级) follows from the total score and the scenario levels by the edition's rule set.

Nothing here reads the database, settings or a request.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

POINTS_PLACES = Decimal("0.001")
LEVEL_NAMES = {0: "未达级", 1: "一级", 2: "二级", 3: "三级", 4: "四级"}
SCENARIO_LEVELS = (0, 1, 2, 3, 4)  # 0 = 未开展 / below 一级


@dataclass(frozen=True)
class OptionSpec:
    code: str
    points: Decimal
    exclusive: bool = False  # "以上均无": may not be combined with other options


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    dimension: str
    text: str
    multiple: bool
    max_points: Decimal
    options: tuple[OptionSpec, ...]
    required: bool = True

    def option(self, code: str) -> OptionSpec | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class ScenarioSpec:
    code: str
    name: str
    mandatory: bool  # 约束性场景


@dataclass(frozen=True)
class EditionSpec:
    """One questionnaire edition: dimensions (code → max points), questions and scenarios."""

    rule_set: str
    min_score: Decimal
    max_score: Decimal
    dimensions: tuple[tuple[str, str, Decimal], ...]  # (code, name, max points)
    questions: tuple[QuestionSpec, ...]
    scenarios: tuple[ScenarioSpec, ...]


@dataclass(frozen=True)
class LevelRule:
    """The lowest total score and scenario counts at which `level` is reached."""

    level: int
    min_score: Decimal
    min_scenarios: int  # scenarios rated at this level or higher
    min_mandatory: int  # of which mandatory (约束性) scenarios


# criteria.md §4.2, "Overall level rule" (VERIFIED-SECONDARY; confirm against the PDF).
LEVEL_RULES: dict[str, tuple[LevelRule, ...]] = {
    "2024": (
        LevelRule(1, Decimal("20"), 6, 3),
        LevelRule(2, Decimal("40"), 6, 3),
        LevelRule(3, Decimal("60"), 8, 5),
        LevelRule(4, Decimal("80"), 10, 6),
    ),
}


@dataclass(frozen=True)
class AnswerProblem:
    """Why an answer is refused or missing; `code` is the question or scenario code."""

    code: str
    message: str


@dataclass(frozen=True)
class LevelResult:
    level: int
    reasons: tuple[str, ...]  # why the next level up is not reached (or that the top is)

    @property
    def name(self) -> str:
        return LEVEL_NAMES[self.level]


@dataclass(frozen=True)
class AssessmentResult:
    dimension_scores: dict[str, Decimal]
    total: Decimal
    level: LevelResult
    scenario_levels: dict[str, int] = field(default_factory=dict)


def _q(value: Decimal) -> Decimal:
    return value.quantize(POINTS_PLACES)


def fmt(value: Decimal) -> str:
    """Points as people write them: 50, 7.5, 1.875 (no trailing zeros, no exponent)."""
    text = format(Decimal(value).normalize(), "f")
    return text


def answer_problems(
    edition: EditionSpec, answers: Mapping[str, Sequence[str]]
) -> list[AnswerProblem]:
    """Answers that are not allowed: unknown question, option outside the question, two options
    to a single-choice question, an exclusive option combined with others."""
    by_code = {q.code: q for q in edition.questions}
    problems: list[AnswerProblem] = []
    for code, chosen in answers.items():
        question = by_code.get(code)
        if question is None:
            problems.append(AnswerProblem(code, f"题目「{code}」不属于本版问卷"))
            continue
        chosen = list(chosen)
        unknown = [c for c in chosen if question.option(c) is None]
        if unknown:
            problems.append(
                AnswerProblem(
                    code, f"「{question.text}」的答案「{'、'.join(unknown)}」不是该题的选项"
                )
            )
            continue
        if len(set(chosen)) != len(chosen):
            problems.append(AnswerProblem(code, f"「{question.text}」的选项重复"))
        if not question.multiple and len(chosen) > 1:
            problems.append(AnswerProblem(code, f"「{question.text}」是单选题，只能选一个选项"))
        if question.multiple and len(chosen) > 1:
            if any(question.option(c).exclusive for c in chosen):
                problems.append(
                    AnswerProblem(code, f"「{question.text}」选了「以上均无」，不能再选其他选项")
                )
    return problems


def scenario_problems(edition: EditionSpec, levels: Mapping[str, int]) -> list[AnswerProblem]:
    known = {s.code: s for s in edition.scenarios}
    problems = []
    for code, level in levels.items():
        if code not in known:
            problems.append(AnswerProblem(code, f"场景「{code}」不属于本版问卷"))
        elif level not in SCENARIO_LEVELS:
            problems.append(
                AnswerProblem(code, f"场景「{known[code].name}」的等级应为0至4，实际为{level}")
            )
    return problems


def unanswered(
    edition: EditionSpec, answers: Mapping[str, Sequence[str]], levels: Mapping[str, int]
) -> tuple[list[QuestionSpec], list[ScenarioSpec]]:
    """Required questions with no option chosen, and scenarios with no level given."""
    questions = [q for q in edition.questions if q.required and not answers.get(q.code)]
    scenarios = [s for s in edition.scenarios if levels.get(s.code) is None]
    return questions, scenarios


def score_answers(
    edition: EditionSpec, answers: Mapping[str, Sequence[str]]
) -> tuple[dict[str, Decimal], Decimal]:
    """Points per dimension and the total (0–100 for 2024); answers must be valid."""
    scores = {code: Decimal("0") for code, _name, _max in edition.dimensions}
    for question in edition.questions:
        chosen = answers.get(question.code) or ()
        points = sum((question.option(c).points for c in chosen), Decimal("0"))
        scores[question.dimension] += min(points, question.max_points)
    scores = {code: _q(value) for code, value in scores.items()}
    return scores, _q(sum(scores.values(), Decimal("0")))


def score_problems(
    edition: EditionSpec, dimension_scores: Mapping[str, Decimal]
) -> list[AnswerProblem]:
    """Scores entered directly (external evaluations): each within its dimension's maximum,
    and the total within the edition's range."""
    problems = []
    for code, name, maximum in edition.dimensions:
        value = dimension_scores.get(code)
        if value is None:
            problems.append(AnswerProblem(code, f"缺少「{name}」得分"))
        elif not Decimal("0") <= value <= maximum:
            problems.append(
                AnswerProblem(
                    code, f"「{name}」得分应在0至{fmt(maximum)}分之间，实际为{fmt(value)}分"
                )
            )
    total = sum((v for v in dimension_scores.values() if v is not None), Decimal("0"))
    if not edition.min_score <= total <= edition.max_score:
        problems.append(
            AnswerProblem(
                "total",
                f"总分应在{fmt(edition.min_score)}至{fmt(edition.max_score)}分之间，实际为{fmt(total)}分",
            )
        )
    return problems


def assess_level(
    rule_set: str,
    total: Decimal,
    scenario_levels: Mapping[str, int],
    mandatory: frozenset[str] | set[str],
) -> LevelResult:
    """The highest level whose score and scenario thresholds are all met (0 = 未达级)."""
    rules = LEVEL_RULES[rule_set]
    reached = 0
    reasons: list[str] = []
    for rule in rules:
        at_level = [code for code, lvl in scenario_levels.items() if (lvl or 0) >= rule.level]
        n_mandatory = sum(1 for code in at_level if code in mandatory)
        missing = []
        if total < rule.min_score:
            missing.append(f"总分{fmt(total)}分，低于{fmt(rule.min_score)}分")
        if len(at_level) < rule.min_scenarios:
            missing.append(
                f"达到{LEVEL_NAMES[rule.level]}的场景{len(at_level)}个，少于{rule.min_scenarios}个"
            )
        if n_mandatory < rule.min_mandatory:
            missing.append(f"其中约束性场景{n_mandatory}个，少于{rule.min_mandatory}个")
        if missing:
            reasons = [f"未达到{LEVEL_NAMES[rule.level]}：" + "；".join(missing)]
            break
        reached = rule.level
    else:
        reasons = [f"已达到最高等级{LEVEL_NAMES[reached]}"]
    return LevelResult(reached, tuple(reasons))


def evaluate(
    edition: EditionSpec, answers: Mapping[str, Sequence[str]], scenario_levels: Mapping[str, int]
) -> AssessmentResult:
    """Score a complete, valid questionnaire and give its level."""
    scores, total = score_answers(edition, answers)
    mandatory = frozenset(s.code for s in edition.scenarios if s.mandatory)
    level = assess_level(edition.rule_set, total, scenario_levels, mandatory)
    return AssessmentResult(scores, total, level, dict(scenario_levels))


def evaluate_scores(
    edition: EditionSpec,
    dimension_scores: Mapping[str, Decimal],
    scenario_levels: Mapping[str, int],
) -> AssessmentResult:
    """Level of an assessment whose dimension scores were given (an external evaluation)."""
    scores = {code: _q(Decimal(dimension_scores[code])) for code, _n, _m in edition.dimensions}
    total = _q(sum(scores.values(), Decimal("0")))
    mandatory = frozenset(s.code for s in edition.scenarios if s.mandatory)
    level = assess_level(edition.rule_set, total, scenario_levels, mandatory)
    return AssessmentResult(scores, total, level, dict(scenario_levels))


def operations_score(edition: EditionSpec, scenario_levels: Mapping[str, int]) -> Decimal:
    """数字化经营 as a share 0–100 of the highest possible scenario levels (for the radar chart)."""
    if not edition.scenarios:
        return Decimal("0")
    reached = sum(int(scenario_levels.get(s.code) or 0) for s in edition.scenarios)
    return _q(Decimal(100) * reached / (4 * len(edition.scenarios)))
