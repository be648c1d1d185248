"""`redact()`: layer 1 (what the case knows), then the detectors, then one merge."""

from __future__ import annotations

from collections.abc import Iterable

from . import masks
from .addresses import detect_addresses
from .known import known_spans, protected_ranges
from .names import detect_names
from .numbers import detect_numbers
from .text import fold
from .types import KINDS, RULES, Known, Policy, Result, Span

_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
_RULE_ORDER = {rule: i for i, rule in enumerate(RULES)}


def redact(text: str, *, known: Known | None = None, policy: Policy | None = None) -> Result:
    """Mask personal data in `text` (a decision, a notice, …) for publication.

    Layer 1 masks everything in `known` wherever it appears; layer 2 runs the
    detectors (numbers.py, addresses.py, names.py — each documents what it
    catches and misses). Spans' offsets are code points into `text`; the
    result is a *proposal* that a reviewer confirms (issue 8).
    """
    known = known or Known()
    policy = policy or Policy()
    folded = fold(text)

    protected = protected_ranges(folded, known, policy)
    keep_names = {folded[s:e] for s, e in protected}
    name_spans, keep_names = detect_names(
        folded, mask_party=policy.party_name == "mask", keep=keep_names
    )
    detected = [*detect_numbers(folded), *detect_addresses(folded)]
    detected += [
        span
        for span in name_spans
        if not any(span.start < e and s < span.end for s, e in protected)
    ]
    spans = merge([*known_spans(folded, known, policy), *detected], folded)
    return Result(text=apply_spans(text, spans), spans=spans)


def _winner_key(span: Span, start: int, end: int) -> tuple[int, int, int, int, int, int]:
    covers = span.start == start and span.end == end
    return (
        0 if covers else 1,
        0 if span.known else 1,
        span.start - span.end,
        _KIND_ORDER.get(span.kind, 99),
        _RULE_ORDER.get(span.rule, 99),
        span.start,
    )


def merge(spans: Iterable[Span], folded: str) -> list[Span]:
    """Overlapping spans become one span over their union, deterministically.

    The union takes the kind and rule of one member: one that covers the whole
    union if any, then known data before detectors, then the longer span,
    then the kind order of types.KINDS, then the rule order of types.RULES.
    If that member covers the union its replacement is kept; otherwise the
    union gets its kind's mask. Touching spans are not merged.
    """
    ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.rule))
    clusters: list[list[Span]] = []
    end = -1
    for span in ordered:
        if clusters and span.start < end:
            clusters[-1].append(span)
            end = max(end, span.end)
        else:
            clusters.append([span])
            end = span.end
    merged = []
    for cluster in clusters:
        start, stop = cluster[0].start, max(s.end for s in cluster)
        winner = min(cluster, key=lambda s: _winner_key(s, start, stop))
        if winner.start == start and winner.end == stop:
            merged.append(winner)
        else:
            replacement = masks.mask(winner.kind, folded[start:stop])
            merged.append(Span(start, stop, winner.kind, winner.rule, replacement))
    return merged


def apply_spans(text: str, spans: Iterable[Span]) -> str:
    """`text` with each span replaced; spans must not overlap (as `merge` returns).

    Also for a reviewer's edited list: removing a span restores the original,
    adding one (with `masks.mask(kind, value)` as its replacement) masks more.
    """
    out = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < pos or span.end > len(text) or span.start >= span.end:
            raise ValueError(f"遮蔽区间 {span.start}–{span.end} 与其他区间重叠或超出文本范围。")
        out.append(text[pos : span.start])
        out.append(span.replacement)
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
