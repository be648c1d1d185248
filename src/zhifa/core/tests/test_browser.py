"""Smoke test in headless Chromium: log in and see the role home page; switch on
large-text mode in the portal and see it persist across pages."""

import pytest

from zhifa.orgs.tests.factories import AgencyFactory, Role, UnitFactory, UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_sees_their_home_page(live_server, browser):
    agency = AgencyFactory(name="本溪满族自治县市场监督管理局")
    user = UserFactory(username="zhangwei", name="张伟")
    grant(
        user, Role.OFFICER, agency=agency, unit=UnitFactory(agency=agency, name="综合行政执法大队")
    )

    page = browser.new_page()
    page.goto(f"{live_server.url}/staff/")
    assert "/staff/login/" in page.url
    page.get_by_label("用户名").fill("zhangwei")
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    assert page.get_by_role("heading", name="工作台").is_visible()
    assert page.get_by_text("综合行政执法大队").first.is_visible()


def test_large_text_mode_persists_across_portal_pages(live_server, browser):
    AgencyFactory(name="本溪满族自治县住房和城乡建设局")
    page = browser.new_page()
    page.goto(f"{live_server.url}/")
    normal = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    page.get_by_role("link", name="大字模式").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    large = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(large.removesuffix("px")) > float(normal.removesuffix("px"))
    page.get_by_role("link", name="事前公开").first.click()
    page.wait_for_load_state()
    assert "/agencies/" in page.url
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    assert page.get_by_role("link", name="标准模式").is_visible()
