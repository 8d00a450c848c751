"""Fake figure sources for the reports tests: the tests do not depend on the other apps.

`figure_sources(**sources)` replaces bureau.figures.sources() with the given functions, so a
test decides which apps are "present". `enterprise_source` publishes figures whose records
are real Enterprise rows (so zone filters and drill-down work on them).
"""

from decimal import Decimal

import pytest

from bureau import figures as registry
from bureau.figures import Figure
from enterprises.models import Enterprise


def enterprise_source(year: int, quarter: int | None = None) -> list[Figure]:
    """'enterprises.hitech_new' = the enterprises (one count query), plus two constants
    computed from the same query's result, so the source costs one query per call."""
    records = Enterprise.objects.filter(is_active=True).order_by("pk")
    n = records.count()
    scale = quarter or 4
    return [
        Figure(
            "enterprises.hitech_new",
            "新培育高新技术企业",
            "家",
            n * scale // 4,
            year,
            quarter,
            records,
        ),
        Figure(
            "enterprises.tech_sme_registered",
            "科技型中小企业入库",
            "家",
            n * 2,
            year,
            quarter,
            records,
        ),
        Figure("enterprises.tiers.hitech", "高新技术企业", "家", n, year, quarter, records),
        Figure("enterprises.tiers.tech_sme", "科技型中小企业", "家", n * 2, year, quarter, records),
    ]


def finance_source(year: int, quarter: int | None = None) -> list[Figure]:
    """A money figure without records: 2亿元 in the demo year, 1.5亿元 the year before."""
    value = Decimal("200000000") if year == 2024 else Decimal("150000000")
    return [Figure("finance.signed_on_site", "现场签约金额", "元", value, year, quarter, None)]


@pytest.fixture
def figure_sources(monkeypatch):
    def install(**sources):
        monkeypatch.setattr(registry, "sources", lambda: dict(sources))

    return install
