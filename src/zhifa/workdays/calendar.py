"""Working-day and calendar-period arithmetic over the official calendar.

The reference algorithm is rules.md §14.3:

* a working day is a make-up working day, or a Monday–Friday that is not a
  rest day of the State Council's arrangement (CAL-07);
* the start day of a period is not counted (CAL-05 (a), 民事诉讼法 第八十五条);
* if the last day of a calendar period is a rest day, the period ends on the
  first working day after it (CAL-05 (b)); the platform alerts on the raw date
  and keeps the rolled-over date as the legal outer limit (CAL-08).

The calendar never guesses: a date in a year without a `CalendarYear` row
raises `CalendarNotAvailable` (rules.md §15.1 item 19, CAL-12), even for a
weekend.

Each public function builds a `WorkCalendar`, which loads every year it needs
once (one query per year), so `add_working_days(d, 90)` costs one or two
queries. Code that computes many dates in one request may share an instance.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# Where an administrator enters a year's arrangement (admin site header and
# this app's verbose name).
ADMIN_PATH = "系统管理 › 工作日历"


class CalendarNotAvailable(ValueError):
    """The official arrangement of a year has not been entered."""

    def __init__(self, year: int, context: str = "") -> None:
        self.year = year
        self.context = context
        super().__init__(
            f"{context}{year}年的工作日历尚未录入：系统没有国务院办公厅关于{year}年"
            f"部分节假日安排的通知，不能确定哪些日子是工作日，也不会按周末推测。"
            f"请管理员在“{ADMIN_PATH}”中录入{year}年的放假和调休安排后再试。"
        )


@dataclass(frozen=True)
class _YearDays:
    rest_days: frozenset[date]
    makeup_workdays: frozenset[date]


def _check_date(d: object) -> date:
    # A datetime is a date subclass; refuse it so that a time zone slip
    # cannot silently shift a deadline by one day.
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"需要 datetime.date 类型的日期，收到的是 {type(d).__name__}。")
    return d


def _check_count(n: object, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what}必须是整数，收到的是 {type(n).__name__}。")
    return n


class WorkCalendar:
    """A per-call view of the calendar: each needed year is loaded once."""

    def __init__(self) -> None:
        self._years: dict[int, _YearDays | None] = {}

    def _year(self, year: int) -> _YearDays:
        if year not in self._years:
            self._years[year] = self._load(year)
        days = self._years[year]
        if days is None:
            raise CalendarNotAvailable(year)
        return days

    @staticmethod
    def _load(year: int) -> _YearDays | None:
        from zhifa.workdays.models import CalendarYear, DayKind

        # One query: the year row joined to its days ((year, None, None) for a
        # known year without special days; no row at all for an unknown year).
        rows = list(
            CalendarYear.objects.filter(year=year).values_list("year", "days__date", "days__kind")
        )
        if not rows:
            return None
        rest = frozenset(d for _, d, k in rows if d is not None and k == DayKind.HOLIDAY)
        makeup = frozenset(d for _, d, k in rows if d is not None and k == DayKind.MAKEUP_WORKDAY)
        return _YearDays(rest_days=rest, makeup_workdays=makeup)

    def is_workday(self, d: date) -> bool:
        d = _check_date(d)
        days = self._year(d.year)
        if d in days.makeup_workdays:
            return True
        return d.weekday() < 5 and d not in days.rest_days

    def add_working_days(self, start: date, n: int) -> date:
        start = _check_date(start)
        n = _check_count(n, "工作日数")
        if n < 0:
            raise ValueError(
                f"工作日数不能为负数（收到 {n}）；向前倒数请用 subtract_working_days。"
            )
        d = start
        while n > 0:
            d += timedelta(days=1)
            if self.is_workday(d):
                n -= 1
        return d

    def subtract_working_days(self, start: date, n: int) -> date:
        start = _check_date(start)
        n = _check_count(n, "工作日数")
        if n < 0:
            raise ValueError(f"工作日数不能为负数（收到 {n}）。")
        d = start
        while n > 0:
            d -= timedelta(days=1)
            if self.is_workday(d):
                n -= 1
        return d

    def next_workday_on_or_after(self, d: date) -> date:
        d = _check_date(d)
        while not self.is_workday(d):
            d += timedelta(days=1)
        return d

    def count_working_days(self, after: date, through: date) -> int:
        """Working days in the interval (after, through]."""
        after, through = _check_date(after), _check_date(through)
        count = 0
        d = after + timedelta(days=1)
        while d <= through:
            count += self.is_workday(d)
            d += timedelta(days=1)
        return count


def is_workday(d: date) -> bool:
    """Whether `d` is a working day under the official arrangement (CAL-07)."""
    return WorkCalendar().is_workday(d)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (start not counted, CAL-05); n >= 0."""
    return WorkCalendar().add_working_days(start, n)


def subtract_working_days(start: date, n: int) -> date:
    """The n-th working day before `start` (start not counted); n >= 0.

    For "at least N days before" periods, e.g. 行政处罚法 第六十四条: notify the
    hearing 7 working days before it is held.
    """
    return WorkCalendar().subtract_working_days(start, n)


def next_workday_on_or_after(d: date) -> date:
    """CAL-05 roll-over: `d` if it is a working day, else the first one after."""
    return WorkCalendar().next_workday_on_or_after(d)


def count_working_days(after: date, through: date) -> int:
    """Number of working days in (after, through]."""
    return WorkCalendar().count_working_days(after, through)


def add_days(start: date, n: int) -> date:
    """Plain calendar arithmetic; needs no calendar."""
    return _check_date(start) + timedelta(days=_check_count(n, "天数"))


def add_months(start: date, n: int) -> date:
    """Same day number n months later, clamped to the month's last day.

    Civil-law convention for periods counted in months (民法典 第二百零二条:
    没有对应日的，月末日为期间的最后一日 — not in rules.md, cited for the
    method only): 2025-01-31 + 1 month = 2025-02-28.
    """
    start = _check_date(start)
    n = _check_count(n, "月数")
    months = start.year * 12 + (start.month - 1) + n
    year, month = divmod(months, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise ValueError(f"计算结果超出可表示的日期范围（{start.isoformat()} 加 {n} 个月）。")
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def add_years(start: date, n: int) -> date:
    """Same month and day n years later; 02-29 becomes 02-28 in a common year."""
    return add_months(start, 12 * _check_count(n, "年数"))
