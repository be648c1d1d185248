"""Properties of working-day arithmetic over every loaded year (2004 – 2026)."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.workdays.calendar import WorkCalendar, add_months, add_years

# Starts up to 2026-11-30 leave room for 20 working days inside the known years.
starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 11, 30))
counts = st.integers(min_value=0, max_value=10)

quick = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def cal(django_db_setup, django_db_blocker):
    # One calendar for the whole module: every year is read once, so the
    # properties run on memory.
    with django_db_blocker.unblock():
        calendar = WorkCalendar()
        for year in range(2004, 2027):
            calendar.is_workday(date(year, 1, 1))
    return calendar


@quick
@given(start=starts, n=st.integers(min_value=1, max_value=20))
def test_result_is_a_working_day_strictly_after_start(cal, start, n):
    due = cal.add_working_days(start, n)
    assert due > start
    assert cal.is_workday(due)


@quick
@given(start=starts, n=st.integers(min_value=0, max_value=19))
def test_monotone_in_n(cal, start, n):
    assert cal.add_working_days(start, n) < cal.add_working_days(start, n + 1)


@quick
@given(start=starts, m=counts, n=counts)
def test_additive(cal, start, m, n):
    assert cal.add_working_days(start, m + n) == cal.add_working_days(
        cal.add_working_days(start, m), n
    )


@quick
@given(start=starts, n=st.integers(min_value=0, max_value=20))
def test_counts_exactly_n_working_days(cal, start, n):
    due = cal.add_working_days(start, n)
    assert cal.count_working_days(start, due) == n
    # and no earlier day would do
    if n > 0:
        assert cal.count_working_days(start, due - timedelta(days=1)) == n - 1


@quick
@given(
    start=st.dates(min_value=date(2004, 3, 1), max_value=date(2026, 11, 30)),
    n=st.integers(min_value=1, max_value=20),
)
def test_subtract_inverts_add_on_working_days(cal, start, n):
    start = cal.next_workday_on_or_after(start)
    assert cal.subtract_working_days(cal.add_working_days(start, n), n) == start


@quick
@given(start=starts, n=st.integers(min_value=-120, max_value=120))
def test_add_months_keeps_the_day_or_clamps_to_month_end(start, n):
    due = add_months(start, n)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == n
    if due.day != start.day:
        assert due.day < start.day
        assert (due + timedelta(days=1)).day == 1  # clamped to the month's last day


@quick
@given(start=starts, n=st.integers(min_value=0, max_value=30))
def test_add_years_is_twelve_months(start, n):
    assert add_years(start, n) == add_months(start, 12 * n)
