"""Figures of innovation carriers, computed from records (bureau.figures contract)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from bureau.models import ApplicationStatus as S
from bureau.models import Level
from incubation import metrics, selectors
from incubation.models import ExitReason, IncubatorLevelApplication, RecognitionKind
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


def promote(incubator, level: str, submitted: str, approved: str):
    return flow(
        IncubatorApplicationFactory.build(incubator=incubator, level=level),
        (S.SUBMITTED, submitted),
        (S.APPROVED, approved),
    )


def incubator_figure(year: int, level: str):
    return next(f for f in metrics.figures(year) if f.key == f"incubation.incubators.{level}")


def test_incubator_counts_at_the_level_it_held_at_the_periods_end():
    incubator = IncubatorFactory(level=Level.MUNICIPAL)
    promote(incubator, Level.PROVINCIAL, "2024-11-05", "2025-03-28")
    promote(incubator, Level.NATIONAL, "2025-09-01", "2026-01-10")
    incubator.refresh_from_db()
    assert incubator.level == Level.NATIONAL
    expected = {
        2024: Level.MUNICIPAL,  # promoted in 2025: the 2024 summary stays municipal
        2025: Level.PROVINCIAL,
        2026: Level.NATIONAL,
    }
    for year, held in expected.items():
        for level in (Level.NATIONAL, Level.PROVINCIAL, Level.MUNICIPAL):
            figure = incubator_figure(year, level)
            # The drill-down rows are the ones behind the number.
            assert list(figure.records) == ([incubator] if level == held else []), (year, level)
            assert figure.value == (1 if level == held else 0), (year, level)
    # Up to the first quarter's end of 2025 it was still municipal; approved on 28 March.
    q1 = {f.key: f.value for f in metrics.figures(2025, 1)}
    assert q1["incubation.incubators.provincial"] == 1
    assert values(2024, 4)["incubation.incubators.municipal"] == 1


def test_dashboard_counts_incubators_by_the_same_level_as_the_figures():
    incubator = IncubatorFactory(level=Level.MUNICIPAL)
    promote(incubator, Level.PROVINCIAL, "2024-11-05", "2025-03-28")
    IncubatorFactory(level=Level.MUNICIPAL, established_on=datetime.date(2025, 6, 1))
    for year in (2024, 2025):
        shown = dict(selectors.dashboard_section(year)["incubator_levels"])
        figures = values(year)
        for level in (Level.NATIONAL, Level.PROVINCIAL, Level.MUNICIPAL):
            assert shown[Level(level).label] == figures[f"incubation.incubators.{level}"]
    assert dict(selectors.dashboard_section(2024)["incubator_levels"]) == {
        "国家级": 0, "省级": 0, "市级": 1, "县级": 0,
    }  # fmt: skip


def test_incubator_without_approvals_counts_at_its_current_level_every_year():
    IncubatorFactory(level=Level.PROVINCIAL, established_on=datetime.date(2018, 1, 1))
    assert values(2020)["incubation.incubators.provincial"] == 1
    assert values(2025)["incubation.incubators.provincial"] == 1


def test_approval_recorded_without_the_level_before_counts_no_level_before_it():
    """An approved application entered in the admin without 认定前级别: before its date the
    incubator's level is not known, so it counts at none; from its date at the granted one."""
    incubator = IncubatorFactory(level=Level.PROVINCIAL)
    IncubatorApplicationFactory(
        incubator=incubator,
        level=Level.PROVINCIAL,
        status=S.APPROVED,
        approved_on=datetime.date(2022, 4, 1),
    )
    v2021, v2022 = values(2021), values(2022)
    assert [v2021[f"incubation.incubators.{lv}"] for lv in metrics.FIGURE_LEVELS] == [0, 0, 0]
    assert v2022["incubation.incubators.provincial"] == 1


def test_backdated_approval_entered_later_counts_from_its_approval_date():
    incubator = IncubatorFactory(level=Level.MUNICIPAL)
    promote(incubator, Level.PROVINCIAL, "2023-02-01", "2023-06-30")
    assert values(2022)["incubation.incubators.municipal"] == 1
    assert values(2023)["incubation.incubators.provincial"] == 1


def test_migration_rebuilds_the_level_before_an_approval_from_the_incubators_history():
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "incubation.migrations.0003_level_application_previous_level"
    )
    incubator = IncubatorFactory(level=Level.MUNICIPAL)
    incubator.level = Level.PROVINCIAL
    incubator.save()  # as the approval did before the level before was recorded
    first = IncubatorApplicationFactory(
        incubator=incubator, level=Level.PROVINCIAL, status=S.APPROVED,
        approved_on=datetime.date(2023, 5, 1),
    )  # fmt: skip
    second = IncubatorApplicationFactory(
        incubator=incubator, level=Level.NATIONAL, status=S.APPROVED,
        approved_on=datetime.date(2025, 5, 1),
    )  # fmt: skip
    entered_at_level = IncubatorApplicationFactory(
        incubator=IncubatorFactory(level=Level.NATIONAL), level=Level.NATIONAL,
        status=S.APPROVED, approved_on=datetime.date(2024, 5, 1),
    )  # fmt: skip
    migration.fill_previous_levels(apps, None)
    levels = dict(IncubatorLevelApplication.objects.values_list("pk", "previous_level"))
    assert levels == {
        first.pk: Level.MUNICIPAL,
        second.pk: Level.PROVINCIAL,
        entered_at_level.pk: "",
    }


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
        TenancyFactory()  # and its incubator, provincial, never promoted
        # An incubator promoted from municipal to provincial in 2025: municipal in 2024.
        IncubatorApplicationFactory(
            incubator=IncubatorFactory(level=Level.PROVINCIAL),
            level=Level.PROVINCIAL,
            previous_level=Level.MUNICIPAL,
            status=S.APPROVED,
            approved_on=datetime.date(2025, 3, 1),
        )
    # platforms new, platforms applying, recognitions new, recognitions applying,
    # incubators by level (their level at the period's end in correlated subqueries),
    # incubators applying (count), tenants, platforms held by level: one aggregate each.
    with django_assert_num_queries(8):
        result = metrics.figures(2024)
    by_key = {f.key: f.value for f in result}
    assert by_key["incubation.incubators.municipal"] == rows
    assert by_key["incubation.incubators.provincial"] == rows


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


def test_a_closed_incubator_counts_in_the_periods_before_its_closing_date():
    IncubatorFactory(
        level=Level.PROVINCIAL,
        established_on=datetime.date(2018, 1, 1),
        is_active=False,
        closed_on=datetime.date(2025, 6, 30),
    )
    IncubatorFactory(level=Level.PROVINCIAL, is_active=False)  # closed, date unknown: nowhere
    assert values(2024)["incubation.incubators.provincial"] == 1
    assert values(2025, 1)["incubation.incubators.provincial"] == 1
    assert values(2025, 2)["incubation.incubators.provincial"] == 0  # closed on 30 June
    assert values(2025)["incubation.incubators.provincial"] == 0
    records = metrics.figures(2024)
    (figure,) = [f for f in records if f.key == "incubation.incubators.provincial"]
    assert figure.records.count() == 1


def test_closing_date_rules_hold_in_forms_and_in_the_database():
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    still_open = IncubatorFactory.build(is_active=True, closed_on=datetime.date(2025, 6, 30))
    with pytest.raises(ValidationError) as exc:
        still_open.full_clean()
    assert "不能仍为“运营中”" in str(exc.value.message_dict["is_active"])
    early = IncubatorFactory.build(
        is_active=False,
        established_on=datetime.date(2020, 1, 1),
        closed_on=datetime.date(2019, 12, 31),
    )
    with pytest.raises(ValidationError) as exc:
        early.full_clean()
    assert "不能早于开始运营日期" in str(exc.value.message_dict["closed_on"])
    for bad in (still_open, early):
        with pytest.raises(IntegrityError), transaction.atomic():
            bad.save()


def test_incubator_page_says_when_it_stopped_operating(staff_client):
    from django.urls import reverse

    closed = IncubatorFactory(is_active=False, closed_on=datetime.date(2025, 6, 30))
    page = staff_client.get(reverse("incubation:incubator_detail", args=[closed.pk]))
    assert "2025-06-30 起停止运营" in page.content.decode()
