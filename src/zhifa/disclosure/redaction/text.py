"""Text helpers shared by the detectors: width folding and character classes.

Every detector runs on a *folded* copy of the text, in which full-width
digits and Latin letters, the full-width ＋ － ． ＠ ＿ ％ ＃ signs, the
ideographic and no-break spaces and the common dash variants are replaced by
their ASCII counterparts. Chinese punctuation (，：；（） …) is left as it is:
the detectors' patterns accept both forms, and folding it would cost more
time than all the detectors together (it is in almost every clause).

The folding is one code point for one code point, so an offset into the
folded copy is the same offset into the original text: spans never need
re-mapping.
"""

from __future__ import annotations

import re

_FOLDED = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+-.@_%#"
_FOLD: dict[int, int] = {ord(c) + 0xFEE0: ord(c) for c in _FOLDED}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2007: 0x20, 0x202F: 0x20})
_FOLD.update(dict.fromkeys((0x2010, 0x2011, 0x2012, 0x2013, 0x2212, 0xFE63), 0x2D))
_TO_FOLD = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]+")


def fold(text: str) -> str:
    """Full-width digits, letters and signs to ASCII, one code point for one."""
    return _TO_FOLD.sub(lambda m: m.group().translate(_FOLD), text)


# CJK unified ideographs (basic block and extension A).
CJK = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_RE = re.compile(f"[{CJK}]")

# Where a clause ends: a context word further back does not apply.
CLAUSE_END = "。;；\n\r!?！？"
_CLAUSE_TAIL = re.compile(f"[^{CLAUSE_END}]*\\Z")


def clause_before(folded: str, start: int, width: int) -> str:
    """Up to `width` characters before `start`, cut at the last clause end."""
    window = folded[max(0, start - width) : start]
    return _CLAUSE_TAIL.search(window).group()


def is_mask_text(value: str) -> bool:
    """True for text that is already a mask (only *, 某 and separators)."""
    return bool(value) and not value.strip("*某 -·")
