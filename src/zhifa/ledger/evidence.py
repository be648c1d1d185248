"""Evidence files (证据文件): photos, audio, video, scans and signed documents.

Files are stored content-addressed (`evidence/sha256/ab/cd/<sha256>`) through
Django's storage API — the filesystem by default, an S3-compatible bucket
when configured — and every stored file is a ledger entry carrying its
SHA-256 and SM3 digests (ledger.md §4.8). Every read re-hashes the stored
bytes and compares them with the row and with the ledger entry, so changed
bytes are never served; every view by a person is itself recorded.

Memory stays bounded whatever the file size: files are read in chunks of
`CHUNK_SIZE`, never whole.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import logging
import os
import tempfile
import unicodedata
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import IO, Any

import puremagic
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import transaction

from zhifa.ledger import canonical, merkle
from zhifa.ledger.models import EvidenceBlob
from zhifa.ledger.services import LedgerError, record

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
# Enough for every signature we check (puremagic's longest reaches 36 870
# bytes) while still arriving in the first chunk.
HEAD_SIZE = 64 * 1024
NAME_MAX = 255  # EvidenceBlob.original_name


class EvidenceError(LedgerError):
    """An evidence file was refused or failed verification; the message is Chinese.

    `code` lets callers tell the cases apart without parsing the message:
    too_large, empty, type, forbidden, conflict, changed, tampered.
    """

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Digests:
    sha256: str
    sm3: str
    size: int


# ---------------------------------------------------------------------------
# Media type detection, from content only.

TYPE_LABELS: dict[str, str] = {
    "image/jpeg": "JPEG 图片",
    "image/png": "PNG 图片",
    "image/heic": "HEIC 图片",
    "image/heic-sequence": "HEIC 连拍/动态图片",
    "image/heif": "HEIF 图片",
    "image/heif-sequence": "HEIF 图片序列",
    "image/avif": "AVIF 图片",
    "image/webp": "WebP 图片",
    "image/gif": "GIF 图片",
    "image/tiff": "TIFF 图片",
    "video/mp4": "MP4 视频",
    "video/quicktime": "MOV 视频",
    "video/webm": "WebM 视频",
    "video/x-matroska": "MKV 视频",
    "video/3gpp": "3GP 视频",
    "video/3gpp2": "3G2 视频",
    "video/x-msvideo": "AVI 视频",
    "audio/mpeg": "MP3 音频",
    "audio/mp4": "M4A 音频",
    "audio/aac": "AAC 音频",
    "audio/wav": "WAV 音频",
    "audio/amr": "AMR 音频",
    "audio/amr-wb": "AMR-WB 音频",
    "audio/3gpp": "3GP 音频",
    "audio/flac": "FLAC 音频",
    "application/pdf": "PDF 文档",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word 文档（DOCX）",
    "text/plain": "纯文本",
}

# Word documents the platform itself renders (执法文书) are stored as evidence
# with `evidence_store(..., accept=(DOCX_TYPE,))`; uploads still follow
# ZHIFA_EVIDENCE_TYPES, which does not list DOCX by default.
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Types the structural sniffers below decide. puremagic's table is looser for
# these (a bare FF D8 counts as JPEG, brand "heic" is labelled image/heif,
# M4A has no MIME type, AMR signatures are mis-escaped), so a puremagic
# match for one of them is never taken when our sniffer said no.
_SNIFFED = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/heic",
        "image/heic-sequence",
        "image/heif",
        "image/heif-sequence",
        "image/avif",
        "image/webp",
        "video/mp4",
        "video/quicktime",
        "video/webm",
        "video/x-matroska",
        "video/3gpp",
        "video/3gpp2",
        "video/x-msvideo",
        "audio/mpeg",
        "audio/mp4",
        "audio/aac",
        "audio/wav",
        "audio/amr",
        "audio/amr-wb",
        "audio/3gpp",
        "application/pdf",
        DOCX_TYPE,
    }
)

# puremagic spellings → the IANA names we store and configure.
_MIME_ALIASES = {
    "image/jpg": "image/jpeg",
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "audio/x-m4a": "audio/mp4",
    "audio/mp3": "audio/mpeg",
    "video/avi": "video/x-msvideo",
    "audio/x-flac": "audio/flac",
}

_PNG = b"\x89PNG\r\n\x1a\n"
_HEIC = {b"heic", b"heix", b"heim", b"heis"}
_HEIC_SEQUENCE = {b"hevc", b"hevx", b"hevm", b"hevs"}
_AVIF = {b"avif", b"avis"}
_M4A = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_M4V = {b"M4V ", b"M4VH", b"M4VP", b"F4V ", b"F4P ", b"f4v ", b"f4p "}
# Brands that say "plain ISO/MP4"; whether it is audio-only needs a look at
# the track handlers.
_MP4 = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"iso7",
    b"iso8",
    b"iso9",
    b"mp41",
    b"mp42",
    b"mp71",
    b"avc1",
    b"dash",
    b"MSNV",
    b"NDAS",
    b"NDSC",
    b"NDSH",
    b"NDSM",
    b"NDSP",
    b"NDSS",
    b"NDXC",
    b"NDXH",
    b"NDXM",
    b"NDXP",
    b"NDXS",
    b"mmp4",
    b"XAVC",
    b"CAEP",
}
_3GPP2 = (b"3g2",)
_3GPP = (b"3gp", b"3gg", b"3ge", b"3gs", b"3gr", b"3gt", b"3gh", b"3gm")

# MPEG audio Layer III bitrates (kbit/s) and sample rates, by version bits.
_L3_BITRATES = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0),
}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _iso_bmff(head: bytes) -> tuple[str | None, str] | None:
    if head[4:8] != b"ftyp":
        # QuickTime files from before ftyp start straight with an atom.
        if head[4:8] in (b"moov", b"mdat", b"wide"):
            return "video/quicktime", "video/quicktime"
        return None
    box = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    end = box if 16 <= box <= len(head) and box % 4 == 0 else 16
    compatible = {head[i : i + 4] for i in range(16, end, 4)}
    brands = {major} | compatible

    def mp4() -> tuple[str, str]:
        handlers = _track_handlers(head)
        if b"soun" in handlers and b"vide" not in handlers:
            return "audio/mp4", "audio/mp4"
        return "video/mp4", "video/mp4"

    if major in _HEIC or (major in (b"mif1", b"msf1") and compatible & _HEIC):
        return "image/heic", "image/heic"
    if major in _HEIC_SEQUENCE or (major == b"msf1" and compatible & _HEIC_SEQUENCE):
        return "image/heic-sequence", "image/heic-sequence"
    if major in _AVIF or (major in (b"mif1", b"msf1") and compatible & _AVIF):
        return "image/avif", "image/avif"
    if major == b"mif1":
        return "image/heif", "image/heif"
    if major == b"msf1":
        return "image/heif-sequence", "image/heif-sequence"
    if major == b"qt  ":
        return "video/quicktime", "video/quicktime"
    if major in _M4A:
        return "audio/mp4", "audio/mp4"
    if major in _M4V:
        return "video/mp4", "video/mp4"
    if major.startswith(_3GPP2):
        return "video/3gpp2", "video/3gpp2"
    if major.startswith(_3GPP):
        handlers = _track_handlers(head)
        if b"soun" in handlers and b"vide" not in handlers:
            return "audio/3gpp", "audio/3gpp"
        return "video/3gpp", "video/3gpp"
    if major in _MP4 or brands & _MP4:
        return mp4()
    if b"qt  " in compatible:
        return "video/quicktime", "video/quicktime"
    brand = major.decode("latin-1").strip() or "?"
    return None, f"ISO 媒体文件（品牌 {brand}）"


def _track_handlers(head: bytes) -> set[bytes]:
    """Handler types ('vide', 'soun', …) of the tracks whose 'hdlr' box is in `head`.

    Only informative when the 'moov' box comes first (a "fast start" file);
    otherwise the set is empty and the caller keeps its default.
    """
    found: set[bytes] = set()
    at = head.find(b"hdlr")
    while at != -1 and at + 16 <= len(head):
        # 'hdlr', version/flags (4), pre_defined (4), handler_type (4)
        found.add(head[at + 12 : at + 16])
        at = head.find(b"hdlr", at + 4)
    return found


def _riff(head: bytes) -> tuple[str | None, str] | None:
    if head[:4] not in (b"RIFF", b"RF64", b"BW64"):
        return None
    form = head[8:12]
    if form == b"WAVE":
        return "audio/wav", "audio/wav"
    if form == b"WEBP" and head[12:16] in (b"VP8 ", b"VP8L", b"VP8X"):
        return "image/webp", "image/webp"
    if form == b"AVI ":
        return "video/x-msvideo", "video/x-msvideo"
    return None, f"RIFF 文件（{form.decode('latin-1')}）"


def _ebml(head: bytes) -> tuple[str | None, str] | None:
    if head[:4] != b"\x1a\x45\xdf\xa3":
        return None
    at = head.find(b"\x42\x82", 4, 64)  # the DocType element
    if at != -1 and at + 3 <= len(head):
        first = head[at + 2]
        width = 8 - first.bit_length() + 1 if first else 0
        if 1 <= width <= 8:
            length = first & (0xFF >> width)
            for byte in head[at + 3 : at + 2 + width]:
                length = (length << 8) | byte
            start = at + 2 + width
            doctype = head[start : start + length]
            if doctype == b"webm":
                return "video/webm", "video/webm"
            if doctype == b"matroska":
                return "video/x-matroska", "video/x-matroska"
    return None, "EBML 文件（非 WebM）"


def _mpeg_frame(head: bytes, at: int) -> tuple[str, int] | None:
    """(MIME, frame length or 0) if an MPEG audio or ADTS frame header starts at `at`."""
    if at + 4 > len(head) or head[at] != 0xFF or head[at + 1] & 0xE0 != 0xE0:
        return None
    b1, b2 = head[at + 1], head[at + 2]
    if b1 & 0xF6 == 0xF0:  # ADTS: 12-bit sync, layer 00
        return ("audio/aac", 0) if (b2 >> 2) & 0x0F < 13 else None
    version, layer = (b1 >> 3) & 3, (b1 >> 1) & 3
    bitrate_index, rate_index = b2 >> 4, (b2 >> 2) & 3
    if version == 1 or layer == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    if layer != 1:  # Layer I or II: valid, but we do not compute their frame size
        return "audio/mpeg", 0
    bitrate = _L3_BITRATES[3 if version == 3 else 2][bitrate_index] * 1000
    rate = _SAMPLE_RATES[version][rate_index]
    per_frame = 144 if version == 3 else 72
    return "audio/mpeg", per_frame * bitrate // rate + ((b2 >> 1) & 1)


def _mpeg_audio(head: bytes) -> tuple[str | None, str] | None:
    if head[:3] == b"ID3" and len(head) >= 10 and head[3] in (2, 3, 4):
        tag = 10 + (
            (head[6] & 0x7F) << 21
            | (head[7] & 0x7F) << 14
            | (head[8] & 0x7F) << 7
            | (head[9] & 0x7F)
        )
        if head[5] & 0x10:
            tag += 10  # ID3v2.4 footer
        while tag < len(head) and head[tag] == 0:
            tag += 1  # padding some encoders write after the tag
        if head[tag : tag + 4] == b"fLaC":
            return "audio/flac", "audio/flac"
        frame = _mpeg_frame(head, tag)
        if frame is not None:
            return frame[0], frame[0]
        # A large tag (cover art) can push the first frame beyond `head`.
        return "audio/mpeg", "audio/mpeg"
    frame = _mpeg_frame(head, 0)
    if frame is None:
        return None
    mime, length = frame
    if mime == "audio/mpeg" and length:
        # Two sync words can occur in any binary by chance; require the next
        # frame header where the first frame says it is.
        if length < len(head) - 4 and _mpeg_frame(head, length) is None:
            return None
    elif mime == "audio/mpeg":
        return None  # raw Layer I/II without a tag: too weak a signature alone
    return mime, mime


_ZIP_LOCAL = b"PK\x03\x04"


def _ooxml_word(head: bytes) -> tuple[str | None, str] | None:
    """A Word document: a ZIP package whose local file headers in `head` name
    both ``[Content_Types].xml`` and ``word/document.xml`` (ECMA-376 Part 2).

    Any other ZIP file (and a macro-enabled document, which carries
    ``vbaProject.bin``) is left to puremagic, which names it a ZIP archive.
    """
    if not head.startswith(_ZIP_LOCAL):
        return None
    names: set[bytes] = set()
    at = 0
    while at != -1 and at + 30 <= len(head):
        length = int.from_bytes(head[at + 26 : at + 28], "little")
        names.add(head[at + 30 : at + 30 + length])
        at = head.find(_ZIP_LOCAL, at + 30 + length)
    if any(name.endswith(b"vbaProject.bin") for name in names):
        return None
    if b"[Content_Types].xml" in names and b"word/document.xml" in names:
        return DOCX_TYPE, DOCX_TYPE
    return None


_CONTAINERS = frozenset({"application/zip", "application/x-ole-storage", "application/x-cfb"})


def _mime_of(match: Any) -> str:
    raw = (match.mime_type or "").strip().lower()
    return _MIME_ALIASES.get(raw, raw)


def _puremagic(head: bytes) -> tuple[str | None, str]:
    try:
        # Only header signatures: footer signatures would be matched against
        # the end of `head`, which is not the end of the file.
        matches = [m for m in puremagic.magic_string(head) if m.offset >= 0]
    except (puremagic.PureError, ValueError):
        matches = []
    # Matches come best first, but a container signature (ZIP, OLE2) ties
    # across dozens of formats in table order (a ZIP header is "docx" first),
    # so within the best tier the container's own type is preferred.
    best = [m for m in matches if m.confidence == matches[0].confidence] if matches else []
    tier = sorted(best, key=lambda m: _mime_of(m) not in _CONTAINERS) + matches[len(best) :]
    for match in tier:
        mime = _mime_of(match)
        if not mime:
            continue
        label = f"{mime}（{match.name.strip()}）" if match.name.strip() else mime
        if mime in _SNIFFED:
            return None, f"{label}，但文件头不完整"
        return mime, label
    if matches:
        return None, matches[0].name.strip() or "无法识别的内容"
    if b"\x00" not in head:
        try:
            # Not final: the head may end in the middle of a character.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            pass
        else:
            return "text/plain", "text/plain（纯文本）"
    return None, "无法识别的内容"


def detect_media_type(head: bytes) -> tuple[str | None, str]:
    """(MIME type or None, what was detected) from a file's first bytes.

    Decided by content only, never by a file name. Structural checks decide
    the evidence formats (ftyp brands, RIFF forms, EBML doc type, MPEG frame
    headers); puremagic names everything else.
    """
    if head[:3] == b"\xff\xd8\xff":
        return "image/jpeg", "image/jpeg"
    if head[:8] == _PNG:
        return "image/png", "image/png"
    if head[:5] == b"%PDF-":
        return "application/pdf", "application/pdf"
    if head.startswith((b"#!AMR\n", b"#!AMR_MC1.0\n")):
        return "audio/amr", "audio/amr"
    if head.startswith((b"#!AMR-WB\n", b"#!AMR-WB_MC1.0\n")):
        return "audio/amr-wb", "audio/amr-wb"
    for sniff in (_iso_bmff, _riff, _ebml, _mpeg_audio, _ooxml_word):
        found = sniff(head)
        if found is not None:
            return found
    # PDF readers accept the header anywhere in the first KiB (after a mail
    # or scanner preamble); checked last so that it cannot outrank a real
    # signature at offset 0.
    if b"%PDF-" in head[:1024]:
        return "application/pdf", "application/pdf"
    return _puremagic(head)


def accepted_types() -> list[str]:
    return [t.strip().lower() for t in settings.ZHIFA_EVIDENCE_TYPES if t.strip()]


def type_label(mime: str) -> str:
    label = TYPE_LABELS.get(mime)
    return f"{label}（{mime}）" if label else mime


def format_size(size: int) -> str:
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} 字节"


def _check_type(head: bytes, accept: Collection[str] | None = None) -> str:
    mime, detected = detect_media_type(head)
    accepted = accepted_types() if accept is None else [t.strip().lower() for t in accept]
    if mime is None or mime not in accepted:
        raise EvidenceError(
            f"不接受该文件：按文件内容检测为“{detected}”，"
            f"可接受的类型为：{'、'.join(type_label(t) for t in accepted)}。"
            "文件类型按内容判断，与文件名和扩展名无关。",
            code="type",
        )
    return mime


def too_large(limit: int) -> EvidenceError:
    return EvidenceError(
        f"文件超过大小上限 {format_size(limit)}（{limit} 字节，"
        "由设置项 ZHIFA_EVIDENCE_MAX_BYTES 规定），已停止接收。",
        code="too_large",
    )


# ---------------------------------------------------------------------------
# Streaming.


def _seekable(stream: Any) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, ValueError, OSError):
        return False


def _chunks(stream: Any) -> Iterator[bytes]:
    while True:
        chunk = stream.read(CHUNK_SIZE)
        if not chunk:
            return
        if not isinstance(chunk, (bytes, bytearray)):
            raise EvidenceError("证据文件必须以二进制方式打开（rb）。", code="invalid")
        yield chunk


def _digest(stream: Any) -> Digests:
    sha256, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
    for chunk in _chunks(stream):
        sha256.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
    return Digests(sha256.hexdigest(), sm3.hexdigest(), size)


class _HashingReader:
    """The source as the storage reads it, re-hashing the bytes it hands over.

    The storage reads the file a second time (the name depends on the hash),
    so this proves the stored bytes are the hashed bytes. Bytes are hashed in
    order only; if the storage reads out of order, `hashed` stays short and
    the caller re-reads the stored object instead.
    """

    def __init__(self, raw: Any, size: int) -> None:
        self._raw = raw
        self.size = size
        self._pos = 0
        self.hashed = 0
        self._sha256 = hashlib.sha256()

    closed = False

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(n)
        start, self._pos = self._pos, self._pos + len(data)
        if start <= self.hashed < self._pos:
            self._sha256.update(memoryview(data)[self.hashed - start :])
            self.hashed = self._pos
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._pos = self._raw.seek(offset, whence)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        """Leave the wrapped file open: it belongs to the caller, who closes it."""

    def sha256(self) -> str:
        return self._sha256.hexdigest()


class _Content(File):
    DEFAULT_CHUNK_SIZE = CHUNK_SIZE


def storage_name_for(sha256: str) -> str:
    return f"evidence/sha256/{sha256[0:2]}/{sha256[2:4]}/{sha256}"


def _storage() -> Storage:
    return default_storage


def _put(storage: Storage, source: Any, digests: Digests, media_type: str) -> str:
    """Write the object under its content address unless it is already there."""
    name = storage_name_for(digests.sha256)
    if storage.exists(name):
        existing = storage.size(name)
        if existing == digests.size:
            return name  # same bytes already stored: dedupe
        if EvidenceBlob.objects.filter(storage_name=name).exists():
            raise EvidenceError(
                f"存储中已有该内容的证据文件，但其大小（{existing} 字节）与本次文件"
                f"（{digests.size} 字节）不符，可能已被篡改或损坏；请联系系统管理员核查"
                f"（{name}）。",
                code="conflict",
            )
        # No row refers to it: the remains of an interrupted write. Replace it.
        storage.delete(name)
    source.seek(0)
    reader = _HashingReader(source, digests.size)
    content = _Content(reader, name=name)
    content.content_type = media_type  # S3 storages store it as the object's type
    saved = storage.save(name, content)
    if reader.hashed >= digests.size:
        same = reader.hashed == digests.size and reader.sha256() == digests.sha256
    else:
        with storage.open(saved, "rb") as stored:
            check = _digest(stored)
        same = (check.sha256, check.size) == (digests.sha256, digests.size)
    if not same:
        storage.delete(saved)
        raise EvidenceError("文件在存证过程中发生了变化，已拒绝存证，请重新上传。", code="changed")
    # A concurrent upload of the same bytes may have taken the name first, so
    # the storage picked a free name for ours; keep one copy.
    if saved != name and storage.exists(name) and storage.size(name) == digests.size:
        storage.delete(saved)
        return name
    return saved


def _clean_name(name: str) -> str:
    name = os.path.basename(str(name).replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if len(name) > NAME_MAX:
        stem, ext = os.path.splitext(name)
        ext = ext if len(ext) <= 16 else ""
        name = stem[: NAME_MAX - len(ext)] + ext
    return name


def _declared_size(file: Any) -> int | None:
    try:
        size = file.size  # Django's File works it out, and fails on pipes
    except (AttributeError, OSError, ValueError):
        return None
    return size if isinstance(size, int) else None


def _is_person(actor: Any) -> bool:
    return actor is not None and getattr(actor, "pk", None) is not None


def _may_store(actor: Any, agency: Any) -> bool:
    if not _is_person(actor):
        return True  # a system process (offload station import, migration)
    if actor.is_superuser:
        return True
    return actor.active_roles().filter(agency=agency).exists()


def evidence_store(
    *,
    agency: Any,
    subject: Any,
    actor: Any,
    file: Any,
    original_name: str = "",
    accept: Collection[str] | None = None,
) -> EvidenceBlob:
    """Store one evidence file and record "evidence.stored" with its digests.

    `file` is a Django `File`/`UploadedFile` or any binary file object. One
    streaming pass of `CHUNK_SIZE` chunks computes SHA-256, SM3 and the size,
    stops as soon as the size limit is passed and checks the media type from
    the first bytes. A non-seekable source is spooled to a temporary file on
    disk during that pass so it can be written afterwards.

    The object is written before the database transaction opens: a write of
    several GB inside it would hold the database's write lock (SQLite
    IMMEDIATE) or a long transaction (PostgreSQL) for minutes. A written
    object without a row is harmless because its name is its hash: the next
    upload of the same bytes reuses it, or replaces it if it is incomplete.

    `accept` replaces the configured ZHIFA_EVIDENCE_TYPES for this one call:
    a file the platform renders itself (an issued document's DOCX or PDF)
    passes the one type it must be, whatever uploads may be.
    """
    if not _may_store(actor, agency):
        raise EvidenceError(f"您不是“{agency}”的工作人员，不能为其存证。", code="forbidden")
    limit = settings.ZHIFA_EVIDENCE_MAX_BYTES
    declared = _declared_size(file)
    if declared is not None and declared > limit:
        raise too_large(limit)  # an upload's size is known: refuse without reading it

    seekable = _seekable(file)
    if seekable:
        file.seek(0)
    with contextlib.ExitStack() as cleanup:
        spool: IO[bytes] | None = None
        if not seekable:
            spool = cleanup.enter_context(tempfile.TemporaryFile(prefix="zhifa-evidence-"))
        sha256, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
        head = b""
        media_type: str | None = None
        for chunk in _chunks(file):
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            if media_type is None:
                head += chunk[: HEAD_SIZE - len(head)]
                if len(head) >= HEAD_SIZE:
                    media_type = _check_type(head, accept)  # refuse before reading the rest
            sha256.update(chunk)
            sm3.update(chunk)
            if spool is not None:
                spool.write(chunk)
        if size == 0:
            raise EvidenceError("文件为空（0 字节），无法存证。", code="empty")
        if media_type is None:
            media_type = _check_type(head, accept)
        digests = Digests(sha256.hexdigest(), sm3.hexdigest(), size)
        source = spool if spool is not None else file
        storage_name = _put(_storage(), source, digests, media_type)

    public_id = uuid.uuid4()
    with transaction.atomic():
        entry = record(
            agency=agency,
            subject=subject,
            actor=actor,
            action="evidence.stored",
            # Digests and references only: a file name may contain personal data.
            payload={
                "sha256": digests.sha256,
                "sm3": digests.sm3,
                "size": digests.size,
                "media_type": media_type,
                "blob": str(public_id),
            },
        )
        blob = EvidenceBlob.objects.create(
            public_id=public_id,
            agency=agency,
            sha256=digests.sha256,
            sm3=digests.sm3,
            size=digests.size,
            media_type=media_type,
            storage_name=storage_name,
            original_name=_clean_name(original_name),
            entry=entry,
            uploaded_by=actor if _is_person(actor) else None,
        )
    return blob


# ---------------------------------------------------------------------------
# Reading and verification.


def _ledger_problems(blob: EvidenceBlob) -> list[str]:
    """The row against the ledger entry that recorded it."""
    entry = blob.entry
    data = bytes(entry.data)
    problems: list[str] = []
    if merkle.leaf_hash(data, entry.log.hash_alg) != bytes(entry.leaf_hash):
        problems.append(f"记录 #{entry.seq} 的内容与其叶哈希不符")
    try:
        body = canonical.decode(data)
    except (ValueError, UnicodeDecodeError):
        return [*problems, f"记录 #{entry.seq} 无法解析"]
    payload = body.get("payload") or {}
    if body.get("action") != "evidence.stored" or entry.action != "evidence.stored":
        problems.append(f"记录 #{entry.seq} 不是证据存证记录")
    expected = {
        "blob": str(blob.public_id),
        "sha256": blob.sha256,
        "sm3": blob.sm3,
        "size": blob.size,
        "media_type": blob.media_type,
    }
    for key, value in expected.items():
        if payload.get(key) != value:
            problems.append(f"证据文件登记的 {key} 与记录 #{entry.seq} 不一致")
    return problems


def _content_problems(blob: EvidenceBlob, found: Digests) -> list[str]:
    problems = []
    if found.size != blob.size:
        problems.append(f"大小应为 {blob.size} 字节，实际为 {found.size} 字节")
    if found.sha256 != blob.sha256:
        problems.append("SHA-256 摘要不符")
    if found.sm3 != blob.sm3:
        problems.append("SM3 摘要不符")
    return problems


def _blob_label(blob: EvidenceBlob) -> str:
    return f"证据文件 {blob.public_id}（SHA-256 {blob.sha256[:16]}…）"


def _tampered(blob: EvidenceBlob, problems: list[str]) -> EvidenceError:
    log.error("evidence %s failed verification: %s", blob.public_id, problems)
    return EvidenceError(
        f"证据文件已被篡改或损坏：{_blob_label(blob)}：{'；'.join(problems)}。"
        "已拒绝提供该文件，请立即报告系统管理员。",
        code="tampered",
    )


def evidence_verify(blob: EvidenceBlob) -> list[str]:
    """Problems with a stored evidence file (empty if it is intact).

    Re-hashes the stored bytes and checks them against the row, and the row
    against its ledger entry. For `zhifa ledger verify --blobs`.
    """
    problems = _ledger_problems(blob)
    storage = _storage()
    try:
        if not storage.exists(blob.storage_name):
            return [*problems, f"存储对象 {blob.storage_name} 不存在"]
        with storage.open(blob.storage_name, "rb") as stored:
            found = _digest(stored)
    except Exception as exc:
        # Any backend error (OSError, botocore's ClientError, …) is a finding
        # to report; it must not stop an audit of every blob halfway.
        return [*problems, f"无法读取存储对象 {blob.storage_name}：{exc}"]
    return [*problems, *_content_problems(blob, found)]


def evidence_open(*, blob: EvidenceBlob, actor: Any = None, record_view: bool = True) -> File:
    """The stored file, open for reading from its start, after verifying it.

    The bytes are re-hashed through the same handle that is returned, so
    what was verified is what is served (S3 storages download the object to
    a local spool on first read, so it is not fetched twice). When a person
    opens it and `record_view` is set, "evidence.viewed" is recorded first:
    the whole-process record covers reads (ledger.md §4.8).
    """
    if _is_person(actor) and not EvidenceBlob.objects.visible_to(actor).filter(pk=blob.pk).exists():
        raise EvidenceError("您无权查看该证据文件。", code="forbidden")
    problems = _ledger_problems(blob)
    storage = _storage()
    if not storage.exists(blob.storage_name):
        raise _tampered(blob, [*problems, "存储对象不存在"])
    try:
        handle = storage.open(blob.storage_name, "rb")
    except OSError as exc:
        raise _tampered(blob, [*problems, f"存储对象无法读取（{exc.__class__.__name__}）"]) from exc
    try:
        problems += _content_problems(blob, _digest(handle))
        if problems:
            raise _tampered(blob, problems)
        handle.seek(0)
        if record_view and _is_person(actor):
            with transaction.atomic():
                record(
                    agency=blob.agency,
                    subject=blob,
                    actor=actor,
                    action="evidence.viewed",
                    payload={"blob": str(blob.public_id), "sha256": blob.sha256},
                )
    except BaseException:
        handle.close()
        raise
    return handle
