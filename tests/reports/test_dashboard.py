"""The leadership dashboard over the figure registry, with fake sources (other apps absent)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from bureau.figures import Figure
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


# --- Charts follow every filter; empty, exceeded and default year --------------------------


def quarterly_source(year: int, quarter: int | None = None) -> list[Figure]:
    """Tiers that grow by quarter (3 per quarter, 12 for the year) and a zero distribution."""
    q = quarter or 4
    return [
        Figure("enterprises.hitech_new", "新培育高新技术企业", "家", 2 * q, year, quarter),
        Figure("enterprises.tiers.hitech", "高新技术企业", "家", 3 * q, year, quarter),
        Figure("enterprises.tiers.tech_sme", "科技型中小企业", "家", q, year, quarter),
        Figure("digital.levels.1", "一级", "家", 0, year, quarter),
        Figure("digital.levels.2", "二级", "家", 0, year, quarter),
    ]


def test_quarter_filter_cuts_the_trend_at_that_quarter_and_the_distributions_to_its_end(
    figure_sources, leader_client
):
    figure_sources(enterprises=quarterly_source, digital=quarterly_source)
    response = leader_client.get(URL, {"year": 2024, "quarter": 2})
    chart = response.context["chart_data"]
    assert chart["trends"]["quarters"] == ["第1季度", "第2季度"]
    series = {s["key"]: s for s in chart["trends"]["series"]}
    assert series["enterprises.hitech_new"]["data"] == [2, 4]
    tiers = next(d for d in chart["distributions"] if d["code"] == "tiers")
    assert {i["name"]: i["value"] for i in tiers["items"]} == {
        "高新技术企业": 6,
        "科技型中小企业": 2,
    }
    whole = leader_client.get(URL, {"year": 2024}).context["chart_data"]
    assert len(whole["trends"]["quarters"]) == 4
    assert {i["value"] for i in whole["distributions"][0]["items"]} == {12, 4}


def test_all_zero_distribution_shows_the_empty_note_not_a_chart(figure_sources, leader_client):
    figure_sources(enterprises=quarterly_source, digital=quarterly_source)
    response = leader_client.get(URL, {"year": 2024})
    levels = next(
        d for d in response.context["data"].distributions if d["code"] == "digital_levels"
    )
    assert levels["items"] and levels["empty"] is True
    body = response.content.decode()
    assert 'id="chart-digital_levels"' not in body and 'id="chart-tiers"' in body
    js = (settings.BASE_DIR / "static" / "reports" / "dashboard.js").read_text()
    assert "dist.empty" in js  # the script draws no equal slices either


def test_progress_above_the_target_shows_its_percent_in_a_colour_of_its_own(
    figure_sources, leader_client
):
    EnterpriseFactory.create_batch(21)
    figure_sources(enterprises=enterprise_source)
    TargetFactory(year=2024, figure_key="enterprises.hitech_new", label="高企", target_value=20)
    (tile,) = dashboard_data(2024).targets
    assert (tile.percent, tile.bar_percent, tile.exceeded) == (105, 100, True)
    body = leader_client.get(URL, {"year": 2024}).content.decode()
    assert 'aria-valuenow="105"' in body and "105%" in body
    assert 'class="bar over"' in body and "width: 100%" in body
    css = (settings.BASE_DIR / "static" / "reports" / "reports.css").read_text()
    assert ".bar.over span" in css


def recent_source(year: int, quarter: int | None = None) -> list[Figure]:
    """Data up to two years ago; the last two years publish zeros only."""
    value = 7 if year <= timezone.localdate().year - 2 else 0
    return [Figure("enterprises.hitech_new", "新培育高新技术企业", "家", value, year, quarter)]


def test_dashboard_opens_on_the_latest_year_with_data_and_says_so(
    figure_sources, leader_client, django_assert_num_queries
):
    figure_sources(enterprises=recent_source)
    this_year = timezone.localdate().year
    # session + user + groups = 3; the probe of this year, last year and the one before
    # (figures without records: no query) = 0; the filter's zone choices = 1; the panels = 13;
    # targets = 1; session save = 3.
    with django_assert_num_queries(21):
        response = leader_client.get(URL)
    assert response.context["year"] == this_year - 2
    body = response.content.decode()
    assert f"当前显示：{this_year - 2}年全年" in body
    assert f"{this_year}年尚无数据，已显示最近有数据的{this_year - 2}年" in body
    assert f'<option value="{this_year - 2}" selected>' in body
    # asked for, the empty current year is shown as it is
    response = leader_client.get(URL, {"year": this_year})
    assert response.context["year"] == this_year and "尚无数据，已显示" not in (
        response.content.decode()
    )


def test_dashboard_opens_on_the_current_year_when_it_has_data(figure_sources, leader_client):
    EnterpriseFactory.create_batch(2)
    figure_sources(enterprises=enterprise_source)
    response = leader_client.get(URL)
    assert response.context["year"] == timezone.localdate().year
    assert "尚无数据，已显示" not in response.content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_quarter_filtered_dashboard_query_count_does_not_grow(
    figure_sources, leader_client, django_assert_num_queries, n
):
    EnterpriseFactory.create_batch(n)
    TargetFactory(year=2024, figure_key="enterprises.hitech_new", label="高企", target_value=8)
    figure_sources(enterprises=enterprise_source)
    # session + user + groups = 3; collects of the year and the year before to Q2, and of Q1
    # and Q2 for the trend, × one count each = 4; targets = 1; zone choices = 1; session save
    # = 3; the apps' panels = 13.
    with django_assert_num_queries(25):
        response = leader_client.get(URL, {"year": 2024, "quarter": 2})
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_default_year_dashboard_query_count_does_not_grow(
    figure_sources, leader_client, django_assert_num_queries, n
):
    EnterpriseFactory.create_batch(n)
    figure_sources(enterprises=enterprise_source)
    # As with a year asked for (27 less the one target's nothing: no targets here), plus the
    # probe of this year (one count) = 1.
    with django_assert_num_queries(28):
        response = leader_client.get(URL)
    assert response.context["year"] == timezone.localdate().year


def test_dashboard_says_which_year_it_shows_in_english_too(figure_sources, leader_client):
    figure_sources(enterprises=recent_source)
    this_year = timezone.localdate().year
    leader_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = leader_client.get(URL).content.decode()
    assert f"Showing the whole of {this_year - 2}." in body
    assert f"{this_year} has no data yet, so the latest year with data, {this_year - 2}" in body
    body = leader_client.get(URL, {"year": this_year - 2, "quarter": 3}).content.decode()
    assert f"Showing {this_year - 2}, to the end of quarter 3." in body


def test_target_tile_reads_in_its_figures_unit_not_the_unit_typed_on_the_target(
    figure_sources, leader_client
):
    EnterpriseFactory.create_batch(2)
    figure_sources(enterprises=enterprise_source)
    TargetFactory(
        year=2024, figure_key="enterprises.hitech_new", label="高企", target_value=8, unit="次"
    )
    (tile,) = dashboard_data(2024).targets
    assert tile.unit == tile.figure.unit == "家"
