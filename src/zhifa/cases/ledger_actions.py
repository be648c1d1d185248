"""The ledger actions cases write: one per transition, plus registration,
evidence and documents. Labels are the transitions' Chinese labels."""

from __future__ import annotations

from zhifa.ledger import actions


def register_all() -> None:
    from zhifa.procedures import executable

    actions.register("case.register", "登记案件")
    actions.register("case.party_changed", "变更当事人信息")
    actions.register("case.evidence_added", "附入案件证据")
    actions.register("case.document_issued", "签发执法文书")
    actions.register("case.document_drafted", "保存文书草稿")
    for procedure in executable():
        for t in procedure.transitions:
            actions.register(t.ledger_action, t.label)
