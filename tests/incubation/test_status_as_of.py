"""Section 一's figures are the state at the period's end (bureau.asof): a later decision
never moves them, and the drill-down lists what the figure counts."""

import pytest

from bureau.models import ApplicationStatus as S
from bureau.models import Level
from bureau.services import transition_application
from incubation import metrics
from incubation.models import RecognitionKind
from tests.asof import at, flow, pks
from tests.factories import EnterpriseFactory

from .factories import RDPlatformFactory, RecognitionFactory

pytestmark = pytest.mark.django_db


def by_key(year: int, quarter: int | None = None):
    return {f.key: f for f in metrics.figures(year, quarter)}


def workshop(*steps):
    return flow(
        RecognitionFactory.build(
            enterprise=EnterpriseFactory(),
            kind=RecognitionKind.DIGITAL_WORKSHOP,
            level=Level.MUNICIPAL,
        ),
        (S.PREPARING, "2024-04-01"),
        (S.SUBMITTED, "2024-10-01"),
        *steps,
    )


def test_recognitions_decided_next_year_stay_under_application_in_this_years_figures():
    pending = [workshop() for _ in range(3)]
    key = "incubation.recognitions_applying.digital_workshop.municipal"
    before = by_key(2024)[key]
    transition_application(pending[0], S.APPROVED, at=at("2025-03-12"))
    transition_application(pending[1], S.REJECTED, at=at("2025-03-12"))
    after = by_key(2024)[key]
    assert before.value == after.value == 3
    assert pks(before) == pks(after) == {a.pk for a in pending}
    assert by_key(2025)[key].value == 1
    assert by_key(2025)["incubation.recognitions_new.digital_workshop.municipal"].value == 1


def test_a_platform_approved_next_year_is_not_held_at_this_years_end():
    platform = flow(
        RDPlatformFactory.build(enterprise=EnterpriseFactory(), level=Level.PROVINCIAL),
        (S.SUBMITTED, "2024-06-01"),
        (S.APPROVED, "2025-02-20"),
    )
    held_2024 = by_key(2024)["incubation.platforms.provincial"]
    held_2025 = by_key(2025)["incubation.platforms.provincial"]
    assert (held_2024.value, pks(held_2024)) == (0, set())
    assert (held_2025.value, pks(held_2025)) == (1, {platform.pk})
    assert by_key(2024)["incubation.rd_platforms_applying.provincial"].value == 1


def test_an_application_created_after_the_years_end_is_not_counted_in_that_year():
    flow(
        RecognitionFactory.build(
            enterprise=EnterpriseFactory(),
            kind=RecognitionKind.SMART_FACTORY,
            level=Level.MUNICIPAL,
        ),
        (S.SUBMITTED, "2025-01-05"),
    )
    figure = by_key(2024)["incubation.recognitions_applying.smart_factory.municipal"]
    assert (figure.value, pks(figure)) == (0, set())


def test_a_quarter_reads_the_status_at_the_quarters_end():
    app = workshop((S.APPROVED, "2024-11-20"))
    applying = "incubation.recognitions_applying.digital_workshop.municipal"
    new = "incubation.recognitions_new.digital_workshop.municipal"
    assert by_key(2024, 1)[applying].value == 0  # not yet preparing on 31 March
    assert pks(by_key(2024, 3)[applying]) == {app.pk}  # submitted on 30 September
    assert by_key(2024, 3)[new].value == 0
    assert by_key(2024, 4)[applying].value == 0
    assert pks(by_key(2024, 4)[new]) == {app.pk}


@pytest.mark.parametrize("n", [2, 20])
def test_the_figures_take_the_same_queries_however_many_records_moved_later(
    django_assert_num_queries, n
):
    for _ in range(n):
        transition_application(workshop(), S.REJECTED, at=at("2025-03-12"))
    # One aggregate per group of figures, as incubation.metrics says: eight.
    with django_assert_num_queries(8):
        figures = metrics.figures(2024)
    values = {f.key: f.value for f in figures}
    assert values["incubation.recognitions_applying.digital_workshop.municipal"] == n
