"""The phone's upload queue in headless Chromium: a photo taken without a
network waits on the phone (待上传) and goes up when the network returns; a
lost answer is resent under the same key and attached once; a refused file
is not resent and can be discarded."""

from __future__ import annotations

import hashlib
import re

import pytest

from zhifa.cases.models import CaseEvidence
from zhifa.cases.tests import factories as f
from zhifa.cases.tests.files import blob_storage  # noqa: F401  (autouse fixture)
from zhifa.cases.tests.files import png as _png

KEY = re.compile(rb'name="client_key"\r\n\r\n([^\r]+)')

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(live_server, browser):
    """An officer signed in on a phone-sized page, at a case's upload page."""
    w = f.world()
    case = f.file(w, f.register(w))
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        permissions=["geolocation"],
        geolocation={"latitude": 41.297012, "longitude": 124.123456, "accuracy": 18},
    )
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/staff/login/")
    page.get_by_label("用户名").fill(w.users[0].username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/staff/")
    page.goto(f"{base}/staff/cases/{case.pk}/evidence/upload/")
    page.get_by_text("已记录采集位置").wait_for()
    yield page, case, w.users[0]
    context.close()


def _state(page, text: str):
    return page.locator("[data-queue-list] .queue-state", has_text=text)


def _take_photo(page, title: str, content: bytes) -> None:
    page.get_by_label("证据名称").fill(title)
    page.set_input_files(
        "input[name=camera]", files=[{"name": "a.png", "mimeType": "image/png", "buffer": content}]
    )
    page.get_by_role("button", name="上传并存证").click()


def test_photo_taken_offline_goes_up_when_the_network_returns(phone):
    page, case, _ = phone
    page.context.set_offline(True)

    _take_photo(page, "店内货架照片", _png())

    _state(page, "待上传").wait_for()
    page.get_by_text("当前没有网络").wait_for()
    assert page.locator("input[name=camera]").evaluate("el => el.files.length") == 0
    assert not CaseEvidence.objects.exists()

    page.context.set_offline(False)

    _state(page, "已上传").wait_for()
    item = CaseEvidence.objects.get(case=case)
    assert item.title == "店内货架照片" and item.source == CaseEvidence.Source.PHONE
    assert item.captured_at is not None and item.captured_at <= item.uploaded_at
    assert (str(item.latitude), str(item.longitude), item.accuracy_m) == (
        "41.297012",
        "124.123456",
        18,
    )


def test_queued_photo_survives_a_reload_and_a_lost_answer(phone):
    page, case, user = phone
    keys: list[bytes] = []

    def fail_then_lose_the_answer(route):
        if route.request.method != "POST":
            return route.continue_()
        keys.append(KEY.search(route.request.post_data_buffer).group(1))
        if len(keys) == 1:
            return route.abort("internetdisconnected")  # never reaches the server
        route.fetch()  # reaches the server and is attached …
        return route.abort("connectionreset")  # … but the answer is lost

    page.route("**/evidence/upload/", fail_then_lose_the_answer)
    _take_photo(page, "门头照片", _png(1))
    # The item shows 待上传 from the moment it is saved; the reason appears
    # when the first send has failed.
    _state(page, "待上传").wait_for()
    page.get_by_text("网络中断或服务器没有响应").wait_for()
    if len(keys) == 1:  # the retry (3 s later at the earliest) has not gone yet
        assert not CaseEvidence.objects.exists()

    # The page is closed and opened again: the photo is still on the phone.
    page.reload()
    _state(page, "待上传").wait_for()
    page.get_by_text(re.compile("已尝试 [2-9] 次")).wait_for()
    assert CaseEvidence.objects.filter(case=case).count() == 1

    page.unroute("**/evidence/upload/")
    page.get_by_role("button", name="立即重试").click()
    _state(page, "已上传").wait_for()
    assert page.get_by_text("此前已附入“门头照片”").is_visible()

    item = CaseEvidence.objects.get(case=case)  # one row for three sends
    assert len(set(keys)) == 1
    scoped = hashlib.sha256(f"{user.pk}\x00{keys[0].decode()}".encode()).hexdigest()
    assert item.client_key == f"web:{scoped[:60]}"


def test_refused_file_is_not_resent_and_can_be_discarded(phone):
    page, _, _ = phone
    sent = []
    page.on("request", lambda r: sent.append(r) if r.method == "POST" else None)

    page.get_by_label("证据种类").select_option(label="书证")
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "说明.txt", "mimeType": "text/plain", "buffer": "不是证据".encode()}],
    )
    page.get_by_role("button", name="上传并存证").click()

    refused = _state(page, "失败：")
    refused.wait_for()
    assert "不接受" in refused.inner_text()

    # Kept on the phone with the server's reason, and not sent again on the
    # next page load, which sends everything still waiting.
    page.reload(wait_until="networkidle")
    refused.wait_for()
    assert len(sent) == 1 and not CaseEvidence.objects.exists()

    page.get_by_role("button", name="放弃此项").click()
    refused.wait_for(state="detached")
    page.reload(wait_until="networkidle")
    assert page.locator("[data-queue-list] .queue-item").count() == 0
    assert len(sent) == 1


def test_a_queued_photo_goes_up_from_any_staff_page(phone):
    # Taken where the server could not be reached, then the officer moves on
    # to the case page: the photo is sent from there, and the page says so.
    page, case, _ = phone
    page.route("**/evidence/upload/", lambda r: r.abort("internetdisconnected"))
    _take_photo(page, "仓库照片", _png(3))
    page.get_by_text("网络中断或服务器没有响应").wait_for()
    assert not CaseEvidence.objects.exists()
    page.unroute("**/evidence/upload/")
    hold = []  # the first send from the case page waits until we have looked

    def held(route):
        if route.request.method == "POST" and not hold:
            hold.append(route)
            return
        route.continue_()

    page.route("**/evidence/upload/", held)
    page.goto(f"{page.url.split('/staff/')[0]}/staff/cases/{case.pk}/")

    line = page.locator("[data-upload-queue-status]")
    line.get_by_text(
        re.compile("证据文件上传中：仓库照片(，已发送 100%)?（共 1 个待上传）")
    ).wait_for()
    assert line.get_by_role("link", name=f"查看上传队列（案件 {case.number}）").is_visible()
    hold[0].continue_()
    line.get_by_text("本页已上传 1 个").wait_for()
    assert CaseEvidence.objects.get(case=case).title == "仓库照片"
    # Nothing left on the phone: the next page shows no line.
    page.reload(wait_until="networkidle")
    assert page.locator("[data-upload-queue-status]").is_hidden()


def test_the_row_of_a_file_being_sent_shows_how_much_has_gone(phone, monkeypatch):
    # The server (live_server runs in this process) holds its answer until we
    # have looked: the whole body has gone, and the row says so with a bar.
    import threading

    from zhifa.cases import services

    page, case, _ = phone
    looked = threading.Event()
    add_evidence = services.add_evidence

    def after_a_look(**kwargs):
        looked.wait(30)
        return add_evidence(**kwargs)

    monkeypatch.setattr(services, "add_evidence", after_a_look)
    _take_photo(page, "现场录像截图", _png(4))

    row = page.locator("[data-queue-list] .queue-item.is-uploading")
    row.get_by_text("已发送，等待服务器确认").wait_for()
    assert row.locator("progress").get_attribute("value") == "100"

    looked.set()
    _state(page, "已上传").wait_for()
    assert page.locator("[data-queue-list] progress").count() == 0
    assert CaseEvidence.objects.get(case=case).title == "现场录像截图"
