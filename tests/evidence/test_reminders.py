"""Expiry feeds the reminders: documents expiring within EVIDENCE_EXPIRING_DAYS are on the
ladder reminders page; the daily task and the page's button tell each enterprise once per
document (a second run tells nobody again)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bureau.roles import Role
from evidence import tasks
from notifications.models import Notification
from tests.factories import EnterpriseAccountFactory, EnterpriseFactory, UserFactory
from tests.querycount import count_queries

from .conftest import make_document

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_reminders_page_lists_documents_expiring_in_the_window(staff_client, enterprise, settings):
    settings.EVIDENCE_EXPIRING_DAYS = 60
    make_document(enterprise, title="月底到期证书", valid_to=_days(30))
    make_document(enterprise, title="明年到期证书", valid_to=_days(200))
    make_document(enterprise, title="已过期证书", valid_from=_days(-800), valid_to=_days(-1))
    body = staff_client.get(reverse("enterprises:reminders")).content.decode()
    assert "60天内到期的证明材料（1）" in body
    assert "月底到期证书" in body and "明年到期证书" not in body and "已过期证书" not in body


def test_reminders_page_query_count_is_flat(staff_client, enterprise):
    url = reverse("enterprises:reminders")
    make_document(enterprise, valid_to=_days(10))
    few = count_queries(lambda: staff_client.get(url))
    for i in range(15):
        make_document(EnterpriseFactory(), number=f"N{i}", valid_to=_days(i + 1))
    many = count_queries(lambda: staff_client.get(url))
    assert many == few


def test_daily_task_tells_each_enterprise_once_per_document(enterprise, enterprise_user):
    colleague = EnterpriseAccountFactory(
        enterprise=enterprise, user=UserFactory(username="ent2", role=Role.ENTERPRISE_USER)
    ).user
    soon = make_document(enterprise, title="高企证书", valid_to=_days(20))
    make_document(enterprise, title="远期", number="GR2", valid_to=_days(400))
    assert tasks.notify_expiring_documents.delay().get() == 2  # two users, one document
    assert tasks.notify_expiring_documents.delay().get() == 0
    notes = Notification.objects.filter(recipient__in=[enterprise_user, colleague])
    assert notes.count() == 2
    note = notes.get(recipient=enterprise_user)
    assert "高企证书" in note.title and soon.valid_to.isoformat() in note.title
    assert note.url == reverse("evidence:portal_edit", args=[soon.pk])
    # A renewed document (new validity) is told again, once.
    soon.valid_to = _days(25)
    soon.save()
    assert tasks.notify_expiring_documents.delay().get() == 2


def test_staff_notify_from_the_reminders_page(
    staff_client, enterprise, enterprise_user, outsider_user
):
    doc = make_document(enterprise, valid_to=_days(15))
    url = reverse("evidence:notify")
    next_url = reverse("enterprises:reminders")
    response = staff_client.post(url, {"document": [doc.pk], "next": next_url}, follow=True)
    assert "已提醒1份材料的企业" in response.content.decode()
    response = staff_client.post(url, {"document": [doc.pk], "next": next_url}, follow=True)
    assert "此前已提醒过" in response.content.decode()
    assert Notification.objects.filter(recipient=enterprise_user).count() == 1
    assert not Notification.objects.filter(recipient=outsider_user).exists()


def test_portal_home_reminds_the_enterprise(enterprise_client, enterprise):
    make_document(enterprise, valid_to=_days(10))
    body = enterprise_client.get(reverse("enterprises:portal_home")).content.decode()
    assert "1份证明材料即将到期" in body
