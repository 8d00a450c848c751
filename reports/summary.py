"""The annual work summary's structure, its key figures, and how numbers are written.

The sentences themselves are drafted by the rules in `reports.drafting` (one module per
section). `SENTENCES` here is the table of the key figures each section of the seed reports:
the dashboard's tiles, the exports' key-figures table and per-section sheets read it, and
docs/reports.md repeats it so that the keys stay aligned with the apps that publish them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Where a figure key is written "{key}" in a clause, optionally "{key|wan}" (元 → 万元) or
# "{key|yi}" (元 → 亿元); "{target:key}" reads the year's Target for that figure key.
PLACEHOLDER = re.compile(r"\{(?P<target>target:)?(?P<key>[a-z0-9_.]+)(?:\|(?P<fmt>wan|yi))?\}")

MISSING = "暂无数据"


@dataclass(frozen=True)
class SectionSpec:
    """A heading of the summary; level 1 is 一、, level 2 is （一）, level 0 has no heading."""

    code: str
    level: int
    title: str
    parent: str = ""


# The seed's structure (seed/000_46aec37c72082878.txt). Titles are the default headings; staff
# may rename them. Numbering (一、 / （一）) is added when rendering. Section 四 ("plan") holds
# the plan items (PlanItem) rather than fixed subsections.
STRUCTURE: list[SectionSpec] = [
    SectionSpec("intro", 0, ""),
    SectionSpec("work", 1, "工作开展情况"),
    SectionSpec("work.platforms", 2, "积极推进创新驱动战略，打造研发平台", "work"),
    SectionSpec("work.digital", 2, "充分利用数字化赋能，推动高质量发展", "work"),
    SectionSpec("work.talent", 2, "强化创新人才支撑，深化产学研合作", "work"),
    SectionSpec("work.tiers", 2, "加快企业梯次培育，不断提升服务效能", "work"),
    SectionSpec("work.finance", 2, "坚持双轮驱动发展，科技金融深度结合", "work"),
    SectionSpec("highlights", 1, "工作的特色与亮点"),
    SectionSpec("highlights.services", 2, "为科技企业提供精准服务", "highlights"),
    SectionSpec("highlights.cooperation", 2, "构建多方合作机制", "highlights"),
    SectionSpec("highlights.digital_demo", 2, "打造数字化转型示范", "highlights"),
    SectionSpec("problems", 1, "工作存在的问题与建议"),
    SectionSpec("plan", 1, "{next_year}年度工作安排"),
]
STRUCTURE_BY_CODE = {spec.code: spec for spec in STRUCTURE}


@dataclass(frozen=True)
class Clause:
    """Part of a drafted sentence; `missing` names it when one of its figures is missing."""

    text: str
    missing: str

    @property
    def keys(self) -> list[str]:
        return [
            ("target:" if m["target"] else "") + m["key"] for m in PLACEHOLDER.finditer(self.text)
        ]


@dataclass(frozen=True)
class Sentence:
    """A drafted sentence: an opening, then clauses joined by '，', ended by '。'."""

    section: str
    opening: str
    clauses: tuple[Clause, ...]

    @property
    def keys(self) -> list[str]:
        return [key for clause in self.clauses for key in clause.keys]


# The key figures of each section, in the seed's wording (the figures the seed's sentences
# report); the drafting rules write the sentences.
SENTENCES: list[Sentence] = [
    Sentence(
        "work.platforms",
        "今年以来，",
        (
            Clause(
                "培育新增省级研发中心{incubation.rd_platforms_new.provincial}个", "新增省级研发中心"
            ),
            Clause(
                "省级大数据企业{incubation.recognitions_new.big_data_enterprise.provincial}个",
                "省级大数据企业",
            ),
            Clause(
                "省级数字化车间{incubation.recognitions_new.digital_workshop.provincial}个",
                "省级数字化车间",
            ),
            Clause(
                "{incubation.recognitions_applying.digital_workshop.municipal}个市级数字化车间和"
                "{incubation.recognitions_applying.smart_factory.municipal}个市级智能工厂正在申报中",
                "正在申报的市级数字化车间和智能工厂",
            ),
        ),
    ),
    Sentence(
        "work.digital",
        "",
        (
            Clause(
                "成功申报金额{digital.demo_park_budget|wan}万元的数字化转型示范园区项目",
                "数字化转型示范园区项目金额",
            ),
        ),
    ),
    Sentence(
        "work.digital",
        "今年以来，",
        (
            Clause(
                "有{digital.provincial_demo_approved}家企业成功申报省级中小企业数字化转型典型示范项目",
                "省级数字化转型典型示范项目",
            ),
            Clause("召开数字化转型相关会议{digital.meetings}次", "数字化转型相关会议"),
            Clause(
                "对园区{digital.assessed_enterprises}家企业进行了数字化测评", "数字化测评企业数"
            ),
            Clause(
                "为{digital.service_package_enterprises}家企业推广免费数字化软件服务包",
                "推广数字化软件服务包企业数",
            ),
            Clause(
                "深入{digital.visited_enterprises}家企业调研数字化现状并给予技术指导",
                "调研诊断企业数",
            ),
        ),
    ),
    Sentence(
        "work.talent",
        "精准摸排园区内",
        (
            Clause("企业高管{talent.executives}人", "企业高管"),
            Clause("副高级职称以上人才{talent.deputy_senior_and_above}人", "副高级职称以上人才"),
            Clause("硕士学历以上人才{talent.master_and_above}人", "硕士学历以上人才"),
        ),
    ),
    Sentence(
        "work.talent",
        "截至目前，",
        (
            Clause(
                "摸排有产学研合作的企业{talent.enterprises_cooperating}家", "有产学研合作的企业"
            ),
            Clause("有技术需求的企业{talent.enterprises_with_demands}家", "有技术需求的企业"),
        ),
    ),
    Sentence(
        "work.tiers",
        "今年以来，科技金融局",
        (
            Clause("组织开展政策宣讲会{bureau.activities.policy_seminar}次", "政策宣讲会"),
            Clause("上门宣讲政策{bureau.activities.door_to_door}次", "上门宣讲"),
        ),
    ),
    Sentence(
        "work.tiers",
        "今年以来，",
        (
            Clause("新培育高企{enterprises.hitech_new}家", "新培育高新技术企业"),
            Clause("科小入库{enterprises.tech_sme_registered}家", "科技型中小企业入库"),
            Clause("新调整战略新兴产业入库{enterprises.strategic_new}家", "战略新兴产业入库"),
            Clause(
                "新培育省级专精特新“小巨人”{enterprises.little_giant_new_provincial}家",
                "省级专精特新“小巨人”",
            ),
            Clause(
                "目前{enterprises.specialised_under_review}家省级专精特新企业正在审核中",
                "审核中的省级专精特新企业",
            ),
            Clause(
                "创小申报工作正在进行，预计申报{target:enterprises.innovative_sme_applications}家",
                "创新型中小企业预计申报数（年度目标）",
            ),
        ),
    ),
    Sentence(
        "work.finance",
        "",
        (
            Clause(
                "定期开展银企对接会，{finance.events.matchmaking_institutions}家金融机构参加",
                "参加银企对接会的金融机构",
            ),
            Clause(
                "今年累计现场签约{finance.signed_on_site|yi}亿元",
                "现场签约金额",
            ),
        ),
    ),
    Sentence(
        "highlights.digital_demo",
        "打造数字化转型示范模式，即",
        (
            Clause(
                "{digital.demo_enterprises.outstanding}个数字化应用表现突出的企业",
                "数字化应用表现突出的企业",
            ),
            Clause(
                "{digital.demo_enterprises.case}个数字化应用示范案例企业", "数字化应用示范案例企业"
            ),
            Clause(
                "{digital.demo_enterprises.transformation}个数字化转型示范企业",
                "数字化转型示范企业",
            ),
        ),
    ),
]


# Names of figures that share a clause with another figure (a clause has one missing-name).
KEY_LABELS = {
    "incubation.recognitions_applying.digital_workshop.municipal": "正在申报的市级数字化车间",
    "incubation.recognitions_applying.smart_factory.municipal": "正在申报的市级智能工厂",
}


def key_label(key: str) -> str:
    """The Chinese name of a figure key the summary needs, for showing it while unpublished."""
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    for sentence in SENTENCES:
        for clause in sentence.clauses:
            if key in clause.keys:
                return clause.missing
    return key


def figure_keys() -> list[str]:
    """Every figure key the summary needs, in document order (targets as 'target:<key>')."""
    seen: dict[str, None] = {}
    for sentence in SENTENCES:
        for key in sentence.keys:
            seen.setdefault(key, None)
    return list(seen)


@dataclass(frozen=True)
class FigureValue:
    """A figure's value as the summary uses it (None when no app publishes it yet)."""

    key: str
    label: str
    unit: str
    value: int | Decimal | None
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict:
        data = {
            "label": self.label,
            "unit": self.unit,
            "value": None if self.value is None else str(self.value),
        }
        if self.notes:
            data["notes"] = list(self.notes)
        return data

    @classmethod
    def from_json(cls, key: str, data: dict) -> FigureValue:
        raw = data.get("value")
        value: int | Decimal | None
        if raw is None:
            value = None
        elif re.fullmatch(r"-?\d+", raw):
            value = int(raw)
        else:
            value = Decimal(raw)
        return cls(
            key, data.get("label", ""), data.get("unit", ""), value, tuple(data.get("notes", ()))
        )


@dataclass(frozen=True)
class Segment:
    """A piece of drafted text; `key` is set when it is a figure (linked in the preview)."""

    text: str
    key: str = ""
    missing: bool = False


def format_number(value: int | Decimal, fmt: str | None = None) -> str:
    """12 → '12'; with fmt 'wan' 18000000 元 → '1800'; 'yi' 200000000 元 → '2'; at most 2 places."""
    number = Decimal(value)
    if fmt == "wan":
        number = number / 10_000
    elif fmt == "yi":
        number = number / 100_000_000
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_amount(value: int | Decimal, unit: str) -> str:
    """A value with its unit; 元 shown as 亿元 from 1亿 up, else as 万元 (as the summary does)."""
    if unit == "元":
        if abs(Decimal(value)) >= 100_000_000:
            return f"{format_number(value, 'yi')}亿元"
        return f"{format_number(value, 'wan')}万元"
    return f"{format_number(value)}{unit}"


def as_text(segments: list[Segment]) -> str:
    return "".join(seg.text for seg in segments)


CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十 (enough for headings)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (
        (CHINESE_NUMERALS[tens - 1] if tens > 1 else "")
        + "十"
        + (CHINESE_NUMERALS[ones - 1] if ones else "")
    )


def numbered_heading(level: int, index: int, title: str) -> str:
    """Level 1: '一、标题'; level 2: '（一）标题' (GB/T 9704 numbering of a document's parts)."""
    if level == 1:
        return f"{chinese_number(index)}、{title}"
    if level == 2:
        return f"（{chinese_number(index)}）{title}"
    return title
