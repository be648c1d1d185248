"""Detectors for numbers and e-mail: 公民身份号码, phones, bank cards, e-mail.

All run on the width-folded text (see `text.fold`).

How a number is found. A *group* is a run of digits in which single spaces
or hyphens may separate digit runs (138 0013 8000, 3301 0619 8001 0112 34,
6222-0212-3456-7890-128); it must not touch other digits or ASCII letters
(so the digits inside a USCC such as 91330106MA2B3C4D5E are never looked at),
except after a short prefix such as Tel or No. Every stretch of whole runs of
a group is classified; the strongest classification wins, then the longest:

1. `id_number.checksum` — 18 characters, a real birth date (1900–2099) and the
   GB 11643 / ISO 7064 MOD 11-2 check character. Masked even after a word
   such as 编号, except that a valid all-digit USCC after 信用代码 is left.
2. `id_number.context`, `bank_account.context`, `phone.context` — any 15/18
   characters after 身份证/证件号码; 10 or more digits after 账号/卡号/账户
   (organisations' accounts do not pass Luhn); 7–12 digits after 电话/手机.
3. `phone.mobile` — 1[3-9] and 9 more digits, optionally after +86 or 0086.
4. `bank_account.luhn` — 13–19 digits passing the Luhn check.
5. `id_number.legacy` — 15 digits whose 7th–12th digits are a date 19YYMMDD
   (YY ≥ 10).

Classes 3–5 are weak: they are skipped after 编号, 案号, 文号, 注册号,
许可证号, 信用代码, 发票 and similar words, and when the number is an amount
(followed by 元, 万元, 亿元, % or preceded by ¥). A context word counts when it is
the nearest one within 16 characters before the number in the same clause.

Landlines are matched separately (`phone.landline`): an area code (010, 02X,
0[3-9]XX), optionally in brackets, a separator, a local number of 7–8 digits
starting 2–9, and an optional extension (-123, 转123, 分机123).

E-mail (`email.address`): ASCII local part and domain, so Chinese text next to
it is never swallowed (邮箱zs@example.com).

Not caught: numbers written in Chinese numerals (一三八…), numbers glued to
other digits or letters, mobile numbers split in other ways than single
spaces or hyphens (138.0013.8000), foreign phone numbers, passport numbers
except right after 护照/证件号码.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import uscc as stdnum_uscc

from . import masks
from .text import clause_before
from .types import Span

# GB 11643-1999 / ISO 7064 MOD 11-2. The same computation as
# zhifa.cases.parties.resident_id_check_char (the tests compare them); copied
# because that module needs Django, and this one must run without it.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """The check character of the first 17 digits of a 公民身份号码."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def is_resident_id(value: str) -> bool:
    """18 characters: a birth date in 1900–2099 and a correct check character."""
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789Xx":
        return False
    year = int(value[6:10])
    if not 1900 <= year <= 2099 or not _real_date(year, int(value[10:12]), int(value[12:14])):
        return False
    return id_check_char(value[:17]) == value[17].upper()


def is_legacy_resident_id(value: str) -> bool:
    """15 digits whose 7th–12th digits are a birth date 19YYMMDD with YY ≥ 10."""
    if len(value) != 15 or not value.isdigit():
        return False
    yy, month, day = int(value[6:8]), int(value[8:10]), int(value[10:12])
    return yy >= 10 and _real_date(1900 + yy, month, day)


def is_uscc(value: str) -> bool:
    """A 统一社会信用代码 with a correct GB 32100 check character."""
    value = value.upper()
    try:
        return len(value) == 18 and stdnum_uscc.calc_check_digit(value) == value[17]
    except (KeyError, ValueError, IndexError):
        return False


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_MOBILE = re.compile(r"(?:0086|86)?1[3-9][0-9]{9}")

# A digit group: runs of digits separated by one space or hyphen; an ID's
# final X may end it.
# A mask's * counts as a digit at the edges, so the digits a mask leaves
# (138****8000) are never looked at again: redacting twice changes nothing.
_GROUP = re.compile(
    r"(?<![0-9*])(?<![0-9*][ -])[0-9]+(?:[ -][0-9]+)*(?:[Xx](?![A-Za-z0-9]))?(?![*])"
)
_RUN = re.compile(r"[0-9]+[Xx]?")
# ASCII words allowed right before a number (Tel13800138000, No.…).
_PREFIX_WORDS = frozenset(("tel", "mobile", "mob", "phone", "fax", "no", "id", "qq", "m", "t"))
_PREFIX_WORD = re.compile(r"([A-Za-z]+)\.?$")

_CONTEXT = re.compile(
    "(?P<id>公民身份号码|身份证号码|身份证号|身份证|身份号码|证件号码|证件号|护照号码|护照号|护照)"
    "|(?P<bank>银行账号|银行帐号|银行账户|银行帐户|银行卡号|银行卡|账号|帐号|账户|帐户|卡号|开户行)"
    "|(?P<phone>联系电话|联系方式|电话号码|电话|手机号码|手机号|手机|座机|传真|电邮|微信|"
    "[Tt][Ee][Ll]|[Mm]obile|[Pp]hone)"
    "|(?P<uscc>统一社会信用代码|社会信用代码|信用代码|组织机构代码|USCC)"
    "|(?P<skip>编号|案号|文号|单号|流水号|批号|批次|条码|条形码|注册号|许可证号|许可证|证书号|"
    "证书|登记号|备案号|合同号|发票号|发票|车架号|发动机号|序列号|型号|邮编|邮政编码|代码|"
    "[〔\\[(]20[0-9]{2}[〕\\])])"
)
_CONTEXT_WIDTH = 16
_AMOUNT_AFTER = re.compile(r"(?:\.[0-9]+)?\s?(?:元|万元|亿元|美元|港元|欧元|%|‰)")

STRENGTH = {
    "id_number.checksum": 0,
    "id_number.context": 1,
    "bank_account.context": 1,
    "phone.context": 1,
    "phone.mobile": 2,
    "bank_account.luhn": 3,
    "id_number.legacy": 4,
}
KIND = {
    "id_number.checksum": "id_number",
    "id_number.context": "id_number",
    "id_number.legacy": "id_number",
    "bank_account.context": "bank_account",
    "bank_account.luhn": "bank_account",
    "phone.context": "phone",
    "phone.mobile": "phone",
}


def context_of(folded: str, start: int) -> str | None:
    """The kind of the nearest context word before `start` in the same clause."""
    window = clause_before(folded, start, _CONTEXT_WIDTH)
    matches = list(_CONTEXT.finditer(window))
    if not matches or "*" in window[matches[-1].end() :]:
        # No word, or a mask stands between it and the number: the word was
        # about the masked number (账号：****0123 4567), not this one.
        return None
    return matches[-1].lastgroup


def _glued_to_letters(folded: str, start: int, end: int) -> bool:
    if end < len(folded) and folded[end].isascii() and folded[end].isalpha():
        return True
    if start and folded[start - 1].isascii() and folded[start - 1].isalpha():
        word = _PREFIX_WORD.search(folded, max(0, start - 8), start)
        return not (word and word.group(1).lower() in _PREFIX_WORDS)
    return False


def _is_amount(folded: str, start: int, end: int) -> bool:
    return bool(_AMOUNT_AFTER.match(folded, end)) or folded[max(0, start - 1) : start] in (
        "¥",
        "￥",
        "$",
    )


def classify(folded: str, digits: str, start: int, end: int, context: str | None) -> str | None:
    """The rule that masks `digits` (found at folded[start:end]), or None.

    context: the kind of context word before the number (`context_of`).
    """
    n = len(digits)
    if n == 18 and is_resident_id(digits):
        if context == "uscc" and is_uscc(digits):
            return None
        return "id_number.checksum"
    if digits[-1] in "Xx" and not (context == "id" and n in (15, 18)):
        return None
    if _is_amount(folded, start, end):
        return None
    if context == "id" and n in (15, 18):
        return "id_number.context"
    if context in ("skip", "uscc"):
        return None
    if _MOBILE.fullmatch(digits) and (
        n == 11 or digits.startswith("0086") or folded[start - 1 : start] == "+"
    ):
        return "phone.mobile"
    if context == "bank" and n >= 10:
        return "bank_account.context"
    if context == "phone" and 7 <= n <= 12 and not digits.startswith(("400", "800")):
        return "phone.context"  # 400/800 numbers are organisations' service lines
    if 13 <= n <= 19 and luhn_ok(digits):
        return "bank_account.luhn"
    if n == 15 and is_legacy_resident_id(digits):
        return "id_number.legacy"
    return None


def _group_spans(folded: str, start: int, end: int) -> list[Span]:
    runs = [(m.start(), m.end()) for m in _RUN.finditer(folded, start, end)]
    context = context_of(folded, start)
    # A context word is about the whole group (电话：138 5712 3456, not 138
    # 5712), so for a part of it only the words that forbid masking apply.
    inner = context if context in ("skip", "uscc") else None
    candidates: list[tuple[int, int, int, int, str]] = []

    def consider(s: int, e: int, digits: str, context: str | None) -> None:
        rule = classify(folded, digits, s, e, context)
        if rule:
            if rule == "phone.mobile" and folded[s - 1 : s] == "+":
                s -= 1
            candidates.append((STRENGTH[rule], s - e, s, e, rule))

    if context in ("id", "bank", "phone"):  # the whole group, however long
        consider(start, end, re.sub(r"[ -]", "", folded[start:end]), context)
    for i in range(len(runs)):
        digits = ""
        for j in range(i, len(runs)):
            digits += folded[runs[j][0] : runs[j][1]]
            if len(digits) > 23:
                break
            consider(runs[i][0], runs[j][1], digits, inner)
    spans: list[Span] = []
    for _, _, s, e, rule in sorted(candidates):
        if any(s < o.end and o.start < e for o in spans):
            continue
        kind = KIND[rule]
        spans.append(Span(s, e, kind, rule, masks.mask(kind, folded[s:e])))
    return spans


_LANDLINE = re.compile(
    r"(?<![0-9*])(?<![0-9*][ -])"
    r"(?:\((?P<area1>010|02[0-9]|0[3-9][0-9]{2})\)\s?"
    r"|(?P<area2>010|02[0-9]|0[3-9][0-9]{2})(?:\s?-\s?|\s)?)"
    r"(?P<local>[2-9][0-9]{2,3}[ -]?[0-9]{4})"
    r"(?:\s?(?:-|转|分机|ext\.?|[xX])\s?(?P<ext>[0-9]{1,6}))?"
    r"(?![0-9*])"
)


def _landline_spans(folded: str) -> list[Span]:
    spans = []
    for m in _LANDLINE.finditer(folded):
        if _glued_to_letters(folded, m.start(), m.end()):
            continue
        local = re.sub(r"[^0-9]", "", m.group("local"))
        if len(local) not in (7, 8):
            continue
        area = m.group("area1") or m.group("area2")
        replacement = f"{area}-{'*' * (len(local) - 2)}{local[-2:]}"
        if m.group("ext"):
            replacement += "转" + "*" * len(m.group("ext"))
        spans.append(Span(m.start(), m.end(), "phone", "phone.landline", replacement))
    return spans


_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)

_PASSPORT = re.compile(r"(?<![A-Za-z0-9*])[A-Za-z]{1,2}[0-9]{7,9}(?![A-Za-z0-9*])")


def detect_numbers(folded: str) -> list[Span]:
    """ID numbers, phones, bank cards and e-mail addresses in the folded text."""
    spans: list[Span] = []
    for m in _GROUP.finditer(folded):
        if not _glued_to_letters(folded, m.start(), m.end()):
            spans.extend(_group_spans(folded, m.start(), m.end()))
    spans.extend(_landline_spans(folded))
    for m in _PASSPORT.finditer(folded):
        if context_of(folded, m.start()) == "id":
            spans.append(
                Span(m.start(), m.end(), "id_number", "id_number.context", "*" * len(m.group()))
            )
    for m in _EMAIL.finditer(folded):
        spans.append(
            Span(m.start(), m.end(), "email", "email.address", masks.mask_email(m.group()))
        )
    return spans
