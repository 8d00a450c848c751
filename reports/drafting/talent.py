"""一（三）强化创新人才支撑，深化产学研合作: the roster, programmes, trainings, cooperation."""

from __future__ import annotations

from ..summary import Segment
from .base import Draft, Facts, amount, count, join, names, pick, rotate, with_change

SECTION = "work.talent"


def roster(facts: Facts) -> list[Draft]:
    """Talents on the roster by kind, programme approvals and subsidies, trainings held."""
    people = [
        with_change(facts, key, "人", [Segment(label)] + count(facts, key, "人"))
        for key, label in (
            ("talent.executives", "企业高管"),
            ("talent.deputy_senior_and_above", "副高级职称以上人才"),
            ("talent.master_and_above", "硕士学历以上人才"),
        )
        if facts.positive(key)
    ]
    clauses: list[list[Segment]] = []
    if people:
        clauses.append([Segment("精准摸排园区内")] + join(people))
    if facts.positive(k := "talent.applications_approved"):
        clause = [Segment("高层次人才等项目获批")] + count(facts, k, "项")
        if facts.positive(g := "talent.subsidies_granted"):
            clause += [Segment("，核定资金")] + amount(facts, g)
        if facts.positive(p := "talent.subsidies_paid"):
            clause += [Segment("，已拨付")] + amount(facts, p)
        clauses.append(clause)
    if facts.positive(k := "talent.trainings_held"):
        topics = facts.notes(k)[:3]
        clause = with_change(
            facts, k, "次", [Segment("开展人才培训与交流活动")] + count(facts, k, "次")
        )
        if topics:
            clause.append(Segment(f"，如{names(topics, quote=True)}等"))
        clauses.append(clause)
    if not clauses:
        return []
    return [
        Draft(
            f"{SECTION}.roster",
            "talent.roster",
            join(clauses) + [Segment("。")],
            openings=rotate("talent.roster", ("优化人才与管理服务。", "健全人才服务体系。")),
        )
    ]


def cooperation(facts: Facts) -> list[Draft]:
    """Enterprises cooperating and with demands, unsolved demands, planned exchanges by name."""
    clauses: list[list[Segment]] = []
    if facts.positive(k := "talent.enterprises_cooperating"):
        clause = with_change(
            facts, k, "家", [Segment("摸排有产学研合作的企业")] + count(facts, k, "家")
        )
        if facts.positive(v := "talent.agreement_value"):
            clause += [Segment("，合作合同金额")] + amount(facts, v)
        clauses.append(clause)
    if facts.positive(k := "talent.enterprises_with_demands"):
        clause = [Segment("有技术需求的企业")] + count(facts, k, "家")
        if facts.positive(u := "talent.unsolved_demands"):
            clause += [Segment("，其中")] + count(facts, u, "项") + [Segment("需求正在对接")]
        clauses.append(clause)
    invited = facts.notes("talent.planned_exchanges")
    if facts.positive("talent.planned_exchanges") and invited:
        clauses.append(
            [
                Segment(
                    pick("talent.invite", ("拟于近期邀请", "计划邀请"))
                    + names(invited)
                    + "来交流座谈，加强双边合作交流"
                )
            ]
        )
    if not clauses:
        return []
    since = pick("talent.since", ("截至目前，", "截至年底，"))
    return [
        Draft(
            f"{SECTION}.cooperation",
            "talent.cooperation",
            [Segment(since)] + join(clauses) + [Segment("。")],
            openings=rotate("talent.cooperation", ("搭建产学研合作平台。", "深化产学研合作。")),
        )
    ]


RULES = [roster, cooperation]
