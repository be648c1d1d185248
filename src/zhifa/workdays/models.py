"""The official working-day calendar (工作日历), kept as data.

A year is *known* only if a `CalendarYear` row exists for it. Its special days
are the State Council's arrangement for that year (rules.md §14, CAL-12): rest
days (放假, including weekday rest days that replace a holiday falling on a
weekend) and make-up working days (调休上班日) on a Saturday or Sunday. Every
other day is a working day if it is Monday to Friday (CAL-07).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class CalendarSource(models.TextChoices):
    CHINESE_CALENDAR = "chinese_calendar", "由 chinesecalendar 软件包导入"
    MANUAL = "manual", "管理员录入"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假（法定节假日或调休休息日）"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班日"


class CalendarYear(models.Model):
    """One year's arrangement, as published by 国务院办公厅 (CAL-12)."""

    # A plausibility bound only (the platform's era), not a legal number.
    year = models.PositiveSmallIntegerField(
        "年度",
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    notice = models.CharField(
        "国务院办公厅通知",
        max_length=200,
        help_text="通知标题及文号，例如：国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
    )
    source = models.CharField(
        "来源",
        max_length=20,
        choices=CalendarSource.choices,
        default=CalendarSource.MANUAL,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "工作日历年度"
        verbose_name_plural = "工作日历年度"
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=CalendarSource.values),
                name="workdays_calendaryear_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday rule, or a listed holiday."""

    date = models.DateField("日期", unique=True)
    year = models.ForeignKey(
        CalendarYear,
        verbose_name="年度",
        on_delete=models.CASCADE,
        related_name="days",
    )
    kind = models.CharField("类型", max_length=20, choices=DayKind.choices)
    name = models.CharField("节日名称", max_length=100, help_text="例如：春节、国庆节")

    class Meta:
        verbose_name = "放假或调休日"
        verbose_name_plural = "放假或调休日"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DayKind.values),
                name="workdays_calendarday_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}（{self.get_kind_display()}）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            calendar_year = self.year
        except CalendarYear.DoesNotExist:
            calendar_year = None
        if self.date and calendar_year is not None and self.date.year != calendar_year.year:
            errors["date"] = (
                f"日期 {self.date.isoformat()} 不在 {calendar_year.year} 年内，"
                f"请录入到 {self.date.year} 年的工作日历中。"
            )
        # A holiday may fall on any day (a weekend holiday is simply recorded);
        # a make-up working day only makes sense on a weekend (CAL-07).
        if self.date and self.kind == DayKind.MAKEUP_WORKDAY and self.date.weekday() < 5:
            weekday = "一二三四五"[self.date.weekday()]
            errors["kind"] = (
                f"{self.date.isoformat()} 是星期{weekday}，本来就是工作日；"
                "调休上班日只能是星期六或星期日。"
            )
        if errors:
            raise ValidationError(errors)
