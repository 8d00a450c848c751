import io
from decimal import Decimal

import openpyxl
import pytest

from tests.factories import AnnualFiguresFactory, PeriodFactory, QuarterlyFiguresFactory

YEAR = 2024


@pytest.fixture
def q4(db):
    return PeriodFactory(year=YEAR, quarter=4)


def demo_figures(enterprise, q4, **annual):
    """A demo-like enterprise's 2024 figures: annual, and the fourth quarter's year to date."""
    values = {
        "revenue": Decimal("30000500.00"),  # 30,000.5 千元 → 30,001; 3,000.05 万元
        "main_business_revenue": Decimal("28000000.00"),
        "rd_expense": Decimal("1500499.00"),  # 1,500.499 千元 → 1,500
        "cost_expense_total": Decimal("26000000.00"),
        "total_assets": Decimal("40000050.00"),  # 4,000.005 万元 → 4,000.01
        "total_liabilities": Decimal("16000000.00"),
        "net_profit": Decimal("-250000.00"),
        "employees": 120,
        "tech_staff": 30,
        "rd_staff": 20,
        "invention_patents": 3,
        "other_class1_ip": 1,
        "utility_models": 7,
        "design_patents": 2,
        "software_copyrights": 5,
    }
    values.update(annual)
    figures = AnnualFiguresFactory(enterprise=enterprise, year=YEAR, **values)
    quarterly = QuarterlyFiguresFactory(
        enterprise=enterprise,
        period=q4,
        revenue_ytd=Decimal("30000500"),
        industrial_output_ytd=Decimal("41234567"),
        tax_ytd=Decimal("1200000"),
        employees=118,
    )
    return figures, quarterly


def read_book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def table_values(sheet, column: int = 5) -> dict[str, object]:
    """{platform code or label: value in `column`} of a pack's table sheet (rows below the header)."""
    out = {}
    for row in sheet.iter_rows(min_row=4):
        code, label = row[0].value, row[1].value
        out[code or label] = row[column - 1].value
    return out
