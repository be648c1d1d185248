"""Detectors for 公民身份号码, phones, bank cards and e-mail: positives and negatives."""

from __future__ import annotations

import pytest
from stdnum.cn import uscc as stdnum_uscc

from zhifa.disclosure.redaction import redact
from zhifa.disclosure.redaction.numbers import (
    id_check_char,
    is_legacy_resident_id,
    is_resident_id,
    is_uscc,
    luhn_ok,
)

ID = "330106198503120415"  # valid: 1985-03-12, check character 5
ID_X = "33012719560101071X"
USCC = "91330106MA2H3K4L5N"
USCC_DIGITS = "913301007042061448"  # an all-digit USCC (old organisation code)
CARD = "6222021202001234567"  # passes Luhn
FULL_WIDTH = str.maketrans("0123456789X-", "０１２３４５６７８９Ｘ－")


def masked(text: str) -> list[tuple[str, str]]:
    """(kind, original text) of every span."""
    return [(s.kind, text[s.start : s.end]) for s in redact(text).spans]


def test_check_character_agrees_with_the_cases_app():
    from zhifa.cases.parties import resident_id_check_char

    for first17 in ("33010619850312041", "11010519491231002", "44030419900101123"):
        assert id_check_char(first17) == resident_id_check_char(first17)


def test_resident_id_validation():
    assert is_resident_id(ID)
    assert is_resident_id(ID_X)
    assert is_resident_id(ID_X.lower())
    assert not is_resident_id(ID[:-1] + "6")  # wrong check character
    bad_date = "33010619850230" + "041"
    assert not is_resident_id(bad_date + id_check_char(bad_date))  # 30 February
    assert is_legacy_resident_id("330127560312041")
    assert not is_legacy_resident_id("330106000123456")  # 1900-01-23: a registration number
    assert not is_legacy_resident_id("330106561332041")  # month 13


@pytest.mark.parametrize(
    "text",
    [
        f"公民身份号码：{ID}。",
        f"身份证{ID}，",
        f"号码 {ID} 已核实",
        f"{ID[:6]} {ID[6:14]} {ID[14:]}",
        f"{ID[:4]} {ID[4:8]} {ID[8:12]} {ID[12:16]} {ID[16:]}",
        f"{ID[:6]}-{ID[6:14]}-{ID[14:]}",
        f"编号{ID}",  # a checksum-valid ID is masked even after 编号
        f"身份证号码：{ID_X}",
        f"身份证号码：{ID_X.lower()}",
        f"身份证号码：{ID}".translate(FULL_WIDTH),
        f"当事人{ID_X.translate(FULL_WIDTH)}。",
    ],
)
def test_resident_id_is_masked(text):
    result = redact(text)
    assert [s.kind for s in result.spans] == ["id_number"]
    assert "**********" in result.text
    digits = "".join(c for c in result.text if c.isdigit())
    assert len(digits) <= 8


def test_resident_id_mask_keeps_the_first_and_last_four():
    assert redact(f"身份证号{ID}").text == "身份证号3301**********0415"
    assert redact(f"身份证号{ID_X}").text == "身份证号3301**********071X"


def test_id_after_its_context_word_is_masked_even_with_a_bad_check_character():
    text = f"身份证号码：{ID[:-1]}9，"
    assert masked(text) == [("id_number", ID[:-1] + "9")]
    assert masked("旧身份证号330127560312041") == [("id_number", "330127560312041")]


def test_legacy_id_without_context_needs_a_birth_date():
    assert masked("号码330127560312041。") == [("id_number", "330127560312041")]
    assert masked("号码330106000123456。") == []


@pytest.mark.parametrize(
    "text",
    [
        f"统一社会信用代码：{USCC}",
        f"统一社会信用代码{USCC}，",
        f"代码 {USCC}",
        f"统一社会信用代码：{USCC_DIGITS}",
        f"社会信用代码{USCC_DIGITS}",
    ],
)
def test_uscc_is_not_mistaken_for_an_id_number(text):
    assert is_uscc(USCC) and is_uscc(USCC_DIGITS)
    assert stdnum_uscc.is_valid(USCC)
    assert redact(text).spans == []


def test_digits_inside_an_alphanumeric_code_are_left():
    assert redact(f"许可证JY1{ID}").spans == []
    assert redact(f"编码A{ID}B").spans == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("手机13800138000。", "手机138****8000。"),
        ("电话：138 0013 8000", "电话：138****8000"),
        ("138-0013-8000", "138****8000"),
        ("+86 138 0013 8000", "+86 138****8000"),
        ("+86-13800138000", "+86 138****8000"),
        ("008613800138000", "+86 138****8000"),
        ("Tel13800138000", "Tel138****8000"),
        ("１３８００１３８０００", "138****8000"),
        ("１３８－００１３－８０００", "138****8000"),
        ("13800138000/13900139000", "138****8000/139****9000"),
    ],
)
def test_mobile_numbers(text, expected):
    result = redact(text)
    assert result.text == expected
    assert {s.kind for s in result.spans} == {"phone"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话：0571-88001234。", "电话：0571-******34。"),
        ("(0571)88001234", "0571-******34"),
        ("（0571）8800 1234", "0571-******34"),
        ("010-62751234转8021", "010-******34转****"),
        ("0571-88001234-8021", "0571-******34转****"),
        ("021 6400 1234", "021-******34"),
        ("０５７２－５１２３４５６", "0572-*****56"),
        ("联系电话：88001234，", "联系电话：******34，"),
    ],
)
def test_landlines(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "罚款人民币13800138000元",  # an amount, however odd
        "没收违法所得13800138000.00元",
        "订单号13800138000",
        "电话400-800-1234",  # an organisation's service line
        "2026-03-15 14:30",
        "案号：(2025)浙01行终456号",
        "（2026）浙0106行初123号",
        "邮编310012",
        "12345678901",  # not a mobile prefix
    ],
)
def test_not_phone_numbers(text):
    assert redact(text).spans == []


def test_luhn():
    assert luhn_ok(CARD)
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


@pytest.mark.parametrize(
    "text",
    [
        f"银行卡{CARD}",
        f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "４１１１１１１１１１１１１１１１",
    ],
)
def test_bank_cards_passing_luhn(text):
    result = redact(text)
    assert [s.kind for s in result.spans] == ["bank_account"]
    assert result.text.endswith(("****4567", "****1111"))


def test_organisation_accounts_need_their_context_word():
    account = "33001617835059000123"  # 20 digits: no Luhn for 对公账户
    assert redact(f"账号：{account}").text == "账号：****0123"
    assert redact("开户银行账户 3300 1617 8350 5900 0123").text == "开户银行账户 ****0123"
    assert redact(f"数字{account}").spans == []


@pytest.mark.parametrize(
    "text",
    [
        f"订单编号{CARD}",
        f"案件编号：{CARD}",
        f"批号{CARD}",
        f"发票号{CARD}",
        "4111111111111112",  # fails Luhn
        "营业执照注册号：330100000012345",
        "00000000-0000-0000-0000-000000000000",  # all zeros pass Luhn
    ],
)
def test_not_bank_cards(text):
    assert redact(text).spans == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("邮箱zs@example.com联系", "邮箱z***@example.com联系"),
        ("邮箱：a.b-c_d@sub.example.com.cn。", "邮箱：a***@sub.example.com.cn。"),
        ("Email: Wang.Xiao@Example.ORG", "Email: W***@Example.ORG"),
        ("ｚｓ＠ｅｘａｍｐｌｅ．ｃｏｍ", "z***@example.com"),
        ("13800138000@163.com", "1***@163.com"),
    ],
)
def test_email(text, expected):
    result = redact(text)
    assert result.text == expected
    assert [s.kind for s in result.spans] == ["email"]


@pytest.mark.parametrize("text", ["@example.com", "user@localhost", "见附件@2026", "a@b"])
def test_not_email(text):
    assert redact(text).spans == []


def test_passport_numbers_only_after_their_context_word():
    assert redact("护照号码：E12345678。").text == "护照号码：*********。"
    assert redact("型号E12345678").spans == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("微信（微信号：fzq1979）", "微信（微信号：f***）"),
        ("QQ：12345678，", "QQ：1***，"),
        ("微信wxid_abc123联系", "微信w***联系"),
    ],
)
def test_contact_handles_after_their_name(text, expected):
    result = redact(text)
    assert result.text == expected
    assert [s.rule for s in result.spans] == ["phone.account"]


@pytest.mark.parametrize("text", ["QQ群", "微信支付", "微信公众号", "QQ：123"])
def test_not_contact_handles(text):
    assert redact(text).spans == []
