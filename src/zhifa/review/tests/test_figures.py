"""The figures per agency add up: every round counted once, every opinion
timed or explained, every problems opinion under at least one point."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from zhifa.review import selectors, services
from zhifa.review.tests import factories as rf
from zhifa.workdays.calendar import WorkCalendar

pytestmark = pytest.mark.django_db


def test_figures_add_up(rw):
    today = timezone.localdate()
    cal = WorkCalendar()
    # A: problems at round 1 (submitted 25 days ago, opinion today), agreed at round 2.
    a = rf.major_case(rw, start=30)
    a1 = rf.submit(rw, a, today=rf.days_ago(25))
    rf.problems(rw, a1, points=("law", "facts"))
    rf.agree(rw, rf.submit(rw, a, response="已补充。"))
    # B: agreed at round 1 (submitted 3 days ago).
    b = rf.major_case(rw, start=19)
    rf.agree(rw, rf.submit(rw, b, today=rf.days_ago(3)))
    # C: returned as incomplete.
    c = rf.major_case(rw, start=18)
    services.review_return(
        actor=rw.legal_head, request=rf.submit(rw, c), missing=["evidence"], note="缺证据。"
    )
    # D: still waiting, and late (submitted 24 days ago).
    d = rf.major_case(rw, start=28)
    rf.submit(rw, d, today=rf.days_ago(24))

    figs = selectors.figures(rw.agency, rf.days_ago(30), today)
    assert figs.requests == 5 and figs.cases == 4
    assert (figs.returned, figs.pending, figs.agreed, figs.problems) == (1, 1, 2, 1)
    assert figs.requests == figs.returned + figs.pending + figs.agreed + figs.problems
    assert figs.opinions == figs.timed + figs.untimed == 3
    assert (figs.first_rounds, figs.agreed_first_round) == (2, 1)
    assert figs.first_round_agree_rate == Decimal("0.500")
    assert figs.problems_by_point["law"] == 1 and figs.problems_by_point["facts"] == 1
    assert sum(figs.problems_by_point.values()) >= figs.problems
    assert len(figs.problems_by_point) == 8
    expected = sorted(
        [
            cal.count_working_days(rf.days_ago(25), today),
            0,
            cal.count_working_days(rf.days_ago(3), today),
        ]
    )
    assert sorted(figs.review_days) == expected
    assert figs.average_days == (Decimal(sum(expected)) / 3).quantize(Decimal("0.1"))
    assert figs.p90_days == expected[-1]
    # A1 was given its opinion after its due date; D is still waiting past it.
    assert (figs.overdue_concluded, figs.overdue_open) == (1, 1)
    assert figs.overdue == 2
    # A period that starts after every submission counts nothing.
    empty = selectors.figures(rw.agency, today.replace(year=today.year + 1), today)
    assert empty.requests == 0 and empty.average_days is None and empty.p90_days is None
