"""Who sees what: every scoped model × every kind of viewer.

The objects belong to agency A in 本溪满族自治县. Viewers: the owner (officer
in unit 1 of A), a colleague in unit 2 of A, an outsider in agency B of
桓仁满族自治县, the supervisor of 本溪市 (above A's county), the supervisor of
桓仁满族自治县, and an anonymous visitor.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from zhifa.orgs.models import Agency, RoleAssignment, Unit, User
from zhifa.orgs.tests.factories import (
    AgencyFactory,
    Role,
    UnitFactory,
    UserFactory,
    grant,
    region_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    _province, benxi, county, other_county, _shenyang = region_tree()
    agency_a = AgencyFactory(region=county, name="本溪满族自治县市场监督管理局")
    unit_1 = UnitFactory(agency=agency_a, name="综合行政执法大队")
    unit_2 = UnitFactory(agency=agency_a, name="法规股", is_legal_unit=True)
    agency_b = AgencyFactory(region=other_county, name="桓仁满族自治县市场监督管理局")
    unit_b = UnitFactory(agency=agency_b)

    owner = UserFactory(username="owner")
    owner_role = grant(owner, Role.OFFICER, agency=agency_a, unit=unit_1)
    colleague = UserFactory(username="colleague")
    grant(colleague, Role.LEGAL_REVIEWER, agency=agency_a, unit=unit_2)
    outsider = UserFactory(username="outsider")
    grant(outsider, Role.OFFICER, agency=agency_b, unit=unit_b)
    supervisor = UserFactory(username="supervisor")
    grant(supervisor, Role.SUPERVISOR, region=benxi)
    other_supervisor = UserFactory(username="other_supervisor")
    grant(other_supervisor, Role.SUPERVISOR, region=other_county)

    return {
        "objects": {Agency: agency_a, Unit: unit_1, RoleAssignment: owner_role, User: owner},
        "viewers": {
            "owner": owner,
            "colleague": colleague,
            "outsider": outsider,
            "supervisor_of_region": supervisor,
            "supervisor_of_other_region": other_supervisor,
            "anonymous": AnonymousUser(),
        },
    }


EXPECTED = {
    "owner": True,
    "colleague": True,
    "outsider": False,
    "supervisor_of_region": True,
    "supervisor_of_other_region": False,
    "anonymous": False,
}


@pytest.mark.parametrize("model", [Agency, Unit, RoleAssignment, User], ids=lambda m: m.__name__)
@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_visibility_matrix(world, model, viewer):
    obj = world["objects"][model]
    user = world["viewers"][viewer]
    visible = model.objects.visible_to(user).filter(pk=obj.pk).exists()
    assert visible is EXPECTED[viewer], (
        f"{viewer} should{' ' if EXPECTED[viewer] else ' not '}see {obj}"
    )


def test_outsider_sees_their_own_agency_only(world):
    outsider = world["viewers"]["outsider"]
    assert list(Agency.objects.visible_to(outsider).values_list("name", flat=True)) == [
        "桓仁满族自治县市场监督管理局"
    ]


def test_supervisor_sees_every_agency_below_their_region(world):
    names = set(
        Agency.objects.visible_to(world["viewers"]["supervisor_of_region"]).values_list(
            "name", flat=True
        )
    )
    assert names == {"本溪满族自治县市场监督管理局", "桓仁满族自治县市场监督管理局"}


def test_revoked_role_no_longer_grants_visibility(world):
    owner = world["viewers"]["owner"]
    RoleAssignment.objects.filter(user=owner).update(active=False)
    fresh = User.objects.get(pk=owner.pk)
    assert not Agency.objects.visible_to(fresh).exists()


def test_superuser_sees_everything(world):
    root = UserFactory(is_superuser=True)
    assert Agency.objects.visible_to(root).count() == 2
