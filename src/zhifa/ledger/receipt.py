"""Receipts: offline-verifiable proof that a record is in the ledger.

Imports only the standard library, ``cryptography`` and ``zhifa.ledger``'s
``merkle`` and ``note`` (no Django), so anyone can check a receipt.

Receipt format (JSON, UTF-8)::

    {
      "format": "zhifa-receipt/v1",
      "log": {"origin": "<log origin>", "hash_alg": "sha256" | "sm3"},
      "index": <0-based position of the entry in the log>,
      "entry": "<base64 of the entry bytes>",
      "inclusion_proof": ["<base64 of a 32-byte hash>", ...],
      "checkpoint": "<signed note: checkpoint body, blank line, log signature
                     and any witness cosignature lines>"
    }

It carries the same information as a c2sp.org/tlog-proof bundle (index,
inclusion proof, cosigned checkpoint, the entry as "extra"), in JSON.

:func:`check_receipt` verifies, in this order: strict parsing of every field;
the log signature on the checkpoint (with the given log keys); the
checkpoint's origin against the receipt's ``log.origin``; the witness
cosignatures (at least ``required_cosignatures`` valid ones from the given
witness keys); the leaf hash recomputed from the entry bytes; and the
inclusion proof against the ``(size, root)`` of the *verified checkpoint*.
Tree size and root are never taken from anywhere else (``ledger.md`` §0.4,
§2.5 "size binding pitfall").  The entry is decoded as JSON only for display.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from zhifa.ledger import merkle
from zhifa.ledger.note import (
    MAX_TREE_SIZE,
    SIG_COSIGNATURE_V1,
    Checkpoint,
    Note,
    NoteError,
    SignatureError,
    VerifiedSignature,
    VerifierKey,
    b64decode_strict,
    parse_checkpoint,
    parse_note,
    parse_vkey,
    verify_signatures,
)

__all__ = [
    "MAX_ENTRY_BYTES",
    "MAX_PROOF_HASHES",
    "MAX_RECEIPT_BYTES",
    "RECEIPT_FORMAT",
    "Cosigner",
    "KeyConfigError",
    "Receipt",
    "ReceiptError",
    "ReceiptReport",
    "build_receipt",
    "check_receipt",
    "dumps_receipt",
    "parse_keys",
    "parse_receipt",
]

RECEIPT_FORMAT = "zhifa-receipt/v1"
MAX_RECEIPT_BYTES = 1024 * 1024
MAX_ENTRY_BYTES = 64 * 1024  # the tlog-tiles entry limit (ledger.md §4.3)
MAX_PROOF_HASHES = 64  # a tree of at most 2**64 - 1 leaves
_FIELDS = ("format", "log", "index", "entry", "inclusion_proof", "checkpoint")
_LOG_FIELDS = ("origin", "hash_alg")
_ALG_LABELS = {"sha256": "SHA-256", "sm3": "SM3"}
_BEIJING = timezone(timedelta(hours=8))
_ENTRY_LABELS = (
    ("action", "事件"),
    ("recorded_at", "记录时间"),
    ("agency", "执法机关"),
    ("subject", "对象"),
    ("v", "格式版本"),
)


class ReceiptError(ValueError):
    """The receipt is malformed, or :func:`build_receipt` got bad input (Chinese message)."""


class KeyConfigError(ValueError):
    """A log or witness public key given to the verifier is unusable (Chinese message)."""


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Receipt:
    """A strictly parsed receipt.  Nothing in it is verified yet."""

    origin: str
    hash_alg: str
    index: int
    entry: bytes
    inclusion_proof: tuple[bytes, ...]
    checkpoint: str
    note: Note
    checkpoint_body: Checkpoint

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": RECEIPT_FORMAT,
            "log": {"origin": self.origin, "hash_alg": self.hash_alg},
            "index": self.index,
            "entry": base64.b64encode(self.entry).decode("ascii"),
            "inclusion_proof": [base64.b64encode(p).decode("ascii") for p in self.inclusion_proof],
            "checkpoint": self.checkpoint,
        }


@dataclass(frozen=True)
class Cosigner:
    """A valid witness cosignature."""

    name: str
    key_id: str
    timestamp: int
    time: str  # human-readable, Beijing time


@dataclass
class ReceiptReport:
    """The outcome of :func:`check_receipt`.

    ``status`` is ``"valid"``, ``"invalid"`` (a check failed: tampering, wrong
    key, too few cosignatures …), ``"malformed"`` (the receipt cannot be
    parsed) or ``"error"`` (this machine cannot verify it, e.g. no SM3).
    ``tree_size`` and ``root_hex`` are set only once the checkpoint's log
    signature has verified.
    """

    ok: bool = False
    status: str = "malformed"
    reason: str | None = None
    lines: list[str] = field(default_factory=list)
    origin: str | None = None
    hash_alg: str | None = None
    index: int | None = None
    tree_size: int | None = None
    root_hex: str | None = None
    leaf_hash_hex: str | None = None
    log_signers: list[str] = field(default_factory=list)
    cosigners: list[Cosigner] = field(default_factory=list)
    unknown_signatures: int = 0
    entry: dict[str, Any] | None = None

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "status": self.status,
            "reason": self.reason,
            "lines": list(self.lines),
            "origin": self.origin,
            "hash_alg": self.hash_alg,
            "index": self.index,
            "tree_size": self.tree_size,
            "root": self.root_hex,
            "leaf_hash": self.leaf_hash_hex,
            "log_signers": list(self.log_signers),
            "cosigners": [
                {"name": c.name, "key_id": c.key_id, "timestamp": c.timestamp, "time": c.time}
                for c in self.cosigners
            ],
            "unknown_signatures": self.unknown_signatures,
            "entry": self.entry,
        }


# --------------------------------------------------------------------------- parsing


def _reject_constant(name: str) -> Any:
    raise ReceiptError(f"回执中含有 JSON 不允许的数值 {name}。")


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ReceiptError(f"回执中的字段 {key!r} 重复出现。")
        out[key] = value
    return out


def _load_json(data: str | bytes | bytearray) -> Any:
    if isinstance(data, (bytes, bytearray)):
        if len(data) > MAX_RECEIPT_BYTES:
            raise ReceiptError(f"回执文件过大（超过 {MAX_RECEIPT_BYTES} 字节）。")
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise ReceiptError("回执文件不是 UTF-8 编码的文本。") from None
    if not isinstance(data, str):
        raise ReceiptError(f"回执应是 JSON 文本或对象，而不是 {type(data).__name__}。")
    if len(data) > MAX_RECEIPT_BYTES:
        raise ReceiptError(f"回执文件过大（超过 {MAX_RECEIPT_BYTES} 字节）。")
    data = data.removeprefix("\ufeff")  # tolerate a UTF-8 BOM (Windows editors)
    if not data.strip():
        raise ReceiptError("回执文件是空的。")
    try:
        return json.loads(data, object_pairs_hook=_unique_object, parse_constant=_reject_constant)
    except ReceiptError:
        raise
    except json.JSONDecodeError as exc:
        raise ReceiptError(
            f"回执不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列附近有错误）。"
        ) from None
    except (ValueError, RecursionError):
        raise ReceiptError("回执不是有效的 JSON（嵌套过深或数值过大）。") from None


def _check_fields(obj: Mapping[str, Any], expected: Sequence[str], where: str) -> None:
    for name in expected:
        if name not in obj:
            raise ReceiptError(f"{where}缺少字段 {name!r}。")
    extra = sorted(str(k) for k in obj if k not in expected)
    if extra:
        raise ReceiptError(f"{where}含有未知字段 {extra[0][:40]!r}。")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_receipt(data: str | bytes | Mapping[str, Any] | Receipt) -> Receipt:
    """Parse a receipt (JSON text, bytes or an already decoded object) strictly.

    Raises :class:`ReceiptError` with a Chinese message naming the first bad field.
    """
    if isinstance(data, Receipt):
        return data
    obj = data if isinstance(data, Mapping) else _load_json(data)
    if not isinstance(obj, Mapping):
        raise ReceiptError("回执应是一个 JSON 对象（以 { 开头）。")
    fmt = obj.get("format")
    if fmt != RECEIPT_FORMAT:
        if fmt is None:
            raise ReceiptError(f"这不是执法记录回执：缺少 format 字段（应为 {RECEIPT_FORMAT!r}）。")
        shown = fmt[:40] if isinstance(fmt, str) else type(fmt).__name__
        raise ReceiptError(f"不支持的回执格式 {shown!r}（应为 {RECEIPT_FORMAT!r}）。")
    _check_fields(obj, _FIELDS, "回执")

    log = obj["log"]
    if not isinstance(log, Mapping):
        raise ReceiptError("回执的 log 字段应是对象，包含 origin 和 hash_alg。")
    _check_fields(log, _LOG_FIELDS, "回执的 log 字段")
    origin = log["origin"]
    if not isinstance(origin, str) or not origin:
        raise ReceiptError("回执的日志标识（log.origin）应是非空文本。")
    if "\n" in origin or any(ord(c) < 0x20 for c in origin) or len(origin) > 1024:
        raise ReceiptError("回执的日志标识（log.origin）含有不允许的字符或过长。")
    hash_alg = log["hash_alg"]
    if hash_alg not in merkle.ALGORITHMS:
        shown = hash_alg[:20] if isinstance(hash_alg, str) else type(hash_alg).__name__
        raise ReceiptError(
            f"回执的哈希算法（log.hash_alg）{shown!r} 不受支持，应为 sha256 或 sm3。"
        )

    index = obj["index"]
    if not _is_int(index):
        raise ReceiptError("回执的记录序号（index）应是整数。")
    if not 0 <= index < MAX_TREE_SIZE:
        raise ReceiptError(f"回执的记录序号（index）{index} 超出范围。")

    entry_b64 = obj["entry"]
    if not isinstance(entry_b64, str):
        raise ReceiptError("回执的记录内容（entry）应是 base64 文本。")
    if len(entry_b64) > (MAX_ENTRY_BYTES + 2) // 3 * 4:
        raise ReceiptError(f"回执的记录内容（entry）过大（上限 {MAX_ENTRY_BYTES} 字节）。")
    try:
        entry = b64decode_strict(entry_b64, "回执的记录内容（entry）")
    except NoteError as exc:
        raise ReceiptError(str(exc)) from None

    proof_list = obj["inclusion_proof"]
    if not isinstance(proof_list, list):
        raise ReceiptError("回执的包含证明（inclusion_proof）应是列表。")
    if len(proof_list) > MAX_PROOF_HASHES:
        raise ReceiptError(
            f"回执的包含证明（inclusion_proof）过长（{len(proof_list)} 个，上限 {MAX_PROOF_HASHES} 个）。"
        )
    proof: list[bytes] = []
    for i, item in enumerate(proof_list):
        what = f"回执包含证明的第 {i + 1} 个哈希"
        if not isinstance(item, str):
            raise ReceiptError(f"{what}应是 base64 文本。")
        try:
            h = b64decode_strict(item, what)
        except NoteError as exc:
            raise ReceiptError(str(exc)) from None
        if len(h) != merkle.HASH_SIZE:
            raise ReceiptError(f"{what}应为 {merkle.HASH_SIZE} 字节，实际为 {len(h)} 字节。")
        proof.append(h)

    checkpoint = obj["checkpoint"]
    if not isinstance(checkpoint, str):
        raise ReceiptError("回执的检查点（checkpoint）应是文本。")
    try:
        note = parse_note(checkpoint)
    except NoteError as exc:
        raise ReceiptError(f"回执的检查点格式错误：{exc}") from None
    try:
        body = parse_checkpoint(note.text)
    except NoteError as exc:
        raise ReceiptError(f"回执的检查点正文格式错误：{exc}") from None

    return Receipt(
        origin=origin,
        hash_alg=hash_alg,
        index=index,
        entry=entry,
        inclusion_proof=tuple(proof),
        checkpoint=checkpoint,
        note=note,
        checkpoint_body=body,
    )


# --------------------------------------------------------------------------- building


def build_receipt(
    *,
    origin: str,
    hash_alg: str,
    index: int,
    entry: bytes,
    inclusion_proof: Sequence[bytes],
    checkpoint: str,
) -> dict[str, Any]:
    """Assemble a receipt dict (see the module docstring for the format).

    ``checkpoint`` is the signed note (log signature plus any cosignatures).
    The receipt is parsed back and its inclusion proof checked against the
    checkpoint's root (signatures are not checked: no keys here), so a
    server never hands out a receipt that cannot verify.
    """
    if not isinstance(entry, (bytes, bytearray)):
        raise ReceiptError("记录内容（entry）必须是字节串。")
    if len(entry) > MAX_ENTRY_BYTES:
        raise ReceiptError(f"记录内容过大（{len(entry)} 字节，上限 {MAX_ENTRY_BYTES} 字节）。")
    if isinstance(inclusion_proof, (bytes, bytearray, str)):
        raise ReceiptError("包含证明必须是哈希值的列表。")
    proof = []
    for p in inclusion_proof:
        if not isinstance(p, (bytes, bytearray)):
            raise ReceiptError("包含证明中的每个哈希都必须是字节串。")
        proof.append(base64.b64encode(bytes(p)).decode("ascii"))
    obj = {
        "format": RECEIPT_FORMAT,
        "log": {"origin": origin, "hash_alg": hash_alg},
        "index": index,
        "entry": base64.b64encode(bytes(entry)).decode("ascii"),
        "inclusion_proof": proof,
        "checkpoint": checkpoint,
    }
    receipt = parse_receipt(obj)
    cp = receipt.checkpoint_body
    if cp.origin != receipt.origin:
        raise ReceiptError(f"检查点的日志标识 {cp.origin!r} 与 origin {origin!r} 不一致。")
    leaf = merkle.leaf_hash(receipt.entry, receipt.hash_alg)
    if not merkle.verify_inclusion(
        leaf, receipt.index, cp.size, list(receipt.inclusion_proof), cp.root, receipt.hash_alg
    ):
        raise ReceiptError(
            f"包含证明与检查点（{cp.size} 条）不符：无法为序号 {index} 生成有效回执。"
        )
    return obj


def dumps_receipt(receipt: Mapping[str, Any] | Receipt) -> str:
    """Serialise a receipt as pretty-printed UTF-8 JSON text (ending in a newline)."""
    obj = receipt.to_dict() if isinstance(receipt, Receipt) else dict(receipt)
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- checking


def parse_keys(keys: Iterable[str | VerifierKey], *, cosigner: bool) -> list[VerifierKey]:
    """Parse vkeys for :func:`check_receipt`; KeyConfigError names the bad one.

    Witness keys (``cosigner=True``) must be cosignature keys (type 0x04); log
    keys must not be.
    """
    if isinstance(keys, (str, VerifierKey)):
        keys = [keys]
    role = "见证公钥" if cosigner else "日志公钥"
    out: list[VerifierKey] = []
    for key in keys:
        if isinstance(key, VerifierKey):
            parsed = key
        else:
            try:
                parsed = parse_vkey(key)
            except NoteError as exc:
                raise KeyConfigError(f"{role}无效：{exc}") from None
        if cosigner and parsed.sig_type != SIG_COSIGNATURE_V1:
            raise KeyConfigError(
                f"{role} {parsed.name} 的类型是{parsed.type_label}，"
                "见证公钥应为 cosignature/v1 类型（0x04）。"
            )
        if not cosigner and parsed.sig_type == SIG_COSIGNATURE_V1:
            raise KeyConfigError(f"{parsed.name} 是见证联署公钥，不能作为日志公钥使用。")
        if parsed not in out:
            out.append(parsed)
    return out


def _format_time(timestamp: int) -> str:
    try:
        moment = datetime.fromtimestamp(timestamp, UTC).astimezone(_BEIJING)
    except (OverflowError, OSError, ValueError):
        return f"Unix 时间 {timestamp}（超出可显示范围）"
    return moment.strftime("%Y-%m-%d %H:%M:%S") + "（北京时间）"


def _names(sigs: Iterable[VerifiedSignature]) -> list[str]:
    out: list[str] = []
    for s in sigs:
        if s.key.name not in out:
            out.append(s.key.name)
    return out


def _entry_dict(entry: bytes) -> dict[str, Any] | None:
    try:
        obj = json.loads(entry.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    return obj if isinstance(obj, dict) else None


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= 80 else text[:80] + "…"


def check_receipt(
    receipt: str | bytes | Mapping[str, Any] | Receipt,
    log_keys: Iterable[str | VerifierKey],
    witness_keys: Iterable[str | VerifierKey] = (),
    required_cosignatures: int = 0,
) -> ReceiptReport:
    """Verify a receipt offline and explain the result in plain Chinese.

    Never raises for a bad *receipt*: the report says what is wrong.  Bad
    *configuration* (an unparsable key, a required count larger than the
    number of witness keys) raises :class:`KeyConfigError`.
    """
    logs = parse_keys(log_keys, cosigner=False)
    witnesses = parse_keys(witness_keys, cosigner=True)
    if not logs:
        raise KeyConfigError("至少需要提供一个日志公钥。")
    if not _is_int(required_cosignatures) or required_cosignatures < 0:
        raise KeyConfigError("要求的见证联署数必须是非负整数。")
    if required_cosignatures > len(witnesses):
        raise KeyConfigError(
            f"要求 {required_cosignatures} 个见证联署，但只提供了 {len(witnesses)} 个见证公钥。"
        )

    report = ReceiptReport()
    try:
        r = parse_receipt(receipt)
    except ReceiptError as exc:
        return _finish(report, "malformed", f"回执格式错误：{exc}")
    report.origin, report.hash_alg, report.index = r.origin, r.hash_alg, r.index
    try:
        merkle.empty_root(r.hash_alg)
    except ValueError:
        return _finish(
            report,
            "error",
            f"本机的 Python/OpenSSL 不支持 {_ALG_LABELS[r.hash_alg]} 哈希，无法验证。",
        )

    # 1. The log signature: only after this is any checkpoint field trusted.
    try:
        log_sigs = verify_signatures(r.note, logs)
    except SignatureError as exc:
        return _finish(report, "invalid", f"日志签名无效：{exc}")
    if not log_sigs:
        names = "、".join(k.name for k in logs)
        return _finish(
            report,
            "invalid",
            f"检查点上没有给定日志公钥（{names}）的签名：该回执不是由此日志签发，或所给公钥不对。",
        )
    cp = r.checkpoint_body
    report.log_signers = _names(log_sigs)
    report.tree_size, report.root_hex = cp.size, cp.root.hex()
    report.lines.append(f"日志签名有效（签名方：{'、'.join(report.log_signers)}）。")

    # 2. The receipt must be about the log whose checkpoint it carries.
    if cp.origin != r.origin:
        return _finish(
            report,
            "invalid",
            f"回执声明的日志 {r.origin} 与已签名检查点中的日志 {cp.origin} 不一致。",
        )

    # 3. Witness cosignatures.
    try:
        cosigs = verify_signatures(r.note, witnesses) if witnesses else []
    except SignatureError as exc:
        return _finish(report, "invalid", f"见证联署签名无效：{exc}")
    for sig in cosigs:
        ts = sig.timestamp or 0
        report.cosigners.append(
            Cosigner(
                name=sig.key.name, key_id=sig.key.key_id_hex, timestamp=ts, time=_format_time(ts)
            )
        )
        report.lines.append(f"已由 {sig.key.name} 于 {_format_time(ts)}联署见证。")
    known = {(k.name, k.key_id) for k in logs + witnesses}
    report.unknown_signatures = sum(1 for s in r.note.signatures if (s.name, s.key_id) not in known)
    if len(cosigs) < required_cosignatures:
        return _finish(
            report,
            "invalid",
            f"有效的见证联署只有 {len(cosigs)} 个，少于要求的 {required_cosignatures} 个。",
        )
    if not witnesses:
        report.lines.append("未要求核验见证联署（未提供见证公钥）。")
    elif not cosigs:
        report.lines.append("检查点上没有所给见证公钥的联署。")

    # 4. Inclusion of the entry, against the verified checkpoint's (size, root) only.
    leaf = merkle.leaf_hash(r.entry, r.hash_alg)
    report.leaf_hash_hex = leaf.hex()
    if r.index >= cp.size:
        return _finish(
            report,
            "invalid",
            f"记录序号 {r.index} 超出已签名检查点的范围（检查点共 {cp.size} 条记录）。",
        )
    if not merkle.verify_inclusion(
        leaf, r.index, cp.size, list(r.inclusion_proof), cp.root, r.hash_alg
    ):
        return _finish(
            report,
            "invalid",
            "包含证明验证失败：记录内容、序号或包含证明与已签名的检查点不符"
            "（记录可能被篡改，或不属于该检查点）。",
        )
    report.lines.insert(
        0,
        f"该记录是日志 {cp.origin} 的第 {r.index + 1} 条记录（序号 {r.index}，共 {cp.size} 条）。",
    )
    report.lines.append(
        f"记录内容的 {_ALG_LABELS[r.hash_alg]} 哈希与已签名检查点的包含证明相符，内容未被篡改。"
    )

    # 5. For display only: the entry as JSON.
    report.entry = _entry_dict(r.entry)
    if report.entry is not None:
        shown = [
            f"{label}：{_short(report.entry[key])}"
            for key, label in _ENTRY_LABELS
            if key in report.entry
        ]
        if shown:
            report.lines.append("记录内容：" + "；".join(shown) + "。")
    if report.unknown_signatures:
        report.lines.append(f"另有 {report.unknown_signatures} 个未知公钥的签名，已忽略。")
    return _finish(report, "valid", None)


_VERDICTS = {
    "valid": "结论：回执有效。",
    "invalid": "结论：回执无效。",
    "malformed": "结论：回执格式错误，无法验证。",
    "error": "结论：无法完成验证。",
}


def _finish(report: ReceiptReport, status: str, reason: str | None) -> ReceiptReport:
    report.status = status
    report.ok = status == "valid"
    report.reason = reason
    report.lines.insert(0, _VERDICTS[status])
    if reason:
        report.lines.append(f"原因：{reason}")
    return report
