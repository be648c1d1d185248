"""The legal review gate's provider (行政处罚法 第五十八条第一款: "未经法制审核或者
审核未通过的，不得作出决定").

Registered in `ReviewConfig.ready()` with `zhifa.cases.review_hook`; the case
engine's `legal_review_agreed` and `no_open_review` guards call
`status(case, fingerprint)` with the fingerprint of the case as it stands.

- `open`: the latest round awaits an opinion (送审、审核中) or a disagreement
  about it awaits the head's decision.
- `agreed`: the round that speaks last — the latest one that was not
  returned as incomplete — has an "agree" opinion, or a disagreement
  decided for the handling unit, *and* its fingerprint equals the one passed
  in. An older round's agreement never revives a newer round's problems.
- `detail`: the latest state in Chinese, without final punctuation (the
  guard continues the sentence).
"""

from __future__ import annotations

from zhifa.cases.review_hook import ReviewStatus
from zhifa.review import snapshot
from zhifa.review.models import Outcome, Result, ReviewRequest

S = ReviewRequest.Status


def _ymd(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _due(r: ReviewRequest) -> str:
    due = r.effective_due
    if due:
        return f"应于{_ymd(due)}前完成"
    return r.due_note.rstrip("。") or "完成期限待定"


def _covered(r: ReviewRequest) -> tuple[bool, str]:
    """Whether the round ended in agreement, and how it is described."""
    opinion = getattr(r, "opinion", None)
    if opinion is not None and opinion.result == Result.AGREE:
        return True, f"法制审核同意意见（第{r.round}轮，{_ymd(opinion.opinion_on)}）"
    dispute = getattr(r, "disagreement", None)
    if dispute is not None and dispute.outcome == Outcome.UPHELD_UNIT:
        how = "集体讨论" if dispute.via == "collective" else "机关负责人"
        return True, f"{how}于{_ymd(dispute.decided_on)}决定采纳承办机构意见（第{r.round}轮）"
    return False, ""


def _problems(r: ReviewRequest) -> str:
    opinion = getattr(r, "opinion", None)
    reasons = opinion.reasons.strip().rstrip("。") if opinion else ""
    suggestions = "、".join(opinion.suggestion_labels) if opinion else ""
    text = f"法制审核未通过（第{r.round}轮）：{reasons}"
    if suggestions:
        text += f"（审核建议：{suggestions}）"
    dispute = getattr(r, "disagreement", None)
    if dispute is not None and dispute.outcome == Outcome.UPHELD_REVIEWER:
        how = "集体讨论" if dispute.via == "collective" else "机关负责人"
        text += f"；承办机构提出异议，经{how}决定维持审核意见"
    return text + "。承办机构须研究处理、答复审核意见后重新提交"


def status(case, fingerprint: str) -> ReviewStatus:
    rounds = list(
        ReviewRequest.objects.filter(case=case)
        .select_related("reviewer", "opinion", "disagreement")
        .order_by("-round")
    )
    if not rounds:
        return ReviewStatus(False, False, "尚未提交法制审核")
    latest = rounds[0]
    if latest.status == S.SUBMITTED:
        return ReviewStatus(
            True,
            False,
            f"法制审核申请已于{_ymd(latest.submitted_on)}提交，正等待分配审核人员（{_due(latest)}）",
        )
    if latest.status == S.UNDER_REVIEW:
        who = latest.reviewer.name if latest.reviewer else ""
        return ReviewStatus(True, False, f"法制审核正在进行（审核人员：{who}，{_due(latest)}）")
    if latest.status == S.DISPUTED:
        return ReviewStatus(
            True,
            False,
            f"承办机构对第{latest.round}轮法制审核意见提出异议，正等待机关负责人或集体讨论决定",
        )

    speaking = next((r for r in rounds if r.status != S.RETURNED_INCOMPLETE), None)
    returned = latest if latest.status == S.RETURNED_INCOMPLETE else None
    if speaking is None:
        return ReviewStatus(False, False, _returned(returned))
    agreed, how = _covered(speaking)
    if agreed and speaking.fingerprint == fingerprint:
        return ReviewStatus(False, True, f"{how}涵盖本案现状")
    if returned is not None:
        return ReviewStatus(False, False, _returned(returned))
    if agreed:
        changes = snapshot.changes_since(speaking.snapshot, case)
        summary = speaking.snapshot.get("summary") or "送审时的拟处理决定"
        if changes:
            differs = f"此后案件已发生变化（{'；'.join(changes)}）"
        else:
            # The stored case is as submitted: the decision being made differs from it.
            differs = "现在要作出的决定与送审时的拟处理决定不一致"
        return ReviewStatus(
            False,
            False,
            f"{how}针对的是送审时的案件（{summary}），{differs}，须重新提交审核",
        )
    return ReviewStatus(False, False, _problems(speaking))


def _returned(r: ReviewRequest) -> str:
    missing = "、".join(m.get("label", m.get("code", "")) for m in r.missing or [])
    text = f"第{r.round}轮送审已于{_ymd(r.returned_on)}退回"
    if missing:
        text += f"（缺少：{missing}）"
    elif r.return_note:
        text += f"（{r.return_note.strip().rstrip('。')}）"
    return text + "，须补正后重新提交"
