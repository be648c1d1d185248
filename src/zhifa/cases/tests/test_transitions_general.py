"""Every transition of 行政处罚普通程序 (penalty.general), fired from a realistic
state: the state it leads to, what it does to the case, the documents it
issues, the deadlines it starts and stops, and its ledger record.

`COVERED` maps each transition code to the test that fires it; the last test
checks that it names every transition of the definition.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from zhifa.cases import engine, events
from zhifa.cases.models import (
    Case,
    CaseOfficer,
    CaseRecord,
    Document,
    Hearing,
    Payment,
    PaymentPlan,
    Recusal,
    RemedyPeriod,
)
from zhifa.cases.selectors import money
from zhifa.cases.tests import factories as f
from zhifa.cases.tests.factories import days_ago
from zhifa.ledger import canonical
from zhifa.ledger.models import Entry
from zhifa.procedures import PENALTY_GENERAL, executable
from zhifa.rules.services import rule_value
from zhifa.workdays.calendar import add_days, add_working_days

pytestmark = pytest.mark.django_db

COVERED: dict[str, str] = {}


def covers(*codes: str):
    def wrap(fn):
        for code in codes:
            COVERED[code] = fn.__name__
        return fn

    return wrap


@pytest.fixture
def w(time_machine, monkeypatch):
    f.freeze(time_machine)
    monkeypatch.setattr("zhifa.cases.documents.services.render_docx", f.quick_docx)
    return f.world()


def recorded(case: Case, code: str) -> CaseRecord:
    """The step's timeline record, whose ledger entry carries the definition's action."""
    t = PENALTY_GENERAL.transition(code)
    record = CaseRecord.objects.filter(case=case, transition=code).latest("id")
    assert record.entry.action == t.ledger_action
    assert record.entry.subject_id == str(case.pk)
    assert record.entry.agency_id == case.agency_id
    return record


def issued(case: Case, doc_type: str) -> Document:
    return Document.objects.get(case=case, doc_type=doc_type, status=Document.Status.ISSUED)


def deadline(case: Case, code: str):
    return case.deadlines.filter(code=code).latest("id")


def region(case: Case) -> str:
    return case.agency.region.code


# --- 立案 ------------------------------------------------------------------------------


@covers("file")
def test_file_opens_the_investigation_and_starts_the_90_day_deadline(w):
    case = f.register(w, on=days_ago(10), received=days_ago(12))

    case = f.file(w, case, on=days_ago(8), act_date=days_ago(40))

    assert case.status == "investigation" and case.filed_on == days_ago(8)
    assert case.item == w.item and case.item_version == w.item.version_on(days_ago(40))
    officers = CaseOfficer.objects.filter(case=case)
    assert {o.officer for o in officers} == set(w.officers[:2])
    assert officers.get(is_lead=True).officer == w.officers[0] and case.handler == w.users[0]
    assert issued(case, "filing_approval").number.startswith("本县市监立〔2026〕")
    decide = deadline(case, "decide")
    assert decide.started_on == case.filed_on
    assert decide.due == case.filed_on + timedelta(days=90) and decide.stopped_on is None
    record = recorded(case, "file")
    assert (record.from_state, record.to_state) == ("registered", "investigation")


@covers("decline")
def test_decline_ends_the_case_without_filing(w):
    case = f.register(w, on=days_ago(3), received=days_ago(5))

    case = f.fire(case, "decline", w.unit_head, {"reason": "举报事项不属实，不符合立案标准。"})

    assert case.status == "not_filed" and case.filed_on is None
    assert not case.deadlines.exists()
    assert recorded(case, "decline").data["reason"] == "举报事项不属实，不符合立案标准。"
    assert engine.options(case, w.unit_head) == []  # a terminal state


# --- 调查取证 --------------------------------------------------------------------------


@covers("record_inquiry")
def test_record_inquiry_issues_the_inquiry_record(w):
    case = f.general_case(w, until="investigation")
    data = {
        "officers_present": f.ids(w.officers[:2]),
        "person": "李四",
        "relation": "party",
        "place": "本县市场监督管理局询问室",
        "content": "问：你店销售的散装熟食是否取得食品经营许可？答：没有。",
    }

    after = f.fire(case, "record_inquiry", w.users[0], data)

    assert after.status == "investigation"
    doc = issued(case, "inquiry_record")
    assert doc.content["person"] == "李四" and "没有" in doc.content["content"]
    assert recorded(case, "record_inquiry").to_state == "investigation"


@covers("record_inspection")
def test_record_inspection_issues_the_site_record(w):
    case = f.register(w, on=days_ago(5), received=days_ago(6))
    case = f.file(w, case, on=days_ago(4), act_date=days_ago(20))

    f.inspect(w, case, on=days_ago(3))

    assert Case.objects.get(pk=case.pk).status == "investigation"
    assert issued(case, "onsite_inspection_record").content["place"] == "本溪县小市镇商业街8号"
    assert recorded(case, "record_inspection").data["content"] == "现场发现散装熟食待售。"


@covers("preserve_evidence")
def test_preserve_evidence_starts_the_7_working_day_deadline(w):
    case = f.general_case(w, until="investigation")
    on = days_ago(2)
    data = {
        "officers_present": f.ids(w.officers[:2]),
        "items": "散装熟食12盒",
        "place": "当事人店内冷柜",
        "approved_by": w.head.pk,
        "on": on,
    }

    f.fire(case, "preserve_evidence", w.users[0], data)

    assert issued(case, "preservation_notice")
    d = deadline(case, "preservation")
    days = int(rule_value("penalty.evidence_preservation", region_code=region(case)))
    assert d.started_on == on and d.due == add_working_days(on, days) and d.stopped_on is None
    assert recorded(case, "preserve_evidence")


@covers("decide_preservation")
def test_decide_preservation_stops_the_preservation_deadline(w):
    case = f.general_case(w, until="investigation")
    f.fire(
        case,
        "preserve_evidence",
        w.users[0],
        {
            "officers_present": f.ids(w.officers[:2]),
            "items": "散装熟食12盒",
            "place": "当事人店内冷柜",
            "approved_by": w.head.pk,
            "on": days_ago(3),
        },
    )

    f.fire(case, "decide_preservation", w.users[0], {"decision": "release", "on": days_ago(1)})

    assert deadline(case, "preservation").stopped_on == days_ago(1)
    assert recorded(case, "decide_preservation").data["decision"] == "release"


@covers("declare_recusal")
def test_declare_recusal_records_a_pending_application(w):
    case = f.general_case(w, until="investigation")
    data = {
        "officer": w.officers[1].pk,
        "raised_by": "party",
        "reason": "执法人员与当事人系近亲属。",
    }

    f.fire(case, "declare_recusal", w.unit_head, data)

    recusal = Recusal.objects.get(case=case)
    assert recusal.officer == w.officers[1] and recusal.granted is None
    assert recorded(case, "declare_recusal")


@covers("decide_recusal")
def test_decide_recusal_granted_removes_the_officer_from_the_case(w):
    case = f.general_case(w, until="investigation")
    f.fire(
        case,
        "declare_recusal",
        w.unit_head,
        {"officer": w.officers[0].pk, "raised_by": "self", "reason": "系当事人的亲属。"},
    )
    recusal = Recusal.objects.get(case=case)

    case = f.fire(
        case,
        "decide_recusal",
        w.head,
        {"recusal": recusal.pk, "granted": "yes", "reason": "理由成立。"},
    )

    recusal.refresh_from_db()
    assert recusal.granted is True and recusal.decided_by == w.head
    assignment = CaseOfficer.objects.get(case=case, officer=w.officers[0])
    assert assignment.removed_on is not None and assignment.removed_reason == "决定回避"
    assert case.handler is None  # the lead was the one recused
    assert recorded(case, "decide_recusal")


@covers("extend_deadline")
def test_extend_deadline_moves_the_decision_deadline_with_its_basis(w):
    case = f.general_case(w, until="examination")
    before = deadline(case, "decide")
    basis = "《市场监督管理行政处罚程序规定》第六十四条，经负责人批准延长三十日。"

    f.fire(case, "extend_deadline", w.head, {"days": 30, "basis": basis})

    after = deadline(case, "decide")
    assert after.pk == before.pk
    assert after.extended_to == add_days(before.effective_due, 30)
    assert after.effective_due == after.extended_to and basis in after.extension_basis
    assert recorded(case, "extend_deadline")


@covers("end_investigation")
def test_end_investigation_records_the_proposal_and_the_report(w):
    case = f.general_case(w, until="investigation")

    case = f.propose(w, case, fine="70000", complex_or_serious=True)

    assert case.status == "examination"
    assert case.decision_kind == "penalty" and case.penalty_types == ["fine"]
    assert case.fine_amount == Decimal("70000") and case.discretion_standard == w.standard
    assert case.complex_or_serious and "食品经营许可" in case.facts
    assert issued(case, "investigation_report")
    assert recorded(case, "end_investigation").from_state == "investigation"


@covers("return_investigation")
def test_return_investigation_sends_the_case_back(w):
    case = f.general_case(w, until="examination")

    case = f.fire(case, "return_investigation", w.unit_head, {"reason": "货值金额需补充证据。"})

    assert case.status == "investigation"
    assert recorded(case, "return_investigation").to_state == "investigation"


@covers("submit_legal_review")
def test_submit_legal_review_sends_the_fingerprint_after_commit(
    w, django_capture_on_commit_callbacks
):
    from zhifa.cases.selectors import decision_fingerprint

    case = f.general_case(w, until="examination", proposal={"public_interest": True})
    sent = []
    events.legal_review_requested.connect(
        lambda sender, **kw: sent.append(kw), weak=False, dispatch_uid="t-review"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True), f.as_review_service():
            f.fire(case, "submit_legal_review", w.users[0])
    finally:
        events.legal_review_requested.disconnect(dispatch_uid="t-review")

    assert Case.objects.get(pk=case.pk).status == "examination"
    assert len(sent) == 1 and sent[0]["case"].pk == case.pk
    assert sent[0]["fingerprint"] == decision_fingerprint(case)
    assert recorded(case, "submit_legal_review")


# --- 事先告知、陈述申辩、听证 ----------------------------------------------------------------


@covers("notify")
def test_notify_with_a_hearing_right_issues_both_notices_and_starts_both_periods(w):
    case = f.general_case(w, until="examination", fine="70000")  # 较大数额 for an organisation
    on = days_ago(1)

    case = f.fire(case, "notify", w.unit_head, {"on": on})

    assert case.status == "statement" and case.notified_on == on
    assert case.notified_fine == Decimal("70000") and case.notified_types == ["fine"]
    assert case.hearing_right
    assert issued(case, "prior_notice") and issued(case, "hearing_rights_notice")
    statement_days = int(rule_value("penalty.statement_period", region_code=region(case)))
    assert deadline(case, "statement").due == add_working_days(on, statement_days)
    assert deadline(case, "hearing_request").due == add_working_days(on, 5)
    assert recorded(case, "notify")


def test_notify_without_a_hearing_right_issues_only_the_prior_notice(w):
    # 30000 yuan for an organisation is below the province's 较大数额 (50000).
    case = f.general_case(
        w, until="examination", fine="30000", proposal={"discretion_grade": "mitigated"}
    )

    case = f.fire(case, "notify", w.unit_head, {"on": days_ago(1)})

    assert case.status == "statement" and not case.hearing_right
    assert issued(case, "prior_notice")
    assert not Document.objects.filter(case=case, doc_type="hearing_rights_notice").exists()
    assert not case.deadlines.filter(code="hearing_request").exists()


@covers("record_statement")
def test_record_statement_adopts_a_lower_fine(w):
    case = f.general_case(w, until="statement")
    data = {
        "content": "当事人称系初次经营，货值很小。",
        "adopted": "partly",
        "review_reason": "货值较小属实，部分采纳。",
        "revised_fine": "66000",
    }

    case = f.fire(case, "record_statement", w.users[0], data)

    assert case.status == "statement" and case.fine_amount == Decimal("66000")
    assert case.notified_fine == Decimal("70000")  # the ceiling stays what was notified
    assert recorded(case, "record_statement").data["adopted"] == "partly"


@covers("waive_statement")
def test_waive_statement_records_the_express_waiver(w):
    case = f.general_case(w, until="statement")

    case = f.fire(case, "waive_statement", w.users[0], {"statement": "本人放弃陈述、申辩。"})

    assert case.statement_waived and case.status == "statement"
    assert not case.hearing_waived  # a hearing is waived only expressly
    assert recorded(case, "waive_statement")


@covers("waive_hearing")
def test_waive_hearing_records_the_express_hearing_waiver_alone(w):
    case = f.general_case(w, until="statement", start=5)

    case = f.fire(case, "waive_hearing", w.users[0], {"statement": "本公司放弃要求听证的权利。"})

    assert case.hearing_waived and not case.statement_waived and case.status == "statement"
    assert recorded(case, "waive_hearing").data["statement"] == "本公司放弃要求听证的权利。"


@covers("request_hearing")
def test_request_hearing_within_five_working_days_opens_the_hearing(w):
    case = f.general_case(w, until="statement", start=10)  # notified 6 days ago
    on = case.notified_on + timedelta(days=1)

    case = f.fire(case, "request_hearing", w.users[0], {"on": on})

    assert case.status == "hearing"
    assert Hearing.objects.get(case=case).requested_on == on
    assert deadline(case, "hearing_request").stopped_on == on
    assert recorded(case, "request_hearing").to_state == "hearing"


@covers("schedule_hearing")
def test_schedule_hearing_issues_the_notice_and_names_the_presider(w):
    case = f.hearing_case(w, start=40)

    f.schedule(w, case, on=days_ago(30), hearing_date=days_ago(14))

    hearing = Hearing.objects.get(case=case)
    assert hearing.notified_on == days_ago(30) and hearing.held_on == days_ago(14)
    assert hearing.presider == w.reviewer and not hearing.held
    assert issued(case, "hearing_notice")
    assert recorded(case, "schedule_hearing")


@covers("hold_hearing")
def test_hold_hearing_by_the_presider_leads_to_deliberation(w):
    case = f.hearing_case(w, start=40)
    case = f.schedule(w, case, on=days_ago(30), hearing_date=days_ago(14))

    case = f.fire(
        case,
        "hold_hearing",
        w.reviewer,
        {"content": "当事人陈述了意见，调查人员出示了证据。", "on": days_ago(14)},
    )

    assert case.status == "deliberation"
    hearing = Hearing.objects.get(case=case)
    assert hearing.held and not hearing.party_absent
    assert issued(case, "hearing_record")
    assert recorded(case, "hold_hearing").actor == w.reviewer


@covers("end_statement")
def test_end_statement_after_the_waiver_goes_to_deliberation(w):
    case = f.general_case(w, until="statement")
    f.waive_statement(w, case, hearing=True)

    case = f.fire(case, "end_statement", w.unit_head)

    assert case.status == "deliberation"
    assert recorded(case, "end_statement").from_state == "statement"


def test_end_statement_once_the_periods_have_run_out(w):
    case = f.general_case(w, until="statement", start=20)  # notified 16 days ago

    case = f.fire(case, "end_statement", w.unit_head)

    assert case.status == "deliberation"


# --- 决定 ------------------------------------------------------------------------------


@covers("collective_discussion")
def test_collective_discussion_issues_its_record(w):
    case = f.general_case(w, until="deliberation", proposal={"complex_or_serious": True})
    data = {
        "participants": "陈局长、副局长、王科长",
        "discussion": "一致认为事实清楚。",
        "conclusion": "同意罚款七万元。",
    }

    f.fire(case, "collective_discussion", w.head, data)

    assert issued(case, "collective_record")
    assert recorded(case, "collective_discussion").to_state == "deliberation"


@covers("decide_penalty")
def test_decide_penalty_issues_the_numbered_decision_and_starts_service(w):
    case = f.general_case(w, until="deliberation")
    on = days_ago(1)
    data = {"penalty_types": ["fine"], "fine_amount": "70000", "bank": "工行本溪县支行", "on": on}

    case = f.fire(case, "decide_penalty", w.head, data)

    assert case.status == "decided" and case.decided_on == on
    assert case.fine_amount == Decimal("70000") and case.decision_kind == "penalty"
    decision = issued(case, "penalty_decision")
    assert case.decision_number == decision.number and decision.number.startswith("本县市监罚〔")
    assert deadline(case, "decide").stopped_on == on
    service_days = int(rule_value("penalty.serve_decision", region_code=region(case)))
    assert deadline(case, "service").due == add_working_days(on, service_days)
    payload = canonical.decode(bytes(recorded(case, "decide_penalty").entry.data))["payload"]
    assert payload["documents"][0]["number"] == decision.number
    assert (payload["from"], payload["to"]) == ("deliberation", "decided")


@covers("decide_no_penalty")
def test_decide_no_penalty_from_examination(w):
    case = f.general_case(w, until="investigation")
    case = f.propose(w, case, decision_kind="no_penalty")
    on = days_ago(0)

    case = f.fire(
        case,
        "decide_no_penalty",
        w.head,
        {"reason": "初次违法且危害后果轻微并及时改正（行政处罚法第三十三条）。", "on": on},
    )

    assert case.status == "decided" and case.decision_kind == "no_penalty"
    assert case.penalty_types == [] and case.fine_amount is None
    assert case.decision_number == issued(case, "no_penalty_decision").number
    assert deadline(case, "decide").stopped_on == on
    assert deadline(case, "service").stopped_on is None
    assert recorded(case, "decide_no_penalty").from_state == "examination"


@covers("transfer")
def test_transfer_closes_the_case_and_stops_its_deadlines(w):
    case = f.general_case(w, until="investigation")

    case = f.fire(
        case,
        "transfer",
        w.head,
        {"organ": "本溪县公安局", "reason": "货值金额较大，涉嫌生产、销售不符合安全标准的食品罪。"},
    )

    assert case.status == "closed" and case.decision_kind == "transfer"
    assert case.closed_on is not None
    assert deadline(case, "decide").stopped_on == case.closed_on
    assert issued(case, "closure_approval")
    assert recorded(case, "transfer")


@covers("cancel_filing")
def test_cancel_filing_closes_the_case(w):
    case = f.general_case(w, until="examination")

    case = f.fire(case, "cancel_filing", w.head, {"reason": "违法事实不能成立。"})

    assert case.status == "closed" and case.decision_kind == "cancel"
    assert deadline(case, "decide").stopped_on == case.closed_on
    assert issued(case, "closure_approval")
    assert recorded(case, "cancel_filing")


# --- 送达与执行 --------------------------------------------------------------------------


@covers("serve")
def test_serve_stops_service_and_starts_the_15_day_payment_period(w):
    case = f.general_case(w, until="decided")
    on = days_ago(2)

    case = f.serve(w, case, on=on)

    assert case.status == "served" and case.served_on == on
    assert deadline(case, "service").stopped_on == on
    payment = deadline(case, "payment")
    assert payment.started_on == on and payment.due == on + timedelta(days=15)
    assert case.payment_due == payment.effective_due
    assert issued(case, "service_receipt")
    assert recorded(case, "serve").data["method"] == "direct"


@covers("record_payment")
def test_record_payment_in_full_stops_the_payment_deadline(w):
    case = f.general_case(w, until="served")

    case = f.pay(w, case, "70000", on=days_ago(1))

    payment = Payment.objects.get(case=case)
    assert payment.amount == Decimal("70000") and payment.channel == "bank"
    assert case.paid_amount == Decimal("70000")
    assert deadline(case, "payment").stopped_on == days_ago(1)
    assert money(case, days_ago(0))["outstanding"] == 0
    assert recorded(case, "record_payment")


def test_record_payment_in_part_keeps_the_deadline_running(w):
    case = f.general_case(w, until="served")

    case = f.pay(w, case, "20000", on=days_ago(1))

    assert deadline(case, "payment").stopped_on is None
    assert money(case, days_ago(0))["outstanding"] == Decimal("50000")


@covers("approve_deferral")
def test_approve_deferral_extends_the_payment_deadline_to_the_last_instalment(w):
    case = f.general_case(w, until="served")
    last = days_ago(0) + timedelta(days=90)
    schedule = f"{days_ago(0) + timedelta(days=30):%Y-%m-%d} 35000\n{last:%Y-%m-%d} 35000"

    f.fire(
        case,
        "approve_deferral",
        w.head,
        {"kind": "instalments", "reason": "经营困难，申请分期。", "schedule": schedule},
    )

    plan = PaymentPlan.objects.get(case=case)
    assert plan.kind == "instalments" and len(plan.schedule) == 2
    assert deadline(case, "payment").extended_to == last
    assert "第六十六条" in deadline(case, "payment").extension_basis
    assert recorded(case, "approve_deferral")


@covers("pause_surcharge")
def test_pause_surcharge_stops_the_surcharge_during_reconsideration(w):
    # Served 33 days ago: the 15-day period (and any roll-over) has run out.
    case = f.general_case(w, until="served", start=40)
    due = case.payment_due
    assert due < days_ago(5)
    running = money(case, days_ago(5))["surcharge"]
    assert running > 0

    f.fire(
        case,
        "pause_surcharge",
        w.unit_head,
        {"kind": "reconsideration", "body": "本溪县人民政府", "on": days_ago(5)},
    )

    case = Case.objects.get(pk=case.pk)
    assert RemedyPeriod.objects.get(case=case).ended_on is None
    # The day the application was made is not counted, nor any day after.
    assert money(case, days_ago(0))["surcharge"] == money(case, days_ago(6))["surcharge"]
    assert money(case, days_ago(0))["surcharge"] < Decimal("70000")
    assert recorded(case, "pause_surcharge")


@covers("resume_surcharge")
def test_resume_surcharge_counts_again_after_the_remedy(w):
    case = f.general_case(w, until="served", start=40)
    f.fire(
        case,
        "pause_surcharge",
        w.unit_head,
        {"kind": "litigation", "body": "本溪县人民法院", "on": days_ago(10)},
    )
    paused = money(case, days_ago(3))["surcharge"]

    f.fire(case, "resume_surcharge", w.unit_head, {"on": days_ago(3)})

    assert RemedyPeriod.objects.get(case=case).ended_on == days_ago(3)
    fine = Decimal("70000")
    daily = fine * rule_value("penalty.surcharge_daily_rate")
    assert money(case, days_ago(0))["surcharge"] == min(paused + 3 * daily, fine)
    assert recorded(case, "resume_surcharge")


@covers("apply_court_enforcement")
def test_apply_court_enforcement_once_the_payment_period_has_passed(w):
    case = f.general_case(w, until="served", start=40)

    case = f.fire(
        case,
        "apply_court_enforcement",
        w.head,
        {"court": "本溪满族自治县人民法院", "reference": "本县市监强申〔2026〕1号"},
    )

    assert case.court_applied_on == days_ago(0)
    assert recorded(case, "apply_court_enforcement")


@covers("record_outcome")
def test_record_outcome_changed_by_reconsideration(w):
    case = f.general_case(w, until="served")

    case = f.fire(
        case,
        "record_outcome",
        w.unit_head,
        {"kind": "changed", "body": "本溪县人民政府", "reference": "本县政复决〔2026〕3号"},
    )

    assert case.outcome_kind == "changed" and case.outcome_on == days_ago(0)
    assert case.status == "served"
    assert recorded(case, "record_outcome")


def test_record_outcome_revoked_stops_payment_and_the_surcharge(w):
    case = f.general_case(w, until="served", start=40)
    f.fire(
        case,
        "pause_surcharge",
        w.unit_head,
        {"kind": "reconsideration", "body": "本溪县人民政府", "on": days_ago(6)},
    )

    case = f.fire(
        case,
        "record_outcome",
        w.unit_head,
        {"kind": "revoked", "body": "本溪县人民政府", "reference": "本县政复决〔2026〕4号"},
    )

    assert case.outcome_kind == "revoked"
    assert deadline(case, "payment").stopped_on == days_ago(0)
    assert RemedyPeriod.objects.get(case=case).ended_on == days_ago(0)


@covers("close")
def test_close_once_the_fine_is_paid(w):
    case = f.general_case(w, until="served")
    f.pay(w, case, "70000", on=days_ago(1))

    case = f.fire(case, "close", w.unit_head, {"opinion": "罚款已缴清，执行完毕。"})

    assert case.status == "closed" and case.closed_on == days_ago(0)
    assert issued(case, "closure_approval")
    assert recorded(case, "close").from_state == "served"


@covers("archive")
def test_archive_a_closed_case(w):
    case = f.general_case(w, until="closed")

    case = f.fire(case, "archive", w.users[0])

    assert case.status == "archived" and case.archived_on == days_ago(0)
    # Only a later reconsideration or court outcome may still be recorded.
    assert [o.transition.code for o in engine.options(case, w.unit_head)] == ["record_outcome"]
    assert recorded(case, "archive").to_state == "archived"


# --- events after commit ---------------------------------------------------------------


@pytest.fixture
def sent():
    """Every decision event received, as (signal name, case pk, extra)."""
    got: list[tuple[str, int, dict]] = []
    names = ("decision_made", "decision_served", "decision_changed", "decision_revoked")
    for name in names:

        def receiver(sender, case, name=name, **kw):
            got.append((name, case.pk, kw))

        getattr(events, name).connect(receiver, weak=False, dispatch_uid=f"t-{name}")
    yield got
    for name in names:
        getattr(events, name).disconnect(dispatch_uid=f"t-{name}")


def test_decision_events_are_sent_once_after_commit(w, sent, django_capture_on_commit_callbacks):
    case = f.general_case(w, until="deliberation")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        f.fire(case, "decide_penalty", w.head, {"penalty_types": ["fine"], "fine_amount": "70000"})
    assert sent == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert [(n, pk) for n, pk, _ in sent] == [("decision_made", case.pk)]
    assert sent[0][2]["document"] == issued(case, "penalty_decision")

    with django_capture_on_commit_callbacks(execute=True):
        f.serve(w, case, method="mail")
    assert [(n, pk) for n, pk, _ in sent[1:]] == [("decision_served", case.pk)]
    assert sent[1][2]["method"] == "mail"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("changed", ["decision_changed"]), ("revoked", ["decision_revoked"]), ("upheld", [])],
)
def test_outcome_events_follow_what_happened_to_the_decision(
    w, sent, django_capture_on_commit_callbacks, kind, expected
):
    case = f.general_case(w, until="served")
    data = {"kind": kind, "body": "本溪县人民政府", "reference": "本县政复决〔2026〕9号"}

    with django_capture_on_commit_callbacks(execute=True):
        f.fire(case, "record_outcome", w.unit_head, data)

    assert [n for n, _, _ in sent] == expected
    assert all(pk == case.pk and extra["outcome"] == kind for _, pk, extra in sent)


def test_a_refused_step_sends_no_event(w, sent, django_capture_on_commit_callbacks):
    case = f.general_case(w, until="deliberation")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Exception, match="高于事先告知"),
    ):
        engine.fire(
            case, "decide_penalty", w.head, {"penalty_types": ["fine"], "fine_amount": "80000"}
        )

    assert callbacks == [] and sent == []
    assert not Entry.objects.filter(action="case.decide_penalty").exists()


# --- coverage of the definition ------------------------------------------------------


def test_the_matrix_covers_every_executable_procedure():
    # A procedure the engine starts to run needs its own transition matrix.
    assert {p.code for p in executable()} == {"penalty.general", "penalty.summary"}


def test_every_transition_of_the_general_procedure_has_a_test():
    assert set(COVERED) == {t.code for t in PENALTY_GENERAL.transitions}
    assert len(PENALTY_GENERAL.transitions) == 34
    for name in COVERED.values():
        assert callable(globals()[name])
