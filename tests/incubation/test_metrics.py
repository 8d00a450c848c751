"""Figures of innovation carriers, computed from records (bureau.figures contract)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from bureau.models import ApplicationStatus as S
from bureau.models import Level
from incubation import metrics
from incubation.models import ExitReason, RecognitionKind
from incubation.services import create_application, move_application
from tests.factories import EnterpriseFactory

from .factories import (
    IncubatorApplicationFactory,
    IncubatorFactory,
    RDPlatformFactory,
    RecognitionFactory,
    TenancyFactory,
)

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(day: str) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(10), TZ)


def values(year: int, quarter: int | None = None) -> dict[str, int]:
    return {f.key: f.value for f in metrics.figures(year, quarter)}


def flow(app, *steps: tuple[str, str], **approve):
    (status, day), *rest = steps
    app.status, app.status_changed_at = status, at(day)
    create_application(app)
    for status, day in rest:
        extra = approve if status == S.APPROVED else {}
        if status == S.APPROVED:
            extra = {"approved_on": datetime.date.fromisoformat(day), **extra}
        move_application(app, status, at=at(day), **extra)
    return app


def test_approved_provincial_platform_counts_in_its_approval_year():
    flow(
        RDPlatformFactory.build(enterprise=EnterpriseFactory()),
        (S.SUBMITTED, "2024-05-01"),
        (S.APPROVED, "2024-10-01"),
    )
    assert values(2024)["incubation.rd_platforms_new.provincial"] == 1
    assert values(2023)["incubation.rd_platforms_new.provincial"] == 0
    assert values(2025)["incubation.rd_platforms_new.provincial"] == 0
    # Year to date: not yet by the end of Q3.
    assert values(2024, 3)["incubation.rd_platforms_new.provincial"] == 0
    assert values(2024, 4)["incubation.rd_platforms_new.provincial"] == 1


def test_under_application_is_read_at_the_years_end_from_history():
    recognition = flow(
        RecognitionFactory.build(
            enterprise=EnterpriseFactory(),
            kind=RecognitionKind.DIGITAL_WORKSHOP,
            level=Level.MUNICIPAL,
        ),
        (S.CANDIDATE, "2024-02-01"),
        (S.PREPARING, "2024-08-01"),
        (S.SUBMITTED, "2024-11-05"),
        (S.APPROVED, "2025-03-28"),
    )
    key = "incubation.recognitions_applying.digital_workshop.municipal"
    new_key = "incubation.recognitions_new.digital_workshop.municipal"
    assert values(2024)[key] == 1  # submitted on 31 Dec 2024, though approved now
    assert values(2024)[new_key] == 0
    assert values(2025)[key] == 0
    assert values(2025)[new_key] == 1
    assert values(2023)[key] == 0  # did not exist yet
    # A candidate (培育对象) is not "under application".
    assert values(2024, 1)[key] == 0
    assert recognition.status == S.APPROVED


def test_figure_records_are_the_rows_behind_the_number():
    platform = flow(
        RDPlatformFactory.build(enterprise=EnterpriseFactory()),
        (S.SUBMITTED, "2024-05-01"),
        (S.APPROVED, "2024-10-01"),
    )
    figure = next(
        f for f in metrics.figures(2024) if f.key == "incubation.rd_platforms_new.provincial"
    )
    assert list(figure.records) == [platform]
    assert figure.section == "一" and figure.unit == "个"


def test_incubators_by_level_and_applying_to_move_up():
    application = IncubatorApplicationFactory(
        incubator=IncubatorFactory(level=Level.PROVINCIAL), status=S.CANDIDATE
    )
    IncubatorFactory(level=Level.MUNICIPAL)
    assert values(2024)["incubation.incubators.provincial"] == 1
    assert values(2024)["incubation.incubators.municipal"] == 1
    assert values(2024)["incubation.incubators_applying"] == 0  # still a candidate
    move_application(application, S.PREPARING)
    this_year = datetime.date.today().year
    assert values(this_year)["incubation.incubators_applying"] == 1


def test_tenants_entries_and_graduations_by_year():
    incubator = IncubatorFactory()
    TenancyFactory(incubator=incubator, entered_on=datetime.date(2023, 5, 1))
    TenancyFactory(incubator=incubator, entered_on=datetime.date(2024, 2, 1))
    TenancyFactory(
        incubator=incubator,
        entered_on=datetime.date(2021, 2, 1),
        exited_on=datetime.date(2024, 6, 30),
        exit_reason=ExitReason.GRADUATED,
    )
    TenancyFactory(
        incubator=incubator,
        entered_on=datetime.date(2021, 2, 1),
        exited_on=datetime.date(2024, 3, 1),
        exit_reason=ExitReason.MOVED_OUT,
    )
    v2024, v2023 = values(2024), values(2023)
    assert v2024["incubation.tenants"] == 2
    assert v2024["incubation.tenants_entered"] == 1
    assert v2024["incubation.tenants_graduated"] == 1
    assert v2023["incubation.tenants"] == 3
    assert v2023["incubation.tenants_graduated"] == 0


@pytest.mark.parametrize("rows", [3, 30])
def test_figures_take_eight_queries_whatever_the_rows(rows, django_assert_num_queries):
    for _ in range(rows):
        RDPlatformFactory(status=S.APPROVED, approved_on=datetime.date(2024, 3, 1))
        RecognitionFactory(status=S.SUBMITTED)
        TenancyFactory()
    # platforms new, platforms applying, recognitions new, recognitions applying,
    # incubators by level, incubators applying (count), tenants, platforms held by level:
    # one aggregate each.
    with django_assert_num_queries(8):
        result = metrics.figures(2024)
    assert {f.key for f in result} >= {"incubation.rd_platforms_new.provincial"}


def test_platforms_held_by_level_at_period_end():
    RDPlatformFactory(status=S.APPROVED, level="provincial", approved_on=datetime.date(2022, 3, 1),
                      valid_from=datetime.date(2022, 3, 1), valid_to=datetime.date(2025, 2, 28))  # fmt: skip
    RDPlatformFactory(status=S.APPROVED, level="provincial", approved_on=datetime.date(2021, 3, 1),
                      valid_from=datetime.date(2021, 3, 1), valid_to=datetime.date(2024, 2, 28))  # fmt: skip
    RDPlatformFactory(status=S.SUBMITTED, level="national")
    figs = {f.key: f for f in metrics.figures(2024)}
    assert figs["incubation.platforms.provincial"].value == 1
    assert figs["incubation.platforms.national"].value == 0
    assert {f.key: f for f in metrics.figures(2023)}["incubation.platforms.provincial"].value == 2
