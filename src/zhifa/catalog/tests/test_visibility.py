"""Who sees an enforcement item: owner, colleague, outsider, supervisors, anonymous."""

import pytest
from django.contrib.auth.models import AnonymousUser

from zhifa.catalog.models import EnforcementItem
from zhifa.catalog.tests.factories import penalty_item
from zhifa.officers.tests.factories import market_agency
from zhifa.orgs.tests.factories import Role, UnitFactory, UserFactory, grant, region_tree

pytestmark = pytest.mark.django_db

EXPECTED = {
    "owner": True,
    "colleague": True,
    "outsider": False,
    "supervisor_of_region": True,
    "supervisor_of_other_region": False,
    "anonymous": False,
    "superuser": True,
}


@pytest.fixture
def world():
    _p, benxi, county, other_county, _s = region_tree()
    agency = market_agency(region=county)
    item = penalty_item(agency)
    other = market_agency(region=other_county)
    viewers = {k: UserFactory() for k in EXPECTED if k != "anonymous"}
    grant(viewers["owner"], Role.OFFICER, agency=agency, unit=UnitFactory(agency=agency))
    grant(viewers["colleague"], Role.LEGAL_REVIEWER, agency=agency)
    grant(viewers["outsider"], Role.OFFICER, agency=other)
    grant(viewers["supervisor_of_region"], Role.SUPERVISOR, region=benxi)
    grant(viewers["supervisor_of_other_region"], Role.SUPERVISOR, region=other_county)
    viewers["superuser"].is_superuser = True
    viewers["superuser"].save()
    viewers["anonymous"] = AnonymousUser()
    return item, viewers


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_item_visibility_matrix(world, viewer):
    item, viewers = world
    visible = EnforcementItem.objects.visible_to(viewers[viewer]).filter(pk=item.pk).exists()
    assert visible is EXPECTED[viewer]
