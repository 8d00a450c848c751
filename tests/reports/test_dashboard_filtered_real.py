"""The dashboard filtered by industry and by zone over the apps' real figures (issue 16): the
narrowed figures keep their values, and the number of queries does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau.models import ApplicationStatus
from digital.models import AssessmentSource
from enterprises import industries
from enterprises.models import Enterprise
from reports.selectors import collect
from tests.digital.factories import AssessmentFactory
from tests.enterprises.factories import ApprovedQualificationFactory, kind
from tests.factories import EnterpriseFactory, ParkZoneFactory

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")
MANUFACTURING = "C"  # 制造业, divisions 13–43; the factories' firms are in 39


def _firms(n: int, zone, *, division: str = "39") -> list[Enterprise]:
    """`n` firms, each assessed twice in 2024 (from the portal and by an external platform),
    holding a 高企 approved in 2024 and a 科小 number that lapsed in 2024 with no renewal."""
    firms = EnterpriseFactory.create_batch(n, zone=zone, industry_division=division)
    for firm in firms:
        AssessmentFactory(enterprise=firm, source=AssessmentSource.PORTAL)
        AssessmentFactory(enterprise=firm, assessed_on=datetime.date(2024, 8, 1))
        ApprovedQualificationFactory(enterprise=firm, approved_on=datetime.date(2024, 3, 1))
        ApprovedQualificationFactory(
            enterprise=firm,
            kind=kind("tech_sme"),
            batch_year=2023,
            approved_on=datetime.date(2023, 5, 1),
            valid_from=datetime.date(2023, 5, 1),
            valid_to=datetime.date(2024, 6, 30),
            status=ApplicationStatus.APPROVED,
        )
    return firms


NARROWED = (
    "digital.assessed_enterprises",
    "digital.assessed_enterprises.portal",
    "digital.assessed_enterprises.external",
    "enterprises.hitech_new",
    "enterprises.expired_not_renewed",
)


def test_industry_filter_recounts_the_as_of_figures_over_its_firms():
    east, west = ParkZoneFactory(name="东区"), ParkZoneFactory(name="西区")
    _firms(3, east)
    _firms(2, west, division="01")  # 农业: outside manufacturing
    manufacturing = Enterprise.objects.filter(
        industry_division__in=industries.divisions_of(MANUFACTURING)
    )
    figures = collect(2024, enterprises=manufacturing, keys=NARROWED)
    assert {key: figures[key].value for key in NARROWED} == {
        "digital.assessed_enterprises": 3,
        "digital.assessed_enterprises.portal": 3,
        "digital.assessed_enterprises.external": 3,
        "enterprises.hitech_new": 3,
        "enterprises.expired_not_renewed": 3,
    }
    # The records behind a narrowed figure are its firms' only.
    assert set(figures["digital.assessed_enterprises"].records) == set(manufacturing)
    unfiltered = collect(2024, keys=NARROWED)
    assert unfiltered["digital.assessed_enterprises"].value == 5
    assert unfiltered["enterprises.expired_not_renewed"].value == 5
    by_zone = collect(2024, enterprises=Enterprise.objects.filter(zone=west), keys=NARROWED)
    assert by_zone["digital.assessed_enterprises.portal"].value == 2
    assert by_zone["enterprises.expired_not_renewed"].value == 2


def _queries(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("filter_by", ["industry", "zone"])
def test_filtered_dashboard_query_count_does_not_grow_with_rows(leader_client, filter_by):
    zone = ParkZoneFactory(name="东区")
    params = {"year": 2024}
    params.update({"industry": MANUFACTURING} if filter_by == "industry" else {"zone": zone.pk})
    _firms(2, zone)
    _firms(1, ParkZoneFactory(name="西区"), division="01")
    leader_client.get(URL, params)  # first request: session, content types, questionnaire
    few = _queries(leader_client, params)
    _firms(8, zone)
    _firms(4, ParkZoneFactory(name="南区"), division="01")
    many = _queries(leader_client, params)
    assert few == many
    figures = leader_client.get(URL, params).context["data"].figures
    assert figures["digital.assessed_enterprises"].value == 10
    assert figures["enterprises.hitech_new"].value == 10
