"""The evidence locker's part of an upstream pack's cover sheet (证明材料): for each enterprise,
the documents that support the facts it reports in the pack for that year (type, number,
validity), and the reported facts that no document supports ("缺少").

One query for any number of enterprises (evidence.selectors.pack_evidence).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db.models import QuerySet

from .facts import FACTS

HEADERS = ["证明材料（类型 编号 有效期）", "缺少证明材料的指标"]
MISSING = "缺少"


def validity_text(document) -> str:
    if document.valid_from or document.valid_to:
        start = document.valid_from.isoformat() if document.valid_from else "…"
        end = document.valid_to.isoformat() if document.valid_to else "长期"
        return f"{start}至{end}"
    if document.year:
        return f"{document.year}年度"
    return "未注明有效期"


def document_text(document) -> str:
    return (
        f"{document.get_doc_type_display()} {document.number or document.title}"
        f"（{validity_text(document)}）"
    )


def attach(
    enterprise_packs: Sequence,
    spec_facts: set[str],
    year: int,
    facts: Mapping[int, Mapping],
    enterprises: QuerySet,
) -> None:
    """Set `.evidence` (documents) and `.evidence_missing` (fact labels) on each pack of the
    `enterprises` queryset (read as a subquery: no parameter per enterprise)."""
    from evidence.selectors import pack_evidence

    by_enterprise = pack_evidence(enterprises.values("pk"), year, spec_facts)
    for pack in enterprise_packs:
        known: Mapping[str, Decimal | None] = facts.get(pack.enterprise.pk, {})
        reported = sorted(f for f in spec_facts if known.get(f) is not None)
        documents = [
            d for d in by_enterprise.get(pack.enterprise.pk, []) if set(d.facts) & set(reported)
        ]
        supported = {f for d in documents for f in d.facts}
        pack.evidence = documents
        pack.evidence_missing = [FACTS[f].label for f in reported if f not in supported]


def cells(pack) -> list[str]:
    """The cover row's two evidence cells of one enterprise."""
    documents = getattr(pack, "evidence", [])
    missing = getattr(pack, "evidence_missing", [])
    return [
        "；".join(document_text(d) for d in documents) or MISSING,
        "；".join(missing) or "无",
    ]
