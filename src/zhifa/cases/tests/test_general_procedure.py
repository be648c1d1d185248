"""行政处罚普通程序 end to end through the engine, and its main refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zhifa.cases import engine, review_hook
from zhifa.cases.errors import InvalidInput, TransitionRefused
from zhifa.cases.models import Case, CaseRecord, Document
from zhifa.cases.tests import factories as f
from zhifa.ledger.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return f.world()


def test_register_writes_the_case_its_party_and_a_ledger_record(w):
    case = f.register(w)
    assert case.status == "registered"
    assert case.number.startswith("本县市监案〔")
    assert case.parties.get().name == "本溪县某食品店有限公司"
    assert Entry.objects.filter(action="case.register").count() == 1


def test_status_cannot_be_written_outside_the_engine(w):
    case = f.register(w)
    case.status = "decided"
    with pytest.raises(Exception, match="办案引擎"):
        case.save()


def test_general_procedure_from_registration_to_archive(w):
    today = timezone.localdate()
    case = f.register(w)
    case = f.file(w, case, on=today - timedelta(days=20))
    assert case.status == "investigation"
    assert case.deadlines.get(code="decide").due == case.filed_on + timedelta(days=90)
    f.inspect(w, case, on=today - timedelta(days=19))
    case = f.propose(w, case, on=today - timedelta(days=15))
    assert case.status == "examination"
    engine.fire(case, "notify", w.unit_head, {"on": today - timedelta(days=14)})
    case.refresh_from_db()
    assert case.status == "statement" and case.notified_fine == f.money("70000")
    engine.fire(
        case,
        "waive_statement",
        w.users[0],
        {
            "statement": "本人放弃陈述申辩和听证。",
            "waives_hearing": True,
            "on": today - timedelta(days=13),
        },
    )
    engine.fire(case, "end_statement", w.unit_head, {"on": today - timedelta(days=13)})
    case.refresh_from_db()
    assert case.status == "deliberation"
    engine.fire(
        case,
        "decide_penalty",
        w.head,
        {"penalty_types": ["fine"], "fine_amount": "70000", "on": today - timedelta(days=12)},
    )
    case.refresh_from_db()
    assert case.status == "decided" and case.decision_number.startswith("本县市监罚〔")
    engine.fire(
        case,
        "serve",
        w.users[0],
        {"method": "direct", "recipient": "李四", "on": today - timedelta(days=11)},
    )
    case.refresh_from_db()
    assert case.payment_due is not None
    engine.fire(
        case,
        "record_payment",
        w.users[1],
        {
            "amount": "70000",
            "channel": "bank",
            "receipt_number": "PZ001",
            "on": today - timedelta(days=5),
        },
    )
    engine.fire(
        case, "close", w.unit_head, {"opinion": "已执行完毕", "on": today - timedelta(days=4)}
    )
    engine.fire(case, "archive", w.users[0], {})
    case.refresh_from_db()
    assert case.status == "archived"
    transitions = list(CaseRecord.objects.filter(case=case).values_list("transition", flat=True))
    assert transitions[0] == "file" and transitions[-1] == "archive"
    assert Entry.objects.filter(subject_id=str(case.pk), action__startswith="case.").count() >= len(
        transitions
    )
    assert not Document.objects.filter(case=case, status="draft").exists()


def test_a_refused_transition_changes_nothing(w):
    case = f.file(w, f.register(w))
    entries = Entry.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        engine.fire(case, "decide_penalty", w.head, {"penalty_types": ["fine"], "fine_amount": "1"})
    assert exc.value.guards == ["state"]
    assert Entry.objects.count() == entries
    assert Case.objects.get(pk=case.pk).status == "investigation"


def test_wrong_role_is_refused_by_name(w):
    case = f.register(w)
    with pytest.raises(TransitionRefused) as exc:
        engine.fire(case, "file", w.users[0], {})
    assert exc.value.guards == ["role_in_agency"]
    assert "承办机构负责人" in exc.value.messages[0]


def test_bad_input_names_the_field(w):
    case = f.register(w)
    with pytest.raises(InvalidInput) as exc:
        f.file(w, case, on=timezone.localdate() + timedelta(days=1))
    assert "on" in exc.value.errors


def test_double_submission_is_refused(w):
    case = f.register(w)
    data = {
        "item": w.item.pk,
        "act_date": timezone.localdate() - timedelta(days=60),
        "officers": f.ids(w.officers[:2]),
        "lead": w.officers[0].pk,
        "opinion": "同意",
    }
    engine.fire(case, "file", w.unit_head, data, submission_key="k1")
    with pytest.raises(Exception, match="已经提交过"):
        engine.fire(case, "file", w.unit_head, data, submission_key="k1")


def test_decision_blocked_until_legal_review_agrees(w):
    today = timezone.localdate()
    case = f.file(w, f.register(w), on=today - timedelta(days=20))
    f.inspect(w, case)
    case = f.propose(w, case, public_interest=True, on=today - timedelta(days=15))
    engine.fire(case, "notify", w.unit_head, {"on": today - timedelta(days=14)})
    engine.fire(case, "waive_statement", w.users[0], {"statement": "放弃", "waives_hearing": True})
    engine.fire(case, "end_statement", w.unit_head, {})
    with pytest.raises(TransitionRefused) as exc:
        engine.fire(
            case, "decide_penalty", w.head, {"penalty_types": ["fine"], "fine_amount": "70000"}
        )
    assert exc.value.guards == ["legal_review_agreed"]
    assert "第五十八条" in exc.value.messages[0]

    from zhifa.cases.selectors import decision_fingerprint

    agreed = decision_fingerprint(Case.objects.get(pk=case.pk))
    with f.review_provider(lambda c, fp: review_hook.ReviewStatus(False, fp == agreed)):
        engine.fire(
            case, "decide_penalty", w.head, {"penalty_types": ["fine"], "fine_amount": "70000"}
        )
    assert Case.objects.get(pk=case.pk).status == "decided"
