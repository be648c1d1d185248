"""The server side of the phone's upload queue: each file comes with a
client-generated key; a resend of that key answers with the evidence it
already attached (200, JSON) instead of a refusal or a second row."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhifa.cases import services
from zhifa.cases.errors import DuplicateSubmission
from zhifa.cases.models import CaseEvidence
from zhifa.cases.tests import factories as f
from zhifa.cases.tests.test_views_evidence import png
from zhifa.ledger.models import Entry
from zhifa.ledger.tests.test_evidence import ZIP
from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import AgencyFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}


@pytest.fixture(autouse=True)
def blob_storage(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "blobs")},
        },
    }


@pytest.fixture
def w():
    return f.world()


@pytest.fixture
def case(w):
    return f.file(w, f.register(w))


def upload_url(case) -> str:
    return reverse("cases:evidence_upload", args=[case.pk])


def queued(key: str, content: bytes | None = None, **fields) -> dict:
    """One item of the queue as upload_queue.js sends it."""
    return {
        "camera": SimpleUploadedFile("现场.png", content or png(), content_type="image/png"),
        "kind": "audiovisual",
        "title": "店内货架",
        "step": "record_inspection",
        "client_key": key,
        **fields,
    }


def test_queued_upload_answers_201_with_the_evidence(client, w, case):
    client.force_login(w.users[0])
    taken = int(time.time() * 1000) - 3_600_000  # captured an hour before it got through
    before = timezone.now()
    response = client.post(
        upload_url(case), queued(str(uuid.uuid4()), captured_ms=str(taken)), headers=JSON
    )
    assert response.status_code == 201
    body = response.json()
    item = CaseEvidence.objects.get(case=case)
    assert body["ok"] is True and body["replay"] is False
    assert body["evidence"]["id"] == item.pk and body["evidence"]["title"] == "店内货架"
    assert body["evidence"]["url"] == reverse("cases:evidence_detail", args=[case.pk, item.pk])
    assert body["evidence"]["ledger_seq"] == item.entry.seq
    assert "已附入“店内货架”" in body["message"]
    # The phone's capture time, and the server's own time of receipt beside it.
    assert item.captured_at == datetime.fromtimestamp(taken / 1000, tz=UTC)
    assert item.uploaded_at >= before
    assert body["evidence"]["captured_at"] == item.captured_at.isoformat()
    assert body["evidence"]["uploaded_at"] == item.uploaded_at.isoformat()
    assert item.source == CaseEvidence.Source.PHONE


def test_resend_of_the_same_key_returns_the_same_evidence(client, w, case):
    client.force_login(w.users[0])
    key = str(uuid.uuid4())
    first = client.post(upload_url(case), queued(key), headers=JSON)
    entries = Entry.objects.count()

    # The answer was lost on the way back; the queue sends the item again.
    again = client.post(upload_url(case), queued(key), headers=JSON)

    assert first.status_code == 201 and again.status_code == 200
    body = again.json()
    assert body["ok"] is True and body["replay"] is True
    assert body["evidence"] == first.json()["evidence"]
    assert "此前已附入" in body["message"]
    assert CaseEvidence.objects.filter(case=case).count() == 1
    assert Entry.objects.count() == entries  # no second ledger entry, not even for the blob


def test_resend_through_the_plain_form_is_a_success_too(client, w, case):
    client.force_login(w.users[0])
    key = str(uuid.uuid4())
    client.post(upload_url(case), queued(key), headers=JSON)
    response = client.post(upload_url(case), queued(key))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert CaseEvidence.objects.filter(case=case).count() == 1


def test_same_file_under_a_new_key_is_still_refused_as_a_duplicate(client, w, case):
    client.force_login(w.users[0])
    client.post(upload_url(case), queued(str(uuid.uuid4())), headers=JSON)
    entries = Entry.objects.count()
    response = client.post(upload_url(case), queued(str(uuid.uuid4())), headers=JSON)
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["evidence"] is None
    assert body["message"] == "同一文件已作为“店内货架”附入本案，未重复附入。"
    assert CaseEvidence.objects.filter(case=case).count() == 1
    assert Entry.objects.count() == entries


def test_a_key_is_not_a_pass_for_another_file(client, w, case):
    client.force_login(w.users[0])
    key = str(uuid.uuid4())
    client.post(upload_url(case), queued(key), headers=JSON)
    response = client.post(upload_url(case), queued(key, png(9)), headers=JSON)
    assert response.status_code == 400
    assert "该上传编号已用于本案证据“店内货架”" in response.json()["message"]
    assert CaseEvidence.objects.filter(case=case).count() == 1


def test_a_colleagues_key_never_matches(client, w, case):
    """Keys are scoped to the user: the same key from a colleague is a new
    upload, and the same bytes are then refused as the same file."""
    key = str(uuid.uuid4())
    client.force_login(w.users[0])
    client.post(upload_url(case), queued(key), headers=JSON)
    client.force_login(w.users[1])
    response = client.post(upload_url(case), queued(key), headers=JSON)
    assert response.status_code == 400 and "未重复附入" in response.json()["message"]
    other = client.post(upload_url(case), queued(key, png(5), title="另一张"), headers=JSON)
    assert other.status_code == 201
    assert CaseEvidence.objects.filter(case=case).count() == 2


def test_outsider_gets_404_and_nothing_is_attached(client, w, case):
    outsider = UserFactory()
    grant(outsider, Role.OFFICER, agency=AgencyFactory())
    client.force_login(outsider)
    response = client.post(upload_url(case), queued(str(uuid.uuid4())), headers=JSON)
    assert response.status_code == 404 and not CaseEvidence.objects.exists()


def test_refused_type_answers_415_in_chinese(client, w, case):
    client.force_login(w.users[0])
    data = queued(str(uuid.uuid4()))
    data["camera"] = SimpleUploadedFile("坏.zip", ZIP)
    response = client.post(upload_url(case), data, headers=JSON)
    assert response.status_code == 415
    body = response.json()
    assert body["ok"] is False and "不接受该文件" in body["message"]
    assert body["results"][0]["name"] == "坏.zip"
    assert not CaseEvidence.objects.exists()


def test_missing_file_answers_400_in_chinese(client, w, case):
    client.force_login(w.users[0])
    response = client.post(
        upload_url(case), {"kind": "audiovisual", "client_key": "k"}, headers=JSON
    )
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and "请拍摄或选择至少一个文件" in body["message"]


def test_bad_field_is_named_in_the_json_error(client, w, case):
    client.force_login(w.users[0])
    response = client.post(upload_url(case), queued("k", kind="nonsense"), headers=JSON)
    assert response.status_code == 400
    assert response.json()["errors"]["kind"][0].startswith("证据种类：")


def test_oversized_file_answers_413(client, w, case, settings):
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 100
    client.force_login(w.users[0])
    response = client.post(upload_url(case), queued("k", png() + b"\x00" * 200), headers=JSON)
    body = response.json()
    assert response.status_code == 413 and body["results"][0]["name"] == "现场.png"
    assert body["message"].startswith("文件超过大小上限") and not CaseEvidence.objects.exists()


def test_capture_time_in_the_future_is_refused_in_chinese(client, w, case):
    client.force_login(w.users[0])
    later = int((timezone.now() + timedelta(hours=1)).timestamp() * 1000)
    response = client.post(upload_url(case), queued("k", captured_ms=str(later)), headers=JSON)
    assert response.status_code == 400 and "采集时间不能晚于现在" in response.json()["message"]


def test_overlong_key_is_refused(client, w, case):
    client.force_login(w.users[0])
    response = client.post(upload_url(case), queued("x" * 201), headers=JSON)
    assert response.status_code == 400 and "不能超过 200 个字符" in response.json()["message"]
    assert not CaseEvidence.objects.exists()


def test_browser_form_post_still_gets_html(client, w, case):
    client.force_login(w.users[0])
    browser_accept = {"Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"}
    data = queued("k")
    data["camera"] = SimpleUploadedFile("坏.zip", ZIP)
    response = client.post(upload_url(case), data, headers=browser_accept)
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_several_files_under_one_key_get_a_key_each(client, w, case):
    client.force_login(w.users[0])
    data = queued("k")
    data["camera"] = [SimpleUploadedFile("1.png", png(1)), SimpleUploadedFile("2.png", png(2))]
    first = client.post(upload_url(case), data, headers=JSON)
    data["camera"] = [SimpleUploadedFile("1.png", png(1)), SimpleUploadedFile("2.png", png(2))]
    again = client.post(upload_url(case), data, headers=JSON)
    assert first.status_code == 201 and again.status_code == 200
    assert [r["replay"] for r in again.json()["results"]] == [True, True]
    assert CaseEvidence.objects.filter(case=case).count() == 2


def test_two_sends_of_one_key_at_once_leave_one_row(w, case, monkeypatch):
    """The second of two simultaneous sends gets past the key check before the
    first has written its row; the database's unique key stops it."""
    key = "web:race"
    services.add_evidence(
        actor=w.users[0],
        case=case,
        file=SimpleUploadedFile("a.png", png(1)),
        kind="audiovisual",
        title="甲",
        client_key=key,
    )
    monkeypatch.setattr(services, "_replayed", lambda *args: None)
    with pytest.raises(DuplicateSubmission):
        services.add_evidence(
            actor=w.users[0],
            case=case,
            file=SimpleUploadedFile("b.png", png(2)),
            kind="audiovisual",
            title="乙",
            client_key=key,
        )
    assert list(CaseEvidence.objects.filter(case=case).values_list("title", flat=True)) == ["甲"]
    assert Entry.objects.filter(action="case.evidence_added").count() == 1


def test_upload_page_is_a_plain_form_that_the_queue_enhances(client, w, case):
    client.force_login(w.users[0])
    text = client.get(upload_url(case)).content.decode()
    assert 'method="post" enctype="multipart/form-data"' in text
    assert "data-upload-queue" in text and f'data-user="{w.users[0].pk}"' in text
    assert "/static/cases/upload_queue.js" in text
    assert "{#" not in text and "IndexedDB" not in text  # template comments stay server-side
