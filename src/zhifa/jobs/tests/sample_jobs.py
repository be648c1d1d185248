"""Callables for the tests' own jobs, reached by dotted path like real ones."""

from __future__ import annotations

import os
import signal

from django.utils import timezone

from zhifa.jobs import registry
from zhifa.jobs.models import JobRun

calls: list[str] = []


def job(name: str, func: str, **schedule) -> registry.Job:
    """Register one of the functions below as a job."""
    return registry.register(name, f"测试任务 {name}", func=f"{__name__}.{func}", **schedule)


def succeed() -> list[int]:
    calls.append("succeed")
    return [1, 2, 3]


def fail() -> None:
    calls.append("fail")
    raise ValueError("数据有误，无法处理")


def write_then_fail() -> None:
    calls.append("write_then_fail")
    JobRun.objects.create(job="side.effect", period="x", started_at=timezone.now())
    raise RuntimeError("写入后失败")


def terminate_self() -> str:
    """Asks the worker to stop while the job is under way (as `kill` would)."""
    calls.append("terminate_self")
    os.kill(os.getpid(), signal.SIGTERM)
    calls.append("terminate_self finished")
    return "已完成"
