"""Registry pages and the enterprise portal: content, ownership, and flat query counts."""

from decimal import Decimal

import pytest

from bureau.models import PeriodStatus
from enterprises.models import AnnualFigures, Enterprise
from tests.concurrency import token
from tests.factories import (
    ActivityFactory,
    AnnualFiguresFactory,
    EnterpriseFactory,
    PeriodFactory,
    QuarterlyFiguresFactory,
)
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def _enterprises_with_figures(n: int) -> list[Enterprise]:
    result = []
    for _ in range(n):
        e = EnterpriseFactory()
        AnnualFiguresFactory(enterprise=e, year=2023)
        AnnualFiguresFactory(enterprise=e, year=2024)
        QuarterlyFiguresFactory(enterprise=e, period=PeriodFactory(year=2024, quarter=1))
        result.append(e)
    return result


def test_enterprise_list_query_count_is_flat(staff_client):
    # session, user, groups (role), count, page of enterprises with their zone, zones for the
    # filter form, and the session renewal (savepoint, update, release) = 9
    _enterprises_with_figures(3)
    small = count_queries(lambda: staff_client.get("/enterprises/"))
    _enterprises_with_figures(30)
    large = count_queries(lambda: staff_client.get("/enterprises/"))
    assert small == large == 9


def test_enterprise_list_filters(staff_client):
    a = EnterpriseFactory(name="甲光电", industry_division="39")
    b = EnterpriseFactory(name="乙食品", industry_division="14")
    html = staff_client.get("/enterprises/", {"section": "C", "q": "光电"}).content.decode()
    assert a.name in html and b.name not in html
    html = staff_client.get("/enterprises/", {"q": b.credit_code.lower()}).content.decode()
    assert b.name in html and a.name not in html


def test_enterprise_detail_query_count_is_flat(leader_client):
    # session, user, groups, enterprise(+zone), annual, quarterly(+period), qualifications,
    # transitions, kinds, annual (facts), titles, innovation profile, the other apps' profile
    # sections (incubation 3, digital 3, talent 3, finance 2, evidence 1), session renewal (3)
    # = 26, once the content-type cache is warm.
    [e] = _enterprises_with_figures(1)
    leader_client.get(f"/enterprises/{e.pk}/")
    small = count_queries(lambda: leader_client.get(f"/enterprises/{e.pk}/"))
    for year in range(2015, 2023):
        AnnualFiguresFactory(enterprise=e, year=year)
    for q in (2, 3, 4):
        QuarterlyFiguresFactory(enterprise=e, period=PeriodFactory(year=2024, quarter=q))
    large = count_queries(lambda: leader_client.get(f"/enterprises/{e.pk}/"))
    assert small == large == 26


def test_enterprise_detail_shows_figures_in_wan(staff_client):
    e = EnterpriseFactory()
    AnnualFiguresFactory(enterprise=e, year=2024, revenue=Decimal("123456789"))
    html = staff_client.get(f"/enterprises/{e.pk}/").content.decode()
    assert "12,345.68" in html


def test_portal_home_lists_due_periods_and_activities(enterprise_client, enterprise):
    due = PeriodFactory(year=2026, quarter=3)
    done = PeriodFactory(year=2026, quarter=2)
    QuarterlyFiguresFactory(enterprise=enterprise, period=done)
    PeriodFactory(year=2025, quarter=4, status=PeriodStatus.LOCKED)
    activity = ActivityFactory()
    activity.enterprises.add(enterprise)
    response = enterprise_client.get("/portal/")
    html = response.content.decode()
    assert f"/portal/quarterly/{due.pk}/" in html
    assert f"/portal/quarterly/{done.pk}/" not in html
    assert response.context["activity_count"] == 1


def test_portal_pages_query_counts_are_flat(enterprise_client, enterprise):
    def load():
        for url in ("/portal/", "/portal/quarterly/", "/portal/annual/", "/portal/profile/"):
            assert enterprise_client.get(url).status_code == 200

    for q in (1, 2):
        QuarterlyFiguresFactory(enterprise=enterprise, period=PeriodFactory(year=2025, quarter=q))
    small = count_queries(load)
    for year in range(2019, 2025):
        AnnualFiguresFactory(enterprise=enterprise, year=year)
        for q in (1, 2, 3, 4):
            QuarterlyFiguresFactory(
                enterprise=enterprise, period=PeriodFactory(year=year, quarter=q)
            )
    assert count_queries(load) == small


def test_portal_profile_edits_own_enterprise_only(enterprise_client, enterprise, other_enterprise):
    data = {
        "name": enterprise.name,
        "industry_division": "39",
        "size_class": "medium",
        "contact_person": "王丽",
        "contact_phone": "0564-8600001",
        "credit_code": other_enterprise.credit_code,  # ignored: not a profile field
        **token(enterprise),
    }
    response = enterprise_client.post("/portal/profile/", data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    other_enterprise.refresh_from_db()
    assert enterprise.contact_person == "王丽" and enterprise.size_class == "medium"
    assert enterprise.credit_code != other_enterprise.credit_code
    assert enterprise.history.count() == 2


def test_portal_annual_figures_saved_for_own_enterprise(enterprise_client, enterprise):
    response = enterprise_client.post(
        "/portal/annual/2024/",
        {
            "revenue": "500",  # 万元 (5,000,000 万元 for 40 people fails the quality gate)
            "employees": "40",
            "tech_staff": "12",
            "invention_patents": "1",
            "other_class1_ip": "0",
            "utility_models": "3",
            "design_patents": "0",
            "software_copyrights": "2",
        },
    )
    assert response.status_code == 302
    saved = AnnualFigures.objects.get(enterprise=enterprise, year=2024)
    assert saved.class1_ip == 1 and saved.class2_ip == 5


def test_portal_annual_refuses_tech_staff_above_employees(enterprise_client, enterprise):
    response = enterprise_client.post(
        "/portal/annual/2024/",
        {
            "employees": "10",
            "tech_staff": "12",
            "invention_patents": "0",
            "other_class1_ip": "0",
            "utility_models": "0",
            "design_patents": "0",
            "software_copyrights": "0",
        },
    )
    assert response.status_code == 200
    assert "科技人员不能多于从业人员" in response.content.decode()
    assert not AnnualFigures.objects.exists()


def test_portal_annual_future_year_is_404(enterprise_client):
    assert enterprise_client.get("/portal/annual/2999/").status_code == 404


def test_enterprise_user_sees_only_own_quarterly_figures(outsider_client, enterprise):
    period = PeriodFactory()
    QuarterlyFiguresFactory(enterprise=enterprise, period=period, revenue_ytd=Decimal("98765432"))
    html = outsider_client.get("/portal/quarterly/").content.decode()
    assert "9,876.54" not in html
    html = outsider_client.get(f"/portal/quarterly/{period.pk}/").content.decode()
    assert "98765432" not in html
