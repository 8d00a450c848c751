"""Filing completion and chasing (催报): per open period which enterprises have filed and which
not, with contacts masked unless the reader may see them; reminders to the chosen enterprises
through the channels, not twice a day; the exports; and the ladder reminders' notify action."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import EventKind, SecurityEvent
from bureau.models import ApplicationStatus, PeriodStatus
from bureau.roles import Role
from enterprises.models import QualificationKind
from notifications import sms
from notifications.models import Delivery, FilingReminder, Kind, Notification
from tests.factories import (
    EnterpriseAccountFactory,
    EnterpriseFactory,
    PeriodFactory,
    QuarterlyFiguresFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def grant_contacts(user) -> None:
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="bureau", codename="view_contact_data")
    )


@pytest.fixture
def zone(enterprise, enterprise_user, other_enterprise, outsider_user):
    """An open period: `other_enterprise` has filed, `enterprise` has not; a third firm has not
    filed and has no accounts; a de-registered one is not listed at all."""
    today = timezone.localdate()
    period = PeriodFactory(year=today.year, quarter=1, deadline=today + datetime.timedelta(days=6))
    QuarterlyFiguresFactory(enterprise=other_enterprise, period=period)
    enterprise.contact_person = "王建国"
    enterprise.contact_phone = PHONE
    enterprise.save()
    enterprise_user.email = "ent@zijia.example.com"
    enterprise_user.save()
    silent = EnterpriseFactory(name="安徽无账号科技有限公司")
    EnterpriseFactory(name="安徽已注销有限公司", is_active=False)
    Notification.objects.all().delete()  # the "period opened" notices
    sms.outbox.clear()
    return {"period": period, "silent": silent}


def url(period, **query) -> str:
    from urllib.parse import urlencode

    base = reverse("notifications:filing_status", args=[period.pk])
    return base + ("?" + urlencode(query) if query else "")


def test_the_page_lists_filed_and_not_filed(staff_client, zone, enterprise, other_enterprise):
    period = zone["period"]
    page = staff_client.get(url(period)).content.decode()
    assert "安徽已注销有限公司" not in page
    unfiled = staff_client.get(url(period, status="unfiled")).content.decode()
    assert enterprise.name in unfiled and "安徽无账号科技有限公司" in unfiled
    assert other_enterprise.name not in unfiled
    filed = staff_client.get(url(period, status="filed")).content.decode()
    assert other_enterprise.name in filed and enterprise.name not in filed
    summary = staff_client.get(url(period)).context["summary"]
    assert (summary.filed, summary.not_filed, summary.days_left) == (1, 2, 6)
    # Only the enterprises that have not filed can be ticked.
    assert f'name="enterprise" value="{enterprise.pk}"' in page
    assert f'name="enterprise" value="{other_enterprise.pk}"' not in page


def test_contacts_are_masked_without_the_permission(staff_client, zone):
    page = staff_client.get(url(zone["period"])).content.decode()
    assert PHONE not in page and "139****5678" in page
    assert "王建国" not in page and "王**" in page
    assert not SecurityEvent.objects.filter(kind=EventKind.PERSONAL_DATA).exists()


def test_contacts_are_shown_and_the_read_logged_with_the_permission(
    staff_user, staff_client, zone, enterprise
):
    grant_contacts(staff_user)
    page = staff_client.get(url(zone["period"])).content.decode()
    assert PHONE in page and "王建国" in page
    event = SecurityEvent.objects.get(kind=EventKind.PERSONAL_DATA)
    assert event.detail["model"] == "enterprises.Enterprise"
    assert enterprise.pk in event.detail["ids"]


@pytest.mark.parametrize("rows", [3, 30])
def test_page_queries_do_not_grow(rows, staff_client, zone, django_assert_num_queries):
    for _ in range(rows):
        EnterpriseFactory(contact_phone=PHONE)
    # session, user, groups; the period; the summary (open periods, filed counts, active
    # enterprises); the pager's count; reminded today; the page of rows (one query with the
    # filed/reminded subqueries and the account count); the user's permissions and its
    # groups' (may it see contacts?); the session saved (savepoint, update, release)
    with django_assert_num_queries(15):
        response = staff_client.get(url(zone["period"]))
    assert response.content.decode().count("data-enterprise=") == rows + 3


def test_reminding_the_selected_tells_their_accounts_once_a_day(
    staff_client,
    zone,
    enterprise,
    enterprise_user,
    other_enterprise,
    outsider_user,
    django_capture_on_commit_callbacks,
):
    period = zone["period"]
    remind = reverse("notifications:filing_remind", args=[period.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            remind, {"scope": "selected", "enterprise": [enterprise.pk, other_enterprise.pk]}
        )
    assert response.status_code == 302
    [n] = Notification.objects.filter(kind=Kind.FILING_REMINDER)
    assert n.recipient == enterprise_user  # the one that filed is not chased
    assert n.url == f"/portal/quarterly/{period.pk}/"
    assert {d.channel for d in Delivery.objects.filter(notification=n)} == {"email", "sms"}
    assert [m.to for m in mail.outbox] == [["ent@zijia.example.com"]]
    assert [t.phone for t in sms.outbox] == [PHONE]
    assert FilingReminder.objects.filter(enterprise=enterprise, period=period).count() == 1
    # The same day again: not twice.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(remind, {"scope": "selected", "enterprise": [enterprise.pk]})
    assert Notification.objects.filter(kind=Kind.FILING_REMINDER).count() == 1
    assert len(mail.outbox) == 1
    messages = [str(m) for m in staff_client.get(url(period)).context["messages"]]
    assert any("今天已催报过" in m for m in messages)
    # Another day: again.
    FilingReminder.objects.update(sent_on=timezone.localdate() - datetime.timedelta(days=1))
    Notification.objects.update(dedupe_key="")
    staff_client.post(remind, {"scope": "selected", "enterprise": [enterprise.pk]})
    assert Notification.objects.filter(kind=Kind.FILING_REMINDER).count() == 2


def test_reminding_all_unfiled_reaches_every_unfiled_enterprise(
    staff_client, zone, enterprise, enterprise_user, outsider_user
):
    colleague = EnterpriseAccountFactory(
        enterprise=zone["silent"], user=UserFactory(username="silent1", role=Role.ENTERPRISE_USER)
    ).user
    period = zone["period"]
    staff_client.post(
        reverse("notifications:filing_remind", args=[period.pk]), {"scope": "all_unfiled"}
    )
    told = set(
        Notification.objects.filter(kind=Kind.FILING_REMINDER).values_list("recipient", flat=True)
    )
    assert told == {enterprise_user.pk, colleague.pk}
    assert FilingReminder.objects.filter(period=period).count() == 2


def test_a_locked_period_cannot_be_chased(staff_client, zone, enterprise):
    period = zone["period"]
    period.status = PeriodStatus.LOCKED
    period.save()
    staff_client.post(
        reverse("notifications:filing_remind", args=[period.pk]),
        {"scope": "selected", "enterprise": [enterprise.pk]},
    )
    assert not Notification.objects.filter(kind=Kind.FILING_REMINDER).exists()


def test_the_export_reopens_with_masked_contacts_and_no_formulas(staff_client, zone, enterprise):
    enterprise.contact_person = '=HYPERLINK("http://x","点我")'
    enterprise.save()
    response = staff_client.get(url(zone["period"], format="xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "填报情况" in rows[0][0]
    assert rows[1][:4] == ("企业名称", "统一社会信用代码", "填报状态", "填报时间")
    by_name = {r[0]: r for r in rows[2:]}
    assert by_name[enterprise.name][2] == "未填报"
    assert by_name[enterprise.name][5] == "139****5678"
    assert len(by_name) == 3
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_the_unmasked_export_is_logged(staff_user, staff_client, zone, enterprise):
    grant_contacts(staff_user)
    response = staff_client.get(url(zone["period"], format="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert PHONE in [c for row in sheet.iter_rows(values_only=True) for c in row]
    event = SecurityEvent.objects.get(kind=EventKind.PERSONAL_DATA)
    assert event.detail["context"] == "filing_export"


def test_enterprise_users_cannot_reach_the_filing_pages(enterprise_client, zone, enterprise):
    period = zone["period"]
    assert enterprise_client.get(url(period)).status_code == 403
    assert enterprise_client.get(url(period, format="xlsx")).status_code == 403
    response = enterprise_client.post(
        reverse("notifications:filing_remind", args=[period.pk]), {"scope": "all_unfiled"}
    )
    assert response.status_code == 403
    assert not FilingReminder.objects.exists()


def test_staff_home_shows_the_filing_progress(staff_client, zone):
    page = staff_client.get("/staff/").content.decode()
    assert "填报进度" in page
    assert reverse("notifications:filing_status", args=[zone["period"].pk]) in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_filing_page_renders_in_both_languages(staff_client, zone, language):
    page = staff_client.get(url(zone["period"]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert ("催报选中企业" if language == "zh-hans" else "Remind selected") in page


# --- The ladder reminders ----------------------------------------------------------------


@pytest.fixture
def expiring(enterprise, enterprise_user):
    from enterprises.models import Qualification

    today = timezone.localdate()
    enterprise.contact_person = "王建国"
    enterprise.contact_phone = PHONE
    enterprise.save()
    return Qualification.objects.create(
        enterprise=enterprise,
        kind=QualificationKind.objects.get(code="hitech"),
        status=ApplicationStatus.APPROVED,
        certificate_no="GR202234000222",
        approved_on=today - datetime.timedelta(days=1000),
        valid_from=today - datetime.timedelta(days=1000),
        valid_to=today + datetime.timedelta(days=30),
    )


def test_reminders_list_days_left_and_masked_contact(staff_client, expiring):
    page = staff_client.get("/ladder/reminders/").content.decode()
    assert '<td class="num">30</td>' in page
    assert "139****5678" in page and PHONE not in page
    assert f'name="qualification" value="{expiring.pk}"' in page


def test_notify_from_the_reminders_tells_the_enterprise_once(
    staff_client, expiring, enterprise_user, outsider_user
):
    notify = reverse("notifications:qualification_notify")
    staff_client.post(notify, {"qualification": [expiring.pk]})
    staff_client.post(notify, {"qualification": [expiring.pk]})
    [n] = Notification.objects.filter(kind=Kind.QUALIFICATION_EXPIRING)
    assert n.recipient == enterprise_user


def test_reminders_export_reopens(staff_client, expiring):
    response = staff_client.get("/ladder/reminders/?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][4] == "剩余天数"
    assert rows[1][0] == expiring.enterprise.name and rows[1][4] == 30
    assert rows[1][6] == "139****5678"
    assert book.worksheets[1].title == "未重新入库"


def test_enterprise_user_cannot_notify_from_the_reminders(enterprise_client, expiring):
    response = enterprise_client.post(
        reverse("notifications:qualification_notify"), {"qualification": [expiring.pk]}
    )
    assert response.status_code == 403
    assert not Notification.objects.filter(kind=Kind.QUALIFICATION_EXPIRING).exists()


def test_last_years_tech_smes_not_registered_again_are_notified_once(
    staff_client, enterprise, enterprise_user, outsider_user
):
    """The reminders' second list (去年入库、今年尚未重新入库) has its own notify action."""
    from enterprises.models import Qualification

    today = timezone.localdate()
    lapsed = Qualification.objects.create(
        enterprise=enterprise,
        kind=QualificationKind.objects.get(code="tech_sme"),
        status=ApplicationStatus.APPROVED,
        certificate_no="2025340100A0001234",
        batch_year=today.year - 1,
        approved_on=datetime.date(today.year - 1, 5, 1),
        valid_from=datetime.date(today.year - 1, 1, 1),
        valid_to=datetime.date(today.year - 1, 12, 31),
    )
    page = staff_client.get("/ladder/reminders/").content.decode()
    assert f'name="renewal" value="{lapsed.pk}"' in page
    notify = reverse("notifications:qualification_notify")
    staff_client.post(notify, {"renewal": [lapsed.pk]})
    staff_client.post(notify, {"renewal": [lapsed.pk]})
    [n] = Notification.objects.filter(recipient=enterprise_user)
    assert f"请办理{today.year}年度科技型中小企业评价入库" == n.title
    assert "2025340100A0001234" in n.body
    assert not Notification.objects.filter(recipient=outsider_user).exists()
