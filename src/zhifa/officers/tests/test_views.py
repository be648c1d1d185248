"""Staff registry pages: who sees what, who may change what, and errors as field errors."""

import datetime as dt

import pytest
from django.utils import timezone

from zhifa.officers import services
from zhifa.officers.models import Certificate, CertificateStatus, ExamKind, Officer
from zhifa.orgs.models import EnforcementCategory
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import (
    AgencyFactory,
    Role,
    UnitFactory,
    UserFactory,
    grant,
    region_tree,
)

pytestmark = pytest.mark.django_db

ID_1 = "210521198603110052"


@pytest.fixture
def world():
    _, _, county, other_county, _ = region_tree()
    market = EnforcementCategory.objects.create(code="market", name="市场监管")
    agency = AgencyFactory(region=county, name="本溪满族自治县市场监督管理局")
    agency.categories.add(market)
    unit = UnitFactory(agency=agency, name="综合行政执法大队")
    officer = services.officer_register(
        actor=SYSTEM,
        agency=agency,
        name="张伟",
        id_number=ID_1,
        post="执法大队队员",
        employment_status="established",
        unit=unit,
    )
    today = timezone.localdate()
    for kind in (ExamKind.GENERAL, ExamKind.PROFESSIONAL):
        services.exam_record(
            actor=SYSTEM,
            officer=officer,
            kind=kind,
            passed=True,
            taken_on=today - dt.timedelta(days=30),
            category=market if kind == ExamKind.PROFESSIONAL else None,
        )
    head = UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=agency)
    colleague = UserFactory()
    grant(colleague, Role.OFFICER, agency=agency, unit=unit)
    outsider = UserFactory()
    grant(outsider, Role.OFFICER, agency=AgencyFactory(region=other_county))
    return {
        "agency": agency,
        "officer": officer,
        "head": head,
        "colleague": colleague,
        "outsider": outsider,
        "market": market,
        "county": county,
        "today": today,
    }


def test_head_sees_full_id_colleague_masked_outsider_404(client, world):
    url = f"/staff/officers/{world['officer'].public_id}/"
    client.force_login(world["head"])
    assert ID_1 in client.get(url).content.decode()
    client.force_login(world["colleague"])
    page = client.get(url).content.decode()
    assert ID_1 not in page and "210*" in page and "<h2>维护</h2>" not in page
    client.force_login(world["outsider"])
    assert client.get(url).status_code == 404
    assert "张伟" not in client.get("/staff/officers/").content.decode()


def test_head_issues_a_certificate_through_the_page(client, world):
    client.force_login(world["head"])
    response = client.post(
        f"/staff/officers/{world['officer'].public_id}/issue/",
        {
            "number": "21052124001",
            "categories": [world["market"].pk],
            "area": world["county"].pk,
            "issued_on": world["today"].isoformat(),
        },
    )
    assert response.status_code == 302
    cert = Certificate.objects.get(number="21052124001")
    assert cert.status == CertificateStatus.VALID and cert.events.count() == 1


def test_issue_errors_come_back_as_field_errors(client, world):
    client.force_login(world["head"])
    response = client.post(
        f"/staff/officers/{world['officer'].public_id}/issue/",
        {
            "number": "21052124001",
            "categories": [world["market"].pk],
            "area": world["county"].pk,
            "issued_on": world["today"].isoformat(),
            "expires_on": (world["today"] - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "有效期" in response.content.decode()
    assert not Certificate.objects.exists()


def test_colleague_cannot_change_the_registry(client, world):
    client.force_login(world["colleague"])
    response = client.post(
        f"/staff/officers/{world['officer'].public_id}/leave/",
        {
            "left_on": world["today"].isoformat(),
            "reason": "transfer",
        },
    )
    assert response.status_code == 403
    assert Officer.objects.get(pk=world["officer"].pk).on_post


def test_revoking_needs_a_reason(client, world):
    cert = services.certificate_issue(
        actor=SYSTEM,
        officer=world["officer"],
        number="21052124009",
        categories=[world["market"]],
        area=world["county"],
        issued_on=world["today"],
    )
    client.force_login(world["head"])
    url = f"/staff/officers/{world['officer'].public_id}/status/"
    response = client.post(
        url, {"certificate": cert.pk, "action": "revoke", "on_date": world["today"].isoformat()}
    )
    assert response.status_code == 400 and "必须写明原因" in response.content.decode()
    response = client.post(
        url,
        {
            "certificate": cert.pk,
            "action": "revoke",
            "reason": "调离执法岗位",
            "on_date": world["today"].isoformat(),
        },
    )
    assert response.status_code == 302
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.REVOKED


def test_register_page_for_heads_only(client, world):
    client.force_login(world["colleague"])
    assert client.get("/staff/officers/new/").status_code == 403
    client.force_login(world["head"])
    response = client.post(
        "/staff/officers/new/",
        {
            "agency": world["agency"].pk,
            "name": "李娜",
            "id_number": "210521198603110053",
            "post": "执法大队队员",
            "employment_status": "established",
        },
    )
    assert response.status_code == 200 and "校验码" in response.content.decode()
