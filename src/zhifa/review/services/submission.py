"""提交法制审核 and 退回: what the handling unit sends and the legal unit sends back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction

from zhifa import ledger
from zhifa.cases import engine
from zhifa.cases.errors import InvalidInput
from zhifa.cases.models import Case, CaseRecord, Hearing
from zhifa.cases.selectors import decision_fingerprint
from zhifa.orgs.models import Role
from zhifa.review import law, snapshot
from zhifa.review.models import (
    Material,
    Outcome,
    Result,
    ReviewRequest,
)
from zhifa.review.selectors import due_after, involvement, policy_for
from zhifa.review.services._common import (
    ALWAYS_REQUIRED,
    S,
    _digest,
    _lock,
    _state,
    _text,
    _today,
)
from zhifa.rules.services import RuleNotConfigured

# ---------------------------------------------------------------------------
# Submission

# The name the procedure definition gives the owner of `submit_legal_review`.
SUBMIT_SERVICE = "review.review_submit"


def required_materials(case: Case) -> list[str]:
    """The 送审材料 this case must include: the three always required, the
    hearing record if a hearing was held, the collective discussion record
    if one was taken."""
    required = [m.value for m in ALWAYS_REQUIRED]
    if Hearing.objects.filter(case=case, held=True).exists():
        required.append(Material.HEARING_RECORD.value)
    if CaseRecord.objects.filter(case=case, transition="collective_discussion").exists():
        required.append(Material.COLLECTIVE_RECORD.value)
    return required


def _materials(case: Case, materials: Mapping[str, Any]) -> list[dict[str, Any]]:
    materials = dict(materials or {})
    other_text = _text(materials.pop("other_description", ""))
    unknown = sorted(set(materials) - set(Material.values))
    if unknown:
        raise InvalidInput({"materials": [f"未知的送审材料：{'、'.join(unknown)}。"]})
    required = required_materials(case)
    missing = [Material(code).label for code in required if not materials.get(code)]
    errors: dict[str, list[str]] = {}
    if missing:
        errors["materials"] = [
            f"送审材料不全，缺少：{'、'.join(missing)}。请补齐后再提交法制审核"
            f"（承办机构对送审材料的真实性、准确性、完整性负责，{law.GB118_DUTY}）。"
        ]
    if materials.get(Material.OTHER) and not other_text:
        errors["other_description"] = ["勾选了“其他”材料，请写明材料名称。"]
    if errors:
        raise InvalidInput(errors)
    rows = []
    for m in Material:
        row: dict[str, Any] = {
            "code": m.value,
            "label": m.label,
            "provided": bool(materials.get(m.value)),
            "required": m.value in required,
        }
        if m == Material.OTHER and other_text:
            row["description"] = other_text
        rows.append(row)
    return rows


def _ended_with_problems(r: ReviewRequest) -> bool:
    opinion = getattr(r, "opinion", None)
    if opinion is None or opinion.result != Result.PROBLEMS:
        return False
    dispute = getattr(r, "disagreement", None)
    return not (dispute is not None and dispute.outcome == Outcome.UPHELD_UNIT)


def _unanswered_problems(case: Case) -> ReviewRequest | None:
    """The round whose problems no later round has answered yet, if any."""
    for r in (
        ReviewRequest.objects.filter(case=case)
        .select_related("opinion", "disagreement")
        .order_by("-round")
    ):
        if r.status == S.RETURNED_INCOMPLETE:
            if r.response.strip():
                return None
            continue
        return r if _ended_with_problems(r) else None
    return None


def review_submit(
    *,
    actor,
    case: Case,
    materials: Mapping[str, Any],
    note: str = "",
    response: str = "",
    submission_key: str | None = None,
    today: date | None = None,
) -> ReviewRequest:
    """提交法制审核: the handling unit submits the case as it stands.

    `materials` maps each `Material` code to whether it is included
    (`other_description` names "其他"). Fires the engine's
    `submit_legal_review` (role, `review_required`, `no_open_review`) in the
    same transaction, then opens the next round with the fingerprint and a
    snapshot (proposal, facts, basis, parties, evidence, issued documents,
    matched criteria, materials). After a round that ended with problems,
    `response` — the unit's written answer — is required (GB118-19).
    `submission_key` is the engine's idempotency key (a repeated form post
    raises `DuplicateSubmission`).
    """
    today = _today(today)
    response = _text(response)
    with transaction.atomic():
        unanswered = _unanswered_problems(case)
        if unanswered is not None and not response:
            raise law.refuse(
                "response_required",
                f"重新提交须先答复上一轮审核意见：第{unanswered.round}轮法制审核认为存在问题"
                f"（{unanswered.opinion.reasons.strip().rstrip('。')}），承办机构应当研究处理，"
                "写明答复后再次报送法制审核。",
                law.GB118_CONTENT,
            )
        checklist = _materials(case, materials)
        # The step is owned by this service (Transition.service): the engine
        # refuses it from anywhere else, so no case is "under review" without
        # the review request created below.
        with engine.by_service(SUBMIT_SERVICE):
            record = engine.fire(
                case,
                "submit_legal_review",
                actor,
                {"on": today, "note": note},
                submission_key=submission_key,
                today=today,
            )
        case = Case.objects.select_related("agency__region", "unit").get(pk=case.pk)
        try:
            policy = policy_for(case.agency, today)
        except RuleNotConfigured as exc:
            raise law.refuse("configuration", str(exc)) from exc
        due, due_note = due_after(today, policy.time_limit_days)
        previous = ReviewRequest.objects.filter(case=case).order_by("-round").first()
        taken = snapshot.take(case) | {"materials": checklist}
        request = ReviewRequest.objects.create(
            agency=case.agency,
            case=case,
            round=previous.round + 1 if previous else 1,
            previous=previous,
            status=S.SUBMITTED,
            fingerprint=decision_fingerprint(case),
            snapshot=taken,
            materials=checklist,
            note=_text(note),
            response=response,
            submitted_by=actor,
            submitted_on=today,
            submission_record=record,
            time_limit_days=policy.time_limit_days,
            time_limit_basis=policy.time_limit_basis,
            due_on=due,
            due_note=due_note,
        )
        if previous is not None and previous.status == S.PROBLEMS:
            previous.status = S.RESUBMITTED
            previous.save(update_fields=["status", "updated_at"])
        ledger.record(
            agency=case.agency,
            subject=case,
            actor=actor,
            action="review.submitted",
            payload={
                "case": case.number,
                "request": request.pk,
                "round": request.round,
                "previous_round": previous.round if previous else None,
                "fingerprint": request.fingerprint,
                "snapshot_sha256": _digest(taken),
                "materials": [m["code"] for m in checklist if m["provided"]],
                "response_sha256": _digest(response) if response else None,
                "due": due.isoformat() if due else None,
            },
        )
    return request


def review_return(
    *,
    actor,
    request: ReviewRequest,
    missing: Iterable[str],
    note: str,
    today: date | None = None,
) -> ReviewRequest:
    """退回: the submission is incomplete (`missing` lists `Material` codes),
    or the case changed after submission (then `missing` may be empty). The
    handling unit completes it and submits again (a new round)."""
    today = _today(today)
    with transaction.atomic():
        request = _lock(request)
        if request.status not in ReviewRequest.AWAITING_OPINION:
            raise _state(request, "退回")
        case, agency = request.case, request.agency
        if not _may_return(actor, request):
            raise law.refuse(
                "role",
                "退回送审材料须由本申请的审核人员、法制审核机构负责人或机关负责人办理。",
                law.GB118_UNIT,
            )
        codes = list(missing or [])
        unknown = sorted(set(codes) - set(Material.values))
        errors: dict[str, list[str]] = {}
        if unknown:
            errors["missing"] = [f"未知的送审材料：{'、'.join(unknown)}。"]
        changes = []
        if decision_fingerprint(case) != request.fingerprint:
            changes = snapshot.changes_since(request.snapshot, case) or ["案件内容有变化"]
        if not codes and not changes:
            errors.setdefault("missing", []).append("请选择缺少的送审材料。")
        if not _text(note):
            errors["note"] = ["请写明退回的理由。"]
        if errors:
            raise InvalidInput(errors)
        text = _text(note)
        if changes:
            text = f"案件在送审后发生了变化（{'；'.join(changes)}）。{text}"
        request.status = S.RETURNED_INCOMPLETE
        request.returned_by, request.returned_on = actor, today
        request.missing = [{"code": c, "label": Material(c).label} for c in codes]
        request.return_note = text
        request.save()
        ledger.record(
            agency=agency,
            subject=case,
            actor=actor,
            action="review.returned",
            payload={
                "case": case.number,
                "request": request.pk,
                "round": request.round,
                "missing": codes,
                "changed_after_submission": bool(changes),
                "note_sha256": _digest(text),
            },
        )
    return request


def _may_return(actor, request: ReviewRequest) -> bool:
    agency = request.agency
    if request.reviewer_id:
        return (
            request.reviewer_id == getattr(actor, "pk", None)
            or law.is_legal_unit_head(actor, agency)
            or law.is_agency_head(actor, agency)
        )
    if law.is_legal_unit_head(actor, agency) or law.is_agency_head(actor, agency):
        return True
    return (
        law.holds(actor, Role.LEGAL_REVIEWER, agency)
        and law.in_legal_unit(actor, agency)
        and not involvement(request.case, actor)
    )
