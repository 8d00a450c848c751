"""Concurrent edits lose nothing: a save from a stale form is refused, the newer values stay.

A and B open the same record; A saves one field, B saves another from the form opened before
A's save. B's save must be refused with a Chinese message naming A and when, and A's value
must still be there. Through the real pages: the portal, a staff page, and the admin.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from bureau.roles import Role
from enterprises.models import QuarterlyFigures
from reports.models import NarrativeParagraph
from tests.bureau.test_form_roundtrip import submitted
from tests.factories import (
    EnterpriseAccountFactory,
    PeriodFactory,
    QuarterlyFiguresFactory,
    UserFactory,
)
from tests.reports.factories import AnnualSummaryFactory


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(html: str) -> dict:
    """What the browser would post from the page's forms (every control, as rendered)."""
    data, invalid = submitted(html)
    assert not invalid, invalid
    return {key: data.getlist(key) if len(data.getlist(key)) > 1 else data[key] for key in data}


def refusal(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.fixture
def colleague(enterprise):
    """A second enterprise user of the same enterprise."""
    return EnterpriseAccountFactory(
        enterprise=enterprise,
        user=UserFactory(username="ent2", full_name="李会计", role=Role.ENTERPRISE_USER),
    ).user


def test_portal_quarterly_stale_save_is_refused_and_keeps_the_newer_revenue(
    enterprise, enterprise_user, colleague
):
    enterprise_user.full_name = "王出纳"
    enterprise_user.save()
    period = PeriodFactory(year=2026, quarter=2)
    url = f"/portal/quarterly/{period.pk}/"
    a, b = login(enterprise_user), login(colleague)
    form_a = form_data(a.get(url).content.decode())
    form_b = form_data(b.get(url).content.decode())

    form_a["revenue_ytd"] = "1500"
    assert a.post(url, form_a).status_code == 302
    form_b["rd_expense_ytd"] = "80"
    response = b.post(url, form_b)

    assert response.status_code == 302 and response["Location"] == url
    message = refusal(response)
    assert "王出纳" in message and "保存未生效" in message
    assert timezone.localtime().strftime("%Y-%m-%d") in message
    figures = QuarterlyFigures.objects.get(enterprise=enterprise, period=period)
    assert figures.revenue_ytd == Decimal("15000000.00")
    assert figures.rd_expense_ytd is None
    # Reloaded, B's form holds A's revenue and a fresh token: B's retry goes through.
    retry = form_data(b.get(url).content.decode())
    assert retry["revenue_ytd"] == "1500"
    retry["rd_expense_ytd"] = "80"
    assert b.post(url, retry).status_code == 302
    figures.refresh_from_db()
    assert figures.revenue_ytd == Decimal("15000000.00")
    assert figures.rd_expense_ytd == Decimal("800000.00")


def test_portal_quarterly_form_opened_before_the_record_existed_cannot_overwrite_it(
    enterprise, enterprise_user, colleague
):
    period = PeriodFactory(year=2026, quarter=3)
    url = f"/portal/quarterly/{period.pk}/"
    a, b = login(enterprise_user), login(colleague)
    form_a = form_data(a.get(url).content.decode())
    form_b = form_data(b.get(url).content.decode())
    form_a["revenue_ytd"] = "900"
    assert a.post(url, form_a).status_code == 302
    form_b["tax_ytd"] = "3"
    b.post(url, form_b)
    figures = QuarterlyFigures.objects.get(enterprise=enterprise, period=period)
    assert figures.revenue_ytd == Decimal("9000000.00")
    assert figures.tax_ytd is None


def test_staff_paragraph_stale_save_is_refused(db):
    summary = AnnualSummaryFactory(year=2025)
    section = summary.sections.first() or summary.sections.create(code="one", level=0, order=0)
    paragraph = NarrativeParagraph.objects.create(section=section, text="原稿")
    first = UserFactory(username="staff_a", full_name="张科长", role=Role.BUREAU_STAFF)
    second = UserFactory(username="staff_b", full_name="刘科员", role=Role.BUREAU_STAFF)
    url = f"/summaries/paragraphs/{paragraph.pk}/"
    a, b = login(first), login(second)
    form_a = form_data(a.get(url).content.decode())
    form_b = form_data(b.get(url).content.decode())
    form_a["text"] = "张科长改过的段落"
    assert a.post(url, form_a).status_code == 302
    form_b["text"] = "刘科员从旧页面保存的段落"
    response = b.post(url, form_b)
    assert "张科长" in refusal(response)
    paragraph.refresh_from_db()
    assert paragraph.text == "张科长改过的段落"


def test_admin_stale_change_form_is_refused_and_keeps_the_newer_values(enterprise):
    period = PeriodFactory(year=2026, quarter=1)
    figures = QuarterlyFiguresFactory(enterprise=enterprise, period=period, rd_expense_ytd=None)
    first = UserFactory(username="clerk_a", full_name="赵录入", role=Role.BUREAU_STAFF)
    second = UserFactory(username="clerk_b", full_name="钱录入", role=Role.BUREAU_STAFF)
    url = f"/admin/enterprises/quarterlyfigures/{figures.pk}/change/"
    a, b = login(first), login(second)
    form_a = form_data(a.get(url).content.decode())
    form_b = form_data(b.get(url).content.decode())
    assert form_a.get("edit_token"), "the admin change form carries the token"

    form_a["revenue_ytd"] = "98765.43"
    response = a.post(url, {**form_a, "_save": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    form_b["rd_expense_ytd"] = "1234.00"
    response = b.post(url, {**form_b, "_save": "1"})

    assert "赵录入" in refusal(response)
    figures.refresh_from_db()
    assert figures.revenue_ytd == Decimal("98765.43")
    assert figures.rd_expense_ytd is None


def test_an_unchanged_token_saves_normally(enterprise, enterprise_user):
    """The check refuses only stale forms: two saves in a row by one user both go through."""
    period = PeriodFactory(year=2026, quarter=4)
    url = f"/portal/quarterly/{period.pk}/"
    client = login(enterprise_user)
    for revenue in ("100", "200"):
        data = form_data(client.get(url).content.decode())
        data["revenue_ytd"] = revenue
        assert client.post(url, data).status_code == 302
    figures = QuarterlyFigures.objects.get(enterprise=enterprise, period=period)
    assert figures.revenue_ytd == Decimal("2000000.00")
    assert re.match(r"^\d+$", str(figures.history.latest().history_id))


def test_portal_self_assessment_draft_stale_save_is_refused(enterprise, enterprise_user, colleague):
    """Two finance officers fill the same digital self-assessment draft."""
    from digital.models import Assessment
    from tests.digital.factories import edition_2024

    edition_2024()
    a, b = login(enterprise_user), login(colleague)
    a.post("/digital/portal/")
    assessment = Assessment.objects.get(enterprise=enterprise)
    url = f"/digital/portal/{assessment.pk}/"
    form_a = form_data(a.get(url).content.decode())
    form_b = form_data(b.get(url).content.decode())
    assert "edit_token" in form_a
    assert a.post(url, {**form_a, "q_network": ["network_1"], "action": "save"}).status_code == 302
    response = b.post(url, {**form_b, "q_it_coverage": "it_coverage_2", "action": "save"})
    assert "保存未生效" in refusal(response)
    assessment.refresh_from_db()
    assert assessment.answers == {"network": ["network_1"]}
