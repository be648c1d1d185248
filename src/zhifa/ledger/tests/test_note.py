"""Tests for zhifa.ledger.note: C2SP signed notes, checkpoints, vkeys, cosignatures.

No database, no Django.  Known answers come from ledger.md §2.8(g) and the C2SP
specs (signed-note.md, tlog-checkpoint.md, tlog-cosignature.md).
"""

from __future__ import annotations

import ast
import base64
import hashlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.ledger import note as note_mod
from zhifa.ledger.note import (
    MAX_NOTE_BYTES,
    MAX_SIGNATURES,
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    Checkpoint,
    NoteError,
    SignatureError,
    UnverifiedNoteError,
    add_signatures,
    b64decode_strict,
    compute_key_id,
    cosign_ed25519,
    cosignature_message,
    encode_checkpoint,
    encode_vkey,
    format_signature_line,
    parse_checkpoint,
    parse_note,
    parse_signature_line,
    parse_vkey,
    sign_ed25519,
    verify_note,
    verify_signatures,
)

HYP = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ledger.md §2.8(g), from C2SP signed-note.md.
EXAMPLE_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
EXAMPLE_TEXT = "This is an example message.\n"
EXAMPLE_SIG = (
    "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmR"
    "KuwHjG1Yu72IneyaQM="
)
EXAMPLE_NOTE = EXAMPLE_TEXT + "\n" + EXAMPLE_SIG + "\n"

# C2SP tlog-checkpoint.md / tlog-cosignature.md example.
SOFA_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
SOFA_COSIG = (
    "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2"
    "oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA=="
)


def _pub(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _keypair(name: str, sig_type: int = SIG_ED25519):
    priv = Ed25519PrivateKey.generate()
    return priv, parse_vkey(encode_vkey(name, _pub(priv), sig_type))


# --------------------------------------------------------------------------- known answers


def test_example_vkey_parses_and_key_id_recomputes():
    key = parse_vkey(EXAMPLE_VKEY)
    assert key.name == "example.com/foo"
    assert key.key_id.hex() == "530d903a"
    assert key.sig_type == SIG_ED25519
    assert len(key.public_key) == 32
    assert compute_key_id(key.name, key.key_material).hex() == "530d903a"
    assert key.vkey == EXAMPLE_VKEY
    assert encode_vkey(key.name, key.public_key) == EXAMPLE_VKEY


def test_example_signed_note_verifies():
    note, verified = verify_note(EXAMPLE_NOTE, [parse_vkey(EXAMPLE_VKEY)])
    assert note.text == EXAMPLE_TEXT
    assert [v.key.name for v in verified] == ["example.com/foo"]
    assert verified[0].timestamp is None
    assert note.encode() == EXAMPLE_NOTE


@pytest.mark.parametrize("pos", range(len(EXAMPLE_TEXT) - 1))
def test_example_signed_note_fails_after_one_changed_character(pos):
    ch = EXAMPLE_TEXT[pos]
    changed = EXAMPLE_TEXT[:pos] + ("X" if ch != "X" else "Y") + EXAMPLE_TEXT[pos + 1 :]
    with pytest.raises(SignatureError, match="无效"):
        verify_note(changed + "\n" + EXAMPLE_SIG + "\n", [parse_vkey(EXAMPLE_VKEY)])


def test_example_signature_with_one_changed_signature_byte_fails():
    line = parse_signature_line(EXAMPLE_SIG)
    sig = bytearray(line.signature)
    sig[10] ^= 1
    bad = format_signature_line(line.name, line.key_id, bytes(sig))
    with pytest.raises(SignatureError):
        verify_note(EXAMPLE_TEXT + "\n" + bad + "\n", [parse_vkey(EXAMPLE_VKEY)])


def test_spec_checkpoint_example_parses():
    cp = parse_checkpoint(SOFA_BODY)
    assert cp.origin == "example.com/behind-the-sofa"
    assert cp.size == 20852163
    assert cp.root == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert cp.extensions == ()
    assert cp.body() == SOFA_BODY


def test_spec_cosignature_line_layout():
    """tlog-cosignature: base64(key ID || u64 big-endian timestamp || 64-byte signature)."""
    line = parse_signature_line(SOFA_COSIG)
    assert line.name == "witness.example.com/w1"
    assert line.key_id.hex() == "8d66cf3f"
    assert len(line.signature) == 8 + 64
    # The spec's signed-message example uses "time 1679315147" for this cosignature.
    assert int.from_bytes(line.signature[:8], "big") == 1679315147


def test_cosignature_message_matches_spec_example():
    assert cosignature_message(SOFA_BODY, 1679315147) == (
        b"cosignature/v1\n"
        b"time 1679315147\n"
        b"example.com/behind-the-sofa\n"
        b"20852163\n"
        b"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    )


def test_key_id_formula():
    pub = bytes(range(32))
    expect = hashlib.sha256(b"name\n\x01" + pub).digest()[:4]
    assert compute_key_id("name", b"\x01" + pub) == expect
    # The cosignature type gives another key ID for the same key (tlog-cosignature).
    assert compute_key_id("name", b"\x04" + pub) != expect


# --------------------------------------------------------------------------- sign / verify


def test_sign_and_verify_roundtrip_with_log_and_cosignatures():
    log_priv, log_key = _keypair("ledger.example.gov.cn/2026")
    w1_priv, w1_key = _keypair("sfj.example.gov.cn/witness", SIG_COSIGNATURE_V1)
    w2_priv, w2_key = _keypair("jcy.example.gov.cn/witness", SIG_COSIGNATURE_V1)
    body = encode_checkpoint("ledger.example.gov.cn/2026", 5, bytes(32))
    signed = body + "\n" + sign_ed25519(log_priv, log_key.name, body) + "\n"
    signed = add_signatures(
        signed,
        [
            cosign_ed25519(w1_priv, w1_key.name, body, 1_700_000_000),
            cosign_ed25519(w2_priv, w2_key.name, body, 1_700_000_001),
        ],
    )
    note, log_sigs = verify_note(signed, [log_key])
    assert [s.key for s in log_sigs] == [log_key]
    cosigs = verify_signatures(note, [w1_key, w2_key])
    assert [(s.key.name, s.timestamp) for s in cosigs] == [
        (w1_key.name, 1_700_000_000),
        (w2_key.name, 1_700_000_001),
    ]
    # All three together; witnesses alone also "verify" the note.
    assert len(verify_signatures(note, [log_key, w1_key, w2_key])) == 3


def test_cosignature_is_not_a_plain_signature():
    """Same key bytes under type 0x01 and 0x04 have different key IDs: no confusion."""
    priv = Ed25519PrivateKey.generate()
    as_log = parse_vkey(encode_vkey("w", _pub(priv), SIG_ED25519))
    as_witness = parse_vkey(encode_vkey("w", _pub(priv), SIG_COSIGNATURE_V1))
    body = "text\n"
    line = cosign_ed25519(priv, "w", body, 5)
    note = parse_note(body + "\n" + line + "\n")
    assert verify_signatures(note, [as_log]) == []  # key ID differs: ignored
    assert verify_signatures(note, [as_witness])[0].timestamp == 5


def test_unknown_keys_are_ignored_and_no_known_key_is_rejected():
    priv, key = _keypair("a.example")
    _, other = _keypair("b.example")
    _, same_name = _keypair("a.example")
    signed = "hello\n\n" + sign_ed25519(priv, "a.example", "hello\n") + "\n"
    assert verify_note(signed, [key, other])[1][0].key == key
    with pytest.raises(UnverifiedNoteError, match="没有找到"):
        verify_note(signed, [other])
    # Same name, different key ID: ignored, not a failure (signed-note "Signatures").
    with pytest.raises(UnverifiedNoteError):
        verify_note(signed, [same_name])


def test_a_bad_signature_from_a_known_key_rejects_the_note_even_with_a_good_one():
    p1, k1 = _keypair("one.example")
    _, k2 = _keypair("two.example")
    body = "hello\n"
    forged = format_signature_line("two.example", k2.key_id, b"\x00" * 64)
    signed = body + "\n" + sign_ed25519(p1, "one.example", body) + "\n" + forged + "\n"
    with pytest.raises(SignatureError, match=r"two\.example"):
        verify_note(signed, [k1, k2])


def test_wrong_signature_length_fails_for_known_key():
    _, key = _keypair("a.example")
    line = format_signature_line("a.example", key.key_id, b"\x01" * 63)
    with pytest.raises(SignatureError):
        verify_note("x\n\n" + line + "\n", [key])
    _, wkey = _keypair("w.example", SIG_COSIGNATURE_V1)
    line = format_signature_line("w.example", wkey.key_id, b"\x01" * 64)
    with pytest.raises(SignatureError):
        verify_note("x\n\n" + line + "\n", [wkey])


def test_cosignature_timestamp_beyond_2_63_is_rejected():
    priv, wkey = _keypair("w.example", SIG_COSIGNATURE_V1)
    with pytest.raises(NoteError):
        cosign_ed25519(priv, "w.example", "x\n", 2**63)
    line = format_signature_line("w.example", wkey.key_id, b"\xff" * 8 + b"\x00" * 64)
    with pytest.raises(SignatureError):
        verify_note("x\n\n" + line + "\n", [wkey])


def test_repeated_signature_lines_are_verified_once():
    priv, key = _keypair("a.example")
    line = sign_ed25519(priv, "a.example", "x\n")
    junk = format_signature_line("a.example", key.key_id, b"\x00" * 64)
    note, verified = verify_note("x\n\n" + line + "\n" + junk + "\n", [key])
    assert len(verified) == 1
    assert len(note.signatures) == 2


def test_ambiguous_key_list_is_an_error():
    _, key = _keypair("a.example")
    clash = note_mod.VerifierKey(key.name, key.key_id, key.sig_type, bytes(32))
    with pytest.raises(NoteError, match="相同"):
        verify_signatures(parse_note(EXAMPLE_NOTE), [key, clash])


def test_text_with_blank_lines_is_split_at_the_last_blank_line():
    priv, key = _keypair("a.example")
    body = "para one\n\npara two\n"
    signed = body + "\n" + sign_ed25519(priv, "a.example", body) + "\n"
    note, _ = verify_note(signed, [key])
    assert note.text == body


def test_add_signatures_skips_existing_key():
    priv, _ = _keypair("a.example")
    line = sign_ed25519(priv, "a.example", "x\n")
    signed = "x\n\n" + line + "\n"
    assert add_signatures(signed, [line]) == signed
    assert add_signatures(signed, [line + "\n"]) == signed


def test_signing_requires_newline_terminated_text():
    priv, _ = _keypair("a.example")
    with pytest.raises(NoteError, match="换行"):
        sign_ed25519(priv, "a.example", "no newline")
    with pytest.raises(NoteError, match="控制字符"):
        sign_ed25519(priv, "a.example", "tab\there\n")
    with pytest.raises(NoteError, match="名称"):
        sign_ed25519(priv, "bad name", "x\n")


# --------------------------------------------------------------------------- strict parsing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no blank line\n— a.example AAAAAAA=\n", "空行"),
        ("text\n\n", "没有签名行"),
        ("text\n\n— a.example AAAAAAA=", "换行结束"),
        ("text\n\n- a.example AAAAAAA=\n", "破折号"),
        ("text\n\n—a.example AAAAAAA=\n", "破折号"),
        ("text\n\n— a+b AAAAAAA=\n", "名称"),
        ("text\n\n—  AAAAAAA=\n", "名称"),
        ("text\n\n— a.example\n", "缺少签名"),
        ("text\n\n— a.example AAAAAAA\n", "base64"),
        ("text\n\n— a.example AAAAAAB=\n", "不规范"),
        ("text\n\n— a.example AAAAAA==\n", "过短"),
        ("text\n\n— a.example AAAA AAA=\n", "base64"),
        ("te\rxt\n\n— a.example AAAAAAA=\n", "控制字符"),
        ("text\x00\n\n— a.example AAAAAAA=\n", "控制字符"),
        ("text\n\n— a.example AAAAAAA=\n\n", "没有签名行"),
    ],
)
def test_malformed_notes_are_rejected_with_chinese_messages(text, message):
    with pytest.raises(NoteError, match=message):
        parse_note(text)


def test_invalid_utf8_and_size_limits():
    with pytest.raises(NoteError, match="UTF-8"):
        parse_note(b"text\xff\n\n\xe2\x80\x94 a AAAAAAA=\n")
    with pytest.raises(NoteError, match="UTF-8"):
        parse_note("text\ud800\n\n— a AAAAAAA=\n")
    big = "x" * MAX_NOTE_BYTES + "\n\n— a AAAAAAA=\n"
    with pytest.raises(NoteError, match="过大"):
        parse_note(big)
    with pytest.raises(NoteError, match="过大"):
        parse_note(big.encode())
    # Multi-byte characters count in bytes, not characters.
    with pytest.raises(NoteError, match="过大"):
        parse_note("中" * (MAX_NOTE_BYTES // 3 + 1) + "\n\n— a AAAAAAA=\n")
    with pytest.raises(NoteError):
        parse_note(12345)  # type: ignore[arg-type]


def test_signature_count_limit():
    line = "— a.example AAAAAAA=\n"
    assert len(parse_note("x\n\n" + line * MAX_SIGNATURES).signatures) == MAX_SIGNATURES
    with pytest.raises(NoteError, match="过多"):
        parse_note("x\n\n" + line * (MAX_SIGNATURES + 1))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("origin\n1\n", "三行"),
        ("origin\n01\n" + "A" * 43 + "=\n", "前导零"),
        ("origin\n+1\n" + "A" * 43 + "=\n", "十进制"),
        ("origin\n 1\n" + "A" * 43 + "=\n", "十进制"),
        ("origin\n１\n" + "A" * 43 + "=\n", "十进制"),
        ("origin\n١\n" + "A" * 43 + "=\n", "十进制"),
        ("origin\n-1\n" + "A" * 43 + "=\n", "十进制"),
        ("origin\n18446744073709551616\n" + "A" * 43 + "=\n", "超出范围"),
        ("origin\n1\n" + "A" * 43 + "\n", "base64"),
        ("origin\n1\n" + "A" * 40 + "====\n", "base64"),
        ("origin\n1\n" + "A" * 42 + "==\n", "32 字节"),
        ("origin\n1\n" + "A" * 43 + "=\n\next\n", "空行"),
        ("\n1\n" + "A" * 43 + "=\n", "空行"),
        ("origin\n1\n" + "A" * 43 + "=", "换行结束"),
        ("origin\n1\n" + "A" * 42 + "B=\n", "不规范"),
    ],
)
def test_malformed_checkpoints_are_rejected(body, message):
    with pytest.raises(NoteError, match=message):
        parse_checkpoint(body)


def test_checkpoint_roundtrip_with_extensions_and_limits():
    root = hashlib.sha256(b"r").digest()
    cp = Checkpoint("log.example/x", 2**64 - 1, root, ("ext one", "ext2"))
    assert parse_checkpoint(cp.body()) == cp
    assert parse_checkpoint("o\n0\n" + base64.b64encode(root).decode() + "\n").size == 0
    for bad in (
        lambda: encode_checkpoint("", 1, root),
        lambda: encode_checkpoint("a\nb", 1, root),
        lambda: encode_checkpoint("o", -1, root),
        lambda: encode_checkpoint("o", True, root),  # type: ignore[arg-type]
        lambda: encode_checkpoint("o", 2**64, root),
        lambda: encode_checkpoint("o", 1, root[:31]),
        lambda: encode_checkpoint("o", 1, root, [""]),
        lambda: encode_checkpoint("o", 1, root, ["a\nb"]),
    ):
        with pytest.raises(NoteError):
            bad()


@pytest.mark.parametrize(
    ("vkey", "message"),
    [
        ("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "不符"),
        ("example.com/foo+530d903+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "十六进制"),
        ("example.com/foo+530d903g+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "十六进制"),
        ("example.com/foo+530d903a", "格式错误"),
        ("+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "名称"),
        ("ex ample+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "名称"),
        ("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2", "base64"),
        ("example.com/foo+530d903a+AgkyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "不支持"),
        ("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3Q==", "长度"),
        ("example.com/foo+530d903a+", "为空"),
        (" example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "名称"),
    ],
)
def test_malformed_vkeys_are_rejected(vkey, message):
    with pytest.raises(NoteError, match=message):
        parse_vkey(vkey)


def test_b64decode_strict_accepts_only_canonical_padded_base64():
    assert b64decode_strict("") == b""
    assert b64decode_strict("QQ==") == b"A"
    for bad in ("QQ", "QQ=", "QR==", "Q===", "QQ==QQ==", "QQ-_", "QQ==\n", "ＱＱ=="):
        with pytest.raises(NoteError):
            b64decode_strict(bad)


# --------------------------------------------------------------------------- fuzzing

_NOTE_ALPHABET = st.sampled_from([*"ab +/=0123456789—\n\r\t\x00中", "\u2028", "\ud800"])


@HYP
@given(st.one_of(st.text(), st.text(alphabet=_NOTE_ALPHABET), st.binary()))
def test_fuzz_parsers_raise_only_note_error(data):
    for fn in (parse_note, parse_checkpoint):
        try:
            fn(data)
        except NoteError as exc:
            assert any("\u4e00" <= c <= "\u9fff" for c in str(exc)), str(exc)
    if isinstance(data, str):
        for fn in (parse_vkey, parse_signature_line, b64decode_strict):
            try:
                fn(data)
            except NoteError as exc:
                assert any("\u4e00" <= c <= "\u9fff" for c in str(exc)), str(exc)


_PRIV = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
_KEY = parse_vkey(encode_vkey("fuzz.example/log", _pub(_PRIV)))
_BODY = encode_checkpoint("fuzz.example/log", 7, hashlib.sha256(b"x").digest())
_SIGNED = (_BODY + "\n" + sign_ed25519(_PRIV, "fuzz.example/log", _BODY) + "\n").encode()


@HYP
@given(st.data())
def test_fuzz_mutated_signed_checkpoint_never_verifies_unless_unchanged(data):
    raw = bytearray(_SIGNED)
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["flip", "delete", "insert"]))
        pos = data.draw(st.integers(0, len(raw) - 1))
        if op == "flip":
            raw[pos] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "delete":
            del raw[pos]
        else:
            raw.insert(pos, data.draw(st.integers(0, 255)))
    try:
        note, _ = verify_note(bytes(raw), [_KEY])
    except NoteError:
        return
    # Verification may only succeed if the signed text is exactly the original.
    assert note.text == _BODY


# --------------------------------------------------------------------------- independence

_ALLOWED_IMPORTS = {
    "__future__",
    "argparse",
    "base64",
    "binascii",
    "collections.abc",
    "contextlib",
    "dataclasses",
    "datetime",
    "fcntl",
    "hashlib",
    "json",
    "os",
    "pathlib",
    "re",
    "sys",
    "tempfile",
    "threading",
    "time",
    "typing",
    "zhifa.ledger",
    "zhifa.ledger.merkle",
    "zhifa.ledger.note",
    "zhifa.ledger.signer",
    "zhifa.ledger.receipt",
}


@pytest.mark.parametrize("module", ["note", "signer", "witness", "receipt", "verify"])
def test_offline_modules_import_only_stdlib_cryptography_and_each_other(module):
    path = Path(note_mod.__file__).with_name(f"{module}.py")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add(node.module or "")
    bad = {m for m in imported if m not in _ALLOWED_IMPORTS and not m.startswith("cryptography")}
    assert not bad, bad
    if module == "verify" or module == "receipt":
        assert "zhifa.ledger.signer" not in imported  # the verifier never needs private keys
