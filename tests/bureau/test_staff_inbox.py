"""The staff inbox on /staff/: what enterprises submitted and nobody has handled yet, who
handles it, its status and wait; handling an item tells the enterprise."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import InboxItem, InboxKind, InboxStatus, Kind, Notification
from tests.factories import EnterpriseFactory, PeriodFactory

pytestmark = pytest.mark.django_db


def post_need(client, purpose="购置检测设备"):
    return client.post(
        "/finance/portal/needs/",
        {"amount_wan": "300", "purpose": purpose, "term_months": "12"},
    )


def test_a_need_posted_in_the_portal_waits_in_the_inbox(
    enterprise_client, staff_client, enterprise
):
    assert post_need(enterprise_client).status_code == 302
    [item] = InboxItem.objects.all()
    assert item.kind == InboxKind.FINANCING_NEED and item.status == InboxStatus.NEW
    assert item.enterprise == enterprise
    page = staff_client.get("/staff/").content.decode()
    assert "发布融资需求：购置检测设备" in page
    assert f'data-inbox-item="{item.pk}"' in page
    assert "待受理" in page


def test_a_need_entered_by_staff_is_not_an_inbox_item(staff_user, enterprise):
    from decimal import Decimal

    from finance import services

    services.post_need(enterprise=enterprise, by=staff_user, amount=Decimal("1000000"), purpose="x")
    assert not InboxItem.objects.exists()


def test_taking_up_an_item_assigns_it_and_tells_the_enterprise(
    enterprise_client, staff_client, staff_user, enterprise_user, outsider_user
):
    post_need(enterprise_client)
    item = InboxItem.objects.get()
    response = staff_client.post(reverse("notifications:inbox_take", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == InboxStatus.TAKEN and item.assignee == staff_user
    [n] = Notification.objects.filter(kind=Kind.SUBMISSION_HANDLED)
    assert n.recipient == enterprise_user
    assert "已受理" in n.title and "融资需求" in n.title
    assert n.url == "/finance/portal/needs/"
    page = staff_client.get("/staff/").content.decode()
    assert "办理中" in page and staff_user.full_name in page


def test_handling_an_item_closes_it_and_tells_the_enterprise(
    enterprise_client, staff_client, enterprise_user
):
    post_need(enterprise_client)
    item = InboxItem.objects.get()
    staff_client.post(reverse("notifications:inbox_handle", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == InboxStatus.HANDLED and item.handled_at is not None
    assert Notification.objects.filter(recipient=enterprise_user, title__contains="已办结").exists()
    assert f'data-inbox-item="{item.pk}"' not in staff_client.get("/staff/").content.decode()
    # Handled twice: refused, not told twice.
    staff_client.post(reverse("notifications:inbox_handle", args=[item.pk]))
    assert Notification.objects.filter(kind=Kind.SUBMISSION_HANDLED).count() == 1


def test_each_kind_of_submission_reaches_the_inbox(enterprise_client, enterprise, staff_client):
    from tests.concurrency import token

    period = PeriodFactory(year=timezone.localdate().year, quarter=1)
    enterprise_client.post(
        f"/portal/quarterly/{period.pk}/", {"revenue_ytd": "100", "employees": "20"}
    )
    enterprise_client.post(
        "/talent/portal/demands/",
        {
            "title": "高频封装",
            "field": "ic",
            "raised_on": timezone.localdate().isoformat(),
        },
    )
    profile = enterprise_client.get("/portal/profile/").context["form"]
    data = {b.html_name: b.value() or "" for b in profile}
    data.update({"contact_person": "王敏", "contact_phone": "13900001111", **token(enterprise)})
    assert enterprise_client.post("/portal/profile/", data).status_code == 302
    kinds = set(InboxItem.objects.values_list("kind", flat=True))
    assert {InboxKind.QUARTERLY, InboxKind.TECH_DEMAND, InboxKind.PROFILE} <= kinds
    # Saving the same quarter again refreshes its item rather than adding one.
    enterprise_client.post(
        f"/portal/quarterly/{period.pk}/", {"revenue_ytd": "120", "employees": "20"}
    )
    assert InboxItem.objects.filter(kind=InboxKind.QUARTERLY).count() == 1


def test_a_submitted_self_assessment_reaches_the_inbox(
    enterprise_client, enterprise, enterprise_user
):
    from digital import services

    assessment = services.start_assessment(enterprise=enterprise, user=enterprise_user)
    from tests.digital.helpers import all_levels, best_answers

    services.submit_assessment(
        assessment, answers=best_answers(), scenario_levels=all_levels(2), user=enterprise_user
    )
    [item] = InboxItem.objects.filter(kind=InboxKind.ASSESSMENT)
    assert item.url == f"/digital/assessments/{assessment.pk}/"


# session, user, groups; periods, recent activities, activities by kind, targets; the apps'
# staff reminders (1); inbox items with enterprise and assignee, inbox counts; open periods,
# filed counts, active enterprises; the session saved (savepoint, update, release).
STAFF_HOME_QUERIES = 16


@pytest.mark.parametrize("n", [2, 25])
def test_staff_home_queries_do_not_grow_with_the_inbox(n, staff_client, django_assert_num_queries):
    from notifications import services

    PeriodFactory(year=timezone.localdate().year, quarter=2)
    for i in range(n):
        e = EnterpriseFactory()
        services.record_submission(InboxKind.PROFILE, e, enterprise=e, title=f"变更{i}")
    old = timezone.now() - datetime.timedelta(days=5)
    InboxItem.objects.filter(pk=InboxItem.objects.first().pk).update(submitted_at=old)
    with django_assert_num_queries(STAFF_HOME_QUERIES):
        response = staff_client.get("/staff/")
    page = response.content.decode()
    assert page.count("data-inbox-item=") == min(n, 10)
    assert 'class="waited-long"' in page
    assert "5" in page  # the wait of the oldest item


def test_enterprise_users_cannot_reach_the_inbox(enterprise_client, enterprise_user):
    from notifications import services

    e = enterprise_user.enterprise_account.enterprise
    item = services.record_submission(InboxKind.PROFILE, e, enterprise=e, title="变更")
    assert enterprise_client.get("/staff/").status_code == 403
    assert enterprise_client.get("/staff/inbox/").status_code == 403
    assert enterprise_client.post(f"/staff/inbox/{item.pk}/take/").status_code == 403
    assert enterprise_client.post(f"/staff/inbox/{item.pk}/handle/").status_code == 403
    item.refresh_from_db()
    assert item.status == InboxStatus.NEW


def test_the_inbox_page_lists_mine(staff_client, staff_user):
    from notifications import services

    a, b = EnterpriseFactory(), EnterpriseFactory()
    mine = services.record_submission(InboxKind.PROFILE, a, enterprise=a, title="甲变更")
    services.record_submission(InboxKind.PROFILE, b, enterprise=b, title="乙变更")
    services.take_up(mine.pk, by=staff_user)
    page = staff_client.get("/staff/inbox/?mine=1").content.decode()
    assert "甲变更" in page and "乙变更" not in page


def test_a_need_taken_up_in_the_inbox_can_no_longer_be_withdrawn(
    enterprise_client, staff_client, enterprise
):
    """Taking the need up in the inbox is staff acting on it (finance.case): the enterprise's
    page says so and its withdrawal is refused, as after a matchmaking event."""
    from finance.models import FinancingNeed, NeedStatus
    from tests.concurrency import token

    post_need(enterprise_client)
    need = FinancingNeed.objects.get()
    opened = token(need)  # the enterprise opened its page before staff acted
    item = InboxItem.objects.get()
    staff_client.post(reverse("notifications:inbox_take", args=[item.pk]))
    detail = reverse("finance:portal_need_detail", args=[need.pk])
    page = enterprise_client.get(detail).content.decode()
    assert "已受理，待对接" in page and 'id="need-withdraw"' not in page
    response = enterprise_client.post(
        reverse("finance:portal_need_withdraw", args=[need.pk]), opened
    )
    assert response["Location"] == detail
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN
    assert "不能再修改或撤回" in enterprise_client.get(detail).content.decode()
