"""Kept figures are invalidated by what changed (issue 16): each app's figures are kept under
the versions of the data they read (bureau.figures.reads), so an edit in talent leaves
finance's figures in place; one reader at a time computes a cold entry; a filtered recount
counts distinct ids.

Each test gets a private in-memory cache and turns the figure cache on (the suite keeps it off,
see tests/conftest.py). The sources are the apps' real ones, counted.
"""

import datetime
import functools
import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau import figures as registry
from bureau.models import ApplicationStatus
from bureau.services import transition_application
from reports import selectors
from reports.selectors import (
    MONEY_TREND_KEYS,
    TREND_KEYS,
    dashboard_data,
    figure_values,
    narrow,
)
from talent.models import TalentCategory
from tests.enterprises.factories import QualificationFactory
from tests.factories import EnterpriseFactory, ParkZoneFactory
from tests.finance.factories import SigningFactory
from tests.talent.factories import TalentFactory

from .conftest import finance_source

pytestmark = pytest.mark.django_db

YEAR = 2024


@pytest.fixture
def figure_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"versions-{uuid.uuid4().hex}",
        }
    }
    settings.FIGURE_CACHE_SECONDS = 600
    from django.core.cache import caches

    caches._settings = None  # noqa: SLF001 - let the handler read the overridden setting
    yield
    caches._settings = None  # noqa: SLF001


@pytest.fixture
def counted(monkeypatch):
    """The apps' real figure sources, each counting its calls: {app label: calls}."""
    calls: dict[str, int] = {}
    real = registry.sources()

    def counting(label, source):
        @functools.wraps(source)  # keeps the signature: collect passes `keys` where taken
        def wrapped(*args, **kwargs):
            calls[label] += 1
            return source(*args, **kwargs)

        return wrapped

    for label in real:
        calls[label] = 0
    wrapped = {label: counting(label, source) for label, source in real.items()}
    monkeypatch.setattr(registry, "sources", lambda: dict(wrapped))
    return calls


@pytest.fixture
def records(db):
    """A little of everything the edits below touch: a talent, a signing, a qualification."""
    zone = ParkZoneFactory(name="东区")
    firm = EnterpriseFactory(zone=zone)
    return {
        "zone": zone,
        "firm": firm,
        "talent": TalentFactory(enterprise=firm),
        "signing": SigningFactory(enterprise=firm, amount=Decimal("3000000")),
        "qualification": QualificationFactory(enterprise=firm, status=ApplicationStatus.PREPARING),
    }


def moved(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {label for label in after if after[label] != before[label]}


def test_an_edit_in_talent_leaves_the_other_apps_figures_kept(
    figure_cache, counted, records, leader_client, django_assert_num_queries
):
    leader_client.get("/dashboard/", {"year": YEAR})  # computes every app's and keeps them
    before = dict(counted)
    assert all(before.values())
    # Finance's entry of the first quarter's trend (the dashboard's own request keys).
    finance_entry = selectors.kept_entry("finance", YEAR, 1, keys=TREND_KEYS + MONEY_TREND_KEYS)
    finance_kept = selectors.cache.get(finance_entry[0])
    assert finance_kept is not None

    talent = records["talent"]
    talent.category = TalentCategory.EXECUTIVE
    talent.save()  # through the ORM: post_save moves talent's version only

    # The finance entry is still there, under the same key, with the same values.
    assert (
        selectors.kept_entry("finance", YEAR, 1, keys=TREND_KEYS + MONEY_TREND_KEYS)
        == finance_entry
    )
    assert selectors.cache.get(finance_entry[0]) == finance_kept

    from talent import metrics as talent_metrics

    with CaptureQueriesContext(connection) as one_call:
        talent_metrics.figures(YEAR)
    per_call = len(one_call)
    with CaptureQueriesContext(connection) as one_trend:
        talent_metrics.figures(YEAR, 1, keys=TREND_KEYS + MONEY_TREND_KEYS)
    per_trend = len(one_trend)
    assert per_trend < per_call
    # The warm page's 8 (session, user, groups, targets, zone choices, session saved: see
    # test_figure_cache.test_warm_dashboard_needs_no_figure_queries) and talent's queries for
    # each of its 6 entries: all its figures for the year and the year before, the trend's
    # roster counts only for the four quarters; no other app's, and no panel (no panel reads
    # talent).
    with django_assert_num_queries(8 + 2 * per_call + 4 * per_trend) as captured:
        response = leader_client.get("/dashboard/", {"year": YEAR})
    assert response.status_code == 200
    assert moved(before, counted) == {"talent"}
    assert counted["talent"] - before["talent"] == 6
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert '"finance_' not in sql and '"digital_' not in sql and '"incubation_' not in sql
    tiles = {t.key: t.value for t in response.context["data"].tiles}
    assert tiles["talent.executives"] == 1  # the edit shows at once
    assert tiles["finance.signed_on_site"] == Decimal("3000000.00")


def test_an_enterprise_edit_colds_every_app_that_reads_enterprises(figure_cache, counted, records):
    readers = {label for label in counted if "enterprises" in registry.reads(label)}
    assert readers == {"enterprises"}  # by the metrics modules' declarations
    dashboard_data(YEAR)
    flt = _zone_filter(records["zone"])
    dashboard_data(YEAR, enterprises=flt.qs, scope=flt.scope)
    before = dict(counted)

    firm = records["firm"]
    firm.name = "更名后的企业"
    firm.save()

    dashboard_data(YEAR)
    assert moved(before, counted) == readers  # unfiltered: finance, talent… stay kept
    middle = dict(counted)
    # A filtered view reads the enterprises' zones: every app's filtered figures are cold.
    dashboard_data(YEAR, enterprises=flt.qs, scope=flt.scope)
    assert moved(middle, counted) == set(counted)


def test_a_status_transition_colds_the_applications_app_only(figure_cache, counted, records):
    dashboard_data(YEAR)
    before = dict(counted)
    transition_application(records["qualification"], ApplicationStatus.SUBMITTED)
    dashboard_data(YEAR)
    assert moved(before, counted) == {"enterprises"}


def test_mark_changed_without_apps_colds_all_and_with_apps_only_those(figure_cache, counted):
    dashboard_data(YEAR)
    before = dict(counted)
    registry.mark_changed("an import of signings", apps=["finance"])
    dashboard_data(YEAR)
    assert moved(before, counted) == {"finance"}
    middle = dict(counted)
    registry.mark_changed("a bulk import")  # app unknown: everything
    dashboard_data(YEAR)
    assert moved(middle, counted) == set(counted)


def test_a_bureau_activity_colds_the_apps_that_read_activities(figure_cache, counted):
    from bureau.models import Activity, ActivityKind

    dashboard_data(YEAR)
    before = dict(counted)
    kind = ActivityKind.objects.get(code="policy_seminar")
    Activity.objects.create(kind=kind, date=datetime.date(YEAR, 5, 1), topic="高企政策宣讲")
    dashboard_data(YEAR)
    assert moved(before, counted) == {"bureau", "digital", "talent", "finance"}


def _zone_filter(zone):
    from reports.filters import DashboardFilter

    flt = DashboardFilter({"year": str(YEAR), "zone": str(zone.pk)})
    assert flt.is_valid() and flt.narrows
    return flt


# --- Single flight ----------------------------------------------------------------------------


def blocking_source(started: threading.Event, release: threading.Event, calls: list):
    """finance_source, waiting for `release` after saying it `started` (no database)."""

    def source(year, quarter=None):
        calls.append(year)
        started.set()
        assert release.wait(10)
        return finance_source(year, quarter)

    return source


def test_two_readers_of_a_cold_entry_compute_it_once(figure_cache, figure_sources):
    started, release, calls = threading.Event(), threading.Event(), []
    figure_sources(finance=blocking_source(started, release, calls))
    results = []

    def read():
        results.append(figure_values(YEAR)["finance.signed_on_site"].value)

    first = threading.Thread(target=read)
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=read)
    second.start()
    second.join(0.3)
    assert second.is_alive()  # waiting for the first reader's result, not computing
    release.set()
    first.join(10)
    second.join(10)
    assert calls == [YEAR]
    assert results == [Decimal("200000000")] * 2


def test_a_reader_tired_of_waiting_serves_the_last_value_with_its_time(
    figure_cache, figure_sources, monkeypatch
):
    figure_sources(finance=finance_source)
    _values, kept_at = selectors.kept_values(YEAR)
    registry.mark_changed(apps=["finance"])  # the kept entry is cold now

    started, release, calls = threading.Event(), threading.Event(), []
    figure_sources(finance=blocking_source(started, release, calls))
    monkeypatch.setattr(selectors, "LOCK_WAIT_SECONDS", 0.2)
    leader = threading.Thread(target=selectors.kept_values, args=(YEAR,))
    leader.start()
    current = []
    try:
        assert started.wait(10)
        values, at = selectors.kept_values(YEAR, serve_last=True)  # the dashboard's way
        assert calls == [YEAR]  # served without computing
        # A reader that must be current (a summary's snapshot) computes after waiting.
        snapshot = threading.Thread(target=lambda: current.append(selectors.kept_values(YEAR)))
        snapshot.start()
        for _ in range(200):
            if len(calls) == 2:
                break
            snapshot.join(0.05)
        assert calls == [YEAR, YEAR]
    finally:
        release.set()
        leader.join(10)
    snapshot.join(10)
    assert at == kept_at  # the last value, with the moment it was computed
    assert values["finance.signed_on_site"].value == Decimal("200000000")
    assert current[0][1] > kept_at


def test_a_reader_computes_when_the_cache_cannot_take_the_lock(figure_sources, settings, caplog):
    from unittest import mock

    from django.core.cache import caches

    settings.FIGURE_CACHE_SECONDS = 600
    figure_sources(finance=finance_source)
    assert (
        selectors.kept_entry("finance", YEAR) is not None
    )  # the versions exist: only the lock fails
    with mock.patch.object(caches["default"], "add", side_effect=ConnectionError("down")):
        assert figure_values(YEAR)["finance.signed_on_site"].value == Decimal("200000000")
    assert any("computed in the request" in r.getMessage() for r in caplog.records)


# --- narrow() ---------------------------------------------------------------------------------


def test_narrow_counts_distinct_ids_not_distinct_rows(records):
    from enterprises import metrics as enterprise_metrics
    from enterprises.models import Enterprise

    figures = {f.key: f for f in enterprise_metrics.figures(YEAR)}
    figure = figures["enterprises.registered"]  # records select the zone: many columns
    inside = Enterprise.objects.filter(zone=records["zone"])
    with CaptureQueriesContext(connection) as captured:
        narrowed = narrow(figure, inside)
    assert narrowed.value == 1
    [count] = [q["sql"] for q in captured.captured_queries]
    assert "COUNT(DISTINCT" in count.upper()
    assert "SELECT DISTINCT" not in count.upper()
    # Enterprise records take the filter's condition on the same rows: no second scan of the
    # enterprises joined back by id.
    assert '"enterprises_enterprise" U0' not in count
    assert list(narrowed.records) == [records["firm"]]  # the drill-down keeps its records


def test_a_filtered_drilldown_counts_its_pages_by_distinct_ids(records, staff_client):
    import re

    from django.urls import reverse

    url = reverse("reports:figure_records", args=["enterprises.registered"])
    with CaptureQueriesContext(connection) as captured:
        response = staff_client.get(url, {"year": YEAR, "zone": records["zone"].pk})
    assert response.status_code == 200
    assert [r.pk for r in response.context["page"]] == [records["firm"].pk]
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts
    for sql in counts:
        # No COUNT(*) over a SELECT DISTINCT of every column; one column at most.
        selected = re.findall(r"SELECT DISTINCT (.*?) FROM", sql, flags=re.IGNORECASE)
        assert all("," not in columns for columns in selected), sql
