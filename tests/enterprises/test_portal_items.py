"""我的事项 and the receipts of what an enterprise filed: one row per need, demand, application
and filing; a printable receipt per filing; only the enterprise's own; flat query counts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from digital.models import AssessmentSource, AssessmentStatus
from finance import services as finance_services
from finance.models import NeedSource
from tests.digital.factories import AssessmentFactory
from tests.enterprises.factories import QualificationFactory
from tests.factories import AnnualFiguresFactory, PeriodFactory, QuarterlyFiguresFactory
from tests.finance.factories import FinanceEventFactory
from tests.talent.factories import DemandFactory

pytestmark = pytest.mark.django_db

SESSION = 6  # session, user, groups; the session saved (savepoint, update, release)


def _case(enterprise, user, n: int = 1):
    """n of each kind of item for `enterprise`; the first need presented at an event."""
    for i in range(n):
        need = finance_services.post_need(
            enterprise=enterprise,
            by=user,
            source=NeedSource.PORTAL,
            amount=Decimal("1000000"),
            purpose=f"流动资金{i}",
        )
        if i == 0:
            FinanceEventFactory().needs_presented.add(need)
        DemandFactory(enterprise=enterprise, title=f"封装测试{i}", created_by=user)
        QualificationFactory(enterprise=enterprise, batch_year=2020 + i)
        QuarterlyFiguresFactory(
            enterprise=enterprise, period=PeriodFactory(year=2020 + i, quarter=1), submitted_by=user
        )
        AnnualFiguresFactory(enterprise=enterprise, year=2015 + i)
        AssessmentFactory(
            enterprise=enterprise,
            source=AssessmentSource.PORTAL,
            evaluator="",
            submitted_at=timezone.now(),
            submitted_by=user,
        )


def test_my_items_lists_every_kind_with_status_and_links(
    enterprise_client, enterprise, enterprise_user, other_enterprise
):
    _case(enterprise, enterprise_user)
    finance_services.post_need(
        enterprise=other_enterprise, source=NeedSource.PORTAL, amount=Decimal("1"), purpose="别家"
    )
    html = enterprise_client.get(reverse("enterprises:portal_items")).content.decode()
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>", html)
    assert sorted(rows) == sorted(
        ["融资需求", "技术需求", "资质申报", "季度数据", "年度数据", "数字化评测"]
    )
    assert "流动资金0" in html and "已受理，对接中" in html and "别家" not in html
    assert "封装测试0" in html and "待对接" in html
    assert "2020年第1季度" in html and "已填报，可修改" in html
    need = enterprise.financing_needs.get()
    assert reverse("finance:portal_need_detail", args=[need.pk]) in html
    assert reverse("finance:portal_need_receipt", args=[need.pk]) in html
    assert reverse("enterprises:portal_annual_receipt", args=[2015]) in html


def test_my_items_in_english(enterprise_client, enterprise, enterprise_user, settings):
    _case(enterprise, enterprise_user)
    enterprise_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = enterprise_client.get(reverse("enterprises:portal_items")).content.decode()
    assert "My submissions" in html and "Financing need" in html
    assert "Accepted, being matched" in html and "Quarterly data" in html


@pytest.mark.parametrize("n", [1, 6])
def test_my_items_query_count_is_flat(
    n, enterprise_client, enterprise, enterprise_user, django_assert_num_queries
):
    _case(enterprise, enterprise_user, n)
    # account, enterprise; needs, their events, their signings; qualifications; quarterly and
    # annual figures; demands; assessments.
    with django_assert_num_queries(SESSION + 10):
        response = enterprise_client.get(reverse("enterprises:portal_items"))
    assert response.content.decode().count("<tr>") == 6 * n + 1


def test_my_items_is_for_enterprise_users_only(staff_client, leader_client):
    url = reverse("enterprises:portal_items")
    assert staff_client.get(url).status_code == 403
    assert leader_client.get(url).status_code == 403


# --- Receipts ---------------------------------------------------------------------------------


def _reference(prefix, when, pk):
    if isinstance(when, datetime.datetime):
        when = timezone.localtime(when).date()
    return f"{prefix}-{when:%Y%m%d}-{pk:06d}"


def test_quarterly_receipt_shows_the_figures_filed(enterprise_client, enterprise, enterprise_user):
    period = PeriodFactory(year=2024, quarter=2)
    figures = QuarterlyFiguresFactory(
        enterprise=enterprise, period=period, submitted_by=enterprise_user
    )
    html = enterprise_client.get(
        reverse("enterprises:portal_quarterly_receipt", args=[period.pk])
    ).content.decode()
    first = figures.history.earliest("history_date").history_date
    assert _reference("JB", first, figures.pk) in html
    assert "2024年第2季度" in html and "8,000,000.00" in html and "营业收入（本年累计，元）" in html
    assert str(enterprise_user) in html and enterprise.credit_code in html
    assert "bureau/print.css" in html


def test_annual_receipt_shows_the_figures_filed(enterprise_client, enterprise):
    figures = AnnualFiguresFactory(enterprise=enterprise, year=2023)
    html = enterprise_client.get(
        reverse("enterprises:portal_annual_receipt", args=[2023])
    ).content.decode()
    first = figures.history.earliest("history_date").history_date
    assert _reference("NB", first, figures.pk) in html
    assert "30,000,000.00" in html and "2023年度数据填报" in html


def test_demand_receipt(enterprise_client, enterprise, enterprise_user):
    demand = DemandFactory(
        enterprise=enterprise, created_by=enterprise_user, budget=Decimal("50000")
    )
    html = enterprise_client.get(
        reverse("talent:portal_demand_receipt", args=[demand.pk])
    ).content.decode()
    first = demand.history.earliest("history_date").history_date
    assert _reference("JS", first, demand.pk) in html
    assert demand.title in html and ">5<" in html and str(enterprise_user) in html


def test_assessment_receipt_only_once_submitted(enterprise_client, enterprise, enterprise_user):
    submitted = AssessmentFactory(
        enterprise=enterprise,
        source=AssessmentSource.PORTAL,
        submitted_at=timezone.now(),
        submitted_by=enterprise_user,
    )
    html = enterprise_client.get(
        reverse("digital:portal_assessment_receipt", args=[submitted.pk])
    ).content.decode()
    assert _reference("PC", submitted.submitted_at, submitted.pk) in html
    assert "数字化水平自评" in html and str(enterprise_user) in html
    draft = AssessmentFactory(
        enterprise=enterprise, source=AssessmentSource.PORTAL, status=AssessmentStatus.DRAFT
    )
    url = reverse("digital:portal_assessment_receipt", args=[draft.pk])
    assert enterprise_client.get(url).status_code == 404


def test_another_enterprises_receipts_are_404(outsider_client, enterprise_client, enterprise):
    period = PeriodFactory(year=2024, quarter=3)
    QuarterlyFiguresFactory(enterprise=enterprise, period=period)
    AnnualFiguresFactory(enterprise=enterprise, year=2022)
    demand = DemandFactory(enterprise=enterprise)
    assessment = AssessmentFactory(
        enterprise=enterprise, source=AssessmentSource.PORTAL, submitted_at=timezone.now()
    )
    for url in [
        reverse("enterprises:portal_quarterly_receipt", args=[period.pk]),
        reverse("enterprises:portal_annual_receipt", args=[2022]),
        reverse("talent:portal_demand_receipt", args=[demand.pk]),
        reverse("digital:portal_assessment_receipt", args=[assessment.pk]),
    ]:
        assert enterprise_client.get(url).status_code == 200, url
        assert outsider_client.get(url).status_code == 404, url
