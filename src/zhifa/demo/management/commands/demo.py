import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from zhifa.demo.loader import DEMO_PASSWORD, load_demo


def _worker_loop() -> None:
    """The demo's `zhifa worker`: every registered job (checkpoint signing,
    removal of publications whose period ended) runs in the server process,
    as production's worker would run it beside the web tier."""
    from zhifa.jobs.runner import run_forever

    def report(job, run) -> None:
        if not run.ok:  # keep serving; say what went wrong
            print(f"后台任务“{job.label}”失败：{run.detail.splitlines()[0]}")

    try:
        run_forever(stop=threading.Event(), report=report)
    finally:
        connection.close()


class Command(BaseCommand):
    help = "迁移数据库、载入演示数据（本溪满族自治县），打印各角色的登录账号并启动服务。"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务。")
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000。"
        )

    def handle(self, *args, no_serve: bool, addr: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        logins = load_demo()
        out = self.stdout
        out.write(self.style.SUCCESS("演示数据已就绪：辽宁省本溪市本溪满族自治县"))
        out.write(f"登录地址：http://{addr}/staff/login/    公示门户：http://{addr}/")
        out.write(f"所有演示账号的密码：{DEMO_PASSWORD}")
        width = max(len(login.role) for login in logins)
        for login in logins:
            out.write(
                f"  {login.role.ljust(width, '　')}  {login.username:<10} {login.name}  {login.where}"
            )
        out.write(
            "全过程记录：zhifa ledger verify 核验日志；zhifa ledger proof 序号 生成存证回执。"
        )
        if not no_serve:
            out.write(
                "后台任务（签署检查点、公示期届满停止公示）随服务运行；生产环境请运行 zhifa worker。"
            )
            threading.Thread(target=_worker_loop, name="zhifa-worker", daemon=True).start()
            call_command("runserver", addr, use_reloader=False)
