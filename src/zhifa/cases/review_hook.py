"""The legal review gate's plug (法制审核, 行政处罚法 第五十八条).

The review app sits beside cases and may import it, not the other way round.
It registers one provider here; the engine's `legal_review_agreed` guard asks
it whether an "agree" opinion covers the case *as it stands now* — the
fingerprint (`zhifa.cases.selectors.decision_fingerprint`) of the proposed
decision, facts and evidence. With no provider registered the answer is
"no opinion", so a case that needs review cannot be decided: the gate holds
even when the review app is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewStatus:
    open: bool  # a request is under review
    agreed: bool  # an "agree" opinion covers this fingerprint
    detail: str = ""


Provider = Callable[[object, str], ReviewStatus]
_provider: list[Provider] = []

NO_PROVIDER = ReviewStatus(False, False, "尚无法制审核意见")


def register(provider: Provider) -> None:
    _provider[:] = [provider]


def unregister() -> None:
    _provider.clear()


def status(case, fingerprint: str) -> ReviewStatus:
    if not _provider:
        return NO_PROVIDER
    return _provider[0](case, fingerprint)
