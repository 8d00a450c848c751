"""Figures of section 四: each counts its records and changes when they change."""

import datetime

import pytest

from bureau.figures import collect
from bureau.models import ApplicationStatus
from enterprises import demo, metrics
from tests.asof import at
from tests.enterprises.factories import ApprovedQualificationFactory, QualificationFactory, kind
from tests.factories import (
    EnterpriseFactory,
    PeriodFactory,
    QuarterlyFiguresFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def by_key(year=2024, quarter=None):
    return {f.key: f for f in metrics.figures(year, quarter)}


def test_existing_registry_figures_are_kept():
    EnterpriseFactory.create_batch(3)
    figs = by_key()
    assert figs["enterprises.registered"].value == 3
    assert figs["enterprises.quarterly_reporting"].value == 0


def test_ladder_figures_count_their_records():
    ApprovedQualificationFactory.create_batch(2, approved_on=datetime.date(2024, 3, 1))
    ApprovedQualificationFactory(approved_on=datetime.date(2023, 12, 31))  # not 2024
    ApprovedQualificationFactory(
        kind=kind("tech_sme"), batch_year=2024, approved_on=datetime.date(2024, 6, 1),
        valid_from=datetime.date(2024, 1, 1), valid_to=datetime.date(2024, 12, 31),
    )  # fmt: skip
    ApprovedQualificationFactory(
        kind=kind("little_giant"), level="provincial", approved_on=datetime.date(2024, 8, 1)
    )
    QualificationFactory.create_batch(
        3, kind=kind("specialised_sme"), level="provincial", batch_year=2024,
        status=ApplicationStatus.UNDER_REVIEW, status_changed_at=at("2024-09-01"),
    )  # fmt: skip
    QualificationFactory(
        kind=kind("innovative_sme"), batch_year=2025, status_changed_at=at("2024-11-01")
    )  # a candidate for next year's batch by the year's end
    TargetFactory(year=2025, figure_key=metrics.INNOVATIVE_APPLICATIONS_KEY, target_value=30)
    figs = by_key()
    assert figs["enterprises.hitech_new"].value == 2
    assert list(figs["enterprises.hitech_new"].records) == sorted(
        figs["enterprises.hitech_new"].records, key=lambda q: (q.enterprise.name, q.pk)
    )
    assert figs["enterprises.tech_sme_registered"].value == 1
    assert figs["enterprises.little_giant_new_provincial"].value == 1
    assert figs["enterprises.little_giant_new_national"].value == 0
    assert figs["enterprises.specialised_under_review"].value == 3
    assert figs["enterprises.innovative_sme_expected"].value == 30
    assert figs["enterprises.innovative_sme_expected"].records.count() == 1
    for key, fig in figs.items():
        if key.startswith("enterprises.") and key != "enterprises.innovative_sme_expected":
            assert fig.records.count() == fig.value, key


def test_quarter_cuts_off_at_the_quarter_end():
    ApprovedQualificationFactory(approved_on=datetime.date(2024, 3, 31))
    ApprovedQualificationFactory(approved_on=datetime.date(2024, 4, 1))
    assert by_key(2024, 1)["enterprises.hitech_new"].value == 1
    assert by_key(2024, 2)["enterprises.hitech_new"].value == 2


@pytest.mark.parametrize("n", [3, 30])
def test_figures_take_a_constant_number_of_queries(django_assert_num_queries, n):
    ApprovedQualificationFactory.create_batch(n, approved_on=datetime.date(2024, 5, 1))
    # 1 registry aggregate, 1 aggregate over qualifications, kinds + tier counts, 1 target,
    # expired-not-renewed and stalled applications (one each), applications open at the
    # period's end by kind and stage.
    with django_assert_num_queries(8):
        metrics.figures(2024)


def test_keys_skip_the_groups_no_asked_figure_is_in(django_assert_num_queries):
    ApprovedQualificationFactory.create_batch(3, approved_on=datetime.date(2024, 5, 1))
    full = {f.key: f.value for f in metrics.figures(2024, 2)}
    asked = {"enterprises.hitech_new", "enterprises.tech_sme_registered"}
    with django_assert_num_queries(1):  # the ladder aggregate only
        trimmed = {f.key: f.value for f in metrics.figures(2024, 2, keys=asked)}
    assert asked <= trimmed.keys()
    assert not any(k.startswith(("enterprises.tiers.", "enterprises.registered")) for k in trimmed)
    assert all(trimmed[k] == full[k] for k in trimmed)
    with django_assert_num_queries(2):  # kinds + tier counts
        tiers = metrics.figures(2024, keys={"enterprises.tiers.hitech"})
    assert {f.key for f in tiers} == {k for k in full if k.startswith("enterprises.tiers.")}


def test_demo_year_2024_reproduces_the_seed_section_four(demo_data):
    figs = by_key(2024)
    assert figs["enterprises.hitech_new"].value == 23
    assert figs["enterprises.tech_sme_registered"].value == 181
    assert figs["enterprises.strategic_new"].value == 20
    assert figs["enterprises.little_giant_new_provincial"].value == 2
    assert figs["enterprises.specialised_under_review"].value == 17
    assert figs["enterprises.innovative_sme_expected"].value == 30
    assert by_key(2025)["enterprises.innovative_sme_applications"].value == 30
    # Idempotent: a second run adds nothing.
    assert demo.seed_ladder() == ""
    assert by_key(2024)["enterprises.hitech_new"].value == 23


# --- registry figures through the shared collector ---


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


def test_tier_distribution_counts_enterprises_holding_each_tier_at_year_end():
    e = EnterpriseFactory()
    ApprovedQualificationFactory(
        enterprise=e, kind=kind("hitech"), approved_on=datetime.date(2023, 5, 1),
        valid_from=datetime.date(2023, 5, 1), valid_to=datetime.date(2026, 4, 30),
    )  # fmt: skip
    ApprovedQualificationFactory(
        kind=kind("hitech"), approved_on=datetime.date(2021, 5, 1),
        valid_from=datetime.date(2021, 5, 1), valid_to=datetime.date(2024, 4, 30),
    )  # expired during 2024  # fmt: skip
    figs = by_key(2024)
    assert figs["enterprises.tiers.hitech"].value == 1
    assert [q.enterprise for q in figs["enterprises.tiers.hitech"].records] == [e]
    assert by_key(2024, 1)["enterprises.tiers.hitech"].value == 2
    assert figs["enterprises.tiers.little_giant"].value == 0
