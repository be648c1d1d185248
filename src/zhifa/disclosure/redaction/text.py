"""Text helpers shared by the detectors: width folding and character classes.

Every detector runs on a *folded* copy of the text, in which full-width
digits, letters and punctuation (U+FF01–U+FF5E), the ideographic space and the
common dash variants are replaced by their ASCII counterparts. The folding is
one code point for one code point, so an offset into the folded copy is the
same offset into the original text: spans never need re-mapping.
"""

from __future__ import annotations

import re

_FOLD: dict[int, int] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2007: 0x20, 0x202F: 0x20})
_FOLD.update(dict.fromkeys((0x2010, 0x2011, 0x2012, 0x2013, 0x2212, 0xFE63), 0x2D))


def fold(text: str) -> str:
    """Full-width forms to ASCII, one code point for one (offsets are kept)."""
    return text.translate(_FOLD)


# CJK unified ideographs (basic block and extension A).
CJK = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_RE = re.compile(f"[{CJK}]")

# Where a clause ends: a context word further back does not apply.
CLAUSE_END = "。;；\n\r!?！？"


def clause_before(folded: str, start: int, width: int) -> str:
    """Up to `width` characters before `start`, cut at the last clause end."""
    window = folded[max(0, start - width) : start]
    cut = max(window.rfind(c) for c in CLAUSE_END)
    return window[cut + 1 :]


def is_mask_text(value: str) -> bool:
    """True for text that is already a mask (only *, 某 and separators)."""
    return bool(value) and not value.strip("*某 -·")
