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
