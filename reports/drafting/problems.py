"""三、工作存在的问题与建议: what fell short, each finding with the suggestion of the rule that
found it — targets missed (with the gap), figures that fell, low digital levels, applications
stalled in a stage, qualifications expired and not renewed, demands and needs still open.

Each rule returns one finding or none; the composer numbers them 一是、二是….
"""

from __future__ import annotations

from decimal import Decimal

from ..summary import Segment, figure_keys, format_number
from .base import Draft, Facts, amount, count, join, percent, pick

# Digital levels counted as low (digital.levels.<n>): 未达级 and 一级.
LOW_LEVELS = ("digital.levels.0", "digital.levels.1")
LOW_SHARE = Decimal(50)  # per cent of assessed enterprises

# The suggestion for a shortfall, by the figure's app (the part of the bureau's work).
SUGGESTIONS = {
    "enterprises": "建议提前摸排培育对象，建立梯次培育台账，对照申报条件逐户辅导，提高申报成功率",
    "incubation": "建议加强对孵化载体和研发平台的指导服务，提前谋划申报材料，推动载体能级提升",
    "digital": "建议加大数字化诊断和服务包推广力度，以示范项目带动更多企业参与数字化转型",
    "talent": "建议加强与高校院所的常态化对接，精准匹配企业技术需求和人才需求",
    "finance": "建议常态化开展政银企对接，推动金融机构创新产品，扩大融资覆盖面",
    "bureau": "建议制定全年活动计划，按季度推进政策宣讲和上门服务",
}


def _suggestion(key: str) -> str:
    return SUGGESTIONS.get(key.split(".", 1)[0], SUGGESTIONS["bureau"])


def _finding(slot: str, rule: str, title: str, body: list[Segment], suggestion: str) -> Draft:
    return Draft(
        f"problems.{slot}",
        f"problems.{rule}",
        [Segment(f"{title}。")] + body + [Segment(f"。{suggestion}。")],
    )


def targets_missed(facts: Facts) -> list[Draft]:
    """Targets of the year whose figure fell short: target, actual, gap, completion rate."""
    parts, apps = [], []
    for key in sorted(facts.targets):
        target = facts.targets[key]
        if not target.value or facts.value(key) is None:
            continue
        goal, actual = Decimal(target.value), Decimal(facts.value(key) or 0)
        if actual >= goal:
            continue
        unit = target.unit or facts.unit(key)
        words = [Segment(f"“{target.label}”年度目标")] + amount(facts, f"target:{key}", unit)
        if actual > 0:
            gap = goal - actual
            gap_text = (
                f"{format_number(gap, 'wan')}万元"
                if unit == "元"
                else f"{format_number(gap)}{unit}"
            )
            words += (
                [Segment("，实际完成")]
                + amount(facts, key, unit)
                + [Segment(f"，尚差{gap_text}，完成率{percent(actual, goal)}%")]
            )
        else:
            words.append(Segment("，目前尚在推进中，尚未形成完成数"))
        parts.append(words)
        apps.append(key)
    if not parts:
        return []
    suggestion = "；".join(dict.fromkeys(_suggestion(k) for k in apps))
    return [
        _finding(
            "targets_missed",
            "targets_missed",
            pick("problems.targets", ("部分年度目标尚未完成", "个别重点指标完成进度滞后")),
            join(parts, "；"),
            suggestion,
        )
    ]


def fell(facts: Facts) -> list[Draft]:
    """Key figures that fell from last year's value."""
    parts, apps = [], []
    for key in figure_keys():
        if key.startswith("target:"):
            continue
        now, before = facts.value(key), facts.before(key)
        if now is None or not before or now >= before:
            continue
        diff = Decimal(before) - Decimal(now)
        unit = facts.unit(key)
        size = (
            f"{format_number(diff, 'wan')}万元" if unit == "元" else f"{format_number(diff)}{unit}"
        )
        clause = [Segment(facts.label(key))]
        clause += amount(facts, key) if now else [Segment("今年暂未实现")]
        clause.append(Segment(f"，较上年减少{size}（下降{percent(diff, before)}%）"))
        parts.append(clause)
        apps.append(key)
    if not parts:
        return []
    suggestion = "；".join(dict.fromkeys(_suggestion(k) for k in apps))
    return [
        _finding(
            "fell",
            "fell",
            pick("problems.fell", ("部分指标较上年有所回落", "个别工作指标出现下滑")),
            join(parts, "；"),
            "建议逐项分析回落原因，" + suggestion,
        )
    ]


def low_digital(facts: Facts) -> list[Draft]:
    """Half or more of the assessed enterprises at a low digital level (未达级 or 一级)."""
    levels = facts.keys("digital.levels.")
    total = sum(facts.value(k) or 0 for k in levels)
    low = [k for k in LOW_LEVELS if facts.positive(k)]
    low_total = sum(facts.value(k) or 0 for k in low)
    if not total or not low or Decimal(low_total) * 100 / total < LOW_SHARE:
        return []
    body = [
        Segment("从数字化测评结果看，"),
        *join(
            [[Segment(f"处于{facts.label(k)}的企业")] + count(facts, k, "家") for k in low], "、"
        ),
        Segment(
            f"，合计占测评企业的{percent(low_total, total)}%，部分中小企业由于技术基础薄弱、资金有限、"
            "对数字化转型的认识不足等原因，积极性不高，影响了园区整体数字化转型的进程"
        ),
    ]
    return [
        _finding(
            "low_digital",
            "low_digital",
            "数字化转型普及速度较慢",
            body,
            "建议加大对数字化转型相关知识和成功案例的宣传推广，为中小企业提供更多的数字化转型补贴"
            "或优惠政策，降低企业数字化转型成本，加快园区整体数字化转型速度",
        )
    ]


def _by_kind(notes: tuple[str, ...], unit: str) -> str:
    parts = []
    for note in notes:
        name, _sep, n = note.rpartition("|")
        if name and n.isdigit() and int(n):
            parts.append(f"{name}{n}{unit}")
    return "、".join(parts)


def stalled(facts: Facts) -> list[Draft]:
    """Applications still submitted or under review more than half a year after their last
    status change."""
    key = "enterprises.applications_stalled"
    if not facts.positive(key):
        return []
    kinds = _by_kind(facts.notes(key), "项")
    body = (
        [Segment("截至年底，有")]
        + count(facts, key, "项")
        + [Segment(f"申请（{kinds}）" if kinds else "申请")]
        + [Segment("在已申报或审核中环节停留超过半年，尚无结果")]
    )
    return [
        _finding(
            "stalled",
            "stalled",
            "部分申报事项推进迟缓",
            body,
            "建议逐项跟踪审核进度，加强与主管部门的沟通，及时补充材料，推动申报事项尽快落地",
        )
    ]


def expired(facts: Facts) -> list[Draft]:
    """Qualifications that expired in the year without a renewal filed or approved."""
    key = "enterprises.expired_not_renewed"
    if not facts.positive(key):
        return []
    kinds = _by_kind(facts.notes(key), "项")
    body = (
        [Segment("今年有")]
        + count(facts, key, "项")
        + [Segment(f"企业资质（{kinds}）" if kinds else "企业资质")]
        + [Segment("到期后未见续期申报")]
    )
    return [
        _finding(
            "expired",
            "expired",
            "资质到期续期工作有待加强",
            body,
            "建议建立资质到期提醒机制，提前半年告知企业并指导其做好复审和重新认定工作",
        )
    ]


def open_demands(facts: Facts) -> list[Draft]:
    """Technology demands raised and not yet solved: the seed's 创新资源整合有待深化."""
    key = "talent.unsolved_demands"
    if not facts.positive(key):
        return []
    body = [Segment("虽然产学研合作逐步加强，但仍有")] + count(facts, key, "项")
    body.append(
        Segment("企业技术需求尚未解决，高校和科研机构的科研成果与企业实际需求之间的对接还不够精准")
    )
    if facts.positive(n := "finance.needs_open"):
        body += [Segment("；")] + count(facts, n, "项") + [Segment("企业融资需求尚待对接")]
    return [
        _finding(
            "open_demands",
            "open_demands",
            "创新资源整合有待深化",
            body,
            "建议建立更加精准的产学研合作对接平台，深入挖掘企业的技术需求和高校、科研机构的科研成果，"
            "实现供需双方的精准匹配，完善创新资源共享机制",
        )
    ]


def open_needs(facts: Facts) -> list[Draft]:
    """Financing needs open at the year's end (when no demand finding already names them)."""
    key = "finance.needs_open"
    if not facts.positive(key) or facts.positive("talent.unsolved_demands"):
        return []
    body = [Segment("截至年底，仍有")] + count(facts, key, "项") + [Segment("企业融资需求尚待对接")]
    return [
        _finding(
            "open_needs",
            "open_needs",
            "融资需求对接仍有缺口",
            body,
            "建议常态化开展银企对接，推动银行针对科技型中小企业推出更多适配产品",
        )
    ]


RULES = [targets_missed, fell, low_digital, stalled, expired, open_demands, open_needs]
