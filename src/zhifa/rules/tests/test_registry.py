"""statutes.toml: the contract ids, their units and sources, and load-time validation."""

import re
from decimal import Decimal

import pytest

from zhifa.rules.registry import (
    CALENDAR_UNITS,
    PERIOD_UNITS,
    RegistryError,
    Rule,
    UnknownRule,
    all_rules,
    get_rule,
    parse_statutes,
)

# The ids other apps rely on: (id, value, unit, a source id it must cite, outer_limit).
CONTRACT = [
    ("penalty.serve_decision", 7, "working_days", "APL-26", False),
    ("penalty.hearing_request", 5, "working_days", "APL-28", False),
    ("penalty.withdraw_publication", 3, "working_days", "APL-14", False),
    ("penalty.evidence_preservation", 7, "working_days", "APL-20", False),
    ("penalty.decide", 90, "calendar_days", "APL-25", True),
    ("penalty.pay", 15, "calendar_days", "APL-31", True),
    ("disclosure.penalty", 7, "working_days", "GB118-05", False),
    ("disclosure.license", 7, "working_days", "GB118-05", False),
    ("disclosure.other", 20, "working_days", "GB118-04", False),
    ("inspection.publish_results", 20, "working_days", "DR-08", False),
    ("license.decide", 20, "working_days", "ALL-08", False),
    ("coercion.seizure", 30, "calendar_days", "ACL-07", True),
    ("reconsideration.reply", 10, "working_days", "ARL-05", False),
]


@pytest.mark.parametrize(("rule_id", "value", "unit", "source", "outer"), CONTRACT)
def test_contract_rule(rule_id, value, unit, source, outer):
    rule = get_rule(rule_id)
    assert rule.value == Decimal(value)
    assert rule.unit == unit
    assert source in rule.sources
    assert rule.outer_limit is outer


@pytest.mark.parametrize(
    ("rule_id", "value", "unit", "source"),
    [
        ("penalty.limitation", "2", "years", "APL-02"),
        ("penalty.limitation_extended", "5", "years", "APL-02"),
        ("penalty.hearing_notice", "7", "working_days", "APL-28"),
        ("penalty.summary_fine_citizen", "200", "yuan", "APL-16"),
        ("penalty.summary_fine_organisation", "3000", "yuan", "APL-16"),
        ("penalty.onsite_collection", "100", "yuan", "APL-32"),
        ("penalty.cash_handover", "2", "working_days", "APL-33"),
        ("penalty.cash_deposit", "2", "working_days", "APL-33"),
        ("penalty.surcharge_daily_rate", "0.03", "ratio", "APL-34"),
        ("penalty.surcharge_cap", "1", "ratio", "APL-34"),
        ("license.extend", "10", "working_days", "ALL-08"),
        ("license.issue", "10", "working_days", "ALL-11"),
        ("license.correction_notice", "5", "working_days", "ALL-03"),
        ("license.joint_decide", "45", "working_days", "ALL-09"),
        ("license.joint_extend", "15", "working_days", "ALL-09"),
        ("license.hearing_request", "5", "working_days", "ALL-14"),
        ("license.hearing_hold", "20", "working_days", "ALL-14"),
        ("coercion.seizure_extension", "30", "calendar_days", "ACL-07"),
        ("coercion.freeze_deliver", "3", "working_days", "ACL-09"),
        ("coercion.freeze", "30", "calendar_days", "ACL-09"),
        ("coercion.court_application_wait", "10", "working_days", "ACL-19"),
        ("coercion.court_application", "3", "months", "ACL-19"),
        ("coercion.substitute_reminder", "3", "working_days", "ACL-18"),
        ("reconsideration.reply_simple", "5", "working_days", "ARL-06"),
        ("reconsideration.forward", "5", "working_days", "ARL-04"),
        ("reconsideration.window", "60", "calendar_days", "ARL-01"),
        ("litigation.defence", "15", "calendar_days", "ALA-02"),
        ("litigation.window", "6", "months", "ALA-04"),
        ("judicial_suggestion.reply", "60", "calendar_days", "ALA-08"),
        ("review.reviewer_ratio", "0.05", "ratio", "GB118-16"),
        ("review.legal_review_days", "7", "working_days", "REV-03"),
        ("disclosure.withdraw_market", "3", "working_days", "PUB-06"),
        ("disclosure.period_general", "3", "years", "PUB-07"),
        ("disclosure.period_minor", "3", "months", "PUB-07"),
        ("disclosure.period_local", "5", "years", "PUB-13"),
        ("disclosure.period_local_natural", "2", "years", "PUB-13"),
        ("disclosure.correction_reply", "20", "working_days", "PUB-09"),
    ],
)
def test_other_rules(rule_id, value, unit, source):
    rule = get_rule(rule_id)
    assert rule.value == Decimal(value)
    assert rule.unit == unit
    assert source in rule.sources


@pytest.mark.parametrize(
    "rule_id", ["penalty.hearing_large_fine_citizen", "penalty.hearing_large_fine_organisation"]
)
def test_large_fine_hearing_threshold_is_left_to_regions(rule_id):
    # 行政处罚法 第六十三条: 较大数额 is set by provinces or departments (APL-27).
    rule = get_rule(rule_id)
    assert rule.value is None
    assert rule.overridable
    assert rule.unit == "yuan"
    assert rule.format_value() == "由地方规定（未配置）"


def test_unverified_and_local_rules_keep_their_status():
    assert get_rule("review.reviewer_ratio").status == "U"
    assert get_rule("review.reviewer_ratio").overridable
    assert get_rule("review.legal_review_days").status == "L"
    assert get_rule("review.legal_review_days").overridable
    assert get_rule("disclosure.period_local").status == "L"
    assert get_rule("disclosure.correction_reply").status == "U"
    assert get_rule("disclosure.correction_reply").overridable


def test_units_follow_the_law_not_the_number():
    days = ("working_days", "calendar_days")
    for rule in all_rules():
        if rule.value is None:
            continue
        in_working_days = rule.unit == "working_days"
        if rule.law.endswith("行政许可法") and rule.id != "license.renewal_application":
            # 行政许可法 第八十二条 (CAL-02); the applicant's renewal period is not the agency's.
            assert in_working_days, rule.id
        if rule.law.endswith("行政强制法") and rule.unit in days:
            # 行政强制法 第六十九条 (CAL-03): 10 days or fewer are working days.
            assert in_working_days == (rule.value <= 10), rule.id
        if rule.law.endswith("行政复议法") and rule.unit in days:
            # 行政复议法 第八十八条 (CAL-04): 3/5/7/10 days are working days.
            assert in_working_days == (rule.value in (3, 5, 7, 10)), rule.id
        if rule.law.endswith("行政处罚法") and rule.unit in days:
            # 行政处罚法 第八十五条 (CAL-01): 2/3/5/7 days are working days.
            assert in_working_days == (rule.value in (2, 3, 5, 7)), rule.id


def test_every_rule_is_cited_and_well_formed():
    rules = all_rules()
    assert len({r.id for r in rules}) == len(rules)
    source_id = re.compile(r"^[A-Z0-9]+-\d{2}$")
    for rule in rules:
        assert rule.title and rule.law and rule.article, rule.id
        assert rule.sources and all(source_id.match(s) for s in rule.sources), rule.id
        assert rule.status in {"V1", "V2", "L", "U"}
        if rule.outer_limit:
            assert rule.unit in CALENDAR_UNITS and rule.direction == "after"
        if rule.direction == "before":
            assert rule.unit in PERIOD_UNITS
        assert rule.value is not None or rule.overridable, rule.id


def test_rules_are_frozen():
    with pytest.raises(AttributeError):
        get_rule("penalty.pay").value = Decimal(30)  # type: ignore[misc]
    assert isinstance(get_rule("penalty.pay"), Rule)


def test_unknown_rule_suggests_near_matches_in_chinese():
    with pytest.raises(UnknownRule) as excinfo:
        get_rule("penalty.serve")
    message = str(excinfo.value)
    assert message.startswith("没有编号为“penalty.serve”的法定期限或标准")
    assert "penalty.serve_decision" in message
    assert isinstance(excinfo.value, KeyError)


def test_unknown_rule_without_near_match_points_to_the_list():
    with pytest.raises(UnknownRule, match="zhifa rules"):
        get_rule("nothing.like.this")


# Load-time validation.
_BASE = """
[[rule]]
id = "x.period"
title = "测试"
value = 5
unit = "working_days"
law = "某法"
article = "第一条"
source = "APL-01"
status = "V1"
overridable = false
outer_limit = false
quote = ""
"""


def _with(**changes) -> str:
    text = _BASE
    for key, value in changes.items():
        text = re.sub(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.M)
    return text


def test_valid_minimal_file_parses():
    assert parse_statutes(_BASE)["x.period"].value == Decimal(5)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": '"weeks"'}, "单位"),
        ({"outer_limit": "true"}, "outer_limit"),
        ({"value": '"2.5"'}, "整数"),
        ({"value": "0"}, "大于 0"),
        ({"status": '"X"'}, "核实状态"),
        ({"id": '"Bad Id"'}, "规则编号"),
    ],
)
def test_invalid_entries_are_refused(changes, message):
    with pytest.raises(RegistryError, match=message):
        parse_statutes(_with(**changes))


def test_duplicate_ids_are_refused():
    with pytest.raises(RegistryError, match="重复"):
        parse_statutes(_BASE + _BASE)


def test_missing_value_requires_overridable():
    text = _BASE.replace("value = 5\n", "")
    with pytest.raises(RegistryError, match="overridable"):
        parse_statutes(text)
    assert parse_statutes(text.replace("overridable = false", "overridable = true"))


def test_ratio_above_one_is_refused():
    with pytest.raises(RegistryError, match="比例"):
        parse_statutes(_with(unit='"ratio"', value='"1.5"'))
