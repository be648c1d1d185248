"""Chinese writing of dates, small numbers and amounts in documents."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

_DIGITS = "零一二三四五六七八九"
_UPPER = "零壹贰叁肆伍陆柒捌玖"
_GROUPS = ("", "万", "亿", "万亿")


def cn_date(day: date | datetime) -> str:
    """2026年11月22日 (a datetime is taken in the local time zone)."""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return f"{day.year}年{day.month}月{day.day}日"


def cn_int(n: int) -> str:
    """Chinese numerals as statutes write periods: 5 → 五, 15 → 十五, 60 → 六十, 105 → 一百零五."""
    if n < 0:
        return "负" + cn_int(-n)
    if n == 0:
        return "零"
    if n >= 10000:
        return str(n)
    out = ""
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + name
    return out[1:] if out.startswith("一十") else out


def _group_upper(g: int) -> str:
    out = ""
    zero = False
    for unit, name in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = g // unit % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _UPPER[digit] + name
    return out


def _int_upper(n: int) -> str:
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    gap = False
    for i in reversed(range(len(groups))):
        g = groups[i]
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out += "零"
        out += _group_upper(g) + _GROUPS[i]
        gap = False
    return out


def rmb_upper(amount: Decimal | int | str) -> str:
    """The amount in capital numerals (大写), as 《支付结算办法》 writes it:
    5000 → 伍仟元整, 100500.5 → 壹拾万零伍佰元伍角整, 1.05 → 壹元零伍分."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        return "负" + rmb_upper(-value)
    cents = int(value * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    out = _int_upper(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return (out or "零元") + "整"
    if jiao:
        out += _UPPER[jiao] + "角"
    elif yuan:
        out += "零"
    return out + (_UPPER[fen] + "分" if fen else "整")


def yuan(amount: Decimal | int | str) -> str:
    """人民币5,000.00元（大写：伍仟元整）."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"人民币{value:,.2f}元（大写：{rmb_upper(value)}）"


def percent(ratio: Decimal) -> str:
    """0.03 → 百分之三 (a whole percentage; otherwise 百分之3.5)."""
    hundred = Decimal(ratio) * 100
    if hundred == hundred.to_integral_value():
        return f"百分之{cn_int(int(hundred))}"
    return f"百分之{hundred.normalize():f}"
