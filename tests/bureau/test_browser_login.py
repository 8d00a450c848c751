"""Each role logs in through the portal's own login page in Chromium and lands on its home."""

import pytest

from bureau.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("persona", "path", "heading"),
    [
        ("staff_user", "/staff/", "工作台"),
        ("leader_user", "/dashboard/", "年工作进展"),
        ("enterprise_user", "/portal/", "安徽自家光电有限公司"),
        ("sysadmin_user", "/admin/", "数据管理"),
    ],
)
def test_each_role_logs_in_and_sees_its_home(browser_page, request, persona, path, heading):
    user = request.getfixturevalue(persona)
    browser_page.login(user)
    assert browser_page.url.endswith(path)
    assert heading in browser_page.locator("h1").first.inner_text()
    browser_page.screenshot_as(f"home-{persona}")
    assert user.role in Role


def test_wrong_password_shows_chinese_error(browser_page, staff_user):
    browser_page.login(staff_user, password="wrong-password")
    assert "/accounts/login/" in browser_page.url
    assert "用户名或密码错误" in browser_page.content()
