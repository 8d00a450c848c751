"""Section 五's figures are the state at the period's end (bureau.asof): a need withdrawn or
met later still stood open at the end of the year it was posted in."""

import datetime

import pytest

from finance import metrics
from finance.models import NeedStatus
from tests.asof import pks, save_on
from tests.factories import EnterpriseFactory
from tests.finance.factories import NeedFactory

pytestmark = pytest.mark.django_db


def by_key(year: int, quarter: int | None = None):
    return {f.key: f for f in metrics.figures(year, quarter)}


def need(day: str = "2024-05-01"):
    return save_on(
        NeedFactory.build(
            enterprise=EnterpriseFactory(), posted_on=datetime.date.fromisoformat(day)
        ),
        day,
    )


def test_a_need_withdrawn_next_year_was_open_at_this_years_end():
    withdrawn, met = need(), need()
    before = by_key(2024)["finance.needs_open"]
    save_on(withdrawn, "2025-02-01", status=NeedStatus.WITHDRAWN)
    save_on(met, "2025-03-01", status=NeedStatus.MET, met_on=datetime.date(2025, 3, 1))
    after = by_key(2024)["finance.needs_open"]
    assert before.value == after.value == 2
    assert pks(before) == pks(after) == {withdrawn.pk, met.pk}
    assert by_key(2025)["finance.needs_open"].value == 0
    assert pks(by_key(2025)["finance.needs_met"]) == {met.pk}


def test_a_quarter_reads_the_needs_status_at_the_quarters_end():
    n = need("2024-02-01")
    save_on(n, "2024-08-01", status=NeedStatus.WITHDRAWN)
    assert pks(by_key(2024, 2)["finance.needs_open"]) == {n.pk}
    assert by_key(2024, 3)["finance.needs_open"].value == 0


def test_a_need_posted_after_the_period_is_not_open_in_it():
    need("2025-01-10")
    assert by_key(2024)["finance.needs_open"].value == 0


def test_a_need_met_on_a_date_in_the_year_but_recorded_next_year_was_met_that_year():
    n = need()
    save_on(n, "2025-01-15", status=NeedStatus.MET, met_on=datetime.date(2024, 12, 20))
    figures = by_key(2024)
    assert pks(figures["finance.needs_met"]) == {n.pk}
    assert figures["finance.needs_open"].value == 0


@pytest.mark.parametrize("n", [2, 20])
def test_the_needs_figures_take_the_same_queries_however_many_moved_later(
    django_assert_num_queries, n
):
    for _ in range(n):
        save_on(need(), "2025-02-01", status=NeedStatus.WITHDRAWN)
    # One aggregate per figure group, the events by kind, the events' institutions and two for
    # the scheme stage, as finance.metrics says: the needs' statuses are read inside their
    # aggregate.
    with django_assert_num_queries(10):
        figures = metrics.figures(2024)
    assert {f.key: f.value for f in figures}["finance.needs_open"] == n
