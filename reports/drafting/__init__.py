"""The annual summary drafted from a year's figures: rules in, paragraphs out.

`draft(facts)` runs every section's rules (one module per section, plain functions over
`Facts`) and returns the paragraphs of each section code of `reports.summary.STRUCTURE`.
The composer then numbers the findings of section 三 (一是、二是…), chooses each paragraph's
opening so that no two consecutive paragraphs begin alike, and writes a sentence saying so
where a section would otherwise be empty. docs/reports.md has the table of which rule writes
what.
"""

from __future__ import annotations

from ..summary import STRUCTURE, Segment, chinese_number
from . import digital, finance, highlights, intro, plan, platforms, problems, talent, tiers
from .base import Draft, Facts

__all__ = ["Draft", "Facts", "draft", "RULES", "opening_of"]

# Section code → the rules that draft it, in the order their paragraphs appear.
RULES = {
    "intro": intro.RULES,
    "work.platforms": platforms.RULES,
    "work.digital": digital.RULES,
    "work.talent": talent.RULES,
    "work.tiers": tiers.RULES,
    "work.finance": finance.RULES,
    "highlights.services": highlights.SERVICES,
    "highlights.cooperation": highlights.COOPERATION,
    "highlights.digital_demo": highlights.DIGITAL_DEMO,
    "problems": problems.RULES,
    "plan": plan.RULES,
}

# What a section says when no rule found anything to write (never "0个" or "暂无数据").
EMPTY = {
    "work.platforms": "本年度暂未开展研发平台和创新载体认定申报工作。",
    "work.digital": "本年度暂未开展数字化转型相关工作。",
    "work.talent": "本年度暂未开展人才摸排和产学研合作对接工作。",
    "work.tiers": "本年度暂未开展政策宣讲和企业梯次培育申报工作。",
    "work.finance": "本年度暂未开展银企对接和金融产品推广工作。",
    "problems": "对照年度目标和上年数据，本年度各项指标暂未出现未完成或回落的情况；"
    "下一步将对标先进园区查找差距，持续提升服务效能。",
}
# Sections whose headings are shown only when they have paragraphs.
OPTIONAL = {"highlights.services", "highlights.cooperation", "highlights.digital_demo"}
HIGHLIGHTS_FALLBACK = "highlights.services"


def opening_of(text: str) -> str:
    """A paragraph's opening: its words up to the first punctuation mark (at most 8)."""
    for i, char in enumerate(text):
        if char in "，。；：、（“":
            return text[:i][:8]
    return text[:8]


def draft(facts: Facts) -> dict[str, list[Draft]]:
    """Every section's drafted paragraphs, by section code, in document order."""
    result: dict[str, list[Draft]] = {}
    for spec in STRUCTURE:
        drafts: list[Draft] = []
        for rule in RULES.get(spec.code, ()):
            drafts.extend(rule(facts))
        if not drafts and spec.code in EMPTY:
            drafts.append(
                Draft(f"{spec.code}.none", "empty", [Segment(EMPTY[spec.code])], openings=("",))
            )
        result[spec.code] = drafts
    if not any(result[code] for code in OPTIONAL):
        result[HIGHLIGHTS_FALLBACK] = [
            Draft(
                "highlights.services.work",
                "highlights.work_done",
                _work_done(result),
                openings=("",),
            )
        ]
    for i, finding in enumerate(d for d in result["problems"] if d.rule != "empty"):
        finding.openings = (f"{chinese_number(i + 1)}是",)
    _choose_openings([d for code in result for d in result[code]])
    return result


def _work_done(result: dict[str, list[Draft]]) -> list[Segment]:
    """When nothing stands out, the highlights say which parts of the work were carried out."""
    done = [
        spec.title
        for spec in STRUCTURE
        if spec.parent == "work" and any(d.rule != "empty" for d in result.get(spec.code, ()))
    ]
    if not done:
        return [Segment("本年度各项工作按计划稳步推进。")]
    return [Segment("本年度围绕" + "、".join(f"“{t}”" for t in done) + "等方面扎实开展工作。")]


def _choose_openings(drafts: list[Draft]) -> None:
    """Give each paragraph the first of its openings whose first words differ from the
    previous paragraph's; when all would repeat, the body is left without one."""
    previous = ""
    for d in drafts:
        body = "".join(s.text for s in d.body)
        chosen = None
        for candidate in d.openings:
            if opening_of(candidate + body) != previous:
                chosen = candidate
                break
        d.opening = chosen if chosen is not None else ""
        previous = opening_of(d.text)
