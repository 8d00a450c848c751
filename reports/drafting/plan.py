"""四、下年度工作安排: one item per next-year target and one per open pipeline.

* A target item (`plan.target`) for each bureau.Target of year + 1 with a value: it names the
  target, its value (the number the next year's dashboard tracks against it) and the standing
  it starts from (this year's figure, or this year's target when the figure has no value yet),
  with the distance between them.
* A pipeline item (`plan.pipeline`) for each kind of work still open at the year's end: the
  qualification applications by kind (`enterprises.applications_pending.<kind>`, by stage,
  with the stalled ones), expired titles to renew, incubators striving for a higher level, R&D
  platforms and recognitions under application by kind, the demonstration project's next
  milestones, planned exchanges, unsolved technology demands, the financing scheme's next
  stage, open financing needs: each with its count and next step.
* With no target for year + 1 at all, this year's targets carry over (`plan.carry`: the
  target, what was achieved, and to go on or close the gap), and each area of work opens with
  the seed's lead sentence (`plan.lead`); a year with nothing of the sort drafts the lead of
  each area that had work this year.

Items are grouped under the seed's area headings (持续做好梯次培育, 加速创新载体建设, …): each
item carries its area's heading, and the document prints a heading where it changes. Zero or
missing figures are left out of every clause.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..summary import FigureValue, Segment, format_amount, format_number
from .base import EXACT, Draft, Facts, amount, count, names, noun, percent, pick, rotate
from .digital import planned_steps, project_names


@dataclass(frozen=True)
class Area:
    """An area of the bureau's work: the heading its items of section 四 stand under."""

    code: str
    title: str
    lead: str
    # Figure keys (by prefix) that belong to it: its targets, and "had work this year".
    prefixes: tuple[str, ...]


AREAS = (
    Area(
        "tiers",
        "持续做好梯次培育",
        "持续做好政策宣传和解读，指导企业用好用活政策，梯度培育创新型中小企业、科技型中小企业、"
        "高新技术企业、专精特新中小企业，扩大战略新兴产业入库",
        ("enterprises.", "bureau.activities.policy_seminar", "bureau.activities.door_to_door"),
    ),
    Area(
        "carriers",
        "加速创新载体建设",
        "支持培育园区企业申报各级孵化载体和研发平台，加强“三首”产品、绿色工厂、智能工厂、"
        "数字化车间以及大数据企业等政策宣传，加快形成多元化的创新平台体系",
        ("incubation.",),
    ),
    Area(
        "digital",
        "发挥数字赋能作用",
        "主动对园区内企业进行数字化诊断，摸排企业数字化现状并给予技术指导，引导企业数字化、"
        "网络化、智能化、绿色化转型",
        ("digital.", "bureau.activities.meeting", "bureau.activities.diagnostic_visit"),
    ),
    Area(
        "talent",
        "深化人才与产学研合作",
        "健全人才服务体系，搭建产学研合作平台，推动高校院所科研成果与企业需求精准对接",
        (
            "talent.",
            "bureau.activities.training",
            "bureau.activities.exchange",
            "bureau.activities.site_visit",
        ),
    ),
    Area(
        "finance",
        "着力金融科技融合",
        "提升金融服务效能，定期开展政银企推进会，鼓励支持银行推出适配园区企业发展的科技金融"
        "产品，以金融支持引导中小企业向科技创新转型",
        (
            "finance.",
            "bureau.activities.gov_bank_meeting",
            "bureau.activities.bank_enterprise_matchmaking",
        ),
    ),
)
OTHER = Area("other", "统筹推进其他重点工作", "统筹推进其他各项重点工作，确保年度任务落实落地", ())
# Figures that say nothing about work done (a registry size, a target read back).
NOT_WORK = ("enterprises.registered", "enterprises.quarterly_reporting", "enterprises.tiers.")


def area_of(key: str) -> Area:
    """The area a figure key belongs to: the longest prefix that matches."""
    best, length = OTHER, 0
    for area in AREAS:
        for prefix in area.prefixes:
            if key.startswith(prefix) and len(prefix) > length:
                best, length = area, len(prefix)
    return best


@dataclass
class Item:
    """One item: its phrasings in the order they are tried (the first one chosen by a hash of
    the slot; a later one when the first would open like the previous item)."""

    area: Area
    slot: str
    rule: str
    options: Phrasings


Phrasings = tuple[list[Segment], ...]


def ordered(seed: str, options: Phrasings) -> Phrasings:
    """`options` starting from the one `pick` chooses for `seed`."""
    first = options.index(pick(seed, options))
    return options[first:] + options[:first]


# What a paragraph may begin with when its own first words would repeat the previous one's.
PREFIXES = ("下一步，", "同时，", "此外，", "在此基础上，")


# --- the numbers ------------------------------------------------------------------------------


def _unit(facts: Facts, key: str, target: FigureValue) -> str:
    return target.unit or facts.unit(key)


def _value(target: FigureValue, unit: str, key: str) -> Segment:
    """A target's value, tied to it ('25家', '2亿元')."""
    return Segment(format_amount(target.value, unit), f"target:{key}")


def _standing(facts: Facts, key: str, unit: str) -> list[Segment]:
    """This year's figure as drafted ('23家', '10次以上'), [] when zero or missing."""
    if not facts.positive(key):
        return []
    return amount(facts, key, "" if facts.unit(key) == "元" else unit)


def _size(diff: Decimal, unit: str) -> str:
    return format_amount(diff, "元") if unit == "元" else format_number(diff) + unit


# --- target items -----------------------------------------------------------------------------


def _target_item(facts: Facts, key: str, target: FigureValue) -> Phrasings:
    """'新培育高新技术企业目标25家，2024年为23家，需较上年增加2家。' in one of several ways."""
    y, label = facts.year, target.label or facts.label(key)
    unit = _unit(facts, key, target)
    value = _value(target, unit, key)
    now = _standing(facts, key, unit)
    if now:
        actual = Decimal(facts.value(key) or 0)
        exact = facts.rounding.get(key, EXACT) == EXACT
        diff = Decimal(target.value) - actual
        if diff > 0 and exact:
            gap = _size(diff, unit)
            options: Phrasings = (
                [
                    Segment(f"{label}目标"),
                    value,
                    Segment(f"，{y}年为"),
                    *now,
                    Segment(f"，需较上年增加{gap}。"),
                ],
                [
                    Segment(f"力争{label}达到"),
                    value,
                    Segment(f"，在{y}年"),
                    *now,
                    Segment(f"的基础上再增加{gap}。"),
                ],
                [
                    Segment(f"计划{label}"),
                    value,
                    Segment(f"，较{y}年的"),
                    *now,
                    Segment(f"增加{gap}，按季度跟踪推进。"),
                ],
            )
        elif diff == 0 and exact:
            options = (
                [Segment(f"{label}目标"), value, Segment(f"，保持{y}年的水平。")],
                [Segment(f"{label}保持在"), value, Segment(f"，与{y}年持平。")],
            )
        elif diff < 0 and exact:
            options = (
                [
                    Segment(f"{label}目标"),
                    value,
                    Segment(f"，{y}年已完成"),
                    *now,
                    Segment("，在此基础上巩固提升。"),
                ],
                [
                    Segment(f"巩固{label}成效，{y}年已达"),
                    *now,
                    Segment("，年度目标"),
                    value,
                    Segment("。"),
                ],
            )
        else:  # a rounded count: no exact distance to give away
            options = (
                [Segment(f"{label}目标"), value, Segment(f"，{y}年为"), *now, Segment("。")],
                [
                    Segment(f"在{y}年{label}"),
                    *now,
                    Segment("的基础上，力争达到"),
                    value,
                    Segment("。"),
                ],
            )
        return ordered(f"plan:{key}", options)
    this_year = facts.targets.get(key)
    if this_year is not None and this_year.value:
        last = Segment(format_amount(this_year.value, unit), f"target:{key}")
        options = (
            [
                Segment(f"{label}目标"),
                value,
                Segment(f"，接续{y}年"),
                last,
                Segment("的目标推进。"),
            ],
            [
                Segment(f"继续推进{label}，{y}年目标"),
                last,
                Segment(f"，{y + 1}年目标"),
                value,
                Segment("。"),
            ],
        )
        return ordered(f"plan:{key}", options)
    options = (
        [Segment(f"{label}目标"), value, Segment("，按季度跟踪完成进度。")],
        [Segment(f"力争{label}达到"), value, Segment("。")],
    )
    return ordered(f"plan:{key}", options)


def _carry_item(facts: Facts, key: str, target: FigureValue) -> Phrasings:
    """This year's target carried into next year's plan (when next year has none yet)."""
    y, label = facts.year, target.label or facts.label(key)
    unit = _unit(facts, key, target)
    last = Segment(format_amount(target.value, unit), f"target:{key}")
    now = _standing(facts, key, unit)
    if not now:
        options: Phrasings = (
            [
                Segment(f"继续推进{label}，{y}年目标"),
                last,
                Segment("尚在推进中，下一年度接续落实。"),
            ],
            [Segment(f"{label}{y}年目标"), last, Segment("，尚在推进，下一年度继续抓好落实。")],
        )
        return ordered(f"plan:{key}", options)
    actual = Decimal(facts.value(key) or 0)
    rate = percent(actual, target.value) if target.value else ""
    if actual < Decimal(target.value):
        gap = _size(Decimal(target.value) - actual, unit)
        options = (
            [
                Segment(f"补齐{label}差距，{y}年目标"),
                last,
                Segment("，完成"),
                *now,
                Segment(f"，尚差{gap}，下一年度加快推进。"),
            ],
            [
                Segment(f"{label}{y}年完成"),
                *now,
                Segment("，为目标"),
                last,
                Segment(f"的{rate}%，尚差{gap}，下一年度继续推进、补齐差距。"),
            ],
        )
    else:
        options = (
            [
                Segment(f"巩固{label}成效，{y}年目标"),
                last,
                Segment("，完成"),
                *now,
                Segment("，下一年度在此基础上继续提升。"),
            ],
            [
                Segment(f"{label}{y}年完成"),
                *now,
                Segment(f"，完成率{rate}%，下一年度保持势头、稳中有进。"),
            ],
        )
    return ordered(f"plan:{key}", options)


# --- pipeline items ---------------------------------------------------------------------------

STAGES = {"preparing": "申报准备", "submitted": "已申报", "under_review": "审核中"}
STATE_BEFORE = {
    "申报准备": "处于申报准备阶段的",
    "已申报": "已提交申报的",
    "审核中": "正在审核中的",
}
STATE_AFTER = {"申报准备": "处于申报准备阶段", "已申报": "已提交申报", "审核中": "正在审核中"}
PENDING_PREFIX = "enterprises.applications_pending."


def _notes_counts(notes: tuple[str, ...]) -> list[tuple[str, int]]:
    result = []
    for note in notes:
        name, _sep, n = note.rpartition("|")
        if name and n.isdigit() and int(n):
            result.append((name, int(n)))
    return result


def _pending_items(facts: Facts) -> list[tuple[str, Phrasings]]:
    stalled = dict(_notes_counts(facts.notes("enterprises.applications_stalled")))
    items = []
    for key in facts.keys(PENDING_PREFIX):
        if not facts.positive(key):
            continue
        kind = noun(facts.label(key), "正在申报的")
        stages = [(STAGES.get(s, s), n) for s, n in _notes_counts(facts.notes(key))]
        detail = "（" + "、".join(f"{s}{n}家" for s, n in stages) + "）" if len(stages) > 1 else ""
        only = stages[0][0] if len(stages) == 1 else ""
        waiting = {s for s, _n in stages} - {"申报准备"}
        step = (
            "加强与主管部门沟通，及时补充材料，争取尽快通过认定"
            if waiting
            else "指导企业完善申报材料，确保按期提交"
        )
        late = stalled.get(kind, 0)
        if late and late >= (facts.value(key) or 0):
            late_words = "，已停留超过半年，逐户跟踪督办"
        else:
            late_words = f"，其中{late}家停留超过半年，逐户跟踪督办" if late else ""
        n = count(facts, key, "家")
        before = STATE_BEFORE.get(only, "正在申报的")  # '跟进17家正在审核中的…'
        after = STATE_AFTER.get(only, "正在申报")  # '…17家企业正在审核中'
        options = (
            [Segment("跟进"), *n, Segment(f"{before}{kind}{detail}，{step}{late_words}。")],
            [Segment(f"{kind}方面，"), *n, Segment(f"企业{after}{detail}，{step}{late_words}。")],
            [
                Segment(f"做好{kind}申报跟踪，"),
                *n,
                Segment(f"企业{after}{detail}，{step}{late_words}。"),
            ],
        )
        items.append((key, ordered(f"plan:{key}", options)))
    return items


def _tier_pipelines(facts: Facts) -> list[tuple[str, Phrasings]]:
    items = _pending_items(facts)
    if not items and facts.positive(k := "enterprises.specialised_under_review"):
        # A snapshot without the by-kind figures: the provincial 专精特新 under review.
        n = count(facts, k, "家")
        options: Phrasings = (
            [Segment("跟进"), *n, Segment("省级专精特新企业的审核进度，争取尽快通过认定。")],
            [
                Segment("专精特新企业方面，"),
                *n,
                Segment("省级专精特新企业正在审核中，跟进审核进度。"),
            ],
        )
        items.append((k, ordered(f"plan:{k}", options)))
    if facts.positive(k := "enterprises.expired_not_renewed"):
        kinds = "、".join(f"{name}{n}项" for name, n in _notes_counts(facts.notes(k)))
        detail = f"（{kinds}）" if kinds else ""
        options = (
            [
                Segment("指导"),
                *count(facts, k, "项"),
                Segment(f"到期资质{detail}做好复审和重新认定，建立到期提醒机制。"),
            ],
            [
                Segment("抓好资质续期，"),
                *count(facts, k, "项"),
                Segment(f"企业资质{detail}到期后尚未续期，逐户提醒并指导其做好复审。"),
            ],
        )
        items.append((k, ordered(f"plan:{k}", options)))
    return items


def _levels(facts: Facts, keys: list[str], unit: str, strip: str) -> list[Segment]:
    """'3个市级数字化车间和1个省级数字化车间' over the positive keys."""
    parts: list[list[Segment]] = []
    for key in keys:
        if facts.positive(key):
            parts.append([*count(facts, key, unit), Segment(noun(facts.label(key), strip))])
    result: list[Segment] = []
    for i, part in enumerate(parts):
        if i:
            result.append(Segment("和" if i == len(parts) - 1 else "、"))
        result += part
    return result


def _carrier_pipelines(facts: Facts) -> list[tuple[str, Phrasings]]:
    items = []
    striving = []
    for note in facts.notes("incubation.incubators_applying"):
        # "name|level striven for|operator|kind" (incubation.incubators_applying's notes)
        name, level, _operator, kind = (note.split("|") + ["", "", ""])[:4]
        if name:
            striving.append(
                f"{name}争创{level}{kind or '孵化载体'}" if level else f"{name}提升能级"
            )
    if striving and facts.positive(k := "incubation.incubators_applying"):
        options = (
            [Segment(f"支持{'，'.join(striving)}，指导完善申报材料，争取通过认定。")],
            [Segment(f"推动孵化载体提档升级，支持{'，'.join(striving)}。")],
        )
        items.append((k, ordered(f"plan:{k}", options)))
    platforms = [k for k in facts.keys("incubation.rd_platforms_applying.") if facts.positive(k)]
    if platforms:
        listed = _levels(facts, platforms, "个", "正在申报的")
        options = (
            [Segment("推动"), *listed, Segment("完成申报认定，做好材料审核和现场评审准备。")],
            [Segment("研发平台方面，"), *listed, Segment("正在申报，跟进评审进度，争取早日获批。")],
        )
        items.append(("incubation.rd_platforms_applying", ordered("plan:rd_platforms", options)))
    by_kind: dict[str, list[str]] = {}
    for key in facts.keys("incubation.recognitions_applying."):
        if facts.positive(key):
            by_kind.setdefault(key.split(".")[2], []).append(key)
    for kind, keys in by_kind.items():
        listed = _levels(facts, keys, "个", "正在申报的")
        options = (
            [Segment("推动"), *listed, Segment("完成认定，跟进评审进度。")],
            [Segment("指导正在申报的"), *listed, Segment("完善材料，争取通过认定。")],
            [Segment("做好平台认定跟踪，"), *listed, Segment("正在申报中，力争年内获批。")],
        )
        items.append((f"incubation.recognitions_applying.{kind}", ordered(f"plan:{kind}", options)))
    if not by_kind and facts.positive(k := "incubation.recognitions_applying"):
        n = count(facts, k, "个")
        options = (
            [Segment("推动"), *n, Segment("正在申报的平台认定获批。")],
            [Segment("做好平台认定跟踪，"), *n, Segment("平台认定正在申报中，力争年内获批。")],
        )
        items.append((k, ordered(f"plan:{k}", options)))
    return items


def _digital_pipelines(facts: Facts) -> list[tuple[str, Phrasings]]:
    planned = facts.notes("digital.demo_park_milestones_planned")
    under_way = facts.notes("digital.demo_park_milestones_open")
    if not (planned and facts.positive("digital.demo_park_milestones_planned")) and not (
        under_way and facts.positive("digital.demo_park_milestones_open")
    ):
        return []
    name = project_names(facts.notes("digital.demo_park_budget"))
    parts = []
    if under_way and facts.positive("digital.demo_park_milestones_open"):
        parts.append(f"抓紧完成{'、'.join(under_way)}")
    steps = planned_steps(planned) if facts.positive("digital.demo_park_milestones_planned") else ""
    if steps:
        parts.append(steps)
    options = (
        [Segment(f"推动{name}落地，{'，'.join(parts)}。")],
        [Segment(f"加快{name}建设进度，{'，'.join(parts)}，发挥示范带动作用。")],
    )
    return [("digital.demo_park", ordered("plan:demo_park", options))]


def _talent_pipelines(facts: Facts) -> list[tuple[str, Phrasings]]:
    items = []
    invited = facts.notes("talent.planned_exchanges")
    if facts.positive(k := "talent.planned_exchanges") and invited:
        options = (
            [
                Segment(f"办好与{names(invited)}的交流座谈（拟开展"),
                *count(facts, k, "次"),
                Segment("），推动合作项目落地。"),
            ],
            [
                Segment(f"邀请{names(invited)}来区交流座谈，拟开展"),
                *count(facts, k, "次"),
                Segment("，加强双边合作交流。"),
            ],
        )
        items.append((k, ordered(f"plan:{k}", options)))
    if facts.positive(k := "talent.unsolved_demands"):
        options = (
            [
                Segment("推动"),
                *count(facts, k, "项"),
                Segment("尚未解决的企业技术需求与高校院所对接解决。"),
            ],
            [
                Segment("聚焦企业技术需求，对"),
                *count(facts, k, "项"),
                Segment("尚未解决的需求逐项对接高校院所。"),
            ],
        )
        items.append((k, ordered(f"plan:{k}", options)))
    return items


def _finance_pipelines(facts: Facts) -> list[tuple[str, Phrasings]]:
    items = []
    notes = facts.notes("finance.scheme_stage")
    if facts.positive(k := "finance.scheme_stage") and len(notes) >= 2 and notes[0]:
        product, stage = notes[0], notes[1]
        following = notes[2] if len(notes) >= 3 else ""
        step = f"完成{following}并签约落地" if following else "尽快落地"
        options = (
            [
                Segment(
                    f"推动“{product}”金融产品{step}（目前处于{stage}阶段），通过放大授信额度，"
                    "满足科技企业融资需求缺口。"
                )
            ],
            [Segment(f"“{product}”目前处于{stage}阶段，下一步{step}，支持科技型中小企业融资。")],
        )
        items.append((k, ordered(f"plan:{k}", options)))
    if facts.positive(k := "finance.needs_open"):
        options = (
            [
                Segment("对接"),
                *count(facts, k, "项"),
                Segment("待满足的企业融资需求，推动银行精准匹配金融产品。"),
            ],
            [
                Segment("跟进企业融资需求，"),
                *count(facts, k, "项"),
                Segment("需求尚待对接，逐项推送合作银行。"),
            ],
        )
        items.append((k, ordered(f"plan:{k}", options)))
    return items


PIPELINES: dict[str, Callable[[Facts], list[tuple[str, Phrasings]]]] = {
    "tiers": _tier_pipelines,
    "carriers": _carrier_pipelines,
    "digital": _digital_pipelines,
    "talent": _talent_pipelines,
    "finance": _finance_pipelines,
}


# --- the section ------------------------------------------------------------------------------


def _had_work(facts: Facts, area: Area) -> bool:
    return any(
        facts.positive(k)
        for k in facts.current
        if not k.startswith(("target:", *NOT_WORK)) and area_of(k) is area
    )


def plan(facts: Facts) -> list[Draft]:
    """Section 四's items, area by area: next year's targets, then the open pipelines."""
    items: list[Item] = []
    with_next = {k: t for k, t in facts.next_targets.items() if t.value}
    carry = {} if with_next else {k: t for k, t in facts.targets.items() if t.value}
    for area in (*AREAS, OTHER):
        for key in sorted(with_next):
            if area_of(key) is area:
                options = _target_item(facts, key, with_next[key])
                items.append(Item(area, f"plan.target.{key}", "plan.target", options))
        for key in sorted(carry):
            if area_of(key) is area:
                options = _carry_item(facts, key, carry[key])
                items.append(Item(area, f"plan.carry.{key}", "plan.carry", options))
        if area.code in PIPELINES:
            for ident, options in PIPELINES[area.code](facts):
                items.append(Item(area, f"plan.pipeline.{ident}", "plan.pipeline", options))
    drafts: list[Draft] = []
    areas_with_items = [a for a in (*AREAS, OTHER) if any(i.area is a for i in items)]
    if not with_next:
        # No plan for next year in numbers yet: each area opens in the seed's manner; with no
        # item at all, the areas that had work this year.
        leads = areas_with_items or [a for a in AREAS if _had_work(facts, a)]
        for area in (*AREAS, OTHER):
            if area not in leads:
                continue
            lead = [Segment(area.lead + "。")]
            drafts.append(Draft(f"plan.lead.{area.code}", "plan.lead", lead, heading=area.title))
            drafts += _drafts(facts, [i for i in items if i.area is area], _start(lead))
        if not drafts:
            drafts.append(
                Draft(
                    "plan.lead.general",
                    "plan.lead",
                    [
                        Segment(
                            f"{facts.year + 1}年，科技金融局将围绕科技创新和科技金融两大核心"
                            "领域，做好企业梯次培育、创新载体建设、数字化转型和金融服务各项"
                            "工作。"
                        )
                    ],
                )
            )
        return drafts
    return _drafts(facts, items)


def _drafts(facts: Facts, items: list[Item], previous: str = "") -> list[Draft]:
    """Each item in the first of its phrasings whose first words differ from the previous
    item's (the composer then adds an opening where a repetition remains)."""
    prefixes = (f"{facts.year + 1}年，", *PREFIXES)
    drafts = []
    for item in items:
        body = next((o for o in item.options if _start(o) != previous), item.options[0])
        previous = _start(body)
        drafts.append(
            Draft(
                item.slot,
                item.rule,
                body,
                openings=("", *rotate(item.slot, prefixes)),
                heading=item.area.title,
            )
        )
    return drafts


def _start(body: list[Segment]) -> str:
    """A phrasing's first word (two characters: '推动', '跟进', '力争')."""
    return "".join(s.text for s in body)[:2]


RULES = [plan]
