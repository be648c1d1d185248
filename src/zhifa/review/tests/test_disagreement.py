"""Disagreement between the handling unit and the reviewer goes to the agency
head or a 集体讨论; the outcome is recorded and the gate follows it."""

from __future__ import annotations

import pytest

from zhifa.cases.errors import InvalidInput, TransitionRefused
from zhifa.cases.models import Document
from zhifa.ledger.models import Entry
from zhifa.review import services
from zhifa.review.tests import factories as rf

pytestmark = pytest.mark.django_db


def test_a_disagreement_decided_by_collective_discussion_for_the_unit(rw):
    w = rw.w
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    rf.problems(rw, request, suggestions=["change"])
    request.refresh_from_db()
    with pytest.raises(TransitionRefused) as exc:
        services.dispute_raise(actor=w.users[0], request=request, reasons="不同意")
    assert exc.value.guards == ["role"]
    with pytest.raises(InvalidInput):
        services.dispute_raise(actor=w.unit_head, request=request, reasons=" ")
    dispute = services.dispute_raise(
        actor=w.unit_head,
        request=request,
        reasons="本案从重情节有现场检查笔录证明，裁量理由已在调查终结报告中写明。",
    )
    request.refresh_from_db()
    assert request.status == "disputed"

    case = rf.to_deliberation(rw, case)
    with pytest.raises(TransitionRefused) as exc:
        rf.decide(rw, case)
    assert "正等待机关负责人或集体讨论决定" in exc.value.messages[0]

    with pytest.raises(TransitionRefused) as exc:
        services.dispute_resolve(
            actor=rw.legal_head,
            disagreement=dispute,
            via="head",
            outcome="upheld_unit",
            decision="采纳",
        )
    assert exc.value.guards == ["role"]
    with pytest.raises(InvalidInput) as exc:
        services.dispute_resolve(
            actor=w.head,
            disagreement=dispute,
            via="collective",
            outcome="upheld_unit",
            decision="经集体讨论，采纳承办机构意见。",
        )
    assert "participants" in exc.value.errors

    dispute = services.dispute_resolve(
        actor=w.head,
        disagreement=dispute,
        via="collective",
        outcome="upheld_unit",
        decision="经集体讨论，认为从重情节证据充分，采纳承办机构意见，按拟处理意见作出决定。",
        participants="陈局长、副局长、周科长、王科长",
    )
    request.refresh_from_db()
    assert request.status == "resolved" and dispute.fingerprint == request.fingerprint
    record = dispute.document
    assert record.doc_type == "collective_record" and record.status == "issued"
    assert "陈局长" in record.content["participants"]
    assert record.content["conclusion"].startswith("采纳承办机构意见。")
    assert Document.objects.filter(case=case, doc_type="collective_record").count() == 1
    entry = Entry.objects.get(action="review.dispute_resolved")
    assert entry.subject_id == str(case.pk)

    assert rf.decide(rw, case).status == "decided"


def test_a_disagreement_decided_for_the_reviewer_keeps_the_case_blocked(rw):
    w = rw.w
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    rf.problems(rw, request)
    dispute = services.dispute_raise(actor=w.unit_head, request=request, reasons="裁量适当。")
    services.dispute_resolve(
        actor=w.head,
        disagreement=dispute,
        via="head",
        outcome="upheld_reviewer",
        decision="维持法制审核意见，承办机构补充证据后重新送审。",
    )
    case = rf.to_deliberation(rw, case)
    with pytest.raises(TransitionRefused) as exc:
        rf.decide(rw, case)
    assert "经机关负责人决定维持审核意见" in exc.value.messages[0]
    with pytest.raises(TransitionRefused) as exc:
        rf.submit(rw, case)
    assert exc.value.guards == ["response_required"]
    with pytest.raises(TransitionRefused) as exc:
        services.dispute_resolve(
            actor=w.head, disagreement=dispute, via="head", outcome="upheld_unit", decision="改"
        )
    assert exc.value.guards == ["state"]
