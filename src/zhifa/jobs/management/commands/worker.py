"""`zhifa worker`: run the platform's periodic jobs.

Production runs one (architecture.md, "Running it"); a second one is safe,
since a job runs at most once per period. `--once` suits cron.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhifa.jobs import registry, runner, selectors
from zhifa.jobs.models import JobRun
from zhifa.jobs.registry import Job


class Command(BaseCommand):
    help = "运行到期的后台任务（公示期届满停止公示、签署检查点等）；默认常驻，定时检查。"

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--once",
            action="store_true",
            help="只运行现在到期的任务，然后退出（供 cron 调用）；有任务失败时退出码为 1",
        )
        mode.add_argument(
            "--list", action="store_true", help="列出已登记的任务、周期和最近一次运行"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help=f"检查间隔秒数，默认 {runner.DEFAULT_INTERVAL:g}（有更短的间隔任务时取其间隔）",
        )
        parser.add_argument(
            "--job", action="append", default=[], metavar="名称", help="只运行该任务，可多次给出"
        )

    def handle(self, *args, **options):
        job, interval = options["job"], options["interval"]
        try:
            jobs = [registry.get(name) for name in job] if job else registry.jobs()
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        if interval is not None and interval <= 0:
            raise CommandError("--interval 必须大于 0。")
        if options["list"]:
            self._list(jobs)
        elif options["once"]:
            self._once(job)
        else:
            self._serve(jobs, job, interval)

    def _list(self, jobs: list[Job]) -> None:
        if not jobs:
            self.stdout.write("没有登记任何后台任务。")
            return
        now = timezone.now()
        for job in jobs:
            period = job.schedule.period(now)
            state = "已运行" if selectors.jobrun_exists(job.name, period) else "待运行"
            self.stdout.write(f"{job.name}  {job.label}  {job.schedule}  本周期 {period}：{state}")
            last = selectors.jobrun_latest(job.name)
            self.stdout.write(f"    最近一次：{self._describe(last) if last else '从未运行'}")

    def _once(self, names: list[str]) -> None:
        runs = runner.run_due(names=names, report=self._report)
        if not runs:
            self.stdout.write("现在没有到期的任务。")
            return
        failed = [run.job for run in runs if not run.ok]
        if failed:
            raise CommandError(f"{len(failed)} 个任务运行失败：{'、'.join(failed)}", returncode=1)

    def _serve(self, jobs: list[Job], names: list[str], interval: float | None) -> None:
        stop = runner.StopFlag()
        previous = {}

        def on_signal(signum, frame):
            # Finish the job under way, then leave; a second signal stops at once.
            stop.set()
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)

        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                previous[sig] = signal.signal(sig, on_signal)
        shown = "、".join(names) or "全部"
        every = interval or runner.default_interval(jobs)
        self.stdout.write(
            f"后台任务进程已启动（{runner.worker_id()}）：任务 {shown}，每 {every:g} 秒检查一次。"
        )
        try:
            runner.run_forever(stop=stop, interval=every, names=names, report=self._report)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("后台任务进程已停止。")

    def _report(self, job: Job, run: JobRun) -> None:
        line = f"{job.name} {job.label}（周期 {run.period}）：{self._describe(run)}"
        if run.ok:
            self.stdout.write(line)
        else:
            self.stderr.write(line)

    @staticmethod
    def _describe(run: JobRun) -> str:
        started = timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M:%S")
        detail = run.detail.splitlines()[0] if run.detail else ""
        return f"{started} {run.status}" + (f"，{detail}" if detail else "")
