"""一（一）积极推进创新驱动战略，打造研发平台: incubators and R&D platforms, recognitions."""

from __future__ import annotations

from ..summary import Segment
from .base import Draft, Facts, count, join, noun, pick, rotate, with_change

SECTION = "work.platforms"
LEVELS = ("national", "provincial", "municipal")


def incubators(facts: Facts) -> list[Draft]:
    """Carriers by level at the year's end, tenants, and the carriers striving for a level."""
    held = [
        with_change(
            facts, key, "家", [Segment(noun(facts.label(key), ""))] + count(facts, key, "家")
        )
        for level in LEVELS
        if facts.positive(key := f"incubation.incubators.{level}")
    ]
    clauses: list[list[Segment]] = []
    if held:
        clauses.append([Segment("园区现有")] + join(held, "、"))
    if facts.positive("incubation.tenants"):
        clauses.append(
            with_change(
                facts,
                "incubation.tenants",
                "家",
                [Segment("在孵企业")] + count(facts, "incubation.tenants", "家"),
            )
        )
    if facts.positive("incubation.tenants_entered"):
        clauses.append([Segment("新入孵企业")] + count(facts, "incubation.tenants_entered", "家"))
    if facts.positive("incubation.tenants_graduated"):
        clauses.append([Segment("毕业企业")] + count(facts, "incubation.tenants_graduated", "家"))
    striving = [n.split("|") for n in facts.notes("incubation.incubators_applying")]
    if facts.positive("incubation.incubators_applying") and striving:
        parts = []
        for note in striving:
            name, level, _operator, kind = (note + ["", "", ""])[:4]
            kind = kind or "孵化载体"
            parts.append(f"{name}研究制定申报方案争创{level}{kind}" if level else name)
        clauses.append(
            [
                Segment(
                    pick(
                        "incubation.incubators_applying",
                        ("目前", "当前", "同时"),
                    )
                    + "；".join(parts)
                )
            ]
        )
    if not clauses:
        return []
    return [
        Draft(
            f"{SECTION}.incubators",
            "platforms.incubators",
            join(clauses) + [Segment("。")],
            openings=rotate(
                "incubation.lead", ("全力打造科技企业孵化器。", "持续提升孵化载体能级。")
            ),
        )
    ]


def platforms(facts: Facts) -> list[Draft]:
    """New R&D centres and recognitions by level, and those under application at the year's end."""
    new: list[list[Segment]] = []
    for level in LEVELS:
        key = f"incubation.rd_platforms_new.{level}"
        if facts.positive(key):
            new.append(
                with_change(
                    facts,
                    key,
                    "个",
                    [Segment(noun(facts.label(key), "新增"))] + count(facts, key, "个"),
                )
            )
    for key in facts.keys("incubation.recognitions_new."):
        if facts.positive(key):
            new.append(
                with_change(
                    facts,
                    key,
                    "个",
                    [Segment(noun(facts.label(key), "新增"))] + count(facts, key, "个"),
                )
            )
    applying: list[list[Segment]] = []
    for prefix in ("incubation.rd_platforms_applying.", "incubation.recognitions_applying."):
        for key in facts.keys(prefix):
            if facts.positive(key) and key.count(".") >= 2:
                applying.append(
                    count(facts, key, "个") + [Segment(noun(facts.label(key), "正在申报的"))]
                )
    clauses: list[list[Segment]] = []
    if new:
        clauses.append([Segment(pick("rd.new", ("培育新增", "新认定")))] + join(new, "，"))
    if applying:
        clauses.append(join(applying, "、", "和") + [Segment("正在申报中")])
    if not clauses:
        return []
    since = pick("rd.since", ("今年以来，", "全年", "本年度"))
    return [
        Draft(
            f"{SECTION}.platforms",
            "platforms.platforms",
            [Segment(since)] + join(clauses) + [Segment("。")],
            openings=rotate("rd.lead", ("加快建设企业创新平台。", "引导企业建设研发创新平台。")),
        )
    ]


RULES = [incubators, platforms]
