"""Reads: the latest run of each job."""

from __future__ import annotations

from zhifa.jobs.models import JobRun


def jobrun_latest(job: str) -> JobRun | None:
    return JobRun.objects.filter(job=job).order_by("-started_at", "-pk").first()


def jobrun_exists(job: str, period: str) -> bool:
    return JobRun.objects.filter(job=job, period=period).exists()
