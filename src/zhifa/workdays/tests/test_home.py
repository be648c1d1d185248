import datetime as dt

import pytest
import time_machine

from zhifa.orgs.tests.factories import Role, UserFactory, grant, region_tree
from zhifa.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC))
def test_admin_is_told_next_years_calendar_is_missing(client):
    admin = UserFactory()
    grant(admin, Role.ADMIN, region=region_tree()[2])
    client.force_login(admin)
    page = client.get("/staff/").content.decode()
    assert "2027年的节假日安排尚未录入" in page


@time_machine.travel(dt.datetime(2026, 9, 20, 9, 0, tzinfo=dt.UTC))
def test_everyone_sees_coming_rest_and_makeup_days(client):
    client.force_login(UserFactory())
    page = client.get("/staff/").content.decode()
    # 2026-09-25 中秋节 (a Friday off) and 2026-10-10 (Saturday, a make-up working day).
    assert "09月25日（周五）中秋节放假" in page
    assert "10月10日（周六）调休上班" in page


@time_machine.travel(dt.datetime(2025, 11, 22, 9, 0, tzinfo=dt.UTC))
def test_no_calendar_warning_once_next_year_is_loaded(client):
    assert CalendarYear.objects.filter(year=2026).exists()
    admin = UserFactory()
    grant(admin, Role.ADMIN, region=region_tree()[2])
    client.force_login(admin)
    assert "2026年的节假日安排已录入" in client.get("/staff/").content.decode()


@time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC))
def test_coming_days_say_when_next_years_arrangement_is_missing(client):
    # 45 days from 2026-11-22 reach into 2027, whose arrangement is not loaded:
    # the section must not claim there is no holiday ahead (元旦 is).
    assert not CalendarYear.objects.filter(year=2027).exists()
    client.force_login(UserFactory())
    page = client.get("/staff/").content.decode()
    assert "2027年的节假日安排尚未录入，其中的节假日与调休无法列出" in page
    assert "没有影响工作日计算的节假日安排" not in page
