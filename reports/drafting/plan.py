"""四、下年度工作安排: one item per part of the bureau's work that has a next-year target or an
open pipeline; each names the pipeline's next step and lists the targets the dashboard of the
next year tracks (bureau.Target of year + 1)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..summary import Segment, format_amount
from .base import Draft, Facts, amount, count, names


@dataclass(frozen=True)
class Family:
    code: str
    title: str
    prefixes: tuple[str, ...]
    lead: str
    pipelines: Callable[[Facts], list[list[Segment]]]


def _tiers_pipelines(facts: Facts) -> list[list[Segment]]:
    result = []
    if facts.positive(k := "enterprises.specialised_under_review"):
        result.append(
            [Segment("跟进")] + count(facts, k, "家") + [Segment("省级专精特新企业的审核进度")]
        )
    if facts.positive(k := "enterprises.applications_stalled"):
        result.append([Segment("推动")] + count(facts, k, "项") + [Segment("停滞申请尽快形成结果")])
    if facts.positive(k := "enterprises.expired_not_renewed"):
        result.append([Segment("指导")] + count(facts, k, "项") + [Segment("到期资质做好复审")])
    return result


def _carrier_pipelines(facts: Facts) -> list[list[Segment]]:
    result = []
    for note in facts.notes("incubation.incubators_applying"):
        # "name|level striven for|operator|kind" (incubation.incubators_applying's notes)
        name, level, _operator, kind = (note.split("|") + ["", "", ""])[:4]
        words = f"支持{name}争创{level}{kind or '孵化载体'}" if level else f"支持{name}提升能级"
        result.append([Segment(words)])
    if facts.positive(k := "incubation.recognitions_applying"):
        result.append(
            [Segment("推动")] + count(facts, k, "个") + [Segment("正在申报的平台认定获批")]
        )
    return result


def _digital_pipelines(facts: Facts) -> list[list[Segment]]:
    from .digital import planned_steps, project_names

    steps = planned_steps(facts.notes("digital.demo_park_milestones_planned"))
    projects = facts.notes("digital.demo_park_budget")
    if not steps:
        return []
    return [[Segment(f"推动{project_names(projects)}落地，{steps}")]]


def _talent_pipelines(facts: Facts) -> list[list[Segment]]:
    result = []
    invited = facts.notes("talent.planned_exchanges")
    if facts.positive("talent.planned_exchanges") and invited:
        result.append([Segment(f"办好与{names(invited)}的交流座谈")])
    if facts.positive(k := "talent.unsolved_demands"):
        result.append([Segment("推动")] + count(facts, k, "项") + [Segment("企业技术需求对接解决")])
    return result


def _finance_pipelines(facts: Facts) -> list[list[Segment]]:
    result = []
    notes = facts.notes("finance.scheme_stage")
    if facts.positive("finance.scheme_stage") and len(notes) >= 3 and notes[2]:
        result.append([Segment(f"推动“{notes[0]}”金融产品完成{notes[2]}并落地")])
    if facts.positive(k := "finance.needs_open"):
        result.append([Segment("对接")] + count(facts, k, "项") + [Segment("待满足的企业融资需求")])
    return result


FAMILIES = (
    Family(
        "tiers",
        "持续做好梯次培育",
        ("enterprises.", "bureau.activities."),
        "持续做好政策宣传和解读，梯度培育创新型中小企业、科技型中小企业、高新技术企业、专精特新中小企业",
        _tiers_pipelines,
    ),
    Family(
        "carriers",
        "加速创新载体建设",
        ("incubation.",),
        "支持培育园区企业申报各级孵化载体和研发平台，加快形成多元化的创新平台体系",
        _carrier_pipelines,
    ),
    Family(
        "digital",
        "发挥数字赋能作用",
        ("digital.",),
        "主动对园区内企业进行数字化诊断，引导企业数字化、网络化、智能化、绿色化转型",
        _digital_pipelines,
    ),
    Family(
        "talent",
        "深化人才与产学研合作",
        ("talent.",),
        "健全人才服务体系，搭建产学研合作平台，推动高校院所与企业精准对接",
        _talent_pipelines,
    ),
    Family(
        "finance",
        "着力金融科技融合",
        ("finance.",),
        "提升金融服务效能，定期开展政银企对接，以金融支持引导中小企业向科技创新转型",
        _finance_pipelines,
    ),
)


def _target_clause(facts: Facts, key: str) -> list[Segment]:
    target = facts.next_targets[key]
    unit = target.unit or facts.unit(key)
    shown = format_amount(target.value, unit) if unit == "元" else None
    clause = [
        Segment(target.label),
        Segment(shown or format_amount(target.value, unit), f"target:{key}"),
    ]
    if facts.positive(key):
        clause += [Segment(f"（{facts.year}年")] + amount(facts, key, unit) + [Segment("）")]
    return clause


def plan(facts: Facts) -> list[Draft]:
    """One item per family with next year's targets or an open pipeline."""
    drafts = []
    for family in FAMILIES:
        targets = [
            k
            for k in sorted(facts.next_targets)
            if k.startswith(family.prefixes) and facts.next_targets[k].value
        ]
        pipelines = family.pipelines(facts)
        if not targets and not pipelines:
            continue
        body = [Segment(family.lead)]
        for clause in pipelines:
            body += [Segment("；")] + clause
        body.append(Segment("。"))
        if targets:
            body.append(Segment(f"{facts.year + 1}年度目标："))
            for i, key in enumerate(targets):
                if i:
                    body.append(Segment("、"))
                body += _target_clause(facts, key)
            body.append(Segment("。"))
        drafts.append(
            Draft(f"plan.{family.code}", f"plan.{family.code}", body, heading=family.title)
        )
    return drafts


RULES = [plan]
