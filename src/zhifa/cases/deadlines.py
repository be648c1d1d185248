"""Statutory deadlines of a case: started and stopped by transitions.

A deadline whose working-day count or holiday roll-over reaches a year whose
official arrangement is not loaded is still recorded, with `due` left empty
(or without the roll-over) and the reason in `calendar_note`: the platform
never guesses a calendar (rules.md CAL-12). A period a region has not
configured (e.g. 陈述申辩期限, APL-37) is not started; the guards then need
the party's statement or waiver instead.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from zhifa.cases.models import Case, Deadline
from zhifa.rules.registry import get_rule
from zhifa.rules.services import RuleNotConfigured, deadline, rule_value
from zhifa.workdays.calendar import CalendarNotAvailable, add_days


def start(case: Case, code: str, rule_id: str, label: str, on: date) -> Deadline | None:
    region = case.agency.region.code
    values: dict = {"due": None, "outer_limit": None, "calendar_note": ""}
    try:
        d = deadline(rule_id, on, region_code=region)
        values.update(due=d.due, outer_limit=d.outer_limit)
    except RuleNotConfigured:
        return None
    except CalendarNotAvailable as exc:
        rule = get_rule(rule_id)
        values["calendar_note"] = f"{exc.year}年工作日安排尚未录入，届满日待录入后确定。"
        if rule.unit == "calendar_days":
            values["due"] = add_days(on, int(rule_value(rule_id, region_code=region, on_date=on)))
    Deadline.objects.filter(case=case, code=code, stopped_on__isnull=True).update(stopped_on=on)
    return Deadline.objects.create(
        case=case, code=code, label=label, rule=rule_id, started_on=on, **values
    )


def stop(case: Case, code: str, on: date) -> int:
    return Deadline.objects.filter(case=case, code=code, stopped_on__isnull=True).update(
        stopped_on=on
    )


def running(case: Case, code: str) -> Deadline | None:
    return Deadline.objects.filter(case=case, code=code, stopped_on__isnull=True).first()


@cache
def _whose() -> dict[str, str]:
    from zhifa.procedures import executable

    return {
        start.code: start.party
        for proc in executable()
        for t in proc.transitions
        for start in t.starts
    }


def agency_codes() -> list[str]:
    """The codes of the deadlines that are the agency's own duty."""
    return sorted(code for code, party in _whose().items() if not party)


def whose(code: str) -> str:
    """ "" the agency's duty, "right" a period the party has, "duty" the
    party's obligation (`DeadlineStart.party`)."""
    return _whose().get(code, "")


def status(d: Deadline, today: date) -> str:
    """The colour on the lists: ok / soon / overdue (the agency is late) /
    lapsed (the party's period has run out: the case may go on) /
    party_overdue (the party has not done what it must) / done / unknown."""
    if d.stopped_on:
        return "done"
    due = d.effective_due
    if due is None:
        return "unknown"
    kind = whose(d.code)
    if today > due:
        return {"right": "lapsed", "duty": "party_overdue"}.get(kind, "overdue")
    if kind == "right":
        return "ok"  # the party's time: nothing for the agency to hurry
    if (due - today).days <= max(3, (due - d.started_on).days // 5):
        return "soon"
    return "ok"
