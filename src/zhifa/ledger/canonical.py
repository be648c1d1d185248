"""Canonical entry bytes: the documented deterministic encoding of a ledger entry.

An entry is a JSON object encoded as UTF-8 with keys sorted, no insignificant
whitespace and non-ASCII characters written as themselves. Values are limited
to strings, integers, booleans, null, lists and objects with string keys —
no floats, so the bytes are also RFC 8785 (JCS) canonical for ASCII keys and
anyone can recompute them. Timestamps are explicit strings in UTC with
microseconds: 2026-11-22T01:47:20.123456Z.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

MAX_ENTRY_BYTES = 64 * 1024  # the tlog-tiles entry-bundle limit (ledger.md §4.3)


class CanonicalError(ValueError):
    pass


def _check(value: Any, path: str) -> None:
    if value is None or isinstance(value, (str, bool)):
        return
    if isinstance(value, int):
        return
    if isinstance(value, float):
        raise CanonicalError(
            f"记录内容 {path} 是小数；请用字符串表示金额等数值，避免不同系统的编码差异。"
        )
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError(f"记录内容 {path} 的键 {key!r} 不是字符串。")
            _check(item, f"{path}.{key}")
        return
    raise CanonicalError(f"记录内容 {path} 的类型 {type(value).__name__} 无法规范编码。")


def encode(obj: dict[str, Any]) -> bytes:
    _check(obj, "entry")
    data = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    if len(data) > MAX_ENTRY_BYTES:
        raise CanonicalError(
            f"记录内容过大（{len(data)} 字节，上限 {MAX_ENTRY_BYTES} 字节）：大文件请作为证据文件存储，记录中只写其哈希。"
        )
    return data


def decode(data: bytes) -> dict[str, Any]:
    obj = json.loads(bytes(data).decode())
    if not isinstance(obj, dict):
        raise CanonicalError("记录内容不是 JSON 对象。")
    return obj


def is_canonical(data: bytes) -> bool:
    try:
        return encode(decode(data)) == bytes(data)
    except (ValueError, UnicodeDecodeError):
        return False


def timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise CanonicalError("记录时间必须带时区。")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
