"""E-mail and SMS deliveries: sent after the commit through Django's e-mail backend (locmem in
tests) and the SMS backend, as each user's preferences say, each recorded with its address
masked; a broker that refuses the task leaves the save and the deliveries for the sweep."""

from unittest import mock

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from bureau.celery import app as celery_app
from notifications import services, sms, tasks
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, Notification, Preference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def addressed(enterprise, enterprise_user):
    enterprise.contact_phone = "13855501234"
    enterprise.save()
    enterprise_user.email = "finance@zijia.example.com"
    enterprise_user.save()
    return enterprise_user


def test_filing_reminder_goes_by_email_and_sms_by_default(
    addressed, enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_enterprise(
            enterprise, Kind.FILING_REMINDER, "请填报2025年第3季度数据", "尽快填报", "/portal/"
        )
    [email] = mail.outbox
    assert email.to == ["finance@zijia.example.com"]
    assert "请填报2025年第3季度数据" in email.subject
    assert "http://127.0.0.1:8000/portal/" in email.body
    [text] = sms.outbox
    assert text.phone == "13855501234"
    assert "请填报2025年第3季度数据" in text.text
    by_channel = {d.channel: d for d in Delivery.objects.all()}
    assert by_channel[Channel.EMAIL].status == DeliveryStatus.SENT
    assert by_channel[Channel.EMAIL].address == "f***@zijia.example.com"
    assert by_channel[Channel.SMS].address == "138****1234"
    assert by_channel[Channel.SMS].sent_at is not None


def test_preferences_are_honoured(addressed, enterprise, django_capture_on_commit_callbacks):
    services.save_preferences(addressed, {Kind.FILING_REMINDER: (False, True)})
    services.save_preferences(addressed, {Kind.SIGNING: (True, False)})
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_enterprise(enterprise, Kind.FILING_REMINDER, "催报")
        services.notify_enterprise(enterprise, Kind.SIGNING, "签约")
    assert [m.subject for m in mail.outbox] == ["科技金融局业务平台：签约"]
    assert [t.text for t in sms.outbox] == ["【科技金融局】催报"]
    # Both are in the portal whatever the channels.
    assert Notification.objects.filter(recipient=addressed).count() == 2


def test_default_channels_for_a_signing_are_email_only(
    addressed, enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_enterprise(enterprise, Kind.SIGNING, "签约")
    assert len(mail.outbox) == 1 and sms.outbox == []


def test_no_address_is_recorded_as_skipped(
    enterprise, enterprise_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_enterprise(enterprise, Kind.FILING_REMINDER, "催报")
    assert mail.outbox == [] and sms.outbox == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SKIPPED}


def test_nothing_is_sent_before_the_commit(
    addressed, enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify_enterprise(enterprise, Kind.FILING_REMINDER, "催报")
    assert mail.outbox == [] and len(callbacks) == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}


class FailingSMS(sms.BaseSMSBackend):
    def send(self, phone, text):
        raise ConnectionError("provider gateway timed out")


def test_a_failing_provider_is_recorded_and_retried_then_failed(
    addressed, enterprise, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.notifications.test_delivery.FailingSMS"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_enterprise(enterprise, Kind.FILING_REMINDER, "催报")
    d = Delivery.objects.get(channel=Channel.SMS)
    assert d.status == DeliveryStatus.PENDING and d.attempts == 1
    assert "provider gateway timed out" in d.error
    for _ in range(services.MAX_ATTEMPTS - 1):
        services.send_deliveries([d.pk])
    d.refresh_from_db()
    assert d.status == DeliveryStatus.FAILED and d.attempts == services.MAX_ATTEMPTS
    # The e-mail of the same notification went out regardless.
    assert Delivery.objects.get(channel=Channel.EMAIL).status == DeliveryStatus.SENT


def test_broker_down_keeps_the_notification_and_the_sweep_sends_later(
    addressed, enterprise, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    refused = mock.Mock(side_effect=OperationalError("[Errno 111] Connection refused"))
    monkeypatch.setattr(tasks.send_deliveries, "delay", refused)
    with django_capture_on_commit_callbacks(execute=True):
        [n] = services.notify_enterprise(enterprise, Kind.FILING_REMINDER, "催报")
    assert refused.called
    assert any("could not queue" in r.getMessage() for r in caplog.records)
    assert Notification.objects.filter(pk=n.pk).exists()
    assert mail.outbox == []
    Delivery.objects.update(created=n.created.replace(year=n.created.year - 1))
    assert tasks.sweep_deliveries() == 2
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1


def test_the_logging_backend_logs_the_number_masked(caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="notifications.sms"):
        sms.get_backend().send("13855501234", "【科技金融局】测试")
    assert sms.outbox == [sms.SMSMessage("13855501234", "【科技金融局】测试")]
    assert "138****1234" in caplog.text and "13855501234" not in caplog.text


def test_notify_costs_the_same_queries_for_many_recipients(enterprise, django_assert_num_queries):
    from bureau.roles import Role
    from tests.factories import EnterpriseAccountFactory, UserFactory

    def accounts(n):
        for i in range(n):
            EnterpriseAccountFactory(
                enterprise=enterprise,
                user=UserFactory(
                    username=f"acct{n}-{i}", role=Role.ENTERPRISE_USER, email="a@b.cn"
                ),
            )

    accounts(2)
    Preference.objects.create(user=enterprise.accounts.first().user, kind=Kind.SIGNING, email=False)
    # recipients; savepoint, notifications, preferences, deliveries, release
    with django_assert_num_queries(6):
        services.notify_enterprise(enterprise, Kind.SIGNING, "签约")
    accounts(20)
    with django_assert_num_queries(6):
        created = services.notify_enterprise(enterprise, Kind.SIGNING, "签约")
    assert len(created) == 22
