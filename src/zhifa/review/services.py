"""Every change of legal review state: one function per use case, each in one
transaction with its ledger record (the case is the record's subject, so a
case's chain shows every round). Keyword-only, `actor` first.

Refusals are the case engine's, so pages and the API treat them alike:

- `zhifa.cases.errors.InvalidInput` — the input is malformed or incomplete:
  `errors` maps a field (``materials``, ``missing``, ``note``, ``reviewer``,
  ``findings``, ``findings.<point>``, ``result``, ``suggestions``,
  ``reasons``, ``days``, ``via``, ``outcome``, ``decision``,
  ``participants``, …) to Chinese messages;
- `zhifa.cases.errors.TransitionRefused` — the law or the procedure refuses:
  `refusals` are `Refusal(guard, message, citation)`; the guard codes are
  listed in `REFUSAL_CODES`.

| function | who | what |
|---|---|---|
| `review_submit` | officer / unit head (the engine's roles) | 提交法制审核: fires `submit_legal_review`, snapshots the case, opens round n+1 |
| `review_return` | the assigned reviewer; legal unit head; agency head; an eligible reviewer if unassigned | 退回: materials incomplete, or the case changed after submission |
| `review_assign` | legal unit head, agency head; a reviewer claiming an unassigned request | 分配审核人员 |
| `conflict_declare` | the reviewer (or the legal unit head / agency head for them) | 审核人员回避 |
| `opinion_record` | the assigned reviewer | 审核要点 + 同意/存在问题 + 法制审核意见书 |
| `dispute_raise` | a unit head of the handling side | 对存在问题的意见提出异议 |
| `dispute_resolve` | agency head (alone or recording a 集体讨论) | 决定分歧 |
| `review_extend` | agency head | 批准延长审核期限 |
| `policy_set` | agency head | 本机关的审核期限、延长上限、人员比例 |
| `experience_record` | agency head | 平台启用前的行政处罚法制审核经历 (APL-23 "初次") |
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhifa import ledger
from zhifa.cases import documents, engine
from zhifa.cases.errors import InvalidInput, Refusal, TransitionRefused
from zhifa.cases.models import Case, CaseRecord, Hearing
from zhifa.cases.selectors import decision_fingerprint
from zhifa.orgs.models import Agency, Role
from zhifa.review import law, snapshot
from zhifa.review.models import (
    Disagreement,
    FindingKind,
    Material,
    Outcome,
    Point,
    Result,
    ReviewerConflict,
    ReviewerExperience,
    ReviewFinding,
    ReviewOpinion,
    ReviewPolicy,
    ReviewRequest,
    Suggestion,
    Via,
)
from zhifa.review.selectors import due_after, involvement, policy_for, reviewer_refusals
from zhifa.rules.services import RuleNotConfigured

S = ReviewRequest.Status

REFUSAL_CODES = {
    "state": "当前状态不能办理",
    "role": "无权办理",
    "configuration": "缺少期限或比例的配置",
    "response_required": "重新送审须答复上一轮审核意见",
    "reviewer_role": "不是本机关法制审核人员",
    "reviewer_unit": "不属于法制审核机构",
    "self_review": "参与过案件办理（自审）",
    "reviewer_conflict": "已申请回避",
    "reviewer_qualification": "初次审核须具备法律职业资格",
    "not_reviewer": "不是本申请的审核人员",
    "opinion_reasons": "审核意见须写明理由",
    "agree_with_problems": "审核要点有问题不能同意",
    "agree_with_suggestions": "同意意见不附建议",
    "problems_need_suggestion": "存在问题须提出建议",
    "problems_need_point": "存在问题须标明审核要点",
    "crime_transfer": "涉嫌犯罪须建议移送",
    "stale": "案件在送审后发生变化",
    "extend_once": "已延长过期限",
    "extend_max": "超过可延长的期限",
}

# Always required; the two "（如有）" items are required when the case has them.
ALWAYS_REQUIRED = (Material.INVESTIGATION_REPORT, Material.EVIDENCE, Material.PROPOSED_DECISION)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _digest(value: Any) -> str:
    raw = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _ymd(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _text(value: Any) -> str:
    return str(value or "").strip()


def _lock(request: ReviewRequest) -> ReviewRequest:
    return (
        ReviewRequest.objects.select_for_update()
        .select_related("case__agency__region", "agency__region", "reviewer")
        .get(pk=request.pk)
    )


def _state(request: ReviewRequest, what: str) -> TransitionRefused:
    return law.refuse(
        "state", f"第{request.round}轮法制审核当前为“{request.get_status_display()}”，不能{what}。"
    )


def _who(user) -> str:
    return str(getattr(user, "public_id", "") or getattr(user, "pk", ""))


# ---------------------------------------------------------------------------
# Submission


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
        record = engine.fire(
            case, "submit_legal_review", actor, {"on": today, "note": note}, today=today
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


# ---------------------------------------------------------------------------
# Reviewers


def review_assign(
    *, actor, request: ReviewRequest, reviewer, today: date | None = None
) -> ReviewRequest:
    """分配审核人员 (or a reviewer claims an unassigned request).

    The reviewer must be a legal reviewer of the agency, in its legal unit if
    it has one; never the handler, an officer ever assigned to the case, or
    anyone who submitted it (self-review); without a declared conflict; and,
    reviewing a penalty decision for the first time, holding 法律职业资格
    (APL-23). The due date was set at submission; if the calendar was
    missing then, it is computed now.
    """
    today = _today(today)
    with transaction.atomic():
        request = _lock(request)
        if request.status not in ReviewRequest.AWAITING_OPINION:
            raise _state(request, "分配审核人员")
        agency = request.agency
        head = law.is_agency_head(actor, agency) or law.is_legal_unit_head(actor, agency)
        claiming = (
            getattr(actor, "pk", None) == getattr(reviewer, "pk", None)
            and request.reviewer_id is None
        )
        if not (head or claiming):
            raise law.refuse(
                "role",
                "分配法制审核人员须由法制审核机构负责人或机关负责人办理；"
                "法制审核人员只能认领尚未分配的申请。",
                law.GB118_UNIT,
            )
        if request.reviewer_id == reviewer.pk:
            raise InvalidInput({"reviewer": [f"{law.name_of(reviewer)}已是本申请的审核人员。"]})
        refusals = reviewer_refusals(request, reviewer)
        if refusals:
            raise TransitionRefused(refusals)
        before = request.reviewer
        request.reviewer, request.assigned_by, request.assigned_on = reviewer, actor, today
        request.status = S.UNDER_REVIEW
        if request.due_on is None:
            request.due_on, request.due_note = due_after(
                request.submitted_on, request.time_limit_days
            )
            if request.due_on and request.extension_days:
                request.extended_due_on, _ = due_after(request.due_on, request.extension_days)
        request.save()
        ledger.record(
            agency=agency,
            subject=request.case,
            actor=actor,
            action="review.assigned",
            payload={
                "case": request.case.number,
                "request": request.pk,
                "round": request.round,
                "reviewer": _who(reviewer),
                "replaces": _who(before) if before else None,
                "due": request.due_on.isoformat() if request.due_on else None,
            },
        )
    return request


def conflict_declare(
    *, actor, case: Case, reason: str, reviewer=None, today: date | None = None
) -> ReviewerConflict:
    """审核人员回避: `reviewer` (default: the actor) may not review this case.

    A reviewer declares their own conflict; the legal unit head or the agency
    head may record one for them. An open request assigned to them goes back
    to "待分配".
    """
    today = _today(today)
    reviewer = reviewer or actor
    agency = case.agency
    with transaction.atomic():
        if reviewer.pk != actor.pk and not (
            law.is_agency_head(actor, agency) or law.is_legal_unit_head(actor, agency)
        ):
            raise law.refuse(
                "role", "只有审核人员本人、法制审核机构负责人或机关负责人可以登记回避。"
            )
        if not law.holds(reviewer, Role.LEGAL_REVIEWER, agency):
            raise law.refuse(
                "reviewer_role",
                f"{law.name_of(reviewer)}不是{agency.name}的法制审核人员。",
                law.GB118_UNIT,
            )
        if not _text(reason):
            raise InvalidInput({"reason": ["请写明回避的理由。"]})
        if ReviewerConflict.objects.filter(case=case, reviewer=reviewer).exists():
            raise InvalidInput({"reason": [f"{law.name_of(reviewer)}已就本案申请回避。"]})
        released = list(
            ReviewRequest.objects.select_for_update().filter(
                case=case, reviewer=reviewer, status=S.UNDER_REVIEW
            )
        )
        for r in released:
            r.reviewer = r.assigned_by = r.assigned_on = None
            r.status = S.SUBMITTED
            r.save()
        entry = ledger.record(
            agency=agency,
            subject=case,
            actor=actor,
            action="review.conflict_declared",
            payload={
                "case": case.number,
                "reviewer": _who(reviewer),
                "reason_sha256": _digest(_text(reason)),
                "released_rounds": [r.round for r in released],
            },
        )
        return ReviewerConflict.objects.create(
            agency=agency,
            case=case,
            reviewer=reviewer,
            reason=_text(reason),
            declared_by=actor,
            declared_on=today,
            entry=entry,
        )


def experience_record(
    *, actor, agency: Agency, reviewer, since: date, basis: str, today: date | None = None
) -> ReviewerExperience:
    """Penalty legal review done before the platform (APL-23 "初次从事" is past)."""
    today = _today(today)
    with transaction.atomic():
        if not law.is_agency_head(actor, agency):
            raise law.refuse("role", "既往法制审核经历须由机关负责人登记。", law.ART_58_2)
        errors: dict[str, list[str]] = {}
        if not law.holds(reviewer, Role.LEGAL_REVIEWER, agency):
            errors["reviewer"] = [f"{law.name_of(reviewer)}不是{agency.name}的法制审核人员。"]
        if not isinstance(since, date) or since > today:
            errors["since"] = ["请填写不晚于今天的开始日期。"]
        if not _text(basis):
            errors["basis"] = ["请写明依据（任职文件、既往审核记录等）。"]
        if ReviewerExperience.objects.filter(reviewer=reviewer).exists():
            errors["reviewer"] = [f"{law.name_of(reviewer)}的既往审核经历已登记。"]
        if errors:
            raise InvalidInput(errors)
        entry = ledger.record(
            agency=agency,
            subject=agency,
            actor=actor,
            action="review.experience_recorded",
            payload={"reviewer": _who(reviewer), "since": since.isoformat()},
        )
        return ReviewerExperience.objects.create(
            agency=agency,
            reviewer=reviewer,
            since=since,
            basis=_text(basis),
            recorded_by=actor,
            recorded_on=today,
            entry=entry,
        )


# ---------------------------------------------------------------------------
# The opinion


def _findings(raw: Mapping[str, Any]) -> tuple[dict[str, tuple[str, str]], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, tuple[str, str]] = {}
    raw = dict(raw or {})
    unknown = sorted(set(raw) - set(Point.values))
    if unknown:
        errors["findings"] = [f"未知的审核要点：{'、'.join(unknown)}。"]
    for point in Point:
        value = raw.get(point.value)
        if value is None:
            continue
        if isinstance(value, Mapping):
            finding, note = value.get("finding"), value.get("note", "")
        elif isinstance(value, (list, tuple)) and len(value) == 2:
            finding, note = value
        else:
            finding, note = value, ""
        if finding not in FindingKind.values:
            errors[f"findings.{point.value}"] = [
                f"“{point.label}”的审核情况应为：{'、'.join(FindingKind.labels)}。"
            ]
            continue
        if finding == FindingKind.PROBLEM and not _text(note):
            errors[f"findings.{point.value}"] = [f"“{point.label}”存在问题，请写明问题所在。"]
            continue
        clean[point.value] = (finding, _text(note))
    missing = [p.label for p in Point if p.value not in raw]
    if missing:
        errors.setdefault("findings", []).append(
            f"审核要点须逐项填写，尚未填写：{'、'.join(missing)}（{law.GB118_CONTENT}）。"
        )
    return clean, errors


def _reviewer_line(user) -> str:
    from zhifa.officers.models import LegalQualification

    q = LegalQualification.objects.filter(officer__user=user).first()
    name = law.name_of(user)
    return f"{name}（法律职业资格证书编号：{q.certificate_number}）" if q else name


def _findings_text(clean: dict[str, tuple[str, str]]) -> str:
    lines = []
    for i, point in enumerate(Point, 1):
        finding, note = clean[point.value]
        text = f"{i}. {point.label}：{FindingKind(finding).label}"
        lines.append(text + (f"。{note}" if note else ""))
    return "\n".join(lines)


def opinion_record(
    *,
    actor,
    request: ReviewRequest,
    findings: Mapping[str, Any],
    result: str,
    suggestions: Iterable[str] = (),
    reasons: str,
    note: str = "",
    today: date | None = None,
) -> ReviewOpinion:
    """出具法制审核意见: only the assigned reviewer, on the case as submitted.

    `findings` maps each of the eight `Point` codes to `(finding, note)` (or
    `{"finding": ..., "note": ...}`), a finding being `FindingKind`; a
    problem needs its note. `result` is "agree" or "problems"; "problems"
    needs at least one `Suggestion` and one point marked as a problem, and
    "agree" may have neither. Every opinion states its reasons. Refused if
    the case changed since submission: it must be returned and resubmitted.
    Issues the 法制审核意见书 (frozen, numbered, in the case file and the
    ledger) and stores the opinion; the round becomes 同意 or 存在问题.
    """
    today = _today(today)
    with transaction.atomic():
        request = _lock(request)
        if request.status != S.UNDER_REVIEW:
            raise _state(request, "出具审核意见")
        case = request.case
        if request.reviewer_id != getattr(actor, "pk", None):
            raise law.refuse(
                "not_reviewer",
                f"本申请的审核人员是{law.name_of(request.reviewer)}，只有其本人可以出具审核意见。",
                law.GB118_DUTY,
            )
        refusals = reviewer_refusals(request, actor)
        if refusals:
            raise TransitionRefused(refusals)

        clean, errors = _findings(findings)
        if result not in Result.values:
            errors["result"] = ["审核意见应为“同意”或“存在问题”。"]
        chosen = list(dict.fromkeys(suggestions or []))
        bad = [s for s in chosen if s not in Suggestion.values]
        if bad:
            errors["suggestions"] = [
                f"审核建议应为：{'、'.join(Suggestion.labels)}；收到：{'、'.join(map(str, bad))}。"
            ]
        if errors:
            raise InvalidInput(errors)

        problem_points = [
            Point(p).label for p, (f, _n) in clean.items() if f == FindingKind.PROBLEM
        ]
        found: list[Refusal] = []
        if not _text(reasons):
            found.append(
                Refusal(
                    "opinion_reasons",
                    "法制审核意见须写明理由：同意的，写明审核认定的事实、证据、依据和程序；"
                    "存在问题的，写明存在的问题及处理建议的依据。",
                    law.GB118_CONTENT,
                )
            )
        if result == Result.AGREE and problem_points:
            found.append(
                Refusal(
                    "agree_with_problems",
                    f"审核要点“{'、'.join(problem_points)}”标记为存在问题，不能出具同意意见。",
                    law.GB118_CONTENT,
                )
            )
        if result == Result.AGREE and chosen:
            found.append(
                Refusal(
                    "agree_with_suggestions",
                    "同意意见不附变更、纠正、补充、移送建议；需要承办机构处理的，应出具存在问题的意见。",
                    law.GB118_CONTENT,
                )
            )
        if result == Result.PROBLEMS and not chosen:
            found.append(
                Refusal(
                    "problems_need_suggestion",
                    "存在问题的审核意见须提出变更、纠正、补充或者移送的建议。",
                    law.GB118_CONTENT,
                )
            )
        if result == Result.PROBLEMS and not problem_points:
            found.append(
                Refusal(
                    "problems_need_point",
                    "存在问题的审核意见须在审核要点中标明存在问题的项目。",
                    law.GB118_CONTENT,
                )
            )
        if clean[Point.CRIME][0] == FindingKind.PROBLEM and Suggestion.TRANSFER not in chosen:
            found.append(
                Refusal(
                    "crime_transfer",
                    "审核认为涉嫌犯罪的，审核建议应当包括移送司法机关。",
                    law.GB118_CONTENT,
                )
            )
        current = decision_fingerprint(case)
        if current != request.fingerprint:
            changes = snapshot.changes_since(request.snapshot, case)
            what = f"（{'；'.join(changes)}）" if changes else ""
            found.append(
                Refusal(
                    "stale",
                    f"案件在送审后发生了变化{what}，须退回重新提交：审核意见只能针对送审时的案件。",
                    law.ART_58_1,
                )
            )
        if found:
            raise TransitionRefused(found)

        for point in Point:
            finding, finding_note = clean[point.value]
            ReviewFinding.objects.create(
                request=request, point=point.value, finding=finding, note=finding_note
            )
        labels = [Suggestion(s).label for s in chosen]
        data = {
            "on": today,
            "submitted_unit": case.unit.name if case.unit_id else case.agency.name,
            "submitted_on": request.submitted_on,
            "round": f"第{request.round}轮",
            "reviewer": _reviewer_line(actor),
            "response": request.response,
            "findings": _findings_text(clean),
            "result": Result(result).label,
            "suggestions": "、".join(labels) if labels else "无",
            "reasons": _text(reasons),
            "note": _text(note),
        }
        draft = documents.create_document(
            case, "legal_review_opinion", transition="legal_review", data=data, actor=actor
        )
        document = documents.issue_document(draft, actor, on=today)
        entry = ledger.record(
            agency=request.agency,
            subject=case,
            actor=actor,
            action="review.opinion_recorded",
            payload={
                "case": case.number,
                "request": request.pk,
                "round": request.round,
                "result": result,
                "suggestions": chosen,
                "findings": {p: f for p, (f, _n) in clean.items()},
                "fingerprint": request.fingerprint,
                "document": document.number,
                "document_sha256": document.content_sha256,
            },
        )
        opinion = ReviewOpinion.objects.create(
            request=request,
            reviewer=actor,
            result=result,
            suggestions=chosen,
            reasons=_text(reasons),
            fingerprint=request.fingerprint,
            opinion_on=today,
            document=document,
            entry=entry,
        )
        request.status = S.AGREED if result == Result.AGREE else S.PROBLEMS
        request.save(update_fields=["status", "updated_at"])
    return opinion


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
            Disagreement.objects.select_for_update()
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


# ---------------------------------------------------------------------------
# Time limits and the agency's parameters


def review_extend(
    *, actor, request: ReviewRequest, days: int, reason: str, today: date | None = None
) -> ReviewRequest:
    """批准延长审核期限 (agency head; once per round; at most the agency's
    maximum, else review.legal_review_extension for its region)."""
    today = _today(today)
    with transaction.atomic():
        request = _lock(request)
        if request.status not in ReviewRequest.AWAITING_OPINION:
            raise _state(request, "延长审核期限")
        agency = request.agency
        if not law.is_agency_head(actor, agency):
            raise law.refuse("role", "延长法制审核期限须经机关负责人批准。", law.GB118_DUTY)
        policy = policy_for(agency, today)
        if request.extension_days:
            raise law.refuse(
                "extend_once",
                f"本轮审核已于{_ymd(request.extension_approved_on)}延长"
                f"{request.extension_days}个工作日，不能再次延长。",
                policy.extension_basis,
            )
        errors: dict[str, list[str]] = {}
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            errors["days"] = ["延长的工作日数应为正整数。"]
        if not _text(reason):
            errors["reason"] = ["请写明延长的理由。"]
        if errors:
            raise InvalidInput(errors)
        if policy.extension_max_days is None:
            raise law.refuse("configuration", policy.extension_basis)
        if days > policy.extension_max_days:
            raise law.refuse(
                "extend_max",
                f"法制审核期限经批准最多延长{policy.extension_max_days}个工作日，"
                f"不能延长{days}个工作日。",
                policy.extension_basis,
            )
        request.extension_days, request.extension_reason = days, _text(reason)
        request.extension_approved_by, request.extension_approved_on = actor, today
        if request.due_on:
            request.extended_due_on, note = due_after(request.due_on, days)
            if note:
                request.due_note = note
        request.save()
        ledger.record(
            agency=agency,
            subject=request.case,
            actor=actor,
            action="review.extended",
            payload={
                "case": request.case.number,
                "request": request.pk,
                "round": request.round,
                "days": days,
                "due": request.effective_due.isoformat() if request.effective_due else None,
                "reason_sha256": _digest(request.extension_reason),
            },
        )
    return request


def policy_set(
    *,
    actor,
    agency: Agency,
    time_limit_working_days: int | None = None,
    time_limit_basis: str = "",
    extension_max_working_days: int | None = None,
    extension_basis: str = "",
    reviewer_ratio: Decimal | str | None = None,
    reviewer_ratio_basis: str = "",
) -> ReviewPolicy:
    """本机关的法制审核期限、延长上限和人员比例; None leaves a value to the rule."""
    with transaction.atomic():
        if not (law.is_agency_head(actor, agency) or getattr(actor, "is_superuser", False)):
            raise law.refuse("role", "法制审核设置须由机关负责人办理。", law.GB118_DUTY)
        errors: dict[str, list[str]] = {}
        for field, value, basis, label in (
            ("time_limit_working_days", time_limit_working_days, time_limit_basis, "审核期限"),
            (
                "extension_max_working_days",
                extension_max_working_days,
                extension_basis,
                "延长上限",
            ),
        ):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors[field] = [f"{label}应为非负整数（工作日）。"]
            elif field == "time_limit_working_days" and value < 1:
                errors[field] = ["审核期限至少 1 个工作日。"]
            elif not _text(basis):
                errors[field] = [f"设置{label}须写明依据。"]
        ratio = None
        if reviewer_ratio is not None:
            try:
                ratio = Decimal(str(reviewer_ratio))
            except InvalidOperation:
                errors["reviewer_ratio"] = ["比例应为 0 到 1 之间的小数，例如 0.05。"]
            else:
                if not (0 < ratio <= 1):
                    errors["reviewer_ratio"] = ["比例应为 0 到 1 之间的小数，例如 0.05。"]
                elif not _text(reviewer_ratio_basis):
                    errors["reviewer_ratio"] = ["设置比例须写明依据。"]
        if errors:
            raise InvalidInput(errors)
        values = {
            "time_limit_working_days": time_limit_working_days,
            "time_limit_basis": _text(time_limit_basis) if time_limit_working_days else "",
            "extension_max_working_days": extension_max_working_days,
            "extension_basis": _text(extension_basis)
            if extension_max_working_days is not None
            else "",
            "reviewer_ratio": ratio,
            "reviewer_ratio_basis": _text(reviewer_ratio_basis) if ratio is not None else "",
            "updated_by": actor,
        }
        policy, _ = ReviewPolicy.objects.update_or_create(agency=agency, defaults=values)
        ledger.record(
            agency=agency,
            subject=agency,
            actor=actor,
            action="review.policy_set",
            payload={
                "time_limit_working_days": time_limit_working_days,
                "extension_max_working_days": extension_max_working_days,
                "reviewer_ratio": str(ratio) if ratio is not None else None,
            },
        )
    return policy


__all__ = [
    "REFUSAL_CODES",
    "conflict_declare",
    "dispute_raise",
    "dispute_resolve",
    "experience_record",
    "opinion_record",
    "policy_set",
    "required_materials",
    "review_assign",
    "review_extend",
    "review_return",
    "review_submit",
]
