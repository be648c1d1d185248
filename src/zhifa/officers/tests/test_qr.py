"""Signed QR tokens: round trip, and every kind of tampering is recognised as forged."""

import base64
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.officers import qr

CLAIMS = qr.QrClaims(
    number="辽A21052100123",
    holder_name="王小明",
    agency_uscc="11210521MB00000120",
    issued_on=date(2025, 3, 1),
    expires_on=date(2030, 2, 28),
)
KEY = qr.QrKey.generate()


def _bytes(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


def _token(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_signed_token_verifies_and_returns_the_claims():
    token = KEY.sign(CLAIMS)
    check = qr.verify_token(token, [KEY.public])
    assert check.genuine and check.claims == CLAIMS and check.reason == ""
    assert check.key_id == KEY.key_id


def test_token_is_compact_url_safe_and_deterministic():
    token = KEY.sign(CLAIMS)
    assert token == KEY.sign(CLAIMS)  # a reprinted card carries the same QR
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len(token) < 200
    url = qr.verify_url(token, "https://zhifa.example.cn/")
    assert url == f"https://zhifa.example.cn/officers/verify/q/{token}"


def test_token_layout_matches_the_documented_format():
    data = _bytes(KEY.sign(CLAIMS))
    assert data[0] == qr.TOKEN_VERSION
    assert data[1:5] == KEY.key_id
    assert int.from_bytes(data[5:7], "big") == (CLAIMS.issued_on - date(1970, 1, 1)).days
    assert data[9:27] == CLAIMS.agency_uscc.encode()
    n = data[27]
    assert data[28 : 28 + n].decode() == CLAIMS.number
    m = data[28 + n]
    assert data[29 + n : 29 + n + m].decode() == CLAIMS.holder_name
    assert len(data) == 29 + n + m + 64
    # The signature covers the context string and every byte before it.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    Ed25519PublicKey.from_public_bytes(KEY.public.public_key).verify(
        data[-64:], b"zhifa-officer-qr/v1\n" + data[:-64]
    )


def test_every_flipped_byte_makes_the_token_forged():
    data = _bytes(KEY.sign(CLAIMS))
    for i in range(len(data)):
        for bit in (0x01, 0x80):
            tampered = bytearray(data)
            tampered[i] ^= bit
            check = qr.verify_token(_token(bytes(tampered)), [KEY.public])
            assert not check.genuine, f"byte {i} bit {bit:#x}"


def test_every_changed_character_makes_the_token_forged():
    token = KEY.sign(CLAIMS)
    for i, ch in enumerate(token):
        other = "A" if ch != "A" else "B"
        assert not qr.verify_token(token[:i] + other + token[i + 1 :], [KEY.public]).genuine


def test_altered_name_re_signed_by_another_key_is_forged():
    forged = qr.QrKey.generate().sign(qr.QrClaims(**{**CLAIMS.__dict__, "holder_name": "李四"}))
    check = qr.verify_token(forged, [KEY.public])
    assert not check.genuine and "密钥" in check.reason


def test_other_key_with_the_same_name_is_forged():
    impostor = qr.QrKey.generate(name=qr.QR_KEY_NAME)
    assert not qr.verify_token(impostor.sign(CLAIMS), [KEY.public]).genuine


@pytest.mark.parametrize("cut", [1, 10, 64, 65, 100])
def test_truncated_token_is_forged(cut):
    token = KEY.sign(CLAIMS)
    assert not qr.verify_token(token[:-cut], [KEY.public]).genuine


@pytest.mark.parametrize(
    "garbage",
    ["", "x", "====", "not a token", "AAAA" * 40, "🙂" * 10, "A" * 10_000, "../../etc/passwd"],
)
def test_garbage_is_forged(garbage):
    check = qr.verify_token(garbage, [KEY.public])
    assert not check.genuine and check.reason


def test_appended_bytes_are_forged():
    data = _bytes(KEY.sign(CLAIMS))
    assert not qr.verify_token(_token(data + b"\x00"), [KEY.public]).genuine
    assert not qr.verify_token(_token(data[:-64] + b"\x00" + data[-64:]), [KEY.public]).genuine


def test_padding_or_standard_base64_spelling_is_refused():
    token = KEY.sign(CLAIMS)
    padded = token + "=" * (-len(token) % 4)
    if padded != token:
        assert not qr.verify_token(padded, [KEY.public]).genuine
    std = token.replace("-", "+").replace("_", "/")
    if std != token:
        assert not qr.verify_token(std, [KEY.public]).genuine


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_arbitrary_text_never_verifies_and_never_raises(text):
    assert not qr.verify_token(text, [KEY.public]).genuine


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_arbitrary_bytes_never_verify(data):
    assert not qr.verify_token(_token(data), [KEY.public]).genuine


def test_claims_that_cannot_be_encoded_are_refused():
    with pytest.raises(qr.TokenError):
        KEY.sign(qr.QrClaims(**{**CLAIMS.__dict__, "agency_uscc": "short"}))
    with pytest.raises(qr.TokenError):
        KEY.sign(qr.QrClaims(**{**CLAIMS.__dict__, "expires_on": CLAIMS.issued_on}))
    with pytest.raises(qr.TokenError):
        KEY.sign(qr.QrClaims(**{**CLAIMS.__dict__, "number": ""}))
    with pytest.raises(qr.TokenError):
        KEY.sign(qr.QrClaims(**{**CLAIMS.__dict__, "holder_name": "王\n五"}))


def test_key_file_is_created_private_and_reloads_the_same_key(tmp_path):
    path = tmp_path / "officers" / "qr.key"
    first = qr.load_qr_key(path)
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    again = qr.load_qr_key(path)
    assert first.public == again.public
    assert qr.verify_token(first.sign(CLAIMS), [again.public]).genuine
    assert "PRIVATE" not in repr(first)


def test_published_vkey_and_pem_round_trip():
    vkey = KEY.public.vkey
    assert vkey.startswith(qr.QR_KEY_NAME + "+" + KEY.key_id.hex() + "+")
    assert qr.QrPublicKey.from_vkey(vkey) == KEY.public
    assert "BEGIN PUBLIC KEY" in KEY.public.pem
    with pytest.raises(ValueError):
        qr.QrPublicKey.from_vkey("garbage")


def test_platform_key_uses_the_configured_file(settings, tmp_path):
    settings.ZHIFA_QR_KEY_FILE = tmp_path / "k" / "qr.key"
    key = qr.platform_qr_key()
    assert settings.ZHIFA_QR_KEY_FILE.exists()
    assert qr.platform_qr_key().public == key.public


def test_offline_command_checks_a_url_with_the_published_key(capsys):
    url = qr.verify_url(KEY.sign(CLAIMS), "https://zhifa.example.cn")
    assert qr.main([url, "--key", KEY.public.vkey]) == 0
    out = capsys.readouterr().out
    assert "签名有效" in out and "王小明" in out
    other = qr.QrKey.generate().public.vkey
    assert qr.main([url, "--key", other]) == 1
    assert qr.FORGED_WARNING in capsys.readouterr().out


def test_qr_images_encode_the_url():
    url = "https://zhifa.example.cn/officers/verify/q/" + KEY.sign(CLAIMS)
    assert qr.qr_svg_data_uri(url).startswith("data:image/svg+xml")
    assert qr.qr_png_data_uri(url).startswith("data:image/png;base64,")


def test_token_from_text_accepts_a_scanned_url():
    token = KEY.sign(CLAIMS)
    assert qr.token_from_text(f" https://h/officers/verify/q/{token}?x=1 ") == token
    assert qr.token_from_text(token) == token
