"""Working-day arithmetic against rules.md §14 (the 2025 and 2026 arrangements)."""

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError

from zhifa.workdays.calendar import (
    CalendarNotAvailable,
    WorkCalendar,
    add_days,
    add_months,
    add_working_days,
    add_years,
    count_working_days,
    is_workday,
    next_workday_on_or_after,
    subtract_working_days,
)
from zhifa.workdays.models import CalendarDay, CalendarSource, CalendarYear, DayKind

pytestmark = pytest.mark.django_db


def _dates(year: int) -> list[date]:
    d, out = date(year, 1, 1), []
    while d.year == year:
        out.append(d)
        d += timedelta(days=1)
    return out


def _weekday_rest_days(year: int) -> list[str]:
    cal = WorkCalendar()
    return [d.strftime("%m-%d") for d in _dates(year) if d.weekday() < 5 and not cal.is_workday(d)]


# rules.md §14.1 and §14.2, "Weekday rest days".
REST_2025 = [
    "01-01",
    "01-28",
    "01-29",
    "01-30",
    "01-31",
    "02-03",
    "02-04",
    "04-04",
    "05-01",
    "05-02",
    "05-05",
    "06-02",
    "10-01",
    "10-02",
    "10-03",
    "10-06",
    "10-07",
    "10-08",
]
REST_2026 = [
    "01-01",
    "01-02",
    "02-16",
    "02-17",
    "02-18",
    "02-19",
    "02-20",
    "02-23",
    "04-06",
    "05-01",
    "05-04",
    "05-05",
    "06-19",
    "09-25",
    "10-01",
    "10-02",
    "10-05",
    "10-06",
    "10-07",
]


def test_weekday_rest_days_match_the_2025_notice():
    assert _weekday_rest_days(2025) == REST_2025


def test_weekday_rest_days_match_the_2026_notice():
    assert _weekday_rest_days(2026) == REST_2026


@pytest.mark.parametrize("year", [2025, 2026])
def test_each_year_has_248_working_days(year):
    # rules.md §14.1 / §14.2: "Total working days = 248 (computed)".
    assert count_working_days(date(year - 1, 12, 31), date(year, 12, 31)) == 248


@pytest.mark.parametrize(
    "makeup",
    [
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ],
)
def test_make_up_weekend_days_are_working_days(makeup):
    d = date.fromisoformat(makeup)
    assert d.weekday() >= 5
    assert is_workday(d)


def test_is_workday_agrees_with_chinese_calendar_for_every_covered_date():
    cal = WorkCalendar()
    years = sorted({d.year for d in chinese_calendar.holidays})
    mismatches = [
        d
        for year in years
        for d in _dates(year)
        if cal.is_workday(d) != chinese_calendar.is_workday(d)
    ]
    assert years[0] == 2004 and years[-1] >= 2026
    assert mismatches == []


# rules.md §14.3 worked examples (working days; start day not counted).
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2025-09-26", 7, "2025-10-13"),  # GB118-05, counts 09-28 and 10-11
        ("2025-09-26", 20, "2025-10-30"),  # GB118-04
        ("2026-02-12", 7, "2026-02-28"),  # across Spring Festival, ends on a make-up Saturday
        ("2026-09-24", 3, "2026-09-30"),  # APL-14, 09-25 is a holiday
        ("2025-04-30", 5, "2025-05-12"),  # ALL-03
        ("2026-09-30", 7, "2026-10-15"),  # across National Day 2026
    ],
)
def test_worked_examples_in_working_days(start, n, expected):
    assert add_working_days(date.fromisoformat(start), n) == date.fromisoformat(expected)


# rules.md §14.3 worked examples (calendar days: raw date, then CAL-05 roll-over).
@pytest.mark.parametrize(
    ("start", "n", "raw", "outer"),
    [
        ("2025-09-20", 15, "2025-10-05", "2025-10-09"),  # APL-31 fine payment
        ("2025-03-10", 90, "2025-06-08", "2025-06-09"),  # APL-25 decision
        ("2026-01-20", 30, "2026-02-19", "2026-02-24"),  # ACL-07 seizure
    ],
)
def test_worked_examples_in_calendar_days(start, n, raw, outer):
    raw_due = add_days(date.fromisoformat(start), n)
    assert raw_due == date.fromisoformat(raw)
    assert next_workday_on_or_after(raw_due) == date.fromisoformat(outer)


def test_roll_over_keeps_a_working_day():
    assert next_workday_on_or_after(date(2026, 2, 28)) == date(2026, 2, 28)  # make-up Saturday


def test_zero_working_days_is_the_start_day():
    assert add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 1)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError, match="不能为负数"):
        add_working_days(date(2025, 10, 1), -1)


def test_datetime_is_refused_to_avoid_time_zone_slips():
    with pytest.raises(TypeError, match=r"datetime\.date"):
        is_workday(datetime(2025, 10, 9, 12, 0))


def test_subtract_working_days_counts_back_over_holidays():
    # 7 working days before Mon 2026-10-12: 10-10 (make-up Sat), 10-09, 10-08, 09-30,
    # 09-29, 09-28, 09-24 (09-25..27 are the Mid-Autumn holiday).
    assert subtract_working_days(date(2026, 10, 12), 7) == date(2026, 9, 24)


def test_add_working_days_loads_each_year_once(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert add_working_days(date(2025, 3, 10), 90) > date(2025, 3, 10)
    with django_assert_max_num_queries(2):
        add_working_days(date(2025, 11, 20), 90)  # runs into 2026


# Calendar months and years: same day number, clamped to the month end.
@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-08-31", 6, "2026-02-28"),
        ("2025-03-10", 3, "2025-06-10"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2026-03-31", -1, "2026-02-28"),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(expected)


def test_add_years_moves_29_february_to_28_february():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2025, 6, 30), 2) == date(2027, 6, 30)


def test_plain_calendar_arithmetic_needs_no_calendar(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert add_days(date(2027, 12, 25), 10) == date(2028, 1, 4)
        assert add_months(date(2027, 12, 25), 3) == date(2028, 3, 25)


# An unknown year is refused, never guessed (rules.md §15.1 item 19, CAL-12).
def test_unknown_year_is_refused_even_for_a_weekend():
    with pytest.raises(CalendarNotAvailable) as excinfo:
        is_workday(date(2027, 1, 2))  # a Saturday
    message = str(excinfo.value)
    assert "2027年的工作日历尚未录入" in message
    assert "系统管理 › 工作日历" in message
    assert excinfo.value.year == 2027
    assert isinstance(excinfo.value, ValueError)


def test_counting_into_an_unknown_year_is_refused():
    with pytest.raises(CalendarNotAvailable, match="2027"):
        add_working_days(date(2026, 12, 24), 7)


def test_2027_is_answered_once_its_arrangement_is_entered():
    with pytest.raises(CalendarNotAvailable):
        add_working_days(date(2026, 12, 30), 2)
    # Test data only: 元旦 on 1 January (CAL-10) — not the real 2027 notice.
    year = CalendarYear.objects.create(year=2027, notice="测试用安排", source=CalendarSource.MANUAL)
    CalendarDay.objects.create(year=year, date=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    # 2026-12-30 (Wed) + 2: 12-31 (Thu), [01-01 holiday, 01-02/03 weekend], 01-04 (Mon).
    assert add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)
    assert not is_workday(date(2027, 1, 1))
    assert not is_workday(date(2027, 1, 2))


def test_a_known_year_without_special_days_is_plain_monday_to_friday():
    CalendarYear.objects.create(year=2030, notice="测试", source=CalendarSource.MANUAL)
    assert is_workday(date(2030, 1, 1))  # a Tuesday, nothing entered
    assert not is_workday(date(2030, 1, 5))


def test_a_manual_edit_changes_the_answer():
    year = CalendarYear.objects.get(year=2026)
    before = add_working_days(date(2026, 3, 27), 1)
    assert before == date(2026, 3, 30)
    CalendarDay.objects.create(
        year=year, date=date(2026, 3, 30), kind=DayKind.HOLIDAY, name="测试假日"
    )
    assert not is_workday(date(2026, 3, 30))
    assert add_working_days(date(2026, 3, 27), 1) == date(2026, 3, 31)
    CalendarDay.objects.create(
        year=year, date=date(2026, 3, 28), kind=DayKind.MAKEUP_WORKDAY, name="测试调休"
    )
    assert add_working_days(date(2026, 3, 27), 1) == date(2026, 3, 28)


# Model validation.
def test_make_up_workday_on_a_weekday_is_refused_in_chinese():
    year = CalendarYear.objects.get(year=2026)
    day = CalendarDay(year=year, date=date(2026, 3, 4), kind=DayKind.MAKEUP_WORKDAY, name="测试")
    with pytest.raises(ValidationError) as excinfo:
        day.full_clean()
    assert "调休上班日只能是星期六或星期日" in str(excinfo.value.message_dict["kind"])


def test_day_outside_its_year_is_refused():
    year = CalendarYear.objects.get(year=2026)
    day = CalendarDay(year=year, date=date(2025, 12, 31), kind=DayKind.HOLIDAY, name="测试")
    with pytest.raises(ValidationError) as excinfo:
        day.full_clean()
    assert "不在 2026 年内" in str(excinfo.value.message_dict["date"])


def test_holiday_may_fall_on_a_weekend_or_weekday():
    year = CalendarYear.objects.create(year=2031, notice="测试", source=CalendarSource.MANUAL)
    CalendarDay(year=year, date=date(2031, 1, 4), kind=DayKind.HOLIDAY, name="测试").full_clean()
    CalendarDay(year=year, date=date(2031, 1, 6), kind=DayKind.HOLIDAY, name="测试").full_clean()
