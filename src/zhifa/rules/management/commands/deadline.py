"""`zhifa deadline RULE_ID START_DATE [--region CODE] [--json]`.

Prints the due date alone on the first line (for scripts), then, for calendar
periods with a legal outer limit, the CAL-05 roll-over date. Every refusal is
a CommandError: a Chinese message on stderr and a non-zero exit status.
"""

from __future__ import annotations

import json
import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from zhifa.rules.registry import UnknownRule
from zhifa.rules.services import NotAPeriod, RuleNotConfigured, deadline
from zhifa.workdays.calendar import CalendarNotAvailable

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

OUTER_LIMIT_LABEL = "法定届满日（遇节假日顺延，民事诉讼法 第八十五条）"


def parse_iso_date(text: str) -> date:
    """YYYY-MM-DD only; a real calendar date (2026-02-30 is refused)."""
    if not _ISO_DATE.match(text or ""):
        raise CommandError(f"起算日“{text}”格式不对：请使用 YYYY-MM-DD，例如 2026-09-30。")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"起算日“{text}”不是有效的日期（该月没有这一天）。") from exc


class Command(BaseCommand):
    help = "计算法定期限的届满日：zhifa deadline 规则编号 起算日（起算日不计入）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "rule_id", help="规则编号，例如 penalty.serve_decision（见 zhifa rules）"
        )
        parser.add_argument("start", help="起算日，格式 YYYY-MM-DD")
        parser.add_argument("--region", metavar="CODE", help="区划代码：按该地区的地方标准计算")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **options):
        start = parse_iso_date(options["start"])
        try:
            result = deadline(options["rule_id"], start, region_code=options["region"])
        except (UnknownRule, NotAPeriod, RuleNotConfigured, CalendarNotAvailable) as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:  # e.g. a malformed region code
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(
                f"无法读取工作日历：数据库尚未初始化（请先运行 zhifa migrate）。{exc}"
            ) from exc

        rule = result.rule
        if options["json"]:
            payload = {
                "rule": rule.id,
                "title": rule.title,
                "start": result.start.isoformat(),
                "due": result.due.isoformat(),
                "outer_limit": result.outer_limit.isoformat() if result.outer_limit else None,
                "value": result.value,
                "unit": rule.unit,
                "direction": rule.direction,
                "region": options["region"],
                "citation": result.basis,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(result.due.isoformat())
        if result.outer_limit is not None:
            self.stdout.write(f"{OUTER_LIMIT_LABEL}：{result.outer_limit.isoformat()}")
        self.stdout.write(f"{rule.title}：{result.period_text}")
        self.stdout.write(f"依据：{result.basis}")
