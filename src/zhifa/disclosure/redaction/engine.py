"""`redact()`: layer 1 (what the case knows), then the detectors, then one merge."""

from __future__ import annotations

from collections.abc import Iterable

from . import masks
from .addresses import detect_addresses
from .known import kept_ranges, known_spans, masked_names
from .names import business_names, detect_names
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

    kept_at = kept_ranges(folded, known, policy)
    protected, kept = kept_at.for_names, kept_at.for_detectors
    keep_names = {folded[s:e] for s, e in protected}
    name_spans, keep_names = detect_names(
        folded, mask_party=policy.party_name == "mask", keep=keep_names
    )
    name_spans = [s for s in name_spans if not _overlaps(s, protected)]
    detected = [*_outside(detect_numbers(folded), kept), *_outside(detect_addresses(folded), kept)]
    known_found = known_spans(folded, known, policy, kept_at)
    # The 字号 of a shop named after a person whose name is masked (玉兰副食店).
    found_names = {folded[s.start : s.end] for s in name_spans if s.rule != "name.repeat"}
    found_names -= set(masked_names(known, policy))  # those are layer 1's (known.py)
    for start, end in business_names(folded, found_names):
        span = Span(start, end, "name", "name.business", "某" * (end - start))
        if not _overlaps(span, protected) and not _overlaps(span, kept, inside_ok=True):
            detected.append(span)
    spans = merge([*known_found, *detected, *name_spans], folded)
    return Result(text=apply_spans(text, spans), spans=spans)


def _overlaps(span: Span, ranges: Iterable[tuple[int, int]], *, inside_ok: bool = False) -> bool:
    for s, e in ranges:
        if span.start < e and s < span.end:
            if inside_ok and s <= span.start and span.end <= e:
                continue
            return True
    return False


def _outside(spans: Iterable[Span], kept: list[tuple[int, int]]) -> list[Span]:
    """Detector spans never cut into a kept organisation, business or
    organisation address: a number or e-mail touching one is dropped; an
    address keeps only its part after the last kept stretch it overlaps
    (宿舍3单元201室 after a kept company name), if that part is more than a
    character."""
    out = []
    for span in spans:
        hit = [(s, e) for s, e in kept if span.start < e and s < span.end]
        if not hit:
            out.append(span)
            continue
        if span.kind != "address":
            continue
        start = max(e for _, e in hit)
        if span.end - start >= 2 and not any(s < span.end and start < e for s, e in kept):
            out.append(Span(start, span.end, span.kind, span.rule, span.replacement))
    return out


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
