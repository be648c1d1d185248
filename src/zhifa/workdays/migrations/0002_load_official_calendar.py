"""Data migration: load the official calendars the chinese_calendar package covers.

Shares `zhifa.workdays.services.calendar_sync` with `zhifa calendar_sync`;
years already present (e.g. entered by an administrator) are left alone.
"""

from django.db import migrations


def load(apps, schema_editor):
    from zhifa.workdays.services import calendar_sync

    calendar_sync(
        year_model=apps.get_model("workdays", "CalendarYear"),
        day_model=apps.get_model("workdays", "CalendarDay"),
    )


def unload(apps, schema_editor):
    # Only what this migration could have loaded; manual years stay.
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    CalendarYear.objects.filter(source="chinese_calendar").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workdays", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
