"""The qualification gate: allowed with two qualified officers, refused for every other reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.ledger.models import Entry
from zhifa.officers import services
from zhifa.officers.gate import enforcement_check
from zhifa.officers.models import Certificate, CertificateStatus, LeaveReason, Officer
from zhifa.officers.tests.factories import CategoryFactory, CertificateFactory, OfficerFactory
from zhifa.orgs.models import EnforcementCategory
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import AgencyFactory, RegionFactory, region_tree

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


@pytest.fixture
def world():
    _province, _benxi, county, other_county, _ = region_tree()
    township = RegionFactory(code="210521100", name="小市镇", parent=county)
    market = CategoryFactory()
    labour = EnforcementCategory.objects.create(code="labour", name="劳动保障监察")
    agency = AgencyFactory(region=county, name="本溪满族自治县市场监督管理局")
    agency.categories.add(market, labour)
    return {
        "agency": agency,
        "county": county,
        "other_county": other_county,
        "township": township,
        "market": market,
        "labour": labour,
    }


def officer(world, name, **cert):
    """An officer with one certificate (unless cert is None) valid around DAY."""
    person = OfficerFactory(agency=world["agency"], name=name)
    if cert.pop("none", False):
        return person
    categories = cert.pop("categories", [world["market"]])
    defaults = {
        "officer": person,
        "issued_on": date(2024, 1, 1),
        "expires_on": date(2029, 1, 1),
        "area": world["county"],
    }
    defaults.update(cert)
    CertificateFactory(categories=categories, **defaults)
    return person


def auxiliary(world, name):
    return OfficerFactory(
        agency=world["agency"], name=name, is_auxiliary=True, employment_status="other"
    )


def check(world, people, *, category=None, area=None, on=DAY, kind="penalty"):
    return enforcement_check(
        people, category or world["market"], area or world["county"], on, kind=kind
    )


def refusal(result, code):
    found = [r for r in result.refusals if r.code == code]
    assert found, f"expected a {code} refusal, got {result.codes}"
    return found[0]


# --------------------------------------------------------------------------
# Allowed
# --------------------------------------------------------------------------


def test_two_qualified_officers_are_allowed(world):
    a, b = officer(world, "张伟"), officer(world, "李娜")
    result = check(world, [a, b])
    assert result.allowed and bool(result)
    assert result.refusals == []
    assert [o.name for o in result.counted] == ["张伟", "李娜"]
    assert result.assisting == []


def test_an_area_inside_the_certificates_area_is_covered(world):
    a, b = officer(world, "张伟"), officer(world, "李娜")
    assert check(world, [a, b], area=world["township"]).allowed


def test_category_and_area_may_be_given_as_codes(world):
    a, b = officer(world, "张伟"), officer(world, "李娜")
    assert enforcement_check([a, b], "market", "210521100", DAY).allowed


def test_validity_includes_the_first_and_last_day(world):
    a = officer(world, "张伟", issued_on=DAY, expires_on=DAY + timedelta(days=30))
    b = officer(world, "李娜", issued_on=DAY - timedelta(days=30), expires_on=DAY)
    assert check(world, [a, b]).allowed


def test_an_auxiliary_may_assist_two_qualified_officers(world):
    a, b, aux = officer(world, "张伟"), officer(world, "李娜"), auxiliary(world, "赵磊")
    result = check(world, [a, aux, b])
    assert result.allowed
    assert [o.name for o in result.assisting] == ["赵磊"]
    assert aux not in result.counted


def test_an_older_ended_certificate_does_not_spoil_a_current_one(world):
    a = officer(world, "张伟", issued_on=date(2015, 1, 1), expires_on=date(2020, 1, 1))
    CertificateFactory(officer=a, number="NEW-1", categories=[world["market"]])
    b = officer(world, "李娜")
    assert check(world, [a, b]).allowed


def test_an_officer_is_on_post_until_the_day_they_leave(world):
    a, b = officer(world, "张伟"), officer(world, "李娜")
    Officer.objects.filter(pk=a.pk).update(left_on=DAY + timedelta(days=1), left_reason="transfer")
    a.refresh_from_db()
    assert check(world, [a, b]).allowed


def test_the_gate_writes_nothing(world):
    a = officer(world, "张伟")
    before = Entry.objects.count()
    check(world, [a])
    assert Entry.objects.count() == before


# --------------------------------------------------------------------------
# Refused: every reason
# --------------------------------------------------------------------------


def test_fewer_than_two_is_refused(world):
    a = officer(world, "张伟")
    result = check(world, [a])
    assert not result.allowed and result.codes == ["too_few"]
    too_few = refusal(result, "too_few")
    assert "只有 1 名（张伟）" in too_few.message and "不得少于两人" in too_few.message
    assert too_few.citation == "行政处罚法 第四十二条（APL-07）"
    assert result.counted == [a]


def test_nobody_at_all_is_refused(world):
    result = check(world, [])
    assert result.codes == ["too_few"]
    assert "没有具有执法资格的执法人员" in result.refusals[0].message


def test_an_officer_without_a_certificate_is_refused(world):
    a, b = officer(world, "张伟"), officer(world, "王五", none=True)
    result = check(world, [a, b])
    r = refusal(result, "no_certificate")
    assert r.officer == b and r.message == "王五没有执法证件，不具有行政执法资格"
    assert "too_few" in result.codes


def test_an_expired_certificate_is_refused(world):
    a = officer(world, "张伟", number="21052124001", expires_on=date(2026, 3, 1))
    b = officer(world, "李娜")
    result = check(world, [a, b])
    r = refusal(result, "expired")
    assert r.message == "张伟的执法证件（编号 21052124001）已于 2026-03-01 过期"
    assert r.officer == a and r.citation


def test_a_certificate_marked_expired_is_refused(world):
    a = officer(world, "张伟", status=CertificateStatus.EXPIRED)
    result = check(world, [a, officer(world, "李娜")])
    refusal(result, "expired")


def test_a_certificate_not_yet_valid_is_refused(world):
    a = officer(world, "张伟", number="21052124002", issued_on=DAY + timedelta(days=5))
    result = check(world, [a, officer(world, "李娜")])
    r = refusal(result, "not_yet_valid")
    assert "21052124002" in r.message and "尚未生效" in r.message


def test_a_suspended_certificate_is_refused(world):
    a = officer(world, "张伟", status=CertificateStatus.SUSPENDED, status_reason="年审不合格")
    result = check(world, [a, officer(world, "李娜")])
    r = refusal(result, "suspended")
    assert "已被暂扣（年审不合格）" in r.message


def test_a_revoked_certificate_is_refused(world):
    a = officer(world, "张伟", status=CertificateStatus.REVOKED, status_reason="离岗（调动）")
    result = check(world, [a, officer(world, "李娜")])
    assert "已被注销" in refusal(result, "revoked").message


def test_a_certificate_of_another_category_is_refused(world):
    a = officer(world, "张伟")
    b = officer(world, "李娜", categories=[world["labour"]])
    result = check(world, [a, b])
    r = refusal(result, "wrong_category")
    assert r.officer == b
    assert "执法类别（劳动保障监察）不包括“市场监管”" in r.message
    assert "CERT-06 (c)" in r.citation


def test_a_certificate_for_another_area_is_refused(world):
    a = officer(world, "张伟")
    b = officer(world, "李娜", area=world["township"])
    result = check(world, [a, b])  # the act is county-wide; b only covers 小市镇
    r = refusal(result, "wrong_area")
    assert r.officer == b and "执法区域（小市镇）不包括“本溪满族自治县”" in r.message
    result = check(world, [a, officer(world, "王五")], area=world["other_county"])
    assert [x.code for x in result.refusals].count("wrong_area") == 2


def test_both_category_and_area_are_reported(world):
    a = officer(world, "张伟", categories=[world["labour"]], area=world["township"])
    result = check(world, [a, officer(world, "李娜")])
    assert {"wrong_category", "wrong_area"} <= set(result.codes)


def test_an_officer_who_left_is_refused_even_with_a_valid_certificate(world):
    a, b = officer(world, "张伟"), officer(world, "李娜")
    Officer.objects.filter(pk=b.pk).update(left_on=DAY, left_reason=LeaveReason.TRANSFER)
    b.refresh_from_db()
    result = check(world, [a, b])
    r = refusal(result, "left_post")
    assert r.officer == b and "李娜已于 2026-03-10 离岗（调动）" in r.message
    assert "CERT-06 (e)" in r.citation


def test_auxiliaries_alone_are_refused(world):
    result = check(world, [auxiliary(world, "赵磊"), auxiliary(world, "钱多")])
    assert not result.allowed
    assert {"too_few", "auxiliary_only"} <= set(result.codes)
    r = refusal(result, "auxiliary_only")
    assert "只有执法辅助人员（赵磊、钱多）" in r.message and "不能单独执法" in r.message
    assert "CERT-04" in r.citation and "INS-01" in r.citation
    assert result.counted == [] and len(result.assisting) == 2


def test_an_auxiliary_does_not_make_up_the_second_officer(world):
    a, aux = officer(world, "张伟"), auxiliary(world, "赵磊")
    result = check(world, [a, aux])
    assert not result.allowed
    assert "too_few" in result.codes
    r = refusal(result, "auxiliary_not_counted")
    assert r.officer == aux and "赵磊是执法辅助人员" in r.message and "不计入" in r.message


def test_an_auxiliary_holding_a_certificate_still_does_not_count(world):
    # Data imported from elsewhere may attach a certificate to an auxiliary;
    # the gate looks at the person, not the card (CERT-04).
    aux = auxiliary(world, "赵磊")
    CertificateFactory(officer=aux, categories=[world["market"]])
    result = check(world, [officer(world, "张伟"), aux])
    assert "auxiliary_not_counted" in result.codes


def test_the_same_officer_twice_counts_once(world):
    a = officer(world, "张伟")
    result = check(world, [a, a])
    assert not result.allowed
    assert result.counted == [a]
    assert "too_few" in result.codes
    assert "张伟在名单中重复出现，只计算一次" in refusal(result, "duplicate").message


def test_the_same_officer_fetched_twice_counts_once(world):
    a = officer(world, "张伟")
    result = check(world, [a, Officer.objects.get(pk=a.pk)])
    assert result.codes == ["too_few", "duplicate"]


def test_one_unqualified_officer_refuses_even_with_two_qualified(world):
    a, b = officer(world, "张伟"), officer(world, "李娜")
    c = officer(world, "王五", status=CertificateStatus.SUSPENDED)
    result = check(world, [a, b, c])
    assert not result.allowed and result.codes == ["suspended"]
    assert len(result.counted) == 2


def test_every_refusal_names_its_reason_and_citation(world):
    a = officer(world, "张伟", expires_on=date(2026, 3, 1))
    result = check(world, [a, auxiliary(world, "赵磊"), a])
    for r in result.refusals:
        assert r.message and r.citation
        assert r.citation in str(r)
    assert len(result.messages) == len(result.refusals)


@pytest.mark.parametrize(
    ("kind", "citation"),
    [
        ("penalty", "行政处罚法 第四十二条"),
        ("coercion", "行政强制法 第十七条、第十八条"),
        ("license", "行政许可法 第三十四条"),
        ("inspection", "INS-01"),
        ("levy", "rules.md §15.1"),
    ],
)
def test_the_citation_follows_the_kind_of_act(world, kind, citation):
    result = check(world, [officer(world, "张伟")], kind=kind)
    assert citation in refusal(result, "too_few").citation


def test_the_gate_agrees_with_the_services(world):
    """Certificates written by the services are judged the same way."""
    agency = world["agency"]
    from zhifa.officers.tests.factories import certified

    a = certified(agency, issued_on=date(2025, 1, 1))
    b = certified(agency, issued_on=date(2025, 1, 1))
    people = [a.officer, b.officer]
    assert check(world, people).allowed
    services.certificate_suspend(
        actor=SYSTEM, certificate=b, reason="调查", on_date=date(2025, 6, 1)
    )
    assert refusal(check(world, people), "suspended").officer == b.officer
    services.officer_leave(actor=SYSTEM, officer=a.officer, left_on=date(2025, 7, 1), reason="调动")
    result = check(world, people)
    assert {"left_post", "suspended", "too_few"} <= set(result.codes)


# --------------------------------------------------------------------------
# The rule itself, over any team
# --------------------------------------------------------------------------

KINDS = ["ok", "expired", "suspended", "none", "aux", "left"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(team=st.lists(st.sampled_from(range(12)), max_size=6))
def test_allowed_exactly_when_two_distinct_qualified_and_no_unqualified_officer(world, team):
    pool = _pool(world)
    people = [pool[i][1] for i in team]
    kinds = {pool[i][0] for i in team}
    distinct_ok = len({i for i in team if pool[i][0] == "ok"})
    expected = distinct_ok >= 2 and kinds <= {"ok", "aux"}
    result = check(world, people)
    assert result.allowed is expected, (team, result.codes)
    assert len(result.counted) == distinct_ok
    assert all(not o.is_auxiliary for o in result.counted)


def _pool(world):
    cached = world.get("pool")
    if cached:
        return cached
    pool = []
    for i in range(12):
        kind = KINDS[i % len(KINDS)]
        name = f"人员{i}"
        if kind == "ok":
            person = officer(world, name)
        elif kind == "expired":
            person = officer(world, name, expires_on=DAY - timedelta(days=1))
        elif kind == "suspended":
            person = officer(world, name, status=CertificateStatus.SUSPENDED)
        elif kind == "none":
            person = officer(world, name, none=True)
        elif kind == "aux":
            person = auxiliary(world, name)
        else:
            person = officer(world, name)
            Officer.objects.filter(pk=person.pk).update(left_on=DAY, left_reason="retirement")
            person.refresh_from_db()
        pool.append((kind, person))
    world["pool"] = pool
    assert Certificate.objects.count() >= 8
    return pool
