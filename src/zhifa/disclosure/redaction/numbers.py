"""Detectors for numbers and e-mail: 公民身份号码, phones, bank cards, e-mail.

All run on the width-folded text (see `text.fold`).

How a number is found. A *group* is a run of digits in which single spaces
or hyphens may separate digit runs (138 0013 8000, 3301 0619 8001 0112 34,
6222-0212-3456-7890-128); it must not touch ASCII letters (so the digits
inside a USCC such as 91330106MA2B3C4D5E are never looked at), except after
a short prefix such as Tel or No, nor a mask's * (so what a mask leaves,
138****8000, is never looked at again). Every stretch of whole runs of a
group is classified; the strongest classification wins, then the longest:

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

Contact handles (`phone.account`, kind phone): a WeChat ID or QQ number
after 微信号/QQ (微信号：fzq1979 → 微信号：f***).

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


_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check of bank card numbers."""
    total = sum(map(int, digits[-1::-2])) + sum(_LUHN_DOUBLED[int(c)] for c in digits[-2::-2])
    return total % 10 == 0


_MOBILE = re.compile(r"(?:0086|86)?1[3-9][0-9]{9}")

# A digit group: runs of digits separated by one space or hyphen; an ID's
# final X may end it. Every pattern here starts with a plain character class,
# so the regex engine skips the Chinese text between candidates in C; what
# may stand before a match is checked in Python (`_after_mask`, `_touches`).
_GROUP = re.compile(r"[0-9](?>[0-9]*(?:[ -][0-9]+)*)(?:[Xx](?![A-Za-z0-9]))?")
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
    "证书|登记号|备案号|合同号|发票号|发票|车架号|发动机号|序列号|型号|邮编|邮政编码|代码)"
)
_CONTEXT_WIDTH = 16
_CURRENCY = frozenset("¥￥$")
_DIGITS_OR_MASK = frozenset("0123456789*")
_ALNUM_OR_MASK = frozenset("0123456789*ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
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


def _after_mask(folded: str, start: int, end: int) -> bool:
    """A mask's * counts as a digit at the edges: the digits a mask leaves
    (138****8000) are never looked at again, so redacting twice changes nothing."""
    return folded[start - 1 : start] == "*" or folded[end : end + 1] == "*"


def _glued_to_letters(folded: str, start: int, end: int) -> bool:
    if end < len(folded) and folded[end].isascii() and folded[end].isalpha():
        return True
    if start and folded[start - 1].isascii() and folded[start - 1].isalpha():
        word = _PREFIX_WORD.search(folded, max(0, start - 8), start)
        return not (word and word.group(1).lower() in _PREFIX_WORDS)
    return False


def _is_amount(folded: str, start: int, end: int) -> bool:
    return bool(_AMOUNT_AFTER.match(folded, end)) or folded[start - 1 : start] in _CURRENCY


def _touches(folded: str, start: int, chars: frozenset[str]) -> bool:
    """The character before `start`, or the one before a space or hyphen there, is in `chars`."""
    before = folded[start - 1] if start else ""
    if before in (" ", "-") and start >= 2:
        before = folded[start - 2]
    return before in chars


def classify(folded: str, digits: str, start: int, end: int, context: str | None) -> str | None:
    """The rule that masks `digits` (found at folded[start:end]), or None.

    context: the kind of context word before the number (`context_of`).
    """
    n = len(digits)
    if n < 7 or digits.count(digits[0]) == n:
        # No rule masks fewer digits (dates, article numbers, amounts), nor a
        # filler such as 00000000-0000-0000 (which passes Luhn).
        return None
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
        # At most 11 runs (a mobile number written digit by digit) and 23 digits.
        for j in range(i, min(i + 11, len(runs))):
            digits += folded[runs[j][0] : runs[j][1]]
            if len(digits) > 23:
                break
            if len(digits) >= 7:
                consider(runs[i][0], runs[j][1], digits, inner)
    spans: list[Span] = []
    for _, _, s, e, rule in sorted(candidates):
        if any(s < o.end and o.start < e for o in spans):
            continue
        kind = KIND[rule]
        spans.append(Span(s, e, kind, rule, masks.mask(kind, folded[s:e])))
    return spans


_LANDLINE = re.compile(
    r"[(（0](?:(?<=[(（])(?P<area1>010|02[0-9]|0[3-9][0-9]{2})[)）]\s?"
    r"|(?<=0)(?P<area2>10|2[0-9]|[3-9][0-9]{2})(?:\s?-\s?|\s)?)"
    r"(?P<local>[2-9][0-9]{2,3}[ -]?[0-9]{4})"
    r"(?:\s?(?:-|转|分机|ext\.?|[xX])\s?(?P<ext>[0-9]{1,6}))?"
    r"(?![0-9*])"
)


def _landline_spans(folded: str) -> list[Span]:
    spans = []
    for m in _LANDLINE.finditer(folded):
        start = m.start()
        if _touches(folded, start, _DIGITS_OR_MASK) or _glued_to_letters(folded, start, m.end()):
            continue
        local = re.sub(r"[^0-9]", "", m.group("local"))
        if len(local) not in (7, 8):
            continue
        area = m.group("area1") or "0" + m.group("area2")
        replacement = f"{area}-{'*' * (len(local) - 2)}{local[-2:]}"
        if m.group("ext"):
            replacement += "转" + "*" * len(m.group("ext"))
        spans.append(Span(m.start(), m.end(), "phone", "phone.landline", replacement))
    return spans


# An e-mail address is found from its @: the local part is read backwards
# (at most 64 characters, starting with a letter or digit), the domain with
# this pattern — linear in the text, however long a run of letters is.
_LOCAL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_DOMAIN = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)

# WeChat IDs (6–20 characters starting with a letter) and QQ numbers after
# their name: contact details (通信方式, PUB-08), masked with kind "phone".
_HANDLE = re.compile(
    r"(?:微信|QQ|qq)(?:号码|号)?\s?[:：]?\s?"
    r"(?P<handle>[A-Za-z][A-Za-z0-9_-]{5,19}|[1-9][0-9]{4,11})(?![A-Za-z0-9_-])"
)

_PASSPORT = re.compile(r"[A-Za-z][A-Za-z]?[0-9]{7,9}(?![A-Za-z0-9*])")


def detect_numbers(folded: str) -> list[Span]:
    """ID numbers, phones, bank cards and e-mail addresses in the folded text."""
    spans: list[Span] = []
    for m in _GROUP.finditer(folded):
        start, end = m.span()
        # Fewer than 7 digits (dates, article numbers, amounts) match no rule.
        if end - start < 7 or _after_mask(folded, start, end):
            continue
        if not _glued_to_letters(folded, start, end):
            spans.extend(_group_spans(folded, start, end))
    spans.extend(_landline_spans(folded))
    for m in _PASSPORT.finditer(folded):
        start = m.start()
        if folded[start - 1 : start] not in _ALNUM_OR_MASK and context_of(folded, start) == "id":
            spans.append(
                Span(start, m.end(), "id_number", "id_number.context", "*" * len(m.group()))
            )
    for m in _HANDLE.finditer(folded):
        start, end = m.span("handle")
        if folded[start - 1 : start] != "*":
            spans.append(Span(start, end, "phone", "phone.account", folded[start] + "***"))
    spans.extend(_email_spans(folded))
    return spans


def _email_spans(folded: str) -> list[Span]:
    spans = []
    at = folded.find("@")
    while at != -1:
        start = at
        while start > 0 and folded[start - 1] in _LOCAL_CHARS and at - start <= 64:
            start -= 1
        too_long = at - start > 64  # not an address: a long run of letters
        while start < at and not folded[start].isalnum():
            start += 1  # the local part starts with a letter or digit
        domain = _DOMAIN.match(folded, at + 1)
        if start < at and domain and not too_long:
            value = folded[start : domain.end()]
            spans.append(
                Span(start, domain.end(), "email", "email.address", masks.mask_email(value))
            )
        at = folded.find("@", at + 1)
    return spans
