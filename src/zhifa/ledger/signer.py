"""Note signers: the log's checkpoint key and a witness's cosigning key.

Imports only the standard library, ``cryptography`` and ``zhifa.ledger``'s
``merkle`` and ``note`` (no Django), so the witness can run stand-alone.

* :class:`Signer` is the protocol every key implements.  An SM2 signer or a
  hardware key (HSM, 服务器密码机) only has to provide the same five members.
* :class:`Ed25519Signer` holds an Ed25519 private key *in memory*, loaded from
  a PEM (PKCS#8) file.  :func:`load_or_create_key` creates that file with mode
  0600 on first use.
* :class:`GuardedLogSigner` wraps a log signer and refuses to sign a
  checkpoint that would fork the log (``ledger.md`` §4.10): a smaller size
  than already signed, or the same size with another root.  Optionally it
  also requires a consistency proof for every growth.

A key has exactly one *role*: ``"log"`` keys sign checkpoints (note signature
type 0x01), ``"witness"`` keys cosign them (type 0x04, ``cosignature/v1``).
The roles use different key IDs and vkeys, and one key never does both.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

from zhifa.ledger import merkle
from zhifa.ledger.note import (
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    NoteError,
    VerifierKey,
    cosign_ed25519,
    encode_vkey,
    is_valid_key_name,
    parse_checkpoint,
    parse_vkey,
    sign_ed25519,
)

try:  # POSIX only; elsewhere the in-process lock is all we have.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "Ed25519Signer",
    "GuardedLogSigner",
    "Role",
    "Signer",
    "SignerError",
    "SigningRefusedError",
    "atomic_write_json",
    "file_lock",
    "load_or_create_key",
]

Role = Literal["log", "witness"]

_STATE_FORMAT = "zhifa-signer-state/v1"


class SignerError(ValueError):
    """A key cannot be loaded, created or used (message in Chinese)."""


class SigningRefusedError(SignerError):
    """The monotonic guard refused to sign: signing would fork or roll back the log."""


@runtime_checkable
class Signer(Protocol):
    """What the log and the witness need from a key.

    ``key_id`` and ``vkey`` are those of the key's role: a log key's vkey has
    signature type 0x01, a witness key's vkey type 0x04.  The method of the
    other role raises :class:`SignerError`.  Returned signature lines have no
    trailing newline; combine them with :func:`zhifa.ledger.note.add_signatures`.
    """

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> bytes: ...

    @property
    def vkey(self) -> str: ...

    def sign_note(self, text: str) -> str:
        """Sign note ``text`` (a checkpoint body); return the signature line."""
        ...

    def cosign(self, text: str, timestamp: int) -> str:
        """Cosign checkpoint body ``text`` at ``timestamp`` (POSIX seconds)."""
        ...


class Ed25519Signer:
    """An Ed25519 key with a name and a role.  The private key stays in this object."""

    __slots__ = ("_key", "_name", "_role", "_verifier")

    def __init__(self, private_key: Ed25519PrivateKey, name: str, role: Role = "log") -> None:
        if not isinstance(private_key, Ed25519PrivateKey):
            raise SignerError("签名密钥必须是 Ed25519 私钥。")
        if not is_valid_key_name(name):
            raise SignerError(f"密钥名称 {name!r} 不合规：不能为空，不能含空白字符或加号。")
        if role not in ("log", "witness"):
            raise SignerError(
                f"密钥用途 {role!r} 无效：应为 log（日志签名）或 witness（见证联署）。"
            )
        self._key = private_key
        self._name = name
        self._role: Role = role
        sig_type = SIG_ED25519 if role == "log" else SIG_COSIGNATURE_V1
        self._verifier = parse_vkey(encode_vkey(name, self.public_key_bytes, sig_type))

    @classmethod
    def generate(cls, name: str, role: Role = "log") -> Ed25519Signer:
        """A fresh key that lives only in memory (tests, demos)."""
        return cls(Ed25519PrivateKey.generate(), name, role)

    @classmethod
    def from_pem(
        cls, pem: bytes, name: str, role: Role = "log", password: bytes | None = None
    ) -> Ed25519Signer:
        try:
            key = load_pem_private_key(pem, password=password)
        except (ValueError, TypeError) as exc:
            raise SignerError(f"无法读取私钥（PEM 格式错误或口令不对）：{exc}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise SignerError("私钥文件中的密钥不是 Ed25519 密钥。")
        return cls(key, name, role)

    @classmethod
    def from_pem_file(
        cls,
        path: str | os.PathLike[str],
        name: str,
        role: Role = "log",
        password: bytes | None = None,
    ) -> Ed25519Signer:
        try:
            pem = Path(path).read_bytes()
        except OSError as exc:
            raise SignerError(f"无法读取私钥文件 {os.fspath(path)}：{exc.strerror}") from None
        return cls.from_pem(pem, name, role, password)

    def private_pem(self, password: bytes | None = None) -> bytes:
        """PKCS#8 PEM of the private key (only for writing it to its key file)."""
        enc = BestAvailableEncryption(password) if password else NoEncryption()
        return self._key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, enc)

    @property
    def public_key_bytes(self) -> bytes:
        return self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def name(self) -> str:
        return self._name

    @property
    def role(self) -> Role:
        return self._role

    @property
    def key_id(self) -> bytes:
        return self._verifier.key_id

    @property
    def vkey(self) -> str:
        return self._verifier.vkey

    @property
    def verifier(self) -> VerifierKey:
        return self._verifier

    def sign_note(self, text: str) -> str:
        if self._role != "log":
            raise SignerError(f"密钥 {self._name} 是见证联署密钥，不能用于日志签名。")
        try:
            return sign_ed25519(self._key, self._name, text)
        except NoteError as exc:
            raise SignerError(str(exc)) from None

    def cosign(self, text: str, timestamp: int) -> str:
        if self._role != "witness":
            raise SignerError(f"密钥 {self._name} 是日志签名密钥，不能用于见证联署。")
        try:
            return cosign_ed25519(self._key, self._name, text, timestamp)
        except NoteError as exc:
            raise SignerError(str(exc)) from None

    def __repr__(self) -> str:  # never show key material
        return (
            f"Ed25519Signer(name={self._name!r}, role={self._role!r}, key_id={self.key_id.hex()})"
        )


def load_or_create_key(
    path: str | os.PathLike[str], name: str, role: Role = "log"
) -> Ed25519Signer:
    """Load the Ed25519 key at ``path``, creating it (mode 0600) on first use.

    Parent directories are created with mode 0700.  Creation is atomic: the
    key is written to a private temporary file and hard-linked into place,
    so concurrent first uses end with one key that every caller loads.
    """
    path = Path(path)
    if not path.exists():
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise SignerError(f"无法创建密钥目录 {path.parent}：{exc.strerror}") from None
        pem = Ed25519Signer.generate(name, role).private_pem()
        fd, tmp = tempfile.mkstemp(prefix=".key-", dir=path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)  # fails if another process created the key first
            except FileExistsError:
                pass
            else:
                _fsync_dir(path.parent)
        except OSError as exc:
            raise SignerError(f"无法写入密钥文件 {path}：{exc.strerror}") from None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return Ed25519Signer.from_pem_file(path, name, role)


# --------------------------------------------------------------------------- file helpers


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def atomic_write_json(path: str | os.PathLike[str], obj: object) -> None:
    """Write ``obj`` as JSON to ``path`` atomically (temp file, fsync, rename), mode 0600."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


@contextlib.contextmanager
def file_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Exclusive lock on ``path + '.lock'`` across threads and (on POSIX) processes."""
    lock_path = Path(os.fspath(path) + ".lock")
    key = os.path.abspath(lock_path)
    with _THREAD_LOCKS_GUARD:
        tlock = _THREAD_LOCKS.setdefault(key, threading.Lock())
    with tlock:
        if fcntl is None:  # pragma: no cover
            yield
            return
        lock_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the flock


# --------------------------------------------------------------------------- monotonic guard


class GuardedLogSigner:
    """A log signer that never signs two inconsistent checkpoints for one origin.

    For each origin it remembers the last signed ``(size, root)`` in a small
    JSON file (by default next to the key, e.g. ``log.key.state.json``),
    written atomically *before* the signature is returned.  It refuses:

    * a checkpoint with a smaller size than already signed (rollback);
    * the same size with a different root (fork);
    * when ``hash_alg`` is given: a larger size whose consistency proof from
      the last signed checkpoint (passed to :meth:`sign_note`) does not verify.
      Then even someone who can ask this service to sign cannot sign a
      rewritten history.

    Without ``hash_alg`` only the size and same-size-root rules apply.  A
    missing state file means "nothing signed yet"; an unreadable or corrupt one
    refuses every signature (fail closed).
    """

    def __init__(
        self,
        signer: Signer,
        state_path: str | os.PathLike[str],
        *,
        hash_alg: str | None = None,
    ) -> None:
        if hash_alg is not None and hash_alg not in merkle.ALGORITHMS:
            raise SignerError(f"不支持的哈希算法 {hash_alg!r}。")
        self._signer = signer
        self._state_path = Path(state_path)
        self._hash_alg = hash_alg

    @classmethod
    def from_key_file(
        cls, key_path: str | os.PathLike[str], name: str, *, hash_alg: str | None = None
    ) -> GuardedLogSigner:
        """Load (or create) the log key at ``key_path``; keep the state in ``<key_path>.state.json``."""
        signer = load_or_create_key(key_path, name, "log")
        return cls(signer, os.fspath(key_path) + ".state.json", hash_alg=hash_alg)

    @property
    def name(self) -> str:
        return self._signer.name

    @property
    def key_id(self) -> bytes:
        return self._signer.key_id

    @property
    def vkey(self) -> str:
        return self._signer.vkey

    @property
    def state_path(self) -> Path:
        return self._state_path

    def cosign(self, text: str, timestamp: int) -> str:
        raise SignerError("日志签名服务不提供见证联署。")

    def last_signed(self, origin: str) -> tuple[int, bytes] | None:
        """The last ``(size, root)`` signed for ``origin``, or None."""
        entry = self._load().get(origin)
        return None if entry is None else (entry[0], entry[1])

    def sign_note(self, text: str, consistency_proof: Sequence[bytes] | None = None) -> str:
        """Sign checkpoint body ``text`` if it extends what was signed before."""
        try:
            cp = parse_checkpoint(text)
        except NoteError as exc:
            raise SigningRefusedError(f"拒绝签名：待签名内容不是有效的检查点。{exc}") from None
        with file_lock(self._state_path):
            state = self._load()
            prev = state.get(cp.origin)
            if prev is not None:
                self._check(cp.origin, prev, cp.size, cp.root, consistency_proof)
            if prev != (cp.size, cp.root):
                state[cp.origin] = (cp.size, cp.root)
                self._save(state)
            return self._signer.sign_note(text)

    def _check(
        self,
        origin: str,
        prev: tuple[int, bytes],
        size: int,
        root: bytes,
        proof: Sequence[bytes] | None,
    ) -> None:
        old_size, old_root = prev
        if size < old_size:
            raise SigningRefusedError(
                f"拒绝签名：日志 {origin} 已签署过 {old_size} 条记录的检查点，"
                f"不能再签署更小的 {size} 条（疑似回滚）。"
            )
        if size == old_size:
            if root != old_root:
                raise SigningRefusedError(
                    f"拒绝签名：日志 {origin} 已签署过 {size} 条记录的检查点，"
                    "同样条数的根哈希却不同（疑似篡改历史、分叉）。"
                )
            return
        if self._hash_alg is None or old_size == 0:
            return
        if proof is None:
            raise SigningRefusedError(
                f"拒绝签名：日志 {origin} 从 {old_size} 条增长到 {size} 条，需要提供一致性证明。"
            )
        if not merkle.verify_consistency(
            old_size, size, old_root, root, list(proof), self._hash_alg
        ):
            raise SigningRefusedError(
                f"拒绝签名：日志 {origin} 的 {size} 条记录的检查点与已签署的 {old_size} 条"
                "检查点不一致（一致性证明无效，疑似篡改历史）。"
            )

    def _load(self) -> dict[str, tuple[int, bytes]]:
        try:
            raw = self._state_path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise SigningRefusedError(
                f"拒绝签名：无法读取签名状态文件 {self._state_path}：{exc.strerror}"
            ) from None
        try:
            return _decode_state(raw, _STATE_FORMAT, "origins")
        except ValueError:
            raise SigningRefusedError(
                f"拒绝签名：签名状态文件 {self._state_path} 已损坏，请人工核查后再处理。"
            ) from None

    def _save(self, state: dict[str, tuple[int, bytes]]) -> None:
        try:
            atomic_write_json(self._state_path, _encode_state(state, _STATE_FORMAT, "origins"))
        except OSError as exc:
            raise SigningRefusedError(
                f"拒绝签名：无法写入签名状态文件 {self._state_path}：{exc.strerror}"
            ) from None


def _encode_state(state: dict[str, tuple[int, bytes]], fmt: str, field: str) -> dict:
    return {
        "format": fmt,
        field: {
            origin: {"size": size, "root": base64.b64encode(root).decode("ascii")}
            for origin, (size, root) in state.items()
        },
    }


def _decode_state(raw: bytes, fmt: str, field: str) -> dict[str, tuple[int, bytes]]:
    """Inverse of :func:`_encode_state`; ValueError on anything unexpected."""
    obj = json.loads(raw.decode("utf-8"))
    if not isinstance(obj, dict) or obj.get("format") != fmt:
        raise ValueError("bad state format")
    entries = obj.get(field)
    if not isinstance(entries, dict):
        raise ValueError("bad state entries")
    out: dict[str, tuple[int, bytes]] = {}
    for origin, entry in entries.items():
        if not isinstance(entry, dict):
            raise ValueError("bad state entry")
        size, root_b64 = entry.get("size"), entry.get("root")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError("bad size")
        if not isinstance(root_b64, str):
            raise ValueError("bad root")
        root = base64.b64decode(root_b64, validate=True)
        if len(root) != merkle.HASH_SIZE:
            raise ValueError("bad root length")
        out[origin] = (size, root)
    return out
