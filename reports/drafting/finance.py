"""一（五）坚持双轮驱动发展，科技金融深度结合: matchmaking, signings, products, the guarantee scheme."""

from __future__ import annotations

from ..summary import Segment
from .base import Draft, Facts, amount, count, join, money, names, pick, rotate, with_change

SECTION = "work.finance"

# What the summary says of a guarantee scheme at each stage (finance.SchemeStage labels), and
# of its next step.
STAGE_WORDS = {
    "方案设计": "正在进行产品方案设计",
    "合同拟定": "正在拟定合作合同",
    "司法审查": "目前合同已拟定好，正在进行合同的司法审查",
    "县政府审核": "合同已通过司法审查，正在报县政府审核",
    "签约": "已完成审核，正在组织签约",
    "上线": "产品已正式上线运行",
}
NEXT_WORDS = {
    "合同拟定": "拟定合作合同",
    "司法审查": "开展合同司法审查",
    "县政府审核": "送至县政府审核和签约",
    "签约": "组织各方签约",
    "上线": "推动产品上线",
}


def services(facts: Facts) -> list[Draft]:
    """Government-bank meetings and matchmaking events, signings on site and in all, products."""
    clauses: list[list[Segment]] = []
    events = [
        [Segment(label)] + count(facts, key, "次")
        for key, label in (
            ("finance.events.gov_bank_meeting", "政银推进会"),
            ("finance.events.bank_enterprise_matchmaking", "银企对接会"),
        )
        if facts.positive(key)
    ]
    if events:
        clauses.append([Segment("定期开展")] + join(events, "、"))
        if facts.positive(k := "finance.events.matchmaking_institutions"):
            clauses.append(count(facts, k, "家") + [Segment("金融机构参加")])
    products = facts.notes("finance.products_launched")
    if facts.positive("finance.products_launched") and products:
        clauses.append(
            [Segment(f"支持银行推出{names(products, quote=True)}等更适配园区企业发展的金融产品")]
        )
    if facts.positive(k := "finance.signed_on_site"):
        clauses.append(with_change(facts, k, "", [Segment("今年累计现场签约")] + money(facts, k)))
    elif facts.positive(k := "finance.signed_amount"):
        clauses.append(with_change(facts, k, "", [Segment("今年累计融资签约")] + money(facts, k)))
    if facts.positive(k := "finance.enterprises_financed"):
        clauses.append([Segment("惠及企业")] + count(facts, k, "家"))
    if facts.positive(k := "finance.disbursed_amount"):
        clauses.append([Segment("已放款")] + amount(facts, k))
    if facts.positive(k := "finance.needs_met"):
        clauses.append([Segment("满足企业融资需求")] + count(facts, k, "项"))
    if not clauses:
        return []
    return [
        Draft(
            f"{SECTION}.services",
            "finance.services",
            join(clauses) + [Segment("，重点解决中小企业的资金难题。")],
            openings=rotate("finance.services", ("提升金融服务效能。", "优化金融服务供给。")),
        )
    ]


def scheme(facts: Facts) -> list[Draft]:
    """The guarantee scheme (科技担): partners, the stage reached, the next step."""
    notes = facts.notes("finance.scheme_stage")
    if not facts.positive("finance.scheme_stage") or len(notes) < 5:
        return []
    name, stage, following, bank, guarantor = notes[:5]
    body = [
        Segment(f"与{bank}、{guarantor}对接，"),
        Segment(
            pick("finance.scheme", ("计划设立", "谋划推出"))
            + f"“{name}”产品，通过放大授信额度，支持科技型中小企业融资需求，"
        ),
        Segment(STAGE_WORDS.get(stage, f"目前处于{stage}阶段")),
    ]
    if following:
        body.append(Segment(f"，下步将{NEXT_WORDS.get(following, following)}"))
    body.append(Segment("。"))
    return [
        Draft(
            f"{SECTION}.scheme",
            "finance.scheme",
            body,
            openings=(f"谋划“{name}”金融产品。", f"推进“{name}”金融产品落地。"),
        )
    ]


RULES = [services, scheme]
