"""Deadlines through the rules (rules.md §14.3) and regional overrides."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhifa.rules.models import RuleOverride, region_code_chain
from zhifa.rules.services import (
    NotAPeriod,
    RuleNotConfigured,
    deadline,
    resolve_rule_value,
    rule_value,
)
from zhifa.workdays.calendar import CalendarNotAvailable
from zhifa.workdays.models import CalendarDay, CalendarSource, CalendarYear, DayKind

pytestmark = pytest.mark.django_db

D = date.fromisoformat


# rules.md §14.3 worked examples, through the rules.
@pytest.mark.parametrize(
    ("rule_id", "start", "due"),
    [
        ("disclosure.penalty", "2025-09-26", "2025-10-13"),
        ("disclosure.other", "2025-09-26", "2025-10-30"),
        ("disclosure.license", "2026-02-12", "2026-02-28"),
        ("penalty.withdraw_publication", "2026-09-24", "2026-09-30"),
        ("license.correction_notice", "2025-04-30", "2025-05-12"),
        ("penalty.serve_decision", "2026-09-30", "2026-10-15"),
    ],
)
def test_working_day_examples(rule_id, start, due):
    result = deadline(rule_id, D(start))
    assert result.due == D(due)
    assert result.outer_limit is None
    assert result.start == D(start)


@pytest.mark.parametrize(
    ("rule_id", "start", "raw", "outer"),
    [
        ("penalty.pay", "2025-09-20", "2025-10-05", "2025-10-09"),
        ("penalty.decide", "2025-03-10", "2025-06-08", "2025-06-09"),
        ("coercion.seizure", "2026-01-20", "2026-02-19", "2026-02-24"),
    ],
)
def test_calendar_day_examples_with_outer_limit(rule_id, start, raw, outer):
    result = deadline(rule_id, D(start))
    assert (result.due, result.outer_limit) == (D(raw), D(outer))


def test_outer_limit_equals_due_on_a_working_day():
    result = deadline("penalty.pay", D("2025-06-01"))  # +15 = Mon 2025-06-16
    assert result.due == result.outer_limit == D("2025-06-16")


def test_calendar_period_without_outer_limit_needs_no_calendar(django_assert_num_queries):
    with django_assert_num_queries(0):
        result = deadline("penalty.limitation", D("2026-06-30"))
    assert result.due == D("2028-06-30")
    assert result.outer_limit is None


def test_month_periods_clamp_to_month_end():
    result = deadline("litigation.window", D("2025-08-31"))
    assert result.due == D("2026-02-28")
    assert result.outer_limit == D("2026-02-28")  # a make-up working Saturday


def test_before_rules_count_back_from_the_event():
    # Hearing on Mon 2026-10-12: notify by 2026-09-24 (7 working days before, APL-28).
    assert deadline("penalty.hearing_notice", D("2026-10-12")).due == D("2026-09-24")
    # Renewal: apply at least 30 days before expiry (ALL-16).
    assert deadline("license.renewal_application", D("2026-03-31")).due == D("2026-03-01")


def test_working_days_into_2027_are_refused():
    with pytest.raises(CalendarNotAvailable) as excinfo:
        deadline("penalty.serve_decision", D("2026-12-28"))
    assert "2027年的工作日历尚未录入" in str(excinfo.value)
    assert "送达行政处罚决定书" in str(excinfo.value)


def test_roll_over_into_2027_is_refused_with_the_raw_date():
    with pytest.raises(CalendarNotAvailable) as excinfo:
        deadline("penalty.decide", D("2026-10-15"))
    message = str(excinfo.value)
    assert "2027-01-13" in message
    assert "系统管理 › 工作日历" in message


def test_2027_answered_once_entered():
    year = CalendarYear.objects.create(year=2027, notice="测试用安排", source=CalendarSource.MANUAL)
    CalendarDay.objects.create(year=year, date=D("2027-01-01"), kind=DayKind.HOLIDAY, name="元旦")
    result = deadline("penalty.serve_decision", D("2026-12-28"))
    # 12-29, 12-30, 12-31, [01-01 holiday, weekend], 01-04, 01-05, 01-06, 01-07
    assert result.due == D("2027-01-07")


def test_threshold_is_not_a_period():
    with pytest.raises(NotAPeriod, match="不是期限"):
        deadline("penalty.summary_fine_citizen", D("2026-01-05"))


def test_datetime_start_is_refused():
    from datetime import datetime

    with pytest.raises(TypeError):
        deadline("penalty.pay", datetime(2026, 1, 5, 10))  # type: ignore[arg-type]


# Regional overrides along the GB/T 2260 hierarchy.
def _override(rule_id, region_code, value, effective_from=None, basis="某地规定 第三条"):
    obj = RuleOverride(
        rule_id=rule_id,
        region_code=region_code,
        value=Decimal(value),
        basis=basis,
        effective_from=effective_from,
    )
    obj.full_clean()
    obj.save()
    return obj


LARGE_FINE = "penalty.hearing_large_fine_citizen"


def test_region_code_chain():
    assert region_code_chain("210521001") == ["210521001", "210521", "210500", "210000"]
    assert region_code_chain("210521") == ["210521", "210500", "210000"]
    assert region_code_chain("210500") == ["210500", "210000"]
    assert region_code_chain("210000") == ["210000"]
    with pytest.raises(ValueError, match="6 位数字"):
        region_code_chain("2105")


def test_unconfigured_regional_value_is_refused_in_chinese():
    with pytest.raises(RuleNotConfigured) as excinfo:
        rule_value(LARGE_FINE, region_code="210521")
    message = str(excinfo.value)
    assert "没有全国统一的数值" in message
    assert "210521" in message
    assert "第六十三条" in message


def test_county_inherits_from_province():
    _override(LARGE_FINE, "210000", "5000")
    assert rule_value(LARGE_FINE, region_code="210521") == Decimal(5000)
    assert rule_value(LARGE_FINE, region_code="210521001") == Decimal(5000)
    assert rule_value(LARGE_FINE, region_code="210500") == Decimal(5000)


def test_county_override_beats_province():
    _override(LARGE_FINE, "210000", "5000")
    _override(LARGE_FINE, "210500", "4000")
    _override(LARGE_FINE, "210521", "3000", basis="县规定 第二条")
    assert rule_value(LARGE_FINE, region_code="210521") == Decimal(3000)
    assert rule_value(LARGE_FINE, region_code="210502") == Decimal(4000)  # other county, same city
    resolved = resolve_rule_value(LARGE_FINE, region_code="210521001")
    assert resolved.value == Decimal(3000)
    assert "县规定 第二条" in resolved.basis


def test_other_province_does_not_inherit():
    _override(LARGE_FINE, "210000", "5000")
    with pytest.raises(RuleNotConfigured):
        rule_value(LARGE_FINE, region_code="220102")


def test_effective_dates_pick_the_provision_in_force():
    _override(LARGE_FINE, "210000", "5000")
    _override(LARGE_FINE, "210000", "10000", effective_from=D("2026-07-01"))
    assert rule_value(LARGE_FINE, region_code="210521", on_date=D("2026-06-30")) == 5000
    assert rule_value(LARGE_FINE, region_code="210521", on_date=D("2026-07-01")) == 10000


def test_bad_region_code_is_refused_even_for_a_national_rule():
    with pytest.raises(ValueError, match="区划代码"):
        deadline("penalty.pay", D("2025-09-20"), region_code="21")


def test_national_value_applies_without_override():
    assert rule_value("review.legal_review_days", region_code="210521") == 7
    assert rule_value("penalty.pay") == 15


def test_period_override_is_used_by_deadline():
    _override("review.legal_review_days", "210000", "10", basis="某省法制审核办法 第九条")
    result = deadline("review.legal_review_days", D("2025-09-26"), region_code="210521")
    assert result.value == 10
    assert result.due == D("2025-10-16")
    assert "某省法制审核办法 第九条" in result.basis
    assert deadline("review.legal_review_days", D("2025-09-26")).due == D("2025-10-13")


def test_override_takes_effect_by_the_start_date():
    _override("review.legal_review_days", "210000", "10", effective_from=D("2026-01-01"))
    assert deadline("review.legal_review_days", D("2025-09-26"), region_code="210521").value == 7
    assert deadline("review.legal_review_days", D("2026-03-02"), region_code="210521").value == 10


# Override validation.
def test_non_overridable_rule_refuses_an_override_naming_the_law():
    obj = RuleOverride(
        rule_id="penalty.serve_decision", region_code="210000", value=Decimal(10), basis="某省规定"
    )
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    message = " ".join(excinfo.value.message_dict["rule_id"])
    assert "中华人民共和国行政处罚法" in message
    assert "地方不能另行设定" in message


def test_unknown_rule_refused():
    obj = RuleOverride(rule_id="penalty.nope", region_code="210000", value=1, basis="x")
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert "没有编号为“penalty.nope”" in " ".join(excinfo.value.message_dict["rule_id"])


@pytest.mark.parametrize(
    ("rule_id", "value", "message"),
    [
        (LARGE_FINE, "0", "大于 0"),
        (LARGE_FINE, "-5", "大于 0"),
        ("review.legal_review_days", "7.5", "整数"),
        ("review.reviewer_ratio", "5", "不超过 1"),
    ],
)
def test_override_values_are_checked(rule_id, value, message):
    obj = RuleOverride(rule_id=rule_id, region_code="210000", value=Decimal(value), basis="x")
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert message in " ".join(excinfo.value.message_dict["value"])


def test_basis_is_required():
    obj = RuleOverride(rule_id=LARGE_FINE, region_code="210000", value=Decimal(1), basis="  ")
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert "basis" in excinfo.value.message_dict


def test_bad_region_code_is_refused():
    obj = RuleOverride(rule_id=LARGE_FINE, region_code="21052", value=Decimal(1), basis="x")
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert "6 位数字" in " ".join(excinfo.value.message_dict["region_code"])


def test_duplicate_undated_override_is_refused():
    _override(LARGE_FINE, "210000", "5000")
    dup = RuleOverride(rule_id=LARGE_FINE, region_code="210000", value=Decimal(6000), basis="x")
    with pytest.raises(ValidationError, match="已有未注明施行日期"):
        dup.full_clean()
