"""Section 四's figures are the state at the period's end: a later decision never moves them.

DESIGN.md, "A figure is the state at its period's end": each status is read from the history
as of the last day of the year or quarter (bureau.asof), and the drill-down lists the same
records the figure counts.
"""

import pytest

from bureau.models import ApplicationStatus as S
from bureau.models import Level
from bureau.services import transition_application
from enterprises import metrics
from tests.asof import at, flow, pks, save_on
from tests.enterprises.factories import QualificationFactory, kind
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def by_key(year: int, quarter: int | None = None):
    return {f.key: f for f in metrics.figures(year, quarter)}


def specialised(day: str = "2024-03-01", *steps):
    app = QualificationFactory.build(
        enterprise=EnterpriseFactory(),
        kind=kind("specialised_sme"),
        level=Level.PROVINCIAL,
        batch_year=2024,
    )
    return flow(
        app,
        (S.CANDIDATE, day),
        (S.PREPARING, "2024-04-01"),
        (S.SUBMITTED, "2024-06-01"),
        (S.UNDER_REVIEW, "2024-09-01"),
        *steps,
        certificate_no="ZJTX2024-1",
    )


def test_a_decision_in_march_2025_does_not_move_2024s_under_review_figure():
    pending = [specialised() for _ in range(17)]
    key = "enterprises.specialised_under_review"
    before = by_key(2024)[key]
    assert before.value == 17
    for app in pending[:3]:
        transition_application(app, S.APPROVED, at=at("2025-03-12"), certificate_no="ZJTX2025-1")
    for app in pending[3:5]:
        transition_application(app, S.REJECTED, at=at("2025-03-12"))
    after = by_key(2024)[key]
    assert after.value == 17
    assert pks(after) == pks(before) == {a.pk for a in pending}
    # 2025's batch is another year: the 2024 batch is not under review in 2025's figure.
    assert by_key(2025)[key].value == 0


def test_an_application_created_after_the_years_end_is_not_counted_in_that_year():
    app = QualificationFactory.build(
        enterprise=EnterpriseFactory(),
        kind=kind("specialised_sme"),
        level=Level.PROVINCIAL,
        batch_year=2024,
    )
    flow(app, (S.UNDER_REVIEW, "2025-02-10"))
    figure = by_key(2024)["enterprises.specialised_under_review"]
    assert figure.value == 0
    assert pks(figure) == set()


def test_a_quarter_reads_the_status_at_the_quarters_end():
    app = specialised("2024-03-01", (S.APPROVED, "2024-11-20"))
    key = "enterprises.specialised_under_review"
    assert by_key(2024, 2)[key].value == 0  # submitted (已申报) on 30 June, not yet in review
    assert by_key(2024, 3)[key].value == 1  # in review on 30 September
    assert pks(by_key(2024, 3)[key]) == {app.pk}
    assert by_key(2024, 4)[key].value == 0  # approved by 31 December
    assert by_key(2024, 3)["enterprises.little_giant_new_provincial"].value == 0


def test_a_filed_application_withdrawn_next_year_still_counts_as_filed_that_year():
    app = flow(
        QualificationFactory.build(
            enterprise=EnterpriseFactory(), kind=kind("innovative_sme"), batch_year=2024
        ),
        (S.CANDIDATE, "2024-02-01"),
        (S.PREPARING, "2024-03-01"),
        (S.SUBMITTED, "2024-10-01"),
        (S.WITHDRAWN, "2025-01-15"),
    )
    figure = by_key(2024)["enterprises.innovative_sme_applications"]
    assert figure.value == 1
    assert pks(figure) == {app.pk}


def test_next_years_batch_behind_the_expected_figure_is_the_one_known_at_the_years_end():
    known = flow(
        QualificationFactory.build(
            enterprise=EnterpriseFactory(), kind=kind("innovative_sme"), batch_year=2025
        ),
        (S.CANDIDATE, "2024-11-01"),
        (S.WITHDRAWN, "2025-02-01"),  # withdrawn later: still expected at the end of 2024
    )
    flow(
        QualificationFactory.build(
            enterprise=EnterpriseFactory(), kind=kind("innovative_sme"), batch_year=2025
        ),
        (S.CANDIDATE, "2025-03-01"),  # added after the year's end
    )
    assert pks(by_key(2024)["enterprises.innovative_sme_expected"]) == {known.pk}


def test_a_title_approved_next_year_is_not_held_at_this_years_end():
    app = specialised(
        "2024-03-01", (S.APPROVED, "2025-01-20")
    )  # approved (认定) in 2025, valid from then
    held_2024 = by_key(2024)["enterprises.tiers.specialised_sme"]
    held_2025 = by_key(2025)["enterprises.tiers.specialised_sme"]
    assert (held_2024.value, pks(held_2024)) == (0, set())
    assert (held_2025.value, pks(held_2025)) == (1, {app.pk})


def test_an_enterprise_struck_off_next_year_is_still_registered_at_this_years_end():
    kept = save_on(EnterpriseFactory.build(zone=None), "2024-02-01")
    struck = save_on(EnterpriseFactory.build(zone=None), "2024-02-01")
    save_on(struck, "2025-03-01", is_active=False)
    figure = by_key(2024)["enterprises.registered"]
    assert figure.value == 2
    assert pks(figure) == {kept.pk, struck.pk}
    assert by_key(2025)["enterprises.registered"].value == 1


@pytest.mark.parametrize("n", [2, 20])
def test_the_figures_take_the_same_queries_however_many_records_moved_later(
    django_assert_num_queries, n
):
    for _ in range(n):
        app = specialised()
        transition_application(app, S.REJECTED, at=at("2025-03-12"))
    # 1 registry aggregate, 1 aggregate over qualifications (each status read in the same
    # query), kinds + tier counts, 1 next-year target, and the two notes the summary names
    # (expired-not-renewed and stalled applications by kind), 1 for the applications open at
    # the year's end by kind and stage (section 四's pipeline).
    with django_assert_num_queries(8):
        figures = metrics.figures(2024)
    assert {f.key: f.value for f in figures}["enterprises.specialised_under_review"] == n


def test_applications_open_at_the_years_end_are_counted_by_kind_and_stage(
    django_assert_num_queries,
):
    pending = [specialised() for _ in range(3)]  # 审核中 from September 2024
    transition_application(pending[0], S.APPROVED, at=at("2025-02-10"), certificate_no="Z-1")
    hitech = QualificationFactory.build(enterprise=EnterpriseFactory(), kind=kind("hitech"))
    flow(hitech, (S.PREPARING, "2024-10-01"))
    late = QualificationFactory.build(enterprise=EnterpriseFactory(), kind=kind("hitech"))
    flow(late, (S.SUBMITTED, "2025-01-05"))  # not yet filed by 31 December 2024
    # One query for every kind's open applications, whatever their number.
    with django_assert_num_queries(1):
        figures = {f.key: f for f in metrics._pending(2024, None)}
    spec = figures["enterprises.applications_pending.specialised_sme"]
    assert spec.value == 3 and spec.notes == ("under_review|3",)  # the approval came in 2025
    assert pks(spec) == {a.pk for a in pending}
    assert "正在申报的" in spec.label
    hi = figures["enterprises.applications_pending.hitech"]
    assert hi.value == 1 and hi.notes == ("preparing|1",) and pks(hi) == {hitech.pk}
    # 2025: the approved one left the pipeline, the late one entered it.
    later = {f.key: f for f in metrics._pending(2025, None)}
    assert later["enterprises.applications_pending.specialised_sme"].value == 2
    assert later["enterprises.applications_pending.hitech"].notes == (
        "preparing|1",
        "submitted|1",
    )


def test_an_application_stalled_at_the_years_end_stays_stalled_in_that_years_figure():
    """In review since 1 Sept 2023: stalled (over half a year) at the end of 2024. Approved in
    March 2025, it must still be one of 2024's stalled applications."""
    app = QualificationFactory.build(
        enterprise=EnterpriseFactory(),
        kind=kind("specialised_sme"),
        level=Level.PROVINCIAL,
        batch_year=2023,
    )
    flow(app, (S.SUBMITTED, "2023-06-01"), (S.UNDER_REVIEW, "2023-09-01"))
    key = "enterprises.applications_stalled"
    assert by_key(2024)[key].value == 1
    transition_application(app, S.APPROVED, at=at("2025-03-12"), certificate_no="ZJTX2025-9")
    after = by_key(2024)[key]
    assert after.value == 1
    assert pks(after) == {app.pk}
    # An application that only stalled after the year's end is not stalled in that year.
    fresh = QualificationFactory.build(
        enterprise=EnterpriseFactory(),
        kind=kind("specialised_sme"),
        level=Level.PROVINCIAL,
        batch_year=2024,
    )
    flow(fresh, (S.SUBMITTED, "2024-11-01"))
    assert by_key(2024)[key].value == 1
    assert by_key(2025)[key].value == 1  # the fresh one stalled by mid-2025; the first approved


def test_a_renewal_filed_after_the_years_end_does_not_move_that_years_expired_figure():
    """A 高企 title that lapsed in October 2024 with no renewal by 31 December is one of 2024's
    expired-not-renewed titles, even once a renewal is filed in 2025."""
    firm = EnterpriseFactory()
    old = QualificationFactory.build(
        enterprise=firm, kind=kind("hitech"), level=Level.NATIONAL, batch_year=2021
    )
    flow(
        old,
        (S.SUBMITTED, "2021-06-01"),
        (S.APPROVED, "2021-10-20"),
        certificate_no="GR2021-1",
    )
    type(old).objects.filter(pk=old.pk).update(valid_to="2024-10-19")
    key = "enterprises.expired_not_renewed"
    assert by_key(2024)[key].value == 1
    renewal = QualificationFactory.build(
        enterprise=firm, kind=kind("hitech"), level=Level.NATIONAL, batch_year=2025
    )
    flow(renewal, (S.SUBMITTED, "2025-05-01"))
    after = by_key(2024)[key]
    assert after.value == 1
    assert pks(after) == {old.pk}
