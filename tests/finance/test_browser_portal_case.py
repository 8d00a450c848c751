"""Browser journey of the enterprise's own case: it posts a financing need, reads which
products fit and why and whom to call, then withdraws it; on a phone (390×844) and a desktop."""

import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from bureau.roles import Role
from finance.models import Branch, Contact, FinancingNeed, NeedStatus
from tests.factories import EnterpriseAccountFactory, UserFactory
from tests.finance.factories import InstitutionFactory, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots to look at (the brief asks for /tmp/shots-loop-case; SHOTS_DIR overrides).
SHOTS = Path(os.environ.get("SHOTS_DIR", Path(tempfile.gettempdir()) / "shots-loop-case"))

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def products():
    bank = InstitutionFactory(name="徽商银行舒城支行")
    Branch.objects.create(
        institution=bank, name="城关营业部", address="舒城县城关镇梅河路1号", phone="0564-8621234"
    )
    Contact.objects.create(institution=bank, name="王晓明", title="客户经理", phone="13800005678")
    ProductFactory(name="科创贷", provider=bank)
    ProductFactory(name="小额快贷", provider=bank, max_amount=Decimal("1000000"))
    ProductFactory(name="高企贷", provider=InstitutionFactory(), eligible_tiers=["hitech"])


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, width


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_enterprise_posts_a_need_sees_fitting_products_and_withdraws_it(
    browser_page, enterprise, products, screen
):
    user = EnterpriseAccountFactory(
        enterprise=enterprise, user=UserFactory(username=f"ent_{screen}", role=Role.ENTERPRISE_USER)
    ).user
    page = browser_page
    page.set_viewport_size(VIEWPORTS[screen])
    asked: list[str] = []
    page.on("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.login(user)
    if screen == "phone":
        page.click("[data-menu-toggle]")
    page.click(".mainnav >> text=融资需求")
    page.fill("#id_amount_wan", "200")
    page.fill("#id_purpose", "购置检测设备")
    page.fill("#id_term_months", "12")
    page.click("form button.primary")
    page.wait_for_load_state("networkidle")
    assert "融资需求已提交" in page.inner_text(".messages")
    need = FinancingNeed.objects.get(enterprise=enterprise)

    page.click("text=购置检测设备")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#need-stage") == "待受理"
    products = page.locator("#fitting-products > ol.matches > li")
    assert products.count() == 2
    best = products.nth(0).inner_text()
    assert "科创贷" in best and "匹配度 100/100" in best and "需求金额200万元在产品额度内" in best
    assert "城关营业部" in best and "0564-8621234" in best and "王**" in best
    assert "只能部分满足" in products.nth(1).inner_text()
    _no_horizontal_scroll(page)
    _shot(page, f"need-products-{screen}")

    page.click("#need-withdraw")
    page.wait_for_load_state("networkidle")
    assert any("撤回" in m for m in asked)
    assert "融资需求已撤回" in page.inner_text(".messages")
    assert page.inner_text("#need-stage") == "已撤回"
    assert page.locator("#need-withdraw").count() == 0
    need.refresh_from_db()
    assert need.status == NeedStatus.WITHDRAWN
    _no_horizontal_scroll(page)
    _shot(page, f"need-withdrawn-{screen}")

    page.click("text=查看并打印回执")
    page.wait_for_load_state("networkidle")
    assert f"-{need.pk:06d}" in page.inner_text(".reference")
    _shot(page, f"need-receipt-{screen}")
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert page.locator("#receipt").is_visible()
    _shot(page, f"need-receipt-print-{screen}")
    page.emulate_media(media="screen")

    if screen == "phone":
        page.click("[data-menu-toggle]")
    page.click(".mainnav >> text=我的事项")
    page.wait_for_load_state("networkidle")
    assert "已撤回" in page.inner_text("#portal-items")
    _no_horizontal_scroll(page)
    _shot(page, f"my-items-{screen}")
