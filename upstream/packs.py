"""Upstream packs (上报数据包): a form spec filled from the stored facts of one enterprise or many.

`collect_facts` reads the facts of every enterprise in a fixed number of queries (one for the
annual figures, one for the fourth-quarter figures, whatever the number of enterprises), and
one more reads the quality gate's explanations of the year for the cover; the register's own
facts (注册资本, 成立日期 …) come from the enterprises the pack lists, at no extra query;
`build_pack` evaluates each row's formula per enterprise; `pack_workbook` writes the workbook
through bureau.spreadsheets (a cover sheet, then one sheet per form table in the spec's row
order and wording, real numbers in the row's unit).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import translation

from bureau import spreadsheets
from enterprises.models import AnnualFigures, Enterprise, QuarterlyFigures

from . import evidence, expressions
from .facts import FACTS, TEXT
from .specs import Row, Spec

ANNUAL_FIELDS = sorted(
    {f.source[7:] for f in FACTS.values() if (f.source or "").startswith("annual.")}
)
Q4_FIELDS = sorted({f.source[3:] for f in FACTS.values() if (f.source or "").startswith("q4.")})
FIGURE_FACTS = [f for f in FACTS.values() if (f.source or "").startswith(("annual.", "q4."))]
REGISTER_FACTS = [f for f in FACTS.values() if (f.source or "").startswith("enterprise.")]


def collect_facts(
    enterprises: QuerySet[Enterprise], year: int
) -> dict[int, dict[str, Decimal | None]]:
    """{enterprise id: {fact name: value in base units or None}} for the facts stored in the
    annual and fourth-quarter figures."""
    annual = {
        row["enterprise_id"]: row
        for row in AnnualFigures.objects.filter(enterprise__in=enterprises, year=year).values(
            "enterprise_id", *ANNUAL_FIELDS
        )
    }
    q4 = {
        row["enterprise_id"]: row
        for row in QuarterlyFigures.objects.filter(
            enterprise__in=enterprises, period__year=year, period__quarter=4
        ).values("enterprise_id", *Q4_FIELDS)
    }
    out: dict[int, dict[str, Decimal | None]] = {}
    for pk in set(annual) | set(q4):
        values: dict[str, Decimal | None] = {}
        for fact in FIGURE_FACTS:
            table, name = fact.source.split(".", 1)
            record = (annual if table == "annual" else q4).get(pk)
            value = record.get(name) if record else None
            values[fact.name] = None if value is None else Decimal(value)
        out[pk] = values
    return out


def register_facts(enterprise: Enterprise) -> dict[str, Decimal | str | datetime.date | None]:
    """{fact name: value} of the enterprise register's facts: money as Decimal in 元, text and
    dates as stored, None for an empty field (the register's current values)."""
    values: dict[str, Decimal | str | datetime.date | None] = {}
    for fact in REGISTER_FACTS:
        value = getattr(enterprise, fact.source.split(".", 1)[1])
        if value in (None, ""):
            value = None
        elif fact.dimension != TEXT:
            value = Decimal(value)
        values[fact.name] = value
    return values


@dataclass
class EnterprisePack:
    enterprise: Enterprise
    values: dict[str, Decimal | None]  # row key → value in the row's unit
    not_filled: list[Row] = field(default_factory=list)  # facts stored but empty here
    failed_rules: list[str] = field(default_factory=list)
    explanations: list = field(default_factory=list)  # upstream.Explanation of the year


@dataclass
class Pack:
    spec: Spec
    year: int
    not_stored: list[Row]  # rows the portal cannot fill for anyone yet
    enterprises: list[EnterprisePack]


def explanations_by_enterprise(enterprises: QuerySet[Enterprise], year: int) -> dict[int, list]:
    """The quality gate's explanations of the year (annual and each quarter), one query."""
    from .models import Explanation

    out: dict[int, list] = {}
    for e in Explanation.objects.filter(enterprise__in=enterprises, year=year).order_by(
        "enterprise_id", "quarter", "rule_code"
    ):
        out.setdefault(e.enterprise_id, []).append(e)
    return out


def explanation_text(e) -> str:
    """One explanation on the cover: filing, state, the message, the explanation. The rule's
    code is the portal's own (staff see it in the queue): a pack goes to the enterprise and
    upstream, where the message is what reads."""
    filing = "年度" if e.quarter is None else f"第{e.quarter}季度"
    with translation.override("zh-hans"):  # the workbook is in the forms' own language
        status = str(e.get_status_display())
    return f"[{filing} {status}] {e.message} 说明：{e.text or '—'}"


def not_stored(row: Row) -> bool:
    if row.kind == "text":
        return not row.facts or not FACTS[row.facts[0]].stored
    return row.tree is None or any(not FACTS[f].stored for f in row.facts)


def source_text(row: Row) -> str:
    """The 取数 cell: the formula (a text row: its fact), or 门户尚未存储."""
    if not_stored(row):
        return "门户尚未存储"
    return row.formula if row.kind == "number" else row.facts[0]


def build_pack(spec: Spec, year: int, enterprises: QuerySet[Enterprise]) -> Pack:
    enterprises = enterprises.order_by("name", "pk")
    facts = collect_facts(enterprises, year)
    explained = explanations_by_enterprise(enterprises, year)
    missing_everywhere = [r for r in spec.rows if not_stored(r)]
    packs = []
    for enterprise in enterprises:
        known = facts.setdefault(enterprise.pk, {})
        known.update(register_facts(enterprise))
        values = {r.key: r.value(known) for r in spec.rows}
        pack = EnterprisePack(enterprise=enterprise, values=values)
        pack.not_filled = [
            r for r in spec.rows if r.required and values[r.key] is None and not not_stored(r)
        ]
        pack.failed_rules = [
            text for text, tree in spec.balance_rules if expressions.holds(tree, values) is False
        ]
        pack.explanations = explained.get(enterprise.pk, [])
        packs.append(pack)
    # Evidence locker (证明材料): the documents behind each enterprise's reported facts.
    evidence.attach(packs, spec.facts, year, facts, enterprises)
    return Pack(spec=spec, year=year, not_stored=missing_everywhere, enterprises=packs)


def _row_label(row: Row) -> str:
    return f"{row.code or row.key} {row.label}"


def cover_sheet(pack: Pack) -> spreadsheets.Sheet:
    spec = pack.spec
    required_missing = [r for r in pack.not_stored if r.required]
    preamble = [
        ["表号", spec.form],
        ["表名", spec.title],
        ["平台", spec.platform],
        ["批准文号", spec.approval],
        ["制定与批准机关", spec.authority],
        ["有效期至", spec.valid_until],
        ["报告年度", pack.year],
        ["计量单位", spec.unit],
        ["表式来源", spec.source],
        ["可信度", spec.confidence],
        ["说明", spec.notes],
        ["表式编号", spec.code],
        [
            "门户尚未存储的必填指标（所有企业缺少）",
            "；".join(_row_label(r) for r in required_missing) or "无",
        ],
        [],
    ]
    return spreadsheets.Sheet(
        title="封面",
        preamble=preamble,
        headers=[
            "统一社会信用代码",
            "企业名称",
            "缺少的必填指标（企业未填报）",
            "缺少项数（含尚未存储）",
            "平衡关系不符",
            "数据核查说明",
            *evidence.HEADERS,
        ],
        rows=[
            [
                p.enterprise.credit_code,
                p.enterprise.name,
                "；".join(_row_label(r) for r in p.not_filled) or "无",
                len(p.not_filled) + len(required_missing),
                "；".join(p.failed_rules) or "无",
                "\n".join(explanation_text(e) for e in p.explanations) or "无",
                *evidence.cells(p),
            ]
            for p in pack.enterprises
        ],
        widths=(24, 36, 60, 16, 40, 80, 60, 40),
    )


def table_sheets(pack: Pack) -> list[spreadsheets.Sheet]:
    sheets = []
    for table in pack.spec.tables:
        sheets.append(
            spreadsheets.Sheet(
                title=table.title,
                preamble=[
                    [
                        pack.spec.title,
                        pack.spec.approval,
                        f"{pack.year}年",
                        f"计量单位：{pack.spec.unit}",
                    ],
                    [
                        "",
                        "统一社会信用代码",
                        "",
                        "",
                        *[p.enterprise.credit_code for p in pack.enterprises],
                    ],
                ],
                headers=[
                    "代码",
                    "指标名称",
                    "计量单位",
                    "取数",
                    *[p.enterprise.name for p in pack.enterprises],
                ],
                rows=[
                    [
                        row.code,
                        row.label,
                        row.unit,
                        source_text(row),
                        *[p.values[row.key] for p in pack.enterprises],
                    ]
                    for row in table.rows
                ],
                widths=(10, 40, 10, 36, *[24] * len(pack.enterprises)),
            )
        )
    return sheets


def pack_workbook(pack: Pack) -> bytes:
    return spreadsheets.write_xlsx([cover_sheet(pack), *table_sheets(pack)])


def export(spec: Spec, year: int, enterprises: QuerySet[Enterprise]) -> bytes:
    return pack_workbook(build_pack(spec, year, enterprises))


def filename(spec: Spec, year: int, enterprises: Sequence[Enterprise] | None = None) -> str:
    who = enterprises[0].credit_code if enterprises and len(enterprises) == 1 else "批量"
    return f"{spec.form}_{year}_{who}.xlsx"
