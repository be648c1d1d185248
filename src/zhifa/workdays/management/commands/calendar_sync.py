"""`zhifa calendar_sync`: load new years from the chinese_calendar package."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhifa.workdays.services import calendar_sync


def _years(years: list[int]) -> str:
    return "、".join(str(y) for y in years)


class Command(BaseCommand):
    help = (
        "从 chinesecalendar 软件包导入数据库中尚未录入的年度工作日历；"
        "管理员录入或修改过的年度不会被覆盖。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="同时用软件包的最新数据更新以前由软件包导入的年度（管理员录入的年度仍不改动）",
        )

    def handle(self, *args, **options):
        result = calendar_sync(refresh=options["refresh"])
        if result.added:
            self.stdout.write(f"已导入 {len(result.added)} 个年度：{_years(result.added)}。")
        if result.refreshed:
            self.stdout.write(
                f"已按软件包数据更新 {len(result.refreshed)} 个年度：{_years(result.refreshed)}。"
            )
        if result.kept_manual:
            self.stdout.write(f"以下年度由管理员录入，保持不变：{_years(result.kept_manual)}。")
        if not result.added and not result.refreshed:
            self.stdout.write("没有需要导入的新年度：软件包覆盖的年度都已在数据库中。")
        covered = sorted({*result.added, *result.refreshed, *result.unchanged, *result.kept_manual})
        if covered:
            self.stdout.write(
                f"软件包覆盖 {covered[0]}–{covered[-1]} 年；其后的年度须由管理员在"
                "“系统管理 › 工作日历”中按国务院办公厅通知录入。"
            )
