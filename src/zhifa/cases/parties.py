"""当事人: identity numbers, age, and the cleaned fields of a `Party`.

Pure functions (no database) for the case engine's services:

- `validate_resident_id` — 公民身份号码 (GB 11643-1999), 18 digits with the
  ISO 7064 MOD 11-2 check character, or a 15-digit number of the older series;
- `validate_uscc` — 统一社会信用代码 (GB 32100-2015);
- `age_on`, `under_14`, `is_minor` — 周岁 on a date (行政处罚法 第三十条,
  rules.md APL-04; the ages come from statutes.toml);
- `clean_party` — a party's fields checked and normalised, errors keyed by
  field in Chinese, the result ready for `Party(**cleaned)`.

Every message names the field and says what is wrong (长度、格式、出生日期、
校验码), never echoes a full identity number back, and never reveals the
expected check character (so a typo is looked up, not "fixed" to pass).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from zhifa.rules.services import rule_value
from zhifa.workdays.calendar import add_years

RESIDENT_ID = "公民身份号码"
USCC = "统一社会信用代码"

# GB 11643-1999 / ISO 7064 MOD 11-2: weight of position i (0-based) is
# 2 ** (17 - i) mod 11; the check character makes the weighted sum ≡ 1 (mod 11).
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK = "10X98765432"  # indexed by (weighted sum of the first 17 digits) mod 11

# GB 32100-2015: digits and upper-case letters except I, O, Z, S, V.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Separators people type inside a number; removed before checking.
_SEPARATORS = re.compile(r"[\s\-]+")
_PHONE = re.compile(r"\+?[0-9](?:[0-9 \-]*[0-9])?")

KINDS = ("natural", "organisation")
ID_TYPES = ("resident", "passport", "other")
MAX_LENGTHS = {  # the Party model's field lengths
    "name": 200,
    "id_number": 40,
    "legal_representative": 60,
    "address": 200,
    "phone": 40,
}


@dataclass(frozen=True)
class ResidentId:
    number: str  # normalised: ASCII digits, upper-case X, no separators
    birth_date: date
    sex: str  # "male" | "female" (the sequence code: odd = male)
    legacy: bool  # a 15-digit number of the older series (no check character)


def _normalise(value: object) -> str:
    """Full-width digits and letters to ASCII (NFKC), separators removed, upper-case."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return _SEPARATORS.sub("", text).upper()


def resident_id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def validate_resident_id(number: str, *, today: date | None = None) -> ResidentId:
    """Check a 公民身份号码 and read the birth date and sex from it.

    Accepted: 18 characters (6-digit area code, 8-digit birth date YYYYMMDD,
    3-digit sequence, check character 0-9 or X per ISO 7064 MOD 11-2), or the
    older 15-digit series (area code, birth date YYMMDD read as 19YY, 3-digit
    sequence, no check character). Full-width digits, a lower-case x, spaces
    and hyphens are normalised. The birth date must exist in the calendar and
    not be after `today` (default: today's local date). The area code is not
    checked against GB/T 2260: codes are abolished and created every year and a
    number keeps the code of the place where it was first issued.

    python-stdnum's `stdnum.cn.ric` was checked (2.2) and is not used: it knows
    only the 18-digit form, does not refuse a birth date in the future, and
    refuses valid numbers whose area code is missing from its bundled
    division list. The check character here is the same MOD 11-2 computation
    (the tests compare it with `stdnum.cn.ric.calc_check_digit`).

    Raises `ValidationError` with a Chinese message and code "required",
    "length", "format", "birth_date" or "checksum".
    """
    value = _normalise(number)
    if not value:
        raise ValidationError(f"请填写{RESIDENT_ID}。", code="required")
    if len(value) not in (15, 18):
        raise ValidationError(
            f"{RESIDENT_ID}长度不正确：应为18位（或15位旧号码），现为{len(value)}位。",
            code="length",
        )
    legacy = len(value) == 15
    if not value.isascii():  # digits of other scripts, which NFKC keeps
        raise ValidationError(f"{RESIDENT_ID}格式不正确：只能包含数字和字母X。", code="format")
    if legacy and not value.isdigit():
        raise ValidationError(f"{RESIDENT_ID}格式不正确：15位号码应全部为数字。", code="format")
    if not legacy and not (value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        raise ValidationError(
            f"{RESIDENT_ID}格式不正确：前17位应为数字，第18位为数字或字母X。", code="format"
        )

    raw = "19" + value[6:12] if legacy else value[6:14]
    where = "第7至12位" if legacy else "第7至14位"
    try:
        birth = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        raise ValidationError(
            f"{RESIDENT_ID}中的出生日期（{where}）不是有效日期，请核对号码。", code="birth_date"
        ) from None
    today = today or timezone.localdate()
    if birth > today:
        raise ValidationError(
            f"{RESIDENT_ID}中的出生日期（{where}）晚于今天，请核对号码。", code="birth_date"
        )
    if not legacy and value[17] != resident_id_check_char(value[:17]):
        raise ValidationError(
            f"{RESIDENT_ID}校验码（第18位）不符，号码可能有输入错误，请逐位核对。",
            code="checksum",
        )
    sequence = value[12:15] if legacy else value[14:17]
    sex = "male" if int(sequence[-1]) % 2 else "female"
    return ResidentId(number=value, birth_date=birth, sex=sex, legacy=legacy)


def validate_uscc(code: str) -> str:
    """Check a 统一社会信用代码 and return it normalised (upper-case, no separators).

    Uses python-stdnum (`stdnum.cn.uscc`) for normalising and for the GB 32100
    check character. Its `validate()` is not used as the whole check: it
    requires the first 8 characters to be digits, but GB 32100-2015 lets the
    registering department (position 1) be a letter — A (军队), N (农业农村:
    农村集体经济组织 codes begin N1/N2/N3), Y (其他) — so the structure is checked
    here: positions 1-2 from the code alphabet, 3-8 the region digits, 9-17 from
    the alphabet, 18 the check character.

    Raises `ValidationError` with a Chinese message and code "required",
    "length", "format" or "checksum".
    """
    value = stdnum_uscc.compact(_normalise(code))
    if not value:
        raise ValidationError(f"请填写{USCC}。", code="required")
    if len(value) != 18:
        raise ValidationError(f"{USCC}长度不正确：应为18位，现为{len(value)}位。", code="length")
    if any(c not in _USCC_ALPHABET for c in value) or not value[2:8].isdigit():
        raise ValidationError(
            f"{USCC}格式不正确：由数字和大写字母组成（不使用I、O、Z、S、V），第3至8位为行政区划代码。",
            code="format",
        )
    if value[17] != stdnum_uscc.calc_check_digit(value):
        raise ValidationError(
            f"{USCC}校验码（第18位）不符，代码可能有输入错误，请逐位核对。", code="checksum"
        )
    return value


# --------------------------------------------------------------------------
# Age (周岁)
# --------------------------------------------------------------------------


def age_on(birth: date, on: date) -> int:
    """周岁 on the day `on`: full years completed at the end of the day before.

    A year of age is completed at the end of the anniversary day, so the new
    age counts from the day after the birthday: born 2010-05-01, the person is
    13 on 2024-05-01 and 14 from 2024-05-02. This is the civil-law way of
    counting a period in years (民法典 第二百零一条: 开始的当日不计入；第二百零二条:
    到期月的对应日为期间的最后一日，没有对应日的，月末日为期间的最后一日) and the same
    result as the judicial rule for criminal age (“从周岁生日的第二天起算”). It is
    also the reading most favourable to the party at both thresholds of
    行政处罚法 第三十条. Neither rule is in rules.md; they are cited for the
    method only. Born on 29 February: the anniversary in a common year is
    28 February (as `zhifa.workdays.calendar.add_years`), so the age counts
    from 1 March.
    """
    if on < birth:
        raise ValueError(f"日期 {on.isoformat()} 早于出生日期 {birth.isoformat()}。")
    years = on.year - birth.year
    if years > 0 and not add_years(birth, years) < on:
        years -= 1
    return years


def under_14(birth: date, on: date, *, region_code: str | None = None) -> bool:
    """Not yet 14 周岁 on `on`: no administrative penalty (行政处罚法 第三十条, APL-04)."""
    limit = rule_value("penalty.age_no_penalty", region_code=region_code)
    return age_on(birth, on) < limit


def is_minor(birth: date, on: date, *, region_code: str | None = None) -> bool:
    """Not yet 18 周岁 on `on`: a minor; 14 to 18 is penalised more lightly (APL-04)."""
    limit = rule_value("penalty.age_minor", region_code=region_code)
    return age_on(birth, on) < limit


# --------------------------------------------------------------------------
# A party's fields
# --------------------------------------------------------------------------


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return " ".join(unicodedata.normalize("NFKC", str(value)).split()) if value else ""


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def clean_party(data: dict, *, act_date: date | None = None) -> dict:
    """A party's fields, checked and normalised for `Party(**cleaned)`.

    `data` keys: kind ("natural" | "organisation"), name, and
    - natural: id_type ("resident" | "passport" | "other", may be empty when no
      number is known), id_number (required when id_type is set; a resident
      number is validated and gives birth_date), birth_date (optional for
      passports and other papers: a date or ISO text);
    - organisation: uscc (required, validated), legal_representative;
    - both: address, phone (digits, spaces, hyphens and a leading +).

    `is_minor` is whether the person was under 18 on `act_date` (the day of the
    act; today when not given); False for organisations and for a natural
    person whose birth date is unknown. Keys of the other kind are returned
    empty, so a changed kind leaves no stale values.

    Raises `ValidationError` whose `message_dict` maps each field to its
    Chinese messages.
    """
    today = timezone.localdate()
    on = act_date or today
    errors: dict[str, list[ValidationError]] = {}

    def fail(field: str, error: ValidationError | str) -> None:
        if isinstance(error, str):
            error = ValidationError(error, code="invalid")
        errors.setdefault(field, []).append(error)

    kind = _text(data, "kind")
    if kind not in KINDS:
        fail(
            "kind", ValidationError("请选择当事人类型：公民，或者法人、其他组织。", code="required")
        )
    cleaned: dict = {
        "kind": kind,
        "name": _text(data, "name"),
        "id_type": "",
        "id_number": "",
        "uscc": "",
        "legal_representative": "",
        "address": _text(data, "address"),
        "phone": unicodedata.normalize("NFKC", str(data.get("phone") or "")).strip(),
        "birth_date": None,
        "is_minor": False,
    }
    if not cleaned["name"]:
        what = "单位名称" if kind == "organisation" else "当事人姓名"
        fail("name", ValidationError(f"请填写{what}。", code="required"))

    if kind == "natural":
        id_type = _text(data, "id_type")
        # Resident and passport numbers lose separators and go upper-case; other
        # papers keep their text (only spacing is normalised).
        other = id_type not in ("resident", "passport")
        id_number = _text(data, "id_number") if other else _normalise(data.get("id_number"))
        birth: date | None = None
        try:
            given_birth = _date(data.get("birth_date"))
        except ValueError:
            given_birth = None
            fail("birth_date", "出生日期格式不正确，应为“年-月-日”，例如 1990-03-07。")
        if id_type and id_type not in ID_TYPES:
            fail("id_type", "证件类型只能是居民身份证、护照或其他证件。")
        elif id_type == "resident":
            try:
                resident = validate_resident_id(id_number, today=today)
            except ValidationError as e:
                fail("id_number", e)
            else:
                id_number, birth = resident.number, resident.birth_date
                if given_birth and given_birth != birth:
                    fail("birth_date", f"出生日期与{RESIDENT_ID}中的出生日期不一致。")
        elif id_type:
            if not id_number:
                fail("id_number", ValidationError("请填写证件号码。", code="required"))
            birth = given_birth
        elif id_number:
            fail("id_type", ValidationError("填写了证件号码的，请选择证件类型。", code="required"))
        else:
            birth = given_birth
        if birth and "birth_date" not in errors:
            if birth > today:
                fail("birth_date", "出生日期不能晚于今天。")
            elif birth > on:
                fail("birth_date", "违法行为发生日期早于当事人出生日期，请核对。")
        cleaned.update(id_type=id_type if id_type in ID_TYPES else "", id_number=id_number)
        if birth and not errors.keys() & {"id_number", "birth_date"}:
            cleaned["birth_date"] = birth
            cleaned["is_minor"] = is_minor(birth, on)
    elif kind == "organisation":
        try:
            cleaned["uscc"] = validate_uscc(data.get("uscc") or "")
        except ValidationError as e:
            fail("uscc", e)
        cleaned["legal_representative"] = _text(data, "legal_representative")

    phone = cleaned["phone"]
    if phone and not _PHONE.fullmatch(phone):
        fail("phone", "联系电话只能包含数字、空格、连字符“-”和开头的“+”。")
    labels = {
        "name": "姓名或名称",
        "id_number": "证件号码",
        "legal_representative": "法定代表人或负责人",
        "address": "住所或地址",
        "phone": "联系电话",
    }
    for field, limit in MAX_LENGTHS.items():
        if len(cleaned[field]) > limit and field not in errors:
            fail(field, f"{labels[field]}不能超过{limit}个字符（现为{len(cleaned[field])}个）。")

    if errors:
        raise ValidationError(errors)
    return cleaned


__all__ = [
    "ResidentId",
    "age_on",
    "clean_party",
    "is_minor",
    "resident_id_check_char",
    "under_14",
    "validate_resident_id",
    "validate_uscc",
]
