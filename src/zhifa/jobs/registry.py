"""Periodic jobs: what runs, when, and the period each run belongs to.

Apps declare their jobs from AppConfig.ready() with a dotted path to the
callable, so this app imports none of them (like `zhifa.core.home`):

    from zhifa.jobs import registry

    registry.register(
        "disclosure.expire",
        "公示期届满停止公示",
        daily_at="00:10",
        func="zhifa.disclosure.services.publications_expire",
    )

A job runs at most once per period (`JobRun`'s unique job and period). The
period of a schedule at a moment is the one that contains it; a job is due
when its current period has no run yet. So a worker that was stopped catches
up with one run when it starts again, never with one run per missed period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.utils import timezone
from django.utils.module_loading import import_string


def _local(now: datetime) -> datetime:
    # The deployment's zone (settings.TIME_ZONE, Asia/Shanghai: UTC+8 all
    # year, no daylight saving), never a zone a request may have activated.
    return now.astimezone(timezone.get_default_timezone())


@dataclass(frozen=True)
class Every:
    """Every N seconds, in buckets aligned to the Unix epoch."""

    seconds: int

    def __post_init__(self) -> None:
        if not isinstance(self.seconds, int) or self.seconds <= 0:
            raise ValueError(f"任务间隔必须是正整数秒，而不是 {self.seconds!r}。")

    def period_start(self, now: datetime) -> datetime:
        start = int(now.timestamp()) // self.seconds * self.seconds
        return _local(datetime.fromtimestamp(start, UTC))

    def period(self, now: datetime) -> str:
        # The offset keeps keys unique even in a zone with daylight saving.
        return self.period_start(now).strftime("%Y-%m-%dT%H:%M:%S%z")

    def __str__(self) -> str:
        if self.seconds % 3600 == 0:
            return f"每 {self.seconds // 3600} 小时"
        if self.seconds % 60 == 0:
            return f"每 {self.seconds // 60} 分钟"
        return f"每 {self.seconds} 秒"


@dataclass(frozen=True)
class Daily:
    """Every day at a local time; the period is the date of the latest such
    time at or before now (before 00:10, a 00:10 job is still in yesterday's)."""

    at: time

    def period_start(self, now: datetime) -> datetime:
        local = _local(now)
        start = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        return start if start <= local else start - timedelta(days=1)

    def period(self, now: datetime) -> str:
        return self.period_start(now).date().isoformat()

    def __str__(self) -> str:
        return f"每天 {self.at:%H:%M}"


Schedule = Every | Daily


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    schedule: Schedule
    func: str
    # False for a callable that manages its own transactions: one that opens
    # durable blocks (checkpoint signing) or commits each item with its
    # ledger record, so one bad item does not undo the others.
    atomic: bool = True
    # Jobs run in this order, then in the order registered.
    order: int = 0

    def callable(self) -> Callable[[], object]:
        return import_string(self.func)


_jobs: dict[str, Job] = {}


def _parse_daily(at: str) -> time:
    try:
        hour, minute = at.split(":")
        return time(int(hour), int(minute))
    except ValueError:
        raise ValueError(f"每日运行时间“{at}”无效，应为 HH:MM。") from None


def register(
    name: str,
    label: str,
    *,
    func: str,
    every: int | None = None,
    daily_at: str | None = None,
    atomic: bool = True,
    order: int = 0,
) -> Job:
    """Declare a periodic job (from AppConfig.ready()); give exactly one of
    `every` (seconds) or `daily_at` ("HH:MM", local time). In each pass jobs
    run by `order`, then in the order registered."""
    if (every is None) == (daily_at is None):
        raise ValueError(f"任务 {name}：every 与 daily_at 须且只能给出一个。")
    schedule: Schedule = Every(every) if every is not None else Daily(_parse_daily(daily_at))
    job = Job(name=name, label=label, schedule=schedule, func=func, atomic=atomic, order=order)
    known = _jobs.get(name)
    if known is not None and known.func != func:
        raise ValueError(f"任务名 {name} 已被 {known.func} 使用。")
    _jobs[name] = job
    return job


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.order)


def get(name: str) -> Job:
    try:
        return _jobs[name]
    except KeyError:
        known = "、".join(_jobs) or "（无）"
        raise KeyError(f"没有名为 {name} 的后台任务；已登记：{known}") from None
