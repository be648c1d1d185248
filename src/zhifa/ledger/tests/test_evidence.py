"""Evidence files: content-addressed storage, digests in the ledger, verified reads."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import include, path, reverse

from zhifa import urls as project_urls
from zhifa.ledger import canonical, evidence, views_evidence
from zhifa.ledger import urls as ledger_urls
from zhifa.ledger.evidence import EvidenceError, evidence_open, evidence_store, evidence_verify
from zhifa.ledger.models import Entry, EvidenceBlob
from zhifa.orgs.tests.factories import AgencyFactory, Role, UnitFactory, UserFactory, grant

# The routes as proposed for zhifa/ledger/urls.py (namespace "ledger"). The
# project's own ledger routes are merged in, so the namespace stays unique
# before and after the routes are added there.
EVIDENCE_ROUTES = [
    path("staff/evidence/upload/", views_evidence.evidence_upload, name="evidence_upload"),
    path(
        "staff/evidence/<uuid:public_id>/",
        views_evidence.evidence_download,
        name="evidence_download",
    ),
    path(
        "staff/evidence/<uuid:public_id>/info/",
        views_evidence.evidence_detail,
        name="evidence_detail",
    ),
]
_existing = {getattr(p, "name", None) for p in ledger_urls.urlpatterns}
urlpatterns = [
    *(p for p in project_urls.urlpatterns if getattr(p, "namespace", None) != "ledger"),
    path(
        "",
        include(
            (
                [
                    *ledger_urls.urlpatterns,
                    *(r for r in EVIDENCE_ROUTES if r.name not in _existing),
                ],
                "ledger",
            )
        ),
    ),
]

pytestmark = pytest.mark.django_db


# --- minimal valid files --------------------------------------------------------------


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def _hdlr(handler: bytes) -> bytes:
    return _box(b"hdlr", b"\x00" * 8 + handler + b"\x00" * 12 + b"\x00")


def iso_file(major: bytes, *compatible: bytes, handlers: tuple[bytes, ...] = ()) -> bytes:
    ftyp = _box(b"ftyp", major + b"\x00\x00\x02\x00" + b"".join(compatible))
    traks = b"".join(_box(b"trak", _box(b"mdia", _hdlr(h))) for h in handlers)
    moov = _box(b"moov", _box(b"mvhd", b"\x00" * 100) + traks) if handlers else b""
    return ftyp + moov + _box(b"mdat", b"\x00\x01\x02\x03" * 64)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\xff\xdb\x00\x43\x00"
    + bytes(range(64))
    + b"\xff\xd9"
)
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    + _png_chunk(b"IEND", b"")
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MP4 = iso_file(b"isom", b"isom", b"iso2", b"avc1", b"mp41", handlers=(b"vide", b"soun"))
# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz: 417-byte frames.
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def storage_dir(tmp_path, settings) -> Path:
    """A fresh filesystem storage per test (setting STORAGES resets default_storage)."""
    location = tmp_path / "blobs"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def officer(agency):
    user = UserFactory()
    grant(user, Role.OFFICER, agency=agency)
    return user


@pytest.fixture
def outsider():
    user = UserFactory()
    grant(user, Role.OFFICER, agency=AgencyFactory())
    return user


def store(agency, actor, data: bytes, name: str = "现场照片.jpg") -> EvidenceBlob:
    return evidence_store(
        agency=agency,
        subject=("test.case", "1"),
        actor=actor,
        file=ContentFile(data),
        original_name=name,
    )


def stored_files(location: Path) -> list[Path]:
    return [p for p in location.rglob("*") if p.is_file()]


# --- detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (PDF, "application/pdf"),
        (b"\xef\xbb\xbf\r\n%PDF-1.7\n", "application/pdf"),
        (MP4, "video/mp4"),
        (iso_file(b"mp42", b"isom", handlers=(b"soun",)), "audio/mp4"),
        (iso_file(b"M4A ", b"M4A ", b"mp42", b"isom"), "audio/mp4"),
        (iso_file(b"qt  ", b"qt  "), "video/quicktime"),
        (iso_file(b"heic", b"mif1", b"heic"), "image/heic"),
        (iso_file(b"mif1", b"mif1", b"heic"), "image/heic"),
        (iso_file(b"mif1", b"mif1"), "image/heif"),
        (iso_file(b"avif", b"mif1", b"avif"), "image/avif"),
        (iso_file(b"3gp4", b"3gp4", b"isom"), "video/3gpp"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + b"\x00" * 32, "audio/wav"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 \x10\x00\x00\x00" + b"\x00" * 32, "image/webp"),
        (
            b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04"
            b"\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02",
            "video/webm",
        ),
        (
            b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04"
            b"\x42\xf3\x81\x08\x42\x82\x88matroska\x42\x87\x81\x04\x42\x85\x81\x02",
            "video/x-matroska",
        ),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + MP3_FRAME * 2, "audio/mpeg"),
        (MP3_FRAME * 3, "audio/mpeg"),
        (b"#!AMR\n" + b"\x3c" + b"\x00" * 31, "audio/amr"),
        (b"#!AMR-WB\n" + b"\x00" * 32, "audio/amr-wb"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00", "image/gif"),
        ("检查笔录".encode() * 10, "text/plain"),
    ],
)
def test_media_type_is_detected_from_content(data, expected):
    assert evidence.detect_media_type(data)[0] == expected


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\x00\x00 not a jpeg",  # puremagic calls a bare FF D8 a JPEG
        b"\xff\xfb\x90\x64" + b"\x00" * 500,  # one frame sync, no second frame
        ZIP,
        b"\x00\x01\x02\x03\x04\x05\x06\x07",
    ],
)
def test_weak_or_unknown_signatures_are_not_evidence_types(data):
    mime, _ = evidence.detect_media_type(data)
    assert mime is None or mime not in evidence.accepted_types()


# --- storing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "media_type"),
    [(JPEG, "image/jpeg"), (PNG, "image/png"), (PDF, "application/pdf"), (MP4, "video/mp4")],
)
def test_store_records_both_digests_in_the_row_and_the_ledger(
    agency, officer, storage_dir, data, media_type
):
    blob = store(agency, officer, data, name="现场.bin")

    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert blob.sm3 == hashlib.new("sm3", data).hexdigest()
    assert (blob.size, blob.media_type, blob.original_name) == (len(data), media_type, "现场.bin")
    assert (
        blob.storage_name == f"evidence/sha256/{blob.sha256[:2]}/{blob.sha256[2:4]}/{blob.sha256}"
    )
    assert (storage_dir / blob.storage_name).read_bytes() == data
    body = canonical.decode(blob.entry.data)
    assert body["action"] == "evidence.stored"
    assert body["payload"] == {
        "sha256": blob.sha256,
        "sm3": blob.sm3,
        "size": len(data),
        "media_type": media_type,
        "blob": str(blob.public_id),
    }
    assert "现场" not in bytes(blob.entry.data).decode()  # no file name in the ledger
    assert body["subject"] == {"type": "test.case", "id": "1"}
    assert blob.uploaded_by == officer and blob.agency == agency
    assert evidence_verify(blob) == []


def test_same_bytes_twice_are_stored_once_with_two_rows_and_two_entries(
    agency, officer, storage_dir
):
    first = store(agency, officer, JPEG)
    second = store(agency, officer, JPEG, name="再次上传.jpg")

    assert first.storage_name == second.storage_name
    assert len(stored_files(storage_dir)) == 1
    assert EvidenceBlob.objects.filter(sha256=first.sha256).count() == 2
    assert first.entry_id != second.entry_id
    assert Entry.objects.filter(action="evidence.stored").count() == 2


@override_settings(ZHIFA_EVIDENCE_MAX_BYTES=3 * 1024 * 1024)
def test_a_file_over_the_limit_is_refused_while_reading(agency, officer, storage_dir):
    class Endless(io.RawIOBase):
        """A non-seekable stream that never ends; counts what was read."""

        served = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = (JPEG * (len(buffer) // len(JPEG) + 1))[: len(buffer)]
            self.served += len(buffer)
            return len(buffer)

    stream = Endless()
    with pytest.raises(EvidenceError, match="ZHIFA_EVIDENCE_MAX_BYTES") as caught:
        evidence_store(agency=agency, subject=("test.case", "1"), actor=officer, file=stream)

    assert caught.value.code == "too_large"
    assert "3 MiB" in str(caught.value)
    assert stream.served <= 3 * 1024 * 1024 + evidence.CHUNK_SIZE
    assert not EvidenceBlob.objects.exists()
    assert not Entry.objects.filter(action="evidence.stored").exists()
    assert stored_files(storage_dir) == []


@override_settings(ZHIFA_EVIDENCE_MAX_BYTES=100)
def test_a_declared_size_over_the_limit_is_refused_before_reading(agency, officer):
    upload = SimpleUploadedFile("大文件.mp4", MP4)
    with pytest.raises(EvidenceError, match="上限 100 字节"):
        evidence_store(agency=agency, subject=("test.case", "1"), actor=officer, file=upload)


def test_a_wrong_type_is_refused_even_with_a_jpg_name(agency, officer, storage_dir):
    with pytest.raises(EvidenceError) as caught:
        store(agency, officer, ZIP, name="现场照片.jpg")

    message = str(caught.value)
    assert caught.value.code == "type"
    assert "application/zip" in message and "image/jpeg" in message
    assert "与文件名和扩展名无关" in message
    assert not EvidenceBlob.objects.exists()
    assert stored_files(storage_dir) == []


@override_settings(ZHIFA_EVIDENCE_TYPES=["image/png"])
def test_only_configured_types_are_accepted(agency, officer):
    assert store(agency, officer, PNG).media_type == "image/png"
    with pytest.raises(EvidenceError, match="可接受的类型为：PNG 图片"):
        store(agency, officer, JPEG)


def test_an_empty_file_is_refused(agency, officer):
    with pytest.raises(EvidenceError, match="文件为空") as caught:
        store(agency, officer, b"")
    assert caught.value.code == "empty"


def test_a_non_seekable_stream_is_stored(agency, officer, storage_dir):
    class OneWay(io.RawIOBase):
        def __init__(self, data):
            self._data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            return self._data.readinto(buffer)

    data = PDF + b"%" + b"x" * 3_000_000
    blob = evidence_store(
        agency=agency,
        subject=("test.case", "1"),
        actor=officer,
        file=io.BufferedReader(OneWay(data)),
    )

    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert (storage_dir / blob.storage_name).read_bytes() == data


def test_a_user_of_another_agency_cannot_store_for_it(agency, outsider):
    with pytest.raises(EvidenceError, match="不能为其存证") as caught:
        store(agency, outsider, JPEG)
    assert caught.value.code == "forbidden"


def test_a_failed_record_leaves_no_row(agency, officer, monkeypatch):
    def refuse(**kwargs):
        raise evidence.LedgerError("记录失败")

    monkeypatch.setattr(evidence, "record", refuse)
    with pytest.raises(evidence.LedgerError):
        store(agency, officer, JPEG)
    assert not EvidenceBlob.objects.exists()


def test_a_leftover_partial_object_is_replaced(agency, officer, storage_dir):
    name = evidence.storage_name_for(hashlib.sha256(JPEG).hexdigest())
    default_storage.save(name, ContentFile(JPEG[:10]))  # an interrupted earlier write

    blob = store(agency, officer, JPEG)

    assert (storage_dir / blob.storage_name).read_bytes() == JPEG
    assert evidence_verify(blob) == []


def test_a_damaged_object_that_rows_refer_to_is_not_silently_replaced(agency, officer, storage_dir):
    blob = store(agency, officer, JPEG)
    (storage_dir / blob.storage_name).write_bytes(JPEG[:10])

    with pytest.raises(EvidenceError, match="可能已被篡改或损坏") as caught:
        store(agency, officer, JPEG)
    assert caught.value.code == "conflict"


def test_bytes_that_change_between_hashing_and_writing_are_refused(agency, officer, storage_dir):
    class Shifty(io.BytesIO):
        """Serves other bytes once rewound, as a file rewritten mid-upload would."""

        rewinds = 0

        def seek(self, offset, whence=0):
            if offset == 0 and whence == 0:
                self.rewinds += 1
                if self.rewinds == 2:
                    self.getbuffer()[-1] ^= 0xFF
            return super().seek(offset, whence)

    with pytest.raises(EvidenceError, match="发生了变化") as caught:
        evidence_store(agency=agency, subject=("test.case", "1"), actor=officer, file=Shifty(PDF))

    assert caught.value.code == "changed"
    assert stored_files(storage_dir) == []
    assert not EvidenceBlob.objects.exists()


# --- reading ---------------------------------------------------------------------------


def test_open_returns_the_verified_bytes_and_records_the_view(agency, officer):
    blob = store(agency, officer, PDF)

    with evidence_open(blob=blob, actor=officer) as handle:
        assert handle.read() == PDF

    viewed = Entry.objects.get(action="evidence.viewed")
    assert viewed.actor == officer
    assert (viewed.subject_type, viewed.subject_id) == ("ledger.evidenceblob", str(blob.public_id))
    assert canonical.decode(viewed.data)["payload"] == {
        "blob": str(blob.public_id),
        "sha256": blob.sha256,
    }


def test_open_without_recording(agency, officer):
    blob = store(agency, officer, PDF)
    evidence_open(blob=blob, actor=officer, record_view=False).close()
    evidence_open(blob=blob).close()
    assert not Entry.objects.filter(action="evidence.viewed").exists()


def test_tampered_bytes_are_never_served(agency, officer, storage_dir):
    blob = store(agency, officer, JPEG)
    # Same size, one byte changed: only the digests can tell.
    path_ = Path(default_storage.path(blob.storage_name))
    path_.write_bytes(JPEG[:-3] + b"\x00" + JPEG[-2:])

    with pytest.raises(EvidenceError, match="证据文件已被篡改或损坏") as caught:
        evidence_open(blob=blob, actor=officer)

    assert caught.value.code == "tampered"
    assert str(blob.public_id) in str(caught.value)
    assert "SHA-256 摘要不符" in str(caught.value) and "SM3 摘要不符" in str(caught.value)
    assert not Entry.objects.filter(action="evidence.viewed").exists()
    assert set(evidence_verify(blob)) == {"SHA-256 摘要不符", "SM3 摘要不符"}


def test_a_replaced_file_with_a_matching_row_is_caught_by_the_ledger(agency, officer):
    blob = store(agency, officer, JPEG)
    forged = JPEG[:-2] + b"\x01\xff\xd9"
    Path(default_storage.path(blob.storage_name)).write_bytes(forged)
    # Whoever replaced the file also rewrote the row's digests to match it.
    blob.sha256 = hashlib.sha256(forged).hexdigest()
    blob.sm3 = hashlib.new("sm3", forged).hexdigest()
    blob.size = len(forged)

    problems = evidence_verify(blob)

    assert f"证据文件登记的 sha256 与记录 #{blob.entry.seq} 不一致" in problems
    assert f"证据文件登记的 sm3 与记录 #{blob.entry.seq} 不一致" in problems
    with pytest.raises(EvidenceError, match="证据文件已被篡改或损坏"):
        evidence_open(blob=blob, actor=officer)


def test_a_missing_object_is_reported(agency, officer):
    blob = store(agency, officer, PNG)
    default_storage.delete(blob.storage_name)

    assert evidence_verify(blob) == [f"存储对象 {blob.storage_name} 不存在"]
    with pytest.raises(EvidenceError, match="存储对象不存在"):
        evidence_open(blob=blob, actor=officer)


def test_an_outsider_cannot_open(agency, officer, outsider):
    blob = store(agency, officer, PNG)
    with pytest.raises(EvidenceError) as caught:
        evidence_open(blob=blob, actor=outsider)
    assert caught.value.code == "forbidden"


# --- views -----------------------------------------------------------------------------

views = override_settings(ROOT_URLCONF=__name__)


@views
def test_upload_page_is_phone_friendly(client, officer):
    client.force_login(officer)
    response = client.get(reverse("ledger:evidence_upload"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'accept="image/*,video/*,audio/*,application/pdf"' in page
    assert 'capture="environment"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "上传并存证" in page


@views
def test_upload_stores_and_shows_digests_and_sequence(client, officer, agency):
    client.force_login(officer)
    response = client.post(
        reverse("ledger:evidence_upload"),
        {"file": SimpleUploadedFile("执法记录仪 0001.mp4", MP4, content_type="video/mp4")},
        follow=True,
    )

    blob = EvidenceBlob.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "ledger:evidence_detail", args=[blob.public_id]
    )
    page = response.content.decode()
    for shown in (blob.sha256, blob.sm3, "MP4 视频", f"第 {blob.entry.seq} 号", str(len(MP4))):
        assert shown in page
    assert blob.agency == agency and blob.original_name == "执法记录仪 0001.mp4"
    assert (blob.entry.subject_type, blob.entry.subject_id) == (
        "ledger.upload",
        str(officer.public_id),
    )


@views
def test_upload_from_the_camera_input(client, officer):
    client.force_login(officer)
    client.post(
        reverse("ledger:evidence_upload"), {"camera": SimpleUploadedFile("image.jpg", JPEG)}
    )
    assert EvidenceBlob.objects.get().media_type == "image/jpeg"


@views
def test_upload_of_a_wrong_type_shows_why(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("ledger:evidence_upload"), {"file": SimpleUploadedFile("照片.jpg", ZIP)}
    )
    assert response.status_code == 400
    assert "application/zip" in response.content.decode()
    assert not EvidenceBlob.objects.exists()


@views
@override_settings(ZHIFA_EVIDENCE_MAX_BYTES=1024)
def test_upload_over_the_limit_is_cut_off_while_receiving(client, officer, monkeypatch):
    stored = []
    monkeypatch.setattr(evidence, "evidence_store", lambda **kw: stored.append(kw))
    client.force_login(officer)
    response = client.post(
        reverse("ledger:evidence_upload"),
        {"file": SimpleUploadedFile("长录像.mp4", MP4 + b"\x00" * 4096)},
    )

    assert response.status_code == 400
    assert "ZHIFA_EVIDENCE_MAX_BYTES" in response.content.decode()
    assert stored == []


@views
def test_upload_still_checks_csrf(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(
        reverse("ledger:evidence_upload"), {"file": SimpleUploadedFile("a.jpg", JPEG)}
    )
    assert response.status_code == 403
    assert not EvidenceBlob.objects.exists()


@views
def test_upload_refused_without_an_agency_role(client, agency):
    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, region=agency.region)
    client.force_login(supervisor)

    response = client.get(reverse("ledger:evidence_upload"))

    assert response.status_code == 403
    assert "没有有效角色" in response.content.decode()


@views
def test_upload_requires_login(client):
    response = client.get(reverse("ledger:evidence_upload"))
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


@views
def test_owner_downloads_the_bytes_and_the_view_is_recorded(client, agency, officer):
    blob = store(agency, officer, PDF, name="询问笔录（签名）.pdf")
    client.force_login(officer)

    response = client.get(
        reverse("ledger:evidence_download", args=[blob.public_id]), {"download": "1"}
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%E8%AF%A2%E9%97%AE" in response["Content-Disposition"]  # 询问
    assert response["Cache-Control"] == "private, no-store"
    assert Entry.objects.filter(action="evidence.viewed", actor=officer).count() == 1


@views
def test_a_colleague_in_another_unit_may_download(client, agency, officer):
    blob = store(agency, officer, JPEG)
    colleague = UserFactory()
    grant(colleague, Role.OFFICER, agency=agency, unit=UnitFactory(agency=agency))
    client.force_login(colleague)

    response = client.get(reverse("ledger:evidence_download", args=[blob.public_id]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")


@views
def test_an_outsider_gets_404(client, agency, officer, outsider):
    blob = store(agency, officer, JPEG)
    client.force_login(outsider)

    assert client.get(reverse("ledger:evidence_download", args=[blob.public_id])).status_code == 404
    assert client.get(reverse("ledger:evidence_detail", args=[blob.public_id])).status_code == 404
    assert not Entry.objects.filter(action="evidence.viewed").exists()


@views
def test_a_tampered_file_gives_409_with_the_reason(client, agency, officer):
    blob = store(agency, officer, PNG)
    Path(default_storage.path(blob.storage_name)).write_bytes(PNG + b"appended")
    client.force_login(officer)

    response = client.get(reverse("ledger:evidence_download", args=[blob.public_id]))

    assert response.status_code == 409
    page = response.content.decode()
    assert "证据文件已被篡改或损坏" in page and str(blob.public_id) in page
    assert PNG not in response.content
    assert not Entry.objects.filter(action="evidence.viewed").exists()
