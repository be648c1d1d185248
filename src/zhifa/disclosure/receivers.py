"""Reactions to the case engine's events (zhifa.cases.events), sent after the
case's transaction committed. Each opens its own transaction with its ledger
record; the case step already happened whatever they do."""

from __future__ import annotations

import logging

from zhifa.orgs.services import SYSTEM

log = logging.getLogger(__name__)

OVERTURNED = frozenset({"changed", "revoked", "illegal", "void"})


def on_decision_made(sender, case, record, transition, on, document=None, **kwargs) -> None:
    from zhifa.disclosure.services import obligation_create

    if document is None:
        log.warning("案件 %s 的决定事件没有附带决定书，未产生公开义务。", case.number)
        return
    obligation_create(actor=SYSTEM, case=case, document=document, decided_on=on)


def on_decision_overturned(sender, case, record, transition, on, outcome=None, **kwargs) -> None:
    from zhifa.disclosure.services import withdrawal_require

    if outcome not in OVERTURNED:
        return
    withdrawal_require(actor=SYSTEM, case_id=case.pk, outcome=outcome, on=on)
