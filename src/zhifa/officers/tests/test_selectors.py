"""Reads: registry lists, 持证率 against targets, the three alert lists, the
home-page sections built on them, and the demo data that feeds them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zhifa.core.home import sections_for_role
from zhifa.officers import selectors, services
from zhifa.officers.gate import enforcement_check
from zhifa.officers.models import (
    AnnualReview,
    Certificate,
    CertificateStatus,
    CertificationTarget,
    LeaveReason,
    Officer,
)
from zhifa.officers.tests.factories import (
    CertificateFactory,
    OfficerFactory,
    certified,
    market_agency,
)
from zhifa.orgs.models import RoleAssignment
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import RegionFactory, Role, UserFactory, grant, region_tree

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def regions():
    province, benxi, county, other_county, _shenyang = region_tree()
    township = RegionFactory(code="210521100", name="小市镇", parent=county)
    return {
        "province": province,
        "benxi": benxi,
        "county": county,
        "other_county": other_county,
        "township": township,
    }


@pytest.fixture
def market(regions):
    return market_agency(name="本溪满族自治县市场监督管理局", region=regions["county"])


def staff_of(agency, *, holders: int, without: int, auxiliaries: int = 0, left: int = 0):
    """`holders` certified officers, `without` officers on post with no
    certificate, auxiliaries, and officers who left (certificates revoked)."""
    for _ in range(holders):
        certified(agency)
    for _ in range(without):
        OfficerFactory(agency=agency)
    for _ in range(auxiliaries):
        OfficerFactory(agency=agency, is_auxiliary=True, employment_status="other")
    for _ in range(left):
        cert = certified(agency)
        services.officer_leave(
            actor=SYSTEM, officer=cert.officer, left_on=TODAY, reason=LeaveReason.TRANSFER
        )


def target(region, department="0.7", township="0.6"):
    return CertificationTarget.objects.create(
        region=region,
        department_target=Decimal(department),
        township_target=Decimal(township),
        basis="某区行政执法人员持证上岗工作方案",
    )


# --------------------------------------------------------------------------
# 持证率
# --------------------------------------------------------------------------


def test_rate_counts_holders_over_officers_on_post_without_auxiliaries(market):
    staff_of(market, holders=2, without=1, auxiliaries=2, left=1)
    [row] = selectors.certification_rates(market)
    assert (row.holders, row.staff) == (2, 3)
    assert row.rate == Decimal("0.6667") and row.rate_text == "67%"
    assert row.agency == market and not row.is_township
    assert row.target is None and row.met is None


def test_rate_is_judged_against_the_nearest_target_up_the_codes(market, regions):
    staff_of(market, holders=2, without=1)
    target(regions["province"], department="0.5")
    [row] = selectors.certification_rates(market)
    assert row.target == Decimal("0.5") and row.met is True
    target(regions["county"], department="0.7")
    [row] = selectors.certification_rates(market)
    assert row.target == Decimal("0.7") and row.met is False
    assert row.target_basis == "某区行政执法人员持证上岗工作方案"


def test_a_certificate_not_valid_today_does_not_count(market):
    cert = certified(market)
    services.certificate_suspend(actor=SYSTEM, certificate=cert, reason="调查", on_date=TODAY)
    CertificateFactory(
        officer=OfficerFactory(agency=market),
        issued_on=TODAY - timedelta(days=800),
        expires_on=TODAY - timedelta(days=1),
    )
    [row] = selectors.certification_rates(market)
    assert (row.holders, row.staff) == (0, 2)


def test_townships_are_rated_together_against_the_township_target(market, regions):
    from zhifa.orgs.tests.factories import AgencyFactory

    town_a = AgencyFactory(region=regions["township"], name="小市镇综合行政执法队")
    town_b = AgencyFactory(region=regions["township"], name="小市镇人民政府")
    for agency in (town_a, town_b):
        agency.categories.add(*market.categories.all())
    staff_of(town_a, holders=1, without=1)
    staff_of(town_b, holders=2, without=0)
    staff_of(market, holders=1, without=0)
    target(regions["county"], department="0.7", township="0.6")
    rows = selectors.certification_rates(regions["county"])
    by_label = {r.label: r for r in rows}
    township = by_label["辽宁省本溪市本溪满族自治县小市镇"]
    assert township.is_township and (township.holders, township.staff) == (3, 4)
    assert township.target == Decimal("0.6") and township.met is True
    assert by_label[market.name].target == Decimal("0.7") and by_label[market.name].met is True
    assert town_a.name not in by_label  # townships are rated as a whole


def test_an_agency_with_nobody_on_post_has_no_rate(market):
    [row] = selectors.certification_rates(market)
    assert row.rate is None and row.met is None and row.rate_text == "—"


def test_a_region_scope_covers_every_agency_below_it(market, regions):
    other = market_agency(name="桓仁满族自治县市场监督管理局", region=regions["other_county"])
    assert {r.agency for r in selectors.certification_rates(regions["benxi"])} == {market, other}
    assert {r.agency for r in selectors.certification_rates(regions["county"])} == {market}
    assert {r.agency for r in selectors.certification_rates([other])} == {other}


# --------------------------------------------------------------------------
# Alerts
# --------------------------------------------------------------------------


def test_certificates_expiring_within_30_days(market):
    soon = certified(market, expires_on=TODAY + timedelta(days=30))
    today = certified(market, expires_on=TODAY)
    certified(market, expires_on=TODAY + timedelta(days=31))
    past = certified(
        market, issued_on=TODAY - timedelta(days=60), expires_on=TODAY - timedelta(days=1)
    )
    suspended = certified(market, expires_on=TODAY + timedelta(days=5))
    services.certificate_suspend(actor=SYSTEM, certificate=suspended, reason="调查", on_date=TODAY)
    gone = certified(market, expires_on=TODAY + timedelta(days=5))
    Officer.objects.filter(pk=gone.officer_id).update(left_on=TODAY, left_reason="transfer")
    found = list(selectors.certificates_expiring(market))
    assert found == [today, soon]
    assert past not in found
    assert list(selectors.certificates_expiring(market, within_days=0)) == [today]


def test_a_renewed_certificate_is_no_longer_expiring(market):
    cert = certified(market, expires_on=TODAY + timedelta(days=10))
    services.certificate_renew(actor=SYSTEM, certificate=cert, number="R-1", issued_on=TODAY)
    assert not selectors.certificates_expiring(market).exists()


def test_overdue_annual_reviews(market):
    # Issued 400 days ago: the first review was due about 35 days ago.
    overdue = certified(market)
    done = certified(market)
    first = done.annual_reviews.first()
    services.annual_review_record(
        actor=SYSTEM, certificate=done, year=first.year, outcome="passed", reviewed_on=TODAY
    )
    fresh = certified(market, issued_on=TODAY - timedelta(days=100))
    revoked = certified(market)
    services.certificate_revoke(actor=SYSTEM, certificate=revoked, reason="离岗", on_date=TODAY)
    found = list(selectors.annual_reviews_overdue(market))
    assert [r.certificate for r in found] == [overdue]
    assert not AnnualReview.objects.filter(certificate=fresh, due_on__lt=TODAY).exists()
    assert not selectors.annual_reviews_overdue(market, today=found[0].due_on).exists()


def test_left_but_still_valid(market):
    stale = certified(market)
    Officer.objects.filter(pk=stale.officer_id).update(
        left_on=TODAY - timedelta(days=3), left_reason=LeaveReason.RESIGNATION
    )
    handled = certified(market)
    services.officer_leave(
        actor=SYSTEM, officer=handled.officer, left_on=TODAY, reason=LeaveReason.RESIGNATION
    )
    certified(market)
    assert list(selectors.left_but_valid(market)) == [stale]


def test_alerts_respect_the_scope(market, regions):
    other = market_agency(name="桓仁满族自治县市场监督管理局", region=regions["other_county"])
    certified(other, expires_on=TODAY + timedelta(days=3))
    assert not selectors.certificates_expiring(market).exists()
    assert selectors.certificates_expiring(regions["benxi"]).count() == 1


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------


def test_officer_list_is_scoped_and_searchable(market, regions):
    other = market_agency(name="桓仁满族自治县市场监督管理局", region=regions["other_county"])
    mine = certified(market, name="张伟", number="21052124001")
    certified(market, name="李娜")
    certified(other, name="张三")
    user = UserFactory()
    grant(user, Role.OFFICER, agency=market)
    assert set(selectors.officer_list_for_user(user).values_list("name", flat=True)) == {
        "张伟",
        "李娜",
    }
    assert list(selectors.officer_list_for_user(user, q="张")) == [mine.officer]
    assert list(selectors.officer_list_for_user(user, q="24001")) == [mine.officer]
    assert not selectors.officer_list_for_user(user, agency=other).exists()
    assert selectors.officer_get_for_user(user, mine.officer.public_id) == mine.officer
    with pytest.raises(Officer.DoesNotExist):
        selectors.officer_get_for_user(UserFactory(), mine.officer.public_id)


def test_certificate_by_number_for_public_verification(market):
    cert = certified(market, number="21052124001")
    assert selectors.certificate_get_by_number(" 21052124001 ") == cert
    assert selectors.certificate_get_by_number("21052124999") is None
    assert selectors.certificate_get_by_number("") is None


def test_id_numbers_are_masked_unless_the_viewer_administers_personnel(market):
    officer = certified(market).officer
    n = officer.id_number
    assert officer.masked_id_number == n[:3] + "*" * 11 + n[-4:]
    colleague = UserFactory()
    grant(colleague, Role.UNIT_HEAD, agency=market)
    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, region=region_tree()[2])
    head = UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=market)
    assert selectors.id_number_for(colleague, officer) == officer.masked_id_number
    assert selectors.id_number_for(supervisor, officer) == officer.masked_id_number
    assert selectors.id_number_for(head, officer) == n
    assert selectors.id_number_for(UserFactory(is_superuser=True), officer) == n
    assert n not in selectors.id_number_for(colleague, officer)


# --------------------------------------------------------------------------
# Home sections
# --------------------------------------------------------------------------

TITLES = ["持证率", "30 天内到期的执法证件", "年审逾期", "已离岗仍持有效证件"]


def _sections(user, assignment):
    return {s.title: s for s in sections_for_role(user, assignment) if s.title in TITLES}


def test_agency_head_sees_their_agency(market, regions):
    target(regions["county"], department="0.9")
    staff_of(market, holders=1, without=1)
    certified(market, name="吴海涛", expires_on=TODAY + timedelta(days=5))
    stale = certified(market, name="袁立")
    Officer.objects.filter(pk=stale.officer_id).update(left_on=TODAY, left_reason="retirement")
    other = market_agency(name="桓仁满族自治县市场监督管理局", region=regions["other_county"])
    certified(other, name="外单位", expires_on=TODAY + timedelta(days=5))
    head = UserFactory()
    assignment = grant(head, Role.AGENCY_HEAD, agency=market)
    sections = _sections(head, assignment)
    assert list(sections) == TITLES
    rate = sections["持证率"]
    assert rate.items[0].text == f"{market.name}：持证率 67%"  # 2 of 3 on post
    assert "目标 90%，未达标" in rate.items[0].detail and rate.count == 1
    expiring = sections["30 天内到期的执法证件"]
    assert [i.text.split("（")[0] for i in expiring.items] == ["吴海涛"]
    assert expiring.items[0].severity == "danger" and "还有 5 天" in expiring.items[0].detail
    assert sections["年审逾期"].count == 3  # all three certified 400 days ago
    left = sections["已离岗仍持有效证件"]
    assert left.count == 1 and "袁立" in left.items[0].text and "退休" in left.items[0].detail


def test_supervisor_and_admin_see_their_region(market, regions):
    other = market_agency(name="桓仁满族自治县市场监督管理局", region=regions["other_county"])
    certified(market, expires_on=TODAY + timedelta(days=20))
    certified(other, expires_on=TODAY + timedelta(days=20))
    supervisor = UserFactory()
    county_role = grant(supervisor, Role.SUPERVISOR, region=regions["county"])
    assert _sections(supervisor, county_role)["30 天内到期的执法证件"].count == 1
    admin = UserFactory()
    city_role = grant(admin, Role.ADMIN, region=regions["benxi"])
    sections = _sections(admin, city_role)
    assert sections["30 天内到期的执法证件"].count == 2
    assert len(sections["持证率"].items) == 2


def test_officers_do_not_get_these_sections(market):
    user = UserFactory()
    assignment = grant(user, Role.OFFICER, agency=market)
    assert _sections(user, assignment) == {}


def test_empty_sections_say_so(market):
    head = UserFactory()
    sections = _sections(head, grant(head, Role.AGENCY_HEAD, agency=market))
    assert sections["年审逾期"].items == [] and sections["年审逾期"].empty
    assert "尚无在岗执法人员" in sections["持证率"].items[0].detail


# --------------------------------------------------------------------------
# The demo feeds all of it
# --------------------------------------------------------------------------


@pytest.fixture
def demo():
    from zhifa.demo.loader import _load_organisations
    from zhifa.demo.officers_demo import load_officers
    from zhifa.orgs.models import User

    _logins, agencies = _load_organisations()
    users = {u.username: u for u in User.objects.all()}
    load_officers(agencies, users)
    return agencies, users


def test_demo_has_officers_everywhere_and_content_for_every_alert(demo):
    agencies, users = demo
    for agency in agencies.values():
        assert 3 <= agency.officers.count() <= 10, agency.name
    market = agencies["本溪满族自治县市场监督管理局"]
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert {
        CertificateStatus.VALID,
        CertificateStatus.EXPIRED,
        CertificateStatus.SUSPENDED,
        CertificateStatus.REVOKED,
    } <= statuses
    zhaolei = Officer.objects.get(user=users["zhaolei"])
    assert zhaolei.is_auxiliary and not zhaolei.certificates.exists()
    for username in ("zhangwei", "lina", "wangfang", "liuyang", "chenjing"):
        officer = Officer.objects.get(user=users[username])
        assert officer.agency == market
        assert officer.certificates.valid_on(TODAY).exists(), username
    assert Officer.objects.get(user=users["liuyang"]).legal_qualification
    qualified_agencies = set(
        Officer.objects.filter(legal_qualification__isnull=False).values_list("agency", flat=True)
    )
    assert len(qualified_agencies) >= 3
    county = market.region
    assert selectors.certificates_expiring(county).exists()
    assert selectors.annual_reviews_overdue(county).exists()
    assert not selectors.left_but_valid(county).exists()
    rates = {r.label: r for r in selectors.certification_rates(county)}
    assert rates[market.name].target == Decimal("0.70")
    zhangwei, lina = (Officer.objects.get(user=users[u]) for u in ("zhangwei", "lina"))
    assert enforcement_check([zhangwei, lina], "market", county, TODAY).allowed
    assert not enforcement_check([zhaolei], "market", county, TODAY).allowed


def test_demo_loads_twice_without_change(demo):
    agencies, users = demo
    from zhifa.demo.officers_demo import load_officers
    from zhifa.ledger.models import Entry

    before = (Officer.objects.count(), Certificate.objects.count(), Entry.objects.count())
    load_officers(agencies, users)
    assert (Officer.objects.count(), Certificate.objects.count(), Entry.objects.count()) == before


def test_demo_numbers_are_valid_and_unique(demo):
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    for officer in Officer.objects.all():
        assert services.validate_id_number(officer.id_number) == officer.id_number
    assert RoleAssignment.objects.exists()
