"""Running due jobs: at most once per period, each in its own transaction,
every outcome recorded in `JobRun`, a failure never stopping the loop.

Used by `zhifa worker` (production, or cron with `--once`) and by the demo's
server, which runs the same loop in a thread.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol

from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from zhifa.jobs import registry, selectors
from zhifa.jobs.models import JobRun
from zhifa.jobs.registry import Every, Job

logger = logging.getLogger("zhifa.jobs")

DEFAULT_INTERVAL = 30.0
DETAIL_MAX = 4000

Report = Callable[[Job, JobRun], None]


class Stop(Protocol):
    def is_set(self) -> bool: ...
    def wait(self, timeout: float) -> bool: ...


class StopFlag:
    """A stop request that a signal handler may set.

    threading.Event is not safe there: its set() takes a lock the
    interrupted main thread may be holding inside wait(), and deadlocks
    (the hang seen with django-q2 in stack.md §7). This flag takes no lock
    and is polled twice a second while waiting."""

    def __init__(self) -> None:
        self._set = False

    def set(self) -> None:
        self._set = True

    def is_set(self) -> bool:
        return self._set

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self._set:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            time.sleep(min(remaining, 0.5))
        return self._set


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def default_interval(jobs: Iterable[Job] | None = None) -> float:
    """30 seconds, or the shortest interval job's period if that is shorter."""
    seconds = [
        job.schedule.seconds
        for job in (registry.jobs() if jobs is None else jobs)
        if isinstance(job.schedule, Every)
    ]
    return float(min([DEFAULT_INTERVAL, *seconds]))


def run_job(job: Job, *, now: datetime | None = None) -> JobRun | None:
    """Run `job` if its current period has no run yet; None if it had one
    (here or in another worker)."""
    period = job.schedule.period(now or timezone.now())
    # Look first, so an idle worker does not fill the server log with
    # unique-violation errors every few seconds; the insert below decides.
    if selectors.jobrun_exists(job.name, period):
        return None
    try:
        with transaction.atomic():
            run = JobRun.objects.create(
                job=job.name, period=period, started_at=timezone.now(), worker=worker_id()
            )
    except IntegrityError:
        return None  # another worker won the race for this period
    run.ok, run.detail = _execute(job)
    run.finished_at = timezone.now()
    _finish(run)
    return run


def run_due(
    *,
    names: Iterable[str] | None = None,
    now: datetime | None = None,
    stop: Stop | None = None,
    report: Report | None = None,
) -> list[JobRun]:
    """Run every due job (or only those named), one after another; stop
    between two jobs when asked."""
    jobs = [registry.get(name) for name in names] if names else registry.jobs()
    runs = []
    for job in jobs:
        if stop is not None and stop.is_set():
            break
        run = run_job(job, now=now)
        if run is not None:
            runs.append(run)
            if report is not None:
                report(job, run)
    return runs


def run_forever(
    *,
    stop: Stop,
    interval: float | None = None,
    names: Iterable[str] | None = None,
    report: Report | None = None,
) -> None:
    """Run due jobs every `interval` seconds until `stop` is set; the job
    under way when it is set is finished first."""
    names = list(names or [])
    if interval is None:
        interval = default_interval([registry.get(n) for n in names] if names else None)
    while not stop.is_set():
        try:
            run_due(names=names, stop=stop, report=report)
        except Exception:
            # The database may be down or restarting: say so, try again later.
            logger.exception("后台任务调度出错，%g 秒后重试", interval)
        finally:
            if not connection.in_atomic_block:
                close_old_connections()
        stop.wait(interval)


def _execute(job: Job) -> tuple[bool, str]:
    try:
        func = job.callable()
        if job.atomic:
            with transaction.atomic():
                result = func()
        else:
            result = func()
    except Exception as exc:
        logger.exception("后台任务 %s（%s）运行失败", job.name, job.label)
        return False, _failure(exc)
    return True, _summary(result)


def _failure(exc: Exception) -> str:
    # The message first: services raise their errors in Chinese.
    message = str(exc) or type(exc).__name__
    trace = "".join(traceback.format_exception(exc))
    return f"{message}\n\n{trace[-DETAIL_MAX:]}"


def _summary(result: object) -> str:
    if result is None:
        return ""
    if isinstance(result, str):
        return result[:DETAIL_MAX]
    if hasattr(result, "__len__"):
        count = len(result)  # type: ignore[arg-type]
        return f"处理 {count} 项" if count else "没有需要处理的事项"
    return str(result)[:DETAIL_MAX]


def _finish(run: JobRun) -> None:
    fields = {"finished_at": run.finished_at, "ok": run.ok, "detail": run.detail}
    for attempt in (1, 2):
        try:
            JobRun.objects.filter(pk=run.pk).update(**fields)
            return
        except DatabaseError:
            if attempt == 2 or connection.in_atomic_block:
                # The run stays visibly unfinished; the log has the cause.
                logger.exception("无法记录后台任务 %s 的运行结果", run.job)
                return
            connection.close()  # a lost connection: reconnect once
