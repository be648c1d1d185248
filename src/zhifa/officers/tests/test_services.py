"""The officer and certificate services: every change recorded, every bad input refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from stdnum.cn import ric

from zhifa.ledger.models import Entry
from zhifa.officers import services
from zhifa.officers.models import (
    AnnualReview,
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CertificationTarget,
    EmploymentStatus,
    Exam,
    ExamKind,
    LeaveReason,
    LegalQualification,
    Officer,
    ReviewOutcome,
    Training,
)
from zhifa.officers.tests.factories import (
    CategoryFactory,
    CertificateFactory,
    OfficerFactory,
    certified,
    id_number,
    market_agency,
    qualify,
)
from zhifa.orgs import services as orgs
from zhifa.orgs.models import EnforcementCategory
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import (
    AgencyFactory,
    RegionFactory,
    Role,
    UnitFactory,
    UserFactory,
    grant,
    region_tree,
)
from zhifa.rules.models import RuleOverride
from zhifa.workdays.calendar import add_months, add_years

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ISSUED = TODAY - timedelta(days=100)


@pytest.fixture
def agency():
    return market_agency(name="本溪满族自治县市场监督管理局")


@pytest.fixture
def officer(agency):
    return services.officer_register(
        actor=SYSTEM,
        agency=agency,
        name="张伟",
        id_number=id_number(1),
        post="执法大队队员",
        employment_status=EmploymentStatus.ESTABLISHED,
        phone="13904140001",
    )


@pytest.fixture
def qualified(officer):
    qualify(officer, on=ISSUED - timedelta(days=30))
    return officer


def issue(officer, **kwargs):
    defaults = {
        "actor": SYSTEM,
        "officer": officer,
        "number": "21052124001",
        "categories": [CategoryFactory()],
        "area": officer.agency.region,
        "issued_on": ISSUED,
    }
    defaults.update(kwargs)
    return services.certificate_issue(**defaults)


def _with_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def entries(subject, action=None):
    meta = subject._meta
    qs = Entry.objects.filter(
        subject_type=f"{meta.app_label}.{meta.model_name}", subject_id=str(subject.public_id)
    )
    return qs.filter(action=action) if action else qs


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


def snapshot():
    return (
        Officer.objects.count(),
        Certificate.objects.count(),
        CertificateEvent.objects.count(),
        AnnualReview.objects.count(),
        Exam.objects.count(),
        Entry.objects.count(),
    )


# --------------------------------------------------------------------------
# Permission
# --------------------------------------------------------------------------


def test_personnel_is_managed_by_agency_head_regional_admin_and_superuser(agency):
    _province, benxi, county, other_county, _ = region_tree()
    head = UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=agency)
    admin = UserFactory()
    grant(admin, Role.ADMIN, region=benxi)
    other_admin = UserFactory()
    grant(other_admin, Role.ADMIN, region=other_county)
    officer_user = UserFactory()
    grant(officer_user, Role.OFFICER, agency=agency)
    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, region=county)
    other_head = UserFactory()
    grant(other_head, Role.AGENCY_HEAD, agency=AgencyFactory(region=county))

    assert services.can_manage_personnel(head, agency)
    assert services.can_manage_personnel(admin, agency)
    assert services.can_manage_personnel(UserFactory(is_superuser=True), agency)
    assert services.can_manage_personnel(SYSTEM, agency)
    assert not services.can_manage_personnel(other_admin, agency)
    assert not services.can_manage_personnel(officer_user, agency)
    assert not services.can_manage_personnel(supervisor, agency)
    assert not services.can_manage_personnel(other_head, agency)
    assert not services.can_manage_personnel(None, agency)


def test_an_officer_cannot_register_colleagues(agency):
    user = UserFactory()
    grant(user, Role.OFFICER, agency=agency)
    with pytest.raises(PermissionDenied, match="本机关负责人或该区域的系统管理员"):
        services.officer_register(
            actor=user,
            agency=agency,
            name="李娜",
            id_number=id_number(2),
            post="执法大队队员",
            employment_status=EmploymentStatus.ESTABLISHED,
        )
    assert not Officer.objects.exists()


def test_agency_head_issues_and_is_the_recorded_actor(agency, qualified):
    head = UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=agency)
    cert = issue(qualified, actor=head)
    event = cert.events.get()
    assert event.actor == head
    assert Entry.objects.get(seq=event.ledger_seq).actor == head


# --------------------------------------------------------------------------
# Officers
# --------------------------------------------------------------------------


def test_register_records_the_officer_without_personal_data(officer):
    entry = entries(officer, "officer.registered").get()
    data = bytes(entry.data).decode()
    assert str(officer.public_id) in data
    assert officer.id_number not in data
    assert "13904140001" not in data
    assert officer.id_number == id_number(1)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (id_number(1)[:-1] + ("0" if id_number(1)[-1] != "0" else "1"), "校验码不正确"),
        ("21052119850312", "应为 18 位"),
        ("2105211985031200AX", "前 17 位应为数字"),
        (_with_check("21052119851332001"), "出生日期（19851332）无效"),
        (_with_check("21059919850312001"), "地址码（210599）不是有效的"),
        ("", "请填写公民身份号码"),
    ],
)
def test_register_refuses_a_bad_id_number(agency, bad, message):
    with pytest.raises(ValidationError) as exc:
        services.officer_register(
            actor=SYSTEM,
            agency=agency,
            name="张伟",
            id_number=bad,
            post="执法大队队员",
            employment_status=EmploymentStatus.ESTABLISHED,
        )
    assert message in " ".join(errors_of(exc)["id_number"])
    assert not Officer.objects.exists()
    assert not Entry.objects.filter(action="officer.registered").exists()


def test_register_accepts_a_lowercase_x_check_digit(agency):
    n = next(i for i in range(1, 500) if id_number(i).endswith("X"))
    officer = services.officer_register(
        actor=SYSTEM,
        agency=agency,
        name="王强",
        id_number=id_number(n).lower(),
        post="执法大队队员",
        employment_status="在编",
    )
    assert officer.id_number == id_number(n)
    assert officer.employment_status == EmploymentStatus.ESTABLISHED


def test_register_refuses_the_same_person_twice_in_one_agency(agency, officer):
    with pytest.raises(ValidationError) as exc:
        services.officer_register(
            actor=SYSTEM,
            agency=agency,
            name="张伟",
            id_number=id_number(1),
            post="执法大队队员",
            employment_status=EmploymentStatus.ESTABLISHED,
        )
    assert "已登记该公民身份号码" in errors_of(exc)["id_number"][0]


def test_register_reports_every_bad_field_at_once(agency):
    other_unit = UnitFactory()
    with pytest.raises(ValidationError) as exc:
        services.officer_register(
            actor=SYSTEM,
            agency=agency,
            name=" ",
            id_number=id_number(3),
            post="",
            employment_status="temporary",
            unit=other_unit,
            phone="12345",
        )
    errors = errors_of(exc)
    assert set(errors) == {"name", "post", "employment_status", "unit", "phone"}
    assert "不属于" in errors["unit"][0]
    assert "编制状态“temporary”无效" in errors["employment_status"][0]


def test_register_refuses_an_account_already_linked(agency, officer):
    user = UserFactory(username="zhangwei")
    services.officer_update(actor=SYSTEM, officer=officer, user=user)
    with pytest.raises(ValidationError) as exc:
        services.officer_register(
            actor=SYSTEM,
            agency=agency,
            name="张伟二",
            id_number=id_number(4),
            post="执法大队队员",
            employment_status=EmploymentStatus.ESTABLISHED,
            user=user,
        )
    assert "已关联执法人员" in errors_of(exc)["user"][0]


def test_update_records_what_changed_and_nothing_when_nothing_changed(officer):
    unit = UnitFactory(agency=officer.agency, name="综合行政执法大队")
    services.officer_update(actor=SYSTEM, officer=officer, post="执法大队副队长", unit=unit)
    entry = entries(officer, "officer.updated").get()
    assert "执法大队副队长" in bytes(entry.data).decode()
    services.officer_update(actor=SYSTEM, officer=officer, post="执法大队副队长", unit=unit)
    assert entries(officer, "officer.updated").count() == 1
    services.officer_update(actor=SYSTEM, officer=officer, phone="024-42812345")
    data = bytes(entries(officer, "officer.updated").last().data).decode()
    assert "42812345" not in data and '"phone"' in data


def test_update_refuses_fields_it_does_not_own(officer):
    with pytest.raises(ValidationError) as exc:
        services.officer_update(actor=SYSTEM, officer=officer, id_number=id_number(9))
    assert "id_number" in errors_of(exc)


def test_update_refuses_an_ineligible_status_while_holding_a_certificate(qualified):
    issue(qualified)
    with pytest.raises(ValidationError) as exc:
        services.officer_update(
            actor=SYSTEM, officer=qualified, employment_status=EmploymentStatus.OTHER
        )
    assert "CERT-06 (b)" in errors_of(exc)["employment_status"][0]
    qualified.refresh_from_db()
    assert qualified.employment_status == EmploymentStatus.ESTABLISHED


def test_leave_revokes_every_active_certificate_and_records_the_hand_back(qualified):
    cert = issue(qualified)
    services.certificate_suspend(actor=SYSTEM, certificate=cert, reason="调查中", on_date=TODAY)
    old = CertificateFactory(
        officer=qualified,
        number="OLD-1",
        issued_on=date(2015, 1, 1),
        expires_on=date(2020, 1, 1),
        status=CertificateStatus.EXPIRED,
    )
    services.officer_leave(
        actor=SYSTEM,
        officer=qualified,
        left_on=TODAY,
        reason=LeaveReason.TRANSFER,
        handed_back_on=TODAY,
    )
    qualified.refresh_from_db()
    cert.refresh_from_db()
    old.refresh_from_db()
    assert qualified.left_on == TODAY and qualified.left_reason == LeaveReason.TRANSFER
    assert cert.status == CertificateStatus.REVOKED
    assert cert.status_reason == "离岗（调动）"
    assert cert.handed_back_on == TODAY
    assert old.status == CertificateStatus.EXPIRED and old.handed_back_on == TODAY
    assert list(cert.events.values_list("action", flat=True)) == [
        "issued",
        "suspended",
        "revoked",
        "handed_back",
    ]
    assert entries(qualified, "officer.left").exists()
    assert entries(cert, "certificate.revoked").exists()
    assert entries(cert, "certificate.handed_back").exists()


def test_leave_accepts_the_reason_by_its_chinese_label(officer):
    services.officer_leave(actor=SYSTEM, officer=officer, left_on=TODAY, reason="退休")
    assert Officer.objects.get(pk=officer.pk).left_reason == LeaveReason.RETIREMENT


def test_leave_refuses_twice_a_future_date_and_an_unknown_reason(officer):
    with pytest.raises(ValidationError) as exc:
        services.officer_leave(
            actor=SYSTEM, officer=officer, left_on=TODAY + timedelta(days=3), reason="出国"
        )
    assert set(errors_of(exc)) == {"left_on", "reason"}
    services.officer_leave(actor=SYSTEM, officer=officer, left_on=TODAY, reason="辞职")
    with pytest.raises(ValidationError, match="已于"):
        services.officer_leave(actor=SYSTEM, officer=officer, left_on=TODAY, reason="辞职")


# --------------------------------------------------------------------------
# Exams, training, legal qualification
# --------------------------------------------------------------------------


def test_exam_is_recorded_with_its_category(officer):
    exam = services.exam_record(
        actor=SYSTEM,
        officer=officer,
        kind=ExamKind.PROFESSIONAL,
        taken_on=ISSUED,
        passed=True,
        score="86.5",
        category="market",
    )
    assert exam.score == Decimal("86.5") and exam.category.code == "market"
    assert '"category":"market"' in bytes(entries(officer, "exam.recorded").get().data).decode()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "oral"}, "kind"),
        ({"score": "一百"}, "score"),
        ({"score": 101}, "score"),
        ({"taken_on": TODAY + timedelta(days=1)}, "taken_on"),
        ({"taken_on": "2025-01-01"}, "taken_on"),
        ({"category": "market"}, "category"),  # a general exam has no category
        ({"category": "nonexistent"}, "category"),
        ({"passed": "是"}, "passed"),
    ],
)
def test_exam_refuses_bad_input(officer, kwargs, field):
    CategoryFactory()
    args = {"kind": ExamKind.GENERAL, "taken_on": ISSUED, "passed": True, **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.exam_record(actor=SYSTEM, officer=officer, **args)
    assert field in errors_of(exc)
    assert not Exam.objects.exists()


def test_training_is_recorded_and_checked(officer):
    training = services.training_record(
        actor=SYSTEM,
        officer=officer,
        year=TODAY.year,
        title="行政处罚法专题培训",
        hours="12.5",
        completed_on=TODAY,
    )
    assert training.hours == Decimal("12.5")
    assert entries(officer, "training.recorded").exists()
    with pytest.raises(ValidationError) as exc:
        services.training_record(
            actor=SYSTEM,
            officer=officer,
            year=TODAY.year - 1,
            title="",
            hours=0,
            completed_on=TODAY,
        )
    assert set(errors_of(exc)) == {"year", "title", "hours"}
    assert Training.objects.count() == 1


def test_legal_qualification_is_recorded_once(officer, agency):
    services.legal_qualification_record(
        actor=SYSTEM, officer=officer, certificate_number="A20182105210001", obtained_on=ISSUED
    )
    assert entries(officer, "legal_qualification.recorded").exists()
    with pytest.raises(ValidationError) as exc:
        services.legal_qualification_record(
            actor=SYSTEM, officer=officer, certificate_number="A20182105210002", obtained_on=ISSUED
        )
    assert "officer" in errors_of(exc)
    other = OfficerFactory(agency=agency)
    with pytest.raises(ValidationError) as exc:
        services.legal_qualification_record(
            actor=SYSTEM, officer=other, certificate_number="A20182105210001", obtained_on=ISSUED
        )
    assert "已登记" in errors_of(exc)["certificate_number"][0]
    assert LegalQualification.objects.count() == 1


# --------------------------------------------------------------------------
# Issuing
# --------------------------------------------------------------------------


def test_issue_defaults_validity_schedules_reviews_and_records(qualified):
    cert = issue(qualified)
    assert cert.status == CertificateStatus.VALID
    assert cert.expires_on == add_years(ISSUED, 5)  # rule certificate.validity, national default
    assert list(cert.categories.values_list("code", flat=True)) == ["market"]
    dues = list(cert.annual_reviews.values_list("due_on", flat=True))
    assert dues == [add_months(ISSUED, 12 * k) for k in range(1, 5)]
    event = cert.events.get()
    assert event.action == CertificateEvent.Action.ISSUED
    entry = Entry.objects.get(seq=event.ledger_seq)
    assert entry.action == "certificate.issued"
    assert entry.subject_id == str(cert.public_id)
    data = bytes(entry.data).decode()
    assert "21052124001" in data and "210521" in data and qualified.id_number not in data


def test_issue_follows_the_regions_validity_and_review_rules(qualified):
    RuleOverride.objects.create(
        rule_id="certificate.validity", region_code="210000", value=3, basis="辽宁省示例"
    )
    RuleOverride.objects.create(
        rule_id="certificate.annual_review_interval",
        region_code="210521",
        value=6,
        basis="本县示例",
    )
    cert = issue(qualified)
    assert cert.expires_on == add_years(ISSUED, 3)
    # Every 6 months, one review per year (the earlier date wins).
    years = list(cert.annual_reviews.values_list("year", flat=True))
    assert years == sorted(set(years))
    assert cert.annual_reviews.first().due_on == add_months(ISSUED, 6)


def test_issue_accepts_an_explicit_expiry_and_category_codes(qualified):
    cert = issue(qualified, categories=["market"], expires_on=ISSUED + timedelta(days=800))
    assert cert.expires_on == ISSUED + timedelta(days=800)


def _refused(officer, **kwargs) -> dict:
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        issue(officer, **kwargs)
    assert snapshot() == before, "a refused issue must leave nothing behind"
    return errors_of(exc)


def test_issue_refuses_an_auxiliary(agency):
    aux = services.officer_register(
        actor=SYSTEM,
        agency=agency,
        name="赵磊",
        id_number=id_number(7),
        post="执法辅助人员",
        employment_status=EmploymentStatus.OTHER,
        is_auxiliary=True,
    )
    qualify(aux, on=ISSUED - timedelta(days=1))
    errors = _refused(aux)
    assert any("执法辅助人员" in m and "CERT-04" in m for m in errors["officer"])


def test_issue_refuses_someone_who_left(qualified):
    Officer.objects.filter(pk=qualified.pk).update(
        left_on=TODAY - timedelta(days=1), left_reason=LeaveReason.RESIGNATION
    )
    qualified.refresh_from_db()
    errors = _refused(qualified)
    assert any("离岗（辞职）" in m for m in errors["officer"])


def test_issue_refuses_an_ineligible_employment_status(agency):
    officer = services.officer_register(
        actor=SYSTEM,
        agency=agency,
        name="临时工",
        id_number=id_number(8),
        post="协管员",
        employment_status=EmploymentStatus.OTHER,
    )
    qualify(officer, on=ISSUED - timedelta(days=1))
    errors = _refused(officer)
    assert any("编外聘用" in m and "CERT-06 (b)" in m for m in errors["officer"])


def test_issue_refuses_without_a_passed_general_exam(officer):
    services.exam_record(
        actor=SYSTEM, officer=officer, kind=ExamKind.GENERAL, taken_on=ISSUED, passed=False
    )
    services.exam_record(
        actor=SYSTEM,
        officer=officer,
        kind=ExamKind.PROFESSIONAL,
        taken_on=ISSUED,
        passed=True,
        category=CategoryFactory(),
    )
    errors = _refused(officer)
    assert any("通用法律知识考试" in m for m in errors["officer"])


def test_issue_refuses_without_the_professional_exam_for_each_category(agency, officer):
    labour = EnforcementCategory.objects.create(code="labour", name="劳动保障监察")
    agency.categories.add(labour)
    qualify(officer, on=ISSUED - timedelta(days=1))  # market only
    errors = _refused(officer, categories=[CategoryFactory(), labour])
    assert any("“劳动保障监察”专业法律知识考试" in m for m in errors["officer"])


def test_a_professional_exam_without_category_counts_for_any(agency, officer):
    labour = EnforcementCategory.objects.create(code="labour", name="劳动保障监察")
    agency.categories.add(labour)
    for kind in (ExamKind.GENERAL, ExamKind.PROFESSIONAL):
        services.exam_record(actor=SYSTEM, officer=officer, kind=kind, taken_on=ISSUED, passed=True)
    assert issue(officer, categories=[CategoryFactory(), labour]).pk


def test_an_exam_after_the_issue_date_does_not_count(officer):
    qualify(officer, on=ISSUED + timedelta(days=1))
    errors = _refused(officer)
    assert any("发证日期前" in m for m in errors["officer"])


def test_issue_refuses_categories_outside_the_agencys_powers(qualified):
    labour = EnforcementCategory.objects.create(code="labour", name="劳动保障监察")
    errors = _refused(qualified, categories=[labour])
    assert "不在" in errors["categories"][0] and "职权" in errors["categories"][0]
    assert "categories" in _refused(qualified, categories=[])
    assert "未知的执法类别" in _refused(qualified, categories=["nope"])["categories"][0]


def test_issue_refuses_an_area_outside_the_agencys_region(qualified):
    other_county = region_tree()[3]
    errors = _refused(qualified, area=other_county)
    assert "桓仁满族自治县" in errors["area"][0]


def test_issue_accepts_an_area_below_the_agencys_region(qualified):
    township = RegionFactory(code="210521100", name="小市镇", parent=region_tree()[2])
    assert issue(qualified, area=township).area == township


def test_issue_refuses_a_duplicate_number(qualified, agency):
    issue(qualified)
    other = OfficerFactory(agency=agency, name="李娜")
    qualify(other, on=ISSUED - timedelta(days=1))
    errors = _refused(other)
    assert "已被 张伟 的证件使用" in errors["number"][0]


@pytest.mark.parametrize("days", [0, -1])
def test_issue_refuses_expiry_on_or_before_issue(qualified, days):
    errors = _refused(qualified, expires_on=ISSUED + timedelta(days=days))
    assert "必须晚于发证日期" in errors["expires_on"][0]


def test_issue_refuses_a_future_issue_date_and_a_second_active_certificate(qualified):
    assert "issued_on" in _refused(qualified, issued_on=TODAY + timedelta(days=1))
    issue(qualified)
    errors = _refused(qualified, number="21052124002")
    assert any("已持有未注销的执法证件" in m for m in errors["officer"])


def test_issue_reports_every_problem_at_once(agency):
    aux = OfficerFactory(agency=agency, is_auxiliary=True, employment_status="other")
    errors = _refused(
        aux,
        number="",
        categories=[],
        area=region_tree()[3],
        expires_on=ISSUED - timedelta(days=1),
    )
    assert set(errors) == {"officer", "number", "categories", "area", "expires_on"}
    assert len(errors["officer"]) >= 3  # auxiliary, status, general exam


# --------------------------------------------------------------------------
# Status changes
# --------------------------------------------------------------------------


@pytest.fixture
def cert(qualified):
    return issue(qualified)


def test_suspend_then_reinstate(cert):
    services.certificate_suspend(actor=SYSTEM, certificate=cert, reason="涉嫌违纪", on_date=TODAY)
    assert cert.status == CertificateStatus.SUSPENDED and cert.status_reason == "涉嫌违纪"
    services.certificate_reinstate(actor=SYSTEM, certificate=cert, reason="调查结束", on_date=TODAY)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID
    assert list(cert.events.values_list("action", flat=True)) == [
        "issued",
        "suspended",
        "reinstated",
    ]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: services.certificate_suspend(actor=SYSTEM, certificate=c, reason="", on_date=TODAY), "reason"),
        (lambda c: services.certificate_suspend(actor=SYSTEM, certificate=c, reason="x" * 201, on_date=TODAY), "reason"),
        (lambda c: services.certificate_suspend(actor=SYSTEM, certificate=c, reason="x", on_date=ISSUED - timedelta(days=1)), "on_date"),
        (lambda c: services.certificate_suspend(actor=SYSTEM, certificate=c, reason="x", on_date=TODAY + timedelta(days=1)), "on_date"),
        (lambda c: services.certificate_reinstate(actor=SYSTEM, certificate=c, reason="x", on_date=TODAY), "status"),
        (lambda c: services.certificate_hand_back(actor=SYSTEM, certificate=c, on_date=TODAY), "status"),
    ],
    ids=["no-reason", "long-reason", "before-issue", "future", "reinstate-valid", "hand-back-valid"],
)  # fmt: skip
def test_status_changes_refuse_bad_input(cert, call, field):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        call(cert)
    assert field in errors_of(exc)
    assert snapshot() == before
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.VALID


def test_suspend_refuses_a_suspended_certificate(cert):
    services.certificate_suspend(actor=SYSTEM, certificate=cert, reason="一", on_date=TODAY)
    with pytest.raises(ValidationError, match="只有有效的证件才能暂扣"):
        services.certificate_suspend(actor=SYSTEM, certificate=cert, reason="二", on_date=TODAY)


def test_reinstate_refuses_after_expiry(qualified):
    cert = issue(
        qualified, issued_on=TODAY - timedelta(days=10), expires_on=TODAY - timedelta(days=1)
    )
    services.certificate_suspend(actor=SYSTEM, certificate=cert, reason="一", on_date=TODAY)
    with pytest.raises(ValidationError, match="请办理换发"):
        services.certificate_reinstate(actor=SYSTEM, certificate=cert, reason="二", on_date=TODAY)


def test_revoke_then_hand_back(cert):
    services.certificate_revoke(
        actor=SYSTEM, certificate=cert, reason="调离执法岗位", on_date=TODAY
    )
    assert cert.status == CertificateStatus.REVOKED and cert.handed_back_on is None
    with pytest.raises(ValidationError, match="只有有效或被暂扣的证件才能注销"):
        services.certificate_revoke(actor=SYSTEM, certificate=cert, reason="再次", on_date=TODAY)
    services.certificate_hand_back(actor=SYSTEM, certificate=cert, on_date=TODAY)
    assert Certificate.objects.get(pk=cert.pk).handed_back_on == TODAY
    with pytest.raises(ValidationError, match="已于"):
        services.certificate_hand_back(actor=SYSTEM, certificate=cert, on_date=TODAY)


def test_revoke_with_hand_back_writes_both_events(cert):
    services.certificate_revoke(
        actor=SYSTEM, certificate=cert, reason="辞退", on_date=TODAY, handed_back_on=TODAY
    )
    assert list(cert.events.values_list("action", flat=True)) == [
        "issued",
        "revoked",
        "handed_back",
    ]


def test_renew_ends_the_old_certificate_and_links_the_new(cert):
    new = services.certificate_renew(
        actor=SYSTEM, certificate=cert, number="21052126001", issued_on=TODAY
    )
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.EXPIRED and "换发" in cert.status_reason
    assert new.renewed_from == cert and new.status == CertificateStatus.VALID
    assert list(new.categories.all()) == list(cert.categories.all()) and new.area == cert.area
    assert new.expires_on == add_years(TODAY, 5)
    assert entries(cert, "certificate.renewed").exists()
    assert entries(new, "certificate.issued").exists()
    assert cert.events.last().action == CertificateEvent.Action.RENEWED


def test_renew_refuses_suspended_revoked_and_duplicate_numbers(cert, agency):
    with pytest.raises(ValidationError) as exc:
        services.certificate_renew(
            actor=SYSTEM, certificate=cert, number=cert.number, issued_on=TODAY
        )
    assert "number" in errors_of(exc)
    services.certificate_suspend(actor=SYSTEM, certificate=cert, reason="一", on_date=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.certificate_renew(actor=SYSTEM, certificate=cert, number="N2", issued_on=TODAY)
    assert "status" in errors_of(exc)
    services.certificate_revoke(actor=SYSTEM, certificate=cert, reason="二", on_date=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.certificate_renew(actor=SYSTEM, certificate=cert, number="N3", issued_on=TODAY)
    assert "status" in errors_of(exc)
    assert Certificate.objects.count() == 1


def test_certificates_expire_marks_those_past_their_date_once(qualified, agency):
    past = issue(
        qualified, issued_on=TODAY - timedelta(days=50), expires_on=TODAY - timedelta(days=2)
    )
    current = certified(agency)
    assert services.certificates_expire(actor=SYSTEM, today=TODAY) == 1
    past.refresh_from_db()
    assert past.status == CertificateStatus.EXPIRED
    event = past.events.last()
    assert event.action == "expired" and event.on_date == TODAY - timedelta(days=1)
    assert Entry.objects.get(seq=event.ledger_seq).action == "certificate.expired"
    assert Certificate.objects.get(pk=current.pk).status == CertificateStatus.VALID
    assert services.certificates_expire(actor=SYSTEM, today=TODAY) == 0


def test_certificates_expire_touches_only_agencies_the_actor_manages(qualified):
    issue(qualified, issued_on=TODAY - timedelta(days=50), expires_on=TODAY - timedelta(days=2))
    outsider = UserFactory()
    grant(outsider, Role.ADMIN, region=region_tree()[3])
    assert services.certificates_expire(actor=outsider, today=TODAY) == 0


# --------------------------------------------------------------------------
# Annual review
# --------------------------------------------------------------------------


def test_a_passed_review_fills_the_scheduled_one(cert):
    due = cert.annual_reviews.first()
    review = services.annual_review_record(
        actor=SYSTEM,
        certificate=cert,
        year=due.year,
        outcome=ReviewOutcome.PASSED,
        reviewed_on=TODAY,
    )
    assert review.pk == due.pk and review.outcome == "passed" and review.due_on == due.due_on
    assert cert.events.last().action == "reviewed"
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.VALID


def test_a_failed_review_suspends_the_certificate(cert):
    services.annual_review_record(
        actor=SYSTEM,
        certificate=cert,
        year=TODAY.year,
        outcome="不合格",
        reviewed_on=TODAY,
        note="培训学时不足",
    )
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED
    assert cert.status_reason == f"{TODAY.year} 年度年审不合格"
    assert list(cert.events.values_list("action", flat=True))[-2:] == ["reviewed", "suspended"]
    assert entries(cert, "certificate.reviewed").exists()
    assert entries(cert, "certificate.suspended").exists()


def test_review_refuses_a_second_outcome_a_year_outside_validity_and_a_revoked_certificate(cert):
    services.annual_review_record(
        actor=SYSTEM, certificate=cert, year=TODAY.year, outcome="passed", reviewed_on=TODAY
    )
    with pytest.raises(ValidationError, match="已登记"):
        services.annual_review_record(
            actor=SYSTEM, certificate=cert, year=TODAY.year, outcome="passed", reviewed_on=TODAY
        )
    with pytest.raises(ValidationError) as exc:
        services.annual_review_record(
            actor=SYSTEM, certificate=cert, year=1999, outcome="passed", reviewed_on=TODAY
        )
    assert "year" in errors_of(exc)
    services.certificate_revoke(actor=SYSTEM, certificate=cert, reason="离岗", on_date=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.annual_review_record(
            actor=SYSTEM, certificate=cert, year=TODAY.year + 1, outcome="passed", reviewed_on=TODAY
        )
    assert "status" in errors_of(exc)


# --------------------------------------------------------------------------
# The record
# --------------------------------------------------------------------------


def test_every_certificate_event_has_its_own_ledger_entry(cert, agency):
    services.certificate_suspend(actor=SYSTEM, certificate=cert, reason="一", on_date=TODAY)
    services.certificate_reinstate(actor=SYSTEM, certificate=cert, reason="二", on_date=TODAY)
    services.annual_review_record(
        actor=SYSTEM, certificate=cert, year=TODAY.year, outcome="passed", reviewed_on=TODAY
    )
    new = services.certificate_renew(actor=SYSTEM, certificate=cert, number="R-1", issued_on=TODAY)
    services.officer_leave(actor=SYSTEM, officer=new.officer, left_on=TODAY, reason="调动")
    events = CertificateEvent.objects.all()
    seqs = [e.ledger_seq for e in events]
    assert len(set(seqs)) == len(seqs)
    for event in events:
        entry = Entry.objects.get(seq=event.ledger_seq)
        assert entry.subject_id == str(event.certificate.public_id)
        assert entry.action == f"certificate.{event.action}"
        assert entry.agency == agency


def test_no_ledger_entry_carries_an_id_number_or_phone(cert):
    officer = cert.officer
    services.officer_update(actor=SYSTEM, officer=officer, phone="13800000000")
    services.officer_leave(actor=SYSTEM, officer=officer, left_on=TODAY, reason="辞职")
    for data in Entry.objects.values_list("data", flat=True):
        text = bytes(data).decode()
        assert officer.id_number not in text
        assert "13800000000" not in text and "13904140001" not in text


# --------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------


def test_only_an_administrator_of_the_region_sets_a_target(agency):
    county = region_tree()[2]
    head = UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=agency)
    target = CertificationTarget(
        region=county,
        department_target=Decimal("0.7"),
        township_target=Decimal("0.6"),
        basis="某区行政执法人员持证上岗实施方案",
    )
    with pytest.raises(PermissionDenied):
        services.certification_target_save(actor=head, target=target)
    admin = orgs.user_create(
        actor=SYSTEM, username="zhouming", name="周明", password="x-Long-pass-9"
    )
    orgs.role_assign(actor=SYSTEM, user=admin, role=Role.ADMIN, region=county)
    services.certification_target_save(actor=admin, target=target)
    assert CertificationTarget.objects.get().department_target == Decimal("0.7")
    bad = CertificationTarget(
        region=region_tree()[1],
        department_target=Decimal("1.5"),
        township_target=Decimal("0.6"),
        basis="x",
    )
    with pytest.raises(ValidationError):
        services.certification_target_save(actor=SYSTEM, target=bad)


def test_the_daily_job_expires_certificates_as_the_platform(qualified, agency, time_machine):
    from zhifa.jobs import registry, runner

    time_machine.move_to(datetime(TODAY.year, TODAY.month, TODAY.day, 8, 0, tzinfo=UTC))
    past = issue(
        qualified, issued_on=TODAY - timedelta(days=50), expires_on=TODAY - timedelta(days=2)
    )
    run = runner.run_job(registry.get("officers.certificates_expire"))
    assert run.ok and run.detail.startswith("1 张执法证件有效期届满")
    past.refresh_from_db()
    assert past.status == CertificateStatus.EXPIRED
    assert runner.run_job(registry.get("officers.certificates_expire")) is None  # once a day
