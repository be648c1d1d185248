"""The ledger actions of disclosure (事后公开): every change of a publication's
state, of its redaction, and every exchange with the public is recorded."""

from __future__ import annotations

from zhifa.ledger import actions

LEDGER_ACTIONS = {
    "disclosure.obligation_created": "产生公开义务",
    "disclosure.exempted": "决定不予公开",
    "disclosure.cancelled": "决定被撤销或变更，不再公开",
    "disclosure.drafted": "生成去标识化公开稿",
    "disclosure.mask_added": "增加遮蔽",
    "disclosure.mask_removed": "取消遮蔽",
    "disclosure.redaction_confirmed": "确认去标识化核对结果",
    "disclosure.published": "公开执法决定信息",
    "disclosure.withdrawal_required": "产生撤回公示义务",
    "disclosure.withdrawn": "撤回公示信息",
    "disclosure.corrected": "更正公示信息",
    "disclosure.expired": "公示期满，停止公示",
    "disclosure.removed_early": "信用修复，提前停止公示",
    "disclosure.error_reported": "收到公示信息纠错申请",
    "disclosure.error_answered": "答复公示信息纠错申请",
    "disclosure.reply_submitted": "收到当事人说明",
    "disclosure.reply_moderated": "审核当事人说明",
}


def register_all() -> None:
    for name, label in LEDGER_ACTIONS.items():
        actions.register(name, label)
