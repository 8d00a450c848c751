"""二、工作的特色与亮点: what stands out — targets met, the largest gains, firsts, the
"3+3+6" demonstration groups. Every claim carries the figure it rests on."""

from __future__ import annotations

from decimal import Decimal

from ..summary import Segment, figure_keys, format_number
from .base import Draft, Facts, amount, count, join, percent, pick, rotate
from .digital import project_names

# Gains smaller than this (per cent) are not called out as highlights.
GAIN_THRESHOLD = Decimal(10)
# Gains from a base smaller than this are not called out (a percentage of little meaning).
GAIN_BASE = 10
# How many banks the cooperation highlight names.
NAMED_BANKS = 3
TOP_GAINS = 2

# "A first": (figure key held at the year's end, words) — claimed when last year's figure was
# published as zero and this year's is above zero.
FIRSTS = (
    ("incubation.incubators.national", "实现国家级孵化载体零的突破"),
    ("incubation.platforms.national", "实现国家级研发平台零的突破"),
    ("enterprises.tiers.little_giant", "培育出园区首批专精特新“小巨人”企业"),
    ("enterprises.tiers.hitech", "实现高新技术企业零的突破"),
)
DEMO_GROUPS = (
    "digital.demo_enterprises.outstanding",
    "digital.demo_enterprises.case",
    "digital.demo_enterprises.transformation",
)


def target_words(facts: Facts, key: str) -> list[Segment]:
    """'“label”年度目标30家' (the target keyed 'target:<key>')."""
    target = facts.targets[key]
    return [Segment(f"“{target.label}”年度目标")] + amount(
        facts, f"target:{key}", target.unit or facts.unit(key)
    )


def actual_words(facts: Facts, key: str) -> list[Segment]:
    return amount(facts, key, facts.targets[key].unit or facts.unit(key))


def targets_met(facts: Facts) -> list[Draft]:
    """Each of the year's targets its figure met or exceeded, with the completion rate."""
    met = []
    for key in sorted(facts.targets):
        target = facts.targets[key]
        if not target.value or facts.value(key) is None:
            continue
        goal, actual = Decimal(target.value), Decimal(facts.value(key) or 0)
        if actual < goal:
            continue
        met.append(
            target_words(facts, key)
            + [Segment("，实际完成")]
            + actual_words(facts, key)
            + [Segment(f"，完成率{percent(actual, goal)}%")]
        )
    if not met:
        return []
    return [
        Draft(
            "highlights.services.targets",
            "highlights.targets_met",
            join(met, "；") + [Segment("。")],
            openings=rotate("highlights.targets", ("年度目标圆满完成。", "重点指标超额完成。")),
        )
    ]


def gains(facts: Facts) -> list[Draft]:
    """The largest year-on-year gains among the summary's key figures (at least 10%)."""
    found = []
    for key in figure_keys():
        if key.startswith("target:"):
            continue
        now, before = facts.value(key), facts.before(key)
        if not now or not before or before < GAIN_BASE or now <= before:
            continue
        pct = (Decimal(now) - Decimal(before)) * 100 / Decimal(before)
        if pct >= GAIN_THRESHOLD:
            found.append((pct, key))
    found.sort(key=lambda item: (-item[0], item[1]))
    parts = []
    for pct, key in found[:TOP_GAINS]:
        shown = pct.quantize(Decimal("0.1"))
        parts.append(
            [Segment(facts.label(key))]
            + amount(facts, key)
            + [Segment(f"，同比增长{format_number(shown)}%")]
        )
    if not parts:
        return []
    return [
        Draft(
            "highlights.services.gains",
            "highlights.gains",
            [Segment(pick("highlights.gains", ("服务成效持续显现，", "企业培育提质增量，")))]
            + join(parts, "；")
            + [Segment("，增幅居各项指标前列。")],
        )
    ]


def firsts(facts: Facts) -> list[Draft]:
    """A first: a figure held at the year's end that was zero at the end of last year."""
    parts = []
    for key, words in FIRSTS:
        if facts.positive(key) and key in facts.previous and facts.before(key) == 0:
            if facts.has_previous:
                parts.append(
                    [Segment(f"{words}，现有{facts.label(key)}")]
                    + count(facts, key, facts.unit(key))
                )
    if not parts:
        return []
    return [
        Draft(
            "highlights.services.firsts",
            "highlights.firsts",
            [
                Segment(
                    pick(
                        "highlights.firsts",
                        ("创新载体和企业培育取得突破：", "培育工作实现新突破："),
                    )
                )
            ]
            + join(parts, "；")
            + [Segment("。")],
        )
    ]


def cooperation(facts: Facts) -> list[Draft]:
    """Government, banks, enterprises and institutions working together, from the figures
    that show it: cooperating enterprises, institutions invited, banks signing, products."""
    parts: list[list[Segment]] = []
    if facts.positive(k := "talent.enterprises_cooperating"):
        parts.append(
            [Segment("推动")] + count(facts, k, "家") + [Segment("企业与高校院所开展产学研合作")]
        )
    banks = sorted(
        (k for k in facts.keys("finance.by_bank.") if facts.positive(k)),
        key=lambda k: -(facts.value(k) or 0),
    )
    if banks:
        shown = "、".join(facts.label(k) for k in banks[:NAMED_BANKS])
        more = f"等{len(banks)}家金融机构" if len(banks) > NAMED_BANKS else ""
        parts.append([Segment(f"{shown}{more}参与融资签约")])
    if facts.positive(k := "finance.products_launched") and facts.notes(k):
        parts.append([Segment("新推出金融产品")] + count(facts, k, "个"))
    if len(parts) < 2:
        return []
    return [
        Draft(
            "highlights.cooperation.ecosystem",
            "highlights.cooperation",
            [
                Segment(
                    "逐步建立由政府、金融机构、科技企业、高校和科研机构共同参与的科技金融生态体系，"
                )
            ]
            + join(parts)
            + [Segment("，推动科技成果的产生、转化和产业化。")],
        )
    ]


def digital_demo(facts: Facts) -> list[Draft]:
    """The demonstration park and its "3+3+6" groups, the label built from the group sizes."""
    groups = [k for k in DEMO_GROUPS if facts.positive(k)]
    project = facts.notes("digital.demo_park_budget")
    body: list[Segment] = []
    if facts.positive("digital.demo_park_budget") and project:
        body.append(
            Segment(f"成功申请{project_names(project)}，利用该项目对园区重点产业进行数字化改造")
        )
    if len(groups) >= 2:
        label = "+".join(str(facts.value(k)) for k in groups)
        if body:
            body.append(Segment("，"))
        body.append(Segment(f"打造“{label}”的数字化转型示范模式，即"))
        body += join(
            [count(facts, k, "个") + [Segment(facts.label(k))] for k in groups], "、", "和"
        )
    elif len(groups) == 1:
        if body:
            body.append(Segment("，"))
        body += [Segment(f"认定{facts.label(groups[0])}")] + count(facts, groups[0], "家")
    if not body:
        return []
    body.append(Segment("，为园区内其他产业的数字化转型提供引领和示范。"))
    return [Draft("highlights.digital_demo.groups", "highlights.digital_demo", body)]


SERVICES = [targets_met, gains, firsts]
COOPERATION = [cooperation]
DIGITAL_DEMO = [digital_demo]
