"""Each role on a 390×844 phone screen: no sideways page scroll, and every entry of the desktop
menu reachable through the menu button; at 1280 px the menu row stays as it was."""

import datetime

import pytest

from tests.enterprises.factories import ApprovedQualificationFactory, kind
from tests.factories import ActivityFactory, AnnualFiguresFactory, EnterpriseFactory, PeriodFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# The page's width against the screen's: a wider document scrolls sideways.
NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture(autouse=True)
def kinds(db):
    """Transactional tests flush the data migration's kinds: put them back."""
    from importlib import import_module

    from django.apps import apps

    import_module("enterprises.migrations.0003_qualification_kinds_and_overlap").add_kinds(
        apps, None
    )


@pytest.fixture
def rows(enterprise):
    """Enough rows that the lists hold long names, codes and several columns."""
    year = datetime.date.today().year
    firms = [
        enterprise,
        *EnterpriseFactory.create_batch(3, name="安徽省某某光电信息科技股份有限公司"),
    ]
    for firm in firms:
        AnnualFiguresFactory(enterprise=firm, year=year - 1)
    PeriodFactory(year=year, quarter=1)
    ApprovedQualificationFactory(enterprise=enterprise, kind=kind("tech_sme"), batch_year=year)
    ActivityFactory.create_batch(3, topic="数字化转型政策宣讲暨银企对接会（光电信息产业专场）")
    return firms


def _phone(chromium, live_server, user, viewport=PHONE, locale="zh-CN"):
    context = chromium.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Secret-pass-2024")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return context, page


def _menu_links(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        "#mainnav a", "els => els.map(a => [a.textContent.trim(), a.getAttribute('href')])"
    )


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("enterprise_user", "/portal/"),
        ("staff_user", "/staff/"),
        ("leader_user", "/dashboard/"),
        ("sysadmin_user", "/staff/"),
    ],
)
def test_each_role_reaches_every_menu_entry_on_a_phone(
    chromium, live_server, request, rows, persona, home
):
    from bureau.context_processors import nav_entries

    user = request.getfixturevalue(persona)
    context, page = _phone(chromium, live_server, user)
    try:
        page.goto(f"{live_server.url}{home}")
        entries = _menu_links(page)
        expected = [str(label) for _o, label, _n, roles in nav_entries() if user.role in roles]
        assert [label for label, _href in entries] == expected
        button = page.locator("[data-menu-toggle]")
        menu = page.locator("#mainnav")
        # Folded away on a phone, the button says so.
        assert menu.is_hidden()
        assert button.get_attribute("aria-expanded") == "false"
        assert button.get_attribute("aria-controls") == "mainnav"
        assert page.evaluate(NO_SIDEWAYS), f"{home} scrolls sideways at 390 px"
        # Each entry from the menu of the page the previous entry opened.
        for label, href in entries:
            assert page.locator("#mainnav").is_hidden()
            page.locator("[data-menu-toggle]").click()
            assert page.locator("[data-menu-toggle]").get_attribute("aria-expanded") == "true"
            link = page.locator("#mainnav a", has_text=label).first
            assert link.is_visible()
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
            with page.expect_navigation():
                link.click()
            assert page.url.split("?")[0].endswith(href)
            assert page.evaluate(NO_SIDEWAYS), f"{href} scrolls sideways at 390 px"
            page.screenshot(
                path=str(_artifact(f"phone-{persona}-{href.strip('/').replace('/', '_')}")),
                full_page=True,
            )
    finally:
        context.close()


def test_menu_button_works_from_the_keyboard(chromium, live_server, staff_user):
    context, page = _phone(chromium, live_server, staff_user)
    try:
        page.goto(f"{live_server.url}/staff/")
        button = page.locator("[data-menu-toggle]")
        button.focus()
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        assert page.locator("#mainnav").is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#mainnav') !== null")
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.locator("#mainnav").is_hidden()
        assert page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")
        page.keyboard.press("Space")
        assert page.locator("#mainnav").is_visible()
    finally:
        context.close()


def test_tables_scroll_inside_their_box_on_a_phone(chromium, live_server, rows, staff_user):
    context, page = _phone(chromium, live_server, staff_user)
    try:
        page.goto(f"{live_server.url}/enterprises/")
        assert page.evaluate(NO_SIDEWAYS)
        table = page.locator("table.table").first
        # The table is wider than the screen and scrolls by itself…
        assert table.evaluate("t => t.scrollWidth > t.clientWidth")
        assert table.evaluate("t => getComputedStyle(t).overflowX") == "auto"
        # …and a column heading stays on one line instead of one character per line.
        heading = page.locator("table.table th").first
        line = heading.evaluate("th => parseFloat(getComputedStyle(th).lineHeight)")
        assert heading.evaluate("th => th.getBoundingClientRect().height") < 2 * line + 20
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 640])
def test_form_fields_in_one_column_on_a_phone(chromium, live_server, staff_user, width):
    context, page = _phone(chromium, live_server, staff_user, {"width": width, "height": 844})
    try:
        page.goto(f"{live_server.url}/activities/new/")
        lefts = page.eval_on_selector_all(
            ".formgrid > .field", "els => els.map(e => Math.round(e.getBoundingClientRect().left))"
        )
        assert len(lefts) > 2 and len(set(lefts)) == 1
        assert page.evaluate(NO_SIDEWAYS)
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_top_bar_fits_a_phone_in_both_languages(chromium, live_server, staff_user, locale):
    context, page = _phone(chromium, live_server, staff_user, locale=locale)
    try:
        page.goto(f"{live_server.url}/staff/")
        assert page.locator("html").get_attribute("lang") == locale[:2].lower().replace(
            "zh", "zh-hans"
        )
        assert page.evaluate(NO_SIDEWAYS)
        bar = page.locator("header.topbar")
        assert bar.evaluate("h => h.scrollWidth <= h.clientWidth")
        for selector in (".brand", "[data-menu-toggle]", ".userbox .link"):
            for box in [el.bounding_box() for el in page.locator(selector).all()]:
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], selector
        page.screenshot(path=str(_artifact(f"phone-topbar-{locale}")))
    finally:
        context.close()


def test_desktop_keeps_its_menu_row_and_no_button(browser_page, live_server, rows, staff_user):
    page = browser_page
    page.login(staff_user)
    page.goto(f"{live_server.url}/enterprises/")
    assert page.locator("[data-menu-toggle]").is_hidden()
    assert page.locator("#mainnav").is_visible()
    tops = page.eval_on_selector_all(
        "#mainnav a", "els => els.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, "the desktop menu is one row"
    table = page.locator("table.table").first
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    assert page.evaluate(NO_SIDEWAYS)
    page.screenshot_as("desktop-staff-enterprises")


def _artifact(name: str):
    from tests.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
