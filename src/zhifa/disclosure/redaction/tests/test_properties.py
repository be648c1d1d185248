"""Properties of redaction over generated text (hypothesis).

REDACTION_EXAMPLES=10000 runs each property on more examples (default 300).
"""

from __future__ import annotations

import os
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.disclosure.redaction import Known, apply_spans, redact
from zhifa.disclosure.redaction.numbers import id_check_char, luhn_ok

quick = settings(
    max_examples=int(os.environ.get("REDACTION_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

# Ordinary Chinese characters, without those of the words after or before
# which a number is deliberately left alone (编号, 信用代码, 元 …).
PROSE = "的一是了不人在有我他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系它计"
NAMES = ["李四", "王五", "赵六", "王小明", "欧阳修文", "刘美华"]


@st.composite
def resident_ids(draw) -> str:
    area = draw(st.sampled_from(["110101", "330106", "440304", "210502", "510107", "650102"]))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)))
    seq = f"{draw(st.integers(0, 999)):03d}"
    first17 = f"{area}{birth:%Y%m%d}{seq}"
    return first17 + id_check_char(first17)


@st.composite
def mobiles(draw) -> str:
    return f"1{draw(st.sampled_from('3456789'))}{draw(st.integers(0, 10**9 - 1)):09d}"


@st.composite
def cards(draw) -> str:
    body = f"62{draw(st.integers(0, 10**15 - 1)):015d}"
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


prose = st.text(alphabet=PROSE, max_size=30)
pieces = st.one_of(
    prose,
    st.sampled_from(["，", "。", "：", "、", "（", "）", " ", "\n", "；"]),
    st.text(alphabet="0123456789０１２３４５６７８９ -+", max_size=20),
    st.sampled_from(
        [
            "证人李四称",
            "当事人：张三，男，",
            "法定代表人：赵六",
            "住址：浙江省杭州市西湖区文三路259号3幢2单元501室",
            "家住某某县某某镇张家村",
            "邮箱zs@example.com",
            "电话：0571-88001234转8021",
            "账号：3901 1100 0920 0123 456",
            "统一社会信用代码：91330106MA2H3K4L5N",
            "杭西市监罚〔2026〕12号",
            "罚款人民币5000元",
            "第一百二十四条第一款",
            "2026年3月15日",
        ]
    ),
    resident_ids(),
    mobiles(),
    cards(),
)
documents = st.lists(pieces, max_size=25).map("".join)


@quick
@given(text=documents, names=st.lists(st.sampled_from(NAMES), max_size=2))
def test_spans_point_into_the_original_and_rebuild_the_output(text, names):
    result = redact(text, known=Known(names=names))
    pos = 0
    for span in result.spans:
        assert pos <= span.start < span.end <= len(text)
        assert span.replacement
        pos = span.end
    # The output is the original with exactly original[start:end] replaced.
    assert apply_spans(text, result.spans) == result.text
    out_pos = 0
    orig_pos = 0
    for span in result.spans:
        kept = text[orig_pos : span.start]
        assert result.text[out_pos : out_pos + len(kept)] == kept
        out_pos += len(kept)
        assert result.text[out_pos : out_pos + len(span.replacement)] == span.replacement
        out_pos += len(span.replacement)
        orig_pos = span.end
    assert result.text[out_pos:] == text[orig_pos:]


@quick
@given(text=documents, names=st.lists(st.sampled_from(NAMES), max_size=2))
def test_redacting_twice_changes_nothing_more(text, names):
    known = Known(names=names)
    once = redact(text, known=known).text
    assert redact(once, known=known).text == once


@quick
@given(before=prose, after=prose, number=resident_ids(), full_width=st.booleans())
def test_a_valid_id_number_in_chinese_text_is_always_masked(before, after, number, full_width):
    written = number.translate(FULL_WIDTH) if full_width else number
    text = before + written + after
    result = redact(text)
    start = len(before)
    # Covered by one span: the ID number (or an address, in 住在…路).
    assert any(s.start <= start and start + 18 <= s.end for s in result.spans)
    assert written not in result.text
    assert number[6:14] not in result.text.translate(
        str.maketrans("０１２３４５６７８９", "0123456789")
    )


@quick
@given(before=prose, after=prose, number=mobiles(), sep=st.sampled_from(["", " ", "-"]))
def test_a_mobile_number_in_chinese_text_is_always_masked(before, after, number, sep):
    written = sep.join((number[:3], number[3:7], number[7:]))
    result = redact(before + written + after)
    assert written not in result.text
    # Covered by one span: a phone (or an address, in 住在13800138000路).
    start, end = len(before), len(before) + len(written)
    assert any(s.start <= start and end <= s.end for s in result.spans)


@quick
@given(before=prose, after=prose, number=cards())
def test_a_bank_card_in_chinese_text_is_always_masked(before, after, number):
    result = redact(before + number + after)
    assert number not in result.text
    assert f"****{number[-4:]}" in result.text


@quick
@given(text=st.text(max_size=200))
def test_any_text_at_all_is_handled(text):
    result = redact(text)
    assert apply_spans(text, result.spans) == result.text
    assert all(0 <= s.start < s.end <= len(text) for s in result.spans)
    assert redact(result.text).text == result.text


ORGANISATION = "本溪满族自治县华来木业有限公司"
ORGANISATION_ADDRESS = "桓仁满族自治县八里甸子镇二户来村5组3号1单元101室"
BUSINESS = "本溪满族自治县玉兰副食店"


@quick
@given(
    parts=st.lists(
        st.one_of(
            pieces,
            st.sampled_from(
                [ORGANISATION, ORGANISATION_ADDRESS, BUSINESS, "住所：", "住址：", "家住"]
            ),
        ),
        max_size=20,
    ),
    party=st.sampled_from(["钱玉兰", "王小明"]),
)
def test_no_mask_cuts_into_a_kept_organisation_address_or_business(parts, party):
    text = "".join(parts)
    known = Known(
        party_names=[party],
        organisations=[ORGANISATION],
        organisation_addresses=[ORGANISATION_ADDRESS],
        businesses=[BUSINESS],
    )
    result = redact(text, known=known)
    for value in (ORGANISATION, ORGANISATION_ADDRESS):
        i = text.find(value)
        while i != -1:
            end = i + len(value)
            assert not any(s.start < end and i < s.end for s in result.spans), (value, text)
            i = text.find(value, end)
    i = text.find(BUSINESS)
    while i != -1:
        end = i + len(BUSINESS)
        # Inside a business only the operator's name may be masked (玉兰 of 钱玉兰).
        for s in result.spans:
            if s.start < end and i < s.end:
                assert i <= s.start and s.end <= end and s.kind == "name", (text, s)
        i = text.find(BUSINESS, end)
