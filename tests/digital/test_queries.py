"""Every list, dashboard section and export: the same number of queries at 3 and 30 rows."""

import datetime

import pytest
from django.urls import reverse

from tests.digital.factories import (
    AssessmentFactory,
    DemoParkProjectFactory,
    DiagnosticRoundFactory,
    DiagnosticVisitFactory,
    FollowUpActionFactory,
    ServiceDeliveryFactory,
    edition_2024,
)
from tests.factories import EnterpriseFactory, PeriodFactory

pytestmark = pytest.mark.django_db

# Every signed-in request: session, user, the role's groups (role_required, nav), and the
# session's save (savepoint, update, release: the session is saved on every request).
STAFF_REQUEST = 6


def build(n: int, enterprise) -> None:
    edition_2024()
    period = PeriodFactory(year=2024, quarter=2)
    diagnostic_round = DiagnosticRoundFactory(period=period)
    project = DemoParkProjectFactory()
    for i in range(n):
        e = EnterpriseFactory()
        AssessmentFactory(enterprise=e, assessed_on=datetime.date(2024, 4, 1 + i % 28))
        AssessmentFactory(enterprise=enterprise, assessed_on=datetime.date(2023, 1, 1 + i % 28))
        visit = DiagnosticVisitFactory(enterprise=e, round=diagnostic_round)
        FollowUpActionFactory(visit=visit)
        ServiceDeliveryFactory(enterprise=e)
        diagnostic_round.enterprises.add(e)
        project.allocations.create(enterprise=e, amount=1000)
    for q in (1, 3, 4):
        DiagnosticRoundFactory(period=PeriodFactory(year=2024, quarter=q)).enterprises.add(
            enterprise
        )


CASES = [
    # name, query string, expected queries beyond the staff request
    # assessment list: count + page (with enterprise, version, period joined)
    ("digital:assessment_list", "", 2),
    # export: the current version + its questionnaire (4) + the rows (1) + the security
    # log's record of the download (1)
    ("digital:assessment_list", "?format=xlsx", 7),
    # visits: count + page with action counts annotated
    ("digital:visit_list", "", 2),
    ("digital:visit_list", "?format=xlsx", 2),  # the rows + the download's security-log row
    # deliveries: packages for the filter + count + page
    ("digital:delivery_list", "", 3),
    ("digital:delivery_list", "?format=xlsx", 2),  # the rows + the download's security-log row
    # rounds: rounds with due counts + memberships + assessments in their quarters
    ("digital:round_list", "", 3),
    # overview: figures (9) + distribution, trend, project, milestones, allocations, totals (6)
    ("digital:overview", "", 15),
    # project: the project + milestones + allocations + totals (list redirects, not followed)
    ("digital:project_list", "", 1),
]


@pytest.mark.parametrize(("name", "query", "expected"), CASES)
@pytest.mark.parametrize("n", [3, 30])
def test_staff_pages_have_flat_query_counts(
    name, query, expected, n, staff_client, enterprise, django_assert_num_queries
):
    build(n, enterprise)
    url = reverse(name) + query + ("&" if query else "?") + "year=2024"
    staff_client.get(url)  # warm per-process caches (content types), as a running server has
    with django_assert_num_queries(STAFF_REQUEST + expected):
        response = staff_client.get(url)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("n", [3, 30])
def test_round_detail_and_project_detail_have_flat_query_counts(
    n, staff_client, enterprise, django_assert_num_queries
):
    build(n, enterprise)
    from digital.models import DemoParkProject, DiagnosticRound

    diagnostic_round = DiagnosticRound.objects.get(period__quarter=2)
    # the round + its enterprises + their assessments in the quarter
    with django_assert_num_queries(STAFF_REQUEST + 3):
        staff_client.get(diagnostic_round.get_absolute_url())
    project = DemoParkProject.objects.get()
    # the project + milestones + allocations + totals
    with django_assert_num_queries(STAFF_REQUEST + 4):
        staff_client.get(project.get_absolute_url())


@pytest.mark.parametrize("n", [3, 30])
def test_portal_list_and_result_have_flat_query_counts(
    n, enterprise_client, enterprise, django_assert_num_queries
):
    build(n, enterprise)
    # enterprise request: STAFF_REQUEST's six + the account + its enterprise; then the
    # list, and the reminders (open draft, the quarter's round)
    with django_assert_num_queries(STAFF_REQUEST + 2 + 3):
        enterprise_client.get(reverse("digital:portal_assessments"))
    latest = enterprise.digital_assessments.order_by("-assessed_on").first()
    # the request (6); the assessment; questionnaire (4); park average; previous
    with django_assert_num_queries(STAFF_REQUEST + 1 + 4 + 2):
        enterprise_client.get(latest.get_absolute_url())
