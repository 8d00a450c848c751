"""The versioned rule sets (2022 measures until 2026-03-31, 2026 measures from 2026-04-01) and the
engine that picks the one in force and assesses facts with it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from .facts import Facts
from .hitech import hitech
from .innovative_sme import innovative_sme
from .little_giant import little_giant
from .measures_2026 import little_giant_2026, specialised_sme_2026, tech_innovative_sme_2026
from .results import Assessment, RuleSet, decide
from .specialised_sme import specialised_sme
from .strategic_emerging import strategic_emerging
from .tech_sme import tech_sme
from .text import _

CHANGE_2026 = datetime.date(2026, 4, 1)


RULE_SET_2022 = RuleSet(
    version="2022",
    name=str(_("2022年梯度培育暂行办法（工信部企业〔2022〕63号）及科小、高企现行办法")),
    effective_from=None,
    effective_to=CHANGE_2026 - datetime.timedelta(days=1),
    evaluators={
        "tech_sme": tech_sme,
        "hitech": hitech,
        "innovative_sme": innovative_sme,
        "specialised_sme": specialised_sme,
        "little_giant": little_giant,
        "strategic_emerging": strategic_emerging,
    },
)
RULE_SET_2026 = RuleSet(
    version="2026",
    name=str(_("2026年优质中小企业梯度培育管理办法（工信部企业〔2026〕2号）及科小、高企现行办法")),
    effective_from=CHANGE_2026,
    effective_to=None,
    evaluators={
        "tech_sme": tech_sme,
        "tech_innovative_sme": tech_innovative_sme_2026,
        "hitech": hitech,
        "innovative_sme": innovative_sme,  # 63号 criteria until the new tier-1 standard is out
        "specialised_sme": specialised_sme_2026,
        "little_giant": little_giant_2026,
        "strategic_emerging": strategic_emerging,
    },
)
RULE_SETS = (RULE_SET_2022, RULE_SET_2026)


def rule_set_for(day: datetime.date) -> RuleSet:
    """The rule set in force on `day`."""
    for rule_set in RULE_SETS:
        if rule_set.applies_on(day):
            return rule_set
    raise LookupError(day)


def assess(family: str, facts: Facts) -> Assessment | None:
    """Pre-screen `facts` for the kind whose rule family is `family`, with the rules in force
    on the assessment date; None when that rule set has no rules for the family."""
    evaluate = evaluator_for(family, facts.assessment_date)
    return None if evaluate is None else evaluate(facts)


def evaluator_for(family: str, day: datetime.date) -> Callable[[Facts], Assessment] | None:
    """`assess` for one family and one assessment day, the rule set looked up once: for
    pre-screening many enterprises (every `Facts` passed must be assessed on `day`)."""
    rule_set = rule_set_for(day)
    evaluator = rule_set.evaluators.get(family)
    if evaluator is None:
        return None

    def evaluate(facts: Facts) -> Assessment:
        rules, score = evaluator(facts)
        low, high, pass_score = score if score else (None, None, "")
        return Assessment(
            family=family,
            rule_set=rule_set,
            assessed_on=facts.assessment_date,
            outcome=decide(rules),
            parts=tuple(rules),
            score=low,
            score_max=high,
            pass_score=pass_score,
        )

    return evaluate
