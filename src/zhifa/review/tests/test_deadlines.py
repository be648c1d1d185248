"""Review time limits in working days (per agency, defaulting to the local
example in statutes.toml), extension with the head's approval, overdue
requests, and the reviewer's queue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Max

from zhifa.cases.errors import InvalidInput, TransitionRefused
from zhifa.review import gate, selectors, services
from zhifa.review.models import ReviewRequest
from zhifa.review.tests import factories as rf
from zhifa.workdays.calendar import WorkCalendar
from zhifa.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db


def test_the_due_date_counts_working_days_from_submission(rw):
    case = rf.major_case(rw)
    submitted = rf.days_ago(10)
    request = rf.submit(rw, case, today=submitted)
    assert request.time_limit_days == 7
    assert "review" not in request.time_limit_basis  # the rule's citation, not its id
    assert "地方示例" in request.time_limit_basis
    assert request.due_on == WorkCalendar().add_working_days(submitted, 7)


def test_the_agency_sets_its_own_time_limit(rw):
    with pytest.raises(TransitionRefused):
        services.policy_set(actor=rw.legal_head, agency=rw.agency, time_limit_working_days=10)
    with pytest.raises(InvalidInput) as exc:
        services.policy_set(actor=rw.head, agency=rw.agency, time_limit_working_days=10)
    assert "依据" in exc.value.errors["time_limit_working_days"][0]
    services.policy_set(
        actor=rw.head,
        agency=rw.agency,
        time_limit_working_days=10,
        time_limit_basis="本局重大执法决定法制审核办法第十二条",
    )
    policy = selectors.policy_for(rw.agency)
    assert policy.time_limit_days == 10 and policy.time_limit_basis.startswith("本机关规定")
    assert policy.extension_max_days == 3  # still the rule's
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    assert request.time_limit_days == 10
    assert request.due_on == WorkCalendar().add_working_days(request.submitted_on, 10)


def test_extension_needs_the_head_and_stays_within_the_maximum(rw):
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    with pytest.raises(TransitionRefused) as exc:
        services.review_extend(actor=rw.legal_head, request=request, days=2, reason="案情复杂")
    assert exc.value.guards == ["role"]
    with pytest.raises(TransitionRefused) as exc:
        services.review_extend(actor=rw.head, request=request, days=4, reason="案情复杂")
    assert exc.value.guards == ["extend_max"]
    assert "最多延长3个工作日" in exc.value.messages[0]
    assert "REV-03" in exc.value.refusals[0].citation
    with pytest.raises(InvalidInput) as exc:
        services.review_extend(actor=rw.head, request=request, days=0, reason="")
    assert set(exc.value.errors) == {"days", "reason"}
    request = services.review_extend(
        actor=rw.head, request=request, days=3, reason="涉及多个法律关系，需征求专家意见。"
    )
    assert request.extended_due_on == WorkCalendar().add_working_days(request.due_on, 3)
    assert request.effective_due == request.extended_due_on
    with pytest.raises(TransitionRefused) as exc:
        services.review_extend(actor=rw.head, request=request, days=1, reason="再延")
    assert exc.value.guards == ["extend_once"]
    due = request.extended_due_on
    assert f"应于{due.year}年{due.month}月{due.day}日前完成" in gate.status(case, "x").detail


def test_a_year_without_its_calendar_leaves_the_due_date_open_until_loaded(rw):
    last = CalendarYear.objects.aggregate(Max("year"))["year__max"]
    due, note = selectors.due_after(date(last, 12, 28), 7)
    assert due is None and note == f"{last + 1}年工作日安排尚未录入，届满日待录入后确定。"
    # A request stored without a due date gets one when it is assigned.
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    ReviewRequest.objects.filter(pk=request.pk).update(due_on=None, due_note=note)
    request.refresh_from_db()
    assert "完成期限待定" not in gate.status(case, "x").detail
    assert "届满日待录入后确定" in gate.status(case, "x").detail
    request = services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.reviewer)
    assert request.due_on == WorkCalendar().add_working_days(request.submitted_on, 7)
    assert request.due_note == ""


def test_overdue_requests_and_the_reviewer_queue(rw):
    w = rw.w
    late_case = rf.major_case(rw, start=30)
    late = rf.submit(rw, late_case, today=rf.days_ago(25))
    late = services.review_assign(actor=rw.legal_head, request=late, reviewer=rw.reviewer)
    waiting_case = rf.major_case(rw, start=18)
    waiting = rf.submit(rw, waiting_case)
    assert [r.pk for r in selectors.overdue_requests(rw.agency)] == [late.pk]

    queue = selectors.request_list_for_reviewer(rw.reviewer)
    assert [r.pk for r in queue.assigned] == [late.pk]
    assert [r.pk for r in queue.unassigned] == [waiting.pk]
    # A legal reviewer who handled the case does not see it offered.
    from zhifa.orgs.models import Role
    from zhifa.orgs.tests.factories import grant

    grant(w.users[0], Role.LEGAL_REVIEWER, agency=w.agency, unit=rw.legal_unit)
    assert selectors.request_list_for_reviewer(w.users[0]).unassigned == []
    eligible = dict(selectors.eligible_reviewers(waiting))
    assert eligible[rw.reviewer] == []
    assert [r.guard for r in eligible[rw.novice]] == ["reviewer_qualification"]
    assert "self_review" in [r.guard for r in eligible[w.users[0]]]


def test_staffing_warns_when_reviewers_fall_short_of_the_ratio(rw):
    s = selectors.staffing(rw.agency)
    # Three officers of the world, two legal reviewers registered as officers.
    assert (s.reviewers, s.officers, s.ratio) == (2, 5, Decimal("0.05"))
    assert s.required == 1 and not s.short
    assert "符合要求" in s.message
    assert "未经核实" in s.ratio_basis
    services.policy_set(
        actor=rw.head, agency=rw.agency, reviewer_ratio="0.5", reviewer_ratio_basis="测试：本局规定"
    )
    s = selectors.staffing(rw.agency)
    assert s.required == 3 and s.short
    assert s.message == (
        "法制审核人员2人，执法人员5人，按不少于50%应配备3人，尚缺1人。依据：本机关规定：测试：本局规定"
    )
