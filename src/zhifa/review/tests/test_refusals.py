"""Every refusal issue #7 lists, with its Chinese reason and citation: an
incomplete submission, a resubmission without a response, self-review, an
unqualified first-time reviewer, an opinion without reasons (and the other
malformed opinions), and who may do what."""

from __future__ import annotations

import pytest

from zhifa.cases.errors import InvalidInput, TransitionRefused
from zhifa.cases.models import CaseRecord
from zhifa.ledger.models import Entry
from zhifa.officers.models import LegalQualification
from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import grant
from zhifa.review import services
from zhifa.review.models import ReviewFinding, ReviewOpinion, ReviewRequest
from zhifa.review.tests import factories as rf

pytestmark = pytest.mark.django_db

APL_58_2 = "《中华人民共和国行政处罚法》第五十八条第二款"
ART_43 = "《中华人民共和国行政处罚法》第四十三条"
GB118_13 = "国办发〔2018〕118号）四、（十三）"


def refusal(exc, guard: str):
    found = [r for r in exc.value.refusals if r.guard == guard]
    assert found, exc.value.guards
    return found[0]


def test_incomplete_materials_are_refused_naming_the_items(rw):
    case = rf.major_case(rw)
    with pytest.raises(InvalidInput) as exc:
        rf.submit(rw, case, materials={"investigation_report": True, "evidence": False})
    message = exc.value.errors["materials"][0]
    assert "送审材料不全" in message and "证据材料、拟作出的决定" in message
    assert not ReviewRequest.objects.filter(case=case).exists()
    assert not CaseRecord.objects.filter(case=case, transition="submit_legal_review").exists()
    with pytest.raises(InvalidInput) as exc:
        rf.submit(rw, case, materials=rf.ALL_MATERIALS | {"other": True})
    assert "other_description" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        rf.submit(rw, case, materials=rf.ALL_MATERIALS | {"photos": True})
    assert "未知的送审材料" in exc.value.errors["materials"][0]


def test_a_case_outside_the_catalogue_cannot_be_submitted(rw):
    w = rw.w
    case = rf.f.propose(w, rf.f.inspect(w, rf.f.file(w, rf.f.register(w))), fine="3000")
    with pytest.raises(TransitionRefused) as exc:
        rf.submit(rw, case)
    assert exc.value.guards == ["review_required"]


def test_a_resubmission_without_a_response_is_refused(rw):
    case = rf.major_case(rw)
    rf.problems(rw, rf.submit(rw, case))
    records = CaseRecord.objects.filter(case=case).count()
    with pytest.raises(TransitionRefused) as exc:
        rf.submit(rw, case, response="  ")
    r = refusal(exc, "response_required")
    assert r.message.startswith("重新提交须先答复上一轮审核意见")
    assert "第1轮" in r.message and rf.PROBLEM_REASONS.rstrip("。") in r.message
    assert GB118_13 in r.citation
    assert CaseRecord.objects.filter(case=case).count() == records
    second = rf.submit(rw, case, response="已补充证据并重新说明裁量理由。")
    assert second.round == 2 and second.response.startswith("已补充")


def test_a_returned_round_carries_the_answer_to_the_round_before(rw):
    case = rf.major_case(rw)
    rf.problems(rw, rf.submit(rw, case))
    second = rf.submit(rw, case, response="已补充说明。")
    services.review_return(
        actor=rw.legal_head, request=second, missing=["evidence"], note="证据材料未随案移送。"
    )
    # The problems of round 1 were answered in round 2: round 3 needs no new answer.
    third = rf.submit(rw, case)
    assert third.round == 3 and third.previous == second


def test_self_review_is_refused(rw):
    w = rw.w
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    handler, investigator = w.users[0], w.users[1]
    for user in (handler, investigator, w.unit_head):
        grant(user, Role.LEGAL_REVIEWER, agency=w.agency, unit=rw.legal_unit)
    expected = {
        handler: "张伟是本案的主办人",
        investigator: "李娜是本案的承办（调查）人员",
        w.unit_head: "王科长提交了本案的法制审核",
    }
    for user, why in expected.items():
        with pytest.raises(TransitionRefused) as exc:
            services.review_assign(actor=rw.legal_head, request=request, reviewer=user)
        r = refusal(exc, "self_review")
        assert r.message.startswith(f"{why}，不能审核本案")
        assert ART_43 in r.citation
    # Claiming it oneself is refused the same way.
    with pytest.raises(TransitionRefused) as exc:
        services.review_assign(actor=handler, request=request, reviewer=handler)
    assert "self_review" in exc.value.guards
    request.refresh_from_db()
    assert request.reviewer is None and request.status == "submitted"


def test_a_first_time_reviewer_needs_a_legal_qualification(rw):
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    with pytest.raises(TransitionRefused) as exc:
        services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.novice)
    r = refusal(exc, "reviewer_qualification")
    assert "孙新人系初次从事行政处罚决定法制审核，须取得法律职业资格" in r.message
    assert r.citation == APL_58_2
    # Once the qualification is on record, the same reviewer may take it.
    rf.qualify_legally(rw.novice.officer)
    request = services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.novice)
    assert request.reviewer == rw.novice


def test_a_reviewer_who_has_reviewed_penalties_before_needs_no_qualification(rw):
    first = rf.major_case(rw)
    rf.agree(rw, rf.submit(rw, first))
    # Given a reviewer with a previous penalty opinion and no qualification on record
    # (APL-23 binds only "初次从事"):
    LegalQualification.objects.filter(officer__user=rw.reviewer).delete()
    second = rf.major_case(rw, start=18)
    request = rf.submit(rw, second)
    request = services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.reviewer)
    assert request.status == "under_review"


def test_experience_before_the_platform_counts_when_the_head_records_it(rw):
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    with pytest.raises(TransitionRefused):
        services.experience_record(
            actor=rw.legal_head,
            agency=rw.agency,
            reviewer=rw.novice,
            since=rf.days_ago(800),
            basis="2023年任命文件",
        )
    services.experience_record(
        actor=rw.head,
        agency=rw.agency,
        reviewer=rw.novice,
        since=rf.days_ago(800),
        basis="本局2023年第5号任命文件；2023—2025年审核记录",
    )
    request = services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.novice)
    assert request.reviewer == rw.novice
    assert Entry.objects.filter(action="review.experience_recorded").count() == 1


def test_only_heads_assign_and_reviewers_only_claim_what_is_unassigned(rw):
    w = rw.w
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    with pytest.raises(TransitionRefused) as exc:
        services.review_assign(actor=w.users[2], request=request, reviewer=rw.reviewer)
    assert exc.value.guards == ["role"]
    request = services.review_assign(actor=rw.reviewer, request=request, reviewer=rw.reviewer)
    other = rf.legal_reviewer(rw, "吴审核", qualified=True)
    with pytest.raises(TransitionRefused):
        services.review_assign(actor=other, request=request, reviewer=other)
    request = services.review_assign(actor=w.head, request=request, reviewer=other)
    assert request.reviewer == other
    outsider = rf.legal_reviewer(rw.w, "外科室审核", qualified=True)  # not in the legal unit
    with pytest.raises(TransitionRefused) as exc:
        services.review_assign(actor=rw.legal_head, request=request, reviewer=outsider)
    assert "reviewer_unit" in exc.value.guards
    with pytest.raises(TransitionRefused) as exc:
        services.review_assign(actor=rw.legal_head, request=request, reviewer=w.head)
    assert exc.value.guards == ["reviewer_role"]


def test_a_declared_conflict_releases_the_request_and_blocks_the_reviewer(rw):
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    request = services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.reviewer)
    services.conflict_declare(
        actor=rw.reviewer, case=case, reason="当事人的法定代表人是本人的近亲属。"
    )
    request.refresh_from_db()
    assert request.status == "submitted" and request.reviewer is None
    with pytest.raises(TransitionRefused) as exc:
        services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.reviewer)
    r = refusal(exc, "reviewer_conflict")
    assert "申请回避" in r.message and r.citation == "《中华人民共和国行政处罚法》第四十三条"


def _assigned(rw):
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    return case, services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.reviewer)


def test_an_opinion_without_reasons_is_refused(rw):
    _case, request = _assigned(rw)
    for result, suggestions in (("agree", []), ("problems", ["correct"])):
        with pytest.raises(TransitionRefused) as exc:
            services.opinion_record(
                actor=rw.reviewer,
                request=request,
                findings=rf.findings("law") if result == "problems" else rf.findings(),
                result=result,
                suggestions=suggestions,
                reasons="   ",
            )
        r = refusal(exc, "opinion_reasons")
        assert r.message.startswith("法制审核意见须写明理由")
        assert GB118_13 in r.citation
    assert not ReviewOpinion.objects.exists() and not ReviewFinding.objects.exists()
    request.refresh_from_db()
    assert request.status == "under_review"


def test_malformed_opinions_are_refused(rw):
    w = rw.w
    _case, request = _assigned(rw)

    def opinion(actor=None, **kwargs):
        values = {
            "findings": rf.findings(),
            "result": "agree",
            "suggestions": [],
            "reasons": rf.AGREE_REASONS,
        } | kwargs
        return services.opinion_record(actor=actor or rw.reviewer, request=request, **values)

    with pytest.raises(TransitionRefused) as exc:
        opinion(findings=rf.findings("facts"))
    assert "审核要点“事实是否清楚，证据是否合法充分”标记为存在问题，不能出具同意意见" in str(
        exc.value
    )
    with pytest.raises(TransitionRefused) as exc:
        opinion(result="problems", findings=rf.findings("law"))
    assert exc.value.guards == ["problems_need_suggestion"]
    with pytest.raises(TransitionRefused) as exc:
        opinion(result="problems", suggestions=["change"])
    assert exc.value.guards == ["problems_need_point"]
    with pytest.raises(TransitionRefused) as exc:
        opinion(suggestions=["supplement"])
    assert exc.value.guards == ["agree_with_suggestions"]
    with pytest.raises(TransitionRefused) as exc:
        opinion(result="problems", findings=rf.findings("crime"), suggestions=["supplement"])
    assert exc.value.guards == ["crime_transfer"]
    partial = rf.findings()
    del partial["crime"], partial["documents"]
    with pytest.raises(InvalidInput) as exc:
        opinion(findings=partial)
    assert "尚未填写：文书是否完备规范、是否涉嫌犯罪需移送" in exc.value.errors["findings"][0]
    with pytest.raises(InvalidInput) as exc:
        opinion(findings=rf.findings() | {"law": ("problem", "")}, result="problems")
    assert "findings.law" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        opinion(result="maybe")
    assert "result" in exc.value.errors
    with pytest.raises(TransitionRefused) as exc:
        opinion(actor=w.head)
    assert exc.value.guards == ["not_reviewer"]
    assert "只有其本人可以出具审核意见" in exc.value.messages[0]
    # A dict per point is accepted as well as a pair.
    done = opinion(findings={p: {"finding": "ok", "note": ""} for p in rf.findings()})
    assert done.result == "agree" and done.request.findings.count() == 8


def test_a_hearing_and_a_collective_discussion_add_their_records_to_the_materials(rw):
    from zhifa.cases import engine
    from zhifa.cases.models import Hearing

    case = rf.to_deliberation(rw, rf.major_case(rw))
    # Given a hearing held and a collective discussion taken:
    Hearing.objects.create(case=case, requested_on=rf.days_ago(5), held=True)
    engine.fire(
        case,
        "collective_discussion",
        rw.head,
        {"participants": "陈局长、副局长", "discussion": "讨论。", "conclusion": "报法制审核。"},
    )
    assert services.required_materials(case) == [
        "investigation_report",
        "evidence",
        "proposed_decision",
        "hearing_record",
        "collective_record",
    ]
    with pytest.raises(InvalidInput) as exc:
        rf.submit(rw, case)
    assert "缺少：听证笔录（如有）、集体讨论记录（如有）" in exc.value.errors["materials"][0]
    request = rf.submit(
        rw, case, materials=rf.ALL_MATERIALS | {"hearing_record": True, "collective_record": True}
    )
    required = [m["code"] for m in request.materials if m["required"]]
    assert required == services.required_materials(case)
    assert "经过听证程序" in request.snapshot["criteria"][-1]["description"]
