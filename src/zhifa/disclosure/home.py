"""Home-page sections for disclosure: what is late or nearly due in the
user's scope (agency heads and unit heads: their agency; supervisors: their
region), and the exemptions the supervisor oversees. Registered on import
(DisclosureConfig.ready)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhifa.core.home import Action, TodoItem, TodoSection, register, register_action

OFFICER, UNIT_HEAD, AGENCY_HEAD = "officer", "unit_head", "agency_head"
LEGAL_REVIEWER, SUPERVISOR = "legal_reviewer", "supervisor"
SOON_DAYS = 3
SHOWN = 20


def _item(pub, text: str, due, today, what: str) -> TodoItem:
    from zhifa.disclosure.selectors import countdown

    cd = countdown(due, today)
    return TodoItem(
        text=f"{pub.decision_number or pub.case_number} {pub.title}",
        url=reverse("disclosure:review", args=[pub.public_id]),
        detail=f"{pub.agency_name} · {what}：{cd.text if due else text}",
        due=due,
        severity="danger" if cd.overdue else "warn",
    )


def publication_deadlines(user, assignment) -> TodoSection:
    """事后公开: obligations and withdrawals overdue or due within three days,
    and error reports not answered in time."""
    from zhifa.disclosure.models import OPEN_STATUSES, ErrorReport, Publication

    today = timezone.localdate()
    soon = today + timedelta(days=SOON_DAYS)
    pubs = Publication.objects.visible_to(user)
    if assignment.agency_id:
        pubs = pubs.filter(agency_id=assignment.agency_id)
    items: list[TodoItem] = []
    withdraw = pubs.withdrawal_owed().order_by("withdrawal_due_on")
    for pub in withdraw:
        if pub.withdrawal_due_on is None or pub.withdrawal_due_on <= soon:
            items.append(_item(pub, "决定已被撤销或变更", pub.withdrawal_due_on, today, "撤回公示"))
    owed = pubs.filter(status__in=OPEN_STATUSES, due_on__lte=soon).order_by("due_on")
    for pub in owed:
        items.append(_item(pub, "", pub.due_on, today, "公开执法决定"))
    late_answers = ErrorReport.objects.filter(
        publication__in=pubs, status=ErrorReport.Status.OPEN, answer_due_on__lte=soon
    ).select_related("publication")
    for report in late_answers:
        item = _item(report.publication, "", report.answer_due_on, today, "答复纠错申请")
        item.url = reverse("disclosure:feedback")
        items.append(item)
    items.sort(key=lambda i: (i.due is None, i.due or today))
    return TodoSection(
        title="事后公开",
        items=items[:SHOWN],
        total=len(items),
        empty=f"没有逾期或{SOON_DAYS}日内届满的公开、撤回和纠错答复。",
        citation="国办发〔2018〕118号 二、（六）；行政处罚法第四十八条",
    )


def overdue_in_region(user, assignment) -> TodoSection:
    """For the supervisor: every agency's late publications and withdrawals."""
    from zhifa.disclosure.selectors import overdue_for_user

    today = timezone.localdate()
    late = overdue_for_user(user, today)
    items = [
        _item(p, "", p.withdrawal_due_on, today, "逾期未撤回") for p in late["withdraw"][:SHOWN]
    ]
    items += [_item(p, "", p.due_on, today, "逾期未公开") for p in late["publish"][:SHOWN]]
    total = late["withdraw"].count() + late["publish"].count()
    return TodoSection(
        title="事后公开逾期",
        items=items[:SHOWN],
        total=total,
        empty="辖区内没有逾期未公开或逾期未撤回的执法决定。",
        citation="国办发〔2018〕118号 二、（六）；行政处罚法第四十八条",
    )


def exemptions(user, assignment) -> TodoSection:
    from zhifa.disclosure.selectors import exemptions_for_user

    rows = exemptions_for_user(user)
    items = [
        TodoItem(
            text=f"{p.agency_name} {p.case_number}",
            url=reverse("disclosure:review", args=[p.public_id]),
            detail=f"{p.get_exempt_reason_display()}：{p.exempt_note[:60]}",
            severity="info",
        )
        for p in rows[:5]
    ]
    return TodoSection(
        title="不予公开的执法决定",
        items=items,
        total=rows.count(),
        empty="辖区内没有不予公开的执法决定。",
    )


register([UNIT_HEAD, AGENCY_HEAD], publication_deadlines)
register([SUPERVISOR], overdue_in_region)
register([SUPERVISOR], exemptions)
register_action(
    [OFFICER, UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER],
    Action("事后公开", "disclosure:queue", "执法决定的去标识化、公开、撤回与更正"),
)
register_action(
    [SUPERVISOR], Action("不予公开清单", "disclosure:exemptions", "辖区内不予公开的执法决定及理由")
)
