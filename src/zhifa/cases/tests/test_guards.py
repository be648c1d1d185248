"""Every guard of the executable procedures refuses, by name, and changes nothing.

Each test brings a case to a realistic state, fires the step the guard
protects with the fact that breaks the law, and checks that the refusal names
the guard (with its Chinese message and citation) and that the case, its
records and the ledger are exactly as before. Most also show the step passing
once the fact is put right. `GUARD_TESTS` maps each guard code to its test;
`test_every_guard_has_a_refusal_test` checks it against the definitions.

Then bad input: wrong amounts, dates, evidence files and a double submission
are refused with a Chinese message naming the field, and change nothing.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile

from zhifa.cases import deadlines, engine, services
from zhifa.cases.errors import DuplicateSubmission, InvalidInput, TransitionRefused
from zhifa.cases.guards import GUARD_FUNCTIONS, GuardContext
from zhifa.cases.models import (
    Case,
    CaseEvidence,
    CaseOfficer,
    Deadline,
    Document,
    Hearing,
    Payment,
    Recusal,
    RemedyPeriod,
)
from zhifa.cases.review_hook import ReviewStatus
from zhifa.cases.tests import factories as f
from zhifa.cases.tests.factories import COMPANY, PERSON, days_ago
from zhifa.catalog.tests.factories import penalty_item
from zhifa.ledger.evidence import EvidenceError
from zhifa.ledger.models import Entry, EvidenceBlob
from zhifa.officers import services as officer_services
from zhifa.officers.tests.factories import CertificateFactory, OfficerFactory
from zhifa.orgs.models import Role
from zhifa.orgs.services import SYSTEM
from zhifa.procedures import GUARDS, PENALTY_GENERAL, executable
from zhifa.rules.models import RuleOverride
from zhifa.rules.services import rule_value
from zhifa.workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
CJK = re.compile(r"[\u4e00-\u9fff]")

GUARD_TESTS: dict[str, str] = {}


def guards(*codes: str):
    """Register the test as the refusal test of these guard codes."""

    def wrap(fn):
        for code in codes:
            GUARD_TESTS[code] = fn.__name__
        return fn

    return wrap


@pytest.fixture
def w(time_machine, monkeypatch):
    f.freeze(time_machine)
    monkeypatch.setattr("zhifa.cases.documents.services.render_docx", f.quick_docx)
    return f.world()


# --- helpers -----------------------------------------------------------------------------


def snapshot(case: Case) -> tuple:
    """Everything a step could change: the case row, its parts, the ledger."""
    return (
        Case.objects.filter(pk=case.pk).values().get(),
        Entry.objects.count(),
        EvidenceBlob.objects.count(),
        list(case.records.values_list("id", flat=True)),
        list(Document.objects.filter(case=case).values_list("id", "status", "number")),
        list(Deadline.objects.filter(case=case).values()),
        list(CaseOfficer.objects.filter(case=case).values()),
        list(Recusal.objects.filter(case=case).values()),
        list(Hearing.objects.filter(case=case).values()),
        list(Payment.objects.filter(case=case).values()),
        list(RemedyPeriod.objects.filter(case=case).values()),
        list(CaseEvidence.objects.filter(case=case).values_list("id", flat=True)),
    )


def refuse(case: Case, code: str, actor, data: dict | None = None, *, guard: str, **kw):
    """Fire `code` expecting `guard` among the refusals; nothing may change."""
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as caught:
        engine.fire(case, code, actor, data or {}, **kw)
    exc = caught.value
    assert guard in exc.guards, exc.messages
    refusal = next(r for r in exc.refusals if r.guard == guard)
    assert CJK.search(refusal.message)
    if guard == "role_in_agency":
        assert refusal.citation == case.definition.transition(code).role_citation
    elif guard in GUARDS:
        assert refusal.citation == GUARDS[guard][1]
    assert snapshot(case) == before
    return refusal


def invalid(case: Case, code: str, actor, data: dict, *, field: str) -> str:
    """Fire `code` expecting the form to refuse `field`; nothing may change."""
    before = snapshot(case)
    with pytest.raises(InvalidInput) as caught:
        engine.fire(case, code, actor, data)
    assert field in caught.value.errors, caught.value.errors
    message = " ".join(caught.value.errors[field])
    assert CJK.search(message)
    assert snapshot(case) == before
    return message


def preview_refusal(case: Case, user, code: str):
    """Why `options()` shows `code` as not possible now (None if it is)."""
    option = next(o for o in engine.options(case, user) if o.transition.code == code)
    return None if option.allowed else option.refusals


def inspection(w, **extra) -> dict:
    return {
        "officers_present": f.ids(w.officers[:2]),
        "place": "本溪县小市镇商业街8号",
        "content": "现场发现散装熟食待售。",
    } | extra


def preservation(w, **extra) -> dict:
    return {
        "officers_present": f.ids(w.officers[:2]),
        "items": "散装熟食12盒",
        "place": "当事人店内冷柜",
        "approved_by": w.head.pk,
    } | extra


def filing(w, **extra) -> dict:
    return {
        "item": w.item.pk,
        "act_date": days_ago(40),
        "officers": f.ids(w.officers[:2]),
        "lead": w.officers[0].pk,
        "opinion": "同意立案",
    } | extra


def decision(fine="70000", types=("fine",), **extra) -> dict:
    return {"penalty_types": list(types), "fine_amount": fine} | extra


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


def recuse(w, case: Case, officer) -> Case:
    f.fire(
        case,
        "declare_recusal",
        w.unit_head,
        {"officer": officer.pk, "raised_by": "party", "reason": "与当事人有利害关系。"},
    )
    recusal = Recusal.objects.get(case=case, granted__isnull=True)
    return f.fire(
        case,
        "decide_recusal",
        w.head,
        {"recusal": recusal.pk, "granted": "yes", "reason": "理由成立。"},
    )


# --- who may act --------------------------------------------------------------------------


@guards("role_in_agency")
def test_role_in_agency_refuses_the_wrong_role_and_another_agency(w):
    case = f.register(w, on=days_ago(5), received=days_ago(6))

    # An officer may not approve the filing: that is the unit head's.
    wrong = refuse(case, "file", w.users[0], filing(w), guard="role_in_agency")
    assert "承办机构负责人" in wrong.message
    # A legal reviewer is staff of the agency, but not for this step.
    refuse(case, "file", w.reviewer, filing(w), guard="role_in_agency")
    # A unit head of another agency has no power over this agency's case.
    outsider = f.other_agency_user(Role.UNIT_HEAD)
    other = refuse(case, "file", outsider, filing(w), guard="role_in_agency")
    assert w.agency.name in other.message
    assert all(
        not o.allowed and o.refusals[0].guard == "role_in_agency"
        for o in engine.options(case, outsider)
    )

    assert f.fire(case, "file", w.unit_head, filing(w)).status == "investigation"


@guards("state")
def test_state_refuses_service_before_the_decision(w):
    case = f.general_case(w, until="deliberation")

    refusal = refuse(
        case,
        "serve",
        w.users[0],
        {"method": "direct", "recipient": "李四"},
        guard="state",
    )
    assert "负责人审查决定" in refusal.message and "已作出决定" in refusal.message
    unknown = refuse(case, "decide_on_spot", w.users[0], {}, guard="state")
    assert "没有" in unknown.message


# --- 立案 ------------------------------------------------------------------------------------


@guards("limitation")
def test_limitation_two_years_five_with_harm_and_from_the_end_of_a_continuing_act(w):
    found = days_ago(12)
    case = f.register(w, on=days_ago(10), received=found)
    too_old = years_before(found, 2) - timedelta(days=1)

    refusal = refuse(case, "file", w.unit_head, filing(w, act_date=too_old), guard="limitation")
    assert "已超过2年追责时效" in refusal.message and "终了日期" in refusal.message

    # Five years where life, health or financial safety was harmed.
    old = years_before(found, 5) - timedelta(days=1)
    refuse(
        case,
        "file",
        w.unit_head,
        filing(w, act_date=old, safety_harm=True),
        guard="limitation",
    )
    harmful = f.fire(case, "file", w.unit_head, filing(w, act_date=too_old, safety_harm=True))
    assert harmful.status == "investigation" and harmful.safety_harm

    # A continuing act: the period runs from its end.
    other = f.register(w, on=days_ago(10), received=found)
    began = date(2024, 2, 1)
    refuse(other, "file", w.unit_head, filing(w, act_date=began), guard="limitation")
    ended = years_before(found, 2) + timedelta(days=1)
    continuing = f.fire(other, "file", w.unit_head, filing(w, act_date=began, act_ended_on=ended))
    assert continuing.status == "investigation" and continuing.act_ended_on == ended


@guards("item_in_force")
def test_item_in_force_refuses_an_act_before_the_item_took_effect(w):
    new_item = penalty_item(w.agency, code="330217099", effective_from=days_ago(10))
    case = f.register(w, on=days_ago(5), received=days_ago(6))

    refusal = refuse(
        case,
        "file",
        w.unit_head,
        filing(w, item=new_item.pk, act_date=days_ago(60)),
        guard="item_in_force",
    )
    assert "没有有效版本" in refusal.message

    filed = f.fire(case, "file", w.unit_head, filing(w, item=new_item.pk, act_date=days_ago(8)))
    assert filed.item == new_item


@guards("officers_certified")
def test_officers_certified_needs_two_officers_with_valid_certificates(w):
    case = f.register(w, on=days_ago(5), received=days_ago(6))
    lead = w.officers[0]
    category = w.item.versions.get().category

    alone = refuse(
        case, "file", w.unit_head, filing(w, officers=[lead.pk]), guard="officers_certified"
    )
    assert "只有 1 名" in alone.message

    auxiliary = OfficerFactory(agency=w.agency, name="协管员小周", is_auxiliary=True)
    helped = refuse(
        case,
        "file",
        w.unit_head,
        filing(w, officers=[lead.pk, auxiliary.pk]),
        guard="officers_certified",
    )
    assert "执法辅助人员" in helped.message

    lapsed = CertificateFactory(
        officer=OfficerFactory(agency=w.agency, name="孙过期"),
        issued_on=days_ago(2000),
        expires_on=days_ago(1),
        categories=[category],
    ).officer
    expired = refuse(
        case,
        "file",
        w.unit_head,
        filing(w, officers=[lead.pk, lapsed.pk]),
        guard="officers_certified",
    )
    assert "过期" in expired.message

    third = w.officers[2].certificates.get()
    officer_services.certificate_suspend(
        actor=SYSTEM, certificate=third, reason="涉嫌违纪，暂扣证件。", on_date=days_ago(1)
    )
    suspended = refuse(
        case,
        "file",
        w.unit_head,
        filing(w, officers=[lead.pk, w.officers[2].pk]),
        guard="officers_certified",
    )
    assert "暂扣" in suspended.message

    # Later in the case: a recusal leaves one officer, who cannot end the investigation.
    case = f.fire(case, "file", w.unit_head, filing(w))
    f.inspect(w, case)
    case = recuse(w, case, w.officers[1])
    refuse(
        case,
        "end_investigation",
        w.users[0],
        {
            "facts": "未取得许可经营。",
            "evidence_summary": "检查笔录",
            "legal_basis": "食品安全法第一百二十二条",
            "decision_kind": "penalty",
            "penalty_types": ["fine"],
            "fine_amount": "70000",
        },
        guard="officers_certified",
    )


@guards("no_conflict")
def test_no_conflict_refuses_a_recused_officer_at_an_inquiry(w):
    case = f.general_case(w, until="investigation")
    case = recuse(w, case, w.officers[1])
    inquiry = {
        "officers_present": f.ids(w.officers[:2]),
        "person": "李四",
        "relation": "party",
        "place": "询问室",
        "content": "问：……答：……",
    }

    refusal = refuse(case, "record_inquiry", w.users[0], inquiry, guard="no_conflict")
    assert w.officers[1].name in refusal.message and "回避" in refusal.message


@guards("officers_present")
def test_officers_present_needs_two_assigned_certified_officers(w):
    case = f.general_case(w, until="investigation")

    alone = refuse(
        case,
        "record_inspection",
        w.users[0],
        inspection(w, officers_present=[w.officers[0].pk]),
        guard="officers_present",
    )
    assert "不得少于两人" in alone.message
    stranger = refuse(
        case,
        "record_inspection",
        w.users[0],
        inspection(w, officers_present=[w.officers[0].pk, w.officers[2].pk]),
        guard="officers_present",
    )
    assert w.officers[2].name in stranger.message and "承办执法人员" in stranger.message


@guards("recusal_pending")
def test_recusal_pending_without_an_application(w):
    case = f.general_case(w, until="investigation")

    # The page says why the step is not possible; the form has nothing to decide.
    refusals = preview_refusal(case, w.head, "decide_recusal")
    assert [r.guard for r in refusals] == ["recusal_pending"]
    assert refusals[0].citation == GUARDS["recusal_pending"][1]
    invalid(
        case,
        "decide_recusal",
        w.head,
        {"granted": "yes", "reason": "理由成立。"},
        field="recusal",
    )


@guards("head_approved")
def test_head_approved_refuses_preservation_approved_by_a_unit_head(w):
    case = f.general_case(w, until="investigation")

    refusal = refuse(
        case,
        "preserve_evidence",
        w.users[0],
        preservation(w, approved_by=w.unit_head.pk),
        guard="head_approved",
    )
    assert "负责人" in refusal.message
    f.fire(case, "preserve_evidence", w.users[0], preservation(w))


@guards("preservation_pending")
def test_preservation_pending_without_a_preservation(w):
    case = f.general_case(w, until="investigation")

    refuse(
        case,
        "decide_preservation",
        w.users[0],
        {"decision": "release"},
        guard="preservation_pending",
    )


@guards("preservation_decided")
def test_preservation_decided_before_the_investigation_ends(w):
    case = f.general_case(w, until="investigation")
    on = days_ago(1)
    f.fire(case, "preserve_evidence", w.users[0], preservation(w, on=on))
    running = deadlines.running(case, "preservation")
    days = int(rule_value("penalty.evidence_preservation", region_code=w.agency.region.code))
    assert running.due == add_working_days(on, days)

    refusal = refuse(
        case,
        "end_investigation",
        w.users[0],
        {
            "facts": "未取得许可经营。",
            "evidence_summary": "检查笔录",
            "legal_basis": "食品安全法第一百二十二条",
            "decision_kind": "no_penalty",
        },
        guard="preservation_decided",
    )
    due = running.due
    assert f"{due.year}年{due.month}月{due.day}日" in refusal.message


@guards("evidence_present")
def test_evidence_present_refuses_ending_an_investigation_without_evidence(w):
    case = f.register(w, on=days_ago(5), received=days_ago(6))
    case = f.file(w, case, on=days_ago(4), act_date=days_ago(20))
    data = {
        "facts": "未取得许可经营。",
        "evidence_summary": "无",
        "legal_basis": "食品安全法第一百二十二条",
        "decision_kind": "no_penalty",
    }

    refuse(case, "end_investigation", w.users[0], data, guard="evidence_present")

    f.attach(w, case, f.PDF, kind="documentary", title="进货单据", name="进货单.pdf")
    assert f.fire(case, "end_investigation", w.users[0], data).status == "examination"


@guards("recording_attached")
def test_recording_attached_where_the_agency_list_requires_a_recording(w):
    case = f.general_case(w, until="investigation")
    f.av_rule(w, "onsite_inspection", "full")

    refusal = refuse(
        case, "record_inspection", w.users[0], inspection(w), guard="recording_attached"
    )
    assert "全程音像记录" in refusal.message and "本局音像记录事项清单第3项" in refusal.message

    # A written reason why nothing was recorded lets the step pass…
    f.fire(
        case,
        "record_inspection",
        w.users[0],
        inspection(w, no_recording_reason="执法记录仪故障，已报修。"),
    )
    # …and so does the recording itself, attached to the step.
    f.attach(w, case, f.MP4, step="record_inspection")
    f.fire(case, "record_inspection", w.users[0], inspection(w))
    assert case.records.filter(transition="record_inspection").count() == 3


def test_recording_attached_for_service_by_leaving_the_document(w):
    case = f.general_case(w, until="decided")
    f.av_rule(w, "service_leaving", "key")
    data = {"method": "leaving", "recipient": "李四"}

    refuse(case, "serve", w.users[0], data, guard="recording_attached")
    assert f.serve(w, case, method="direct").status == "served"  # other methods need none


@guards("discretion_within")
def test_discretion_within_refuses_a_fine_below_the_benchmark_without_reasons(w):
    case = f.general_case(w, until="examination", fine="30000")  # ordinary: 65000–85000

    refusal = refuse(case, "notify", w.unit_head, guard="discretion_within")
    assert "低于本阶次下限" in refusal.message


@guards("proposal_is_penalty")
def test_proposal_is_penalty_no_notice_for_a_no_penalty_proposal(w):
    case = f.general_case(w, until="investigation")
    case = f.propose(w, case, decision_kind="no_penalty")

    refuse(case, "notify", w.unit_head, guard="proposal_is_penalty")


@guards("review_required")
def test_review_required_refuses_an_unneeded_submission(w):
    case = f.general_case(w, until="examination")

    with f.as_review_service():
        refuse(case, "submit_legal_review", w.users[0], guard="review_required")


@guards("no_open_review")
def test_no_open_review_refuses_a_second_submission(w):
    case = f.general_case(w, until="examination", proposal={"public_interest": True})

    with (
        f.as_review_service(),
        f.review_provider(lambda c, fp: ReviewStatus(True, False, "审核中")),
    ):
        refusal = refuse(case, "submit_legal_review", w.users[0], guard="no_open_review")
    assert "正在进行" in refusal.message
    with f.as_review_service(), f.agreeing_review(case):
        refusal = refuse(case, "submit_legal_review", w.users[0], guard="no_open_review")
    assert "无需重复提交" in refusal.message


@guards("legal_review_agreed")
def test_legal_review_agreed_holds_the_gate_until_an_opinion_covers_the_case_as_it_is(w):
    case = f.general_case(w, until="deliberation", proposal={"public_interest": True})

    refusal = refuse(case, "decide_penalty", w.head, decision(), guard="legal_review_agreed")
    assert "涉及重大公共利益" in refusal.message and "不得作出决定" in refusal.message

    # Evidence added after the opinion: the opinion no longer covers the case.
    with f.agreeing_review(case):
        f.attach(w, case, f.PDF, kind="documentary", title="补充的进货单据", name="补充.pdf")
        refuse(case, "decide_penalty", w.head, decision(), guard="legal_review_agreed")
    # The head decides another fine than the one reviewed.
    with f.agreeing_review(case):
        refuse(case, "decide_penalty", w.head, decision("66000"), guard="legal_review_agreed")
        decided = f.fire(case, "decide_penalty", w.head, decision())
    assert decided.status == "decided"


def test_legal_review_agreed_refuses_when_the_facts_changed_after_the_opinion(w):
    case = f.general_case(w, until="investigation")
    case = f.propose(w, case, decision_kind="no_penalty", public_interest=True)
    reason = {"reason": "违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）。"}

    with f.agreeing_review(case):
        case = f.fire(case, "return_investigation", w.unit_head, {"reason": "补充调查。"})
        case = f.propose(
            w,
            case,
            decision_kind="no_penalty",
            public_interest=True,
            facts="补充调查查明：当事人于某日起在其店内销售散装熟食，货值金额三百元。",
        )
        refuse(case, "decide_no_penalty", w.head, reason, guard="legal_review_agreed")
    with f.agreeing_review(case):
        assert f.fire(case, "decide_no_penalty", w.head, reason).status == "decided"


@guards("hearing_right")
def test_hearing_right_refuses_a_request_where_the_law_gives_none(w):
    # 30000 yuan for an organisation is below the province's 较大数额 (50000).
    case = f.general_case(
        w, until="statement", fine="30000", proposal={"discretion_grade": "mitigated"}
    )

    refuse(case, "request_hearing", w.users[0], guard="hearing_right")


@guards("hearing_not_waived")
def test_hearing_not_waived_refuses_a_second_hearing_waiver(w):
    case = f.general_case(w, until="statement", start=5)
    case = f.fire(case, "waive_hearing", w.users[0], {"statement": "本公司放弃听证。"})

    refusal = refuse(
        case, "waive_hearing", w.users[0], {"statement": "再次放弃。"}, guard="hearing_not_waived"
    )
    assert "已明确放弃听证权利" in refusal.message


@guards("hearing_request_in_time")
def test_hearing_request_in_time_refuses_a_late_request(w):
    case = f.general_case(w, until="statement", start=24)  # notified 20 days ago
    due = deadlines.running(case, "hearing_request").effective_due

    refusal = refuse(case, "request_hearing", w.users[0], guard="hearing_request_in_time")
    assert f"{due.month}月{due.day}日" in refusal.message
    # A request dated before the party was told of the right is no request either.
    refuse(
        case,
        "request_hearing",
        w.users[0],
        {"on": case.notified_on - timedelta(days=1)},
        guard="hearing_request_in_time",
    )
    requested = f.fire(case, "request_hearing", w.users[0], {"on": due})
    assert requested.status == "hearing"


@guards("hearing_not_requested")
def test_hearing_not_requested_refuses_ending_the_statement_over_a_pending_request(w):
    # The engine moves a case to 听证 when the request is recorded, so a pending
    # request in 事先告知 only arises from data entered outside it; the guard is
    # the last line that keeps such a case from being decided without a hearing.
    case = f.general_case(w, until="statement")
    f.waive_statement(w, case, hearing=True)
    Hearing.objects.create(case=case, requested_on=days_ago(1))

    refuse(case, "end_statement", w.unit_head, guard="hearing_not_requested")


@guards("hearing_notice_in_time")
def test_hearing_notice_in_time_needs_seven_working_days(w):
    case = f.hearing_case(w, start=40)
    on, hearing_date = days_ago(30), days_ago(27)

    refusal = refuse(
        case,
        "schedule_hearing",
        w.unit_head,
        {
            "on": on,
            "hearing_date": hearing_date,
            "place": "听证室",
            "presider": w.reviewer.pk,
        },
        guard="hearing_notice_in_time",
    )
    assert "七个工作日前" in refusal.message
    f.schedule(w, case, on=on, hearing_date=days_ago(14))


@guards("presider_not_investigator")
def test_presider_not_investigator_refuses_an_officer_of_the_case(w):
    case = f.hearing_case(w, start=40)

    refusal = refuse(
        case,
        "schedule_hearing",
        w.unit_head,
        {
            "on": days_ago(30),
            "hearing_date": days_ago(14),
            "place": "听证室",
            "presider": w.users[0].pk,
        },
        guard="presider_not_investigator",
    )
    assert w.users[0].name in refusal.message


@guards("actor_is_presider")
def test_actor_is_presider_refuses_a_hearing_held_by_someone_else(w):
    case = f.hearing_case(w, start=40)
    case = f.schedule(w, case, on=days_ago(30), hearing_date=days_ago(14))
    data = {"content": "听证笔录……", "on": days_ago(14)}

    refusal = refuse(case, "hold_hearing", w.unit_head, data, guard="actor_is_presider")
    assert w.reviewer.name in refusal.message
    assert f.fire(case, "hold_hearing", w.reviewer, data).status == "deliberation"


@guards("hearing_scheduled")
def test_hearing_scheduled_refuses_a_hearing_never_notified(w):
    case = f.hearing_case(w, start=40)

    refuse(
        case,
        "hold_hearing",
        w.reviewer,
        {"content": "听证笔录……", "on": days_ago(14)},
        guard="hearing_scheduled",
    )


@guards("statement_heard")
def test_statement_heard_refuses_ending_the_statement_period_early(w, time_machine):
    case = f.general_case(w, until="statement", start=5)  # notified yesterday

    refusal = refuse(case, "end_statement", w.unit_head, guard="statement_heard")
    assert "尚未届满" in refusal.message

    # The party stated its case, but may still ask for a hearing.
    f.fire(
        case,
        "record_statement",
        w.users[0],
        {"content": "没有异议。", "adopted": "rejected", "review_reason": "无新的事实。"},
    )
    refusal = refuse(case, "end_statement", w.unit_head, guard="statement_heard")
    assert "听证申请期限尚未届满" in refusal.message

    # Once the five working days to ask for a hearing have run out, it may end.
    due = deadlines.running(case, "hearing_request").effective_due
    time_machine.move_to(datetime.combine(due + timedelta(days=1), time(10), tzinfo=BEIJING))
    assert f.fire(case, "end_statement", w.unit_head).status == "deliberation"


def test_statement_waiver_alone_does_not_waive_the_hearing(w, time_machine):
    # 放弃陈述、申辩 is not 放弃听证: with a hearing right, the five working days
    # to ask for one must run out first (行政处罚法 第六十四条第一项, APL-28).
    case = f.general_case(w, until="statement", start=5)  # notified yesterday
    assert case.hearing_right
    case = f.waive_statement(w, case, hearing=False)
    assert case.statement_waived and not case.hearing_waived
    due = deadlines.running(case, "hearing_request").effective_due

    refusal = refuse(case, "end_statement", w.unit_head, guard="statement_heard")
    assert "听证申请期限尚未届满" in refusal.message
    assert "未明确放弃听证权利" in refusal.message
    assert f"{due.year}年{due.month}月{due.day}日" in refusal.message
    shown = preview_refusal(case, w.unit_head, "end_statement")
    assert shown and [r.guard for r in shown] == ["statement_heard"]

    # Entered after the window, but dated inside it: still refused.
    time_machine.move_to(datetime.combine(due + timedelta(days=1), time(10), tzinfo=BEIJING))
    refuse(case, "end_statement", w.unit_head, {"on": due}, guard="statement_heard")
    assert f.fire(case, "end_statement", w.unit_head).status == "deliberation"


def test_an_express_hearing_waiver_lets_the_statement_step_end_at_once(w):
    from zhifa.cases.documents import build_content

    case = f.general_case(w, until="statement", start=5)  # notified yesterday
    case = f.fire(
        case,
        "waive_statement",
        w.users[0],
        {"statement": "本公司放弃陈述、申辩和要求听证的权利。", "waives_hearing": "on"},
    )

    assert case.statement_waived and case.hearing_waived
    assert case.records.get(transition="waive_statement").data["waives_hearing"] is True
    case = f.fire(case, "end_statement", w.unit_head)
    assert case.status == "deliberation"
    assert Deadline.objects.get(case=case, code="hearing_request").stopped_on == f.TODAY
    content = build_content(case, "penalty_decision", {})
    assert content["statement_review"] == "当事人明确放弃陈述、申辩和要求听证的权利。"


def test_a_hearing_waiver_is_refused_where_the_party_has_no_hearing_right(w):
    from zhifa.cases.forms import FORMS

    # 30000 yuan for an organisation is below the province's 较大数额 (50000).
    case = f.general_case(
        w, until="statement", fine="30000", proposal={"discretion_grade": "mitigated"}
    )
    assert not case.hearing_right
    assert "waives_hearing" not in FORMS["waiver"](case=case).fields  # not offered

    message = invalid(
        case,
        "waive_statement",
        w.users[0],
        {"statement": "本公司放弃陈述、申辩和听证。", "waives_hearing": True},
        field="waives_hearing",
    )
    assert "同时放弃听证权利" in message and "不享有听证权利" in message
    assert "第六十三条" in message

    # Without it the waiver is recorded, and with no hearing right there is no window to wait for.
    case = f.waive_statement(w, case)
    assert case.statement_waived and not case.hearing_waived
    assert f.fire(case, "end_statement", w.unit_head).status == "deliberation"


def test_the_waiver_page_offers_the_hearing_waiver_only_with_a_hearing_right(client, w):
    from django.urls import reverse

    client.force_login(w.users[0])
    with_right = f.general_case(w, until="statement", start=5)
    without = f.general_case(
        w, until="statement", fine="30000", proposal={"discretion_grade": "mitigated"}
    )

    for case, offered in ((with_right, True), (without, False)):
        url = reverse("cases:transition", args=[case.pk, "waive_statement"])
        text = client.get(url).content.decode()
        assert ("同时放弃听证权利" in text) is offered
        assert ('name="waives_hearing"' in text) is offered


@guards("notice_given")
def test_notice_given_refuses_a_decision_without_the_statement_heard(w):
    # The province has not set a statement period (APL-37): without the party's
    # statement or waiver on record, the notice is not complete. The hearing
    # does not replace it.
    RuleOverride.objects.filter(rule_id="penalty.statement_period").delete()
    case = f.hearing_case(w, start=40)
    case = f.schedule(w, case, on=days_ago(30), hearing_date=days_ago(14))
    case = f.fire(case, "hold_hearing", w.reviewer, {"content": "听证笔录……", "on": days_ago(14)})

    refusal = refuse(case, "decide_penalty", w.head, decision(), guard="notice_given")
    assert "陈述申辩" in refusal.message


@guards("not_heavier")
def test_not_heavier_refuses_a_higher_fine_or_an_added_penalty(w):
    case = f.general_case(w, until="deliberation")  # notified: fine of 70000

    higher = refuse(case, "decide_penalty", w.head, decision("80000"), guard="not_heavier")
    assert "80000" in higher.message and "70000" in higher.message
    added = refuse(
        case,
        "decide_penalty",
        w.head,
        decision(types=("fine", "confiscate_gains"), confiscation_amount="1200"),
        guard="not_heavier",
    )
    assert "没收违法所得" in added.message


def test_not_heavier_refuses_a_higher_confiscation_than_notified(w):
    case = f.general_case(
        w,
        until="deliberation",
        proposal={"penalty_types": ["fine", "confiscate_gains"], "confiscation_amount": "1200"},
    )
    both = ("fine", "confiscate_gains")

    refusal = refuse(
        case,
        "decide_penalty",
        w.head,
        decision(types=both, confiscation_amount="5000"),
        guard="not_heavier",
    )
    assert "没收的金额5000" in refusal.message
    decided = f.fire(
        case, "decide_penalty", w.head, decision(types=both, confiscation_amount="1200")
    )
    assert decided.confiscation_amount == Decimal("1200")


@guards("collective_if_serious")
def test_collective_if_serious_needs_the_collective_discussion(w):
    case = f.general_case(w, until="deliberation", proposal={"complex_or_serious": True})

    refuse(case, "decide_penalty", w.head, decision(), guard="collective_if_serious")

    f.fire(
        case,
        "collective_discussion",
        w.head,
        {"participants": "局领导班子", "discussion": "……", "conclusion": "同意。"},
    )
    assert f.fire(case, "decide_penalty", w.head, decision()).status == "decided"


@guards("decision_fields")
def test_decision_fields_refuses_a_decision_without_the_party_address(w):
    no_address = {k: v for k, v in PERSON.items() if k != "address"}
    case = f.general_case(w, until="deliberation", party=no_address)

    refusal = refuse(case, "decide_penalty", w.head, decision(), guard="decision_fields")
    assert "当事人的地址" in refusal.message


def test_decision_fields_refuses_a_no_penalty_decision_without_the_party_address(w):
    # The no-penalty decision is checked when it is issued: a clean refusal,
    # not an error, and nothing written.
    no_address = {k: v for k, v in PERSON.items() if k != "address"}
    case = f.general_case(w, until="investigation", party=no_address)
    case = f.propose(w, case, decision_kind="no_penalty")

    refusal = refuse(
        case,
        "decide_no_penalty",
        w.head,
        {"reason": "违法行为轻微并及时改正，没有造成危害后果。"},
        guard="decision_fields",
    )
    assert "不予行政处罚决定书" in refusal.message and "当事人的地址" in refusal.message


@guards("decided_first")
def test_decided_first_no_service_before_a_decision(w):
    # The engine refuses by state first ("state"); the guard is the second line.
    case = f.general_case(w, until="deliberation")
    ctx = GuardContext(
        case=case,
        transition=PENALTY_GENERAL.transition("serve"),
        actor=w.users[0],
        data={"on": days_ago(0)},
        today=days_ago(0),
    )

    assert "尚未作出决定" in GUARD_FUNCTIONS["decided_first"](ctx)
    refuse(case, "serve", w.users[0], {"method": "direct", "recipient": "李四"}, guard="state")


@guards("served_after_decision")
def test_served_after_decision_no_service_dated_before_the_decision(w):
    case = f.general_case(w, until="decided")
    before = case.decided_on - timedelta(days=1)
    ctx = GuardContext(
        case=case,
        transition=PENALTY_GENERAL.transition("serve"),
        actor=w.users[0],
        data={"on": before, "method": "direct"},
        today=days_ago(0),
    )

    assert "早于决定日期" in GUARD_FUNCTIONS["served_after_decision"](ctx)
    # Through the engine the date field refuses it first.
    message = invalid(
        case,
        "serve",
        w.users[0],
        {"method": "direct", "recipient": "李四", "on": before},
        field="on",
    )
    assert "不能早于决定日期" in message


@guards("e_service_consent")
def test_e_service_consent_needs_the_signed_confirmation(w):
    case = f.general_case(w, until="decided")
    data = {"method": "electronic", "recipient": "bd-shop@example.com"}

    refuse(case, "serve", w.users[0], data, guard="e_service_consent")

    consent = f.attach(
        w, case, f.PDF, kind="documentary", title="送达地址确认书", name="确认书.pdf"
    )
    served = f.fire(case, "serve", w.users[0], data | {"consent": consent.pk})
    assert served.status == "served" and served.e_service_consent


@guards("payment_at_bank")
def test_payment_at_bank_refuses_collection_by_the_deciding_agency(w):
    case = f.general_case(w, until="served")

    refusal = refuse(
        case,
        "record_payment",
        w.users[1],
        {"amount": "70000", "channel": "on_spot", "receipt_number": "X1"},
        guard="payment_at_bank",
    )
    assert "指定银行" in refusal.message


@guards("amount_outstanding")
def test_amount_outstanding_refuses_paying_more_than_is_owed(w):
    case = f.general_case(w, until="served")
    data = {"amount": "70000.01", "channel": "bank", "receipt_number": "PZ9"}

    refusal = refuse(case, "record_payment", w.users[1], data, guard="amount_outstanding")
    assert "超过尚欠金额70000" in refusal.message

    f.pay(w, case, "70000")
    paid = refuse(
        case,
        "record_payment",
        w.users[1],
        data | {"amount": "1"},
        guard="amount_outstanding",
    )
    assert "已全部缴清" in paid.message


@guards("fine_imposed")
def test_fine_imposed_refuses_a_payment_on_a_warning(w):
    case = f.decide_on_spot(w, f.summary_case(w), types=("warning",))

    refuse(
        case,
        "record_payment",
        w.users[1],
        {"amount": "50", "channel": "bank", "receipt_number": "PZ1"},
        guard="fine_imposed",
    )


@guards("payment_overdue")
def test_payment_overdue_refuses_court_enforcement_within_the_payment_period(w):
    case = f.general_case(w, until="served")

    refusal = refuse(
        case,
        "apply_court_enforcement",
        w.head,
        {"court": "本溪满族自治县人民法院"},
        guard="payment_overdue",
    )
    assert "尚未届满" in refusal.message


@guards("surcharge_running")
def test_surcharge_running_refuses_pausing_twice(w):
    case = f.general_case(w, until="served", start=40)
    data = {"kind": "reconsideration", "body": "本溪县人民政府", "on": days_ago(5)}
    f.fire(case, "pause_surcharge", w.unit_head, data)

    refuse(case, "pause_surcharge", w.unit_head, data, guard="surcharge_running")


@guards("surcharge_paused")
def test_surcharge_paused_refuses_resuming_what_never_paused(w):
    case = f.general_case(w, until="served")

    refuse(case, "resume_surcharge", w.unit_head, guard="surcharge_paused")


@guards("executed")
def test_executed_refuses_closing_with_the_fine_unpaid(w):
    case = f.general_case(w, until="served")

    refusal = refuse(case, "close", w.unit_head, {"opinion": "结案"}, guard="executed")
    assert "尚欠70000" in refusal.message


@guards("documents_issued")
def test_documents_issued_refuses_archiving_with_a_draft(w):
    from zhifa.cases.documents import create_document

    case = f.general_case(w, until="closed")
    create_document(
        case,
        "inquiry_record",
        transition="record_inquiry",
        data={"person": "李四"},
        actor=w.users[0],
    )

    refusal = refuse(case, "archive", w.users[0], guard="documents_issued")
    assert "询问笔录" in refusal.message


@guards("summary_eligible")
@pytest.mark.parametrize("party", [PERSON, COMPANY], ids=["natural", "organisation"])
def test_summary_eligible_refuses_one_yuan_over_the_limit(w, party):
    rule = (
        "penalty.summary_fine_citizen" if party is PERSON else "penalty.summary_fine_organisation"
    )
    over = rule_value(rule, region_code=w.agency.region.code) + 1  # 201 or 3001
    case = f.summary_case(w, party=party)
    data = {
        "item": w.item.pk,
        "officers_present": f.ids(w.officers[:2]),
        "facts": "当事人在禁止区域占道经营。",
        "legal_basis": "《某省市容和环境卫生管理条例》第二十条",
        "penalty_types": ["fine"],
        "fine_amount": str(over),
        "place": "路口",
    }

    refusal = refuse(case, "decide_on_spot", w.users[0], data, guard="summary_eligible")
    assert f"{over}元应适用普通程序" in refusal.message
    # Only a warning or a fine may be imposed on the spot: the form offers nothing else.
    invalid(
        case,
        "decide_on_spot",
        w.users[0],
        data | {"penalty_types": ["fine", "confiscate_gains"], "fine_amount": "50"},
        field="penalty_types",
    )


@guards("onsite_collection_allowed")
def test_onsite_collection_allowed_refuses_a_fine_over_100_yuan_as_small(w):
    case = f.decide_on_spot(w, f.summary_case(w), fine="150")
    data = {"amount": "150", "ground": "small", "receipt_number": "辽财票0001"}

    refusal = refuse(case, "collect_on_spot", w.users[0], data, guard="onsite_collection_allowed")
    assert "一百元以下" in refusal.message
    # Where collecting later would be hard, the law allows it (第六十八条第二项).
    assert f.fire(case, "collect_on_spot", w.users[0], data | {"ground": "hard"}).collected_on_spot


@guards("cash_held")
def test_cash_held_refuses_a_handover_when_nothing_was_collected_on_the_spot(w):
    case = f.decide_on_spot(w, f.summary_case(w), fine="50")
    data = {"received_by": "财务科王某", "voucher": "JJ-002"}

    refusal = refuse(case, "hand_over_cash", w.users[0], data, guard="cash_held")
    assert "当场收缴" in refusal.message


@guards("extension_basis")
def test_extension_basis_needs_a_running_deadline_and_a_written_basis(w):
    case = f.general_case(w, until="investigation")
    invalid(case, "extend_deadline", w.head, {"days": 30, "basis": "  "}, field="basis")
    deadlines.stop(case, "decide", days_ago(0))

    refusal = refuse(
        case,
        "extend_deadline",
        w.head,
        {"days": 30, "basis": "《市场监督管理行政处罚程序规定》第六十四条"},
        guard="extension_basis",
    )
    assert "没有正在计算的办案期限" in refusal.message


@guards("outcome_recordable")
def test_outcome_recordable_refuses_an_outcome_after_revocation(w):
    case = f.general_case(w, until="served")
    data = {"kind": "revoked", "body": "本溪县人民政府", "reference": "本县政复决〔2026〕1号"}
    f.fire(case, "record_outcome", w.unit_head, data)

    refusal = refuse(
        case,
        "record_outcome",
        w.unit_head,
        data | {"kind": "changed"},
        guard="outcome_recordable",
    )
    assert "撤销" in refusal.message


@guards("party_old_enough")
def test_party_old_enough_refuses_a_penalty_on_a_child(w):
    child = {
        "kind": "natural",
        "name": "小明",
        "birth_date": days_ago(0).replace(year=days_ago(0).year - 12),
        "address": "本溪县小市镇某村2号",
    }
    case = f.summary_case(w, party=child)
    data = {
        "item": w.item.pk,
        "officers_present": f.ids(w.officers[:2]),
        "facts": "在禁止区域燃放烟花爆竹。",
        "legal_basis": "某条例第十条",
        "penalty_types": ["warning"],
        "place": "路口",
    }

    refusal = refuse(case, "decide_on_spot", w.users[0], data, guard="party_old_enough")
    assert "小明" in refusal.message


# --- coverage of the definitions -----------------------------------------------------------


def used_guards() -> set[str]:
    codes = {"role_in_agency"}  # the engine checks it for every transition
    for procedure in executable():
        for t in procedure.transitions:
            codes.update(t.guards)
    return codes


def test_every_guard_has_a_refusal_test():
    engine.check_definitions()
    assert set(GUARD_TESTS) - {"state"} == used_guards()
    for name in GUARD_TESTS.values():
        assert callable(globals()[name])


# --- bad input ----------------------------------------------------------------------------


def test_wrong_amounts_are_refused_by_field(w):
    case = f.general_case(w, until="investigation")
    proposal = {
        "facts": "未取得许可经营。",
        "evidence_summary": "检查笔录",
        "legal_basis": "食品安全法第一百二十二条",
        "decision_kind": "penalty",
        "penalty_types": ["fine"],
    }
    for fine, expected in (
        ("-1", "大于或等于0"),
        ("七万元", "输入一个数字"),
        ("1.234", "小数不超过 2 位"),
        ("0", "须填写大于零的罚款金额"),
        ("", "须填写大于零的罚款金额"),
    ):
        message = invalid(
            case,
            "end_investigation",
            w.users[0],
            proposal | {"fine_amount": fine},
            field="fine_amount",
        )
        assert expected in message, (fine, message)
    without_type = proposal | {"penalty_types": ["warning"], "fine_amount": "500"}
    message = invalid(case, "end_investigation", w.users[0], without_type, field="fine_amount")
    assert "未选罚款" in message
    invalid(
        case,
        "end_investigation",
        w.users[0],
        proposal | {"penalty_types": [], "fine_amount": ""},
        field="penalty_types",
    )


def test_wrong_amounts_in_a_decision_and_a_payment(w):
    case = f.general_case(w, until="deliberation")
    invalid(case, "decide_penalty", w.head, decision("-70000"), field="fine_amount")
    invalid(case, "decide_penalty", w.head, decision(""), field="fine_amount")
    invalid(case, "decide_penalty", w.head, decision(types=("unknown",)), field="penalty_types")

    case = f.general_case(w, until="served")
    for amount in ("0", "-5", "十元", "1.234"):
        invalid(
            case,
            "record_payment",
            w.users[1],
            {"amount": amount, "channel": "bank", "receipt_number": "PZ1"},
            field="amount",
        )
    summary = f.summary_case(w)
    invalid(
        summary,
        "decide_on_spot",
        w.users[0],
        {
            "item": w.item.pk,
            "officers_present": f.ids(w.officers[:2]),
            "facts": "占道经营。",
            "legal_basis": "某条例",
            "penalty_types": ["fine"],
            "fine_amount": "-50",
            "place": "路口",
        },
        field="fine_amount",
    )


def test_dates_before_the_filing_or_in_the_future_are_refused(w):
    case = f.general_case(w, until="investigation")  # filed 11 days ago

    early = invalid(
        case,
        "record_inspection",
        w.users[0],
        inspection(w, on=case.filed_on - timedelta(days=1)),
        field="on",
    )
    assert "不能早于立案日期" in early
    future = invalid(
        case, "record_inspection", w.users[0], inspection(w, on=days_ago(-1)), field="on"
    )
    assert "不能晚于今天" in future

    registered = f.register(w, on=days_ago(5), received=days_ago(6))
    before = invalid(registered, "file", w.unit_head, filing(w, on=days_ago(6)), field="on")
    assert "不能早于案件登记日期" in before
    act = invalid(
        registered,
        "file",
        w.unit_head,
        filing(w, on=days_ago(3), act_date=days_ago(2)),
        field="act_date",
    )
    assert "不能晚于立案日期" in act
    invalid(
        registered,
        "file",
        w.unit_head,
        filing(w, act_date=days_ago(20), act_ended_on=days_ago(30)),
        field="act_ended_on",
    )


def test_a_hearing_date_on_or_before_the_notice_is_refused(w):
    case = f.hearing_case(w, start=40)

    invalid(
        case,
        "schedule_hearing",
        w.unit_head,
        {
            "on": days_ago(30),
            "hearing_date": days_ago(31),
            "place": "听证室",
            "presider": w.reviewer.pk,
        },
        field="hearing_date",
    )


def test_evidence_of_the_wrong_kind_or_type_is_refused(w):
    case = f.general_case(w, until="investigation")
    evidence = CaseEvidence.objects.filter(case=case).count()
    attached = Entry.objects.filter(action="case.evidence_added").count()

    with pytest.raises(InvalidInput) as caught:
        f.attach(w, case, f.PDF, kind="audiovisual", title="所谓的录像", name="录像.pdf")
    assert "视听资料须为音频、视频或图片" in caught.value.errors["kind"][0]
    with pytest.raises(InvalidInput) as caught:
        f.attach(w, case, f.MP4, kind="video")
    assert "证据种类应为" in caught.value.errors["kind"][0]
    with pytest.raises(EvidenceError) as caught:
        f.attach(w, case, f.ZIP, kind="documentary", title="压缩包", name="材料.zip")
    assert caught.value.code == "type" and CJK.search(str(caught.value))

    assert CaseEvidence.objects.filter(case=case).count() == evidence
    assert Entry.objects.filter(action="case.evidence_added").count() == attached


def test_evidence_of_the_wrong_kind_leaves_no_ledger_record(w):
    case = f.general_case(w, until="investigation")
    entries = Entry.objects.count()

    with pytest.raises(InvalidInput):
        f.attach(w, case, f.PDF, kind="audiovisual", title="所谓的录像", name="录像.pdf")

    assert Entry.objects.count() == entries


def test_evidence_by_another_agency_or_on_a_closed_case_is_refused(w):
    case = f.general_case(w, until="investigation")
    outsider = f.other_agency_user(Role.OFFICER)
    with pytest.raises(TransitionRefused) as caught:
        services.add_evidence(
            actor=outsider, case=case, file=ContentFile(f.PDF), kind="documentary", title="x"
        )
    assert caught.value.guards == ["role_in_agency"]

    closed = f.general_case(w, until="closed")
    with pytest.raises(InvalidInput) as caught:
        f.attach(w, closed, f.PDF, kind="documentary", title="迟到的证据", name="a.pdf")
    assert "不能再附入证据" in caught.value.errors["case"][0]


def test_double_submission_of_the_same_form_is_refused_and_changes_nothing(w):
    case = f.general_case(w, until="served")
    data = {"amount": "100", "channel": "bank", "receipt_number": "PZ100"}
    engine.fire(case, "record_payment", w.users[1], data, submission_key="pay-PZ100")

    before = snapshot(case)
    with pytest.raises(DuplicateSubmission) as caught:
        engine.fire(case, "record_payment", w.users[1], data, submission_key="pay-PZ100")
    assert caught.value.guards == ["duplicate"] and "已经提交过" in caught.value.messages[0]
    assert snapshot(case) == before
    assert Payment.objects.filter(case=case).count() == 1
    assert Case.objects.get(pk=case.pk).paid_amount == Decimal("100")


def test_a_refused_step_writes_no_document_and_no_number(w):
    case = f.general_case(w, until="deliberation")
    numbers = list(Document.objects.exclude(number="").values_list("number", flat=True))

    refuse(case, "decide_penalty", w.head, decision("90000"), guard="not_heavier")

    assert list(Document.objects.exclude(number="").values_list("number", flat=True)) == numbers
    decided = f.fire(case, "decide_penalty", w.head, decision())
    assert decided.decision_number.endswith("1号")  # the refused attempt used no number


def test_a_party_that_made_its_statement_can_waive_only_the_hearing(w):
    from zhifa.cases.documents import build_content

    case = f.general_case(w, until="statement", start=5)  # notified yesterday
    statement = {
        "content": "当事人称系初次经营。",
        "adopted": "rejected",
        "review_reason": "不影响违法事实的认定。",
    }
    case = f.fire(case, "record_statement", w.users[0], statement)
    refuse(case, "end_statement", w.unit_head, guard="statement_heard")  # the window runs

    case = f.fire(
        case, "waive_hearing", w.users[0], {"statement": "本公司已陈述申辩，放弃要求听证。"}
    )

    assert case.hearing_waived and not case.statement_waived
    assert f.fire(case, "end_statement", w.unit_head).status == "deliberation"
    text = build_content(case, "penalty_decision", {})["statement_review"]
    assert text.endswith("当事人明确放弃要求听证的权利。")


def test_a_hearing_waiver_is_not_offered_without_a_hearing_right(w):
    case = f.general_case(
        w, until="statement", fine="30000", proposal={"discretion_grade": "mitigated"}
    )

    refuse(case, "waive_hearing", w.users[0], {"statement": "放弃听证。"}, guard="hearing_right")


def test_a_request_inside_the_window_withdraws_an_earlier_hearing_waiver(w):
    # 第六十四条 gives five working days to ask; nothing in it makes a waiver
    # irrevocable inside them, so the request is taken and the waiver falls.
    case = f.general_case(w, until="statement", start=5)
    case = f.waive_statement(w, case, hearing=True)
    assert case.hearing_waived

    case = f.fire(case, "request_hearing", w.users[0], {})

    assert case.status == "hearing" and not case.hearing_waived
    assert Hearing.objects.filter(case=case, held=False).exists()


def test_a_role_refusal_cites_the_article_that_names_who_decides(w):
    # 行政处罚法 第四十三条第三款: the agency head decides a recusal application.
    case = f.general_case(w, until="investigation")
    f.fire(
        case,
        "declare_recusal",
        w.unit_head,
        {"officer": w.officers[0].pk, "raised_by": "self", "reason": "系当事人的亲属。"},
    )
    recusal = Recusal.objects.get(case=case)
    decision = {"recusal": recusal.pk, "granted": "yes", "reason": "理由成立。"}

    refusal = refuse(case, "decide_recusal", w.unit_head, decision, guard="role_in_agency")

    assert refusal.citation == "《中华人民共和国行政处罚法》第四十三条第三款"
    assert "机关负责人" in refusal.message
    # Where the law names nobody, the general source of the role guard stands.
    refusal = refuse(case, "extend_deadline", w.users[0], guard="role_in_agency")
    assert refusal.citation == GUARDS["role_in_agency"][1]
