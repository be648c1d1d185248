"""What every app's tests share: the `browser` fixture, Debian's Chromium
driven by Playwright against `live_server` (skipped where Chromium is not
installed, required in CI: `make system-deps` installs it)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI 环境必须安装 Chromium（apt-get install chromium）")
        pytest.skip("未安装 Chromium：运行 make system-deps 安装后再测试浏览器流程")
    # Playwright's sync API runs an event loop in this thread; the tests' ORM
    # work happens between page actions, never inside them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()
