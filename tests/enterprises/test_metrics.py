"""The registry's published figures follow the records."""

import pytest

from bureau.figures import collect
from tests.factories import EnterpriseFactory, PeriodFactory, QuarterlyFiguresFactory

pytestmark = pytest.mark.django_db


def test_registered_and_reporting_counts_are_not_inflated_by_figures():
    periods = [PeriodFactory(year=2024, quarter=q) for q in (1, 2, 3, 4)]
    reporting = [EnterpriseFactory() for _ in range(3)]
    for e in reporting:
        for p in periods:
            QuarterlyFiguresFactory(enterprise=e, period=p)
    EnterpriseFactory(is_active=False)
    EnterpriseFactory()
    figures = collect(2024)
    assert figures["enterprises.registered"].value == 4
    assert figures["enterprises.quarterly_reporting"].value == 3
    assert set(figures["enterprises.quarterly_reporting"].records) == set(reporting)
    assert collect(2024, 2)["enterprises.quarterly_reporting"].value == 3
    assert collect(2023)["enterprises.quarterly_reporting"].value == 0


def test_activity_figures_count_by_kind_and_quarter():
    from bureau.models import ActivityKind
    from tests.factories import ActivityFactory

    seminar = ActivityKind.objects.get(code="policy_seminar")
    import datetime

    for month in (1, 2, 5, 11):
        ActivityFactory(kind=seminar, date=datetime.date(2024, month, 3))
    ActivityFactory(kind=seminar, date=datetime.date(2023, 12, 30))
    assert collect(2024)["bureau.activities.policy_seminar"].value == 4
    assert collect(2024, 1)["bureau.activities.policy_seminar"].value == 2
    assert collect(2024)["bureau.activities.door_to_door"].value == 0
