"""Recall and precision on the labelled decisions of `corpus.py`.

Three figures per category of personal data (corpus.CATEGORIES):

- the known layer: of the items the case knows (`known`), how many layer 1
  masks on its own — required 100 %;
- the detectors alone, with no `known` at all — every item is found except
  the documented `detector_misses` (the test fails when the list is out of
  date either way, so the reported figure stays true);
- both layers together, as `publication_draft` runs them.

And every `kept` item stays, per category, with and without `known`.
Print the table with
`.venv/bin/python -m zhifa.disclosure.redaction.tests.test_corpus`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import pytest

from zhifa.disclosure.redaction import Known, Policy, redact
from zhifa.disclosure.redaction.known import known_spans
from zhifa.disclosure.redaction.names import given_name
from zhifa.disclosure.redaction.text import fold

from .corpus import CATEGORIES, DECISIONS, KEPT_CATEGORIES, REQUIRED_CATEGORIES


@dataclass(frozen=True)
class Item:
    decision: str
    value: str
    category: str
    start: int
    end: int


def items(decision: dict) -> list[Item]:
    text = decision["text"]
    out = []
    for value, category, *within in decision["masked"]:
        # Inside the first occurrence of `within`, or the first occurrence of `value`.
        start = text.index(within[0]) + within[0].index(value) if within else text.index(value)
        out.append(Item(decision["id"], value, category, start, start + len(value)))
    return out


def _digits(value: str) -> str:
    return re.sub(r"[^0-9X]", "", fold(value).upper())


def is_known(item: Item, known: Known) -> bool:
    """Whether the case's data holds this item (so layer 1 must mask it)."""
    kind = CATEGORIES[item.category]
    value = fold(item.value)
    if item.category == "name_in_shop":
        return value in {given_name(n) for n in (*known.names, *known.party_names)}
    if kind == "name":
        return value in (*known.names, *known.party_names)
    if kind == "id_number":
        digits = _digits(value)
        return any(digits in (d, d[:6] + d[8:17]) for d in map(_digits, known.id_numbers))
    if kind == "phone":
        return any(_digits(p).endswith(_digits(value)[-7:]) for p in known.phones)
    if kind == "bank_account":
        return _digits(value) in map(_digits, known.bank_accounts)
    if kind == "email":
        return value.lower() in (e.lower() for e in known.emails)
    return any(value in a for a in known.addresses)


def _covered(item: Item, spans, *, kind: bool = True) -> bool:
    return any(
        s.start <= item.start
        and item.end <= s.end
        and (not kind or s.kind == CATEGORIES[item.category])
        for s in spans
    )


def known_of(decision: dict) -> Known:
    return Known(**decision["known"])


def recall_table() -> dict[str, dict[str, list[int]]]:
    """{category: {"known": [found, total], "detectors": [...], "both": [...]}}."""
    table: dict[str, dict[str, list[int]]] = defaultdict(
        lambda: {"known": [0, 0], "detectors": [0, 0], "both": [0, 0]}
    )
    for decision in DECISIONS:
        text, known = decision["text"], known_of(decision)
        layer1 = known_spans(fold(text), known, Policy())
        detectors = redact(text).spans
        both = redact(text, known=known).spans
        for item in items(decision):
            row = table[item.category]
            if is_known(item, known):
                row["known"][0] += _covered(item, layer1)
                row["known"][1] += 1
            row["detectors"][0] += _covered(item, detectors)
            row["detectors"][1] += 1
            row["both"][0] += _covered(item, both)
            row["both"][1] += 1
    return dict(table)


def test_the_corpus_holds_every_kind_of_personal_data_the_issue_lists():
    counts: dict[str, int] = defaultdict(int)
    for decision in DECISIONS:
        for item in items(decision):
            assert item.category in CATEGORIES, item
            counts[item.category] += 1
        for _, category in decision["kept"]:
            assert category in KEPT_CATEGORIES
    for category in REQUIRED_CATEGORIES:
        assert counts[category] >= 2, f"corpus has {counts[category]} × {category}"
    kept = {category for d in DECISIONS for _, category in d["kept"]}
    assert set(KEPT_CATEGORIES) <= kept


def test_the_known_layer_alone_masks_everything_the_case_knows():
    table = recall_table()
    for category, row in table.items():
        found, total = row["known"]
        assert found == total, f"known layer: {category} {found}/{total}"
    assert sum(row["known"][1] for row in table.values()) >= 25


@pytest.mark.parametrize("decision", DECISIONS, ids=lambda d: d["id"])
def test_detectors_alone_miss_only_the_documented_items(decision):
    spans = redact(decision["text"]).spans
    missed = {item.value for item in items(decision) if not _covered(item, spans)}
    assert missed == set(decision.get("detector_misses", {})), decision["id"]
    wrong_kind = [
        item.value
        for item in items(decision)
        if _covered(item, spans, kind=False) and not _covered(item, spans)
    ]
    assert wrong_kind == []


@pytest.mark.parametrize("decision", DECISIONS, ids=lambda d: d["id"])
def test_with_what_the_case_knows(decision):
    known = known_of(decision)
    result = redact(decision["text"], known=known)
    for item in items(decision):
        if item.value in decision.get("detector_misses", {}) and not is_known(item, known):
            continue
        assert _covered(item, result.spans), f"{decision['id']}: {item.value} is not masked"
    for value, category in decision["kept"]:
        assert value in result.text, f"{decision['id']}: {value} ({category}) should stay"


@pytest.mark.parametrize("decision", DECISIONS, ids=lambda d: d["id"])
def test_what_must_stay_stays_without_known_data_too(decision):
    out = redact(decision["text"]).text
    for value, category in decision["kept"]:
        assert value in out, f"{decision['id']}: {value} ({category}) should stay"


@pytest.mark.parametrize("decision", DECISIONS, ids=lambda d: d["id"])
def test_every_occurrence_of_a_found_value_is_masked(decision):
    result = redact(decision["text"], known=known_of(decision))
    for item in items(decision):
        if item.value not in decision.get("detector_misses", {}):
            assert item.value not in result.text, f"{decision['id']}: {item.value}"


def test_no_span_outside_the_labels_except_organisations_contact_data():
    """Precision: every span is a labelled item or an organisation's phone/e-mail
    (which the detectors cannot tell from a person's and mask too)."""
    for decision in DECISIONS:
        text = decision["text"]
        labelled = []
        for item in items(decision):
            labelled.append((item.start, item.end))
            i = text.find(item.value)
            while i != -1:
                labelled.append((i, i + len(item.value)))
                i = text.find(item.value, i + 1)
        for span in redact(text, known=known_of(decision)).spans:
            inside = any(s <= span.start and span.end <= e for s, e in labelled)
            covers = any(span.start <= s and e <= span.end for s, e in labelled)
            assert inside or covers or span.kind in ("phone", "email"), (
                f"{decision['id']}: unexpected {span.kind} mask over {text[span.start : span.end]}"
            )


def test_the_party_name_is_kept_when_the_agency_publishes_it():
    for decision in DECISIONS:
        known = known_of(decision)
        result = redact(decision["text"], known=known, policy=Policy(party_name="keep"))
        for item in items(decision):
            if item.category == "party_name":
                assert _covered(item, result.spans) is False, item
            if item.category == "name_in_shop" and is_known(item, known):
                assert not _covered(item, result.spans), item  # the operator's own 字号
            if item.category == "other_name" and item.value not in decision.get(
                "detector_misses", {}
            ):
                assert item.value not in result.text, item  # other persons stay masked


def test_the_food_shop_decision_reads_as_expected():
    text = DECISIONS[0]["text"]
    out = redact(text).text
    assert "当事人：陈某某，男，1985年3月12日出生，汉族，公民身份号码：3301**********0415，" in out
    assert "住址：浙江省杭州市西湖区***，联系电话：138****3456。" in out
    assert "投诉人林某某（联系电话：139****1234）" in out
    assert "证人周某某证实" in out and "店员吴某某称" in out
    assert "当事人的退款银行卡号：****0122。" in out


def test_the_barbecue_reads_as_expected():
    from .corpus import BARBECUE

    out = redact(BARBECUE["text"], known=known_of(BARBECUE)).text
    assert "当事人：本溪满族自治县某某烧烤店（个体工商户）" in out
    assert "经营者：孙某某，男" in out
    assert "居民身份证号码：2105**********0432" in out
    assert "经营者住址：本溪满族自治县观音阁街道***" in out
    assert "供货人李某某经营的某某调料店（本溪满族自治县小市镇农贸市场东区3号）" in out


def _format(table) -> str:
    lines = [f"{'category':<16}{'known layer':>14}{'detectors':>14}{'both':>14}"]
    totals = {"known": [0, 0], "detectors": [0, 0], "both": [0, 0]}
    for category in sorted(table, key=list(CATEGORIES).index):
        row = table[category]
        cells = []
        for layer in ("known", "detectors", "both"):
            found, total = row[layer]
            totals[layer][0] += found
            totals[layer][1] += total
            cells.append(f"{found}/{total} {100 * found / total:5.1f}%" if total else "—")
        lines.append(f"{category:<16}" + "".join(f"{c:>14}" for c in cells))
    cells = [f"{f}/{t} {100 * f / t:5.1f}%" for f, t in totals.values()]
    lines.append(f"{'all':<16}" + "".join(f"{c:>14}" for c in cells))
    return "\n".join(lines)


if __name__ == "__main__":
    print(_format(recall_table()))
