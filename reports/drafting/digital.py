"""一（二）充分利用数字化赋能，推动高质量发展: the demonstration project, assessments, visits."""

from __future__ import annotations

import datetime

from ..summary import Segment
from .base import Draft, Facts, count, join, money, names, pick, rotate, with_change

SECTION = "work.digital"


def _dated(note: str) -> tuple[str, datetime.date | None]:
    name, _sep, day = note.partition("|")
    try:
        return name, datetime.date.fromisoformat(day) if day else None
    except ValueError:
        return name, None


def planned_steps(notes: tuple[str, ...]) -> str:
    """'预计2025年1月份完成自评，3月份完成验收' from 'name|date' notes (year said once)."""
    parts, last_year = [], None
    for note in notes:
        name, day = _dated(note)
        if day is None:
            parts.append(f"下步开展{name}")
            continue
        when = f"{day.month}月份" if day.year == last_year else f"{day.year}年{day.month}月份"
        last_year = day.year
        parts.append(f"{when}完成{name}")
    if not parts:
        return ""
    first = parts[0]
    return ("预计" + first if not first.startswith("下步") else first) + "".join(
        f"，{p}" for p in parts[1:]
    )


def project_names(projects: tuple[str, ...]) -> str:
    """'A项目和B项目' (a name that ends in 项目 is not given it twice)."""
    if not projects:
        return "数字化转型示范园区项目"
    return names([p if p.endswith("项目") else f"{p}项目" for p in projects])


def project(facts: Facts) -> list[Draft]:
    """The demonstration-park project: budget, milestones done, under way and planned."""
    key = "digital.demo_park_budget"
    if not facts.positive(key):
        return []
    projects = facts.notes(key)
    name = project_names(projects)
    body: list[Segment] = [
        Segment("成功申报金额"),
        *money(facts, key),
        Segment(f"的{name}"),
    ]
    done = facts.notes("digital.demo_park_milestones_done")
    under_way = facts.notes("digital.demo_park_milestones_open")
    planned = facts.notes("digital.demo_park_milestones_planned")
    if done and facts.positive("digital.demo_park_milestones_done"):
        body += [
            Segment("，项目目前已经完成了"),
            Segment("、".join(done)),
            Segment("等"),
            Segment(str(len(done)), "digital.demo_park_milestones_done"),
            Segment("项前期工作"),
        ]
    if under_way:
        body.append(Segment("，正在进行" + "并同步开展".join(under_way) + "工作"))
    steps = planned_steps(planned)
    if steps:
        body.append(Segment("，" + steps))
    body.append(Segment("。"))
    return [
        Draft(
            f"{SECTION}.project",
            "digital.project",
            body,
            openings=rotate(
                "digital.project", ("推动数字化转型项目落地。", "扎实推进数字化转型示范项目。")
            ),
        )
    ]


def work(facts: Facts) -> list[Draft]:
    """Provincial demonstrations, meetings, assessments, service packages, visits."""
    clauses: list[list[Segment]] = []
    if facts.positive(k := "digital.provincial_demo_approved"):
        clauses.append(
            [Segment("有")]
            + count(facts, k, "家")
            + [Segment(f"企业成功申报{facts.year}年度省级中小企业数字化转型典型示范项目")]
        )
    if facts.positive(k := "digital.meetings"):
        clauses.append(
            with_change(facts, k, "次", [Segment("召开数字化转型相关会议")] + count(facts, k, "次"))
        )
    if facts.positive(k := "digital.assessed_enterprises"):
        clauses.append(
            with_change(
                facts,
                k,
                "家",
                [Segment("对园区")] + count(facts, k, "家") + [Segment("企业进行了数字化测评")],
            )
        )
    if facts.positive(k := "digital.service_package_enterprises"):
        clauses.append(
            [Segment("为")] + count(facts, k, "家") + [Segment("企业推广免费数字化软件服务包")]
        )
    if facts.positive(k := "digital.visited_enterprises"):
        clauses.append(
            [Segment("深入")]
            + count(facts, k, "家")
            + [Segment("企业调研数字化现状并给予技术指导")]
        )
    if not clauses:
        return []
    since = pick("digital.since", ("今年以来，", "全年", "本年度"))
    return [
        Draft(
            f"{SECTION}.work",
            "digital.work",
            [Segment(since)] + join(clauses) + [Segment("。")],
            openings=rotate(
                "digital.work", ("引导企业数字化转型升级。", "深化企业数字化诊断服务。")
            ),
        )
    ]


RULES = [project, work]
