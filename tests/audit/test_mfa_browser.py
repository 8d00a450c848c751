"""Two-factor sign-in in real Chromium: enrolment with a token computed here, then a sign-in
with the password and a fresh token, at desktop width; the pages shot in both languages at
1280 and 390 px (var/test-artifacts/mfa-*.png)."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import EventKind, SecurityEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _token(hex_key: str, at: float | None = None) -> str:
    clock = TOTP(bytes.fromhex(hex_key), 30, 0, 6, 0)
    clock.time = at if at is not None else time.time()
    return f"{clock.token():06d}"


def _fresh_token(hex_key: str) -> str:
    """The token now; django-otp accepts one step either side, so no wait at a step's edge."""
    return _token(hex_key)


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED = True


def test_staff_enrols_and_signs_in_with_a_totp_in_chromium(browser_page, mfa_required, staff_user):
    page = browser_page
    page.login(staff_user)
    # Not enrolled: the portal asks for enrolment before anything else.
    assert "/accounts/two-factor/setup/" in page.url
    page.screenshot_as("mfa-setup-welcome-zh-1280")
    page.click("button.primary")
    # The QR code loads (an SVG from the portal itself: CSP's img-src 'self' lets it in).
    page.wait_for_function(
        "() => { const i = document.querySelector('.qrcode img'); return i && i.complete"
        " && i.naturalWidth > 0; }"
    )
    page.screenshot_as("mfa-setup-qr-zh-1280")
    secret = page.locator(".secret").inner_text().strip()
    hex_key = b32decode(secret + "=" * (-len(secret) % 8)).hex()
    page.fill("#id_generator-token", _fresh_token(hex_key))
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert "/accounts/two-factor/setup/complete/" in page.url
    page.screenshot_as("mfa-setup-complete-zh-1280")
    page.click("a.button.primary")  # backup codes
    page.click("button.primary")
    page.wait_for_selector(".backup-codes li")
    assert page.locator(".backup-codes li").count() == 10
    page.screenshot_as("mfa-backup-codes-zh-1280")
    assert TOTPDevice.objects.get(user=staff_user).key == hex_key

    # Sign out, and in again: password, then a token computed from the enrolled key.
    page.click("header form.inline button")
    page.wait_for_load_state("networkidle")
    page.login(staff_user)
    assert page.locator("#id_token-otp_token").is_visible()
    page.screenshot_as("mfa-token-zh-1280")
    page.fill("#id_token-otp_token", "000000" if _token(hex_key) != "000000" else "111111")
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert "动态口令错误" in page.content()
    page.screenshot_as("mfa-token-wrong-zh-1280")
    time.sleep(1.1)  # django-otp's back-off after one wrong token: 1 s
    page.fill("#id_token-otp_token", _fresh_token(hex_key))
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/staff/")
    assert SecurityEvent.objects.filter(kind=EventKind.MFA_FAILED, username="staff").count() == 1
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN, detail__mfa="totpdevice").exists()


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_token_and_enrolment_pages_in_both_languages_and_widths(
    chromium, live_server, mfa_required, staff_user, leader_user, language, width
):
    from django_otp.plugins.otp_static.models import StaticDevice

    TOTPDevice.objects.create(user=staff_user, name="default", confirmed=True)
    StaticDevice.objects.create(user=staff_user, name="backup").token_set.create(token="a1b2c3d4")
    context = chromium.new_context(locale=language, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    from tests.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tag = f"{'zh' if language == 'zh-CN' else 'en'}-{width}"
    try:
        for user, shot in ((staff_user, "token"), (leader_user, "setup")):
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", "Secret-pass-2024")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            if shot == "setup":
                page.click("button.primary")
                page.wait_for_function(
                    "() => { const i = document.querySelector('.qrcode img');"
                    " return i && i.complete && i.naturalWidth > 0; }"
                )
            if shot == "token":
                # The way to a backup code and back is visible, not white on white.
                backup = page.locator("button[name=wizard_goto_step][value=backup]")
                assert backup.is_visible()
                color = backup.evaluate("b => getComputedStyle(b).color")
                assert color not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), color
            html = page.content()
            if language == "en":
                assert "动态口令" not in html and "双因素" not in html, shot
            else:
                assert "动态口令" in html, shot
            page.screenshot(path=str(ARTIFACTS / f"mfa-{shot}-{tag}.png"), full_page=True)
            # Nothing wider than the screen.
            wide = page.evaluate(
                "() => [...document.querySelectorAll('main *')].filter("
                "e => e.getBoundingClientRect().right > window.innerWidth + 1).map("
                "e => e.tagName + '.' + e.className).slice(0, 5)"
            )
            assert wide == [], (shot, wide)
            context.clear_cookies()
    finally:
        context.close()
