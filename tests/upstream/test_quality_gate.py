"""The quality gate on the portal's figures forms, the staff review queue and the pack cover.

The issue's done-when: figures with a 300% revenue jump over last year are refused without an
explanation, accepted with one, shown to staff, and the export's cover lists the explanation.
"""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from enterprises.models import AnnualFigures, QuarterlyFigures
from notifications.models import Kind, Notification
from tests.concurrency import token
from tests.factories import (
    AnnualFiguresFactory,
    EnterpriseFactory,
    PeriodFactory,
    QuarterlyFiguresFactory,
)
from tests.querycount import count_queries
from upstream import quality
from upstream.gate import field_name
from upstream.models import Explanation, ExplanationStatus

from .conftest import YEAR, read_book

pytestmark = pytest.mark.django_db

ANNUAL_URL = f"/portal/annual/{YEAR}/"
BOX = field_name("A-YOY-REVENUE")
WHY = "2024年新产线投产，并承接了某整车厂的年度订单，合同见附件。"


def _annual_post(revenue_wan: str, **extra) -> dict:
    """The annual form as typed (万元)."""
    data = {
        "revenue": revenue_wan,
        "main_business_revenue": "3800",
        "rd_expense": "200",
        "total_assets": "5000",
        "employees": "100",
        "tech_staff": "30",
        "rd_staff": "20",
        "invention_patents": "2",
        "other_class1_ip": "0",
        "utility_models": "3",
        "design_patents": "0",
        "software_copyrights": "1",
    }
    data.update(extra)
    return data


@pytest.fixture
def last_year(enterprise):
    return AnnualFiguresFactory(
        enterprise=enterprise,
        year=YEAR - 1,
        revenue=Decimal("10000000"),  # 1,000万元
        main_business_revenue=Decimal("9500000"),
        rd_expense=Decimal("1500000"),
        total_assets=Decimal("40000000"),
        employees=90,
        tech_staff=25,
        rd_staff=18,
    )


def _refused_then_explained(client):
    """Post the 300% jump without, then with, an explanation; return both responses."""
    refused = client.post(ANNUAL_URL, _annual_post("4000"))
    accepted = client.post(ANNUAL_URL, _annual_post("4000", **{BOX: WHY}))
    return refused, accepted


def test_a_300_percent_revenue_jump_is_refused_without_explanation_and_accepted_with_one(
    enterprise_client, enterprise, enterprise_user, last_year, staff_client, q4
):
    refused = enterprise_client.post(ANNUAL_URL, _annual_post("4000"))
    assert refused.status_code == 200
    assert not AnnualFigures.objects.filter(enterprise=enterprise, year=YEAR).exists()
    assert not Explanation.objects.exists()
    form = refused.context["form"]
    # The error is at the field, names it, and gives the swing in the form's unit (万元).
    (error,) = form.errors["revenue"]
    assert error.startswith("营业收入较上年变化+300.0%（上年1,000.00万元，本年4,000.00万元）")
    assert "填写说明" in error
    assert "有1项数据核查未通过，数据未保存" in form.non_field_errors()[0]
    html = refused.content.decode()
    assert f'name="{BOX}"' in html and 'data-check="1"' in html
    # A blank explanation is no explanation.
    blank = enterprise_client.post(ANNUAL_URL, _annual_post("4000", **{BOX: "   "}))
    assert blank.status_code == 200
    assert not AnnualFigures.objects.filter(enterprise=enterprise, year=YEAR).exists()

    accepted = enterprise_client.post(ANNUAL_URL, _annual_post("4000", **{BOX: WHY}))
    assert accepted.status_code == 302
    saved = AnnualFigures.objects.get(enterprise=enterprise, year=YEAR)
    assert saved.revenue == Decimal("40000000.00")
    explanation = Explanation.objects.get()
    assert (explanation.enterprise, explanation.year, explanation.quarter) == (
        enterprise,
        YEAR,
        None,
    )
    assert explanation.rule_code == "A-YOY-REVENUE"
    assert explanation.rules_version == "quality-2024.1"
    assert explanation.text == WHY
    assert explanation.status == ExplanationStatus.PENDING
    assert explanation.submitted_by == enterprise_user
    assert explanation.values == {"revenue": "40000000.00", "last_year_revenue": "10000000.00"}

    # Shown to staff in the queue (pending by default), with the message and the explanation.
    queue = staff_client.get(reverse("upstream:explanations")).content.decode()
    assert enterprise.name in queue and WHY in queue and "A-YOY-REVENUE" in queue
    assert "营业收入较上年变化+300.0%" in queue

    # The export's cover sheet lists it for the enterprise and year.
    pack = staff_client.get(
        reverse("upstream:enterprise_pack", args=["torch-gq002-2022", YEAR, enterprise.pk])
    )
    rows = list(read_book(pack.content)["封面"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "统一社会信用代码")
    assert header[5] == "数据核查说明"
    mine = next(r for r in rows if r and r[0] == enterprise.credit_code)
    assert mine[5].startswith("[年度 待审核] 营业收入较上年变化+300.0%")
    assert mine[5].endswith(f"说明：{WHY}")
    assert "A-YOY-REVENUE" not in mine[5]  # the portal's own code stays in the staff queue


def test_the_form_message_in_english(enterprise_client, last_year):
    enterprise_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    refused = enterprise_client.post(ANNUAL_URL, _annual_post("4000"))
    form = refused.context["form"]
    (error,) = form.errors["revenue"]
    assert error.startswith(
        "Operating revenue changed by +300.0% on last year (last year 1,000.00, this year "
        "4,000.00, in 10,000 yuan)"
    )
    assert "营业收入" not in error
    html = refused.content.decode()
    assert "Data checks" in html and "数据核查" not in html.split("<main", 1)[-1]


def test_a_correction_needs_no_explanation_and_drops_the_old_one(
    enterprise_client, enterprise, last_year
):
    _refused_then_explained(enterprise_client)
    saved = AnnualFigures.objects.get(enterprise=enterprise, year=YEAR)
    # The enterprise finds the typo: 1,400万元, not 4,000.
    data = _annual_post("1400", main_business_revenue="1300")
    fixed = enterprise_client.post(ANNUAL_URL, {**data, **token(saved)})
    assert fixed.status_code == 302
    saved.refresh_from_db()
    assert saved.revenue == Decimal("14000000.00")
    assert not Explanation.objects.exists()


def test_the_form_reopened_shows_the_explanation_given(enterprise_client, last_year):
    _refused_then_explained(enterprise_client)
    page = enterprise_client.get(ANNUAL_URL).content.decode()
    assert f">{WHY}</textarea>" in page and "待审核" in page


def _explain(client, enterprise, when_text=WHY):
    client.post(ANNUAL_URL, _annual_post("4000", **{BOX: when_text}))
    return Explanation.objects.get(enterprise=enterprise)


def test_staff_send_back_notifies_the_enterprise_which_answers_again(
    enterprise_client, enterprise, enterprise_user, last_year, staff_client, staff_user
):
    explanation = _explain(enterprise_client, enterprise)
    review = reverse("upstream:explanation_review", args=[explanation.pk])
    # A send-back needs a comment.
    staff_client.post(review, {"action": "return", "revision": explanation.revision})
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.PENDING
    assert not Notification.objects.exists()

    comment = "请补充新产线的投产时间和订单金额。"
    response = staff_client.post(
        review, {"action": "return", "revision": explanation.revision, "comment": comment}
    )
    assert response.status_code == 302
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.RETURNED
    assert explanation.reviewer == staff_user and explanation.reviewed_at is not None
    note = Notification.objects.get()
    assert note.recipient == enterprise_user
    assert note.kind == Kind.EXPLANATION_RETURNED
    assert note.title == f"{YEAR}年度数据核查说明被退回"
    assert comment in note.body
    assert note.url == reverse("upstream:portal_explanation", args=[explanation.pk])

    # The enterprise sees the state and the comment, and answers in the figures form.
    mine = enterprise_client.get(note.url).content.decode()
    assert "已退回" in mine and comment in mine and ANNUAL_URL in mine
    page = enterprise_client.get(ANNUAL_URL).content.decode()
    assert comment in page
    saved = AnnualFigures.objects.get(enterprise=enterprise, year=YEAR)
    better = WHY + "新产线2024年3月投产，订单金额2,800万元。"
    enterprise_client.post(ANNUAL_URL, {**_annual_post("4000", **{BOX: better}), **token(saved)})
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.PENDING
    assert explanation.text == better and explanation.revision == 2

    # A review of the old revision is refused; of the current one it goes through.
    staff_client.post(review, {"action": "accept", "revision": 1})
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.PENDING
    staff_client.post(review, {"action": "accept", "revision": 2})
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.ACCEPTED
    assert Notification.objects.count() == 1  # an acceptance sends nothing


def test_enterprise_sees_only_its_own_explanations(
    enterprise_client, enterprise, other_enterprise, last_year
):
    mine = _explain(enterprise_client, enterprise)
    theirs = Explanation.objects.create(
        enterprise=other_enterprise,
        year=YEAR,
        rule_code="A-YOY-REVENUE",
        rules_version="quality-2024.1",
        message="营业收入较上年变化+500.0%",
        text="别家的说明",
    )
    listing = enterprise_client.get(reverse("upstream:portal_explanations")).content.decode()
    assert mine.portal_url() in listing and theirs.portal_url() not in listing
    assert "+500.0%" not in listing
    assert enterprise_client.get(mine.portal_url()).status_code == 200
    assert enterprise_client.get(theirs.portal_url()).status_code == 404
    # The staff queue and review are closed to enterprise users.
    assert enterprise_client.get(reverse("upstream:explanations")).status_code == 403
    review = reverse("upstream:explanation_review", args=[mine.pk])
    assert enterprise_client.post(review, {"action": "accept", "revision": 1}).status_code == 403


def test_leadership_reads_the_queue_but_cannot_review(leader_client, enterprise_client, enterprise,
                                                       last_year):  # fmt: skip
    explanation = _explain(enterprise_client, enterprise)
    page = leader_client.get(reverse("upstream:explanations")).content.decode()
    assert WHY in page
    review = reverse("upstream:explanation_review", args=[explanation.pk])
    assert review not in page
    assert leader_client.post(review, {"action": "accept", "revision": 1}).status_code == 403
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.PENDING


def test_queue_filters_and_keeps_its_query_count(staff_client):
    def add(n, **kw):
        for _ in range(n):
            Explanation.objects.create(
                enterprise=EnterpriseFactory(),
                year=kw.get("year", YEAR),
                quarter=kw.get("quarter"),
                rule_code="A-YOY-REVENUE",
                rules_version="quality-2024.1",
                message="营业收入较上年变化+300.0%",
                text="说明",
            )

    url = reverse("upstream:explanations")
    add(2)
    few = count_queries(lambda: staff_client.get(url))
    add(20)
    add(3, quarter=2)
    many = count_queries(lambda: staff_client.get(url))
    assert many == few
    page = staff_client.get(url)
    assert len(page.context["page"].object_list) == 25
    quarterly = staff_client.get(url, {"filing": "quarterly"}).context["page"]
    assert quarterly.paginator.count == 3
    assert staff_client.get(url, {"year": YEAR - 1}).context["page"].paginator.count == 0
    one = Explanation.objects.first().enterprise
    found = staff_client.get(url, {"q": one.credit_code}).context["page"]
    assert [e.enterprise for e in found] == [one]
    # More than a page: SQL pagination (the page holds 50, the count says all).
    add(30)
    page = staff_client.get(url).context["page"]
    assert page.paginator.count == 55 and len(page.object_list) == 50


def test_quarterly_ytd_below_the_previous_quarter_asks_for_an_explanation(
    enterprise_client, enterprise
):
    q1 = PeriodFactory(year=YEAR, quarter=1)
    q2 = PeriodFactory(year=YEAR, quarter=2)
    QuarterlyFiguresFactory(enterprise=enterprise, period=q1, revenue_ytd=Decimal("8000000"))
    url = f"/portal/quarterly/{q2.pk}/"
    data = {"revenue_ytd": "600", "rd_expense_ytd": "50", "employees": "120"}
    refused = enterprise_client.post(url, data)
    assert refused.status_code == 200
    (error,) = refused.context["form"].errors["revenue_ytd"]
    assert "小于上一季度的本年累计（800.00万元）" in error
    assert not QuarterlyFigures.objects.filter(period=q2).exists()
    accepted = enterprise_client.post(
        url, {**data, field_name("Q-BAL-YTD-REVENUE"): "一季度多计了一笔预收款，已在二季度冲回。"}
    )
    assert accepted.status_code == 302
    explanation = Explanation.objects.get()
    assert (explanation.year, explanation.quarter) == (YEAR, 2)
    assert explanation.values == {
        "revenue_ytd": "6000000.00",
        "last_quarter_revenue_ytd": "8000000.00",
    }


def test_quarterly_swing_against_the_same_quarter_last_year(enterprise_client, enterprise):
    before = PeriodFactory(year=YEAR - 1, quarter=3)
    now = PeriodFactory(year=YEAR, quarter=3)
    QuarterlyFiguresFactory(enterprise=enterprise, period=before, revenue_ytd=Decimal("5000000"))
    refused = enterprise_client.post(f"/portal/quarterly/{now.pk}/", {"revenue_ytd": "2000"})
    assert "较上年同期变化+300.0%" in refused.context["form"].errors["revenue_ytd"][0]


def test_the_enterprise_list_keeps_its_query_count(enterprise_client, enterprise):
    def add(n, start):
        for i in range(n):
            Explanation.objects.create(
                enterprise=enterprise,
                year=YEAR,
                quarter=None,
                rule_code=f"A-TEST-{start + i}",
                rules_version="quality-2024.1",
                message="营业收入较上年变化+300.0%",
                text="说明",
            )

    url = reverse("upstream:portal_explanations")
    add(1, 0)
    few = count_queries(lambda: enterprise_client.get(url))
    add(12, 1)
    many = count_queries(lambda: enterprise_client.get(url))
    assert many == few
    page = enterprise_client.get(url).content.decode()
    assert all(e.portal_url() in page for e in Explanation.objects.all())


RULE_CODES = [r.code for r in quality.ruleset_for(YEAR).rules]


def _no_rule_code(html: str) -> list[str]:
    return [code for code in RULE_CODES if code in html]


def test_enterprise_pages_never_show_a_rule_code_and_staff_pages_do(
    enterprise_client, enterprise, last_year, staff_client
):
    # The refused form: the message at the field and in the check list, no code.
    refused = enterprise_client.post(ANNUAL_URL, _annual_post("4000", rd_expense="2"))
    html = refused.content.decode()
    assert "营业收入较上年变化+300.0%" in html and 'data-check="2"' in html
    assert _no_rule_code(html) == []
    enterprise_client.post(
        ANNUAL_URL,
        _annual_post(
            "4000",
            rd_expense="2",
            **{BOX: WHY, field_name("A-YOY-RD"): "研发项目结题，投入回落。"},
        ),
    )
    assert Explanation.objects.count() == 2
    reopened = enterprise_client.get(ANNUAL_URL).content.decode()
    assert WHY in reopened and _no_rule_code(reopened) == []
    listing = enterprise_client.get(reverse("upstream:portal_explanations")).content.decode()
    assert "营业收入较上年变化+300.0%" in listing and _no_rule_code(listing) == []
    for explanation in Explanation.objects.all():
        detail = enterprise_client.get(explanation.portal_url()).content.decode()
        assert explanation.message in detail and _no_rule_code(detail) == []
    # The enterprise's own pack: its cover lists the explanations by message, no code.
    pack = enterprise_client.get(
        reverse("upstream:enterprise_pack", args=["torch-gq002-2022", YEAR, enterprise.pk])
    )
    cells = [
        str(c) for sheet in read_book(pack.content).worksheets
        for r in sheet.iter_rows(values_only=True)
        for c in r if c is not None
    ]  # fmt: skip
    assert any("营业收入较上年变化+300.0%" in c for c in cells)
    assert _no_rule_code("\n".join(cells)) == []
    # Staff keep the code: it says which rule of which version fired.
    queue = staff_client.get(reverse("upstream:explanations")).content.decode()
    assert "A-YOY-REVENUE" in queue and "A-YOY-RD" in queue


def test_a_send_back_tells_the_message_not_the_rule_code(
    enterprise_client, enterprise, last_year, staff_client
):
    explanation = _explain(enterprise_client, enterprise)
    staff_client.post(
        reverse("upstream:explanation_review", args=[explanation.pk]),
        {"action": "return", "revision": explanation.revision, "comment": "请补充订单金额。"},
    )
    note = Notification.objects.get()
    assert explanation.message in note.body and "请补充订单金额。" in note.body
    assert _no_rule_code(note.title + note.body) == []
