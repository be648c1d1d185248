"""The full round trip: submit → assign → problems → answer and resubmit →
agree → the head decides; each round kept, the opinions in the case file and
in the ledger."""

from __future__ import annotations

import pytest

from zhifa.cases.errors import TransitionRefused
from zhifa.cases.models import Document
from zhifa.ledger.models import Entry
from zhifa.review import selectors, services
from zhifa.review.models import ReviewRequest
from zhifa.review.tests import factories as rf

pytestmark = pytest.mark.django_db


def test_problems_then_answered_resubmission_then_agree_lets_the_head_decide(rw):
    case = rf.major_case(rw)
    first = rf.submit(rw, case, note="请审核")
    assert first.round == 1 and first.status == "submitted"
    assert first.snapshot["summary"] == "拟罚款70000元"
    assert first.snapshot["criteria"][0]["description"] == "涉及重大公共利益"

    first = services.review_assign(actor=rw.legal_head, request=first, reviewer=rw.reviewer)
    assert first.status == "under_review" and first.due_on is not None
    opinion = rf.problems(rw, first, suggestions=["supplement", "correct"])
    first.refresh_from_db()
    assert first.status == "problems"
    assert opinion.document.status == "issued"
    assert opinion.document.number.startswith("本县市监法审〔")

    case = rf.to_deliberation(rw, case)
    with pytest.raises(TransitionRefused) as exc:
        rf.decide(rw, case)
    assert exc.value.guards == ["legal_review_agreed"]
    assert "法制审核未通过（第1轮）" in exc.value.messages[0]
    assert "补充、纠正" in exc.value.messages[0]

    second = rf.submit(rw, case, response="已补充从重情节的证据说明，裁量理由见补充报告。")
    first.refresh_from_db()
    assert first.status == "resubmitted"
    assert second.round == 2 and second.previous == first
    rf.agree(rw, second)

    case = rf.decide(rw, case)
    assert case.status == "decided"
    rounds = selectors.request_list_for_case(case)
    assert [(r.round, r.status) for r in rounds] == [(1, "resubmitted"), (2, "agreed")]
    opinions = Document.objects.filter(case=case, doc_type="legal_review_opinion")
    assert opinions.count() == 2 and all(d.status == "issued" for d in opinions)
    latest = opinions.order_by("id").last()
    assert "已补充从重情节的证据说明" in latest.content["response"]
    assert latest.content["result"] == "同意"
    actions = list(
        Entry.objects.filter(subject_id=str(case.pk), action__startswith="review.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "review.submitted",
        "review.assigned",
        "review.opinion_recorded",
        "review.submitted",
        "review.assigned",
        "review.opinion_recorded",
    ]
    assert (
        Entry.objects.filter(
            action="case.document_issued", subject_id__in=[str(d.pk) for d in opinions]
        ).count()
        == 2
    )
    assert ReviewRequest.objects.filter(case=case).count() == 2
