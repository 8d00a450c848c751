"""In Chromium: staff send a filing reminder (催报) to the enterprises that have not filed; an
enterprise user signs in and finds it under the bell."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from notifications import sms
from tests.factories import PeriodFactory, QuarterlyFiguresFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(chromium, live_server, user):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Secret-pass-2024")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return context, page


def test_staff_chase_unfiled_enterprises_and_the_enterprise_sees_it_in_the_bell(
    chromium,
    live_server,
    staff_user,
    enterprise,
    enterprise_user,
    other_enterprise,
    outsider_user,
):
    from tests.conftest import ARTIFACTS

    today = timezone.localdate()
    period = PeriodFactory(year=today.year, quarter=1, deadline=today + datetime.timedelta(days=5))
    QuarterlyFiguresFactory(enterprise=other_enterprise, period=period)
    enterprise.contact_phone = "13912345678"
    enterprise.save()
    enterprise_user.email = "ent@zijia.example.com"
    enterprise_user.save()
    from notifications.models import Notification

    Notification.objects.all().delete()  # the "period opened" notices
    mail.outbox.clear()
    sms.outbox.clear()

    context, page = _sign_in(chromium, live_server, staff_user)
    page.goto(f"{live_server.url}/staff/")
    page.click(f"a[href='/staff/filing/{period.pk}/?status=unfiled']")
    page.wait_for_load_state("networkidle")
    assert page.locator("tr[data-enterprise]").count() == 1
    assert enterprise.name in page.inner_text("table.filing")
    assert "139****5678" in page.inner_text("table.filing")
    page.check("input[data-check-all=enterprise]")
    assert page.is_checked(f"input[name=enterprise][value='{enterprise.pk}']")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[name=scope][value=selected]")
    page.wait_for_load_state("networkidle")
    assert "已向1家企业发送催报提醒" in page.inner_text(".messages")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "filing-reminder-staff.png"), full_page=True)
    context.close()

    context, page = _sign_in(chromium, live_server, enterprise_user)
    assert page.inner_text("[data-bell-count]") == "1"
    page.click("[data-bell]")
    page.wait_for_load_state("networkidle")
    title = f"请填报{period}数据"
    assert title in page.inner_text(".notice-list")
    page.screenshot(path=str(ARTIFACTS / "filing-reminder-enterprise.png"), full_page=True)
    page.click(f"button.notice-title:has-text('{title}')")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/portal/quarterly/{period.pk}/")
    assert page.locator("[data-bell-count]").count() == 0
    context.close()

    # The other enterprise (it has filed) heard nothing; the e-mail and SMS went out once.
    assert not Notification.objects.filter(recipient=outsider_user).exists()
    assert [m.to for m in mail.outbox] == [["ent@zijia.example.com"]]
    assert [t.phone for t in sms.outbox] == ["13912345678"]
    print("\n--- e-mail sent in the journey ---")
    print(mail.outbox[0].message().as_string())
    print("--- SMS ---", sms.outbox[0])
