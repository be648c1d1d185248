"""What a submission carried, frozen: the snapshot of the case at submission,
its one-line summary ("拟罚款70000元"), and what has changed since.

The fingerprint (`zhifa.cases.selectors.decision_fingerprint`) decides
whether an opinion still covers the case; the snapshot only explains it in
words, to the reviewer (what exactly was submitted) and to the decision
maker (why an opinion no longer covers the case).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from zhifa.cases.guards import review_requirement
from zhifa.cases.models import Case, DecisionKind, Document
from zhifa.catalog.models import PenaltyType


def _amount(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return f"{Decimal(value):.2f}"


def amount_text(value: Any) -> str:
    """70000.00 → 70000元; 1234.50 → 1234.5元 (as an officer writes it)."""
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{d.normalize():f}"
    return f"{text}元"


def _penalty_label(code: str) -> str:
    return PenaltyType(code).label if code in PenaltyType.values else code


def proposal_of(case: Case) -> dict[str, Any]:
    kind = case.decision_kind or ""
    return {
        "kind": kind,
        "kind_label": DecisionKind(kind).label if kind in DecisionKind.values else "",
        "penalty_types": sorted(case.penalty_types or []),
        "fine_amount": _amount(case.fine_amount),
        "confiscation_amount": _amount(case.confiscation_amount),
        "illegal_gains": _amount(case.illegal_gains),
        "discretion_grade": case.discretion_grade or "",
        "outside_benchmark_reasons": case.outside_benchmark_reasons or "",
    }


def proposal_summary(proposal: dict[str, Any]) -> str:
    """拟罚款70000元 / 拟警告、罚款2000元 / 拟不予行政处罚."""
    kind = proposal.get("kind") or ""
    if kind == DecisionKind.NO_PENALTY:
        return "拟不予行政处罚"
    if kind == DecisionKind.TRANSFER:
        return "拟移送司法机关"
    if kind != DecisionKind.PENALTY:
        return "拟作出的决定尚未确定"
    order = [t.value for t in PenaltyType]
    parts = []
    for code in sorted(
        proposal.get("penalty_types") or [],
        key=lambda c: order.index(c) if c in order else len(order),
    ):
        if code == PenaltyType.FINE and proposal.get("fine_amount"):
            parts.append(f"罚款{amount_text(proposal['fine_amount'])}")
        elif code in (PenaltyType.CONFISCATE_GAINS, PenaltyType.CONFISCATE_PROPERTY) and (
            proposal.get("confiscation_amount")
        ):
            parts.append(f"{_penalty_label(code)}{amount_text(proposal['confiscation_amount'])}")
        else:
            parts.append(_penalty_label(code))
    return "拟" + "、".join(parts) if parts else "拟给予行政处罚"


def _parties(case: Case) -> list[dict[str, str]]:
    return [
        {"kind": p.kind, "name": p.name, "id_number": p.id_number, "uscc": p.uscc}
        for p in case.parties.order_by("id")
    ]


def _evidence(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "title": e.title,
            "kind": e.kind,
            "kind_label": e.get_kind_display(),
            "sha256": e.blob.sha256,
            "media_type": e.blob.media_type,
            "recording": e.is_recording,
        }
        for e in case.evidence.select_related("blob").order_by("uploaded_at", "id")
    ]


def _documents(case: Case) -> list[dict[str, str]]:
    return [
        {"type": d.doc_type, "title": d.title, "number": d.number, "sha256": d.content_sha256}
        for d in case.documents.filter(status=Document.Status.ISSUED).order_by("issued_at", "id")
    ]


def take(case: Case) -> dict[str, Any]:
    """Everything the reviewer is asked to review, as it stands now."""
    need = review_requirement(case)
    proposal = proposal_of(case)
    return {
        "case": {
            "number": case.number,
            "title": case.title,
            "status": case.status,
            "status_label": case.status_label,
            "unit": case.unit.name if case.unit_id else "",
        },
        "proposal": proposal,
        "summary": proposal_summary(proposal),
        "facts": case.facts or "",
        "legal_basis": case.legal_basis or "",
        "parties": _parties(case),
        "evidence": _evidence(case),
        "documents": _documents(case),
        "criteria": [{"description": m.description, "citation": m.citation} for m in need.matched],
    }


def changes_since(snapshot: dict[str, Any], case: Case) -> list[str]:
    """What differs between the snapshot and the case now, in Chinese.

    Covers what the fingerprint covers (decision, facts, basis, parties,
    evidence); an empty list with a changed fingerprint means a change the
    snapshot does not describe (e.g. a snapshot from an older version).
    """
    out: list[str] = []
    before = snapshot.get("proposal") or {}
    now = proposal_of(case)
    old_summary, new_summary = proposal_summary(before), proposal_summary(now)
    fingerprinted = (
        "kind",
        "penalty_types",
        "fine_amount",
        "confiscation_amount",
        "discretion_grade",
    )
    if any(before.get(k) != now.get(k) for k in fingerprinted):
        if old_summary != new_summary:
            out.append(f"拟作出的决定由“{old_summary[1:]}”变为“{new_summary[1:]}”")
        else:
            out.append("拟作出的决定（裁量阶次）有变化")
    if (snapshot.get("facts") or "") != (case.facts or ""):
        out.append("违法事实有修改")
    if (snapshot.get("legal_basis") or "") != (case.legal_basis or ""):
        out.append("处罚依据有修改")
    if [
        [p.get("kind"), p.get("name"), p.get("id_number"), p.get("uscc")]
        for p in snapshot.get("parties") or []
    ] != [[p["kind"], p["name"], p["id_number"], p["uscc"]] for p in _parties(case)]:
        out.append("当事人信息有变更")
    old = {e["sha256"] for e in snapshot.get("evidence") or []}
    new = {e["sha256"] for e in _evidence(case)}
    if new - old:
        out.append(f"新增证据{len(new - old)}项")
    if old - new:
        out.append(f"减少证据{len(old - new)}项")
    return out
