"""`zhifa disclosure_expire`: stop showing publications whose period has ended
(rules.md PUB-07, PUB-12, PUB-13). Run once a day by the scheduler; each
removal is recorded in the ledger."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zhifa.disclosure.services import publications_expire


class Command(BaseCommand):
    help = "公示期届满的执法决定信息停止公示（每次撤下均记入全过程记录）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期判断是否届满（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期“{options['date']}”无效，请用 YYYY-MM-DD 格式。") from None
        done = publications_expire(today=today)
        if not done:
            self.stdout.write("没有公示期届满的公示信息。")
            return
        for pub in done:
            self.stdout.write(
                f"已停止公示：{pub.agency_name} {pub.decision_number or pub.case_number}"
                f"（公示期至 {pub.period_ends_on:%Y-%m-%d}）"
            )
        self.stdout.write(f"共 {len(done)} 条。")
