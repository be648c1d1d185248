import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from zhifa.orgs.models import AgencyKind, Region, RoleAssignment
from zhifa.orgs.tests.factories import (
    AgencyFactory,
    Role,
    UnitFactory,
    UserFactory,
    region_tree,
)

pytestmark = pytest.mark.django_db


def test_region_parent_must_match_the_code():
    _province, benxi, *_ = region_tree()
    region = Region(code="210602", name="元宝区", parent=benxi)
    with pytest.raises(ValidationError) as err:
        region.full_clean()
    assert "210600" in str(err.value.message_dict["parent"])


def test_region_without_required_parent_is_refused():
    with pytest.raises(ValidationError) as err:
        Region(code="210500", name="本溪市").full_clean()
    assert "上级区划应为 210000" in err.value.message_dict["parent"][0]


def test_region_subtree_uses_code_prefix():
    _province, benxi, county, other, shenyang = region_tree()
    assert set(Region.objects.within(benxi)) == {benxi, county, other}
    assert benxi.contains(county) and not shenyang.contains(county)
    assert county.full_name == "辽宁省本溪市本溪满族自治县"


def test_delegated_agency_needs_its_delegator():
    agency = AgencyFactory.build(kind=AgencyKind.DELEGATED, region=region_tree()[2])
    with pytest.raises(ValidationError) as err:
        agency.full_clean()
    assert "委托机关" in err.value.message_dict["delegated_by"][0]


def test_supervising_bureau_must_cover_the_agency_region():
    _, _, county, other_county, _ = region_tree()
    bureau = AgencyFactory(region=other_county, is_justice_bureau=True)
    agency = AgencyFactory.build(region=county, supervising_bureau=bureau)
    with pytest.raises(ValidationError) as err:
        agency.full_clean()
    assert "辖区" in err.value.message_dict["supervising_bureau"][0]


def test_only_one_legal_unit_per_agency():
    agency = AgencyFactory()
    UnitFactory(agency=agency, is_legal_unit=True)
    with pytest.raises(IntegrityError):
        UnitFactory(agency=agency, is_legal_unit=True)


def test_role_needs_exactly_one_scope_in_the_database():
    user = UserFactory()
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=user, role=Role.OFFICER)


@pytest.mark.parametrize(
    ("role", "scope", "field", "message"),
    [
        (Role.OFFICER, "region", "agency", "必须限定在一个执法主体内"),
        (Role.SUPERVISOR, "agency", "region", "必须限定在一个行政区划内"),
        (Role.ADMIN, "agency", "region", "必须限定在一个行政区划内"),
    ],
)
def test_role_scope_must_fit_the_role(role, scope, field, message):
    agency = AgencyFactory()
    kwargs = {"agency": agency} if scope == "agency" else {"region": agency.region}
    assignment = RoleAssignment(user=UserFactory(), role=role, **kwargs)
    with pytest.raises(ValidationError) as err:
        assignment.full_clean()
    assert message in str(err.value.message_dict[field])


def test_unit_must_belong_to_the_role_agency():
    assignment = RoleAssignment(
        user=UserFactory(), role=Role.OFFICER, agency=AgencyFactory(), unit=UnitFactory()
    )
    with pytest.raises(ValidationError) as err:
        assignment.full_clean()
    assert "不属于" in err.value.message_dict["unit"][0]
