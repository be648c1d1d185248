"""`zhifa worker`: --once and its exit code, --list, a clean stop on SIGTERM."""

from __future__ import annotations

import signal

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connections

from zhifa.jobs.models import JobRun
from zhifa.jobs.tests.sample_jobs import job

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_connection(monkeypatch):
    # A command run from the command line closes the connections when it
    # ends; the test's transaction must outlive it.
    monkeypatch.setattr(connections, "close_all", lambda: None)


def test_once_exits_0_when_every_due_job_succeeded(jobs, keep_connection, capsys):
    job("sample.succeed", "succeed", every=60)

    execute_from_command_line(
        ["zhifa", "worker", "--once", "--skip-checks"]
    )  # no SystemExit: status 0

    out = capsys.readouterr().out
    assert "sample.succeed" in out and "成功，处理 3 项" in out


def test_once_exits_1_when_a_job_failed_after_running_the_others(jobs, keep_connection, capsys):
    job("sample.fail", "fail", every=60)
    job("sample.succeed", "succeed", every=60)

    with pytest.raises(SystemExit) as exit:
        execute_from_command_line(["zhifa", "worker", "--once", "--skip-checks"])

    assert exit.value.code == 1
    err = capsys.readouterr().err
    assert "失败，数据有误，无法处理" in err and "1 个任务运行失败：sample.fail" in err
    assert jobs == ["fail", "succeed"]


def test_once_with_nothing_due_says_so(jobs, capsys):
    job("sample.succeed", "succeed", every=3600)
    call_command("worker", "--once")
    capsys.readouterr()

    call_command("worker", "--once")

    assert "现在没有到期的任务" in capsys.readouterr().out
    assert jobs == ["succeed"]


def test_once_runs_only_the_jobs_named(jobs):
    job("sample.fail", "fail", every=60)
    job("sample.succeed", "succeed", every=60)

    call_command("worker", "--once", "--job", "sample.succeed")

    assert jobs == ["succeed"]
    with pytest.raises(CommandError, match=r"没有名为 no\.such 的后台任务"):
        call_command("worker", "--once", "--job", "no.such")


def test_list_shows_schedule_and_last_run(jobs, capsys):
    job("sample.daily", "succeed", daily_at="00:10")
    job("sample.fail", "fail", every=60)

    call_command("worker", "--list")

    out = capsys.readouterr().out
    assert "sample.daily  测试任务 sample.daily  每天 00:10" in out
    assert "待运行" in out and "从未运行" in out

    with pytest.raises(CommandError):
        call_command("worker", "--once")
    call_command("worker", "--list")

    out = capsys.readouterr().out
    assert "已运行" in out and "成功，处理 3 项" in out and "失败，数据有误，无法处理" in out


def test_sigterm_lets_the_job_under_way_finish_then_stops(jobs, capsys):
    before = signal.getsignal(signal.SIGTERM)
    job("sample.terminate", "terminate_self", every=60)
    job("sample.succeed", "succeed", every=60)

    call_command("worker", "--interval", "3600")

    assert jobs == ["terminate_self", "terminate_self finished"]
    run = JobRun.objects.get()
    assert (run.job, run.ok, run.detail) == ("sample.terminate", True, "已完成")
    assert "后台任务进程已停止" in capsys.readouterr().out
    assert signal.getsignal(signal.SIGTERM) is before
