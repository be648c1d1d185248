import pytest

from zhifa.orgs.tests.factories import (
    AgencyFactory,
    Role,
    UnitFactory,
    UserFactory,
    grant,
    region_tree,
)

pytestmark = pytest.mark.django_db


def test_officer_home_lists_their_role_and_scope(client):
    agency = AgencyFactory(name="本溪满族自治县市场监督管理局")
    officer = UserFactory(name="张伟")
    grant(
        officer,
        Role.OFFICER,
        agency=agency,
        unit=UnitFactory(agency=agency, name="综合行政执法大队"),
    )
    client.force_login(officer)
    page = client.get("/staff/").content.decode()
    assert "执法人员" in page and "综合行政执法大队" in page


def test_supervisor_home_lists_agencies_without_legal_unit_in_region(client):
    _, benxi, county, _other, _ = region_tree()
    AgencyFactory(region=county, name="甲局")
    with_unit = AgencyFactory(region=county, name="乙局")
    UnitFactory(agency=with_unit, is_legal_unit=True)
    AgencyFactory(region=region_tree()[4], name="沈阳的丙局")
    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, region=benxi)
    client.force_login(supervisor)
    page = client.get("/staff/").content.decode()
    section = _section(page, "未指定法制审核机构的执法主体")
    assert "甲局" in section and "乙局" not in section and "沈阳的丙局" not in section


def _section(page: str, title: str) -> str:
    start = page.index(title)
    return page[start : page.index("</div>", start)]


def test_user_without_roles_is_told_so(client):
    client.force_login(UserFactory())
    assert "尚未被授予任何角色" in client.get("/staff/").content.decode()


def test_large_text_switch_sets_a_cookie_and_returns_to_the_page(client):
    response = client.get("/a11y/large-text/?on=1&next=/agencies/")
    assert response.status_code == 302 and response["Location"] == "/agencies/"
    assert response.cookies["zhifa_large_text"].value == "1"
    page = client.get("/").content.decode()
    assert 'class="large-text"' in page and "标准模式" in page
    client.get("/a11y/large-text/?on=0&next=/")
    assert 'class="large-text"' not in client.get("/").content.decode()


def test_large_text_switch_refuses_offsite_redirects(client):
    response = client.get("/a11y/large-text/?on=1&next=https://evil.example/")
    assert response["Location"] == "/"
