import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.orgs import services
from zhifa.orgs.codes import uscc_with_check
from zhifa.orgs.models import Agency, Role, RoleAssignment, Unit
from zhifa.orgs.tests.factories import AgencyFactory, UserFactory, grant, region_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_admin():
    _, _, county, _, _ = region_tree()
    admin = UserFactory(username="county_admin")
    grant(admin, Role.ADMIN, region=county)
    return admin


def _agency_kwargs(region, **overrides):
    kwargs = {
        "name": "本溪满族自治县应急管理局",
        "short_name": "本县应急",
        "uscc": uscc_with_check("11210521MB1234567"),
        "region": region,
        "authority_basis": "《中华人民共和国安全生产法》",
    }
    kwargs.update(overrides)
    return kwargs


def test_admin_creates_an_agency_in_their_region(county_admin):
    county = region_tree()[2]
    agency = services.agency_create(actor=county_admin, **_agency_kwargs(county))
    assert Agency.objects.get(pk=agency.pk).uscc.endswith(agency.uscc[-1])


def test_admin_cannot_create_an_agency_outside_their_region(county_admin):
    other_county = region_tree()[3]
    with pytest.raises(PermissionDenied, match="桓仁满族自治县"):
        services.agency_create(actor=county_admin, **_agency_kwargs(other_county))
    assert not Agency.objects.exists()


def test_an_officer_cannot_administer(county_admin):
    county = region_tree()[2]
    officer = UserFactory()
    grant(officer, Role.OFFICER, agency=AgencyFactory(region=county))
    with pytest.raises(PermissionDenied):
        services.agency_create(actor=officer, **_agency_kwargs(county))


def test_invalid_uscc_is_refused_and_nothing_saved(county_admin):
    county = region_tree()[2]
    valid = uscc_with_check("11210521MB1234567")
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        services.agency_create(actor=county_admin, **_agency_kwargs(county, uscc=wrong))
    assert "校验码错误" in err.value.message_dict["uscc"][0]
    assert not Agency.objects.exists()


def test_duplicate_agency_is_refused_in_chinese(county_admin):
    county = region_tree()[2]
    services.agency_create(actor=county_admin, **_agency_kwargs(county))
    with pytest.raises(ValidationError) as err:
        services.agency_create(
            actor=county_admin, **_agency_kwargs(county, uscc=uscc_with_check("11210521MB7654321"))
        )
    assert "已存在" in err.value.message_dict["name"][0]
    assert Agency.objects.count() == 1


def test_second_legal_unit_is_refused_in_chinese(county_admin):
    agency = AgencyFactory(region=region_tree()[2])
    services.unit_create(actor=county_admin, agency=agency, name="法规股", is_legal_unit=True)
    with pytest.raises(ValidationError, match="只能指定一个法制审核机构"):
        services.unit_create(
            actor=county_admin, agency=agency, name="政策法规股", is_legal_unit=True
        )
    assert Unit.objects.filter(agency=agency).count() == 1


def test_role_without_scope_is_refused(county_admin):
    user = UserFactory()
    with pytest.raises(ValidationError, match="必须限定在一个执法主体内"):
        services.role_assign(actor=county_admin, user=user, role=Role.OFFICER)
    with pytest.raises(ValidationError, match="必须限定在一个行政区划内"):
        services.role_assign(actor=county_admin, user=user, role=Role.SUPERVISOR)
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_admin_role_opens_the_admin_site_and_revoking_closes_it(county_admin):
    county = region_tree()[2]
    user = UserFactory()
    assignment = services.role_assign(actor=county_admin, user=user, role=Role.ADMIN, region=county)
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name=services.ADMIN_GROUP).exists()
    assert user.has_perm("orgs.change_agency")
    services.role_revoke(actor=county_admin, assignment=assignment)
    user.refresh_from_db()
    assert not user.is_staff


def test_weak_password_is_refused_with_the_validators_message(county_admin):
    with pytest.raises(ValidationError) as err:
        services.user_create(
            actor=county_admin, username="weak", name="弱密码", password="12345678"
        )
    assert err.value.message_dict["password"]
