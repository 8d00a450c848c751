"""Opening and locking reporting periods from the command line (and quarterly figures that can
then come in by file)."""

import io

import pytest
from django.core.management import CommandError, call_command

from bureau.models import PeriodStatus, ReportingPeriod

pytestmark = pytest.mark.django_db


def test_open_a_whole_year_then_lock_one_quarter():
    call_command("periods", "open", "--year", "2025", stdout=io.StringIO())
    assert ReportingPeriod.objects.filter(year=2025, status=PeriodStatus.OPEN).count() == 4
    out = io.StringIO()
    call_command("periods", "lock", "--year", "2025", "--quarter", "1", stdout=out)
    period = ReportingPeriod.objects.get(year=2025, quarter=1)
    assert period.is_locked and period.locked_at is not None
    assert "已锁定" in out.getvalue()
    assert period.history.count() == 2  # opened, then locked
    call_command("periods", "open", "--year", "2025", "--quarter", "1", stdout=io.StringIO())
    period.refresh_from_db()
    assert not period.is_locked and period.locked_at is None


def test_locking_a_period_never_opened_is_refused_and_creates_nothing():
    with pytest.raises(CommandError, match="尚未开设"):
        call_command("periods", "lock", "--year", "2025", stdout=io.StringIO())
    assert not ReportingPeriod.objects.exists()


def test_a_year_too_far_ahead_is_refused_in_chinese():
    with pytest.raises(CommandError, match="年度不能晚于明年"):
        call_command("periods", "open", "--year", "2099", stdout=io.StringIO())
    assert not ReportingPeriod.objects.exists()


def test_quarterly_figures_refused_until_the_periods_file_opens_the_quarter(tmp_path):
    import openpyxl

    from enterprises.models import QuarterlyFigures
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    figures_file = tmp_path / "q.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码", "年度", "季度", "营业收入（本年累计，元）"])
    book.active.append([enterprise.credit_code, 2025, 2, 500000])
    book.save(figures_file)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data", "quarterly_figures", str(figures_file), stdout=io.StringIO(), stderr=err
        )
    assert "第2行「年度」：2025年第2季度的填报期尚未开设" in err.getvalue()

    periods_file = tmp_path / "p.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["年度", "季度", "状态", "填报截止日期"])
    book.active.append([2025, 1, "已锁定", None])
    book.active.append([2025, 2, "开放填报", "2025-07-20"])
    book.save(periods_file)
    call_command("import_data", "periods", str(periods_file), stdout=io.StringIO())
    assert ReportingPeriod.objects.get(year=2025, quarter=1).is_locked
    assert ReportingPeriod.objects.get(year=2025, quarter=2).deadline.isoformat() == "2025-07-20"

    call_command("import_data", "quarterly_figures", str(figures_file), stdout=io.StringIO())
    assert QuarterlyFigures.objects.get().revenue_ytd == 500000

    # A file that locks the quarter again: the history keeps both changes.
    book = openpyxl.Workbook()
    book.active.append(["年度", "季度", "状态"])
    book.active.append([2025, 2, "锁定"])
    book.save(periods_file)
    call_command("import_data", "periods", str(periods_file), stdout=io.StringIO())
    period = ReportingPeriod.objects.get(year=2025, quarter=2)
    assert period.is_locked and period.locked_at is not None
    assert period.history.count() == 2
