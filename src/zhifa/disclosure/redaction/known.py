"""Layer 1: what the case knows, masked wherever it appears (also in variants).

Each known value becomes a pattern over the width-folded text:

- names: any whitespace (also the ideographic space) between the characters,
  and any of · • ・ . between the parts of a name such as 买买提·艾力;
  names in Latin letters are matched case-insensitively between word
  boundaries; values shorter than 2 characters are ignored;
- ID numbers: an optional space or hyphen between characters, x or X, and
  for an 18-digit number also its 15-digit form of the older series;
- phones: separators between digits, an optional +86/0086/86 before a mobile
  number, brackets around an area code, and a landline also without its area
  code;
- bank accounts: separators between digits;
- e-mail: case-insensitive;
- addresses: whitespace between characters; the part below the township is
  also matched on its own (文三路100号3幢201室 without 浙江省杭州市西湖区),
  when it has at least 4 characters. The span covers only that part.

Names of known organisations and representatives are *kept*: their
occurrences are returned as protected ranges; a known name found only inside
a known organisation's name (张三 in 张三餐饮店) is not masked there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import masks
from .addresses import _admin_end
from .text import fold
from .types import Known, Policy, Span

_SEP = r"[\s-]?"


def _digits(value: str) -> str:
    return re.sub(r"[^0-9Xx]", "", fold(value)).upper()


def _name_pattern(name: str) -> str | None:
    core = "".join(fold(name).split())
    if len(core) < 2:
        return None
    if core.isascii():
        words = [re.escape(w) for w in fold(name).split()]
        return r"(?i:\b" + r"\s+".join(words) + r"\b)"
    parts = re.split(r"[·•・.]", core)
    joined = r"\s*[·•・.]\s*".join(r"\s*".join(re.escape(c) for c in part) for part in parts)
    return joined


def _id_patterns(value: str) -> list[str]:
    digits = _digits(value)
    if len(digits) < 6:
        return []
    forms = [digits]
    if len(digits) == 18 and digits[6:8] == "19":
        forms.append(digits[:6] + digits[8:17])  # the 15-digit form of the older series
    return [
        r"(?<![0-9A-Za-z])" + _SEP.join("[Xx]" if c == "X" else c for c in form) + r"(?![0-9])"
        for form in forms
    ]


def _phone_patterns(value: str) -> list[str]:
    digits = re.sub(r"[^0-9]", "", fold(value))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) < 5:
        return []
    sep = r"[\s\-()]{0,2}"
    if re.fullmatch(r"1[3-9][0-9]{9}", digits):
        return [r"(?<![0-9])(?:(?:\+|00)?86[\s-]?)?" + sep.join(digits) + r"(?![0-9])"]
    patterns = [r"(?<![0-9])\(?" + sep.join(digits) + r"(?![0-9])"]
    if digits.startswith("0") and len(digits) >= 10:
        local = digits[3:] if digits[1] in "12" else digits[4:]
        patterns.append(r"(?<![0-9])" + sep.join(local) + r"(?![0-9])")
    return patterns


def _account_pattern(value: str) -> str | None:
    digits = re.sub(r"[^0-9]", "", fold(value))
    if len(digits) < 6:
        return None
    return r"(?<![0-9])" + _SEP.join(digits) + r"(?![0-9])"


def _address_patterns(value: str) -> list[tuple[str, int]]:
    """(pattern, length of the administrative prefix) for the whole and the detail."""
    core = "".join(fold(value).split())
    if len(core) < 4:
        return []
    keep = _admin_end(core)
    forms = [(core, keep)]
    if keep and len(core) - keep >= 4:
        forms.append((core[keep:], 0))
    return [(r"\s*".join(re.escape(c) for c in form), k) for form, k in forms]


def _finditer(patterns: Iterable[str], folded: str) -> list[tuple[int, int]]:
    found = []
    for pattern in patterns:
        found += [(m.start(), m.end()) for m in re.finditer(pattern, folded)]
    return found


def protected_ranges(folded: str, known: Known, policy: Policy) -> list[tuple[int, int]]:
    """Where known organisations, representatives (and a kept party's name) occur."""
    values = [*known.organisations, *known.representatives]
    if policy.party_name == "keep":
        values += known.party_names
    return _finditer(filter(None, map(_name_pattern, values)), folded)


def known_spans(folded: str, known: Known, policy: Policy) -> list[Span]:
    """Layer 1 spans over the folded text."""
    spans: list[Span] = []
    organisations = _finditer(filter(None, map(_name_pattern, known.organisations)), folded)

    def add_names(values: Iterable[str], rule: str) -> None:
        for start, end in _finditer(filter(None, map(_name_pattern, values)), folded):
            if any(s <= start and end <= e for s, e in organisations):
                continue
            spans.append(Span(start, end, "name", rule, masks.mask_name(folded[start:end])))

    add_names(known.names, "known.name")
    if policy.party_name == "mask":
        add_names(known.party_names, "known.party_name")
    for value in known.id_numbers:
        for start, end in _finditer(_id_patterns(value), folded):
            replacement = masks.mask_id_number(folded[start:end])
            spans.append(Span(start, end, "id_number", "known.id_number", replacement))
    for value in known.phones:
        for start, end in _finditer(_phone_patterns(value), folded):
            replacement = masks.mask_phone(folded[start:end])
            spans.append(Span(start, end, "phone", "known.phone", replacement))
    for value in known.bank_accounts:
        pattern = _account_pattern(value)
        for start, end in _finditer([pattern] if pattern else [], folded):
            replacement = masks.mask_bank_account(folded[start:end])
            spans.append(Span(start, end, "bank_account", "known.bank_account", replacement))
    for value in known.emails:
        pattern = (
            r"(?i:(?<![A-Za-z0-9._%+-])" + re.escape(fold(value).strip()) + r"(?![A-Za-z0-9]))"
        )
        for start, end in _finditer([pattern], folded):
            replacement = masks.mask_email(folded[start:end])
            spans.append(Span(start, end, "email", "known.email", replacement))
    for value in known.addresses:
        for pattern, keep in _address_patterns(value):
            for m in re.finditer(pattern, folded):
                start = m.start()
                # Skip the kept prefix (and any whitespace inside it).
                kept = 0
                while kept < keep and start < m.end():
                    if not folded[start].isspace():
                        kept += 1
                    start += 1
                if start < m.end():
                    spans.append(Span(start, m.end(), "address", "known.address", "***"))
    return spans
