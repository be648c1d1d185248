"""Helpers shared by the review services."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.utils import timezone

from zhifa.cases.errors import TransitionRefused
from zhifa.review import law
from zhifa.review.models import Material, ReviewRequest

S = ReviewRequest.Status

# Guard codes of the refusals these services raise. `review_submit` also
# passes on the engine's own: role_in_agency, review_required, no_open_review.
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
        ReviewRequest.objects.select_for_update(of=("self",))
        .select_related("case__agency__region", "agency__region", "reviewer")
        .get(pk=request.pk)
    )


def _state(request: ReviewRequest, what: str) -> TransitionRefused:
    return law.refuse(
        "state", f"第{request.round}轮法制审核当前为“{request.get_status_display()}”，不能{what}。"
    )


def _who(user) -> str:
    return str(getattr(user, "public_id", "") or getattr(user, "pk", ""))
