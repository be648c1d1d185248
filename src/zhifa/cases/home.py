"""Home-page sections for case handling: deadlines about to fall due, and the
buttons officers and heads use most. Registered on import (CasesConfig.ready)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from zhifa.core.home import Action, TodoItem, TodoSection, register, register_action

OFFICER, UNIT_HEAD, AGENCY_HEAD = "officer", "unit_head", "agency_head"
DUE_WITHIN_DAYS = 5
SHOWN = 20


def deadlines_due(user, assignment) -> TodoSection:
    """办案期限: the cases of this role's scope with a running deadline overdue
    or due within five days, one line per case (its nearest deadline)."""
    from zhifa.cases import deadlines
    from zhifa.cases.models import Case, Deadline
    from zhifa.cases.views_common import deadline_view

    today = timezone.localdate()
    cases = Case.objects.filter(agency=assignment.agency)
    if assignment.role == OFFICER:
        cases = cases.assigned_to(user)
    elif assignment.role == UNIT_HEAD and assignment.unit_id:
        cases = cases.filter(unit=assignment.unit)
    running = (
        Deadline.objects.filter(case__in=cases, stopped_on__isnull=True)
        .annotate(effective=Coalesce(F("extended_to"), F("outer_limit"), F("due")))
        .filter(effective__lte=today + timedelta(days=DUE_WITHIN_DAYS))
        .select_related("case")
        .order_by("effective", "id")
    )
    nearest: dict[int, object] = {}
    for d in running:
        shown = deadline_view(d, today)
        # A period the party still has is not staff's to meet; once it has
        # run out it says the case may go on.
        if deadlines.whose(d.code) == "right" and shown.status != "lapsed":
            continue
        nearest.setdefault(d.case_id, shown)
    items = []
    for shown in list(nearest.values())[:SHOWN]:
        d = shown.deadline
        items.append(
            TodoItem(
                text=f"{d.case.number} {d.case.title}",
                url=reverse("cases:detail", args=[d.case_id]),
                detail=f"{d.label}：{shown.text}",
                due=shown.due,
                severity="danger" if shown.status == "overdue" else "warn",
            )
        )
    return TodoSection(
        title="办案期限",
        items=items,
        total=len(nearest),
        empty=f"没有逾期或{DUE_WITHIN_DAYS}日内届满的办案期限。",
    )


def late_in_region(user, assignment) -> TodoSection:
    """For the justice bureau's supervisor: the cases of the region where the
    agency's own deadline has passed, the most overdue first. The count is the
    list's "仅看办案期限已逾期的" count (cases:list?late=1)."""
    from zhifa.cases.models import Deadline
    from zhifa.cases.selectors import case_list_for_user, late_deadlines
    from zhifa.cases.views_common import deadline_view

    today = timezone.localdate()
    cases = case_list_for_user(user, late=True, today=today)
    late = (
        late_deadlines(today)
        .filter(case__in=cases.values("pk"))
        .annotate(effective=Coalesce(F("extended_to"), F("outer_limit"), F("due")))
        .select_related("case__agency")
        .order_by("effective", "id")
    )
    first: dict[int, Deadline] = {}
    for d in late:
        first.setdefault(d.case_id, d)
        if len(first) >= SHOWN:
            break
    items = [
        TodoItem(
            text=f"{d.case.agency.name} {d.case.number}",
            url=reverse("cases:detail", args=[d.case_id]),
            detail=f"{d.label}：{deadline_view(d, today).text}",
            due=d.effective_due,
            severity="danger",
        )
        for d in first.values()
    ]
    return TodoSection(
        title="办案期限逾期的案件",
        items=items,
        total=cases.count(),
        empty="辖区内没有办案期限已逾期的案件。",
        citation="行政处罚法第六十条（九十日内作出决定）及各环节法定期限",
    )


register([OFFICER, UNIT_HEAD, AGENCY_HEAD], deadlines_due)
register(["supervisor"], late_in_region)
register_action(
    [OFFICER, UNIT_HEAD, AGENCY_HEAD],
    Action("登记案件", "cases:new", "普通程序：登记案件来源和当事人"),
)
# open_summary_case admits officers only (简易程序 is applied by the officer on the spot).
register_action([OFFICER], Action("当场处罚", "cases:on_spot", "简易程序：在手机上现场办理"))
register_action(
    [OFFICER, UNIT_HEAD, AGENCY_HEAD],
    Action("我的案件", "cases:list", "承办的案件、状态和办案期限"),
)
