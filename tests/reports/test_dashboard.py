"""The leadership dashboard over the figure registry, with fake sources (other apps absent)."""

import pytest
from django.urls import reverse

from bureau.models import Target
from reports.selectors import collect, dashboard_data
from tests.factories import EnterpriseFactory, ParkZoneFactory, TargetFactory

from .conftest import enterprise_source, finance_source

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


def test_registry_with_no_app_published_shows_every_summary_figure_as_missing(
    figure_sources, leader_client
):
    figure_sources()
    data = dashboard_data(2024)
    assert data.figures == {}
    assert data.tiles and all(t.figure is None for t in data.tiles)
    response = leader_client.get(URL, {"year": 2024})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("暂无数据") >= len(data.tiles)


def test_registry_with_apps_present_shows_their_values_and_year_on_year(
    figure_sources, leader_client
):
    EnterpriseFactory.create_batch(3)
    figure_sources(enterprises=enterprise_source, finance=finance_source)
    data = dashboard_data(2024)
    tiles = {t.key: t for t in data.tiles}
    assert tiles["enterprises.hitech_new"].value == 3
    assert tiles["finance.signed_on_site"].value == 200_000_000
    assert tiles["finance.signed_on_site"].change == 50_000_000
    assert str(tiles["finance.signed_on_site"].change_percent) == "33.3"
    assert tiles["talent.executives"].figure is None  # talent not published: missing
    body = leader_client.get(URL, {"year": 2024}).content.decode()
    assert "20,000.00" in body  # 2亿元 shown in 万元
    assert reverse("reports:figure_records", args=["enterprises.hitech_new"]) in body


def test_target_tile_shows_progress_against_the_years_target(figure_sources, leader_client):
    EnterpriseFactory.create_batch(4)
    figure_sources(enterprises=enterprise_source)
    TargetFactory(year=2024, figure_key="enterprises.hitech_new", label="高企", target_value=8)
    data = dashboard_data(2024)
    (tile,) = data.targets
    assert tile.value == 4 and tile.percent == 50
    body = leader_client.get(URL, {"year": 2024}).content.decode()
    assert 'aria-valuenow="50"' in body


def test_quarter_trends_and_distributions_come_from_the_figures(figure_sources):
    EnterpriseFactory.create_batch(4)
    figure_sources(enterprises=enterprise_source)
    data = dashboard_data(2024)
    series = {s["key"]: s for s in data.trends["series"]}
    assert series["enterprises.hitech_new"]["data"] == [1, 2, 3, 4]
    assert series["talent.executives"]["missing"] is True
    tiers = next(d for d in data.distributions if d["code"] == "tiers")
    assert {i["name"]: i["value"] for i in tiers["items"]} == {
        "高新技术企业": 4,
        "科技型中小企业": 8,
    }


def test_zone_filter_recounts_count_figures_and_drops_money_figures(figure_sources):
    zone_a, zone_b = ParkZoneFactory(name="东区"), ParkZoneFactory(name="西区")
    EnterpriseFactory.create_batch(2, zone=zone_a)
    EnterpriseFactory.create_batch(5, zone=zone_b)
    figure_sources(enterprises=enterprise_source, finance=finance_source)
    from enterprises.models import Enterprise

    figures = collect(2024, enterprises=Enterprise.objects.filter(zone=zone_a))
    assert figures["enterprises.hitech_new"].value == 2
    assert "finance.signed_on_site" not in figures  # a sum cannot be split by zone: missing


def test_dashboard_filter_by_zone_through_the_page(figure_sources, leader_client):
    zone_a = ParkZoneFactory(name="东区")
    EnterpriseFactory.create_batch(2, zone=zone_a)
    EnterpriseFactory.create_batch(5)
    figure_sources(enterprises=enterprise_source)
    response = leader_client.get(URL, {"year": 2024, "zone": zone_a.pk})
    assert response.status_code == 200
    tiles = {t.key: t for t in response.context["data"].tiles}
    assert tiles["enterprises.hitech_new"].value == 2
    drill = leader_client.get(
        reverse("reports:figure_records", args=["enterprises.hitech_new"]),
        {"year": 2024, "zone": zone_a.pk},
    )
    assert drill.context["page"].paginator.count == 2


@pytest.mark.parametrize("n", [3, 30])
def test_dashboard_query_count_does_not_grow_with_enterprises(
    figure_sources, leader_client, django_assert_num_queries, n
):
    EnterpriseFactory.create_batch(n)
    TargetFactory(year=2024, figure_key="enterprises.hitech_new", label="高企", target_value=8)
    figure_sources(enterprises=enterprise_source)
    # session + user + user's groups (role) = 3; six collects (year, year before, four
    # quarters) × one count each = 6; the year's targets = 1; the filter's zone choices = 1;
    # the session saved on every request (savepoint, update, release) = 3; the apps' panels:
    # innovation carriers 7, digital transformation 6 (their own tests keep them flat) = 13.
    with django_assert_num_queries(27):
        response = leader_client.get(URL, {"year": 2024})
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_filtered_dashboard_query_count_does_not_grow_with_enterprises(
    figure_sources, leader_client, django_assert_num_queries, n
):
    zone = ParkZoneFactory(name="东区")
    EnterpriseFactory.create_batch(n, zone=zone)
    figure_sources(enterprises=enterprise_source)
    # 3 (session, user, groups) + zone lookup for the filter form = 1; the year: one count +
    # four recounts of the four count figures = 5; the year before, for the tiles' change: one
    # count + recounts of the two tile figures = 3; four quarters × (one count + recounts of
    # the two charted figures) = 12; targets = 1; zone choices = 1; session save (savepoint,
    # update, release) = 3.
    with django_assert_num_queries(29):
        response = leader_client.get(URL, {"year": 2024, "zone": zone.pk})
    assert response.status_code == 200


def test_figure_records_lists_the_records_behind_a_figure(figure_sources, staff_client):
    firms = EnterpriseFactory.create_batch(3)
    figure_sources(enterprises=enterprise_source)
    response = staff_client.get(
        reverse("reports:figure_records", args=["enterprises.hitech_new"]), {"year": 2024}
    )
    body = response.content.decode()
    assert all(f.name in body for f in firms)


def test_figure_records_of_an_unpublished_figure_is_404(figure_sources, staff_client):
    figure_sources()
    response = staff_client.get(
        reverse("reports:figure_records", args=["talent.executives"]), {"year": 2024}
    )
    assert response.status_code == 404


def test_chart_library_is_served_locally(figure_sources, leader_client):
    figure_sources()
    body = leader_client.get(URL).content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in body
    assert "cdn" not in body.lower()
    assert Target.objects.count() == 0


def test_dashboard_shows_the_apps_panels_unless_filtered(leader_client):
    zone = ParkZoneFactory(name="西区")
    html = leader_client.get(URL, {"year": 2024}).content.decode()
    assert "创新载体（2024年）" in html and "示范园区项目进度" in html
    html = leader_client.get(URL, {"year": 2024, "zone": zone.pk}).content.decode()
    assert "创新载体（2024年）" not in html and "分项工作栏目不显示" in html
