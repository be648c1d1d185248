import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.orgs import codes


@pytest.mark.parametrize(
    ("code", "level", "parent", "prefix"),
    [
        ("210000", "province", None, "21"),
        ("210500", "city", "210000", "2105"),
        ("210521", "county", "210500", "210521"),
        ("110101", "county", "110100", "110101"),
        ("429004", "county", "429000", "429004"),
        ("210521100", "township", "210521", "210521100"),
        ("441900003", "township", "441900", "441900003"),
    ],
)
def test_region_codes_follow_gbt_2260(code, level, parent, prefix):
    assert codes.region_level(code) == level
    assert codes.region_parent_code(code) == parent
    assert codes.region_prefix(code) == prefix


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("21052", "6 位数字"),
        ("2105211", "6 位数字"),
        ("21O521", "6 位数字"),
        ("990000", "不是 GB/T 2260 的省级代码"),
        ("210521000", "不能为 000"),
        ("", "6 位数字"),
    ],
)
def test_malformed_region_codes_are_refused_in_chinese(code, message):
    with pytest.raises(ValueError, match=message):
        codes.region_level(code)


def test_valid_uscc_is_normalised():
    assert codes.validate_uscc(" 91110000600037341l ") == "91110000600037341L"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9111000060003734", "应为 18 位"),
        ("91110000600037341O", "不允许的字符"),
        ("91110000600037341A", "第 18 位应为 L"),
    ],
)
def test_invalid_uscc_says_what_is_wrong(value, message):
    with pytest.raises(ValueError, match=message):
        codes.validate_uscc(value)


@given(st.from_regex(r"\A[1-9]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}\Z"))
def test_a_generated_check_character_always_validates(first17):
    number = codes.uscc_with_check(first17)
    assert codes.validate_uscc(number) == number
    # Changing the check character always breaks it.
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValueError):
        codes.validate_uscc(wrong)
