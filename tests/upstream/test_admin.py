"""The explanations (数据核查说明) in the admin: staff find and read them; nothing the enterprise
gave is edited there, and a decision goes through the review service (the queue's)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from notifications.models import Notification
from tests.factories import EnterpriseFactory
from tests.querycount import count_queries
from upstream.models import Explanation, ExplanationStatus

from .conftest import YEAR

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:upstream_explanation_changelist")


def _explanation(enterprise=None, **kw) -> Explanation:
    values = {
        "enterprise": enterprise or EnterpriseFactory(),
        "year": YEAR,
        "rule_code": "A-YOY-REVENUE",
        "rules_version": "quality-2024.1",
        "message": "营业收入较上年变化+300.0%（上年1,000.00万元，本年4,000.00万元）",
        "values": {"revenue": "40000000.00", "last_year_revenue": "10000000.00"},
        "text": "新产线投产。",
    }
    values.update(kw)
    return Explanation.objects.create(**values)


def test_staff_list_shows_enterprise_filing_message_status_and_reviewer(
    staff_client, staff_user, enterprise
):
    explanation = _explanation(enterprise)
    Explanation.objects.filter(pk=explanation.pk).update(
        status=ExplanationStatus.RETURNED,
        reviewer=staff_user,
        reviewed_at="2025-03-01T10:00:00+08:00",
        review_comment="请补充订单。",
    )
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert enterprise.name in html and f"{YEAR}年度" in html
    assert "营业收入较上年变化+300.0%" in html and "已退回" in html and str(staff_user) in html
    assert "A-YOY-REVENUE" in html  # staff see the code
    assert reverse("upstream:explanations") in html


def test_search_by_name_or_credit_code_and_filters(staff_client):
    mine = _explanation(EnterpriseFactory(name="安徽搜索光电有限公司"))
    _explanation(quarter=2)
    _explanation(year=YEAR - 1, status=ExplanationStatus.PENDING)

    def found(**query) -> set[int]:
        return {e.pk for e in staff_client.get(CHANGELIST, query).context["cl"].result_list}

    assert found(q="搜索光电") == {mine.pk}
    assert found(q=mine.enterprise.credit_code) == {mine.pk}
    assert len(found(year=YEAR)) == 2
    assert len(found(filing="quarterly")) == 1
    assert len(found(status="pending")) == 3 and found(status="accepted") == set()


def test_the_change_view_is_read_only_and_nothing_is_added_or_deleted(staff_client):
    explanation = _explanation()
    change = reverse("admin:upstream_explanation_change", args=[explanation.pk])
    page = staff_client.get(change)
    assert page.status_code == 200
    assert "新产线投产。" in page.content.decode()
    assert not page.context["adminform"].form.fields  # every field shown read-only
    response = staff_client.post(change, {"text": "改写", "status": "accepted"})
    assert response.status_code == 403
    assert staff_client.get(reverse("admin:upstream_explanation_add")).status_code == 403
    delete = reverse("admin:upstream_explanation_delete", args=[explanation.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    explanation.refresh_from_db()
    assert explanation.text == "新产线投产。" and explanation.status == ExplanationStatus.PENDING


def test_the_accept_action_goes_through_the_review_service(staff_client, staff_user):
    pending = _explanation()
    returned = _explanation()
    Explanation.objects.filter(pk=returned.pk).update(
        status=ExplanationStatus.RETURNED,
        reviewer=staff_user,
        reviewed_at="2025-03-01T10:00:00+08:00",
        review_comment="请补充。",
    )
    response = staff_client.post(
        CHANGELIST,
        {"action": "accept", ACTION_CHECKBOX_NAME: [pending.pk, returned.pk]},
        follow=True,
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    returned.refresh_from_db()
    assert pending.status == ExplanationStatus.ACCEPTED
    assert pending.reviewer == staff_user and pending.reviewed_at is not None
    assert returned.status == ExplanationStatus.RETURNED  # only pending ones are decided
    shown = [str(m) for m in response.context["messages"]]
    assert "已认可1项说明。" in shown and any("1项说明不是待审核状态" in m for m in shown)
    assert not Notification.objects.exists()  # an acceptance tells nobody


def test_role_permissions_on_explanations(staff_user, leader_user):
    assert staff_user.has_perm("upstream.view_explanation")
    assert leader_user.has_perm("upstream.view_explanation")
    assert not leader_user.has_perm("upstream.change_explanation")


def test_the_changelist_keeps_its_query_count(staff_client):
    _explanation()
    few = count_queries(lambda: staff_client.get(CHANGELIST))
    for _ in range(15):
        _explanation(quarter=3)
    many = count_queries(lambda: staff_client.get(CHANGELIST))
    assert many == few
