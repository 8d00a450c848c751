"""The service loop in Chromium (issue 17): an enterprise posts a financing need; staff find it
in the inbox on /staff/, take it up and present it at a matchmaking event; the enterprise is
told (bell and e-mail) and reads its need as taken up, with the products that fit."""

import datetime
import os
import tempfile
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from bureau.models import Activity
from finance.models import Branch, FinanceEvent, FinancingNeed
from notifications.models import InboxItem, InboxStatus, Notification
from tests.finance.factories import InstitutionFactory, ProductFactory, activity_kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SHOTS_DIR", Path(tempfile.gettempdir()) / "shots-need-loop"))


def _sign_in(chromium, live_server, user, width=1280):
    context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations before a submit
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Secret-pass-2024")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return context, page


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_need_goes_round_the_loop_enterprise_staff_enterprise(
    chromium, live_server, staff_user, enterprise, enterprise_user, outsider_user
):
    bank = InstitutionFactory(name="徽商银行舒城支行")
    Branch.objects.create(institution=bank, name="城关营业部", phone="0564-8621234")
    ProductFactory(name="科创贷", provider=bank)
    day = timezone.localdate() + datetime.timedelta(days=10)
    event = FinanceEvent.objects.create(
        activity=Activity.objects.create(
            kind=activity_kind("bank_enterprise_matchmaking"),
            date=day,
            topic="第四季度银企对接会",
            place="开发区管委会三楼会议室",
        )
    )
    enterprise_user.email = "cfo@zijia.example.com"
    enterprise_user.save()
    Notification.objects.all().delete()
    mail.outbox.clear()

    # 1. The enterprise posts its need (on a phone).
    context, page = _sign_in(chromium, live_server, enterprise_user, width=390)
    page.goto(f"{live_server.url}/finance/portal/needs/")
    page.fill("#id_amount_wan", "300")
    page.fill("#id_purpose", "购置光谱检测设备")
    page.fill("#id_term_months", "12")
    page.locator("form:has(#id_purpose) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "融资需求已提交" in page.inner_text(".messages")
    need = FinancingNeed.objects.get(enterprise=enterprise)
    context.close()

    # 2. Staff see it in the inbox, take it up and present it at the event.
    context, page = _sign_in(chromium, live_server, staff_user)
    page.goto(f"{live_server.url}/staff/")
    item = InboxItem.objects.get()
    row = page.locator(f"[data-inbox-item='{item.pk}']")
    assert "发布融资需求：购置光谱检测设备" in row.inner_text()
    assert "待受理" in row.inner_text()
    _shot(page, "staff-inbox")
    row.locator("button:has-text('由我办理')").click()
    page.wait_for_load_state("networkidle")
    item.refresh_from_db()
    assert item.status == InboxStatus.TAKEN and item.assignee == staff_user
    page.goto(f"{live_server.url}/finance/needs/{need.pk}/")
    page.select_option("#id_event", str(event.pk))
    page.select_option("#id_bank", str(bank.pk))
    page.click("button:has-text('邀请并推介')")
    page.wait_for_load_state("networkidle")
    assert event.needs_presented.filter(pk=need.pk).exists()
    _shot(page, "staff-need-presented")
    context.close()

    # 3. The enterprise hears of it and reads its need as taken up, with the fitting product.
    context, page = _sign_in(chromium, live_server, enterprise_user, width=390)
    assert int(page.inner_text("[data-bell-count]")) == 2
    page.click("[data-bell]")
    page.wait_for_load_state("networkidle")
    notices = page.inner_text(".notice-list")
    assert "您的融资需求已对接" in notices
    _shot(page, "enterprise-notices")
    page.goto(f"{live_server.url}/finance/portal/needs/{need.pk}/")
    assert page.inner_text("#need-stage") == "已受理，对接中"
    assert "第四季度银企对接会" in page.inner_text("body")
    assert page.locator("#need-withdraw").count() == 0
    assert "科创贷" in page.inner_text("#fitting-products")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, width
    _shot(page, "enterprise-need-taken-up")
    context.close()

    # Nobody else heard of it; the e-mails went to the enterprise's finance officer.
    assert not Notification.objects.filter(recipient=outsider_user).exists()
    assert {tuple(m.to) for m in mail.outbox} == {("cfo@zijia.example.com",)}
    subjects = [m.subject for m in mail.outbox]
    assert any("您的融资需求已对接" in s for s in subjects), subjects
    print("\n--- e-mails sent in the journey ---")
    for message in mail.outbox:
        print(message.message().as_string())
