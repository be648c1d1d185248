"""Official codes: GB/T 2260 region codes and GB 32100 unified social credit codes.

Pure functions with messages in Chinese, used by model validation, forms and
the import paths alike.
"""

from __future__ import annotations

import re

from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as stdnum_uscc

# GB/T 2260 province-level codes (the first two digits of every code).
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)

_SIX = re.compile(r"^\d{6}$")
_NINE = re.compile(r"^\d{9}$")


def region_level(code: str) -> str:
    """Level of a region code; raise ValueError with a Chinese message if malformed.

    Province, city and county codes are the six digits of GB/T 2260; township
    codes are nine digits (GB/T 10114: the county's six digits plus three).
    """
    code = code or ""
    if _NINE.match(code):
        region_level(code[:6])  # the county part must itself be valid
        if code[6:] == "000":
            raise ValueError(f"乡级区划代码 {code} 的后三位不能为 000。")
        return "township"
    if not _SIX.match(code):
        raise ValueError(
            f"区划代码“{code}”无效：省、市、县级代码应为 6 位数字（GB/T 2260），"
            "乡级代码为 9 位数字（GB/T 10114）。"
        )
    if code[:2] not in PROVINCE_PREFIXES:
        raise ValueError(f"区划代码 {code} 无效：前两位 {code[:2]} 不是 GB/T 2260 的省级代码。")
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


def region_parent_code(code: str) -> str | None:
    """The parent's code as the coding rules imply it (None for a province).

    For a township the parent is the six-digit code it starts with, which may
    be a county or a city without counties (e.g. 东莞市 441900).
    """
    level = region_level(code)
    if level == "province":
        return None
    if level == "city":
        return code[:2] + "0000"
    if level == "county":
        return code[:4] + "00"
    return code[:6]


def region_prefix(code: str) -> str:
    """The code prefix shared by a region and every region below it."""
    level = region_level(code)
    return {"province": code[:2], "city": code[:4], "county": code[:6]}.get(level, code)


def validate_uscc(value: str) -> str:
    """Return the normalised USCC or raise ValueError with a Chinese message (GB 32100-2015)."""
    number = (value or "").strip().upper()
    try:
        return stdnum_uscc.validate(number)
    except stdnum_errors.InvalidLength:
        raise ValueError(
            f"统一社会信用代码“{value}”应为 18 位，实际为 {len(number)} 位（GB 32100-2015）。"
        ) from None
    except stdnum_errors.InvalidFormat:
        raise ValueError(
            f"统一社会信用代码“{value}”含有不允许的字符：前 8 位为数字，"
            "其余为数字或除 I、O、Z、S、V 外的大写字母（GB 32100-2015）。"
        ) from None
    except stdnum_errors.InvalidChecksum:
        expected = stdnum_uscc.calc_check_digit(number[:17])
        raise ValueError(
            f"统一社会信用代码“{value}”的校验码错误：按 GB 32100-2015 计算，"
            f"第 18 位应为 {expected}。"
        ) from None


def uscc_with_check(first17: str) -> str:
    """Append the GB 32100 check character (used by demo data and tests)."""
    return first17 + stdnum_uscc.calc_check_digit(first17)
