"""Staff home, activity log and quick entry, leadership dashboard and drill-down."""

import datetime

import pytest

from bureau.models import Activity, ActivityKind
from tests.factories import ActivityFactory, EnterpriseFactory, TargetFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def _activities(n: int):
    kind = ActivityKind.objects.get(code="policy_seminar")
    for i in range(n):
        activity = ActivityFactory(kind=kind, date=datetime.date(2024, 1 + i % 12, 1))
        activity.enterprises.add(EnterpriseFactory(), EnterpriseFactory())


def test_activity_list_query_count_is_flat(staff_client):
    # session, user, groups, count, page (kind joined, participants counted), kinds for the
    # filter form, session renewal (savepoint, update, release) = 9
    _activities(3)
    small = count_queries(lambda: staff_client.get("/activities/"))
    _activities(30)
    assert count_queries(lambda: staff_client.get("/activities/")) == small == 9


def test_staff_home_query_count_is_flat(staff_client):
    _activities(3)
    small = count_queries(lambda: staff_client.get("/staff/"))
    _activities(30)
    assert count_queries(lambda: staff_client.get("/staff/")) == small


def test_quick_entry_creates_activity_with_participants(staff_client, staff_user):
    a, b = EnterpriseFactory(), EnterpriseFactory()
    kind = ActivityKind.objects.get(code="door_to_door")
    response = staff_client.post(
        "/activities/new/",
        {
            "kind": kind.pk,
            "date": "2024-06-03",
            "topic": "上门解读高企政策",
            "place": "企业现场",
            "attendance": "3",
            "enterprises": [a.pk, b.pk],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(topic="上门解读高企政策")
    assert set(activity.enterprises.all()) == {a, b}
    assert activity.created_by == staff_user and staff_user in activity.staff.all()


def test_quick_entry_requires_kind_and_date(staff_client):
    response = staff_client.post("/activities/new/", {"topic": "缺少类型"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"kind", "date"}
    assert not Activity.objects.exists()


def test_leadership_cannot_log_activities(leader_client):
    assert leader_client.get("/activities/new/").status_code == 403
    assert leader_client.post("/activities/new/", {"topic": "x"}).status_code == 403


def test_dashboard_counts_activities_against_targets(leader_client):
    TargetFactory(year=2024, figure_key="bureau.activities.policy_seminar", target_value=10)
    _activities(12)
    response = leader_client.get("/dashboard/", {"year": 2024})
    [progress] = response.context["data"].targets
    assert progress.value == 12 and progress.percent == 120  # above target shows as such
    figure = response.context["data"].figures["bureau.activities.policy_seminar"]
    assert figure.value == 12


def test_dashboard_query_count_is_flat(leader_client):
    TargetFactory(year=2024)
    _activities(3)
    small = count_queries(lambda: leader_client.get("/dashboard/", {"year": 2024}))
    _activities(30)
    assert count_queries(lambda: leader_client.get("/dashboard/", {"year": 2024})) == small


def test_figure_drill_down_lists_the_records(leader_client):
    _activities(2)
    ActivityFactory(kind=ActivityKind.objects.get(code="training"), topic="不应出现的培训")
    response = leader_client.get(
        "/dashboard/figures/bureau.activities.policy_seminar/", {"year": 2024}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "政策宣讲第" in html and "不应出现的培训" not in html


def test_unknown_figure_is_404(leader_client):
    assert leader_client.get("/dashboard/figures/nope.nothing/").status_code == 404


def test_missing_figure_shows_as_missing_not_zero(leader_client):
    TargetFactory(year=2024, figure_key="talent.not_built_yet", label="尚未建设的指标")
    response = leader_client.get("/dashboard/", {"year": 2024})
    [progress] = response.context["data"].targets
    assert progress.figure is None and progress.value is None
    assert "暂无数据" in response.content.decode()
