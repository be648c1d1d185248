"""The hard gate: a decision needs an "agree" opinion on the case as it stands.

A stale opinion (the fine changed, evidence was added) does not cover the
case; no path — the engine directly, the API, the admin — gets around it.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.cases import engine
from zhifa.cases.errors import TransitionRefused
from zhifa.cases.models import Case
from zhifa.cases.selectors import decision_fingerprint
from zhifa.cases.tests import factories as f
from zhifa.review import gate, selectors, services
from zhifa.review.tests import factories as rf

pytestmark = pytest.mark.django_db

ART_58_1 = "《中华人民共和国行政处罚法》第五十八条第一款"


@pytest.fixture(autouse=True)
def storage_dir(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "blobs")},
        },
    }


def decide_refused(rw, case, fine="70000") -> str:
    with pytest.raises(TransitionRefused) as exc:
        rf.decide(rw, case, fine)
    assert exc.value.guards == ["legal_review_agreed"]
    assert exc.value.refusals[0].citation == ART_58_1
    return exc.value.messages[0]


def test_status_reads_each_state_of_the_latest_round(rw):
    case = rf.major_case(rw)
    fp = decision_fingerprint(case)
    assert gate.status(case, fp).detail == "尚未提交法制审核"
    request = rf.submit(rw, case)
    s = gate.status(case, fp)
    assert s.open and not s.agreed and "正等待分配审核人员" in s.detail
    request = services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.reviewer)
    due = request.due_on
    s = gate.status(case, fp)
    assert s.open
    assert s.detail == (
        f"法制审核正在进行（审核人员：刘审核，应于{due.year}年{due.month}月{due.day}日前完成）"
    )
    rf.agree(rw, request)
    s = gate.status(case, fp)
    assert not s.open and s.agreed and s.detail.endswith("涵盖本案现状")
    assert not gate.status(case, "0" * 64).agreed


def test_an_opinion_stops_covering_the_case_when_evidence_is_added(rw):
    case = rf.major_case(rw)
    rf.agree(rw, rf.submit(rw, case))
    rf.add_photo(rw, case)
    case = rf.to_deliberation(rw, case)
    message = decide_refused(rw, case)
    assert (
        "法制审核同意意见（第1轮，" in message
        and "针对的是送审时的案件（拟罚款70000元），此后案件已发生变化（新增证据1项），须重新提交审核"
        in message
    )
    # The unit resubmits the case as it now stands (no answer needed after an agreement).
    rf.agree(rw, rf.submit(rw, case))
    assert rf.decide(rw, case).status == "decided"


def test_an_opinion_stops_covering_the_case_when_the_fine_changes(rw):
    w = rw.w
    case = rf.major_case(rw)
    rf.agree(rw, rf.submit(rw, case))
    engine.fire(case, "return_investigation", w.unit_head, {"reason": "罚款金额需重新裁量。"})
    case = f.propose(w, Case.objects.get(pk=case.pk), fine="80000", public_interest=True)
    case = rf.to_deliberation(rw, case)
    message = decide_refused(rw, case, fine="80000")
    assert "拟作出的决定由“罚款70000元”变为“罚款80000元”" in message
    # And the engine's own guard refuses a second submission only while one is open.
    second = rf.submit(rw, case)
    with pytest.raises(TransitionRefused) as exc:
        rf.submit(rw, case)
    assert exc.value.guards == ["no_open_review"]
    rf.agree(rw, second)
    assert rf.decide(rw, case, fine="80000").status == "decided"


def test_deciding_a_fine_other_than_the_reviewed_one_is_refused(rw):
    case = rf.major_case(rw)
    rf.agree(rw, rf.submit(rw, case))
    case = rf.to_deliberation(rw, case)
    message = decide_refused(rw, case, fine="66000")
    assert (
        "针对的是送审时的案件（拟罚款70000元），现在要作出的决定与送审时的拟处理决定不一致"
        in message
    )
    assert rf.decide(rw, case, fine="70000").status == "decided"


def test_an_opinion_on_a_case_changed_under_review_is_refused_and_the_round_returned(rw):
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    request = services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.reviewer)
    rf.add_photo(rw, case)
    with pytest.raises(TransitionRefused) as exc:
        rf.agree(rw, request)
    assert exc.value.guards == ["stale"]
    assert exc.value.messages[0].startswith("案件在送审后发生了变化（新增证据1项），须退回重新提交")
    assert exc.value.refusals[0].citation == ART_58_1
    rows = {r.title: r for r in selectors.review_materials(request, verify=True)}
    assert not rows["补充现场照片"].in_submission and rows["补充现场照片"].problems == []
    assert rows["案件调查终结报告"].in_submission and rows["案件调查终结报告"].kind == "document"
    request = services.review_return(
        actor=rw.reviewer, request=request, missing=[], note="请将补充的照片一并送审。"
    )
    assert request.status == "returned_incomplete"
    assert request.return_note.startswith("案件在送审后发生了变化（新增证据1项）")
    s = gate.status(case, decision_fingerprint(case))
    assert not s.open and not s.agreed and "第1轮送审已于" in s.detail
    second = rf.submit(rw, case)
    assert second.round == 2 and second.snapshot["evidence"][-1]["title"] == "补充现场照片"
    rf.agree(rw, second)
    assert gate.status(case, decision_fingerprint(case)).agreed


def test_the_admin_cannot_change_a_case_status(rw):
    case = rf.to_deliberation(rw, rf.major_case(rw))
    case.status = "decided"
    with pytest.raises(ValidationError, match="办案引擎"):
        case.save()
    assert Case.objects.get(pk=case.pk).status == "deliberation"
    if admin.site.is_registered(Case):
        model_admin = admin.site._registry[Case]
        form = model_admin.get_form(None, obj=case)
        assert "status" not in form.base_fields


def test_the_api_transition_endpoint_holds_the_gate(rw):
    case = rf.to_deliberation(rw, rf.major_case(rw))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=rw.head)}")
    url = f"/api/v1/cases/{case.pk}/transitions/decide_penalty/"
    body = {"penalty_types": ["fine"], "fine_amount": "70000"}
    response = client.post(url, body, format="json")
    assert response.status_code == 409, response.content
    refusal = response.json()["refusals"][0]
    assert refusal["guard"] == "legal_review_agreed"
    assert refusal["citation"] == ART_58_1
    assert "尚未提交法制审核" in refusal["message"]
    rf.agree(rw, rf.submit(rw, case))
    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert Case.objects.get(pk=case.pk).status == "decided"


def test_no_penalty_decisions_are_held_too(rw):
    case = rf.major_case(rw)
    with pytest.raises(TransitionRefused) as exc:
        engine.fire(case, "decide_no_penalty", rw.head, {"reason": "违法行为轻微并及时改正。"})
    assert "legal_review_agreed" in exc.value.guards
