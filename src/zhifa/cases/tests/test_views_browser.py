"""The phone upload page in headless Chromium: captured time filled from the
file, and a dropped connection keeps everything entered for a retry."""

from __future__ import annotations

import pytest

from zhifa.cases.models import CaseEvidence
from zhifa.cases.tests import factories as f
from zhifa.cases.tests.files import blob_storage  # noqa: F401  (autouse fixture)
from zhifa.cases.tests.files import png as _png

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


@pytest.fixture
def inspection(live_server, browser):
    """An officer signed in on a phone-sized page, at the 现场检查笔录 step
    of a filed case: (page, case, the step's address)."""
    w = f.world()
    case = f.file(w, f.register(w))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    _log_in(page, live_server.url, w.users[0].username)
    step = f"{live_server.url}/staff/cases/{case.pk}/do/record_inspection/"
    page.goto(step)
    yield page, case, step
    context.close()


def test_inline_camera_keeps_the_record_being_typed(inspection):
    page, case, _ = inspection

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


def test_a_record_typed_on_site_survives_a_lost_submission_and_goes_once_taken(
    inspection, live_server
):
    # The officer types the inspection record, the network drops as they send
    # it: the browser shows its error page. Opening the step again brings the
    # text back from the phone; once the server takes the step, the draft goes.
    page, case, step = inspection
    context, base = page.context, live_server.url
    page.get_by_label("检查地点").fill("小市镇商业街12号店内")
    page.get_by_label("检查情况").fill("冷柜温度显示12℃，散装熟食未标注生产日期。")
    officers = page.locator("input[name=officers_present]")
    officers.nth(0).check()
    officers.nth(1).check()

    context.set_offline(True)
    page.get_by_role("button", name="提交：").click()
    page.wait_for_load_state()
    context.set_offline(False)
    assert not case.records.filter(transition="record_inspection").exists()

    page.goto(step)
    page.get_by_text("已恢复本机保存的草稿").wait_for()
    assert (
        page.get_by_label("检查情况").input_value() == "冷柜温度显示12℃，散装熟食未标注生产日期。"
    )
    assert page.get_by_label("检查地点").input_value() == "小市镇商业街12号店内"
    assert officers.nth(0).is_checked() and officers.nth(1).is_checked()

    page.get_by_role("button", name="提交：").click()
    page.wait_for_url(f"{base}/staff/cases/{case.pk}/")  # the #done- mark is gone again
    record = case.records.get(transition="record_inspection")
    assert "冷柜温度显示12℃" in str(record.data)
    page.goto(step)
    assert page.get_by_label("检查情况").input_value() == ""
    assert page.get_by_text("已恢复本机保存的草稿").count() == 0


def test_a_draft_can_be_discarded_and_signing_out_removes_the_users_drafts(inspection, live_server):
    page, _, step = inspection
    base = live_server.url
    page.get_by_label("检查情况").fill("草稿一")
    page.goto(step)
    page.get_by_role("button", name="放弃草稿").click()
    assert page.get_by_label("检查情况").input_value() == ""
    page.goto(step)
    assert page.get_by_text("已恢复本机保存的草稿").count() == 0

    page.get_by_label("检查情况").fill("草稿二")
    page.goto(f"{base}/staff/")
    page.once("dialog", lambda d: d.accept() if "1 份未提交" in d.message else d.dismiss())
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{base}/**")
    drafts = page.evaluate(
        "() => Object.keys(localStorage).filter((k) => k.startsWith('zhifa-draft:'))"
    )
    assert drafts == []
