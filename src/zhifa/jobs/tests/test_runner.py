"""The runner: once per period, failures recorded, the loop never dies."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import OperationalError, connection

from zhifa.jobs import runner
from zhifa.jobs.models import JobRun
from zhifa.jobs.tests.sample_jobs import job

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_job_runs_once_per_period(jobs):
    job("sample.daily", "succeed", daily_at="00:10")

    first = runner.run_due(now=NOW)
    again = runner.run_due(now=NOW + timedelta(hours=13))  # 23:00, same day

    assert [run.job for run in first] == ["sample.daily"] and again == []
    assert jobs == ["succeed"]
    run = JobRun.objects.get()
    assert (run.period, run.ok, run.detail) == ("2026-07-15", True, "处理 3 项")
    assert run.finished_at is not None and run.worker

    runner.run_due(now=NOW + timedelta(days=1))
    assert jobs == ["succeed", "succeed"]
    assert list(JobRun.objects.values_list("period", flat=True)) == ["2026-07-16", "2026-07-15"]


def test_the_loser_of_a_race_skips_the_job(jobs, monkeypatch):
    sample = job("sample.minute", "succeed", every=60)
    JobRun.objects.create(job="sample.minute", period=sample.schedule.period(NOW), started_at=NOW)
    # Both workers looked before either inserted.
    monkeypatch.setattr(runner.selectors, "jobrun_exists", lambda job, period: False)

    assert runner.run_job(sample, now=NOW) is None
    assert jobs == [] and JobRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_run_a_job_once(jobs):
    if connection.vendor != "postgresql":
        # The in-memory test database refuses a second writer outright
        # ("table is locked") instead of queueing it as a file database does.
        pytest.skip("并发测试需要 PostgreSQL（设置 DATABASE_URL=postgres://…）")
    sample = job("sample.minute", "succeed", every=60)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(runner.run_job(sample, now=NOW))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert not errors, errors
    assert sum(run is not None for run in results) == 1
    assert jobs == ["succeed"] and JobRun.objects.count() == 1


def test_a_failing_job_is_recorded_and_the_next_one_still_runs(jobs, caplog):
    job("sample.fail", "fail", every=60)
    job("sample.succeed", "succeed", every=60)

    runs = runner.run_due(now=NOW)

    assert [(run.job, run.ok) for run in runs] == [("sample.fail", False), ("sample.succeed", True)]
    failed = JobRun.objects.get(job="sample.fail")
    assert failed.ok is False and failed.finished_at is not None
    assert failed.detail.startswith("数据有误，无法处理\n") and "Traceback" in failed.detail
    assert failed.status == "失败"
    assert "sample.fail" in caplog.text
    assert jobs == ["fail", "succeed"]


def test_a_failed_job_leaves_nothing_of_its_own_writes(jobs):
    job("sample.write", "write_then_fail", every=60)

    [run] = runner.run_due(now=NOW)

    assert run.ok is False and run.detail.startswith("写入后失败")
    assert not JobRun.objects.filter(job="side.effect").exists()


def test_a_run_whose_worker_died_stays_visible_and_is_not_repeated(jobs):
    sample = job("sample.minute", "succeed", every=60)
    JobRun.objects.create(job="sample.minute", period=sample.schedule.period(NOW), started_at=NOW)

    assert runner.run_due(now=NOW + timedelta(seconds=30)) == []
    assert JobRun.objects.get().status == "未完成（运行中或进程已中断）"
    assert jobs == []


class Passes:
    """A stop that lets the loop make `n` passes, moving the clock a minute each."""

    def __init__(self, n: int, traveller) -> None:
        self.left, self.traveller = n, traveller

    def is_set(self) -> bool:
        return self.left <= 0

    def wait(self, timeout: float) -> bool:
        self.left -= 1
        self.traveller.shift(timedelta(minutes=1))
        return self.is_set()


def test_the_loop_outlives_failing_jobs_and_a_lost_database(jobs, time_machine, monkeypatch):
    time_machine.move_to(NOW)
    job("sample.fail", "fail", every=60)
    job("sample.succeed", "succeed", every=60)
    real_run_due = runner.run_due
    outages = [OperationalError("server closed the connection unexpectedly")]

    def run_due(**kwargs):
        if outages:
            raise outages.pop()
        return real_run_due(**kwargs)

    monkeypatch.setattr(runner, "run_due", run_due)
    reported = []

    runner.run_forever(
        stop=Passes(3, time_machine), interval=1, report=lambda job, run: reported.append(run.ok)
    )

    assert reported == [False, True, False, True]
    assert jobs == ["fail", "succeed", "fail", "succeed"]


def test_the_poll_interval_follows_the_shortest_interval_job(jobs):
    assert runner.default_interval() == 30
    job("sample.often", "succeed", every=10)
    job("sample.daily", "succeed", daily_at="00:10")
    assert runner.default_interval() == 10


def test_a_stop_flag_wakes_a_waiting_worker_without_sleeping_it_out():
    flag = runner.StopFlag()
    flag.set()
    assert flag.wait(3600) is True and flag.is_set()
