"""suggest_penalty and check_penalty against the benchmark of the factories
(行政处罚法 第三十条至第三十三条, APL-04)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhifa.catalog.discretion import check_penalty, suggest_penalty
from zhifa.catalog.models import DiscretionGrade, Grade
from zhifa.catalog.tests.factories import GRADES, penalty_item, standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def std():
    return standard()


@pytest.mark.parametrize(
    ("circumstances", "grade"),
    [
        ([], Grade.ORDINARY),
        (["under_14"], Grade.NONE),
        (["no_fault"], Grade.NONE),
        (["first_minor_corrected"], Grade.NONE),
        (["age_14_18"], Grade.LIGHTER),
        (["coerced"], Grade.LIGHTER),
        (["voluntary_confession"], Grade.LIGHTER),
        (["repeat_offence"], Grade.HEAVIER),
        (["serious_harm", "obstructs_inspection"], Grade.HEAVIER),
        (["repeat_offence", "voluntary_confession"], Grade.LIGHTER),
    ],
)
def test_suggested_grade_follows_the_circumstances(std, circumstances, grade):
    assert suggest_penalty(std, circumstances=circumstances).grade == grade


def test_suggestion_gives_range_types_reasons_and_citations(std):
    s = suggest_penalty(std, circumstances=["age_14_18"])
    assert (s.fine_min, s.fine_max) == (Decimal("50000"), Decimal("65000"))
    assert s.penalty_types == ["fine", "confiscate_gains"]
    assert "《中华人民共和国行政处罚法》第三十条" in s.citations
    assert any("从轻处罚" in r for r in s.reasons)


def test_none_grade_has_no_penalty(std):
    s = suggest_penalty(std, circumstances=["under_14"])
    assert s.penalty_types == [] and s.fine_min is None


def test_a_grades_own_circumstances_win(std):
    DiscretionGrade.objects.filter(standard=std, grade=Grade.HEAVIER).update(
        circumstances=["age_14_18"]
    )
    assert suggest_penalty(std, circumstances=["age_14_18"]).grade == Grade.HEAVIER


def test_fine_from_gains_multiples():
    grades = [
        {
            "grade": "ordinary",
            "conditions": "货值金额一万元以上",
            "penalty_types": ["fine"],
            "gains_multiple_min": "10",
            "gains_multiple_max": "15",
        }
    ]
    std = standard(item=penalty_item(), grades=grades)
    s = suggest_penalty(std, circumstances=[], illegal_gains="12000")
    assert (s.fine_min, s.fine_max) == (Decimal("120000.00"), Decimal("180000.00"))
    without = suggest_penalty(std, circumstances=[])
    assert without.fine_min is None and any("违法所得" in r for r in without.reasons)


def test_unknown_circumstance_is_refused(std):
    with pytest.raises(ValidationError):
        suggest_penalty(std, circumstances=["bribed_the_officer"])


def test_check_within_range(std):
    c = check_penalty(std, grade="ordinary", penalty_types=["fine"], fine_amount=70000)
    assert (c.within, c.allowed, c.requires_review) == (True, True, False)


def test_check_outside_range_without_reasons_is_refused(std):
    c = check_penalty(std, grade="ordinary", penalty_types=["fine"], fine_amount=90000)
    assert (c.within, c.allowed) == (False, False)
    assert "高于本阶次上限" in c.message and "书面说明理由" in c.message


def test_check_outside_range_with_reasons_is_allowed_and_needs_review(std):
    c = check_penalty(
        std,
        grade="一般处罚",
        penalty_types=["罚款"],
        fine_amount=60000,
        reasons="当事人系残疾人，生活困难",
    )
    assert (c.within, c.allowed, c.requires_review) == (False, True, True)
    assert c.reasons == "当事人系残疾人，生活困难"


def test_check_penalty_type_outside_grade(std):
    c = check_penalty(std, grade="lighter", penalty_types=["revoke_permit"])
    assert not c.allowed and "吊销许可证件" in c.message


def test_grades_are_not_modified_by_suggest(std):
    before = list(std.grades.values_list("grade", "fine_min", "fine_max"))
    suggest_penalty(std, circumstances=["repeat_offence"])
    check_penalty(std, grade="heavier", penalty_types=["fine"], fine_amount=1)
    assert list(std.grades.values_list("grade", "fine_min", "fine_max")) == before
    assert len(GRADES) == 5
