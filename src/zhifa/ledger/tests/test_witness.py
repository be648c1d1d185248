"""Tests for zhifa.ledger.witness: cosign honest growth, refuse forks and rollbacks."""

from __future__ import annotations

import json
import threading

import pytest

from zhifa.ledger import merkle
from zhifa.ledger.note import (
    add_signatures,
    encode_checkpoint,
    format_signature_line,
    parse_note,
    parse_vkey,
    verify_signatures,
)
from zhifa.ledger.signer import Ed25519Signer
from zhifa.ledger.witness import (
    BadLogSignatureError,
    ConflictError,
    ForkError,
    JSONFileStateStore,
    MalformedCheckpointError,
    MemoryStateStore,
    RollbackError,
    StateStore,
    UnknownLogError,
    UnknownLogKeyError,
    Witness,
    WitnessError,
)

ORIGIN = "ledger.example.gov.cn/2026"
LOG = Ed25519Signer.generate(ORIGIN)
WITNESS_KEY = Ed25519Signer.generate("sfj.example.gov.cn/witness", role="witness")
LEAVES = [f'{{"seq":{i}}}'.encode() for i in range(40)]


def checkpoint(size: int, leaves=LEAVES, signer=LOG, algo="sha256", origin=ORIGIN) -> str:
    body = encode_checkpoint(origin, size, merkle.root_hash(leaves[:size], algo))
    return body + "\n" + signer.sign_note(body) + "\n"


def make_witness(store: StateStore | None = None, now: list[int] | None = None) -> Witness:
    clock = now if now is not None else [1_767_225_600]
    return Witness(
        WITNESS_KEY,
        [LOG.vkey],
        store if store is not None else MemoryStateStore(),
        clock=lambda: clock[0],
    )


def test_honest_log_is_cosigned_as_it_grows():
    now = [1_767_225_600]
    witness = make_witness(now=now)
    wkey = parse_vkey(WITNESS_KEY.vkey)
    prev = None
    for size in (1, 2, 3, 7, 8, 8, 20, 40):
        proof = [] if prev is None else merkle.consistency_proof(LEAVES[:size], prev)
        signed = checkpoint(size)
        line = witness.cosign(signed, proof)
        note = parse_note(add_signatures(signed, [line]))
        [sig] = verify_signatures(note, [wkey])
        assert sig.timestamp == now[0]
        assert witness.latest(ORIGIN) == (size, merkle.root_hash(LEAVES[:size]))
        prev = size
        now[0] += 60


def test_rewritten_history_is_refused():
    witness = make_witness()
    witness.cosign(checkpoint(5), [])
    forged = [*LEAVES[:2], b"rewritten", *LEAVES[3:]]
    proof = merkle.consistency_proof(forged[:9], 5)
    with pytest.raises(ForkError, match="5 条到 9 条") as err:
        witness.cosign(checkpoint(9, forged), proof)
    assert err.value.http_status == 422
    # An honest proof does not help a forged checkpoint either.
    with pytest.raises(ForkError):
        witness.cosign(checkpoint(9, forged), merkle.consistency_proof(LEAVES[:9], 5))
    assert witness.latest(ORIGIN)[0] == 5


def test_same_size_with_a_different_root_is_a_fork():
    witness = make_witness()
    witness.cosign(checkpoint(5), [])
    with pytest.raises(ForkError, match="根哈希不同"):
        witness.cosign(checkpoint(5, [b"x", *LEAVES[1:]]), [])
    # The same checkpoint again is fine (re-cosigning), but not with a proof.
    witness.cosign(checkpoint(5), [])
    with pytest.raises(ForkError):
        witness.cosign(checkpoint(5), [bytes(32)])


def test_rollback_is_refused_naming_the_sizes():
    witness = make_witness()
    witness.cosign(checkpoint(10), [])
    with pytest.raises(RollbackError, match=r"只有 4 条.*已联署的 10 条"):
        witness.cosign(checkpoint(4), [])
    assert witness.latest(ORIGIN)[0] == 10


def test_tampered_log_signature_is_refused():
    witness = make_witness()
    signed = checkpoint(3)
    note = parse_note(signed)
    sig = bytearray(note.signatures[0].signature)
    sig[0] ^= 0x80
    line = format_signature_line(ORIGIN, note.signatures[0].key_id, bytes(sig))
    with pytest.raises(BadLogSignatureError, match="日志签名无效"):
        witness.cosign(note.text + "\n" + line + "\n", [])
    # A changed size with the original signature also fails.
    with pytest.raises(BadLogSignatureError):
        witness.cosign(signed.replace("\n3\n", "\n4\n", 1), [])
    assert witness.latest(ORIGIN) is None


def test_unknown_log_key_is_refused():
    witness = make_witness()
    stranger = Ed25519Signer.generate(ORIGIN)
    with pytest.raises(UnknownLogKeyError, match="已登记的日志公钥") as err:
        witness.cosign(checkpoint(3, signer=stranger), [])
    assert err.value.http_status == 403


def test_keys_per_origin():
    witness = Witness(WITNESS_KEY, {ORIGIN: [LOG.vkey]}, MemoryStateStore())
    witness.cosign(checkpoint(2), [])
    with pytest.raises(UnknownLogError, match="未登记日志"):
        witness.cosign(checkpoint(2, origin="other.example/log"), [])


def test_old_size_must_match_the_stored_size():
    witness = make_witness()
    witness.cosign(checkpoint(4), [], old_size=0)
    with pytest.raises(ConflictError) as err:
        witness.cosign(checkpoint(6), merkle.consistency_proof(LEAVES[:6], 2), old_size=2)
    assert err.value.stored_size == 4
    assert err.value.http_status == 409
    witness.cosign(checkpoint(6), merkle.consistency_proof(LEAVES[:6], 4), old_size=4)
    with pytest.raises(MalformedCheckpointError, match="首次见证"):
        make_witness().cosign(checkpoint(6), [bytes(32)], old_size=0)


def test_empty_log_then_growth():
    witness = make_witness()
    witness.cosign(checkpoint(0), [])
    witness.cosign(checkpoint(3), [])
    with pytest.raises(MalformedCheckpointError, match="空树"):
        body = encode_checkpoint("other.example/log", 0, bytes(32))
        witness.cosign(body + "\n" + LOG.sign_note(body) + "\n", [])


def test_malformed_submissions():
    witness = make_witness()
    for bad in ("", "garbage", "o\n1\nAAAA\n\n— x AAAAAAA=\n", b"\xff\xfe"):
        with pytest.raises(MalformedCheckpointError):
            witness.cosign(bad, [])
    for proof in ([b"short"], [bytes(32)] * 64, b"x" * 32, ["a" * 32]):
        with pytest.raises(MalformedCheckpointError):
            witness.cosign(checkpoint(1), proof)  # type: ignore[arg-type]
    with pytest.raises(MalformedCheckpointError, match="哈希算法"):
        witness.cosign(checkpoint(1), [], hash_alg="md5")
    with pytest.raises(WitnessError, match="见证联署公钥"):
        Witness(WITNESS_KEY, [WITNESS_KEY.vkey], MemoryStateStore())
    with pytest.raises(WitnessError, match="配置错误"):
        Witness(WITNESS_KEY, ["not a key"], MemoryStateStore())
    with pytest.raises(WitnessError, match="未配置"):
        Witness(WITNESS_KEY, [], MemoryStateStore())


def test_sm3_log():
    witness = make_witness()
    witness.cosign(checkpoint(3, algo="sm3"), [], hash_alg="sm3")
    proof = merkle.consistency_proof(LEAVES[:11], 3, "sm3")
    witness.cosign(checkpoint(11, algo="sm3"), proof, hash_alg="sm3")
    with pytest.raises(ForkError):  # a SHA-256 proof does not prove an SM3 tree
        witness.cosign(
            checkpoint(12, algo="sm3"), merkle.consistency_proof(LEAVES[:12], 11), hash_alg="sm3"
        )


def test_file_store_persists_across_instances(tmp_path):
    path = tmp_path / "witness" / "state.json"
    make_witness(JSONFileStateStore(path)).cosign(checkpoint(8), [])
    data = json.loads(path.read_text())
    assert data["format"] == "zhifa-witness-state/v1"
    assert data["logs"][ORIGIN]["size"] == 8

    again = make_witness(JSONFileStateStore(path))
    assert again.latest(ORIGIN) == (8, merkle.root_hash(LEAVES[:8]))
    with pytest.raises(RollbackError):
        again.cosign(checkpoint(7), [])
    again.cosign(checkpoint(9), merkle.consistency_proof(LEAVES[:9], 8))
    assert make_witness(JSONFileStateStore(path)).latest(ORIGIN)[0] == 9


def test_corrupt_file_store_refuses(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"format": "zhifa-witness-state/v1", "logs": {"x": {"size": -1}}}')
    with pytest.raises(WitnessError, match="已损坏"):
        make_witness(JSONFileStateStore(path)).cosign(checkpoint(1), [])


def test_state_is_unchanged_when_signing_fails():
    class BrokenSigner:
        name = "broken.example"
        key_id = b"\0\0\0\0"
        vkey = WITNESS_KEY.vkey

        def sign_note(self, text: str) -> str:
            raise AssertionError

        def cosign(self, text: str, timestamp: int) -> str:
            from zhifa.ledger.signer import SignerError

            raise SignerError("设备故障")

    store = MemoryStateStore()
    witness = Witness(BrokenSigner(), [LOG.vkey], store)
    with pytest.raises(WitnessError, match="设备故障"):
        witness.cosign(checkpoint(2), [])
    assert store.get(ORIGIN) is None


def test_concurrent_submissions_never_roll_back(tmp_path):
    """tlog-witness: the check and the state update are atomic, so stored sizes only grow."""
    stored: list[int] = []

    class RecordingStore(JSONFileStateStore):
        def put(self, origin: str, size: int, root: bytes) -> None:
            stored.append(size)
            super().put(origin, size, root)

    witness = make_witness(RecordingStore(tmp_path / "s.json"))
    witness.cosign(checkpoint(1), [])
    accepted: list[int] = []

    def submit(size: int) -> None:
        old = witness.latest(ORIGIN)[0]
        proof = merkle.consistency_proof(LEAVES[:size], old) if old < size else []
        try:
            witness.cosign(checkpoint(size), proof)
        except (RollbackError, ForkError):  # raced with a larger submission
            return
        accepted.append(size)

    threads = [threading.Thread(target=submit, args=(s,)) for s in range(2, 30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert stored == sorted(stored)
    assert accepted
    assert witness.latest(ORIGIN)[0] == stored[-1] == max(accepted)
