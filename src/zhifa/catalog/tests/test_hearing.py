"""hearing_right: 行政处罚法 第六十三条 (APL-27) with regional 较大数额."""

import pytest

from zhifa.catalog.hearing import HearingThresholdNotConfigured, hearing_right
from zhifa.rules.models import RuleOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def liaoning():
    for rule, value in (
        ("penalty.hearing_large_fine_citizen", 2000),
        ("penalty.hearing_large_fine_organisation", 50000),
    ):
        RuleOverride.objects.create(
            rule_id=rule, region_code="210000", value=value, basis="示例：省级听证程序规定"
        )


@pytest.mark.parametrize(
    "penalty_type",
    ["lower_qualification", "revoke_permit", "suspend_business", "close", "restrict_practice"],
)
def test_heavy_penalty_types_always_give_the_right(penalty_type):
    # No regional value needed when no amount is involved.
    right = hearing_right(
        penalty_types=[penalty_type], party_kind="organisation", region_code="210521"
    )
    assert right.required and "第六十三条" in right.citation


def test_warning_gives_no_right():
    assert not hearing_right(penalty_types=["warning"], party_kind="natural", region_code="210521")


def test_large_fine_by_regional_value_per_party_kind(liaoning):
    citizen = hearing_right(
        penalty_types=["fine"], fine_amount=2000, party_kind="natural", region_code="210521"
    )
    assert (
        citizen.required
        and "第（一）项" in citizen.citation
        and "省级听证程序规定" in citizen.reasons[0]
    )
    assert not hearing_right(
        penalty_types=["fine"], fine_amount=1999, party_kind="natural", region_code="210521"
    )
    assert not hearing_right(
        penalty_types=["fine"], fine_amount=2000, party_kind="organisation", region_code="210521"
    )


def test_large_confiscation(liaoning):
    right = hearing_right(
        penalty_types=["confiscate_gains"],
        confiscation_amount=60000,
        party_kind="organisation",
        region_code="210521",
    )
    assert right.required and "第（二）项" in right.citation


def test_unconfigured_region_is_refused_with_the_rule_to_configure():
    with pytest.raises(HearingThresholdNotConfigured) as exc:
        hearing_right(
            penalty_types=["fine"], fine_amount=500, party_kind="natural", region_code="210521"
        )
    message = str(exc.value)
    assert "penalty.hearing_large_fine_citizen" in message and "210521" in message


def test_other_region_override_does_not_apply(liaoning):
    with pytest.raises(HearingThresholdNotConfigured):
        hearing_right(
            penalty_types=["fine"], fine_amount=500, party_kind="organisation", region_code="110101"
        )
