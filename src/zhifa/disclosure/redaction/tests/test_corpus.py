"""Recall and precision on the labelled decisions of `corpus.py`."""

from __future__ import annotations

import pytest

from zhifa.disclosure.redaction import Known, Policy, redact

from .corpus import DECISIONS


def _position(text: str, value: str) -> tuple[int, int]:
    start = text.index(value)
    return start, start + len(value)


def _check(decision: dict, known: Known | None) -> None:
    text = decision["text"]
    result = redact(text, known=known)
    for value, kind in decision["masked"]:
        start, end = _position(text, value)
        covering = [s for s in result.spans if s.start <= start and end <= s.end]
        assert covering, f"{decision['id']}: {value} ({kind}) is not masked"
        assert covering[0].kind == kind, f"{decision['id']}: {value} masked as {covering[0].kind}"
        assert value not in result.text
    for value in decision["kept"]:
        assert value in result.text, f"{decision['id']}: {value} should stay"


@pytest.mark.parametrize("decision", DECISIONS, ids=lambda d: d["id"])
def test_detectors_alone_find_every_labelled_item(decision):
    _check(decision, None)


@pytest.mark.parametrize("decision", DECISIONS, ids=lambda d: d["id"])
def test_with_what_the_case_knows(decision):
    _check(decision, Known(**decision["known"]))


@pytest.mark.parametrize("decision", DECISIONS, ids=lambda d: d["id"])
def test_every_occurrence_of_a_labelled_value_is_masked(decision):
    result = redact(decision["text"], known=Known(**decision["known"]))
    for value, _ in decision["masked"]:
        assert value not in result.text


def test_no_span_outside_the_labels_except_organisations_contact_data():
    """Precision: every span is a labelled item or an organisation's phone/e-mail
    (which the detectors cannot tell from a person's and mask too)."""
    for decision in DECISIONS:
        text = decision["text"]
        labelled = []
        for value, _ in decision["masked"]:
            i = text.find(value)
            while i != -1:
                labelled.append((i, i + len(value)))
                i = text.find(value, i + 1)
        for span in redact(text).spans:
            inside = any(s <= span.start and span.end <= e for s, e in labelled)
            covers = any(span.start <= s and e <= span.end for s, e in labelled)
            assert inside or covers or span.kind in ("phone", "email"), (
                f"{decision['id']}: unexpected {span.kind} mask over {text[span.start : span.end]}"
            )


def test_the_party_name_is_kept_when_the_agency_publishes_it():
    decision = DECISIONS[0]
    known = Known(**decision["known"])
    result = redact(decision["text"], known=known, policy=Policy(party_name="keep"))
    assert "当事人：陈建国，男" in result.text
    assert "林晓燕" not in result.text  # other persons are still masked


def test_the_food_shop_decision_reads_as_expected():
    text = DECISIONS[0]["text"]
    out = redact(text).text
    assert "当事人：陈某某，男，1985年3月12日出生，汉族，公民身份号码：3301**********0415，" in out
    assert "住址：浙江省杭州市西湖区***，联系电话：138****3456。" in out
    assert "投诉人林某某（联系电话：139****1234）" in out
    assert "证人周某某证实" in out and "店员吴某某称" in out
    assert "当事人的退款银行卡号：****0122。" in out
