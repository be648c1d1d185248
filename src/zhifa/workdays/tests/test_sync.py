"""Loading the official calendar: the data migration, `zhifa calendar_sync`, the admin."""

from datetime import date
from io import StringIO

import chinese_calendar
import pytest
from django.core.management import call_command

from zhifa.workdays.models import CalendarDay, CalendarSource, CalendarYear, DayKind
from zhifa.workdays.services import calendar_sync, official_calendar_data

pytestmark = pytest.mark.django_db


def _sync(*args) -> str:
    out = StringIO()
    call_command("calendar_sync", *args, stdout=out)
    return out.getvalue()


def test_migration_loaded_every_year_the_package_covers():
    covered = sorted({d.year for d in chinese_calendar.holidays})
    loaded = list(CalendarYear.objects.values_list("year", flat=True))
    assert loaded == covered
    assert set(CalendarYear.objects.values_list("source", flat=True)) == {"chinese_calendar"}


def test_loaded_days_use_the_chinese_holiday_names():
    names = set(CalendarDay.objects.filter(year__year=2025).values_list("name", flat=True))
    assert names == {"元旦", "春节", "清明节", "劳动节", "端午节", "国庆节", "中秋节"}
    assert CalendarDay.objects.get(date=date(2025, 1, 29)).name == "春节"
    assert CalendarDay.objects.get(date=date(2025, 9, 28)).kind == DayKind.MAKEUP_WORKDAY


def test_2025_notice_is_the_one_rules_md_cites():
    assert "国办发明电〔2024〕12号" in CalendarYear.objects.get(year=2025).notice


def test_sync_with_nothing_new_says_so():
    out = _sync()
    assert "没有需要导入的新年度" in out
    assert "2004–2026" in out or "2004–" in out


def test_sync_loads_a_missing_year():
    CalendarYear.objects.filter(year=2025).delete()
    out = _sync()
    assert "已导入 1 个年度：2025" in out
    assert CalendarDay.objects.filter(year__year=2025).count() == len(
        official_calendar_data()[2025].days
    )


def test_sync_never_overwrites_a_manual_year():
    year = CalendarYear.objects.get(year=2026)
    year.source = CalendarSource.MANUAL
    year.save()
    year.days.filter(date=date(2026, 10, 10)).delete()
    out = _sync("--refresh")
    assert "管理员录入，保持不变" in out and "2026" in out
    assert not CalendarDay.objects.filter(date=date(2026, 10, 10)).exists()


def test_refresh_repairs_a_package_year_that_drifted():
    CalendarDay.objects.filter(date=date(2025, 10, 11)).delete()
    assert calendar_sync().refreshed == []  # without --refresh nothing changes
    out = _sync("--refresh")
    assert "已按软件包数据更新 1 个年度：2025" in out
    assert CalendarDay.objects.get(date=date(2025, 10, 11)).kind == DayKind.MAKEUP_WORKDAY


# Admin (系统管理 › 工作日历).
def test_admin_changelist_shows_counts(admin_client):
    response = admin_client.get("/admin/workdays/calendaryear/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "放假天数" in body and "调休上班天数" in body


def _inline(prefix: str, rows: list[tuple[str, str, str]]) -> dict[str, str]:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, (d, kind, name) in enumerate(rows):
        data.update(
            {f"{prefix}-{i}-date": d, f"{prefix}-{i}-kind": kind, f"{prefix}-{i}-name": name}
        )
    return data


def test_admin_adds_a_year_as_manual(admin_client):
    data = {"year": "2027", "notice": "测试：2027年安排"}
    data.update(_inline("days", [("2027-01-01", "holiday", "元旦")]))
    response = admin_client.post("/admin/workdays/calendaryear/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert year.source == CalendarSource.MANUAL
    assert year.days.get().name == "元旦"


def test_admin_refuses_a_weekday_make_up_day_in_chinese(admin_client):
    data = {"year": "2027", "notice": "测试"}
    data.update(_inline("days", [("2027-01-04", "makeup_workday", "元旦")]))
    response = admin_client.post("/admin/workdays/calendaryear/add/", data)
    assert response.status_code == 200
    assert "调休上班日只能是星期六或星期日" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
