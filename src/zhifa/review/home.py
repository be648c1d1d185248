"""Home-page sections for legal review (issue #7 item 6): the reviewer's own
queue, and for the agency head and the legal unit's head the overdue
requests, the disagreements waiting for a decision and the staffing warning
(GB118-16); and the buttons to the queue and the figures. Registered on
import (ReviewConfig.ready). Items link to the review pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from zhifa.core.home import Action, TodoItem, TodoSection, register, register_action

LEGAL_REVIEWER, UNIT_HEAD, AGENCY_HEAD = "legal_reviewer", "unit_head", "agency_head"
SHOWN = 20
SOON_DAYS = 2


def _ymd(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _item(request, today, *, detail: str) -> TodoItem:
    due = request.effective_due
    severity = "info"
    if due and today > due:
        severity, detail = "danger", f"{detail}；已逾期（应于{_ymd(due)}前完成）"
    elif due and (due - today).days <= SOON_DAYS:
        severity, detail = "warn", f"{detail}；应于{_ymd(due)}前完成"
    elif due:
        detail = f"{detail}；应于{_ymd(due)}前完成"
    return TodoItem(
        text=f"{request.case.number} {request.case.title}（第{request.round}轮）",
        url=reverse("review:detail", args=[request.pk]),
        detail=detail,
        due=due,
        severity=severity,
    )


def reviewer_queue(user, assignment) -> TodoSection:
    from zhifa.review.selectors import request_list_for_reviewer

    today = timezone.localdate()
    queue = request_list_for_reviewer(user)
    unassigned = [r for r in queue.unassigned if r.agency_id == assignment.agency_id]
    items = [_item(r, today, detail="待出具审核意见") for r in queue.assigned]
    items += [_item(r, today, detail="待分配审核人员，可认领") for r in unassigned]
    return TodoSection(
        title="法制审核",
        items=items[:SHOWN],
        total=len(items),
        empty="没有待审核的案件。",
        citation="《中华人民共和国行政处罚法》第五十八条",
    )


def heads_overview(user, assignment) -> TodoSection | None:
    from zhifa.review import law
    from zhifa.review.models import Disagreement
    from zhifa.review.selectors import overdue_requests, staffing

    agency = assignment.agency
    if assignment.role == UNIT_HEAD and not law.is_legal_unit_head(user, agency):
        return None
    today = timezone.localdate()
    items = [_item(r, today, detail="法制审核逾期") for r in overdue_requests(agency, today)]
    if assignment.role == AGENCY_HEAD:
        for d in Disagreement.objects.filter(
            request__agency=agency, decided_on__isnull=True
        ).select_related("request__case"):
            items.append(
                TodoItem(
                    text=f"{d.request.case.number} {d.request.case.title}",
                    url=reverse("review:resolve", args=[d.request_id]),
                    detail="承办机构对法制审核意见有异议，待决定或提请集体讨论",
                    severity="warn",
                )
            )
    check = staffing(agency, today)
    if check.short:
        url = reverse("review:figures") if assignment.role == AGENCY_HEAD else ""
        items.append(
            TodoItem(text="法制审核人员配备不足", url=url, detail=check.message, severity="warn")
        )
    return TodoSection(
        title="法制审核督办",
        items=items[:SHOWN],
        total=len(items),
        empty="没有逾期的法制审核，也没有待决定的分歧。",
    )


register([LEGAL_REVIEWER], reviewer_queue)
register([AGENCY_HEAD, UNIT_HEAD], heads_overview)
register_action(
    [LEGAL_REVIEWER, AGENCY_HEAD, UNIT_HEAD],
    Action("法制审核", "review:queue", "待审核、待分配和待承办机构处理的法制审核"),
)
register_action(
    [AGENCY_HEAD],
    Action("法制审核统计", "review:figures", "送审、首轮同意、问题要点、审核用时、逾期和人员配备"),
)
