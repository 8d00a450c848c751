"""The enterprise profile (7,400 px with the demo's data) opens with a sticky row of anchors,
one per section, its own and each app's; every anchor lands on its section at both widths."""

import re

import pytest

from tests.factories import AnnualFiguresFactory

APP_PARTS = ["p-incubation", "p-digital", "p-talent", "p-finance", "p-evidence"]


def _anchors(html: str) -> list[str]:
    nav = html[html.index('<nav class="profile-nav"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'href="#([\w-]+)"', nav)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_profile_lists_every_section_and_each_anchor_has_its_target(
    staff_client, enterprise, language
):
    html = staff_client.get(
        enterprise.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    anchors = _anchors(html)
    assert anchors[:6] == [
        "p-profile",
        "p-trends",
        "p-ladder",
        "p-prescreen",
        "p-annual",
        "p-quarterly",
    ]
    assert sorted(anchors[6:]) == sorted(APP_PARTS)
    for anchor in anchors:
        assert html.count(f'id="{anchor}"') == 1, anchor
    label = "科技金融" if language == "zh-hans" else "Technology finance"
    assert '<a href="#p-finance">' in html and label in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]
)
def test_anchor_scrolls_to_its_section_under_the_sticky_row(
    chromium, live_server, staff_user, enterprise, viewport
):
    for year in (2022, 2023, 2024):
        AnnualFiguresFactory(enterprise=enterprise, year=year)
    context = chromium.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", staff_user.username)
        page.fill("#id_password", "Secret-pass-2024")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{live_server.url}{enterprise.get_absolute_url()}")
        nav = page.locator(".profile-nav")
        for anchor in ("p-finance", "p-annual"):
            nav.locator(f'a[href="#{anchor}"]').click()
            page.wait_for_timeout(200)
            assert page.url.endswith(f"#{anchor}")
            section = page.locator(f"#{anchor}").bounding_box()
            bar = nav.bounding_box()
            # The row stays at the top of the screen, the section starts just below it.
            assert 0 <= bar["y"] <= 1
            assert bar["y"] + bar["height"] <= section["y"] + 1 < viewport["height"]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(_artifact(f"profile-anchors-{viewport['width']}")))
    finally:
        context.close()


def _artifact(name: str):
    from tests.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
