"""Home-page sections about the calendar: coming rest days, and next year's
arrangement that an administrator must enter before deadlines can run into it."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhifa.core.home import TodoItem, TodoSection, register
from zhifa.workdays.models import CalendarDay, CalendarYear, DayKind

# Role names as strings: workdays sits below orgs and does not import it.
ADMIN = "admin"
LOOKAHEAD_DAYS = 45


def upcoming_rest_days(user, assignment) -> TodoSection:
    today = timezone.localdate()
    days = CalendarDay.objects.filter(
        date__gte=today, date__lte=today + timedelta(days=LOOKAHEAD_DAYS)
    ).order_by("date")
    items = []
    for day in days:
        if day.kind == DayKind.MAKEUP_WORKDAY:
            text = f"{day.date:%m月%d日}（周{'一二三四五六日'[day.date.weekday()]}）调休上班"
        elif day.date.weekday() < 5:
            text = f"{day.date:%m月%d日}（周{'一二三四五六日'[day.date.weekday()]}）{day.name}放假"
        else:
            continue  # a weekend rest day changes no working-day count
        items.append(TodoItem(text=text, detail="工作日期限会相应顺延或提前。"))
    # A year whose arrangement is not entered has no rows here: say so rather
    # than "no holidays" (2027-01-01 is 元旦 whatever the notice says).
    end = today + timedelta(days=LOOKAHEAD_DAYS)
    entered = set(
        CalendarYear.objects.filter(year__range=(today.year, end.year)).values_list(
            "year", flat=True
        )
    )
    for year in range(today.year, end.year + 1):
        if year not in entered:
            items.append(
                TodoItem(
                    text=f"{year}年的节假日安排尚未录入，其中的节假日与调休无法列出",
                    detail=f"跨入{year}年的工作日期限暂无法计算，显示为“待录入”。",
                    severity="warn",
                )
            )
    return TodoSection(
        title=f"未来 {LOOKAHEAD_DAYS} 天的节假日与调休",
        items=items,
        empty=f"未来 {LOOKAHEAD_DAYS} 天没有影响工作日计算的节假日安排。",
        citation="国务院办公厅年度节假日安排通知",
    )


def next_year_calendar(user, assignment) -> TodoSection:
    today = timezone.localdate()
    next_year = today.year + 1
    items = []
    if not CalendarYear.objects.filter(year=next_year).exists():
        # The State Council publishes next year's arrangement between late
        # October and early December (rules.md CAL-12).
        items.append(
            TodoItem(
                text=f"{next_year}年的节假日安排尚未录入",
                detail=f"跨入{next_year}年的工作日期限将无法计算。国务院办公厅通常在10月底至12月初发布通知，"
                "发布后请在工作日历中录入。",
                url=reverse("admin:workdays_calendaryear_add") if user.is_staff else "",
                severity="danger" if today.month >= 11 else "warn",
            )
        )
    return TodoSection(
        title="工作日历",
        items=items,
        empty=f"{next_year}年的节假日安排已录入。",
        citation="国务院办公厅每年发布下一年度部分节假日安排的通知",
    )


def register_home_sections() -> None:
    register(None, upcoming_rest_days)
    register([ADMIN], next_year_calendar)
