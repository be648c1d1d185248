from django.apps import AppConfig
from django.db.models.signals import post_migrate


def load_published_years(sender, using="default", **kwargs) -> None:
    """After `migrate` (and after a test flush, which also ends with
    post_migrate), make sure every year the chinesecalendar package publishes
    is in the database. Years an administrator entered are never touched."""
    from django.db import connections

    from zhifa.workdays.models import CalendarYear
    from zhifa.workdays.services import calendar_sync, official_calendar_data

    if "workdays_calendaryear" not in connections[using].introspection.table_names():
        return
    known = set(CalendarYear.objects.using(using).values_list("year", flat=True))
    if set(official_calendar_data()) - known:
        calendar_sync()


class WorkdaysConfig(AppConfig):
    name = "zhifa.workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from zhifa.workdays.home import register_home_sections

        register_home_sections()
        post_migrate.connect(load_published_years, sender=self)
