"""The admin site: field errors in Chinese, saves through services, scoped lists."""

import pytest

from zhifa.orgs import services
from zhifa.orgs.models import Agency, Region
from zhifa.orgs.tests.factories import AgencyFactory, Role, UserFactory, region_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_admin(client):
    _, _, county, _, _ = region_tree()
    admin = UserFactory(username="county_admin")
    services.role_assign(actor=services.SYSTEM, user=admin, role=Role.ADMIN, region=county)
    client.force_login(admin)
    return admin


def test_region_code_error_is_a_field_error(client, county_admin):
    county = Region.objects.get(code="210521")
    response = client.post(
        "/admin/orgs/region/add/", {"code": "21052110", "name": "错误镇", "parent": county.pk}
    )
    assert response.status_code == 200
    assert "6 位数字" in response.content.decode()
    assert not Region.objects.filter(name="错误镇").exists()


def test_invalid_uscc_is_a_field_error(client, county_admin):
    county = Region.objects.get(code="210521")
    response = client.post(
        "/admin/orgs/agency/add/",
        {
            "name": "本溪满族自治县应急管理局",
            "short_name": "本县应急",
            "uscc": "112105210000000000",
            "region": county.pk,
            "kind": "statutory",
            "authority_basis": "《安全生产法》",
            "units-TOTAL_FORMS": "0",
            "units-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "校验码错误" in response.content.decode()
    assert not Agency.objects.filter(name="本溪满族自治县应急管理局").exists()


def test_regional_admin_lists_only_their_region(client, county_admin):
    _, _, county, other_county, _ = region_tree()
    AgencyFactory(region=county, name="本县的局")
    AgencyFactory(region=other_county, name="桓仁的局")
    page = client.get("/admin/orgs/agency/").content.decode()
    assert "本县的局" in page and "桓仁的局" not in page


def test_officer_cannot_open_the_admin(client):
    officer = UserFactory()
    services.role_assign(
        actor=services.SYSTEM, user=officer, role=Role.OFFICER, agency=AgencyFactory()
    )
    client.force_login(officer)
    assert client.get("/admin/").status_code == 302
