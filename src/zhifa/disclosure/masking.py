"""Masks over the served text: running the redaction engine
(`zhifa.disclosure.redaction`, a pure module) with what the case knows, and
applying a reviewed set of masks to produce the published text and its
manifest. The engine itself is not reimplemented here.

A mask is a dict over offsets into the source text:
``{"start", "end", "kind", "rule", "replacement", "origin"}`` where origin is
"engine" (proposed by `redact`) or "reviewer" (added by a person).
A released hit ``{"start", "end", "kind", "rule", "reason", "by", "at"}`` is an
engine hit a reviewer decided to leave visible, with the reason recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from zhifa.disclosure.source import KnownPeople

# Kinds a reviewer may choose when adding a mask by hand (labels for the page;
# the engine's own kinds are shown with the same labels where they match).
KIND_LABELS = {
    "name": "自然人姓名",
    "id_number": "公民身份号码",
    "phone": "电话号码",
    "address": "住址",
    "bank_account": "银行账号",
    "email": "电子邮箱",
    "health": "健康状况",
    "plate": "机动车号牌",
    "other": "其他个人信息",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def rule_label(rule: str) -> str:
    """Why a span was masked, as the engine explains its rules."""
    if rule == "reviewer":
        return "审核人员人工遮蔽"
    try:
        from zhifa.disclosure.redaction.types import RULES
    except ImportError:
        return rule
    return RULES.get(rule, rule)


def party_name_policy() -> str:
    """ "mask" (张某某) or "keep" (the penalised person's name is published:
    PUB-10 for counterfeit cases; PUB-08 removes only other persons' names)."""
    return getattr(settings, "ZHIFA_DISCLOSURE_PARTY_NAME", "mask")


def _engine():
    from zhifa.disclosure import redaction

    return redaction


def _known(engine, known: KnownPeople):
    return engine.Known(
        names=known.names,
        party_names=known.party_names,
        id_numbers=known.id_numbers,
        phones=known.phones,
        addresses=known.addresses,
        organisations=known.organisations,
        representatives=known.representatives,
        organisation_addresses=known.organisation_addresses,
        businesses=known.businesses,
    )


def _policy(engine, known: KnownPeople):
    return engine.Policy(party_name=party_name_policy())


def detect(text: str, known: KnownPeople) -> list[dict]:
    """The engine's proposed masks over `text`, as mask dicts."""
    engine = _engine()
    result = engine.redact(text, known=_known(engine, known), policy=_policy(engine, known))
    return [
        {
            "start": s.start,
            "end": s.end,
            "kind": s.kind,
            "rule": s.rule,
            "replacement": s.replacement,
            "origin": "engine",
        }
        for s in sorted(result.spans, key=lambda s: (s.start, s.end))
    ]


def redact_short(text: str, known: KnownPeople) -> str:
    """A short field (title, party name, penalty content) through the engine."""
    if not text:
        return text
    engine = _engine()
    return engine.redact(text, known=_known(engine, known), policy=_policy(engine, known)).text


def replacement_for(kind: str, value: str) -> str:
    """A readable mask for a span a reviewer adds by hand, as the engine masks
    its own kinds (张某某, 2105**********1234, 138****0000); 某某 style stars
    for the kinds only reviewers add (health, plates, other)."""
    engine = _engine()
    if kind in engine.KINDS:
        return engine.mask(kind, value)
    return "＊" * min(max(len(value), 2), 8)


def overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


@dataclass(frozen=True)
class Applied:
    text: str
    manifest: list[dict]


def apply(source: str, masks: Iterable[dict]) -> Applied:
    """The published text: `source` with each mask replaced, and the manifest
    (kind, rule and where in the published text — never the removed value)."""
    ordered = sorted(masks, key=lambda m: (m["start"], -m["end"]))
    out: list[str] = []
    manifest: list[dict] = []
    pos = 0
    length = 0
    for m in ordered:
        if m["start"] < pos:  # nested or overlapping: the outer mask already covers it
            continue
        kept = source[pos : m["start"]]
        out.append(kept)
        length += len(kept)
        out.append(m["replacement"])
        manifest.append(
            {
                "start": length,
                "end": length + len(m["replacement"]),
                "kind": m["kind"],
                "rule": m["rule"],
                "origin": m.get("origin", "engine"),
            }
        )
        length += len(m["replacement"])
        pos = m["end"]
    out.append(source[pos:])
    return Applied("".join(out), manifest)


def segments(source: str, masks: Iterable[dict]) -> list[dict]:
    """The source cut into plain and masked pieces, for the review page."""
    ordered = sorted(
        ((i, m) for i, m in enumerate(masks)), key=lambda p: (p[1]["start"], -p[1]["end"])
    )
    pieces: list[dict] = []
    pos = 0
    for index, m in ordered:
        if m["start"] < pos:
            continue
        if m["start"] > pos:
            pieces.append({"text": source[pos : m["start"]], "mask": None})
        pieces.append(
            {
                "text": source[m["start"] : m["end"]],
                "mask": m,
                "index": index,
                "label": kind_label(m["kind"]),
            }
        )
        pos = m["end"]
    if pos < len(source):
        pieces.append({"text": source[pos:], "mask": None})
    return pieces


def unresolved(detected: list[dict], masks: list[dict], released: list[dict]) -> list[dict]:
    """Engine hits neither covered by a mask nor released with a reason
    (rules.md §15.1 item 15: publishing is refused while any remains)."""
    left = []
    for hit in detected:
        covered = any(m["start"] <= hit["start"] and hit["end"] <= m["end"] for m in masks)
        freed = any(
            r["start"] == hit["start"] and r["end"] == hit["end"] and r["kind"] == hit["kind"]
            for r in released
        )
        if not covered and not freed:
            left.append(hit)
    return left


def manifest_segments(text: str, manifest: Iterable[dict]) -> list[dict]:
    """The published (or draft) text cut at its manifest entries."""
    pieces: list[dict] = []
    pos = 0
    for entry in sorted(manifest, key=lambda e: e["start"]):
        if entry["start"] < pos:
            continue
        if entry["start"] > pos:
            pieces.append({"text": text[pos : entry["start"]], "mask": None})
        pieces.append(
            {
                "text": text[entry["start"] : entry["end"]],
                "mask": entry,
                "label": kind_label(entry["kind"]),
            }
        )
        pos = entry["end"]
    if pos < len(text):
        pieces.append({"text": text[pos:], "mask": None})
    return pieces
