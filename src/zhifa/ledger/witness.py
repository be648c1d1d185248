"""A checkpoint witness (c2sp.org/tlog-witness semantics, without the HTTP layer).

An independent body (for example the supervising justice bureau, 司法局) runs a
:class:`Witness` with its own cosigning key.  For every checkpoint the log
submits, the witness

1. verifies the log's signature with a log key it was configured with;
2. parses ``(origin, size, root)`` from the checkpoint;
3. if it has cosigned this origin before at ``(old_size, old_root)``, checks
   that the new checkpoint extends it: a smaller size is a *rollback*, the
   same size needs the same root and an empty proof, a larger size needs a
   valid RFC 9162 consistency proof from ``old_size`` (otherwise a *fork*);
4. only then stores ``(size, root)`` and returns a ``cosignature/v1`` line.

Trust on first use: the first checkpoint seen for an origin is accepted
without a proof, as in tlog-witness ("old size 0").  Configure the witness
before the log publishes anything, or seed its state, to close that window.

Imports only the standard library, ``cryptography`` and ``zhifa.ledger``'s
``merkle``, ``note`` and ``signer`` (no Django).  The Django app adds a
database-backed :class:`StateStore`.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from zhifa.ledger import merkle
from zhifa.ledger.note import (
    SIG_COSIGNATURE_V1,
    Checkpoint,
    NoteError,
    SignatureError,
    VerifierKey,
    parse_checkpoint,
    parse_note,
    parse_vkey,
    verify_signatures,
)
from zhifa.ledger.signer import (
    Signer,
    SignerError,
    _decode_state,
    _encode_state,
    atomic_write_json,
    file_lock,
)

__all__ = [
    "MAX_PROOF_HASHES",
    "BadLogSignatureError",
    "ConflictError",
    "ForkError",
    "JSONFileStateStore",
    "MalformedCheckpointError",
    "MemoryStateStore",
    "RollbackError",
    "StateStore",
    "UnknownLogError",
    "UnknownLogKeyError",
    "Witness",
    "WitnessError",
]

MAX_PROOF_HASHES = 63
"""tlog-witness: "The client MUST NOT send more than 63 consistency proof lines"."""

_STATE_FORMAT = "zhifa-witness-state/v1"


class WitnessError(ValueError):
    """The witness refuses to cosign (message in Chinese).

    ``http_status`` is the status tlog-witness prescribes for the case.
    """

    http_status = 400


class MalformedCheckpointError(WitnessError):
    """The submission is not a well-formed signed checkpoint (or the proof is malformed)."""

    http_status = 400


class UnknownLogError(WitnessError):
    """No log key is configured for the checkpoint's origin."""

    http_status = 404


class UnknownLogKeyError(WitnessError):
    """No signature on the checkpoint is from a configured log key."""

    http_status = 403


class BadLogSignatureError(WitnessError):
    """A configured log key's signature on the checkpoint does not verify."""

    http_status = 403


class ConflictError(WitnessError):
    """The caller's ``old_size`` is not the size this witness last cosigned."""

    http_status = 409

    def __init__(self, message: str, stored_size: int) -> None:
        super().__init__(message)
        self.stored_size = stored_size


class RollbackError(WitnessError):
    """The checkpoint is smaller than one already cosigned for the origin."""

    http_status = 409


class ForkError(WitnessError):
    """The checkpoint is not an extension of the one already cosigned."""

    http_status = 422


@runtime_checkable
class StateStore(Protocol):
    """The latest cosigned ``(size, root)`` per origin.

    A store may also offer ``transaction()``, a context manager that makes
    ``get`` followed by ``put`` atomic across processes (tlog-witness requires
    it: otherwise two concurrent submissions can roll the state back).  The
    witness uses it when present; it always serialises its own threads.
    """

    def get(self, origin: str) -> tuple[int, bytes] | None: ...

    def put(self, origin: str, size: int, root: bytes) -> None: ...


class MemoryStateStore:
    """State kept in a dict (tests, and a witness that re-seeds itself on start)."""

    def __init__(self, initial: Mapping[str, tuple[int, bytes]] | None = None) -> None:
        self._data: dict[str, tuple[int, bytes]] = dict(initial or {})

    def get(self, origin: str) -> tuple[int, bytes] | None:
        return self._data.get(origin)

    def put(self, origin: str, size: int, root: bytes) -> None:
        self._data[origin] = (size, bytes(root))


class JSONFileStateStore:
    """State kept in one JSON file, replaced atomically on every update (mode 0600)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = Path(path)

    @property
    def path(self) -> Path:
        return self._path

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with file_lock(self._path):
            yield

    def _load(self) -> dict[str, tuple[int, bytes]]:
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise WitnessError(f"无法读取见证状态文件 {self._path}：{exc.strerror}") from None
        try:
            return _decode_state(raw, _STATE_FORMAT, "logs")
        except ValueError:
            raise WitnessError(
                f"见证状态文件 {self._path} 已损坏，拒绝联署；请人工核查后再处理。"
            ) from None

    def get(self, origin: str) -> tuple[int, bytes] | None:
        return self._load().get(origin)

    def put(self, origin: str, size: int, root: bytes) -> None:
        state = self._load()
        state[origin] = (size, bytes(root))
        try:
            atomic_write_json(self._path, _encode_state(state, _STATE_FORMAT, "logs"))
        except OSError as exc:
            raise WitnessError(f"无法写入见证状态文件 {self._path}：{exc.strerror}") from None


def _as_key(key: str | VerifierKey) -> VerifierKey:
    if isinstance(key, VerifierKey):
        parsed = key
    else:
        try:
            parsed = parse_vkey(key)
        except NoteError as exc:
            raise WitnessError(f"日志公钥配置错误：{exc}") from None
    if parsed.sig_type == SIG_COSIGNATURE_V1:
        raise WitnessError(f"{parsed.name} 是见证联署公钥，不能作为日志公钥。")
    return parsed


class Witness:
    """Verify and cosign checkpoints of the configured logs.

    ``log_vkeys`` is either a list of log vkeys (each trusted for any origin)
    or a mapping ``origin -> [vkey, ...]`` (each key trusted only for its
    origin; other origins are refused as unknown).  ``clock`` returns POSIX
    seconds for the cosignature timestamp.
    """

    def __init__(
        self,
        signer: Signer,
        log_vkeys: Iterable[str | VerifierKey] | Mapping[str, Iterable[str | VerifierKey]],
        state_store: StateStore,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._signer = signer
        self._store = state_store
        self._clock = clock
        self._lock = threading.Lock()
        self._by_origin: dict[str, list[VerifierKey]] | None
        if isinstance(log_vkeys, Mapping):
            self._by_origin = {o: [_as_key(k) for k in ks] for o, ks in log_vkeys.items()}
            self._any: list[VerifierKey] = []
        else:
            self._by_origin = None
            self._any = [_as_key(k) for k in log_vkeys]
            if not self._any:
                raise WitnessError("见证未配置任何日志公钥。")

    @property
    def name(self) -> str:
        return self._signer.name

    @property
    def vkey(self) -> str:
        return self._signer.vkey

    def latest(self, origin: str) -> tuple[int, bytes] | None:
        """The latest cosigned ``(size, root)`` for ``origin``."""
        return self._store.get(origin)

    def _keys_for(self, origin: str) -> list[VerifierKey]:
        if self._by_origin is None:
            return self._any
        keys = self._by_origin.get(origin)
        if not keys:
            raise UnknownLogError(f"拒绝联署：见证未登记日志 {origin}。")
        return keys

    def cosign(
        self,
        signed_checkpoint: str | bytes,
        consistency_proof: Sequence[bytes] = (),
        hash_alg: str = "sha256",
        *,
        old_size: int | None = None,
    ) -> str:
        """Verify ``signed_checkpoint`` and return this witness's cosignature line.

        ``consistency_proof`` runs from the size this witness last cosigned for
        the origin.  If ``old_size`` is given (the tlog-witness ``old`` line),
        it must equal that size, else :class:`ConflictError` carries the stored
        size so the log can retry with the right proof.  Without ``old_size``,
        a proof sent on first sight of an origin is ignored (trust on first
        use).  The returned line has no trailing newline.
        """
        if hash_alg not in merkle.ALGORITHMS:
            raise MalformedCheckpointError(f"不支持的哈希算法 {hash_alg!r}。")
        proof = self._check_proof(consistency_proof)
        try:
            note = parse_note(signed_checkpoint)
            cp = parse_checkpoint(note.text)
        except NoteError as exc:
            raise MalformedCheckpointError(f"拒绝联署：检查点格式错误。{exc}") from None
        keys = self._keys_for(cp.origin)
        try:
            verified = verify_signatures(note, keys)
        except SignatureError as exc:
            raise BadLogSignatureError(f"拒绝联署：日志签名无效。{exc}") from None
        if not verified:
            raise UnknownLogKeyError(
                f"拒绝联署：日志 {cp.origin} 的检查点没有由已登记的日志公钥作出的有效签名。"
            )
        if cp.size == 0 and cp.root != merkle.empty_root(hash_alg):
            raise MalformedCheckpointError(
                f"拒绝联署：日志 {cp.origin} 的空检查点（0 条）根哈希不是空树的哈希。"
            )
        transaction = getattr(self._store, "transaction", None)
        with self._lock, transaction() if transaction else contextlib.nullcontext():
            prev = self._store.get(cp.origin)
            stored_size = 0 if prev is None else prev[0]
            if old_size is not None and old_size != stored_size:
                raise ConflictError(
                    f"拒绝联署：提交方声称的上次见证条数为 {old_size}，"
                    f"但本见证上次联署的是 {stored_size} 条。",
                    stored_size,
                )
            if prev is None:
                if old_size is not None and proof:
                    raise MalformedCheckpointError(
                        "拒绝联署：首次见证（上次条数为 0）时一致性证明必须为空。"
                    )
            else:
                self._check_extends(cp, prev, proof, hash_alg)
            try:
                line = self._signer.cosign(note.text, int(self._clock()))
            except SignerError as exc:
                raise WitnessError(f"联署签名失败：{exc}") from None
            # Persist before the cosignature leaves the witness (tlog-witness).
            if prev != (cp.size, cp.root):
                self._store.put(cp.origin, cp.size, cp.root)
            return line

    @staticmethod
    def _check_proof(proof: Sequence[bytes]) -> list[bytes]:
        if isinstance(proof, (bytes, bytearray, str)) or not isinstance(proof, Sequence):
            raise MalformedCheckpointError("一致性证明必须是哈希值的列表。")
        if len(proof) > MAX_PROOF_HASHES:
            raise MalformedCheckpointError(
                f"一致性证明过长（{len(proof)} 个哈希，上限 {MAX_PROOF_HASHES} 个）。"
            )
        out = []
        for p in proof:
            if not isinstance(p, (bytes, bytearray)) or len(p) != merkle.HASH_SIZE:
                raise MalformedCheckpointError(
                    f"一致性证明中的每个哈希都必须是 {merkle.HASH_SIZE} 字节。"
                )
            out.append(bytes(p))
        return out

    @staticmethod
    def _check_extends(
        cp: Checkpoint, prev: tuple[int, bytes], proof: list[bytes], hash_alg: str
    ) -> None:
        old_size, old_root = prev
        if cp.size < old_size:
            raise RollbackError(
                f"拒绝联署：日志 {cp.origin} 的检查点只有 {cp.size} 条记录，"
                f"少于本见证已联署的 {old_size} 条（疑似回滚或删除记录）。"
            )
        if cp.size == old_size:
            if cp.root != old_root:
                raise ForkError(
                    f"拒绝联署：日志 {cp.origin} 的检查点有 {cp.size} 条记录，与已联署的同样条数的"
                    "检查点根哈希不同（疑似篡改历史、分叉）。"
                )
            if proof:
                raise ForkError("拒绝联署：条数相同时一致性证明必须为空。")
            return
        if old_size == 0:  # any tree extends the empty tree
            if proof:
                raise ForkError("拒绝联署：上次联署的是空日志，一致性证明必须为空。")
            return
        if not merkle.verify_consistency(old_size, cp.size, old_root, cp.root, proof, hash_alg):
            raise ForkError(
                f"拒绝联署：日志 {cp.origin} 从已联署的 {old_size} 条到 {cp.size} 条的"
                "一致性证明无效（疑似篡改历史、分叉）。"
            )
