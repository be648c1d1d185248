"""The engine: merging, spans, manifest, and independence from Django."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from zhifa.disclosure.redaction import (
    KINDS,
    RULES,
    Known,
    Policy,
    Result,
    Span,
    apply_spans,
    mask,
    merge,
    redact,
)

DECISION = (
    "当事人：张三，男，公民身份号码：330106198503120415，住址：浙江省杭州市西湖区文三路259号3幢2单元501室，"
    "电话13857123456，邮箱zs@example.com。证人李四称，银行卡6222021202001234567。"
)


def test_spans_point_into_the_original_text_and_rebuild_the_output():
    result = redact(DECISION)
    assert apply_spans(DECISION, result.spans) == result.text
    assert [DECISION[s.start : s.end] for s in result.spans] == [
        "张三",
        "330106198503120415",
        "文三路259号3幢2单元501室",
        "13857123456",
        "zs@example.com",
        "李四",
        "6222021202001234567",
    ]
    assert [s.kind for s in result.spans] == [
        "name",
        "id_number",
        "address",
        "phone",
        "email",
        "name",
        "bank_account",
    ]


def test_manifest_has_kinds_rules_and_positions_but_never_the_values():
    result = redact(DECISION)
    manifest = result.manifest()
    dumped = json.dumps(manifest, ensure_ascii=False)
    for span in result.spans:
        assert DECISION[span.start : span.end] not in dumped
    assert [(m["kind"], m["rule"], m["count"]) for m in manifest] == [
        ("name", "name.party", 1),
        ("name", "name.role", 1),
        ("id_number", "id_number.checksum", 1),
        ("phone", "phone.mobile", 1),
        ("bank_account", "bank_account.context", 1),
        ("email", "email.address", 1),
        ("address", "address.residential", 1),
    ]
    assert all(m["reason"] == RULES[m["rule"]] for m in manifest)
    assert manifest[0]["positions"] == [[4, 6]]


def test_every_rule_has_a_reason_and_every_kind_a_mask():
    assert set(KINDS) == {"name", "id_number", "phone", "bank_account", "email", "address"}
    for kind in KINDS:
        assert mask(kind, "张三13800138000")
    spans = redact(DECISION, known=Known(names=["李四"])).spans
    assert all(s.rule in RULES for s in spans)


def test_merge_joins_overlaps_deterministically():
    folded = "0123456789abcdef"
    a = Span(0, 6, "phone", "phone.mobile", "A")
    b = Span(4, 10, "bank_account", "bank_account.luhn", "B")
    c = Span(10, 12, "email", "email.address", "C")  # touches b: not merged
    merged = merge([c, b, a], folded)
    assert [(s.start, s.end, s.kind) for s in merged] == [(0, 10, "phone"), (10, 12, "email")]
    assert merged == merge([a, b, c], folded) == merge([b, c, a], folded)
    assert merged[0].replacement == mask("phone", folded[0:10])


def test_merge_prefers_a_covering_span_then_known_data():
    folded = "x" * 20
    outer = Span(0, 10, "address", "address.residential", "***")
    inner = Span(2, 4, "name", "known.name", "张某")
    assert merge([inner, outer], folded) == [outer]
    same_detected = Span(2, 4, "name", "name.role", "李某")
    assert merge([same_detected, inner], folded) == [inner]


def test_apply_spans_refuses_overlaps_and_out_of_range():
    with pytest.raises(ValueError):
        apply_spans("abcdef", [Span(0, 3, "name", "r", "x"), Span(2, 4, "name", "r", "y")])
    with pytest.raises(ValueError):
        apply_spans("abc", [Span(1, 9, "name", "r", "x")])


def test_a_reviewer_can_remove_or_add_masks():
    result = redact(DECISION)
    without_email = [s for s in result.spans if s.kind != "email"]
    assert "zs@example.com" in apply_spans(DECISION, without_email)
    start = DECISION.index("浙江省")
    extra = Span(start, start + 3, "address", "reviewer", "***")
    assert apply_spans(DECISION, [*result.spans, extra]).count("浙江省") == 0


def test_empty_and_plain_texts():
    assert redact("") == Result(text="", spans=[])
    text = "依据《中华人民共和国行政处罚法》第七十二条，罚款人民币5000元。"
    assert redact(text).text == text


def test_policy_is_checked():
    with pytest.raises(ValueError):
        Policy(party_name="publish")  # type: ignore[arg-type]


def test_the_engine_imports_neither_django_nor_the_project_settings():
    code = (
        "import sys, zhifa.disclosure.redaction as r, zhifa.disclosure.redaction.cli;"
        "r.redact('证人李四称，电话13800138000');"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django' or m == 'zhifa.settings');"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
