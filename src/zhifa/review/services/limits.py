"""Time limits and the agency's own parameters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from zhifa import ledger
from zhifa.cases.errors import InvalidInput
from zhifa.orgs.models import Agency
from zhifa.review import law
from zhifa.review.models import (
    ReviewPolicy,
    ReviewRequest,
)
from zhifa.review.selectors import due_after, policy_for
from zhifa.review.services._common import (
    _digest,
    _lock,
    _state,
    _text,
    _today,
    _ymd,
)

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
