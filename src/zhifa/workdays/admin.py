"""Admin for the working-day calendar (系统管理 › 工作日历).

This is where an administrator enters the State Council's arrangement for a new
year (CAL-12). Anything saved here is marked "manual", so `calendar_sync` will
never overwrite it.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from zhifa.workdays.models import CalendarDay, CalendarSource, CalendarYear, DayKind


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ["date", "kind", "name"]
    extra = 3
    ordering = ["date"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "notice", "holiday_count", "makeup_count", "updated_at"]
    list_filter = ["source"]
    search_fields = ["year", "notice"]
    readonly_fields = ["source", "created_at", "updated_at"]
    fields = ["year", "notice", "source", "created_at", "updated_at"]
    inlines = [CalendarDayInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _holidays=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
                _makeups=Count("days", filter=Q(days__kind=DayKind.MAKEUP_WORKDAY)),
            )
        )

    @admin.display(description="放假天数", ordering="_holidays")
    def holiday_count(self, obj: CalendarYear) -> int:
        return obj._holidays

    @admin.display(description="调休上班天数", ordering="_makeups")
    def makeup_count(self, obj: CalendarYear) -> int:
        return obj._makeups

    def save_model(self, request, obj, form, change):
        # A year entered here is the administrator's word (CAL-12), and an
        # edited year must survive `calendar_sync --refresh`.
        if not change or form.has_changed():
            obj.source = CalendarSource.MANUAL
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and any(fs.has_changed() for fs in formsets):
            obj = form.instance
            if obj.source != CalendarSource.MANUAL:
                obj.source = CalendarSource.MANUAL
                obj.save(update_fields=["source", "updated_at"])
