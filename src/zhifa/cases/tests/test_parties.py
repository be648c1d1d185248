"""当事人: 公民身份号码, 统一社会信用代码, 周岁, and `clean_party`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidFormat

from zhifa.cases.models import Party
from zhifa.cases.parties import (
    ResidentId,
    age_on,
    clean_party,
    is_minor,
    resident_id_check_char,
    under_14,
    validate_resident_id,
    validate_uscc,
)
from zhifa.workdays.calendar import add_years

TODAY = date(2025, 6, 1)
# GB 11643-1999's own example numbers (18-digit and the 15-digit form).
EXAMPLE = "11010519491231002X"
EXAMPLE_15 = "110105491231002"
USCC_OK = "91110000600037341L"  # python-stdnum's documented example

quick = settings(max_examples=200, deadline=None)


def _code(call) -> str:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.code


def _message(call) -> str:
    with pytest.raises(ValidationError) as info:
        call()
    return " ".join(info.value.messages)


@st.composite
def resident_ids(draw) -> tuple[str, date, int]:
    area = draw(st.integers(min_value=110000, max_value=829999))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_char(first17), birth, sequence


# --------------------------------------------------------------------------
# 公民身份号码
# --------------------------------------------------------------------------


def test_standard_example():
    assert validate_resident_id(EXAMPLE, today=TODAY) == ResidentId(
        number=EXAMPLE, birth_date=date(1949, 12, 31), sex="female", legacy=False
    )


def test_legacy_15_digit_number():
    rid = validate_resident_id(EXAMPLE_15, today=TODAY)
    assert rid == ResidentId(EXAMPLE_15, date(1949, 12, 31), "female", True)
    assert validate_resident_id("110105491231001", today=TODAY).sex == "male"


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and letter
        " 110105 19491231 002X ",
        "110105-19491231-002x",
    ],
)
def test_normalised(typed):
    assert validate_resident_id(typed, today=TODAY).number == EXAMPLE


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("", "required", "请填写公民身份号码"),
        ("1101051949123100", "length", "长度"),
        ("1101051949123100211", "length", "现为19位"),
        ("11010519491231002Y", "format", "格式"),
        ("1101051949123100X2", "format", "前17位"),
        ("11010549123100X", "format", "15位"),
        ("11010519491231002\u0663", "format", "格式"),  # an Arabic-Indic digit
        ("110105194902300021", "birth_date", "出生日期"),  # 30 February
        ("110105194913310021", "birth_date", "第7至14位"),  # month 13
        ("110105491331002", "birth_date", "第7至12位"),
        ("110105203001010021", "birth_date", "晚于今天"),
        ("110105194912310021", "checksum", "校验码"),
    ],
)
def test_errors_say_which_part_is_wrong(number, code, words):
    with pytest.raises(ValidationError) as info:
        validate_resident_id(number, today=TODAY)
    assert info.value.code == code
    message = info.value.messages[0]
    assert "公民身份号码" in message and words in message
    assert number not in message or not number  # the number is not echoed back


def test_future_birth_depends_on_today():
    number = "110105202506020017"
    number = number[:17] + resident_id_check_char(number[:17])
    assert _code(lambda: validate_resident_id(number, today=TODAY)) == "birth_date"
    assert validate_resident_id(number, today=date(2025, 6, 2)).birth_date == date(2025, 6, 2)


@quick
@given(resident_ids())
def test_generated_ids_pass(generated):
    number, birth, sequence = generated
    rid = validate_resident_id(number, today=TODAY)
    assert rid.number == number and rid.birth_date == birth and not rid.legacy
    assert rid.sex == ("male" if sequence % 2 else "female")
    # The same MOD 11-2 computation as python-stdnum's.
    assert number[-1] == stdnum_ric.calc_check_digit(number)


@quick
@given(resident_ids(), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_fails(generated, position, data):
    number = generated[0]
    choices = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in choices if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    code = _code(lambda: validate_resident_id(changed, today=TODAY))
    if 6 <= position < 14:  # inside the birth date: the date may have become impossible
        assert code in {"birth_date", "checksum"}
    else:
        assert code == "checksum"


@quick
@given(resident_ids(), st.integers(min_value=0, max_value=16))
def test_adjacent_transpositions_fail(generated, position):
    number = generated[0]
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(ValidationError):
        validate_resident_id(swapped, today=TODAY)


# --------------------------------------------------------------------------
# 统一社会信用代码
# --------------------------------------------------------------------------


def _with_check(first17: str) -> str:
    return first17 + stdnum_uscc.calc_check_digit(first17 + "0")


@pytest.mark.parametrize("typed", [USCC_OK, "91110000600037341l", " 9111 0000 6000 3734 1L", "９１１１００００６０００３７３４１Ｌ"])  # fmt: skip
def test_uscc_valid_and_normalised(typed):
    assert validate_uscc(typed) == USCC_OK


def test_uscc_with_a_letter_department_code():
    # 农村集体经济组织 (N2…) codes: GB 32100 allows a letter in position 1, which
    # stdnum's validate() refuses; our check accepts them.
    code = _with_check("N2330102MA2B3C4D5")
    with pytest.raises(InvalidFormat):
        stdnum_uscc.validate(code)
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    ("code", "error", "words"),
    [
        ("", "required", "请填写统一社会信用代码"),
        ("9111000060003734", "length", "应为18位，现为16位"),
        ("91110000600037341I", "format", "不使用I、O、Z、S、V"),
        ("911A0000600037341L", "format", "第3至8位"),
        ("91110000600037341M", "checksum", "校验码"),
    ],
)
def test_uscc_errors(code, error, words):
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    assert info.value.code == error
    assert "统一社会信用代码" in info.value.messages[0] and words in info.value.messages[0]


# --------------------------------------------------------------------------
# 周岁
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2010, 5, 1), date(2010, 5, 1), 0),
        (date(2010, 5, 1), date(2024, 4, 30), 13),
        (date(2010, 5, 1), date(2024, 5, 1), 13),  # the birthday itself: not yet 14
        (date(2010, 5, 1), date(2024, 5, 2), 14),  # from the day after
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),  # anniversary 28 February
        (date(2008, 2, 29), date(2028, 2, 29), 19),
        (date(2008, 2, 29), date(2028, 3, 1), 20),
        (date(2007, 12, 31), date(2026, 1, 1), 18),
    ],
)
def test_age_on(birth, on, age):
    assert age_on(birth, on) == age


def test_age_before_birth_is_refused():
    with pytest.raises(ValueError, match="早于出生日期"):
        age_on(date(2010, 5, 1), date(2010, 4, 30))


def test_thresholds_of_article_30():
    birth = date(2010, 5, 1)
    assert under_14(birth, date(2024, 5, 1)) and not under_14(birth, date(2024, 5, 2))
    assert is_minor(birth, date(2028, 5, 1)) and not is_minor(birth, date(2028, 5, 2))
    assert is_minor(birth, date(2024, 5, 2))


@quick
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=40000),
    st.integers(min_value=0, max_value=400),
)
def test_age_is_monotone_and_counts_years(birth, days, more):
    on = birth + timedelta(days=days)
    later = on + timedelta(days=more)
    age = age_on(birth, on)
    assert 0 <= age <= age_on(birth, later)
    # n full years: the n-th anniversary is over, the next one not yet.
    assert age == 0 or add_years(birth, age) < on
    assert on <= add_years(birth, age + 1)
    assert is_minor(birth, on) == (age_on(birth, on) < 18)
    assert under_14(birth, on) == (age_on(birth, on) < 14)


# --------------------------------------------------------------------------
# clean_party
# --------------------------------------------------------------------------

MINOR_ID = "330102201005010014"  # born 2010-05-01
MINOR_ID = MINOR_ID[:17] + resident_id_check_char(MINOR_ID[:17])


def _errors(data: dict, **kw) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        clean_party(data, **kw)
    return info.value.message_dict


def test_natural_person_with_resident_id():
    cleaned = clean_party(
        {
            "kind": "natural",
            "name": " 张三 ",
            "id_type": "resident",
            "id_number": "11010519491231002x",
            "address": "杭州市  上城区 某路1号",
            "phone": "+86 571-8888 1234",
            "uscc": USCC_OK,  # belongs to the other kind: dropped
        },
        act_date=date(2025, 1, 1),
    )
    assert cleaned == {
        "kind": "natural",
        "name": "张三",
        "id_type": "resident",
        "id_number": EXAMPLE,
        "uscc": "",
        "legal_representative": "",
        "address": "杭州市 上城区 某路1号",
        "phone": "+86 571-8888 1234",
        "birth_date": date(1949, 12, 31),
        "is_minor": False,
    }
    fields = {f.name for f in Party._meta.get_fields()}
    assert set(cleaned) <= fields
    Party(**cleaned)  # fits the model as it is


def test_minor_is_judged_on_the_act_date():
    data = {"kind": "natural", "name": "李四", "id_type": "resident", "id_number": MINOR_ID}
    assert clean_party(data, act_date=date(2028, 5, 1))["is_minor"] is True
    assert clean_party(data, act_date=date(2028, 5, 2))["is_minor"] is False
    cleaned = clean_party(data, act_date=date(2024, 5, 1))
    assert cleaned["is_minor"] and under_14(cleaned["birth_date"], date(2024, 5, 1))


def test_minor_defaults_to_today(monkeypatch):
    from zhifa.cases import parties

    data = {"kind": "natural", "name": "李四", "id_type": "resident", "id_number": MINOR_ID}
    monkeypatch.setattr(parties.timezone, "localdate", lambda: date(2027, 1, 1))
    assert clean_party(data)["is_minor"] is True
    monkeypatch.setattr(parties.timezone, "localdate", lambda: date(2029, 1, 1))
    assert clean_party(data)["is_minor"] is False


def test_resident_id_errors_are_keyed_by_field():
    bad = EXAMPLE[:17] + "1"
    errors = _errors({"kind": "natural", "name": "张三", "id_type": "resident", "id_number": bad})
    assert list(errors) == ["id_number"]
    assert "公民身份号码" in errors["id_number"][0] and "校验码" in errors["id_number"][0]
    errors = _errors({"kind": "natural", "name": "张三", "id_type": "resident"})
    assert "请填写公民身份号码" in errors["id_number"][0]


def test_passport_with_optional_birth_date():
    data = {
        "kind": "natural",
        "name": "John Smith",
        "id_type": "passport",
        "id_number": "e 1234 5678",
    }
    cleaned = clean_party(data, act_date=date(2025, 1, 1))
    assert cleaned["id_number"] == "E12345678"
    assert cleaned["birth_date"] is None and cleaned["is_minor"] is False
    cleaned = clean_party({**data, "birth_date": "2010-05-01"}, act_date=date(2025, 1, 1))
    assert cleaned["birth_date"] == date(2010, 5, 1) and cleaned["is_minor"] is True
    assert "birth_date" in _errors({**data, "birth_date": "2010/05/01"})
    assert "id_number" in _errors({**data, "id_number": ""})


def test_other_papers_keep_their_text():
    cleaned = clean_party(
        {"kind": "natural", "name": "王五", "id_type": "other", "id_number": "港澳通行证 H-1234"}
    )
    assert cleaned["id_number"] == "港澳通行证 H-1234"


def test_natural_person_without_papers():
    cleaned = clean_party({"kind": "natural", "name": "无名氏"})
    assert cleaned["id_type"] == "" and cleaned["id_number"] == ""
    errors = _errors({"kind": "natural", "name": "王五", "id_number": "E12345678"})
    assert "请选择证件类型" in errors["id_type"][0]
    errors = _errors({"kind": "natural", "name": "王五", "id_type": "driver"})
    assert "证件类型" in errors["id_type"][0]


def test_birth_date_checks():
    base = {"kind": "natural", "name": "张三", "id_type": "resident", "id_number": EXAMPLE}
    errors = _errors({**base, "birth_date": date(1950, 1, 1)})
    assert "不一致" in errors["birth_date"][0]
    assert clean_party({**base, "birth_date": "1949-12-31"})["birth_date"] == date(1949, 12, 31)
    errors = _errors(base, act_date=date(1940, 1, 1))
    assert "早于当事人出生日期" in errors["birth_date"][0]
    passport = {"kind": "natural", "name": "A", "id_type": "passport", "id_number": "E1"}
    assert "晚于今天" in _errors({**passport, "birth_date": date(2999, 1, 1)})["birth_date"][0]


def test_organisation():
    cleaned = clean_party(
        {
            "kind": "organisation",
            "name": "某某食品有限公司",
            "uscc": "91110000600037341l",
            "legal_representative": "赵六",
            "id_type": "resident",  # belongs to the other kind: dropped
            "id_number": EXAMPLE,
        }
    )
    assert cleaned["uscc"] == USCC_OK and cleaned["legal_representative"] == "赵六"
    assert cleaned["id_type"] == cleaned["id_number"] == "" and cleaned["birth_date"] is None
    assert cleaned["is_minor"] is False
    errors = _errors({"kind": "organisation", "name": ""})
    assert "请填写单位名称" in errors["name"][0]
    assert "请填写统一社会信用代码" in errors["uscc"][0]
    errors = _errors({"kind": "organisation", "name": "某公司", "uscc": "91110000600037341M"})
    assert "统一社会信用代码" in errors["uscc"][0] and "校验码" in errors["uscc"][0]


def test_kind_name_phone_and_lengths():
    errors = _errors({"kind": "robot", "name": ""})
    assert "当事人类型" in errors["kind"][0] and "请填写当事人姓名" in errors["name"][0]
    base = {"kind": "natural", "name": "张三"}
    for phone in ("0571-88881234", "+86 138 0000 0000", "１３８００００００００", "110"):
        assert clean_party({**base, "phone": phone})["phone"]
    for phone in ("138 0000 abcd", "(0571)8888", "86+138", "0571-", "+"):
        assert "联系电话" in _errors({**base, "phone": phone})["phone"][0], phone
    errors = _errors({**base, "phone": "1" * 41, "address": "地" * 201, "name": "名" * 201})
    assert "不能超过40个字符" in errors["phone"][0]
    assert "不能超过200个字符" in errors["address"][0]
    assert "姓名或名称" in errors["name"][0]
