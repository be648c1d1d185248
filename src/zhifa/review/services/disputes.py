"""Disagreement between the handling unit and the reviewer (GB118-20)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from zhifa import ledger
from zhifa.cases import documents
from zhifa.cases.errors import InvalidInput
from zhifa.orgs.models import Role
from zhifa.review import law
from zhifa.review.models import (
    Disagreement,
    Outcome,
    ReviewRequest,
    Via,
)
from zhifa.review.services._common import (
    S,
    _digest,
    _lock,
    _state,
    _text,
    _today,
)

# ---------------------------------------------------------------------------
# Disagreement


def dispute_raise(
    *, actor, request: ReviewRequest, reasons: str, today: date | None = None
) -> Disagreement:
    """承办机构对存在问题的审核意见有异议: a unit head raises it for the
    agency head or a 集体讨论 to decide (GB118-20 协调机制)."""
    today = _today(today)
    with transaction.atomic():
        request = _lock(request)
        if request.status != S.PROBLEMS:
            raise _state(request, "提出异议（只能对存在问题的审核意见提出）")
        agency = request.agency
        if not law.holds(actor, Role.UNIT_HEAD, agency) or law.is_legal_unit_head(actor, agency):
            raise law.refuse(
                "role", "对法制审核意见提出异议须由承办机构负责人办理。", law.GB118_DUTY
            )
        if not _text(reasons):
            raise InvalidInput({"reasons": ["请写明异议的理由和依据。"]})
        dispute = Disagreement.objects.create(
            request=request, raised_by=actor, raised_on=today, reasons=_text(reasons)
        )
        request.status = S.DISPUTED
        request.save(update_fields=["status", "updated_at"])
        ledger.record(
            agency=agency,
            subject=request.case,
            actor=actor,
            action="review.disputed",
            payload={
                "case": request.case.number,
                "request": request.pk,
                "round": request.round,
                "reasons_sha256": _digest(dispute.reasons),
            },
        )
    return dispute


def dispute_resolve(
    *,
    actor,
    disagreement: Disagreement,
    via: str,
    outcome: str,
    decision: str,
    participants: str = "",
    today: date | None = None,
) -> Disagreement:
    """机关负责人决定 (`via="head"`) or 集体讨论决定 (`via="collective"`, with
    `participants`; a 集体讨论记录 is issued into the case file).

    `outcome="upheld_unit"`: the case may be decided as submitted in that
    round — the gate treats the round's fingerprint as agreed, and only it.
    `outcome="upheld_reviewer"`: the opinion stands; the unit must answer it
    and resubmit.
    """
    today = _today(today)
    with transaction.atomic():
        dispute = (
            Disagreement.objects.select_for_update(of=("self",))
            .select_related("request__case__agency__region", "request__opinion")
            .get(pk=disagreement.pk)
        )
        request = _lock(dispute.request)
        if not dispute.is_open or request.status != S.DISPUTED:
            raise law.refuse("state", "该异议已经作出决定。")
        agency = request.agency
        if not law.is_agency_head(actor, agency):
            raise law.refuse(
                "role",
                "法制审核意见的分歧由机关负责人决定，或者由机关负责人提请集体讨论决定。",
                law.GB118_DUTY,
            )
        errors: dict[str, list[str]] = {}
        if via not in Via.values:
            errors["via"] = ["决定方式应为机关负责人决定或集体讨论决定。"]
        if outcome not in Outcome.values:
            errors["outcome"] = ["决定结果应为维持法制审核意见或采纳承办机构意见。"]
        if not _text(decision):
            errors["decision"] = ["请写明决定的内容和理由。"]
        if via == Via.COLLECTIVE and not _text(participants):
            errors["participants"] = ["集体讨论决定须写明参加讨论的人员。"]
        if errors:
            raise InvalidInput(errors)
        case = request.case
        dispute.decided_by, dispute.decided_on = actor, today
        dispute.via, dispute.outcome = via, outcome
        dispute.decision, dispute.participants = _text(decision), _text(participants)
        dispute.fingerprint = request.fingerprint
        if via == Via.COLLECTIVE:
            opinion = request.opinion
            draft = documents.create_document(
                case,
                "collective_record",
                transition="legal_review_dispute",
                data={
                    "on": today,
                    "participants": dispute.participants,
                    "discussion": (
                        f"第{request.round}轮法制审核意见为存在问题："
                        f"{opinion.reasons.strip()}\n承办机构异议：{dispute.reasons}"
                    ),
                    "conclusion": f"{Outcome(outcome).label}。{dispute.decision}",
                },
                actor=actor,
            )
            dispute.document = documents.issue_document(draft, actor, on=today)
        dispute.save()
        request.status = S.RESOLVED
        request.save(update_fields=["status", "updated_at"])
        ledger.record(
            agency=agency,
            subject=case,
            actor=actor,
            action="review.dispute_resolved",
            payload={
                "case": case.number,
                "request": request.pk,
                "round": request.round,
                "via": via,
                "outcome": outcome,
                "fingerprint": dispute.fingerprint,
                "decision_sha256": _digest(dispute.decision),
                "document": dispute.document.number if dispute.document else None,
            },
        )
    return dispute
