"""The `browser` fixture for the cases app's browser tests (see browser.py)."""

from __future__ import annotations

import os

import pytest

from zhifa.cases.tests.browser import CHROMIUM, LAUNCH_ARGS


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI 环境必须安装 Chromium（apt-get install chromium）")
        pytest.skip("未安装 Chromium：运行 make system-deps 安装后再测试浏览器流程")
    # Playwright's sync API runs an event loop in this thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()
