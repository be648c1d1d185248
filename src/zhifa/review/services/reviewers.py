"""Who reviews: assignment, declared conflicts, experience before the platform."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from zhifa import ledger
from zhifa.cases.errors import InvalidInput, TransitionRefused
from zhifa.cases.models import Case
from zhifa.orgs.models import Agency, Role
from zhifa.review import law
from zhifa.review.models import (
    ReviewerConflict,
    ReviewerExperience,
    ReviewRequest,
)
from zhifa.review.selectors import due_after, reviewer_refusals
from zhifa.review.services._common import (
    S,
    _digest,
    _lock,
    _state,
    _text,
    _today,
    _who,
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
