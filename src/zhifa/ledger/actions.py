"""Named event types. Every `record(action=...)` must use a registered name so
that the record reads as the domain does (and the portal can say in Chinese
what a record is)."""

from __future__ import annotations

import re

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
ACTIONS: dict[str, str] = {}


def register(name: str, label: str) -> None:
    if not _NAME.match(name):
        raise ValueError(
            f"事件名称 {name!r} 不合规范：应为 app.event 形式的小写英文，例如 case.opened。"
        )
    ACTIONS[name] = label


def label(name: str) -> str:
    return ACTIONS.get(name, name)


register("ledger.log_created", "建立记录日志")
register("ledger.key_registered", "登记签名公钥")
register("evidence.stored", "证据文件存证")
register("evidence.viewed", "查看证据文件")
