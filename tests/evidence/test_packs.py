"""Reuse: an upstream pack's cover lists, for each enterprise, the documents that support the
facts it reports in that year (type, number, validity), or 缺少 where none does."""

import datetime
from decimal import Decimal

import pytest

from enterprises.models import Enterprise
from evidence.models import DocumentType
from tests.factories import PeriodFactory
from tests.upstream.conftest import YEAR, demo_figures, read_book
from upstream import packs, specs

from .conftest import make_document

pytestmark = pytest.mark.django_db


def _cover_rows(book) -> tuple[list, dict[str, tuple]]:
    rows = list(book["封面"].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r and r[0] == "统一社会信用代码")
    return list(rows[at]), {r[0]: r for r in rows[at + 1 :]}


def test_cover_lists_supporting_documents_or_missing(enterprise, other_enterprise):
    q4 = PeriodFactory(year=YEAR, quarter=4)
    demo_figures(enterprise, q4)
    demo_figures(other_enterprise, q4, rd_expense=Decimal("900000"))
    make_document(
        enterprise,
        doc_type=DocumentType.RD_AUDIT_REPORT,
        title="研发专项审计",
        number="皖信审字〔2025〕017号",
        year=YEAR,
        valid_from=None,
        valid_to=None,
        facts=["rd_expense"],
    )
    make_document(  # valid through 2024, backs the revenue and assets
        enterprise,
        doc_type=DocumentType.AUDIT_REPORT,
        number="皖审〔2025〕5号",
        year=None,
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2024, 12, 31),
        facts=["revenue", "total_assets"],
    )
    make_document(  # another year's report is not this pack's evidence
        enterprise,
        doc_type=DocumentType.RD_AUDIT_REPORT,
        number="2023号",
        year=YEAR - 1,
        valid_from=None,
        valid_to=None,
        facts=["rd_expense"],
    )
    make_document(enterprise, number="GR-unrelated", facts=["ip_plant_varieties"])
    spec = specs.get("torch-gq002-2022")
    qs = Enterprise.objects.filter(pk__in=[enterprise.pk, other_enterprise.pk])
    headers, rows = _cover_rows(read_book(packs.export(spec, YEAR, qs)))
    i = headers.index("证明材料（类型 编号 有效期）")
    assert headers[i + 1] == "缺少证明材料的指标"
    mine, theirs = rows[enterprise.credit_code], rows[other_enterprise.credit_code]
    assert mine[i] == (
        "审计报告 皖审〔2025〕5号（2024-01-01至2024-12-31）；"
        "研发费用专项审计报告 皖信审字〔2025〕017号（2024年度）"
    )
    assert "2023号" not in mine[i] and "GR-unrelated" not in mine[i]
    missing = mine[i + 1].split("；")
    assert "营业收入" not in missing and "研发费用" not in missing and "资产总额" not in missing
    assert "负债总额" in missing  # reported, but no document backs it
    assert theirs[i] == "缺少"
    assert "研发费用" in theirs[i + 1].split("；")
