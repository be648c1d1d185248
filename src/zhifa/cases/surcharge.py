"""加处罚款: the late-payment surcharge of 行政处罚法 第七十二条、第七十三条 (rules.md APL-34).

Pure: dates and amounts in, a `SurchargeResult` out; no database. The daily
rate and the cap default to statutes.toml (`penalty.surcharge_daily_rate`,
`penalty.surcharge_cap`, both stored as ratios: 0.03 and 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from itertools import pairwise

from zhifa.rules.registry import format_decimal, get_rule
from zhifa.rules.services import rule_value

CENT = Decimal("0.01")
DAY = timedelta(days=1)
RATE_RULE = "penalty.surcharge_daily_rate"
CAP_RULE = "penalty.surcharge_cap"


@dataclass(frozen=True)
class SurchargeResult:
    days_counted: int  # days on which the surcharge ran (overdue, not paused, fine unpaid)
    amount: Decimal  # yuan, 2 decimals, never above the cap
    capped: bool  # the cap was reached: later days add nothing
    explanation: str  # Chinese, for the case file and the notice to the party


def _money(value: Decimal | int, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what}须为 Decimal（不接受浮点数），现为 {type(value).__name__}。")
    value = Decimal(value)
    if not value.is_finite() or value < 0:
        raise ValueError(f"{what}不能为负数或非数值：{value}。")
    return value


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _yuan(v: Decimal) -> str:
    return f"{v:,.2f}元"


def _percent(ratio: Decimal) -> str:
    return f"{format_decimal(ratio * 100)}%"


def surcharge(
    *,
    fine: Decimal,
    due: date,
    on: date,
    paid: Iterable[tuple[date, Decimal]] = (),
    paused: Iterable[tuple[date, date | None]] = (),
    daily_rate: Decimal | None = None,
    cap_ratio: Decimal | None = None,
) -> SurchargeResult:
    """The surcharge owed on the fine `fine` whose payment deadline is `due`, as of `on`.

    Days. A day is counted from the day after `due` up to and including `on`.
    Days inside a `paused` interval are not counted (第七十三条第三款: 行政复议或者
    行政诉讼期间不予计算); an interval includes both its first and last day, and
    an end of None means still pending (paused through `on`). Overlapping
    intervals are fine.

    Base: the unpaid part of the fine. `paid` lists payments of the fine itself
    (date, amount), not of the surcharge. A payment made on day d still counts
    day d on the part paid; from d + 1 the surcharge runs on what is left, and
    once the fine is paid in full no further day is counted. Why: 第七十二条 says
    “到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款”. The literal reading —
    3% of the fine in the decision until it is paid in full — and the reading
    that the surcharge runs only on what is still unpaid give the same number
    whenever the fine is paid in one sum, which is the ordinary case. They
    differ only after a partial payment, and there the surcharge is an
    enforcement measure compelling payment of what is still owed (it runs
    because the fine “is not paid”); demanding it on money already paid would
    be an over-collection the party can challenge, while the lower figure
    never is. So the unpaid part is the base. Instalments approved under
    第六十六条 change the deadlines themselves: call this once per instalment
    with that instalment as `fine` and its deadline as `due`.

    Cap: the total never exceeds the fine in the decision × `cap_ratio`
    (“加处罚款的数额不得超出罚款的数额”: the fine as decided, not what is left
    unpaid); a cap below a cent is rounded down. `capped` is True when the
    rounded total reaches the cap (later days add nothing).

    Rounding: the daily amounts are summed exactly and the total is rounded
    once to 0.01 yuan, ROUND_HALF_UP (so no per-day rounding drift).

    `daily_rate` and `cap_ratio` default to statutes.toml (ratios, 0.03 and 1);
    pass them only to reproduce a figure under another rule.
    Raises TypeError for a float amount, ValueError for a negative amount or
    an interval that ends before it starts.
    """
    fine = _money(fine, "罚款数额")
    rate = _money(daily_rate if daily_rate is not None else rule_value(RATE_RULE), "加处罚款日比例")
    ratio = _money(cap_ratio if cap_ratio is not None else rule_value(CAP_RULE), "上限比例")
    payments = sorted((d, _money(amount, "缴纳金额")) for d, amount in paid)
    pauses = list(paused)
    for start, end in pauses:
        if end is not None and end < start:
            raise ValueError(f"暂停计算的期间结束日 {end} 早于开始日 {start}。")
    cap = (fine * ratio).quantize(CENT, ROUND_DOWN)  # down: the cap is never exceeded

    first, stop = due + DAY, on + DAY  # counted days: first <= day < stop
    # Points where the base or the pause state may change.
    changes = {first, stop}
    changes.update(d + DAY for d, _ in payments)
    for start, end in pauses:
        changes.add(start)
        if end is not None:
            changes.add(end + DAY)
    points = sorted(p for p in changes if first <= p <= stop)

    raw = Decimal(0)
    counted = paused_days = settled_days = 0
    partly_paid = False
    for a, b in pairwise(points):
        days = (b - a).days
        if any(s <= a and (e is None or a <= e) for s, e in pauses):
            paused_days += days
            continue
        base = fine - sum((amount for d, amount in payments if d < a), Decimal(0))
        if base <= 0:
            settled_days += days
            continue
        partly_paid = partly_paid or base < fine
        counted += days
        raw += base * rate * days

    amount = raw.quantize(CENT, ROUND_HALF_UP)
    capped = counted > 0 and amount >= cap
    amount = min(amount, cap)

    total = max((on - due).days, 0)
    rate_rule = get_rule(RATE_RULE)
    basis = f"依据：《{rate_rule.law}》{rate_rule.article}。"
    if total == 0:
        text = f"缴款期限至{_day(due)}；计算至{_day(on)}尚未逾期，不加处罚款。{basis}"
        return SurchargeResult(0, Decimal("0.00"), False, text)
    parts = [f"罚款{_yuan(fine)}，缴款期限{_day(due)}届满，自次日起至{_day(on)}共{total}日"]
    if paused_days:
        parts.append(f"，其中行政复议或者行政诉讼期间{paused_days}日不计算")
    if settled_days:
        parts.append(f"，罚款缴清后{settled_days}日不计算")
    parts.append(f"，计算加处罚款{counted}日。")
    if counted:
        base_text = "尚未缴纳的罚款数额" if partly_paid else "罚款数额"
        parts.append(
            f"每日按{base_text}的{_percent(rate)}计算，合计{_yuan(raw.quantize(CENT, ROUND_HALF_UP))}"
        )
        if partly_paid:
            parts.append("（部分缴纳的，自缴纳次日起按尚未缴纳的数额计算）")
        if capped:
            limit = "罚款的数额" if ratio == 1 else f"罚款数额的{_percent(ratio)}"
            parts.append(f"；加处罚款的数额不得超出{limit}，按上限{_yuan(cap)}计")
        parts.append(f"。加处罚款{_yuan(amount)}。")
    else:
        parts.append("加处罚款0.00元。")
    parts.append(basis)
    return SurchargeResult(counted, amount, capped, "".join(parts))


__all__ = ["SurchargeResult", "surcharge"]
