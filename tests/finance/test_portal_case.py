"""The enterprise's own case in the portal: which products fit its need and why, whom to call,
the need's stage and next step, edit and withdraw until staff take it up, and its receipt."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from finance import services
from finance.case import EventFacts, need_case
from finance.models import Branch, Contact, FinancingNeed, NeedSource, NeedStatus
from tests.concurrency import token
from tests.finance.factories import (
    FinanceEventFactory,
    InstitutionFactory,
    NeedFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)


def _portal_need(enterprise, user=None, **fields):
    return services.post_need(
        enterprise=enterprise,
        by=user,
        source=NeedSource.PORTAL,
        amount=fields.pop("amount", Decimal("2000000")),
        purpose=fields.pop("purpose", "购置检测设备"),
        term_months=fields.pop("term_months", 12),
        **fields,
    )


def _edit_data(need, **changes):
    data = {
        "amount_wan": "300",
        "purpose": need.purpose,
        "term_months": "24",
        "collateral_note": "",
        "wanted_by": "",
        **token(need),
    }
    data.update(changes)
    return data


# --- The stage in words (a table of cases, no database) ---------------------------------------

EVENT_AHEAD = EventFacts("银企对接会", datetime.date(2026, 12, 20), "科创中心")
EVENT_PAST = EventFacts("政银推进会", datetime.date(2026, 11, 1))


@pytest.mark.django_db(databases=[])
@pytest.mark.parametrize(
    ("status", "source", "events", "signed", "stage", "changeable", "next_has"),
    [
        ("open", "portal", [], None, "待受理", True, "受理前您可修改或撤回"),
        ("open", "staff", [], None, "已受理，待对接", False, "代为登记"),
        ("open", "portal", [EVENT_AHEAD], None, "已受理，对接中", False, "2026-12-20"),
        ("open", "portal", [EVENT_PAST], None, "已受理，对接中", False, "金融机构将与您联系"),
        ("open", "portal", [EVENT_PAST, EVENT_AHEAD], None, "已受理，对接中", False, "科创中心"),
        ("met", "portal", [], TODAY, "已签约", False, "放款"),
        ("open", "portal", [], TODAY, "已签约", False, "放款"),
        ("withdrawn", "portal", [], None, "已撤回", False, "重新提交"),
    ],
)
def test_need_stage_and_next_step(status, source, events, signed, stage, changeable, next_has):
    case = need_case(status=status, source=source, events=events, signed_on=signed, today=TODAY)
    assert case.stage == stage and case.changeable is changeable and next_has in case.next_step
    assert case.taken_up is not (status == "open" and not events and not signed)


# --- Fitting products, reasons, contacts ------------------------------------------------------


@pytest.fixture
def products():
    bank = InstitutionFactory(name="徽商银行舒城支行")
    Branch.objects.create(
        institution=bank, name="城关营业部", address="舒城县城关镇", phone="0564-8621234"
    )
    Contact.objects.create(institution=bank, name="王晓明", title="客户经理", phone="13800005678")
    fits = ProductFactory(name="科创贷", provider=bank)
    small = ProductFactory(name="小额快贷", provider=bank, max_amount=Decimal("1000000"))
    hitech_only = ProductFactory(
        name="高企贷", provider=InstitutionFactory(), eligible_tiers=["hitech"]
    )
    return fits, small, hitech_only


def test_portal_need_shows_fitting_products_with_reasons_and_the_banks_contact(
    enterprise_client, enterprise, enterprise_user, products
):
    need = _portal_need(enterprise, enterprise_user)
    html = enterprise_client.get(reverse("finance:portal_need_detail", args=[need.pk])).content
    html = html.decode()
    # The best fit first, its score and every reason.
    assert html.index("科创贷") < html.index("小额快贷") < html.index("高企贷")
    assert "匹配度 100/100" in html and "需求金额200万元在产品额度内" in html
    assert "需求金额200万元高于产品最高额度100万元，只能部分满足" in html
    # Not eligible: the failed condition, no fit score.
    ineligible = html[html.index("高企贷") :]
    assert "要求高新技术企业：企业未持有" in ineligible and "匹配度" not in ineligible
    # The branch's switchboard as the bank published it; the person masked (personal data).
    assert "城关营业部" in html and "0564-8621234" in html
    assert "王**" in html and "138****5678" in html
    assert "王晓明" not in html and "13800005678" not in html
    # Stage and next step, with the buttons while nobody has taken it up.
    assert "待受理" in html and "受理前您可修改或撤回" in html
    assert 'id="need-edit"' in html and 'id="need-withdraw"' in html


def test_portal_need_page_in_english(enterprise_client, enterprise, products):
    enterprise_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    need = _portal_need(enterprise)
    html = enterprise_client.get(reverse("finance:portal_need_detail", args=[need.pk])).content
    html = html.decode()
    assert "Awaiting acceptance" in html and "Products that fit" in html
    assert "Withdraw" in html


# --- Edit and withdraw until staff take it up -------------------------------------------------


def test_enterprise_edits_its_need_before_staff_take_it_up(
    enterprise_client, enterprise, enterprise_user
):
    need = _portal_need(enterprise, enterprise_user)
    url = reverse("finance:portal_need_edit", args=[need.pk])
    assert enterprise_client.get(url).status_code == 200
    response = enterprise_client.post(url, _edit_data(need, purpose="购置检测设备和软件"))
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.amount == Decimal("3000000") and need.term_months == 24
    assert need.purpose == "购置检测设备和软件"
    entry = need.history.order_by("-history_id").first()
    assert entry.history_user == enterprise_user and entry.history_change_reason == "企业修改"


def test_stale_edit_form_is_refused(enterprise_client, enterprise, enterprise_user):
    need = _portal_need(enterprise, enterprise_user)
    stale = token(need)
    url = reverse("finance:portal_need_edit", args=[need.pk])
    enterprise_client.post(url, _edit_data(need, amount_wan="250"))
    response = enterprise_client.post(url, {**_edit_data(need, amount_wan="999"), **stale})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.amount == Decimal("2500000")
    page = enterprise_client.get(response["Location"]).content.decode()
    assert "保存未生效" in page


def test_enterprise_withdraws_its_need_and_history_records_it(
    enterprise_client, enterprise, enterprise_user
):
    need = _portal_need(enterprise, enterprise_user)
    response = enterprise_client.post(
        reverse("finance:portal_need_withdraw", args=[need.pk]), token(need)
    )
    assert response["Location"] == reverse("finance:portal_need_detail", args=[need.pk])
    need.refresh_from_db()
    assert need.status == NeedStatus.WITHDRAWN
    entry = need.history.order_by("-history_id").first()
    assert entry.status == NeedStatus.WITHDRAWN and entry.history_user == enterprise_user
    assert entry.history_change_reason == "企业撤回"
    html = enterprise_client.get(response["Location"]).content.decode()
    assert "融资需求已撤回" in html and "已撤回" in html
    assert 'id="need-withdraw"' not in html and 'id="need-edit"' not in html


def test_withdraw_without_the_form_token_is_refused(enterprise_client, enterprise):
    need = _portal_need(enterprise)
    response = enterprise_client.post(reverse("finance:portal_need_withdraw", args=[need.pk]))
    assert response["Location"] == reverse("finance:portal_need_detail", args=[need.pk])
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_withdraw_is_post_only(enterprise_client, enterprise):
    need = _portal_need(enterprise)
    url = reverse("finance:portal_need_withdraw", args=[need.pk])
    assert enterprise_client.get(url).status_code == 405


@pytest.mark.parametrize("action", ["edit", "withdraw"])
def test_once_staff_present_the_need_edit_and_withdraw_are_refused(
    action, enterprise_client, enterprise, enterprise_user
):
    need = _portal_need(enterprise, enterprise_user)
    opened = token(need)  # the enterprise opened the page before staff acted
    event = FinanceEventFactory()
    services.invite_to_event(event=event, need=need)
    if action == "edit":
        url = reverse("finance:portal_need_edit", args=[need.pk])
        response = enterprise_client.post(url, {**_edit_data(need, amount_wan="999"), **opened})
        # Opening the form again is refused as well.
        again = enterprise_client.get(url)
        assert again["Location"] == reverse("finance:portal_need_detail", args=[need.pk])
    else:
        url = reverse("finance:portal_need_withdraw", args=[need.pk])
        response = enterprise_client.post(url, opened)
    assert response["Location"] == reverse("finance:portal_need_detail", args=[need.pk])
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN and need.amount == Decimal("2000000")
    html = enterprise_client.get(response["Location"]).content.decode()
    assert "局工作人员已受理该融资需求，不能再修改或撤回" in html
    assert 'id="need-withdraw"' not in html and 'id="need-edit"' not in html
    assert "已受理，对接中" in html


def test_signed_need_cannot_be_withdrawn_in_the_service(enterprise, enterprise_user):
    need = _portal_need(enterprise, enterprise_user)
    services.record_signing(
        enterprise=enterprise,
        bank=InstitutionFactory(),
        amount=Decimal("1000000"),
        signed_on=datetime.date(2024, 6, 1),
        need=need,
    )
    with pytest.raises(Exception, match="不能再修改或撤回"):
        services.withdraw_need(need, by=enterprise_user, token=token(need)["edit_token"])


def test_staff_entered_need_is_not_editable_by_the_enterprise(enterprise_client, enterprise):
    need = NeedFactory(enterprise=enterprise, source=NeedSource.STAFF)
    html = enterprise_client.get(reverse("finance:portal_need_detail", args=[need.pk])).content
    assert b'id="need-withdraw"' not in html
    response = enterprise_client.post(
        reverse("finance:portal_need_withdraw", args=[need.pk]), token(need)
    )
    assert FinancingNeed.objects.get(pk=need.pk).status == NeedStatus.OPEN
    assert response.status_code == 302


def test_withdrawn_need_cannot_be_signed_or_presented(enterprise, enterprise_user):
    from django.core.exceptions import ValidationError

    need = _portal_need(enterprise, enterprise_user)
    stale_copy = FinancingNeed.objects.get(pk=need.pk)  # what a staff page had loaded
    services.withdraw_need(need, by=enterprise_user, token=token(need)["edit_token"])
    with pytest.raises(ValidationError, match="已关闭"):
        services.invite_to_event(event=FinanceEventFactory(), need=stale_copy)
    with pytest.raises(ValidationError, match="已撤回"):
        services.record_signing(
            enterprise=enterprise,
            bank=InstitutionFactory(),
            amount=Decimal("1000000"),
            signed_on=datetime.date(2024, 6, 1),
            need=stale_copy,
        )


# --- Receipt ----------------------------------------------------------------------------------


def test_need_receipt_shows_what_was_filed_when_by_whom_and_a_reference(
    enterprise_client, enterprise, enterprise_user
):
    need = _portal_need(enterprise, enterprise_user, collateral_available=True)
    html = enterprise_client.get(reverse("finance:portal_need_receipt", args=[need.pk])).content
    html = html.decode()
    filed = need.history.earliest("history_date").history_date
    from django.utils import timezone

    day = timezone.localtime(filed).strftime("%Y%m%d")
    assert f"RZ-{day}-{need.pk:06d}" in html
    assert enterprise.name in html and enterprise.credit_code in html
    assert str(enterprise_user) in html and "购置检测设备" in html and ">200<" in html
    assert "bureau/print.css" in html and "data-print" in html
    assert "待受理" in html


def test_print_stylesheet_hides_the_navigation():
    from django.contrib.staticfiles import finders

    css = open(finders.find("bureau/print.css"), encoding="utf-8").read()
    media = css[css.index("@media print") :]
    assert ".topbar" in media and ".mainnav" in media and "display: none" in media


# --- Only the enterprise's own records; staff keep theirs -------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("finance:portal_need_detail", "get"),
        ("finance:portal_need_edit", "get"),
        ("finance:portal_need_edit", "post"),
        ("finance:portal_need_withdraw", "post"),
        ("finance:portal_need_receipt", "get"),
    ],
)
def test_another_enterprises_need_is_404(name, method, outsider_client, enterprise):
    need = _portal_need(enterprise)
    response = getattr(outsider_client, method)(
        reverse(name, args=[need.pk]), _edit_data(need) if method == "post" else None
    )
    assert response.status_code == 404
    assert FinancingNeed.objects.get(pk=need.pk).status == NeedStatus.OPEN


def test_staff_keep_their_need_page_and_the_portal_is_closed_to_them(
    staff_client, leader_client, enterprise
):
    need = _portal_need(enterprise)
    assert staff_client.get(need.get_absolute_url()).status_code == 200
    assert leader_client.get(need.get_absolute_url()).status_code == 200
    for name in ("finance:portal_need_detail", "finance:portal_need_receipt"):
        assert staff_client.get(reverse(name, args=[need.pk])).status_code == 403


# --- Query counts -----------------------------------------------------------------------------

SESSION = 6  # session, user, groups; the session saved (savepoint, update, release)


@pytest.mark.parametrize("n", [2, 12])
def test_portal_need_page_query_count_does_not_grow_with_products(
    n, enterprise_client, enterprise, django_assert_num_queries
):
    for i in range(n):
        bank = InstitutionFactory()
        Branch.objects.create(institution=bank, name=f"网点{i}", phone="0564-1")
        Contact.objects.create(institution=bank, name="李四", phone="13900001111")
        ProductFactory(provider=bank)
    need = _portal_need(enterprise)
    FinanceEventFactory().needs_presented.add(need)
    # account, enterprise; the need, its events, its signings; products with providers, their
    # branches, their contacts (with branch); the enterprise's tiers (twice: matching, note).
    with django_assert_num_queries(SESSION + 10):
        response = enterprise_client.get(reverse("finance:portal_need_detail", args=[need.pk]))
    assert response.status_code == 200
