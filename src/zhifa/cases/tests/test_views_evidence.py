"""Evidence pages of a case: the phone upload (camera, time, position), the
inline camera of an on-site step, the body-camera import, and the check."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.cases.models import Case, CaseEvidence
from zhifa.cases.tests import factories as f
from zhifa.cases.tests.files import (
    blob_storage,  # noqa: F401  (autouse fixture)
    png,
)
from zhifa.ledger.tests.test_evidence import JPEG, MP4, ZIP
from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import AgencyFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return f.world()


@pytest.fixture
def case(w):
    return f.file(w, f.register(w))


def upload_url(case) -> str:
    return reverse("cases:evidence_upload", args=[case.pk])


def test_upload_page_offers_the_camera(client, w, case):
    client.force_login(w.users[0])
    text = client.get(upload_url(case)).content.decode()
    assert 'accept="image/*,video/*,audio/*"' in text
    assert 'capture="environment"' in text and "multiple" in text
    assert 'name="latitude"' in text and 'name="captured_at"' in text
    assert "视听资料" in text


def test_upload_of_a_photo_attaches_it_with_time_and_place(client, w, case):
    client.force_login(w.users[0])
    taken = int(time.time() * 1000) - 60_000
    response = client.post(
        upload_url(case),
        {
            "camera": SimpleUploadedFile("现场.png", png(), content_type="image/png"),
            "kind": "audiovisual",
            "title": "店内货架",
            "step": "record_inspection",
            "captured_ms": str(taken),
            "latitude": "41.2970123456",
            "longitude": "124.1234567",
            "accuracy": "12.6",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    item = CaseEvidence.objects.get(case=case)
    assert item.title == "店内货架" and item.step == "record_inspection"
    assert item.source == CaseEvidence.Source.PHONE and item.blob.media_type == "image/png"
    assert item.captured_at == datetime.fromtimestamp(taken / 1000, tz=UTC)
    assert item.latitude == Decimal("41.297012") and item.accuracy_m == 13
    text = client.get(response["Location"]).content.decode()
    assert "店内货架" in text and "制作现场检查笔录" in text


def test_upload_goes_back_where_it_was_asked_from(client, w, case):
    client.force_login(w.users[0])
    back = reverse("cases:transition", args=[case.pk, "record_inspection"])
    response = client.post(
        upload_url(case),
        {"files": SimpleUploadedFile("a.jpg", JPEG), "kind": "audiovisual", "next": back},
    )
    assert response["Location"] == back
    assert CaseEvidence.objects.get(case=case).source == CaseEvidence.Source.DESK
    evil = client.post(
        upload_url(case),
        {
            "files": SimpleUploadedFile("b.png", png(1)),
            "kind": "physical",
            "next": "https://x.test/",
        },
    )
    assert evil["Location"] == reverse("cases:detail", args=[case.pk])


def test_several_files_are_independent(client, w, case):
    client.force_login(w.users[0])
    response = client.post(
        upload_url(case),
        {
            "camera": [
                SimpleUploadedFile("1.png", png(1)),
                SimpleUploadedFile("坏.zip", ZIP),
                SimpleUploadedFile("2.png", png(2)),
            ],
            "kind": "audiovisual",
            "title": "现场照片",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200  # some were added: not an error page
    assert sorted(CaseEvidence.objects.values_list("title", flat=True)) == [
        "现场照片（1/3）",
        "现场照片（3/3）",
    ]
    assert "坏.zip" in text and "不接受该文件" in text
    assert 'value="现场照片"' in text  # what was typed stays for the retry


def test_upload_without_a_file_keeps_the_form(client, w, case):
    client.force_login(w.users[0])
    response = client.post(upload_url(case), {"kind": "physical", "title": "扣押物品"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "请拍摄或选择至少一个文件" in text and 'value="扣押物品"' in text


def test_same_file_twice_is_refused_by_name(client, w, case):
    client.force_login(w.users[0])
    for _ in range(2):
        response = client.post(
            upload_url(case), {"camera": SimpleUploadedFile("x.png", png()), "kind": "audiovisual"}
        )
    assert response.status_code == 400 and "未重复附入" in response.content.decode()
    assert CaseEvidence.objects.filter(case=case).count() == 1


def test_htmx_upload_failure_answers_200_with_the_form_kept(client, w, case):
    """htmx swaps only 2xx answers: errors come back in a fragment it can show."""
    client.force_login(w.users[0])
    response = client.post(
        upload_url(case),
        {"files": SimpleUploadedFile("坏.zip", ZIP), "kind": "audiovisual", "title": "收据"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert "不接受该文件" in text and 'value="收据"' in text


def test_htmx_upload_success_redirects_the_page(client, w, case):
    client.force_login(w.users[0])
    response = client.post(
        upload_url(case),
        {"files": SimpleUploadedFile("a.png", png()), "kind": "audiovisual"},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Redirect"] == reverse("cases:detail", args=[case.pk])


def test_inline_camera_of_a_step_shows_what_it_holds(client, w, case):
    client.force_login(w.users[0])
    response = client.post(
        upload_url(case),
        {
            "camera": SimpleUploadedFile("检查.jpg", JPEG),
            "kind": "audiovisual",
            "step": "record_inspection",
            "inline": "1",
        },
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and 'id="step-evidence"' in text
    assert "本环节已附入" in text and "检查.jpg" in text
    page = client.get(reverse("cases:transition", args=[case.pk, "record_inspection"]))
    assert "检查.jpg" in page.content.decode()


def test_oversized_file_is_dropped_while_receiving_and_named(client, w, case, settings):
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 100
    client.force_login(w.users[0])
    response = client.post(
        upload_url(case),
        {"camera": [SimpleUploadedFile("大.png", png() + b"\x00" * 200)], "kind": "audiovisual"},
    )
    assert response.status_code == 400 and "大.png" in response.content.decode()
    assert not CaseEvidence.objects.exists()


def test_outsider_cannot_upload_to_a_case(client, w, case):
    outsider = UserFactory()
    grant(outsider, Role.OFFICER, agency=AgencyFactory())
    client.force_login(outsider)
    response = client.post(
        upload_url(case), {"camera": SimpleUploadedFile("a.png", png()), "kind": "audiovisual"}
    )
    assert response.status_code == 404 and not CaseEvidence.objects.exists()


def test_legal_reviewer_cannot_upload(client, w, case):
    client.force_login(w.reviewer)
    assert client.get(upload_url(case)).status_code == 403


def test_bodycam_import_reports_each_file(client, w, case):
    client.force_login(w.users[0])
    url = reverse("cases:bodycam_import", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "files": [
                SimpleUploadedFile("DSC0001.jpg", JPEG),
                SimpleUploadedFile("DSC0002.zip", ZIP),
                SimpleUploadedFile("DSC0003.png", png(3)),
            ],
            "device": "JLY-0427",
            "step": "record_inspection",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "已附入 2 个，未附入 1 个" in text and "DSC0002.zip" in text
    items = CaseEvidence.objects.filter(case=case).order_by("title")
    assert [i.title for i in items] == ["DSC0001.jpg", "DSC0003.png"]
    assert {(i.source, i.device, i.kind) for i in items} == {("bodycam", "JLY-0427", "audiovisual")}
    assert 'value="JLY-0427"' in text  # ready for the next batch from the same device


def test_bodycam_import_needs_files_and_a_device(client, w, case):
    client.force_login(w.users[0])
    response = client.post(reverse("cases:bodycam_import", args=[case.pk]), {})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"files", "device"}


def test_evidence_detail_checks_the_file(client, w, case):
    client.force_login(w.users[0])
    client.post(
        upload_url(case), {"camera": SimpleUploadedFile("a.png", png()), "kind": "audiovisual"}
    )
    item = CaseEvidence.objects.get(case=case)
    url = reverse("cases:evidence_detail", args=[case.pk, item.pk])
    text = client.get(url).content.decode()
    assert "核验通过" in text and item.blob.sha256 in text
    assert reverse("ledger:evidence_download", args=[item.blob.public_id]) in text


def test_evidence_detail_reports_a_damaged_file(client, w, case, tmp_path):
    client.force_login(w.users[0])
    client.post(
        upload_url(case), {"camera": SimpleUploadedFile("a.png", png()), "kind": "audiovisual"}
    )
    item = CaseEvidence.objects.get(case=case)
    (tmp_path / "blobs" / item.blob.storage_name).write_bytes(b"tampered")
    text = client.get(reverse("cases:evidence_detail", args=[case.pk, item.pk])).content.decode()
    assert "核验未通过" in text and "查看文件" not in text


def test_evidence_of_another_case_is_404(client, w, case):
    client.force_login(w.users[0])
    client.post(
        upload_url(case), {"camera": SimpleUploadedFile("a.png", png()), "kind": "audiovisual"}
    )
    item = CaseEvidence.objects.get(case=case)
    other = f.register(w, party=f.PERSON)
    url = reverse("cases:evidence_detail", args=[other.pk, item.pk])
    assert client.get(url).status_code == 404


def test_on_spot_case_decided_through_the_pages_with_its_recording(client, w):
    """当场处罚 end to end: party → recording attached inline → decision."""
    f.av_rule(w, "onsite_inspection")
    client.force_login(w.users[0])
    response = client.post(
        reverse("cases:on_spot"),
        {
            "kind": "natural",
            "name": "张三",
            "ident": f.PERSON["id_number"],
            "title": "占道经营",
            "place": "商业街路口",
        },
    )
    decide_url = response["Location"]
    case = Case.objects.get(title="占道经营")
    decision = {
        "item": w.item.pk,
        "officers_present": f.ids(w.officers[:2]),
        "facts": "当事人在禁止区域占道经营。",
        "legal_basis": "《某省市容和环境卫生管理条例》第二十条",
        "penalty_types": ["fine"],
        "fine_amount": "50",
        "place": "商业街路口",
    }
    refused = client.post(decide_url, decision)
    assert refused.status_code == 409 and "录音录像" in refused.content.decode()

    client.post(
        upload_url(case),
        {
            "camera": SimpleUploadedFile("执法记录.mp4", MP4),
            "kind": "audiovisual",
            "step": "decide_on_spot",
            "inline": "1",
        },
        headers={"HX-Request": "true"},
    )
    response = client.post(decide_url, decision | {"submission_key": "k"}, follow=True)
    text = response.content.decode()
    case.refresh_from_db()
    assert case.status == "decided" and case.fine_amount == Decimal("50")
    assert "已办理“当场作出行政处罚决定并交付”" in text and case.decision_number in text
