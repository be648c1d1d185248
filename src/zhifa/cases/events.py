"""Domain events the case engine sends after its transaction commits.

Subscribers (the disclosure issue creates publication obligations; the
review issue opens review requests; supervision raises alerts) connect to
these signals; the cases app never imports them. Every signal is sent with
`sender=Case` and these keyword arguments:

- `case`: the `Case` (reloaded after commit), `record`: the `CaseRecord` of
  the transition, `transition`: its code, `on`: the date of the step.

| signal | sent when | extra |
|---|---|---|
| `decision_made` | 决定 (处罚 / 不予处罚 / 当场处罚) | `document`: the issued decision `Document` |
| `decision_served` | 送达 (or handed over on the spot) | `method` |
| `decision_changed` | a decision is 变更 by reconsideration, litigation or self-correction | `outcome` |
| `decision_revoked` | 撤销, 确认违法 or 确认无效 | `outcome` |
| `legal_review_requested` | 提交法制审核 | `fingerprint`: the case as it stands |

A receiver that raises does not undo the step (it already happened and is
in the ledger); the error is logged and re-raised only in tests.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

decision_made = Signal()
decision_served = Signal()
decision_changed = Signal()
decision_revoked = Signal()
legal_review_requested = Signal()

SIGNALS: dict[str, Signal] = {
    "cases.decision_made": decision_made,
    "cases.decision_served": decision_served,
    "cases.decision_changed": decision_changed,
    "cases.decision_revoked": decision_revoked,
    "cases.legal_review_requested": legal_review_requested,
}


def emit_after_commit(name: str, **kwargs) -> None:
    signal = SIGNALS[name]

    def send() -> None:
        from zhifa.cases.models import Case

        for receiver, result in signal.send_robust(sender=Case, **kwargs):
            if isinstance(result, Exception):
                logger.error(
                    "事件 %s 的订阅者 %r 出错：%s", name, receiver, result, exc_info=result
                )

    transaction.on_commit(send)
