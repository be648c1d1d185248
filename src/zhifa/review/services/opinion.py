"""The opinion: the eight points, 同意 or 存在问题, and the 法制审核意见书."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction

from zhifa import ledger
from zhifa.cases import documents
from zhifa.cases.errors import InvalidInput, Refusal, TransitionRefused
from zhifa.cases.selectors import decision_fingerprint
from zhifa.review import law, snapshot
from zhifa.review.models import (
    FindingKind,
    Point,
    Result,
    ReviewFinding,
    ReviewOpinion,
    ReviewRequest,
    Suggestion,
)
from zhifa.review.selectors import reviewer_refusals
from zhifa.review.services._common import (
    S,
    _lock,
    _state,
    _text,
    _today,
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
