"""Highlighted hits for search results: the matched terms wrapped in <mark>,
everything else escaped. Done in Python over the published text, so both
backends show the same thing."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhifa.disclosure.search.tokens import Query


def _pattern(query: Query) -> re.Pattern[str] | None:
    words = sorted({t.text for t in query.terms}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def _marked(text: str, pattern: re.Pattern[str]) -> str:
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def highlight(text: str, query: Query) -> SafeString:
    pattern = _pattern(query)
    if pattern is None:
        return mark_safe(escape(text))
    return mark_safe(_marked(text, pattern))


def snippet(text: str, query: Query, *, width: int = 60) -> SafeString:
    """About `width` characters either side of the first hit (or the start)."""
    text = " ".join(text.split())
    pattern = _pattern(query)
    match = pattern.search(text) if pattern else None
    if match is None:
        piece = text[: width * 2]
        return mark_safe(escape(piece) + ("…" if len(text) > len(piece) else ""))
    start = max(0, match.start() - width)
    end = min(len(text), match.end() + width)
    body = _marked(text[start:end], pattern)
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))
