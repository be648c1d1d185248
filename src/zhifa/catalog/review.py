"""Whether a penalty decision needs legal review (法制审核) before the head
decides: 行政处罚法 第五十八条 (APL-22) always, plus the agency's
重大执法决定法制审核目录清单 (`MajorDecisionCriterion`, rules.md §12) and its
setting that all general-procedure decisions are reviewed (REV-03).

Counting rule for amount criteria: the fine and the confiscation are compared
with the threshold separately and the larger one counts —
`max(fine_amount, confiscation_amount) >= amount_threshold` — because the
local catalogues (REV-02) set the fine threshold and say “没收同等数额” for
confiscation; they are not added together. A threshold is reached when the
amount equals it (“以上” includes the number).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from zhifa.catalog.models import (
    AgencyCatalogSettings,
    EnforcementItem,
    MajorDecisionCriterion,
    PartyKind,
    PenaltyType,
)
from zhifa.orgs.models import Agency

ART_58 = "《中华人民共和国行政处罚法》第五十八条第一款"


@dataclass
class CaseFacts:
    agency: Agency
    item: EnforcementItem | None = None
    procedure: str = "general"  # "general" | "summary"
    penalty_types: list[str] = field(default_factory=list)
    fine_amount: Decimal | None = None
    confiscation_amount: Decimal | None = None
    party_kind: str = PartyKind.NATURAL  # "natural" | "organisation"
    hearing_held: bool = False
    difficult: bool = False
    public_interest: bool = False
    outside_benchmark: bool = False
    other_law_citation: str | None = None


@dataclass(frozen=True)
class MatchedCriterion:
    description: str
    citation: str


@dataclass(frozen=True)
class ReviewRequirement:
    required: bool
    matched: list[MatchedCriterion]

    def __bool__(self) -> bool:
        return self.required


def _amount(facts: CaseFacts) -> Decimal:
    return max(Decimal(facts.fine_amount or 0), Decimal(facts.confiscation_amount or 0))


def _party_matches(criterion: MajorDecisionCriterion, facts: CaseFacts) -> bool:
    return criterion.party_kind in (PartyKind.ANY, facts.party_kind)


def _criterion_matches(criterion: MajorDecisionCriterion, facts: CaseFacts) -> bool:
    kind = MajorDecisionCriterion.Kind
    if not _party_matches(criterion, facts):
        return False
    if criterion.kind == kind.PENALTY_TYPE:
        return bool(set(criterion.penalty_types or ()) & set(facts.penalty_types))
    if criterion.kind == kind.AMOUNT:
        return (
            criterion.amount_threshold is not None and _amount(facts) >= criterion.amount_threshold
        )
    if criterion.kind == kind.HEARING:
        return facts.hearing_held
    if criterion.kind == kind.DIFFICULT:
        return facts.difficult
    if criterion.kind == kind.PUBLIC_INTEREST:
        return facts.public_interest
    if criterion.kind == kind.OUTSIDE_BENCHMARK:
        return facts.outside_benchmark
    if criterion.kind == kind.OTHER_LAW:
        return bool(facts.other_law_citation)
    return False


def legal_review_required(facts: CaseFacts) -> ReviewRequirement:
    matched: list[MatchedCriterion] = []

    def add(description: str, citation: str) -> None:
        entry = MatchedCriterion(description, citation)
        if entry not in matched:
            matched.append(entry)

    # 行政处罚法 第五十八条: applies to every agency, whatever its catalogue says.
    if facts.public_interest:
        add("涉及重大公共利益", f"{ART_58}第（一）项")
    if facts.hearing_held:
        add("直接关系当事人或者第三人重大权益，经过听证程序", f"{ART_58}第（二）项")
    if facts.difficult:
        add("案件情况疑难复杂、涉及多个法律关系", f"{ART_58}第（三）项")
    if facts.other_law_citation:
        add(
            "法律、法规规定应当进行法制审核的其他情形",
            f"{ART_58}第（四）项；{facts.other_law_citation}",
        )

    criteria = MajorDecisionCriterion.objects.filter(agency=facts.agency)
    if facts.item is not None:
        criteria = criteria.filter(Q(item__isnull=True) | Q(item=facts.item))
    else:
        criteria = criteria.filter(item__isnull=True)
    for criterion in criteria.order_by("kind", "id"):
        if _criterion_matches(criterion, facts):
            add(criterion.description, criterion.citation)

    is_penalty = bool(facts.penalty_types) or bool(facts.fine_amount)
    settings = AgencyCatalogSettings.objects.filter(agency=facts.agency).first()
    if (
        settings is not None
        and settings.review_all_general_procedure
        and facts.procedure == "general"
        and is_penalty
    ):
        add(
            "按普通程序作出的行政处罚决定（本机关规定全部法制审核）",
            f"{facts.agency.name}执法事项设置：普通程序决定全部法制审核",
        )
    return ReviewRequirement(required=bool(matched), matched=matched)


__all__ = [
    "CaseFacts",
    "MatchedCriterion",
    "PenaltyType",
    "ReviewRequirement",
    "legal_review_required",
]
