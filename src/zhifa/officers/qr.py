"""Signed QR tokens for 执法证件核验, and the QR code that carries them.

The QR printed on a certificate card holds a URL::

    https://<host>/officers/verify/q/<token>

``<token>`` is the unpadded base64url encoding (RFC 4648 §5) of the bytes
below; every byte string has exactly one accepted encoding (non-canonical
trailing bits are refused), so changing any character of a token makes it
fail verification.

Token format, version 1 (all integers big-endian)::

    offset  size  field
    0       1     version, 0x01
    1       4     key ID: SHA-256(key name || 0x0A || 0x01 || public key)[:4],
                  the same key ID as in the published verifier key (vkey)
    5       2     issued_on: days since 1970-01-01 (unsigned)
    7       2     expires_on: days since 1970-01-01 (unsigned)
    9       18    the issuing agency's 统一社会信用代码 (USCC), ASCII
    27      1     n: length of the certificate number in UTF-8 bytes (1..64)
    28      n     certificate number, UTF-8
    28+n    1     m: length of the holder's name in UTF-8 bytes (1..200)
    29+n    m     holder's name, UTF-8
    29+n+m  64    Ed25519 signature over  b"zhifa-officer-qr/v1\\n" || bytes[0 : 29+n+m]

The token carries no ID number and no phone number: only what is published
anyway (执法人员公示). The signature proves that *this platform* issued the
QR with this content; whether the certificate is valid *today* is always
read from the database, so a genuine QR of a revoked certificate shows as
revoked.

The public key is published on the verification page and as text at
``/officers/verify/key`` in two forms: a signed-note verifier key
``name+keyid+base64(0x01 || public key)`` and a PEM ``PUBLIC KEY``. Anyone
can check a token offline, without this platform::

    python -m zhifa.officers.qr '<token or URL>' --key '<verifier key>'

This module needs Django only for :func:`platform_qr_key` (which reads the
key file path from settings); everything else works stand-alone.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import functools
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import segno
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)

from zhifa.ledger.note import SIG_ED25519, compute_key_id, encode_vkey, parse_vkey
from zhifa.ledger.signer import load_or_create_key

__all__ = [
    "QR_KEY_NAME",
    "TOKEN_VERSION",
    "QrClaims",
    "QrKey",
    "QrPublicKey",
    "TokenCheck",
    "certificate_verify_url",
    "claims_for_certificate",
    "decode_token",
    "load_qr_key",
    "platform_qr_key",
    "qr_png_data_uri",
    "qr_svg_data_uri",
    "verify_token",
    "verify_url",
]

TOKEN_VERSION = 1
QR_KEY_NAME = "zhifa.officers/qr"
SIGNING_CONTEXT = b"zhifa-officer-qr/v1\n"
SIGNATURE_SIZE = 64
USCC_SIZE = 18
MAX_NUMBER_BYTES = 64
MAX_NAME_BYTES = 200
MAX_TOKEN_CHARS = 600  # far above any real token; refuses oversized input cheaply
_EPOCH = date(1970, 1, 1)
_MAX_DAYS = 0xFFFF  # 2149-06-06
_HEADER_SIZE = 1 + 4 + 2 + 2 + USCC_SIZE
_B64URL_RE = re.compile(r"[A-Za-z0-9_-]*")
_USCC_RE = re.compile(rb"[0-9A-Z]{18}")

FORGED_WARNING = "二维码不是本平台签发的，可能是伪造的"


class TokenError(ValueError):
    """A token cannot be made from these claims (message in Chinese)."""


@dataclass(frozen=True)
class QrClaims:
    """What a QR token states about a certificate, as it was when the card was printed."""

    number: str
    holder_name: str
    agency_uscc: str
    issued_on: date
    expires_on: date


@dataclass(frozen=True)
class TokenCheck:
    """The result of checking a token: genuine or not, and what it claims."""

    genuine: bool
    claims: QrClaims | None = None
    key_id: bytes | None = None
    reason: str = ""  # why it is not genuine, in Chinese


# --------------------------------------------------------------------------- encoding


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode_strict(text: str) -> bytes | None:
    """Canonical unpadded base64url, or None."""
    if not isinstance(text, str) or len(text) > MAX_TOKEN_CHARS:
        return None
    if not _B64URL_RE.fullmatch(text) or len(text) % 4 == 1:
        return None
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    if _b64url(data) != text:  # non-zero trailing bits: a second spelling of the same bytes
        return None
    return data


def _days(day: date, what: str) -> bytes:
    n = (day - _EPOCH).days
    if not 0 <= n <= _MAX_DAYS:
        raise TokenError(f"{what} {day} 超出二维码可表示的日期范围（1970-01-01 至 2149-06-06）。")
    return n.to_bytes(2, "big")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" for c in text)


def _field(value: str, limit: int, what: str) -> bytes:
    raw = value.encode("utf-8")
    if not 1 <= len(raw) <= limit:
        raise TokenError(f"{what}的长度应为 1 至 {limit} 字节（UTF-8），实际为 {len(raw)} 字节。")
    if _has_control(value):
        raise TokenError(f"{what}含有控制字符。")
    return bytes([len(raw)]) + raw


def encode_claims(claims: QrClaims, key_id: bytes) -> bytes:
    """The signed part of a token (everything but the signature)."""
    if len(key_id) != 4:
        raise TokenError("密钥标识必须是 4 字节。")
    uscc = claims.agency_uscc.encode("ascii", "replace")
    if not _USCC_RE.fullmatch(uscc):
        raise TokenError(f"统一社会信用代码 {claims.agency_uscc!r} 应为 18 位数字或大写字母。")
    if claims.expires_on <= claims.issued_on:
        raise TokenError("有效期至必须晚于发证日期。")
    return b"".join(
        [
            bytes([TOKEN_VERSION]),
            key_id,
            _days(claims.issued_on, "发证日期"),
            _days(claims.expires_on, "有效期至"),
            uscc,
            _field(claims.number, MAX_NUMBER_BYTES, "证件编号"),
            _field(claims.holder_name, MAX_NAME_BYTES, "持证人姓名"),
        ]
    )


@dataclass(frozen=True)
class _Decoded:
    claims: QrClaims
    key_id: bytes
    signed: bytes
    signature: bytes


def _take_field(data: bytes, pos: int, limit: int) -> tuple[str, int] | None:
    if pos >= len(data):
        return None
    n = data[pos]
    if not 1 <= n <= limit or pos + 1 + n > len(data):
        return None
    try:
        text = data[pos + 1 : pos + 1 + n].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _has_control(text):
        return None
    return text, pos + 1 + n


def decode_token(token: str) -> _Decoded | None:
    """Parse a token strictly (the signature is not checked here); None if malformed."""
    data = _b64url_decode_strict(token)
    if data is None or len(data) < _HEADER_SIZE + 2 + 2 + SIGNATURE_SIZE:
        return None
    body, signature = data[:-SIGNATURE_SIZE], data[-SIGNATURE_SIZE:]
    if body[0] != TOKEN_VERSION:
        return None
    key_id = body[1:5]
    issued = _EPOCH + timedelta(days=int.from_bytes(body[5:7], "big"))
    expires = _EPOCH + timedelta(days=int.from_bytes(body[7:9], "big"))
    uscc = body[9:27]
    if not _USCC_RE.fullmatch(uscc) or expires <= issued:
        return None
    number = _take_field(body, _HEADER_SIZE, MAX_NUMBER_BYTES)
    if number is None:
        return None
    name = _take_field(body, number[1], MAX_NAME_BYTES)
    if name is None or name[1] != len(body):  # trailing bytes are not allowed
        return None
    claims = QrClaims(
        number=number[0],
        holder_name=name[0],
        agency_uscc=uscc.decode("ascii"),
        issued_on=issued,
        expires_on=expires,
    )
    return _Decoded(claims=claims, key_id=key_id, signed=body, signature=signature)


def token_from_text(text: str) -> str:
    """Accept a bare token or a whole verify URL (as a QR scanner app shows it)."""
    text = text.strip()
    marker = "/verify/q/"
    if marker in text:
        text = text.split(marker, 1)[1]
    return text.split("?", 1)[0].split("#", 1)[0].rstrip("/")


# --------------------------------------------------------------------------- keys


def _key_id(name: str, public_key: bytes) -> bytes:
    return compute_key_id(name, bytes([SIG_ED25519]) + public_key)


@dataclass(frozen=True)
class QrPublicKey:
    """A verifier for QR tokens: the key name and the raw Ed25519 public key."""

    name: str
    public_key: bytes

    @classmethod
    def from_vkey(cls, vkey: str) -> QrPublicKey:
        """From the published ``name+keyid+base64`` form (raises ValueError if malformed)."""
        key = parse_vkey(vkey.strip())
        if key.sig_type != SIG_ED25519:
            raise ValueError("该公钥不是 Ed25519 签名公钥。")
        return cls(name=key.name, public_key=key.public_key)

    @property
    def key_id(self) -> bytes:
        return _key_id(self.name, self.public_key)

    @property
    def vkey(self) -> str:
        return encode_vkey(self.name, self.public_key, SIG_ED25519)

    @property
    def pem(self) -> str:
        pub = Ed25519PublicKey.from_public_bytes(self.public_key)
        return pub.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode("ascii")

    def check(self, token: str) -> TokenCheck:
        return verify_token(token, [self])


class QrKey:
    """The platform's QR signing key. The private key stays in this object."""

    __slots__ = ("_key", "_public")

    def __init__(self, private_key: Ed25519PrivateKey, name: str = QR_KEY_NAME) -> None:
        raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self._key = private_key
        self._public = QrPublicKey(name=name, public_key=raw)

    @classmethod
    def generate(cls, name: str = QR_KEY_NAME) -> QrKey:
        """A key that lives only in memory (tests, demos)."""
        return cls(Ed25519PrivateKey.generate(), name)

    @property
    def public(self) -> QrPublicKey:
        return self._public

    @property
    def key_id(self) -> bytes:
        return self._public.key_id

    def sign(self, claims: QrClaims) -> str:
        """The token for ``claims``; Ed25519 is deterministic, so reprints give the same QR."""
        body = encode_claims(claims, self.key_id)
        return _b64url(body + self._key.sign(SIGNING_CONTEXT + body))

    def __repr__(self) -> str:  # never show key material
        return f"QrKey(name={self._public.name!r}, key_id={self.key_id.hex()})"


def load_qr_key(path: str | os.PathLike[str], name: str = QR_KEY_NAME) -> QrKey:
    """Load the QR key at ``path``, creating it (mode 0600, parents 0700) on first use.

    File handling is the ledger's (:func:`zhifa.ledger.signer.load_or_create_key`):
    PKCS#8 PEM, atomic creation. Use a key file of its own, never the log's.
    """
    signer = load_or_create_key(path, name, "log")
    key = load_pem_private_key(signer.private_pem(), password=None)
    assert isinstance(key, Ed25519PrivateKey)  # load_or_create_key checked it
    return QrKey(key, name)


@functools.lru_cache(maxsize=8)
def _cached_key(path: str, mtime_ns: int, name: str) -> QrKey:
    return load_qr_key(path, name)


def platform_qr_key() -> QrKey:
    """The key named by ``settings.ZHIFA_QR_KEY_FILE`` (default ``DATA_DIR/officers/qr.key``)."""
    from django.conf import settings

    path = Path(
        getattr(settings, "ZHIFA_QR_KEY_FILE", None)
        or Path(settings.DATA_DIR) / "officers" / "qr.key"
    )
    if not path.exists():
        load_qr_key(path)
    return _cached_key(str(path), path.stat().st_mtime_ns, QR_KEY_NAME)


# --------------------------------------------------------------------------- verification


def verify_token(token: str, keys: Iterable[QrPublicKey]) -> TokenCheck:
    """Check ``token`` against ``keys``; anything but a valid signature is not genuine."""
    decoded = decode_token(token)
    if decoded is None:
        return TokenCheck(genuine=False, reason="二维码内容无法识别：格式不对、不完整或被改动过。")
    key = next((k for k in keys if k.key_id == decoded.key_id), None)
    if key is None:
        return TokenCheck(
            genuine=False,
            claims=decoded.claims,
            key_id=decoded.key_id,
            reason="二维码不是用本平台的密钥签名的。",
        )
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(
            decoded.signature, SIGNING_CONTEXT + decoded.signed
        )
    except InvalidSignature:
        return TokenCheck(
            genuine=False,
            claims=decoded.claims,
            key_id=decoded.key_id,
            reason="二维码的签名与内容不符：内容被改动过，或签名是伪造的。",
        )
    return TokenCheck(genuine=True, claims=decoded.claims, key_id=decoded.key_id)


# --------------------------------------------------------------------------- certificates and QR images


def claims_for_certificate(certificate) -> QrClaims:
    """The claims printed for a :class:`~zhifa.officers.models.Certificate`."""
    return QrClaims(
        number=certificate.number,
        holder_name=certificate.officer.name,
        agency_uscc=certificate.agency.uscc,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
    )


def certificate_verify_url(certificate, base_url: str, key: QrKey | None = None) -> str:
    """The URL to print (or show) for ``certificate``, signed with the platform key."""
    key = key or platform_qr_key()
    return verify_url(key.sign(claims_for_certificate(certificate)), base_url)


def verify_url(token: str, base_url: str) -> str:
    """``<base_url>/officers/verify/q/<token>``; ``base_url`` like ``https://zhifa.example.cn``."""
    return f"{base_url.rstrip('/')}/officers/verify/q/{token}"


def _qr(content: str) -> segno.QRCode:
    # Level M (15 % recovery) survives a worn card and keeps the symbol small;
    # upper case would allow the denser alphanumeric mode but the token is base64url.
    return segno.make_qr(content, error="m", boost_error=False)


def qr_svg_data_uri(content: str, *, scale: int = 4, border: int = 2) -> str:
    return _qr(content).svg_data_uri(scale=scale, border=border, dark="#000", light="#fff")


def qr_png_data_uri(content: str, *, scale: int = 6, border: int = 2) -> str:
    return _qr(content).png_data_uri(scale=scale, border=border)


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """Offline check: ``python -m zhifa.officers.qr TOKEN_OR_URL --key VKEY``."""
    parser = argparse.ArgumentParser(
        prog="python -m zhifa.officers.qr",
        description="离线核验执法证件二维码的签名（无需连接平台）。",
    )
    parser.add_argument("token", help="二维码中的网址或令牌")
    parser.add_argument(
        "--key",
        action="append",
        required=True,
        help="平台公布的二维码公钥（名称+密钥标识+base64），可重复",
    )
    args = parser.parse_args(argv)
    try:
        keys = [QrPublicKey.from_vkey(k) for k in args.key]
    except ValueError as exc:
        print(f"公钥有误：{exc}", file=sys.stderr)
        return 2
    result = verify_token(token_from_text(args.token), keys)
    if not result.genuine:
        print(f"✘ {FORGED_WARNING}。{result.reason}")
        return 1
    c = result.claims
    assert c is not None
    print("✔ 签名有效：二维码由持有该公钥的平台签发，内容未被改动。")
    print(f"证件编号：{c.number}")
    print(f"持证人：{c.holder_name}")
    print(f"执法主体统一社会信用代码：{c.agency_uscc}")
    print(f"有效期：{c.issued_on} 至 {c.expires_on}")
    print("注意：签名只证明印制时的内容；证件当前是否有效（暂扣、注销）须在平台上查询。")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
