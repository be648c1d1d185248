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

Names of known organisations and representatives, and the addresses of
organisations, are *kept*: their occurrences are returned as protected
ranges, and a known name found only inside a known organisation's name or
address (张三 in 杭州张三餐饮有限公司) is not masked there. Inside a known
individual business (`Known.businesses`) it is: 张三烧烤店 → 张某烧烤店, and
the given name of a masked person as a shop's 字号 too (玉兰副食店 for 钱玉兰 →
某某副食店; names.business_names).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from . import masks
from .addresses import _admin_end
from .names import business_names
from .text import fold
from .types import Known, Policy, Span

_SEP = r"[\s-]?"
_PHONE_SEP = r"[\s\-()（）]{0,2}"


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
    return r"\s*[·•・.]\s*".join(r"\s*".join(re.escape(c) for c in part) for part in parts)


def _id_patterns(value: str) -> list[str]:
    digits = _digits(value)
    if len(digits) < 6:
        return []
    forms = [digits]
    if len(digits) == 18 and digits[6:8] == "19":
        forms.append(digits[:6] + digits[8:17])  # the 15-digit form of the older series
    return [_SEP.join("[Xx]" if c == "X" else c for c in form) for form in forms]


def _phone_patterns(value: str) -> list[str]:
    digits = re.sub(r"[^0-9]", "", fold(value))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) < 5:
        return []
    number = _PHONE_SEP.join(digits)
    if re.fullmatch(r"1[3-9][0-9]{9}", digits):
        return [r"(?:\+86|0086|86)[\s-]?" + number, number]
    patterns = [number, r"[(（]" + number]
    if digits.startswith("0") and len(digits) >= 10:
        patterns.append(_PHONE_SEP.join(digits[3:] if digits[1] in "12" else digits[4:]))
    return patterns


def _account_patterns(value: str) -> list[str]:
    digits = re.sub(r"[^0-9]", "", fold(value))
    return [_SEP.join(digits)] if len(digits) >= 6 else []


def _email_patterns(value: str) -> list[str]:
    value = fold(value).strip()
    return [re.escape(value)] if "@" in value else []


@lru_cache(maxsize=512)
def _combined(kind: str, values: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation for all values of a kind, longest first; each starts
    with a plain character, so the regex engine skips other text in C."""
    make: Callable[[str], list[str]] = {
        "name": lambda v: [p for p in [_name_pattern(v)] if p],
        "id_number": _id_patterns,
        "phone": _phone_patterns,
        "bank_account": _account_patterns,
        "email": _email_patterns,
    }[kind]
    patterns = sorted({p for v in values for p in make(v)}, key=len, reverse=True)
    if not patterns:
        return None
    return re.compile("|".join(patterns), re.IGNORECASE if kind == "email" else 0)


# What may not stand right before / after a match, per kind (word boundaries
# for numbers and e-mail addresses; names have none in Chinese).
_EDGES = {
    "id_number": ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "0123456789"),
    "phone": ("0123456789", "0123456789"),
    "bank_account": ("0123456789", "0123456789"),
    "email": (
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    ),
}


def _find(kind: str, values: Iterable[str], folded: str) -> list[tuple[int, int]]:
    pattern = _combined(kind, tuple(values))
    if pattern is None:
        return []
    before, after = _EDGES.get(kind, ("", ""))
    found = []
    for m in pattern.finditer(folded):
        start, end = m.span()
        if start and folded[start - 1] in before:
            continue
        if end < len(folded) and folded[end] in after:
            continue
        found.append((start, end))
    return found


@lru_cache(maxsize=1024)
def _address_patterns(value: str) -> tuple[tuple[re.Pattern[str], int], ...]:
    """(pattern, length of the administrative prefix) for the whole and the detail."""
    core = "".join(fold(value).split())
    if len(core) < 4:
        return ()
    keep = _admin_end(core)
    forms = [(core, keep)]
    if keep and len(core) - keep >= 4:
        forms.append((core[keep:], 0))
    return tuple((re.compile(r"\s*".join(re.escape(c) for c in form)), k) for form, k in forms)


def _address_ranges(folded: str, values: Iterable[str]) -> list[tuple[int, int]]:
    """Whole occurrences of addresses (and of their detail alone)."""
    found = []
    for value in values:
        for pattern, _ in _address_patterns(value):
            found += [m.span() for m in pattern.finditer(folded)]
    return found


@dataclass(frozen=True)
class KeptRanges:
    """Where the known data that stays occurs in the folded text."""

    organisations: list[tuple[int, int]]  # and their addresses
    businesses: list[tuple[int, int]]
    names: list[tuple[int, int]]  # representatives, and the party's if kept

    @property
    def for_detectors(self) -> list[tuple[int, int]]:
        """No detector span may cut into these (engine.redact)."""
        return [*self.organisations, *self.businesses]

    @property
    def for_names(self) -> list[tuple[int, int]]:
        """No name may be masked here. Businesses are not: a person's name
        inside one is masked (Known.businesses)."""
        return [*self.organisations, *self.names]


def kept_ranges(folded: str, known: Known, policy: Policy) -> KeptRanges:
    """Where known organisations and their addresses, individual businesses,
    representatives (and a kept party's name) occur."""
    names = [*known.representatives]
    if policy.party_name == "keep":
        names += known.party_names
    return KeptRanges(
        organisations=[
            *_find("name", known.organisations, folded),
            *_address_ranges(folded, known.organisation_addresses),
        ],
        businesses=_find("name", known.businesses, folded),
        names=_find("name", names, folded),
    )


def masked_names(known: Known, policy: Policy) -> list[str]:
    """The known names that are masked under `policy`."""
    return [*known.names, *(known.party_names if policy.party_name == "mask" else ())]


def known_spans(
    folded: str, known: Known, policy: Policy, kept_at: KeptRanges | None = None
) -> list[Span]:
    """Layer 1 spans over the folded text."""
    spans: list[Span] = []
    kept_at = kept_at or kept_ranges(folded, known, policy)
    kept = kept_at.organisations

    def add_names(values: Iterable[str], rule: str) -> None:
        for start, end in _find("name", values, folded):
            if any(s <= start and end <= e for s, e in kept):
                continue
            spans.append(Span(start, end, "name", rule, masks.mask_name(folded[start:end])))

    add_names(known.names, "known.name")
    if policy.party_name == "mask":
        add_names(known.party_names, "known.party_name")
    for start, end in business_names(folded, masked_names(known, policy), kept_at.businesses):
        if not any(s <= start and end <= e for s, e in kept):
            spans.append(Span(start, end, "name", "known.name_in_business", "某" * (end - start)))
    for kind, values in (
        ("id_number", known.id_numbers),
        ("phone", known.phones),
        ("bank_account", known.bank_accounts),
        ("email", known.emails),
    ):
        for start, end in _find(kind, values, folded):
            replacement = masks.mask(kind, folded[start:end])
            spans.append(Span(start, end, kind, f"known.{kind}", replacement))
    for value in known.addresses:
        for pattern, keep in _address_patterns(value):
            for m in pattern.finditer(folded):
                start = m.start()
                # Skip the kept prefix (and any whitespace inside it).
                kept_chars = 0
                while kept_chars < keep and start < m.end():
                    if not folded[start].isspace():
                        kept_chars += 1
                    start += 1
                if start < m.end():
                    spans.append(Span(start, m.end(), "address", "known.address", "***"))
    return spans
