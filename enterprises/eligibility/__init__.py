"""Eligibility pre-screening for the tier ladder (梯次培育): plain Python over plain values.

The rules are those of /work/shared/criteria.md §1–§3, versioned by effective date: the 2022
gradient measures (工信部企业〔2022〕63号) before 2026-04-01, the 2026 measures (工信部企业〔2026〕2号,
with 科技和创新型中小企业 as the entry tier) from then on. 科小 (国科发政〔2017〕115号 + 国科火字〔2022〕67号)
and 高企 (国科发火〔2016〕32号) rules are the same in both sets.

Every rule comes back with the enterprise's number, the threshold and a status: pass, fail,
unknown (a figure is missing, and it is named), or manual review (only a person can judge:
market position, "core support", field membership). Manual review is never a pass. The result
is an estimate for the bureau's own planning, never an official finding.

Money is in 元 (as stored); thresholds quoted in 万元 by the criteria are converted here.

The package, by concern: `facts` (the inputs), `results` (rule results, assessments, the
rule-set shape), `figures` (reading year figures), `rules` (building blocks shared by the
families), one module per family or criteria section (`tech_sme` §1, `hitech` §2,
`innovative_sme` §3.3, `specialised_sme` §3.4, `little_giant` §3.5, `measures_2026` §3.6,
`strategic_emerging`), and `rule_sets` (the versions by effective date, and the engine).
Callers import from the package: `from enterprises import eligibility`.
"""

from .facts import FIELD_LABELS, HUNDRED, LEVEL_RANK, WAN, ZERO, Facts, YearFigures
from .figures import band, fmt_pct, fmt_wan, pct
from .hitech import GROWTH_BANDS, hitech, hitech_growth, hitech_growth_points, hitech_rd_threshold
from .innovative_sme import (
    INNOV_GROWTH_BANDS,
    INNOV_MAIN_SHARE_BANDS,
    INNOV_RD_BANDS,
    innovative_debt_points,
    innovative_sme,
)
from .little_giant import little_giant, little_giant_rd_rule
from .measures_2026 import little_giant_2026, specialised_sme_2026, tech_innovative_sme_2026
from .results import (
    Assessment,
    DeferredRules,
    Outcome,
    PrefixedRules,
    RuleResult,
    RuleSet,
    Status,
    decide,
)
from .rule_sets import (
    CHANGE_2026,
    RULE_SET_2022,
    RULE_SET_2026,
    RULE_SETS,
    assess,
    evaluator_for,
    rule_set_for,
)
from .specialised_sme import specialised_debt_points, specialised_rd_points, specialised_sme
from .strategic_emerging import strategic_emerging
from .tech_sme import (
    RD_COST_BANDS,
    RD_REVENUE_BANDS,
    TECH_STAFF_BANDS,
    tech_sme,
    tech_sme_ip_points,
)

__all__ = [
    "WAN",
    "ZERO",
    "HUNDRED",
    "CHANGE_2026",
    "LEVEL_RANK",
    "FIELD_LABELS",
    "YearFigures",
    "Facts",
    "Status",
    "Outcome",
    "RuleResult",
    "PrefixedRules",
    "DeferredRules",
    "Assessment",
    "RuleSet",
    "pct",
    "band",
    "fmt_pct",
    "fmt_wan",
    "TECH_STAFF_BANDS",
    "RD_REVENUE_BANDS",
    "RD_COST_BANDS",
    "tech_sme_ip_points",
    "tech_sme",
    "hitech_rd_threshold",
    "hitech_growth",
    "GROWTH_BANDS",
    "hitech_growth_points",
    "hitech",
    "INNOV_RD_BANDS",
    "INNOV_GROWTH_BANDS",
    "INNOV_MAIN_SHARE_BANDS",
    "innovative_debt_points",
    "innovative_sme",
    "specialised_rd_points",
    "specialised_debt_points",
    "specialised_sme",
    "little_giant_rd_rule",
    "little_giant",
    "specialised_sme_2026",
    "little_giant_2026",
    "tech_innovative_sme_2026",
    "strategic_emerging",
    "RULE_SET_2022",
    "RULE_SET_2026",
    "RULE_SETS",
    "rule_set_for",
    "decide",
    "assess",
    "evaluator_for",
]
