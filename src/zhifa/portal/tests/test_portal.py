import pytest

from zhifa.orgs.tests.factories import AgencyFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_portal_home_shows_the_four_sections_without_login(client):
    page = client.get("/").content.decode()
    for title in ["事前公开", "执法人员", "执法结果", "记录核验"]:
        assert title in page


def test_agency_directory_and_permalink(client):
    agency = AgencyFactory(name="本溪满族自治县住房和城乡建设局")
    UnitFactory(agency=agency, name="政策法规股", is_legal_unit=True)
    page = client.get("/agencies/?q=住房").content.decode()
    assert "本溪满族自治县住房和城乡建设局" in page
    detail = client.get(f"/agencies/{agency.public_id}/").content.decode()
    assert agency.uscc in detail and "政策法规股（法制审核机构）" in detail


def test_unknown_agency_is_404(client):
    assert client.get("/agencies/00000000-0000-0000-0000-000000000000/").status_code == 404
