"""C2SP signed notes, checkpoints, verifier keys and cosignatures.

Part of the offline verifier: imports only the standard library and
``cryptography`` (no Django, nothing else from ``zhifa``).

Formats (see ``docs/ledger.md`` §1.2 and §2.6):

Signed note (c2sp.org/signed-note)
    ``text`` (UTF-8, ends in ``\\n``), one blank line, then one or more
    signature lines ``"— " name " " base64(key_id[4] || signature) "\\n"``.
    The text is separated from the signatures by the *last* blank line.  No
    ASCII control characters other than ``\\n``.  Key names are non-empty and
    contain neither Unicode spaces nor ``+``.

Key ID
    ``SHA-256(name || 0x0A || sig_type || public_key)[:4]`` (big-endian uint32).

Verifier key ("vkey")
    ``name "+" hex8(key_id) "+" base64(sig_type || public_key)``.

Checkpoint (c2sp.org/tlog-checkpoint)
    Note text ``origin "\\n" decimal(size) "\\n" base64(root) "\\n"`` followed by
    optional non-empty extension lines.

Signature types implemented here
    ``0x01`` Ed25519 over the note text (signed-note "Ed25519 signatures").
    ``0x04`` timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature): the
    signature payload is ``timestamp (u64 big-endian) || Ed25519 sig (64)`` and
    the signed message is ``"cosignature/v1\\ntime " decimal(timestamp) "\\n"``
    followed by the whole note text.

    An SM2 type (``0xff`` followed by an identifier, ``ledger.md`` §4.6) can be
    added by extending :data:`_KEY_SIZES` / :func:`_verify_payload` and the
    vkey parser; nothing else depends on the set of types.

Strictness (``ledger.md`` §2.6): decimal numbers without leading zeros,
canonical standard base64 with padding, at most :data:`MAX_NOTE_BYTES` bytes
and :data:`MAX_SIGNATURES` signature lines.  Every parsing problem raises
:class:`NoteError` (a ``ValueError``) with a message in Chinese; nothing else
escapes the parsers.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "COSIGNATURE_HEADER",
    "HASH_SIZE",
    "MAX_NOTE_BYTES",
    "MAX_SIGNATURES",
    "MAX_TREE_SIZE",
    "SIG_COSIGNATURE_V1",
    "SIG_ED25519",
    "Checkpoint",
    "Note",
    "NoteError",
    "SignatureError",
    "SignatureLine",
    "UnverifiedNoteError",
    "VerifiedSignature",
    "VerifierKey",
    "add_signatures",
    "b64decode_strict",
    "compute_key_id",
    "cosign_ed25519",
    "cosignature_message",
    "encode_checkpoint",
    "encode_vkey",
    "format_signature_line",
    "is_valid_key_name",
    "parse_checkpoint",
    "parse_note",
    "parse_signature_line",
    "parse_vkey",
    "sign_ed25519",
    "verify_note",
    "verify_signatures",
]

MAX_NOTE_BYTES = 64 * 1024
"""Upper bound on an encoded note (text plus signatures), in bytes."""

MAX_SIGNATURES = 100
"""Upper bound on signature lines per note (the spec requires accepting >= 16)."""

MAX_TREE_SIZE = 2**64 - 1
"""Largest tree size accepted in a checkpoint (uint64, as in the Go parsers)."""

MAX_TIMESTAMP = 2**63 - 1
"""Largest cosignature timestamp (tlog-cosignature: "MUST NOT exceed 2^63 - 1")."""

HASH_SIZE = 32
"""Checkpoint root hash length (SHA-256 and SM3)."""

SIG_ED25519 = 0x01
SIG_COSIGNATURE_V1 = 0x04

COSIGNATURE_HEADER = "cosignature/v1\n"

_SIG_PREFIX = "— "  # U+2014 EM DASH, U+0020 SPACE
_ED25519_SIG_SIZE = 64
_COSIG_PAYLOAD_SIZE = 8 + _ED25519_SIG_SIZE
_KEY_SIZES = {SIG_ED25519: 32, SIG_COSIGNATURE_V1: 32}
_TYPE_LABELS = {
    SIG_ED25519: "Ed25519 签名",
    SIG_COSIGNATURE_V1: "Ed25519 见证联署（cosignature/v1）",
}

_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f]")
_B64_RE = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_DECIMAL_RE = re.compile(r"0|[1-9][0-9]{0,19}")
_HEX8_RE = re.compile(r"[0-9a-fA-F]{8}")


class NoteError(ValueError):
    """A note, checkpoint, signature line or verifier key is malformed (message in Chinese)."""


class SignatureError(NoteError):
    """A signature by a *known* key does not verify: the note must be rejected."""


class UnverifiedNoteError(NoteError):
    """The note is well formed but no known key has a valid signature on it."""


# --------------------------------------------------------------------------- helpers


def _show(value: str, limit: int = 60) -> str:
    """Quote untrusted text for an error message, escaping control characters."""
    text = value if len(value) <= limit else value[:limit] + "…"
    return ascii(text) if _CONTROL_RE.search(text) or "\n" in text else f"「{text}」"


def b64decode_strict(value: str, what: str = "base64 数据") -> bytes:
    """Decode canonical standard base64 (RFC 4648 §4, with padding); NoteError otherwise.

    Non-alphabet characters, missing or extra padding and non-zero trailing
    bits (a second encoding of the same bytes) are all rejected, so every byte
    string has exactly one accepted encoding.
    """
    if not isinstance(value, str) or not _B64_RE.fullmatch(value):
        raise NoteError(f"{what}不是合规的标准 base64 编码（需带 = 填充）。")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"{what}不是合规的标准 base64 编码（需带 = 填充）。") from None
    if base64.b64encode(raw).decode("ascii") != value:
        raise NoteError(f"{what}的 base64 编码不规范（末尾多余的位不为零）。")
    return raw


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def is_valid_key_name(name: object) -> bool:
    """Key names are non-empty and contain neither Unicode spaces nor ``+`` (signed-note)."""
    return (
        isinstance(name, str)
        and name != ""
        and "+" not in name
        and not any(c.isspace() for c in name)
        and not _CONTROL_RE.search(name)
        and _encodable(name)
    )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def compute_key_id(name: str, key_material: bytes) -> bytes:
    """4-byte key ID ``SHA-256(name || 0x0A || key_material)[:4]``.

    ``key_material`` is ``sig_type || public_key``, exactly the bytes inside a
    vkey's base64 part.
    """
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes(key_material)).digest()[:4]


def _check_text(text: str, what: str) -> None:
    m = _CONTROL_RE.search(text)
    if m:
        raise NoteError(f"{what}含有不允许的控制字符 U+{ord(m.group()):04X}（只允许换行符）。")


def _to_str(data: str | bytes | bytearray, what: str) -> str:
    """Decode/validate the raw note input: size limit, UTF-8, no control characters."""
    if isinstance(data, (bytes, bytearray)):
        if len(data) > MAX_NOTE_BYTES:
            raise NoteError(f"{what}过大（{len(data)} 字节，上限 {MAX_NOTE_BYTES} 字节）。")
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError(f"{what}不是有效的 UTF-8 文本。") from None
    elif isinstance(data, str):
        if len(data) > MAX_NOTE_BYTES:
            raise NoteError(f"{what}过大（超过 {MAX_NOTE_BYTES} 字节）。")
        if not _encodable(data):
            raise NoteError(f"{what}不是有效的 UTF-8 文本。")
        size = len(data.encode("utf-8"))
        if size > MAX_NOTE_BYTES:
            raise NoteError(f"{what}过大（{size} 字节，上限 {MAX_NOTE_BYTES} 字节）。")
        text = data
    else:
        raise NoteError(f"{what}必须是文本，而不是 {type(data).__name__}。")
    _check_text(text, what)
    return text


# --------------------------------------------------------------------------- verifier keys


@dataclass(frozen=True)
class VerifierKey:
    """A parsed verifier key: who signs (``name``), how (``sig_type``) and with what key."""

    name: str
    key_id: bytes
    sig_type: int
    public_key: bytes

    @property
    def key_material(self) -> bytes:
        return bytes([self.sig_type]) + self.public_key

    @property
    def key_id_hex(self) -> str:
        return self.key_id.hex()

    @property
    def vkey(self) -> str:
        """The encoded verifier key ``name+hex(key_id)+base64(type||pubkey)``."""
        return f"{self.name}+{self.key_id.hex()}+{_b64(self.key_material)}"

    @property
    def is_cosigner(self) -> bool:
        return self.sig_type == SIG_COSIGNATURE_V1

    @property
    def type_label(self) -> str:
        return _TYPE_LABELS.get(self.sig_type, f"类型 0x{self.sig_type:02x}")

    def __str__(self) -> str:
        return self.vkey


def encode_vkey(name: str, public_key: bytes, sig_type: int = SIG_ED25519) -> str:
    """Encode a verifier key for an Ed25519 (0x01) or cosignature (0x04) public key."""
    return _make_key(name, sig_type, bytes(public_key)).vkey


def _make_key(name: str, sig_type: int, public_key: bytes) -> VerifierKey:
    if not is_valid_key_name(name):
        raise NoteError(f"密钥名称 {_show(str(name))} 不合规：不能为空，不能含空白字符或加号。")
    size = _KEY_SIZES.get(sig_type)
    if size is None:
        raise NoteError(f"不支持的签名类型 0x{sig_type:02x}。")
    if len(public_key) != size:
        raise NoteError(f"公钥长度应为 {size} 字节，实际为 {len(public_key)} 字节。")
    try:
        Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError:
        raise NoteError("公钥不是有效的 Ed25519 公钥。") from None
    key_id = compute_key_id(name, bytes([sig_type]) + public_key)
    return VerifierKey(name=name, key_id=key_id, sig_type=sig_type, public_key=public_key)


def parse_vkey(vkey: str) -> VerifierKey:
    """Parse ``name+hex8+base64(type||pubkey)``; the key ID must match the key."""
    if not isinstance(vkey, str):
        raise NoteError(f"公钥必须是文本，而不是 {type(vkey).__name__}。")
    if len(vkey) > 4096:
        raise NoteError("公钥字符串过长。")
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        raise NoteError(f"公钥 {_show(vkey)} 格式错误：应为“名称+8位十六进制密钥标识+base64公钥”。")
    name, hex_id, key64 = parts
    if not is_valid_key_name(name):
        raise NoteError(f"公钥中的名称 {_show(name)} 不合规：不能为空，不能含空白字符或加号。")
    if not _HEX8_RE.fullmatch(hex_id):
        raise NoteError(f"公钥 {_show(name)} 的密钥标识 {_show(hex_id)} 应为 8 位十六进制数。")
    material = b64decode_strict(key64, f"公钥 {_show(name)} 的密钥数据")
    if not material:
        raise NoteError(f"公钥 {_show(name)} 的密钥数据为空。")
    key = _make_key(name, material[0], material[1:])
    if key.key_id != bytes.fromhex(hex_id):
        raise NoteError(
            f"公钥 {_show(name)} 的密钥标识 {hex_id} 与公钥内容不符（应为 {key.key_id.hex()}）。"
        )
    return key


# --------------------------------------------------------------------------- notes


@dataclass(frozen=True)
class SignatureLine:
    """One parsed signature line: ``— name base64(key_id || signature)``."""

    name: str
    key_id: bytes
    signature: bytes

    @property
    def line(self) -> str:
        """The encoded line, without the trailing newline."""
        return format_signature_line(self.name, self.key_id, self.signature)


@dataclass(frozen=True)
class Note:
    """A parsed (not yet verified) signed note."""

    text: str
    signatures: tuple[SignatureLine, ...]

    def encode(self) -> str:
        return self.text + "\n" + "".join(s.line + "\n" for s in self.signatures)


@dataclass(frozen=True)
class VerifiedSignature:
    """A signature line that verified with ``key``; ``timestamp`` is set for cosignatures."""

    key: VerifierKey
    line: SignatureLine
    timestamp: int | None = None


def format_signature_line(name: str, key_id: bytes, signature: bytes) -> str:
    """Encode ``— name base64(key_id || signature)`` (no trailing newline)."""
    if not is_valid_key_name(name):
        raise NoteError(f"签名者名称 {_show(str(name))} 不合规：不能为空，不能含空白字符或加号。")
    if len(key_id) != 4:
        raise NoteError("密钥标识必须是 4 字节。")
    if not signature:
        raise NoteError("签名不能为空。")
    return f"{_SIG_PREFIX}{name} {_b64(bytes(key_id) + bytes(signature))}"


def parse_signature_line(line: str) -> SignatureLine:
    """Parse one signature line (without its trailing newline)."""
    if not isinstance(line, str):
        raise NoteError("签名行必须是文本。")
    line = line.removesuffix("\n")
    if "\n" in line:
        raise NoteError("签名行不能包含换行。")
    _check_text(line, "签名行")
    if not line.startswith(_SIG_PREFIX):
        raise NoteError(f"签名行 {_show(line)} 应以“— ”（破折号 U+2014 加空格）开头。")
    name, _, b64 = line[len(_SIG_PREFIX) :].partition(" ")
    if not is_valid_key_name(name):
        raise NoteError(f"签名行中的签名者名称 {_show(name)} 不合规。")
    if not b64:
        raise NoteError(f"签名者 {_show(name)} 的签名行缺少签名数据。")
    raw = b64decode_strict(b64, f"签名者 {_show(name)} 的签名")
    if len(raw) < 5:
        raise NoteError(f"签名者 {_show(name)} 的签名过短。")
    return SignatureLine(name=name, key_id=raw[:4], signature=raw[4:])


def parse_note(data: str | bytes) -> Note:
    """Parse a signed note strictly (no signature is checked here)."""
    text = _to_str(data, "签名文本")
    split = text.rfind("\n\n")
    if split < 0:
        raise NoteError("签名文本格式错误：缺少分隔正文与签名的空行。")
    body, sigs = text[: split + 1], text[split + 2 :]
    if not sigs:
        raise NoteError("签名文本格式错误：空行之后没有签名行。")
    if not sigs.endswith("\n"):
        raise NoteError("签名文本格式错误：最后一个签名行没有以换行结束。")
    lines = sigs[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"签名行过多（{len(lines)} 行，上限 {MAX_SIGNATURES} 行）。")
    return Note(text=body, signatures=tuple(parse_signature_line(ln) for ln in lines))


def _verify_payload(key: VerifierKey, text: bytes, payload: bytes) -> tuple[bool, int | None]:
    """Check ``payload`` (the signature bytes after the key ID) under ``key``."""
    pub = Ed25519PublicKey.from_public_bytes(key.public_key)
    if key.sig_type == SIG_ED25519:
        if len(payload) != _ED25519_SIG_SIZE:
            return False, None
        message, timestamp = text, None
    elif key.sig_type == SIG_COSIGNATURE_V1:
        if len(payload) != _COSIG_PAYLOAD_SIZE:
            return False, None
        timestamp = int.from_bytes(payload[:8], "big")
        if timestamp > MAX_TIMESTAMP:
            return False, None
        message, payload = cosignature_message(text, timestamp), payload[8:]
    else:  # pragma: no cover - _make_key admits only the types above
        return False, None
    try:
        pub.verify(payload, message)
    except InvalidSignature:
        return False, None
    return True, timestamp


def _key_index(keys: Iterable[VerifierKey]) -> dict[tuple[str, bytes], VerifierKey]:
    index: dict[tuple[str, bytes], VerifierKey] = {}
    for key in keys:
        if not isinstance(key, VerifierKey):
            raise NoteError("公钥列表中含有不是公钥的对象。")
        slot = (key.name, key.key_id)
        other = index.get(slot)
        if other is not None and other != key:
            raise NoteError(
                f"公钥列表中有两个名称与密钥标识都相同的不同公钥（{_show(key.name)}+{key.key_id_hex}）。"
            )
        index[slot] = key
    return index


def verify_signatures(note: Note, keys: Iterable[VerifierKey]) -> list[VerifiedSignature]:
    """Verify the signature lines of ``note`` made by any of ``keys``.

    Lines from unknown keys (name *and* key ID must both match) are ignored, as
    are repeated lines from a key already seen.  A line from a known key that
    does not verify raises :class:`SignatureError`: the whole note is then
    suspect (signed-note: "clients SHOULD reject the whole note").  Returns
    the verified signatures in note order; the list is empty when no known
    key signed.
    """
    index = _key_index(keys)
    text = note.text.encode("utf-8")
    out: list[VerifiedSignature] = []
    seen: set[tuple[str, bytes]] = set()
    for line in note.signatures:
        slot = (line.name, line.key_id)
        key = index.get(slot)
        if key is None or slot in seen:
            continue
        seen.add(slot)
        ok, timestamp = _verify_payload(key, text, line.signature)
        if not ok:
            raise SignatureError(
                f"{_show(key.name)}（密钥标识 {key.key_id_hex}）的{key.type_label}无效："
                "签名内容与正文不符，正文或签名可能被篡改。"
            )
        out.append(VerifiedSignature(key=key, line=line, timestamp=timestamp))
    return out


def verify_note(
    data: str | bytes | Note, keys: Iterable[VerifierKey]
) -> tuple[Note, list[VerifiedSignature]]:
    """Parse and verify a note; UnverifiedNoteError if no known key signed it."""
    note = data if isinstance(data, Note) else parse_note(data)
    keys = list(keys)
    verified = verify_signatures(note, keys)
    if not verified:
        names = "、".join(sorted({_show(k.name) for k in keys})) or "（未提供公钥）"
        raise UnverifiedNoteError(f"没有找到由已知公钥（{names}）作出的签名。")
    return note, verified


def add_signatures(signed_note: str | bytes, lines: Iterable[str]) -> str:
    """Append signature lines to a signed note, skipping lines already present.

    A new line whose (name, key ID) already signed the note replaces nothing:
    it is dropped, so the original signature is kept.
    """
    note = parse_note(signed_note)
    have = {(s.name, s.key_id) for s in note.signatures}
    sigs = list(note.signatures)
    for line in lines:
        parsed = parse_signature_line(line)
        if (parsed.name, parsed.key_id) in have:
            continue
        have.add((parsed.name, parsed.key_id))
        sigs.append(parsed)
    if len(sigs) > MAX_SIGNATURES:
        raise NoteError(f"签名行过多（{len(sigs)} 行，上限 {MAX_SIGNATURES} 行）。")
    out = Note(text=note.text, signatures=tuple(sigs)).encode()
    _to_str(out, "签名文本")
    return out


# --------------------------------------------------------------------------- signing


def _check_note_text(text: str) -> bytes:
    if not isinstance(text, str):
        raise NoteError("待签名的正文必须是文本。")
    if not text.endswith("\n"):
        raise NoteError("待签名的正文必须以换行结束。")
    if not _encodable(text):
        raise NoteError("待签名的正文不是有效的 UTF-8 文本。")
    _check_text(text, "待签名的正文")
    data = text.encode("utf-8")
    if len(data) > MAX_NOTE_BYTES:
        raise NoteError(f"待签名的正文过大（{len(data)} 字节）。")
    return data


def cosignature_message(text: str | bytes, timestamp: int) -> bytes:
    """The message an Ed25519 cosigner signs (tlog-cosignature "Ed25519 signed message")."""
    if isinstance(timestamp, bool) or not isinstance(timestamp, int):
        raise NoteError("联署时间戳必须是整数。")
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise NoteError(f"联署时间戳 {timestamp} 超出范围。")
    body = text if isinstance(text, bytes) else text.encode("utf-8")
    return f"{COSIGNATURE_HEADER}time {timestamp}\n".encode("ascii") + body


def _public_bytes(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign_ed25519(private_key: Ed25519PrivateKey, name: str, text: str) -> str:
    """Sign note ``text`` with an Ed25519 key (type 0x01); returns the signature line."""
    data = _check_note_text(text)
    key = _make_key(name, SIG_ED25519, _public_bytes(private_key))
    return format_signature_line(name, key.key_id, private_key.sign(data))


def cosign_ed25519(private_key: Ed25519PrivateKey, name: str, text: str, timestamp: int) -> str:
    """Cosign note ``text`` (type 0x04, cosignature/v1); returns the signature line."""
    data = _check_note_text(text)
    key = _make_key(name, SIG_COSIGNATURE_V1, _public_bytes(private_key))
    sig = private_key.sign(cosignature_message(data, timestamp))
    return format_signature_line(name, key.key_id, timestamp.to_bytes(8, "big") + sig)


# --------------------------------------------------------------------------- checkpoints


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint body: origin, tree size, root hash and optional extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        """The note text ``origin\\nsize\\nbase64(root)\\n[extensions]``."""
        return encode_checkpoint(self.origin, self.size, self.root, self.extensions)

    @property
    def root_hex(self) -> str:
        return self.root.hex()


def encode_checkpoint(origin: str, size: int, root: bytes, extensions: Sequence[str] = ()) -> str:
    """Encode a checkpoint body, validating every field."""
    if not isinstance(origin, str) or not origin or "\n" in origin:
        raise NoteError("检查点的日志标识（origin）不能为空，也不能含换行。")
    _check_text(origin, "检查点的日志标识")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_TREE_SIZE:
        raise NoteError(f"检查点的记录总数 {size!r} 不是有效的非负整数。")
    if not isinstance(root, (bytes, bytearray)) or len(root) != HASH_SIZE:
        raise NoteError(f"检查点的根哈希必须是 {HASH_SIZE} 字节。")
    lines = [origin, str(size), _b64(bytes(root))]
    for ext in extensions:
        if not isinstance(ext, str) or not ext or "\n" in ext:
            raise NoteError("检查点的扩展行不能为空，也不能含换行。")
        _check_text(ext, "检查点的扩展行")
        lines.append(ext)
    return "\n".join(lines) + "\n"


def parse_checkpoint(text: str | bytes) -> Checkpoint:
    """Parse a checkpoint body (the note text, not the signed note)."""
    text = _to_str(text, "检查点正文")
    if not text.endswith("\n"):
        raise NoteError("检查点正文必须以换行结束。")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("检查点正文至少应有三行：日志标识、记录总数、根哈希。")
    if any(not ln for ln in lines):
        raise NoteError("检查点正文不能含空行。")
    origin, size_text, root_text = lines[:3]
    if not _DECIMAL_RE.fullmatch(size_text):
        raise NoteError(
            f"检查点的记录总数 {_show(size_text)} 不是规范的十进制数（不能有前导零或其他字符）。"
        )
    size = int(size_text)
    if size > MAX_TREE_SIZE:
        raise NoteError(f"检查点的记录总数 {size_text} 超出范围。")
    root = b64decode_strict(root_text, "检查点的根哈希")
    if len(root) != HASH_SIZE:
        raise NoteError(f"检查点的根哈希应为 {HASH_SIZE} 字节，实际为 {len(root)} 字节。")
    return Checkpoint(origin=origin, size=size, root=root, extensions=tuple(lines[3:]))
