"""Every transition of 行政处罚简易程序 (penalty.summary): the on-the-spot
decision within the limits of 第五十一条 (read from the rules, never written
here), on-the-spot collection, the record filed with the agency, payment,
execution, closure and archive.

`COVERED` maps each transition code to the test that fires it; the last test
checks that it names every transition of the definition.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from zhifa.cases import events
from zhifa.cases.models import Case, CaseOfficer, CaseRecord, Document, Payment, RemedyPeriod
from zhifa.cases.selectors import money
from zhifa.cases.tests import factories as f
from zhifa.cases.tests.factories import COMPANY, PERSON, days_ago
from zhifa.procedures import PENALTY_SUMMARY
from zhifa.rules.services import rule_value

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


def limit(w, party_kind: str) -> Decimal:
    rule = (
        "penalty.summary_fine_citizen"
        if party_kind == "natural"
        else "penalty.summary_fine_organisation"
    )
    return rule_value(rule, region_code=w.agency.region.code)


def recorded(case: Case, code: str) -> CaseRecord:
    t = PENALTY_SUMMARY.transition(code)
    record = CaseRecord.objects.filter(case=case, transition=code).latest("id")
    assert record.entry.action == t.ledger_action
    assert record.entry.subject_id == str(case.pk)
    return record


def deadline(case: Case, code: str):
    return case.deadlines.filter(code=code).latest("id")


def decided(w, *, party=PERSON, fine="50", on_days_ago: int = 3) -> Case:
    case = f.summary_case(w, party=party, on=days_ago(on_days_ago))
    return f.decide_on_spot(w, case, fine=fine)


# --- 当场作出决定 -------------------------------------------------------------------------


@covers("decide_on_spot")
@pytest.mark.parametrize("party", [PERSON, COMPANY], ids=["natural", "organisation"])
def test_decide_on_spot_up_to_the_limit_hands_over_the_numbered_decision(w, party):
    case = f.summary_case(w, party=party, on=days_ago(1))
    fine = limit(w, party["kind"])

    case = f.decide_on_spot(w, case, fine=str(fine))

    assert case.status == "decided" and case.fine_amount == fine
    assert case.decided_on == case.served_on == case.filed_on == days_ago(1)
    assert case.item == w.item and case.item_version is not None
    decision = Document.objects.get(case=case, doc_type="summary_decision", status="issued")
    assert case.decision_number == decision.number and "简罚" in decision.number
    assert {o.officer for o in CaseOfficer.objects.filter(case=case)} == set(w.officers[:2])
    payment = deadline(case, "payment")
    assert payment.started_on == days_ago(1) and payment.due == days_ago(1) + timedelta(days=15)
    assert case.payment_due == payment.effective_due
    assert recorded(case, "decide_on_spot").to_state == "decided"


def test_decide_on_spot_a_warning_starts_no_payment_period(w):
    case = f.summary_case(w, on=days_ago(1))

    case = f.decide_on_spot(w, case, types=("warning",))

    assert case.status == "decided" and case.penalty_types == ["warning"]
    assert case.fine_amount is None and case.payment_due is None
    assert not case.deadlines.filter(code="payment").exists()


def test_decide_on_spot_sends_made_and_served_once_after_commit(
    w, django_capture_on_commit_callbacks
):
    case = f.summary_case(w, on=days_ago(1))
    got = []
    for name in ("decision_made", "decision_served"):
        getattr(events, name).connect(
            lambda sender, case, name=name, **kw: got.append((name, case.pk, kw)),
            weak=False,
            dispatch_uid=f"t-summary-{name}",
        )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            f.decide_on_spot(w, case)
    finally:
        for name in ("decision_made", "decision_served"):
            getattr(events, name).disconnect(dispatch_uid=f"t-summary-{name}")

    assert [(n, pk) for n, pk, _ in got] == [
        ("decision_made", case.pk),
        ("decision_served", case.pk),
    ]
    assert got[0][2]["document"].doc_type == "summary_decision"
    assert got[1][2]["method"] == "on_spot"


# --- 当场收缴、备案 ------------------------------------------------------------------------


@covers("collect_on_spot")
def test_collect_on_spot_a_small_fine_with_the_official_receipt(w):
    small = rule_value("penalty.onsite_collection", region_code=w.agency.region.code)
    case = decided(w, fine=str(small))

    case = f.fire(
        case,
        "collect_on_spot",
        w.users[0],
        {"amount": str(small), "ground": "small", "receipt_number": "辽财票0012345"},
    )

    payment = Payment.objects.get(case=case)
    assert payment.channel == "on_spot" and payment.receipt_number == "辽财票0012345"
    assert case.collected_on_spot and case.paid_amount == small
    assert deadline(case, "payment").stopped_on == days_ago(0)
    assert case.status == "decided"
    assert recorded(case, "collect_on_spot")


@covers("hand_over_cash")
def test_hand_over_cash_collected_on_the_spot_within_two_working_days(w):
    small = rule_value("penalty.onsite_collection", region_code=w.agency.region.code)
    case = decided(w, fine=str(small))
    case = f.fire(
        case,
        "collect_on_spot",
        w.users[0],
        {"amount": str(small), "ground": "small", "receipt_number": "辽财票0012346"},
    )
    running = deadline(case, "cash_handover")
    assert running.rule == "penalty.cash_handover" and running.due > running.started_on

    case = f.fire(
        case, "hand_over_cash", w.users[0], {"received_by": "财务科王某", "voucher": "JJ-001"}
    )

    assert deadline(case, "cash_handover").stopped_on == days_ago(0)
    assert recorded(case, "hand_over_cash")


@covers("file_record")
def test_file_record_with_the_agency(w):
    case = decided(w)

    case = f.fire(case, "file_record", w.users[0], {"note": "已报本局备案。"})

    assert case.status == "filed"
    assert recorded(case, "file_record").from_state == "decided"


# --- 缴纳与执行 ----------------------------------------------------------------------------


@covers("record_payment")
def test_record_payment_at_the_bank(w):
    case = decided(w, fine="150")

    case = f.pay(w, case, "150", on=days_ago(1))

    assert Payment.objects.get(case=case).channel == "bank"
    assert case.paid_amount == Decimal("150") and not case.collected_on_spot
    assert deadline(case, "payment").stopped_on == days_ago(1)
    assert recorded(case, "record_payment")


@covers("approve_deferral")
def test_approve_deferral_of_a_summary_fine(w):
    case = decided(w, fine="200")
    due = days_ago(0) + timedelta(days=60)

    f.fire(
        case,
        "approve_deferral",
        w.head,
        {"kind": "deferral", "reason": "当事人住院治疗。", "schedule": f"{due:%Y-%m-%d} 200"},
    )

    assert deadline(case, "payment").extended_to == due
    assert recorded(case, "approve_deferral")


@covers("pause_surcharge")
def test_pause_surcharge_on_an_overdue_summary_fine(w):
    case = decided(w, fine="200", on_days_ago=30)
    assert money(case, days_ago(5))["surcharge"] > 0

    f.fire(
        case,
        "pause_surcharge",
        w.unit_head,
        {"kind": "litigation", "body": "本溪满族自治县人民法院", "on": days_ago(5)},
    )

    assert RemedyPeriod.objects.get(case=case).kind == "litigation"
    assert money(case, days_ago(0))["surcharge"] == money(case, days_ago(6))["surcharge"]
    assert recorded(case, "pause_surcharge")


@covers("resume_surcharge")
def test_resume_surcharge_after_the_judgment(w):
    case = decided(w, fine="200", on_days_ago=30)
    f.fire(
        case,
        "pause_surcharge",
        w.unit_head,
        {"kind": "litigation", "body": "本溪满族自治县人民法院", "on": days_ago(5)},
    )

    f.fire(case, "resume_surcharge", w.head, {"on": days_ago(2)})

    assert RemedyPeriod.objects.get(case=case).ended_on == days_ago(2)
    assert money(case, days_ago(0))["surcharge"] > money(case, days_ago(2))["surcharge"]
    assert recorded(case, "resume_surcharge")


@covers("apply_court_enforcement")
def test_apply_court_enforcement_of_an_unpaid_summary_fine(w):
    case = decided(w, fine="200", on_days_ago=30)

    case = f.fire(case, "apply_court_enforcement", w.head, {"court": "本溪满族自治县人民法院"})

    assert case.court_applied_on == days_ago(0)
    assert recorded(case, "apply_court_enforcement")


@covers("record_outcome")
def test_record_outcome_of_a_reconsideration(w):
    case = decided(w)

    case = f.fire(
        case,
        "record_outcome",
        w.unit_head,
        {"kind": "upheld", "body": "本溪县人民政府", "reference": "本县政复决〔2026〕7号"},
    )

    assert case.outcome_kind == "upheld" and case.status == "decided"
    assert recorded(case, "record_outcome")


# --- 结案、归档 --------------------------------------------------------------------------


@covers("close")
def test_close_a_filed_and_paid_summary_case(w):
    case = decided(w, fine="100")
    f.pay(w, case, "100", on=days_ago(1))
    case = f.fire(case, "file_record", w.users[0])

    case = f.fire(case, "close", w.users[0])

    assert case.status == "closed" and case.closed_on == days_ago(0)
    assert recorded(case, "close").from_state == "filed"


def test_close_a_warning_needs_no_payment(w):
    case = f.decide_on_spot(w, f.summary_case(w), types=("warning",))
    case = f.fire(case, "file_record", w.users[0])

    assert f.fire(case, "close", w.unit_head).status == "closed"


@covers("archive")
def test_archive_a_closed_summary_case(w):
    case = decided(w, fine="100")
    f.pay(w, case, "100", on=days_ago(1))
    case = f.fire(case, "file_record", w.users[0])
    case = f.fire(case, "close", w.users[0])

    case = f.fire(case, "archive", w.unit_head)

    assert case.status == "archived" and case.archived_on == days_ago(0)
    assert recorded(case, "archive").to_state == "archived"


def test_every_transition_of_the_summary_procedure_has_a_test():
    assert set(COVERED) == {t.code for t in PENALTY_SUMMARY.transitions}
    assert len(PENALTY_SUMMARY.transitions) == 12
    for name in COVERED.values():
        assert callable(globals()[name])
