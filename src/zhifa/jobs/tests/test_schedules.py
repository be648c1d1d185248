"""Periods of the two schedules, in Beijing time (UTC+8 all year, no DST)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.jobs import registry
from zhifa.jobs.registry import Daily, Every

CST = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def test_daily_job_is_in_yesterdays_period_until_its_time():
    expire = Daily(time(0, 10))

    assert expire.period(at("2026-07-14 23:59:59")) == "2026-07-14"
    assert expire.period(at("2026-07-15 00:00:00")) == "2026-07-14"
    assert expire.period(at("2026-07-15 00:09:59.999999")) == "2026-07-14"
    assert expire.period(at("2026-07-15 00:10:00")) == "2026-07-15"
    assert expire.period(at("2026-07-15 23:59:59")) == "2026-07-15"


def test_daily_job_at_midnight_starts_its_period_at_midnight():
    midnight = Daily(time(0, 0))

    assert midnight.period(at("2026-12-31 23:59:59.999999")) == "2026-12-31"
    assert midnight.period(at("2027-01-01 00:00:00")) == "2027-01-01"


def test_daily_period_follows_beijing_time_whatever_zone_now_is_given_in():
    # 16:10 UTC is 00:10 the next day in Beijing.
    expire = Daily(time(0, 10))

    assert expire.period(datetime(2026, 7, 14, 16, 9, tzinfo=UTC)) == "2026-07-14"
    assert expire.period(datetime(2026, 7, 14, 16, 10, tzinfo=UTC)) == "2026-07-15"
    # The night Europe and the United States change their clocks changes nothing.
    for day in ("2026-03-08", "2026-03-29", "2026-10-25", "2026-11-01"):
        start = datetime.fromisoformat(f"{day} 16:10").replace(tzinfo=UTC)
        assert expire.period(start - timedelta(microseconds=1)) == day
        assert expire.period(start) == (start + timedelta(hours=8)).date().isoformat()


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
    ),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
def test_daily_period_is_the_date_of_the_latest_run_time_at_a_fixed_utc_plus_8(now, run_at):
    beijing = now + timedelta(hours=8)  # no daylight saving in China since 1991
    latest = datetime.combine(beijing.date(), run_at, tzinfo=UTC)
    if latest > beijing:
        latest -= timedelta(days=1)
    assert Daily(run_at).period(now) == latest.date().isoformat()


@given(
    st.integers(min_value=1, max_value=86400),
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
    ),
)
def test_interval_periods_are_buckets_of_n_seconds(seconds, now):
    schedule = Every(seconds)
    start = schedule.period_start(now)

    assert start <= now < start + timedelta(seconds=seconds)
    assert schedule.period(start) == schedule.period(now)
    assert schedule.period(start + timedelta(seconds=seconds)) != schedule.period(now)


def test_interval_period_is_readable_beijing_time():
    assert Every(60).period(at("2026-07-15 10:00:59")) == "2026-07-15T10:00:00+0800"
    assert Every(3600).period(at("2026-07-15 10:59:00")) == "2026-07-15T10:00:00+0800"
    assert str(Every(60)) == "每 1 分钟" and str(Daily(time(0, 10))) == "每天 00:10"


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"every": 60, "daily_at": "00:10"},
        {"every": 0},
        {"daily_at": "25:00"},
        {"daily_at": "午夜"},
    ],
)
def test_a_bad_schedule_is_refused(jobs, kwargs):
    with pytest.raises(ValueError):
        registry.register("bad", "错误的任务", func="x.y", **kwargs)


def test_a_name_is_one_job(jobs):
    registry.register("a.job", "任务", func="x.y", every=60)
    registry.register("a.job", "任务", func="x.y", every=60)  # ready() run twice
    with pytest.raises(ValueError, match="已被"):
        registry.register("a.job", "任务", func="x.z", every=60)
    with pytest.raises(KeyError, match=r"no\.such.*a\.job"):
        registry.get("no.such")


def test_the_platform_registers_expiry_daily_and_checkpoints_last():
    names = [job.name for job in registry.jobs()]
    assert names.index("disclosure.expire") < names.index("ledger.checkpoint")
    assert str(registry.get("disclosure.expire").schedule) == "每天 00:10"
    assert isinstance(registry.get("ledger.checkpoint").schedule, Every)
