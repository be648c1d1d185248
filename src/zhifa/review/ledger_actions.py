"""The ledger actions of legal review, with their Chinese labels. Every
review event is recorded with the case as its subject, so the case's own
chain of records shows each round; the payload names the round."""

from __future__ import annotations

from zhifa.ledger import actions

ACTIONS = {
    "review.submitted": "提交法制审核（送审材料）",
    "review.returned": "法制审核材料不全，退回",
    "review.assigned": "分配法制审核人员",
    "review.conflict_declared": "法制审核人员申请回避",
    "review.opinion_recorded": "出具法制审核意见",
    "review.disputed": "承办机构对审核意见提出异议",
    "review.dispute_resolved": "决定法制审核意见分歧",
    "review.extended": "批准延长法制审核期限",
    "review.policy_set": "设置法制审核期限与人员比例",
    "review.experience_recorded": "登记既往法制审核经历",
}


def register_all() -> None:
    for name, label in ACTIONS.items():
        actions.register(name, label)
