"""一（四）加快企业梯次培育，不断提升服务效能: policy seminars and visits, the tier ladder."""

from __future__ import annotations

from ..summary import Segment
from .base import Draft, Facts, count, join, names, pick, rotate, with_change

SECTION = "work.tiers"

# Activity kinds the bureau reports here as policy work, with the seed's wording.
POLICY_KINDS = (
    ("bureau.activities.policy_seminar", "组织开展政策宣讲会"),
    ("bureau.activities.door_to_door", "上门宣讲政策"),
)


def policy(facts: Facts) -> list[Draft]:
    """Policy seminars and door-to-door visits (counts, rounded as staff chose) and the
    seminars' notable topics. Other kinds of activity are told where they belong: meetings on
    digital transformation in (二), trainings and exchanges in (三), matchmaking in (五)."""
    clauses = [
        with_change(facts, key, "次", [Segment(words)] + count(facts, key, "次"))
        for key, words in POLICY_KINDS
        if facts.positive(key)
    ]
    if not clauses:
        return []
    topics = facts.notes("bureau.activities.policy_seminar")[:3]
    about = f"围绕{names(topics, quote=True)}等主题，" if topics else ""
    return [
        Draft(
            f"{SECTION}.policy",
            "tiers.policy",
            [Segment(pick("tiers.since", ("今年以来，", "全年")) + "科技金融局" + about)]
            + join(clauses)
            + [Segment("。")],
            openings=rotate("tiers.policy", ("持续做好政策宣传和解读。", "强化惠企政策宣传解读。")),
        )
    ]


def ladder(facts: Facts) -> list[Draft]:
    """New tiers of the year, little giants by level, applications in review, the innovative-SME
    target of the year and what has been filed against it."""
    clauses: list[list[Segment]] = []
    for key, before, after in (
        ("enterprises.hitech_new", "新培育高企", ""),
        ("enterprises.tech_sme_registered", "科小入库", ""),
        ("enterprises.strategic_new", "新调整战略新兴产业入库", ""),
    ):
        if facts.positive(key):
            clauses.append(
                with_change(
                    facts, key, "家", [Segment(before)] + count(facts, key, "家") + [Segment(after)]
                )
            )
    for level, name in (("national", "国家级"), ("provincial", "省级"), ("municipal", "市级")):
        key = f"enterprises.little_giant_new_{level}"
        if facts.positive(key):
            clauses.append([Segment(f"新培育{name}专精特新“小巨人”")] + count(facts, key, "家"))
    if facts.positive(k := "enterprises.specialised_under_review"):
        clauses.append(
            [Segment("目前")] + count(facts, k, "家") + [Segment("省级专精特新企业正在审核中")]
        )
    target_key = "target:enterprises.innovative_sme_applications"
    filed = "enterprises.innovative_sme_applications"
    if facts.positive(target_key):
        clause = [Segment("创小申报工作正在进行")]
        if facts.positive(filed):
            clause += [Segment("，已申报")] + count(facts, filed, "家")
        clause += [Segment("，预计申报")] + count(facts, target_key, "家")
        clauses.append(clause)
    elif facts.positive(filed):
        clauses.append([Segment("申报创新型中小企业")] + count(facts, filed, "家"))
    if not clauses:
        return []
    return [
        Draft(
            f"{SECTION}.ladder",
            "tiers.ladder",
            [Segment(pick("ladder.since", ("今年以来，", "全年", "本年度")))]
            + join(clauses)
            + [Segment("。")],
            openings=rotate("tiers.ladder", ("加强企业梯次培育。", "梯度培育创新型企业。")),
        )
    ]


RULES = [policy, ladder]
