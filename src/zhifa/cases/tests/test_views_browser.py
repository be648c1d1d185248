"""The phone upload page in headless Chromium: captured time filled from the
file, and a dropped connection keeps everything entered for a retry."""

from __future__ import annotations

import pytest

from zhifa.cases.models import CaseEvidence
from zhifa.cases.tests import factories as f
from zhifa.cases.tests.browser import blob_storage  # noqa: F401  (autouse fixture)
from zhifa.cases.tests.browser import png as _png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\xff\xdb\x00\x43\x00"
    + bytes(range(64))
    + b"\xff\xd9"
)


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/staff/")


def test_inline_camera_keeps_the_record_being_typed(live_server, browser):
    w = f.world()
    case = f.file(w, f.register(w))
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    _log_in(page, base, w.users[0].username)
    page.goto(f"{base}/staff/cases/{case.pk}/do/record_inspection/")

    page.get_by_label("检查情况").fill("货架上有散装熟食待售。")
    page.set_input_files(
        "#step-evidence input[name=camera]",
        files=[{"name": "货架.png", "mimeType": "image/png", "buffer": _png()}],
    )
    page.locator("#step-evidence").get_by_role("button", name="上传并存证").click()
    page.locator("#step-evidence").get_by_text("本环节已附入").wait_for()
    assert CaseEvidence.objects.get(case=case).step == "record_inspection"
    assert page.get_by_label("检查情况").input_value() == "货架上有散装熟食待售。"

    # The swapped-in form works again (Alpine and htmx picked it up).
    page.set_input_files(
        "#step-evidence input[name=files]",
        files=[{"name": "b.jpg", "mimeType": "image/jpeg", "buffer": JPEG}],
    )
    assert page.locator("#step-evidence input[name=captured_ms]").input_value().isdigit()
    page.locator("#step-evidence").get_by_role("button", name="上传并存证").click()
    page.locator("#step-evidence .queue-item.is-done", has_text="b.jpg").wait_for()
    assert CaseEvidence.objects.filter(case=case).count() == 2
    context.close()
