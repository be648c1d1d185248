"""Tests for zhifa.ledger.signer: Ed25519 keys, key files and the monotonic guard."""

from __future__ import annotations

import json
import os
import stat
import threading

import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
)

from zhifa.ledger import merkle
from zhifa.ledger.note import (
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    add_signatures,
    encode_checkpoint,
    parse_note,
    parse_vkey,
    verify_note,
    verify_signatures,
)
from zhifa.ledger.signer import (
    Ed25519Signer,
    GuardedLogSigner,
    Signer,
    SignerError,
    SigningRefusedError,
    load_or_create_key,
)

ORIGIN = "ledger.example.gov.cn/2026"
LEAVES = [f"entry {i}".encode() for i in range(12)]


def _body(size: int, leaves=LEAVES, origin=ORIGIN) -> str:
    return encode_checkpoint(origin, size, merkle.root_hash(leaves[:size]))


def _signed(line: str, body: str) -> str:
    return body + "\n" + line + "\n"


# --------------------------------------------------------------------------- Ed25519Signer


def test_log_signer_signs_notes_that_verify_with_its_vkey():
    signer = Ed25519Signer.generate(ORIGIN)
    assert isinstance(signer, Signer)
    key = parse_vkey(signer.vkey)
    assert key.sig_type == SIG_ED25519
    assert key.key_id == signer.key_id
    body = _body(3)
    _, verified = verify_note(_signed(signer.sign_note(body), body), [key])
    assert verified[0].key.name == ORIGIN


def test_witness_signer_cosigns_with_timestamp():
    signer = Ed25519Signer.generate("sfj.example.gov.cn/w1", role="witness")
    key = parse_vkey(signer.vkey)
    assert key.sig_type == SIG_COSIGNATURE_V1
    body = _body(3)
    note = parse_note(_signed(signer.cosign(body, 1_767_225_600), body))
    assert verify_signatures(note, [key])[0].timestamp == 1_767_225_600


def test_roles_are_separate():
    log = Ed25519Signer.generate(ORIGIN)
    witness = Ed25519Signer.generate("w.example", role="witness")
    with pytest.raises(SignerError, match="不能用于见证联署"):
        log.cosign(_body(1), 1)
    with pytest.raises(SignerError, match="不能用于日志签名"):
        witness.sign_note(_body(1))
    with pytest.raises(SignerError, match="用途"):
        Ed25519Signer.generate("x", role="other")  # type: ignore[arg-type]
    with pytest.raises(SignerError, match="名称"):
        Ed25519Signer.generate("has space")


def test_sign_note_errors_are_signer_errors():
    signer = Ed25519Signer.generate(ORIGIN)
    with pytest.raises(SignerError, match="换行"):
        signer.sign_note("no newline")


def test_repr_does_not_leak_key_material():
    signer = Ed25519Signer.generate(ORIGIN)
    text = repr(signer)
    assert signer.key_id.hex() in text
    assert "PRIVATE" not in text


# --------------------------------------------------------------------------- key files


def test_load_or_create_key_creates_private_file_and_reloads_same_key(tmp_path):
    path = tmp_path / "keys" / "nested" / "log.pem"
    first = load_or_create_key(path, ORIGIN)
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    second = load_or_create_key(path, ORIGIN)
    assert second.vkey == first.vkey
    assert [p.name for p in path.parent.iterdir()] == ["log.pem"]  # no temp files left
    # The same file under the witness role gives the cosigner vkey of the same key.
    assert load_or_create_key(path, ORIGIN, "witness").public_key_bytes == first.public_key_bytes


def test_concurrent_first_use_yields_one_key(tmp_path):
    path = tmp_path / "k.pem"
    results: list[str] = []

    def worker():
        results.append(load_or_create_key(path, ORIGIN).vkey)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert len(list(tmp_path.iterdir())) == 1


def test_bad_key_files_give_chinese_errors(tmp_path):
    with pytest.raises(SignerError, match="无法读取私钥文件"):
        Ed25519Signer.from_pem_file(tmp_path / "missing.pem", ORIGIN)
    garbage = tmp_path / "garbage.pem"
    garbage.write_bytes(b"not a key")
    with pytest.raises(SignerError, match="无法读取私钥"):
        Ed25519Signer.from_pem_file(garbage, ORIGIN)
    ec = tmp_path / "ec.pem"
    ec.write_bytes(
        generate_private_key(SECP256R1()).private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
        )
    )
    with pytest.raises(SignerError, match="不是 Ed25519"):
        Ed25519Signer.from_pem_file(ec, ORIGIN)


def test_encrypted_pem_roundtrip(tmp_path):
    signer = Ed25519Signer.generate(ORIGIN)
    path = tmp_path / "enc.pem"
    path.write_bytes(signer.private_pem(password=b"secret"))
    assert Ed25519Signer.from_pem_file(path, ORIGIN, password=b"secret").vkey == signer.vkey
    with pytest.raises(SignerError):
        Ed25519Signer.from_pem_file(path, ORIGIN, password=b"wrong")


# --------------------------------------------------------------------------- guard


@pytest.fixture
def guard(tmp_path):
    return GuardedLogSigner(Ed25519Signer.generate(ORIGIN), tmp_path / "log.state.json")


def test_guard_signs_a_growing_log(guard):
    key = parse_vkey(guard.vkey)
    for size in (0, 1, 2, 5, 5, 12):
        body = _body(size)
        verify_note(_signed(guard.sign_note(body), body), [key])
    assert guard.last_signed(ORIGIN) == (12, merkle.root_hash(LEAVES))
    state = json.loads(guard.state_path.read_text())
    assert state["format"] == "zhifa-signer-state/v1"
    assert state["origins"][ORIGIN]["size"] == 12
    assert stat.S_IMODE(os.stat(guard.state_path).st_mode) == 0o600


def test_guard_refuses_rollback(guard):
    guard.sign_note(_body(5))
    with pytest.raises(SigningRefusedError, match=r"5 条.*更小的 4 条"):
        guard.sign_note(_body(4))
    assert guard.last_signed(ORIGIN)[0] == 5


def test_guard_refuses_same_size_with_other_root(guard):
    guard.sign_note(_body(5))
    forged = [b"forged", *LEAVES[1:]]
    with pytest.raises(SigningRefusedError, match="分叉"):
        guard.sign_note(_body(5, forged))


def test_guard_state_persists_across_instances(tmp_path):
    signer = Ed25519Signer.generate(ORIGIN)
    state = tmp_path / "state.json"
    GuardedLogSigner(signer, state).sign_note(_body(6))
    again = GuardedLogSigner(signer, state)
    with pytest.raises(SigningRefusedError):
        again.sign_note(_body(3))
    # Other origins are tracked separately.
    again.sign_note(_body(3, origin="other.example/log"))


def test_guard_from_key_file_keeps_state_next_to_the_key(tmp_path):
    key_path = tmp_path / "keys" / "log.pem"
    guard = GuardedLogSigner.from_key_file(key_path, ORIGIN)
    guard.sign_note(_body(4))
    assert guard.state_path == tmp_path / "keys" / "log.pem.state.json"
    again = GuardedLogSigner.from_key_file(key_path, ORIGIN)
    assert again.vkey == guard.vkey
    with pytest.raises(SigningRefusedError):
        again.sign_note(_body(3))


def test_guard_refuses_non_checkpoints_and_corrupt_state(guard):
    with pytest.raises(SigningRefusedError, match="不是有效的检查点"):
        guard.sign_note("just some text\n")
    guard.state_path.write_text("{not json")
    with pytest.raises(SigningRefusedError, match="已损坏"):
        guard.sign_note(_body(1))
    guard.state_path.write_text(json.dumps({"format": "zhifa-signer-state/v1", "origins": []}))
    with pytest.raises(SigningRefusedError, match="已损坏"):
        guard.sign_note(_body(1))


def test_guard_does_not_cosign(guard):
    with pytest.raises(SignerError):
        guard.cosign(_body(1), 1)


def test_guard_with_hash_alg_requires_a_valid_consistency_proof(tmp_path):
    guard = GuardedLogSigner(Ed25519Signer.generate(ORIGIN), tmp_path / "s.json", hash_alg="sha256")
    guard.sign_note(_body(3))  # first checkpoint: nothing to be consistent with
    with pytest.raises(SigningRefusedError, match="需要提供一致性证明"):
        guard.sign_note(_body(7))
    forged = [*LEAVES[:2], b"rewritten", *LEAVES[3:]]
    bad_proof = merkle.consistency_proof(forged[:7], 3)
    with pytest.raises(SigningRefusedError, match="不一致"):
        guard.sign_note(_body(7, forged), bad_proof)
    guard.sign_note(_body(7), merkle.consistency_proof(LEAVES[:7], 3))
    assert guard.last_signed(ORIGIN)[0] == 7
    with pytest.raises(SignerError, match="哈希算法"):
        GuardedLogSigner(Ed25519Signer.generate(ORIGIN), tmp_path / "x.json", hash_alg="md5")


def test_guard_output_combines_with_cosignatures(guard):
    witness = Ed25519Signer.generate("w.example", role="witness")
    body = _body(4)
    signed = add_signatures(_signed(guard.sign_note(body), body), [witness.cosign(body, 10)])
    note = parse_note(signed)
    assert len(note.signatures) == 2
    assert verify_signatures(note, [parse_vkey(witness.vkey)])[0].timestamp == 10
