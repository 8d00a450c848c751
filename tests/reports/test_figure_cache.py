"""The dashboard keeps computed figures per data version: fast for readers, never stale.

Each test gets a private in-memory cache and turns the figure cache on (the suite keeps it off,
see tests/conftest.py).
"""

import uuid
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from bureau import figures as registry
from bureau.models import Activity, ActivityKind, Target, User
from enterprises.models import ParkZone
from reports import tasks
from reports.selectors import dashboard_data, figure_values
from tests.factories import EnterpriseFactory, ParkZoneFactory, TargetFactory

from .conftest import enterprise_source

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


@pytest.fixture
def figure_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"figures-{uuid.uuid4().hex}",
        }
    }
    settings.FIGURE_CACHE_SECONDS = 600
    from django.core.cache import caches

    caches._settings = None  # noqa: SLF001 - let the handler read the overridden setting
    yield
    caches._settings = None  # noqa: SLF001


def counting(source):
    """The source, counting its calls in `.calls`."""

    def wrapped(year, quarter=None):
        wrapped.calls += 1
        return source(year, quarter)

    wrapped.calls = 0
    return wrapped


def test_values_are_computed_once_per_version(figure_cache, figure_sources):
    EnterpriseFactory.create_batch(3)
    source = counting(enterprise_source)
    figure_sources(enterprises=source)
    first = figure_values(2024)
    again = figure_values(2024)
    assert source.calls == 1
    assert again["enterprises.hitech_new"].value == first["enterprises.hitech_new"].value == 3
    assert again["enterprises.hitech_new"].records is None  # values only: records stay behind
    figure_values(2024, 2)
    figure_values(2023)
    assert source.calls == 3  # each (year, quarter) is its own entry


def test_a_saved_record_shows_at_once(figure_cache, figure_sources):
    EnterpriseFactory.create_batch(3)
    figure_sources(enterprises=enterprise_source)
    assert figure_values(2024)["enterprises.hitech_new"].value == 3
    EnterpriseFactory()
    assert figure_values(2024)["enterprises.hitech_new"].value == 4


def test_a_deleted_record_shows_at_once(figure_cache, figure_sources):
    firms = EnterpriseFactory.create_batch(3)
    figure_sources(enterprises=enterprise_source)
    assert figure_values(2024)["enterprises.hitech_new"].value == 3
    firms[0].delete()
    assert figure_values(2024)["enterprises.hitech_new"].value == 2


def test_many_to_many_changes_and_bulk_writes_start_a_new_version(figure_cache, staff_user):
    kind = ActivityKind.objects.get(code="meeting")
    activity = Activity.objects.create(kind=kind, date="2024-05-01", topic="数字化转型推进会")
    before = registry.data_version()
    activity.enterprises.add(EnterpriseFactory())
    after_m2m = registry.data_version()
    assert after_m2m != before
    Target.objects.bulk_create([Target(year=2030, figure_key="x.y", label="x", target_value=1)])
    assert registry.data_version() == after_m2m  # bulk writes send no signal: callers mark
    registry.mark_changed()
    assert registry.data_version() != after_m2m


def test_changes_no_figure_reads_keep_the_version(figure_cache, staff_user):
    before = registry.data_version()
    User.objects.filter(pk=staff_user.pk).first().save()  # e.g. last_login on every login
    assert registry.data_version() == before


def test_a_change_is_marked_again_when_its_transaction_commits(
    figure_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registry.mark_changed()
        during = registry.data_version()
    for callback in callbacks:
        callback()
    # A figure computed from the uncommitted state during the transaction is not kept.
    assert registry.data_version() != during


def test_an_excel_import_starts_a_new_version(figure_cache, staff_user):
    from bureau.importing import run_import
    from enterprises.imports import EnterpriseResource
    from tests.enterprises.test_imports import dataset, enterprise_row

    ParkZoneFactory(name="光电信息产业园")
    before = registry.data_version()
    outcome = run_import(
        EnterpriseResource(), dataset([enterprise_row(1)]), dry_run=False, user=staff_user
    )
    assert outcome.ok and outcome.new == 1
    assert registry.data_version() != before


def test_a_dry_run_keeps_the_version(figure_cache, staff_user):
    from bureau.importing import run_import
    from enterprises.imports import EnterpriseResource
    from tests.enterprises.test_imports import dataset, enterprise_row

    ParkZoneFactory(name="光电信息产业园")
    before = registry.data_version()
    run_import(EnterpriseResource(), dataset([enterprise_row(1)]), dry_run=True, user=staff_user)
    assert registry.data_version() == before


def test_each_filter_and_language_has_its_own_entry(figure_cache, figure_sources, leader_client):
    zone_a, zone_b = ParkZoneFactory(name="东区"), ParkZoneFactory(name="西区")
    EnterpriseFactory.create_batch(2, zone=zone_a)
    EnterpriseFactory.create_batch(5, zone=zone_b)
    figure_sources(enterprises=enterprise_source)

    def tiles(**params):
        response = leader_client.get(URL, {"year": 2024, **params})
        return {t.key: t.value for t in response.context["data"].tiles}

    assert tiles()["enterprises.hitech_new"] == 7
    assert tiles(zone=zone_a.pk)["enterprises.hitech_new"] == 2
    assert tiles(zone=zone_b.pk)["enterprises.hitech_new"] == 5
    assert tiles()["enterprises.hitech_new"] == 7
    calls = counting(enterprise_source)
    figure_sources(enterprises=calls)
    with translation.override("en"):
        dashboard_data(2024)
    assert calls.calls == 6  # English computed anew: the year, the year before, four quarters
    with translation.override("zh-hans"):
        dashboard_data(2024)
    assert calls.calls == 6  # Chinese still kept from the page


@pytest.mark.parametrize("n", [3, 30])
def test_warm_dashboard_needs_no_figure_queries(
    figure_cache, figure_sources, leader_client, django_assert_num_queries, n
):
    EnterpriseFactory.create_batch(n)
    TargetFactory(year=2024, figure_key="enterprises.hitech_new", label="高企", target_value=8)
    figure_sources(enterprises=enterprise_source)
    leader_client.get(URL, {"year": 2024})  # computes and keeps
    # session + user + groups = 3; the year's targets = 1; the filter's zone choices = 1;
    # the session saved (savepoint, update, release) = 3. No figure, no panel query.
    with django_assert_num_queries(8):
        response = leader_client.get(URL, {"year": 2024})
    assert response.context["data"].targets[0].value == n


def test_warm_task_fills_the_cache_for_this_year_and_last(figure_cache, figure_sources):
    from reports.filters import DashboardFilter

    zone = ParkZoneFactory(name="东区")
    EnterpriseFactory.create_batch(2, zone=zone)
    source = counting(enterprise_source)
    figure_sources(enterprises=source)
    assert tasks.warm_dashboard.delay([2024]).get() == [2024]
    computed = source.calls
    # The year, the year before, four quarters; the summary's year; and the same six for the
    # dashboard of each zone and of each industry section that has enterprises.
    zones = ParkZone.objects.count()
    sections = tasks._sections_by_size()
    assert sections and computed == 7 + 6 * (zones + len(sections))
    dashboard_data(2024)
    figure_values(2024)
    flt = DashboardFilter({"year": "2024", "zone": str(zone.pk)})
    assert flt.is_valid()
    data = dashboard_data(2024, enterprises=flt.qs, scope=flt.scope)
    assert source.calls == computed
    assert {t.key: t.value for t in data.tiles}["enterprises.hitech_new"] == 2
    flt = DashboardFilter({"year": "2024", "industry": sections[0]})
    assert flt.is_valid()
    dashboard_data(2024, enterprises=flt.qs, scope=flt.scope)
    assert source.calls == computed  # the industry view is kept too


def test_sections_by_size_largest_first(db):
    from enterprises import industries

    EnterpriseFactory.create_batch(3, industry_division="39")  # C 制造业
    EnterpriseFactory.create_batch(1, industry_division="65")  # I 信息技术
    assert tasks._sections_by_size()[:2] == [
        industries.section_of("39"),
        industries.section_of("65"),
    ]


def test_a_warming_run_leaves_filtered_views_past_its_budget(
    figure_cache, figure_sources, monkeypatch
):
    ParkZoneFactory(name="东区")
    source = counting(enterprise_source)
    figure_sources(enterprises=source)
    monkeypatch.setattr(tasks, "WARM_FILTERED_BUDGET_SECONDS", -1)
    assert tasks.warm_dashboard.delay([2024]).get() == [2024]
    assert source.calls == 7  # the unfiltered views only


def test_a_warming_run_leaves_the_work_to_one_already_running(figure_cache, figure_sources):
    from django.core.cache import cache

    source = counting(enterprise_source)
    figure_sources(enterprises=source)
    cache.add(tasks.WARM_LOCK_KEY, 1, 60)
    assert tasks.warm_dashboard.delay([2024]).get() == []
    assert source.calls == 0
    cache.delete(tasks.WARM_LOCK_KEY)
    assert tasks.warm_dashboard.delay([2024]).get() == [2024]
    assert cache.get(tasks.WARM_LOCK_KEY) is None  # freed after the run


def test_changes_schedule_one_warming_only_with_a_broker(figure_cache):
    from bureau.celery import app

    with mock.patch.object(tasks.warm_dashboard, "apply_async") as apply_async:
        tasks.schedule_warm()
        assert apply_async.call_count == 0  # eager (no broker): saves must not wait for it
        app.conf.task_always_eager = False
        try:
            tasks.schedule_warm()
            tasks.schedule_warm()  # within the debounce window: joins the first
        finally:
            app.conf.task_always_eager = True
    apply_async.assert_called_once_with(countdown=tasks.WARM_DELAY_SECONDS)


def test_figure_cache_off_computes_every_time(settings, figure_sources):
    settings.FIGURE_CACHE_SECONDS = 0
    EnterpriseFactory.create_batch(2)
    source = counting(enterprise_source)
    figure_sources(enterprises=source)
    figure_values(2024)
    figure_values(2024)
    assert source.calls == 2


def test_drilldown_computes_only_the_figures_own_app(figure_sources, staff_client):
    from .conftest import finance_source

    EnterpriseFactory.create_batch(2)
    firms, money = counting(enterprise_source), counting(finance_source)
    figure_sources(enterprises=firms, finance=money)
    response = staff_client.get(
        reverse("reports:figure_records", args=["enterprises.hitech_new"]), {"year": 2024}
    )
    assert response.status_code == 200
    assert (firms.calls, money.calls) == (1, 0)


def test_every_published_key_starts_with_its_apps_label():
    """The drill-down finds a figure's source by the key's first part."""
    for label, source in registry.sources().items():
        for quarter in (None, 2):
            keys = [f.key for f in source(2024, quarter)]
            assert keys and all(k.startswith(f"{label}.") for k in keys), (label, keys)


def test_dashboard_says_when_its_figures_were_computed(figure_cache, figure_sources, leader_client):
    from django.utils import timezone

    EnterpriseFactory.create_batch(2)
    figure_sources(enterprises=enterprise_source)
    first = leader_client.get(URL, {"year": 2024}).context["data"].computed_at
    response = leader_client.get(URL, {"year": 2024})
    assert response.context["data"].computed_at == first  # kept, not computed again
    shown = timezone.localtime(first).strftime("%Y-%m-%d %H:%M")
    assert f"数据统计于 {shown}" in response.content.decode()
    EnterpriseFactory()  # a change: the next reader gets figures computed anew
    response = leader_client.get(URL, {"year": 2024})
    assert response.context["data"].computed_at > first


def test_keys_pass_to_sources_that_take_them_and_bound_the_result(figure_sources):
    from .conftest import finance_source

    told = []

    def keyed(year, quarter=None, *, keys=None):
        told.append(keys)
        return enterprise_source(year, quarter)

    EnterpriseFactory.create_batch(2)
    money = counting(finance_source)
    figure_sources(enterprises=keyed, finance=money)
    from reports.selectors import collect

    got = collect(2024, 1, keys=["enterprises.hitech_new"])
    assert set(got) == {"enterprises.hitech_new"}  # only what was asked, whatever came back
    assert told == [frozenset({"enterprises.hitech_new"})]
    assert money.calls == 0  # an app none of whose figures is asked is not called
    plain = collect(2024, keys=["enterprises.hitech_new", "finance.signed_on_site"])
    assert set(plain) == {"enterprises.hitech_new", "finance.signed_on_site"}
    assert money.calls == 1  # a source without the keyword is called as before
    tiers = collect(2024, keys=["enterprises.tiers."])  # a key ending in "." is a prefix
    assert set(tiers) == {"enterprises.tiers.hitech", "enterprises.tiers.tech_sme"}
