"""Who sees which officers and certificates, in lists and in the admin site.

As in zhifa/orgs/tests/test_visibility.py: the objects belong to agency A in
本溪满族自治县. Viewers: the owner (officer in unit 1 of A, whose own record
it is), a colleague in unit 2 of A, an outsider in agency B of 桓仁满族自治县,
the supervisor of 本溪市 (above A's county), the supervisor of 桓仁满族自治县,
and an anonymous visitor.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from zhifa.officers.models import Certificate, CertificateStatus, Officer
from zhifa.officers.tests.factories import certified, market_agency
from zhifa.orgs import services as orgs
from zhifa.orgs.models import Role
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import UnitFactory, UserFactory, grant, region_tree

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    _province, benxi, county, other_county, _shenyang = region_tree()
    agency_a = market_agency(region=county, name="本溪满族自治县市场监督管理局")
    unit_1 = UnitFactory(agency=agency_a, name="综合行政执法大队")
    unit_2 = UnitFactory(agency=agency_a, name="法规股", is_legal_unit=True)
    agency_b = market_agency(region=other_county, name="桓仁满族自治县市场监督管理局")
    unit_b = UnitFactory(agency=agency_b)

    owner = UserFactory(username="owner")
    grant(owner, Role.OFFICER, agency=agency_a, unit=unit_1)
    certificate = certified(agency_a, name="张伟", unit=unit_1)
    certificate.officer.user = owner
    certificate.officer.save()
    colleague = UserFactory(username="colleague")
    grant(colleague, Role.LEGAL_REVIEWER, agency=agency_a, unit=unit_2)
    outsider = UserFactory(username="outsider")
    grant(outsider, Role.OFFICER, agency=agency_b, unit=unit_b)
    certified(agency_b, name="外单位")
    supervisor = UserFactory(username="supervisor")
    grant(supervisor, Role.SUPERVISOR, region=benxi)
    other_supervisor = UserFactory(username="other_supervisor")
    grant(other_supervisor, Role.SUPERVISOR, region=other_county)

    return {
        "objects": {Officer: certificate.officer, Certificate: certificate},
        "agency_a": agency_a,
        "agency_b": agency_b,
        "county": county,
        "other_county": other_county,
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


@pytest.mark.parametrize("model", [Officer, Certificate], ids=lambda m: m.__name__)
@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_visibility_matrix(world, model, viewer):
    obj = world["objects"][model]
    user = world["viewers"][viewer]
    visible = model.objects.visible_to(user).filter(pk=obj.pk).exists()
    assert visible is EXPECTED[viewer], (
        f"{viewer} should{' ' if EXPECTED[viewer] else ' not '}see {obj}"
    )


def test_outsider_sees_only_their_own_agencys_officers(world):
    names = set(
        Officer.objects.visible_to(world["viewers"]["outsider"]).values_list("name", flat=True)
    )
    assert names == {"外单位"}


def test_supervisor_sees_every_certificate_below_their_region(world):
    supervisor = world["viewers"]["supervisor_of_region"]
    assert Certificate.objects.visible_to(supervisor).count() == 2


def test_revoked_role_no_longer_grants_visibility(world):
    owner = world["viewers"]["owner"]
    owner.role_assignments.update(active=False)
    fresh = type(owner).objects.get(pk=owner.pk)
    assert not Officer.objects.visible_to(fresh).exists()
    assert not Certificate.objects.visible_to(fresh).exists()


def test_superuser_sees_everything(world):
    assert Officer.objects.visible_to(UserFactory(is_superuser=True)).count() == 2


# --------------------------------------------------------------------------
# Admin site: scoped lists, masked numbers, status changes only by action
# --------------------------------------------------------------------------


@pytest.fixture
def county_admin(world):
    user = orgs.user_create(
        actor=SYSTEM, username="zhouming", name="周明", password="Admin-pass-2026"
    )
    orgs.role_assign(actor=SYSTEM, user=user, role=Role.ADMIN, region=world["county"])
    user.refresh_from_db()
    assert user.is_staff
    return user


def test_county_admin_lists_only_officers_in_their_county(client, world, county_admin):
    client.force_login(county_admin)
    page = client.get("/admin/officers/officer/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "张伟" in text and "外单位" not in text
    officer = world["objects"][Officer]
    # An administrator of the county administers its personnel: full number.
    assert officer.id_number in text
    other = Officer.objects.get(name="外单位")
    assert client.get(f"/admin/officers/officer/{other.pk}/change/").status_code == 302


def test_id_number_column_masks_for_those_who_do_not_administer_personnel(world):
    from zhifa.officers.admin import OfficerAdmin, _id_number_column

    officer = world["objects"][Officer]
    request = type("R", (), {"user": world["viewers"]["supervisor_of_region"]})()
    assert _id_number_column(request)(officer) == officer.masked_id_number
    assert OfficerAdmin.id_number_shown(None, officer) == officer.masked_id_number


def test_certificate_change_page_has_no_editable_status(client, world, county_admin):
    client.force_login(county_admin)
    cert = world["objects"][Certificate]
    page = client.get(f"/admin/officers/certificate/{cert.pk}/change/").content.decode()
    assert 'name="status"' not in page
    assert "发证" in page  # the events inline


def test_suspend_action_goes_through_the_service(client, world, county_admin):
    client.force_login(county_admin)
    cert = world["objects"][Certificate]
    response = client.post(
        "/admin/officers/certificate/",
        {
            "action": "suspend",
            "_selected_action": [cert.pk],
            "reason": "涉嫌违法违纪，调查期间暂扣",
            "on_date": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED
    assert cert.events.last().reason == "涉嫌违法违纪，调查期间暂扣"


def test_an_action_without_a_reason_changes_nothing(client, world, county_admin):
    client.force_login(county_admin)
    cert = world["objects"][Certificate]
    client.post(
        "/admin/officers/certificate/",
        {"action": "revoke", "_selected_action": [cert.pk], "reason": "", "on_date": ""},
    )
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID


def test_admin_issue_refusal_is_shown_not_saved(client, world, county_admin):
    client.force_login(county_admin)
    officer = world["objects"][Officer]
    response = client.post(
        "/admin/officers/certificate/add/",
        {
            "officer": officer.pk,
            "number": "21052199999",
            "categories": [c.pk for c in world["agency_a"].categories.all()],
            "area": world["county"].pk,
            "issued_on": (TODAY - timedelta(days=1)).isoformat(),
            "expires_on": "",
            "annual_reviews-TOTAL_FORMS": "0",
            "annual_reviews-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "已持有未注销的执法证件" in response.content.decode()
    assert not Certificate.objects.filter(number="21052199999").exists()


def test_admin_registers_an_officer_through_the_service(client, world, county_admin):
    from zhifa.ledger.models import Entry
    from zhifa.officers.tests.factories import id_number

    client.force_login(county_admin)
    response = client.post(
        "/admin/officers/officer/add/",
        {
            "agency": world["agency_a"].pk,
            "name": "李娜",
            "id_number": id_number(77),
            "post": "执法大队队员",
            "employment_status": "established",
            "phone": "13904149999",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    officer = Officer.objects.get(name="李娜")
    assert Entry.objects.filter(
        action="officer.registered", subject_id=str(officer.public_id)
    ).exists()


def test_admin_pages_render_for_a_county_admin(client, world, county_admin):
    client.force_login(county_admin)
    officer = world["objects"][Officer]
    cert = world["objects"][Certificate]
    for url in [
        "/admin/officers/",
        "/admin/officers/officer/add/",
        f"/admin/officers/officer/{officer.pk}/change/",
        "/admin/officers/certificate/",
        "/admin/officers/certificate/add/",
        f"/admin/officers/certificate/{cert.pk}/change/",
        "/admin/officers/certificationtarget/",
        "/admin/officers/certificationtarget/add/",
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get("/admin/officers/certificate/").content.decode()
    assert "暂扣所选证件" in page and 'name="reason"' in page
    assert "delete_selected" not in page


def test_admin_refuses_a_target_outside_zero_to_one(client, world, county_admin):
    from zhifa.officers.models import CertificationTarget

    client.force_login(county_admin)
    response = client.post(
        "/admin/officers/certificationtarget/add/",
        {
            "region": world["county"].pk,
            "department_target": "1.5",
            "township_target": "0.6",
            "basis": "某区方案",
        },
    )
    assert response.status_code == 200
    assert "持证率目标应大于 0 且不超过 1" in response.content.decode()
    assert not CertificationTarget.objects.exists()
