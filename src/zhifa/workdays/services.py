"""Writes to the working-day calendar, and the calendar functions re-exported.

`calendar_sync` loads the years the installed `chinese_calendar` package covers
into the database. The data migration 0002_load_official_calendar and the
`zhifa calendar_sync` command share it; the migration passes its historical
models, so this function must only use plain model fields and managers.

The workdays app sits below the ledger (architecture.md), so calendar loads
are not written to the ledger; each year keeps its source and timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

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

__all__ = [
    "CalendarNotAvailable",
    "CalendarSyncResult",
    "WorkCalendar",
    "add_days",
    "add_months",
    "add_working_days",
    "add_years",
    "calendar_sync",
    "count_working_days",
    "is_workday",
    "next_workday_on_or_after",
    "official_calendar_data",
    "subtract_working_days",
]

SOURCE_PACKAGE = "chinese_calendar"
SOURCE_MANUAL = "manual"
KIND_HOLIDAY = "holiday"
KIND_MAKEUP = "makeup_workday"

# chinese_calendar's Holiday enum carries short Chinese names (清明, 端午, 中秋);
# use the names of 全国年节及纪念日放假办法 (CAL-10) instead.
_HOLIDAY_NAMES = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "mid_autumn_festival": "中秋节",
    "national_day": "国庆节",
}

# Notice titles and numbers confirmed in rules.md §0.2 / §14.1 / §14.2. Other
# years get the notices' standard title, with a note that the number was not
# checked.
_KNOWN_NOTICES = {
    2025: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
    2026: "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04发布）",
}


def _notice_for(year: int) -> str:
    return _KNOWN_NOTICES.get(
        year,
        f"国务院办公厅关于{year}年部分节假日安排的通知（据 chinesecalendar 数据导入，文号未核对）",
    )


@dataclass(frozen=True)
class OfficialYear:
    year: int
    notice: str
    # (date, kind, name), sorted by date
    days: tuple[tuple[date, str, str], ...]


def _holiday_name(value: object) -> str:
    from chinese_calendar import Holiday

    holiday = value if isinstance(value, Holiday) else Holiday(value)
    return _HOLIDAY_NAMES.get(holiday.name, holiday.chinese)


def official_calendar_data() -> dict[int, OfficialYear]:
    """Every year the installed chinese_calendar package covers, by year.

    All listed holiday dates are kept (weekend ones change nothing but show the
    whole holiday as the notice states it); make-up working days are kept when
    they fall on a weekend, the only case in which they change anything.
    """
    import chinese_calendar

    by_year: dict[int, list[tuple[date, str, str]]] = {}
    for d, value in chinese_calendar.holidays.items():
        by_year.setdefault(d.year, []).append((d, KIND_HOLIDAY, _holiday_name(value)))
    for d, value in chinese_calendar.workdays.items():
        if d.weekday() >= 5:
            by_year.setdefault(d.year, []).append((d, KIND_MAKEUP, _holiday_name(value)))
    return {
        year: OfficialYear(year=year, notice=_notice_for(year), days=tuple(sorted(days)))
        for year, days in sorted(by_year.items())
    }


@dataclass
class CalendarSyncResult:
    added: list[int] = field(default_factory=list)
    refreshed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    kept_manual: list[int] = field(default_factory=list)


def calendar_sync(
    *,
    refresh: bool = False,
    years: list[int] | None = None,
    year_model: Any = None,
    day_model: Any = None,
) -> CalendarSyncResult:
    """Load years from chinese_calendar that the database does not have yet.

    A year entered or edited by an administrator (source "manual") is never
    touched. With `refresh`, years previously imported from the package are
    replaced by the package's current data where it differs (e.g. after an
    upgrade that corrects a year). `year_model`/`day_model` default to the
    app's models; the data migration passes historical ones.
    """
    if year_model is None or day_model is None:
        from zhifa.workdays.models import CalendarDay, CalendarYear

        year_model, day_model = CalendarYear, CalendarDay

    official = official_calendar_data()
    wanted = sorted(official) if years is None else sorted(set(years) & set(official))
    result = CalendarSyncResult()
    with transaction.atomic():
        existing = {row.year: row for row in year_model.objects.filter(year__in=wanted)}
        for year in wanted:
            data = official[year]
            row = existing.get(year)
            if row is None:
                row = year_model.objects.create(
                    year=year, notice=data.notice, source=SOURCE_PACKAGE
                )
                _create_days(day_model, row, data)
                result.added.append(year)
            elif row.source == SOURCE_MANUAL:
                result.kept_manual.append(year)
            elif not refresh:
                result.unchanged.append(year)
            else:
                stored = tuple(row.days.order_by("date").values_list("date", "kind", "name"))
                if stored == data.days:
                    result.unchanged.append(year)
                else:
                    row.days.all().delete()
                    _create_days(day_model, row, data)
                    row.save(update_fields=["updated_at"])
                    result.refreshed.append(year)
    return result


def _create_days(day_model: Any, row: Any, data: OfficialYear) -> None:
    day_model.objects.bulk_create(
        day_model(date=d, kind=kind, name=name, year=row) for d, kind, name in data.days
    )
