"""`zhifa rules [--json] [--region CODE]`: the statutory periods and thresholds."""

from __future__ import annotations

import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from zhifa.rules.registry import Rule, all_rules, format_decimal
from zhifa.rules.services import RuleNotConfigured, resolve_rule_value

UNCONFIGURED = "由地方规定（未配置）"


def _width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "列出平台执行的全部法定期限与标准（数值、单位、法律依据）。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument(
            "--region", metavar="CODE", help="按该地区（区划代码）的地方标准显示数值"
        )

    def handle(self, *args, **options):
        region = options["region"]
        rows = []
        for rule in all_rules():
            value, basis = self._value(rule, region)
            rows.append((rule, value, basis))
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [self._as_dict(*row, region) for row in rows], ensure_ascii=False, indent=2
                )
            )
            return
        table = [("编号", "数值", "单位", "依据")]
        for rule, value, basis in rows:
            shown = UNCONFIGURED if value is None else format_decimal(value)
            table.append((rule.id, shown, rule.unit_label, basis))
        widths = [max(_width(row[i]) for row in table) for i in range(3)]
        for row in table:
            cells = [_pad(row[i], widths[i]) for i in range(3)]
            self.stdout.write("  ".join([*cells, row[3]]))

    def _value(self, rule: Rule, region: str | None):
        if region is None:
            return rule.value, rule.citation
        try:
            resolved = resolve_rule_value(rule.id, region_code=region)
        except RuleNotConfigured:
            return None, rule.citation
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(
                f"无法读取地方标准：数据库尚未初始化（请先运行 zhifa migrate）。{exc}"
            ) from exc
        return resolved.value, resolved.basis

    @staticmethod
    def _as_dict(rule: Rule, value, basis: str, region: str | None) -> dict:
        return {
            "id": rule.id,
            "title": rule.title,
            "value": None if value is None else format_decimal(value),
            "national_value": None if rule.value is None else format_decimal(rule.value),
            "region": region,
            "unit": rule.unit,
            "unit_label": rule.unit_label,
            "direction": rule.direction,
            "law": rule.law,
            "article": rule.article,
            "source": rule.source,
            "status": rule.status,
            "overridable": rule.overridable,
            "outer_limit": rule.outer_limit,
            "citation": basis,
            "quote": rule.quote,
            "note": rule.note,
        }
