"""Resolve statutory numbers for a region, and compute statutory deadlines.

`rule_value` finds the number in force: the most specific regional override
along the GB/T 2260 code hierarchy (township → county → city → province) where
the law lets a region set it, else the national value of statutes.toml.

`deadline` applies a period rule to a start date. The start day is never
counted (CAL-05 (a)). Working-day periods go through the official calendar
(CAL-01..04, CAL-07); calendar periods are plain date arithmetic, and where the
rule asks for it the CAL-05 (b) roll-over gives the legal outer limit, which
the platform stores beside the raw date it alerts on (CAL-08).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from zhifa.rules.registry import Rule, Unit, get_rule
from zhifa.workdays.calendar import (
    CalendarNotAvailable,
    WorkCalendar,
    add_days,
    add_months,
    add_years,
)

if TYPE_CHECKING:
    from zhifa.rules.models import RuleOverride

ADMIN_PATH = "系统管理 › 法定期限与标准 › 地方标准"


class RuleNotConfigured(ValueError):
    """The law leaves the number to regions, and none is configured."""


class NotAPeriod(ValueError):
    """A threshold (amount or ratio) was used as a period."""


@dataclass(frozen=True)
class ResolvedValue:
    rule: Rule
    value: Decimal
    # The override that set it, or None for the national value.
    override: RuleOverride | None = None

    @property
    def basis(self) -> str:
        if self.override is None:
            return self.rule.citation
        return f"{self.override.basis}（地方标准，区划 {self.override.region_code}）"


def resolve_rule_value(
    rule_id: str, *, region_code: str | None = None, on_date: date | None = None
) -> ResolvedValue:
    """The value in force for `region_code` on `on_date` (default today), with its basis."""
    from zhifa.rules.models import RuleOverride, region_code_chain

    rule = get_rule(rule_id)
    # Validate the code even for a national rule, so a typo never passes silently.
    chain = region_code_chain(region_code) if region_code else []
    if rule.overridable and chain:
        on_date = on_date or timezone.localdate()
        candidates = RuleOverride.objects.filter(
            Q(effective_from__isnull=True) | Q(effective_from__lte=on_date),
            rule_id=rule.id,
            region_code__in=chain,
        )
        by_code: dict[str, list[RuleOverride]] = {}
        for override in candidates:
            by_code.setdefault(override.region_code, []).append(override)
        for code in chain:
            if code in by_code:
                # The latest provision in force wins; an undated one is the oldest.
                newest = max(
                    by_code[code],
                    key=lambda o: (o.effective_from is not None, o.effective_from or date.min),
                )
                return ResolvedValue(rule=rule, value=newest.value, override=newest)
    if rule.value is not None:
        return ResolvedValue(rule=rule, value=rule.value)
    where = f"地区 {region_code} 及其上级地区" if region_code else "未指定地区，"
    raise RuleNotConfigured(
        f"“{rule.title}”（{rule.id}）没有全国统一的数值（{rule.law} {rule.article}），"
        f"{where}也没有配置地方标准。请管理员在“{ADMIN_PATH}”中录入当地规定的数值及依据。"
    )


def rule_value(
    rule_id: str, *, region_code: str | None = None, on_date: date | None = None
) -> Decimal:
    """The number in force for the region (most specific override), else the national value."""
    return resolve_rule_value(rule_id, region_code=region_code, on_date=on_date).value


@dataclass(frozen=True)
class Deadline:
    rule: Rule
    start: date
    # The raw end of the period: the date the platform alerts on. For a
    # "before" rule, the latest day on which the act must be done.
    due: date
    # CAL-05 roll-over of `due` for rules with outer_limit, else None.
    outer_limit: date | None
    value: int
    basis: str

    @property
    def period_text(self) -> str:
        direction = "前" if self.rule.direction == "before" else "后"
        return f"{self.rule.format_value(Decimal(self.value))}（起算日不计入，向{direction}计算）"


def deadline(
    rule_id: str,
    start: date,
    *,
    region_code: str | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """Apply the period `rule_id` to `start`.

    Regional overrides are taken as in force on `start`. Raises
    `CalendarNotAvailable` if a working-day count or the roll-over reaches a
    year whose official arrangement has not been entered, `NotAPeriod` for an
    amount or ratio, `RuleNotConfigured` if no value is set for the region.
    """
    rule = get_rule(rule_id)
    if not rule.is_period:
        raise NotAPeriod(
            f"“{rule.title}”（{rule.id}）是{'金额' if rule.unit == Unit.YUAN else '比例'}标准"
            f"（{rule.format_value()}），"
            "不是期限，不能计算届满日。"
        )
    if isinstance(start, datetime) or not isinstance(start, date):
        raise TypeError(f"起算日必须是 datetime.date，收到的是 {type(start).__name__}。")
    resolved = resolve_rule_value(rule.id, region_code=region_code, on_date=start)
    n = int(resolved.value)
    sign = -1 if rule.direction == "before" else 1
    cal = calendar or WorkCalendar()

    if rule.unit == Unit.WORKING_DAYS:
        try:
            due = (
                cal.subtract_working_days(start, n) if sign < 0 else cal.add_working_days(start, n)
            )
        except CalendarNotAvailable as exc:
            raise CalendarNotAvailable(
                exc.year,
                context=f"计算“{rule.title}”（{n} 个工作日）时出错：",
            ) from exc
    elif rule.unit == Unit.CALENDAR_DAYS:
        due = add_days(start, sign * n)
    elif rule.unit == Unit.MONTHS:
        due = add_months(start, sign * n)
    else:
        due = add_years(start, sign * n)

    outer = None
    if rule.outer_limit:
        try:
            outer = cal.next_workday_on_or_after(due)
        except CalendarNotAvailable as exc:
            raise CalendarNotAvailable(
                exc.year,
                context=(
                    f"“{rule.title}”的期限届满日为 {due.isoformat()}；"
                    "确定遇节假日顺延后的法定届满日需要工作日历，但"
                ),
            ) from exc
    return Deadline(
        rule=rule, start=start, due=due, outer_limit=outer, value=n, basis=resolved.basis
    )


__all__ = [
    "Deadline",
    "NotAPeriod",
    "ResolvedValue",
    "RuleNotConfigured",
    "deadline",
    "resolve_rule_value",
    "rule_value",
]
