"""Pages: who may open them, what they show, bad input through the forms, flat query counts."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bureau.models import Activity
from finance import services
from finance.models import (
    Disbursement,
    FinancialProduct,
    FinancingNeed,
    NeedSource,
    NeedStatus,
    Signing,
)
from tests.concurrency import token
from tests.factories import EnterpriseFactory
from tests.finance.factories import (
    FinanceEventFactory,
    InstitutionFactory,
    NeedFactory,
    ProductFactory,
    SigningFactory,
    activity_kind,
)
from tests.finance.test_bad_input import scheme_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme():
    s = services.start_scheme(started_on=datetime.date(2024, 3, 1), **scheme_fields())
    services.advance_scheme(s, on=datetime.date(2024, 7, 1))
    services.advance_scheme(s, on=datetime.date(2024, 11, 6), remark="正在进行合同的司法审查")
    return s


STAFF_PAGES = [
    "finance:overview",
    "finance:institution_list",
    "finance:product_list",
    "finance:need_list",
    "finance:event_list",
    "finance:signing_list",
]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_bureau_pages_open_for_staff_and_leadership_not_enterprises(
    name, staff_client, leader_client, enterprise_client
):
    url = reverse(name)
    assert staff_client.get(url).status_code == 200
    assert leader_client.get(url).status_code == 200
    assert enterprise_client.get(url).status_code == 403


def test_overview_shows_the_year(staff_client, scheme):
    event = FinanceEventFactory()
    SigningFactory(event=event, amount=Decimal("200000000"), signed_on=event.activity.date)
    html = staff_client.get(reverse("finance:overview") + "?year=2024").content.decode()
    assert "20,000.00" in html  # signed, in 万元
    assert "司法审查" in html and 'class="current">司法审查' in html


def test_event_page_shows_attendance_and_signings(staff_client, enterprise):
    event = FinanceEventFactory()
    bank = InstitutionFactory(name="中国银行舒城支行")
    services.record_signing(
        enterprise=enterprise,
        bank=bank,
        amount=Decimal("30000000"),
        signed_on=event.activity.date,
        event=event,
    )
    html = staff_client.get(event.get_absolute_url()).content.decode()
    assert enterprise.name in html and "中国银行舒城支行" in html and "3,000.00" in html


def test_staff_records_signing_on_event_page_closing_need(staff_client, enterprise):
    event = FinanceEventFactory()
    need = NeedFactory(enterprise=enterprise)
    event.needs_presented.add(need)
    bank = InstitutionFactory()
    response = staff_client.post(
        event.get_absolute_url(),
        {
            "enterprise": enterprise.pk,
            "bank": bank.pk,
            "need": need.pk,
            "amount_wan": "500",
            "signed_on": event.activity.date.isoformat(),
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.MET
    assert Signing.objects.get().amount == Decimal("5000000")


def test_signing_before_event_refused_on_the_page(staff_client, enterprise):
    event = FinanceEventFactory()
    response = staff_client.post(
        event.get_absolute_url(),
        {
            "enterprise": enterprise.pk,
            "bank": InstitutionFactory().pk,
            "amount_wan": "500",
            "signed_on": (event.activity.date - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "签约日期不能早于签约活动日期" in response.content.decode()
    assert Signing.objects.count() == 0


def test_leader_cannot_post_a_signing(leader_client, enterprise):
    event = FinanceEventFactory()
    response = leader_client.post(
        event.get_absolute_url(),
        {
            "enterprise": enterprise.pk,
            "bank": InstitutionFactory().pk,
            "amount_wan": "1",
            "signed_on": event.activity.date.isoformat(),
        },
    )
    assert response.status_code == 403
    assert Signing.objects.count() == 0


def test_disbursement_above_signing_refused_on_the_page(staff_client):
    signing = SigningFactory(amount=Decimal("1000000"))
    response = staff_client.post(
        signing.get_absolute_url(), {"amount_wan": "100.01", "disbursed_on": "2024-08-01"}
    )
    assert "将超过签约金额" in response.content.decode()
    assert Disbursement.objects.count() == 0
    response = staff_client.post(
        signing.get_absolute_url(), {"amount_wan": "100", "disbursed_on": "2024-08-01"}
    )
    assert response.status_code == 302 and Disbursement.objects.count() == 1


def test_need_page_ranks_products_and_invites_to_event(staff_client, enterprise):
    need = NeedFactory(enterprise=enterprise, amount=Decimal("5000000"))
    ProductFactory(name="可以贷")
    ProductFactory(name="小巨人贷", eligible_tiers=["little_giant"])
    html = staff_client.get(need.get_absolute_url()).content.decode()
    assert html.index("可以贷") < html.index("小巨人贷")
    assert "要求专精特新“小巨人”企业：企业未持有" in html
    # The ineligible product shows why, and no fit score (it cannot be taken up at all).
    blocked = html[html.index("小巨人贷") : html.index("</li>", html.index("企业未持有"))]
    assert "匹配度" not in blocked and "需求金额" not in blocked
    assert html.count("匹配度") == 1
    future = Activity.objects.create(
        kind=activity_kind("bank_enterprise_matchmaking"),
        date=datetime.date.today() + datetime.timedelta(days=10),
        topic="下期对接会",
    )
    event = FinanceEventFactory(activity=future)
    bank = InstitutionFactory()
    response = staff_client.post(need.get_absolute_url(), {"event": event.pk, "bank": bank.pk})
    assert response.status_code == 302
    assert need in event.needs_presented.all() and enterprise in future.enterprises.all()
    assert bank in event.institutions.all()


def test_staff_enters_need_for_enterprise(staff_client, enterprise):
    response = staff_client.post(
        reverse("finance:need_create"),
        {
            "enterprise": enterprise.pk,
            "amount_wan": "300",
            "purpose": "购置设备",
            "term_months": "12",
        },
    )
    assert response.status_code == 302
    need = FinancingNeed.objects.get()
    assert need.amount == Decimal("3000000") and need.source == NeedSource.STAFF


def test_scheme_page_and_advance(staff_client, leader_client, scheme):
    html = leader_client.get(scheme.get_absolute_url()).content.decode()
    assert "正在进行合同的司法审查" in html and "当前阶段：司法审查" in html
    assert leader_client.post(scheme.get_absolute_url(), {"on": "2024-12-01"}).status_code == 403
    response = staff_client.post(
        scheme.get_absolute_url(), {"on": "2024-12-01", "remark": "送县政府", **token(scheme)}
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.stage == "county_review"
    # Before the current stage began: refused with the reason, nothing changes.
    response = staff_client.post(scheme.get_absolute_url(), {"on": "2024-11-30", **token(scheme)})
    assert "不能早于当前阶段" in response.content.decode()


# --- Enterprise portal ------------------------------------------------------------------------


def test_enterprise_posts_need_in_portal(enterprise_client, enterprise):
    response = enterprise_client.post(
        reverse("finance:portal_needs"),
        {
            "amount_wan": "200",
            "purpose": "流动资金",
            "term_months": "12",
            "collateral_available": "on",
        },
    )
    assert response.status_code == 302
    need = FinancingNeed.objects.get()
    assert need.enterprise == enterprise and need.source == NeedSource.PORTAL
    assert need.amount == Decimal("2000000")


@pytest.mark.parametrize("amount", ["0", "-10"])
def test_portal_need_with_zero_or_negative_amount_is_refused(enterprise_client, amount):
    response = enterprise_client.post(
        reverse("finance:portal_needs"), {"amount_wan": amount, "purpose": "流动资金"}
    )
    assert response.status_code == 200
    assert "金额必须大于0" in response.content.decode()
    assert FinancingNeed.objects.count() == 0


def test_portal_lists_only_own_needs_and_signings(enterprise_client, enterprise, other_enterprise):
    NeedFactory(enterprise=enterprise, purpose="自家需求")
    NeedFactory(enterprise=other_enterprise, purpose="别家需求")
    SigningFactory(enterprise=other_enterprise, bank=InstitutionFactory(name="别家银行"))
    html = enterprise_client.get(reverse("finance:portal_needs")).content.decode()
    assert "自家需求" in html and "别家需求" not in html and "别家银行" not in html


def test_outsider_cannot_open_enterprises_need_or_signing(
    outsider_client, enterprise_client, enterprise
):
    need = NeedFactory(enterprise=enterprise)
    signing = SigningFactory(enterprise=enterprise, need=need)
    for name, pk in [
        ("finance:portal_need_detail", need.pk),
        ("finance:portal_signing_detail", signing.pk),
    ]:
        url = reverse(name, args=[pk])
        assert enterprise_client.get(url).status_code == 200
        assert outsider_client.get(url).status_code == 404
    # Staff pages are closed to enterprise users altogether.
    assert outsider_client.get(need.get_absolute_url()).status_code == 403
    assert outsider_client.get(signing.get_absolute_url()).status_code == 403


# --- Query counts -----------------------------------------------------------------------------


def _records(n):
    event = FinanceEventFactory()
    bank = InstitutionFactory()
    product = ProductFactory(provider=bank)
    for _i in range(n):
        firm = EnterpriseFactory()
        need = NeedFactory(enterprise=firm, posted_on=datetime.date(2024, 2, 1))
        event.needs_presented.add(need)
        s = services.record_signing(
            enterprise=firm,
            bank=bank,
            product=product,
            need=need,
            event=event,
            amount=Decimal("1000000"),
            signed_on=event.activity.date,
        )
        services.record_disbursement(
            signing=s, amount=Decimal("1000"), disbursed_on=datetime.date(2024, 8, 1)
        )
        NeedFactory(enterprise=firm, posted_on=datetime.date(2024, 3, 1))
        ProductFactory(provider=InstitutionFactory())
    return event


# Every signed-in request costs 3 queries (session, user, role groups) and the session is
# saved at its end (savepoint, update, release): SESSION = 6 around each page's own queries.
SESSION = 6


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # figures (10: the matchmaking events' institutions among them) + quarter
        # signed/disbursed (2) + bank signed/disbursed (2) + by product (1) + scheme lookup (1)
        ("finance:overview", SESSION + 16),
        # count, page of needs with enterprise
        ("finance:need_list", SESSION + 2),
        # count, page of signings (joined + disbursed sum)
        ("finance:signing_list", SESSION + 2),
        # count, page of events with counts
        ("finance:event_list", SESSION + 2),
        # count, page of products with provider and sums
        ("finance:product_list", SESSION + 2),
        # institutions with counts, contacts prefetch
        ("finance:institution_list", SESSION + 2),
    ],
)
def test_list_query_counts_are_flat(name, queries, n, leader_client, django_assert_num_queries):
    _records(n)
    url = reverse(name) + (
        "?year=2024" if name in ("finance:overview", "finance:signing_list") else ""
    )
    if name == "finance:need_list":
        url += "?status=all"
    with django_assert_num_queries(queries):
        assert leader_client.get(url).status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_event_page_query_count_is_flat(n, leader_client, django_assert_num_queries):
    event = _records(n)
    # event+activity+kind, institutions, enterprises, needs+enterprise, signings (joined, with
    # disbursed sums), the signing form's "any open presented need?" check
    with django_assert_num_queries(SESSION + 6):
        assert leader_client.get(event.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_portal_needs_query_count_is_flat(
    n, enterprise_client, enterprise, django_assert_num_queries
):
    bank = InstitutionFactory()
    for _i in range(n):
        need = NeedFactory(enterprise=enterprise)
        services.record_signing(
            enterprise=enterprise,
            bank=bank,
            need=need,
            amount=Decimal("1000"),
            signed_on=datetime.date(2024, 6, 1),
        )
    # account, enterprise, needs, their events and signings (prefetches), signings list
    with django_assert_num_queries(SESSION + 6):
        assert enterprise_client.get(reverse("finance:portal_needs")).status_code == 200


def test_every_finance_figure_drills_down(leader_client, scheme):
    from finance.metrics import figures

    _records(2)
    for figure in figures(2024):
        url = reverse("reports:figure_records", args=[figure.key]) + "?year=2024"
        assert leader_client.get(url).status_code == 200, figure.key


@pytest.mark.parametrize(
    "model",
    [
        "institution",
        "branch",
        "contact",
        "financialproduct",
        "guaranteescheme",
        "schemestageentry",
        "schemeloan",
        "financingneed",
        "financeevent",
        "signing",
        "disbursement",
    ],
)
def test_admin_lists_and_forms_open(model, sysadmin_client, scheme):
    _records(2)
    assert sysadmin_client.get(reverse(f"admin:finance_{model}_changelist")).status_code == 200
    assert (
        sysadmin_client.get(reverse(f"admin:finance_{model}_changelist") + "?q=测试").status_code
        == 200
    )
    assert sysadmin_client.get(reverse(f"admin:finance_{model}_add")).status_code == 200


def test_admin_refuses_upside_down_rate_range(staff_client):
    bank = InstitutionFactory()
    response = staff_client.post(
        reverse("admin:finance_financialproduct_add"),
        {
            "name": "倒挂贷",
            "provider": bank.pk,
            "kind": "credit_loan",
            "min_rate": "4.50",
            "max_rate": "3.50",
            "status": "active",
            "eligible_tiers": ["hitech"],
        },
    )
    assert response.status_code == 200
    assert "最高利率不能低于最低利率" in response.content.decode()
    assert not FinancialProduct.objects.exists()
    response = staff_client.post(
        reverse("admin:finance_financialproduct_add"),
        {
            "name": "正常贷",
            "provider": bank.pk,
            "kind": "credit_loan",
            "min_rate": "3.5",
            "max_rate": "4.5",
            "status": "active",
            "eligible_tiers": ["hitech", "tech_sme"],
        },
    )
    assert response.status_code == 302
    assert FinancialProduct.objects.get().eligible_tiers == ["hitech", "tech_sme"]
