"""The legal review pages with the Django test client: the full round trip
(submit → assign → problems → answer and resubmit → agree → the decision
page succeeds), each refusal shown in Chinese with its citation, and who may
open what (another agency's reviewer gets 404; an officer never gets the
opinion form)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.cases.models import Case, Document
from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import AgencyFactory, UserFactory, grant
from zhifa.review.models import Point, ReviewRequest
from zhifa.review.tests import factories as rf

pytestmark = pytest.mark.django_db

ART_43 = "《中华人民共和国行政处罚法》第四十三条"
ART_58_1 = "《中华人民共和国行政处罚法》第五十八条第一款"
ART_58_2 = "《中华人民共和国行政处罚法》第五十八条第二款"
GB118_13 = "国办发〔2018〕118号）四、（十三）"
MATERIALS = {"materials": ["investigation_report", "evidence", "proposed_decision"]}


def get(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


def opinion_data(result="agree", *, problems=(), suggestions=(), reasons=rf.AGREE_REASONS):
    data = {"result": result, "reasons": reasons, "suggestions": list(suggestions)}
    for point in Point:
        bad = point.value in problems
        data[f"finding_{point.value}"] = "problem" if bad else "ok"
        data[f"note_{point.value}"] = "裁量理由不充分，须补充从重情节的证据。" if bad else ""
    return data


def latest(case) -> ReviewRequest:
    return ReviewRequest.objects.filter(case=case).order_by("-round").first()


def text(response) -> str:
    return response.content.decode()


# --- the round trip ----------------------------------------------------------------


def test_the_full_round_trip_in_the_pages_ends_in_the_decision(client, rw):
    w = rw.w
    case = rf.to_deliberation(rw, rf.major_case(rw))
    submit_url = reverse("review:submit", args=[case.pk])

    # The case page says review is needed and links to the submission page.
    page = text(get(client, w.unit_head, reverse("cases:detail", args=[case.pk])))
    assert "本案须经法制审核" in page and "尚未提交法制审核" in page
    assert f'href="{submit_url}"' in page
    assert "/do/submit_legal_review/" not in page

    # 1. The unit submits, ticking the materials.
    page = text(get(client, w.unit_head, submit_url))
    assert "调查终结报告（须报送）" in page and "拟罚款70000元" in page
    assert "对上一轮审核意见的答复" not in page
    response = post(client, w.unit_head, submit_url, MATERIALS | {"note": "请审核。"})
    first = latest(case)
    assert response.status_code == 302
    assert response["Location"] == reverse("review:detail", args=[first.pk])
    assert first.round == 1 and first.status == "submitted"

    # 2. The legal unit's head assigns the qualified reviewer.
    detail_url = reverse("review:detail", args=[first.pk])
    page = text(get(client, rw.legal_head, detail_url))
    assert "分配审核人员" in page and "孙新人（不能审核）" in page
    assert "初次从事行政处罚决定法制审核" in page and ART_58_2 in page
    response = post(
        client,
        rw.legal_head,
        reverse("review:assign", args=[first.pk]),
        {"reviewer": rw.reviewer.pk},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "under_review" and first.reviewer == rw.reviewer

    # 3. The reviewer reads everything and finds problems.
    page = text(get(client, rw.reviewer, detail_url))
    assert "出具审核意见" in page and "主体是否合法" in page and "是否涉嫌犯罪需移送" in page
    assert "涉及重大公共利益" in page and "拟罚款70000元" in page
    assert "办案记录" in page and "提交法制审核" in page  # the case's timeline
    response = post(
        client,
        rw.reviewer,
        reverse("review:opinion", args=[first.pk]),
        opinion_data(
            "problems", problems=("law",), suggestions=("supplement",), reasons=rf.PROBLEM_REASONS
        ),
    )
    assert response.status_code == 302 and response["Location"].endswith("#opinion")
    first.refresh_from_db()
    assert first.status == "problems"
    page = text(get(client, w.unit_head, detail_url))
    doc = first.opinion.document
    assert "《法制审核意见书》" in page and doc.number in page
    assert reverse("cases:document_docx", args=[case.pk, doc.pk]) in page
    assert reverse("cases:document_pdf", args=[case.pk, doc.pk]) in page
    assert "答复审核意见并重新提交" in page

    # The decision page refuses, saying why.
    decide_url = reverse("cases:transition", args=[case.pk, "decide_penalty"])
    decision = {"penalty_types": ["fine"], "fine_amount": "70000", "bank": "某银行"}
    response = post(client, w.head, decide_url, decision)
    assert response.status_code == 409 and "法制审核未通过（第1轮）" in text(response)

    # 4. The unit answers and resubmits: without an answer it is refused, with the citation.
    page = text(get(client, w.unit_head, submit_url))
    assert "第1轮审核意见（须答复）" in page and rf.PROBLEM_REASONS in page
    response = post(client, w.unit_head, submit_url, MATERIALS)
    page = text(response)
    assert response.status_code == 409
    assert "重新提交须先答复上一轮审核意见" in page and GB118_13 in page
    response = post(
        client, w.unit_head, submit_url, MATERIALS | {"response": "已补充从重情节的证据说明。"}
    )
    second = latest(case)
    assert response.status_code == 302 and second.round == 2
    first.refresh_from_db()
    assert first.status == "resubmitted"

    # 5. The reviewer claims the new round and agrees.
    page = text(get(client, rw.reviewer, reverse("review:queue")))
    assert "认领" in page and case.number in page
    response = post(client, rw.reviewer, reverse("review:claim", args=[second.pk]))
    assert response.status_code == 302
    page = text(get(client, rw.reviewer, reverse("review:detail", args=[second.pk])))
    assert "已补充从重情节的证据说明" in page and "第1轮" in page
    response = post(
        client, rw.reviewer, reverse("review:opinion", args=[second.pk]), opinion_data()
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == "agreed"

    # 6. The head decides on the case page's step.
    page = text(get(client, w.head, reverse("cases:detail", args=[case.pk])))
    assert "涵盖本案现状" in page
    response = post(client, w.head, decide_url, decision)
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "decided"
    assert Document.objects.filter(case=case, doc_type="legal_review_opinion").count() == 2


# --- refusals on the page, each with its citation --------------------------------------


def test_self_review_is_refused_on_the_page_with_its_citation(client, rw):
    w = rw.w
    request = rf.submit(rw, rf.major_case(rw))
    handler = w.users[0]
    grant(handler, Role.LEGAL_REVIEWER, agency=w.agency, unit=rw.legal_unit)

    response = post(
        client, rw.legal_head, reverse("review:assign", args=[request.pk]), {"reviewer": handler.pk}
    )
    page = text(response)
    assert response.status_code == 409
    assert "未能分配审核人员" in page and "张伟是本案的主办人，不能审核本案" in page
    assert ART_43 in page
    # The reviewer's own claim: the reasons are shown instead of the button.
    page = text(get(client, handler, reverse("review:detail", args=[request.pk])))
    assert "您不能审核本案" in page and "张伟是本案的主办人" in page


def test_an_unqualified_first_time_reviewer_is_refused_with_its_citation(client, rw):
    request = rf.submit(rw, rf.major_case(rw))
    response = post(
        client,
        rw.legal_head,
        reverse("review:assign", args=[request.pk]),
        {"reviewer": rw.novice.pk},
    )
    page = text(response)
    assert response.status_code == 409
    assert "孙新人系初次从事行政处罚决定法制审核，须取得法律职业资格" in page and ART_58_2 in page
    # In the queue the novice sees why they may not claim it.
    page = text(get(client, rw.novice, reverse("review:queue")))
    assert "不能认领" in page and "须取得法律职业资格" in page


def test_an_opinion_without_reasons_is_refused_with_its_citation(client, rw):
    request = rf.submit(rw, rf.major_case(rw))
    rf.services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.reviewer)
    url = reverse("review:opinion", args=[request.pk])

    response = post(client, rw.reviewer, url, opinion_data(reasons="  "))
    page = text(response)
    assert response.status_code == 409
    assert "法制审核意见须写明理由" in page and GB118_13 in page
    # Points left out are named on the page, next to the form kept as filled in.
    data = opinion_data()
    del data["finding_crime"]
    response = post(client, rw.reviewer, url, data)
    assert response.status_code == 400
    assert "尚未填写：是否涉嫌犯罪需移送" in text(response)
    request.refresh_from_db()
    assert request.status == "under_review"


def test_a_stale_opinion_is_refused_and_the_page_says_what_changed(client, rw):
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    rf.services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.reviewer)
    rf.add_photo(rw, case)

    page = text(get(client, rw.reviewer, reverse("review:detail", args=[request.pk])))
    assert "案件在送审后发生了变化" in page and "新增证据1项" in page and "送审后新增" in page
    response = post(
        client, rw.reviewer, reverse("review:opinion", args=[request.pk]), opinion_data()
    )
    assert response.status_code == 409
    assert "须退回重新提交" in text(response) and ART_58_1 in text(response)
    # Returned because the case changed: no material needs to be named.
    response = post(
        client, rw.reviewer, reverse("review:return", args=[request.pk]), {"note": "请重新送审。"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "returned_incomplete"
    assert "案件在送审后发生了变化" in request.return_note


def test_an_agreed_opinion_does_not_cover_another_decision(client, rw):
    w = rw.w
    case = rf.to_deliberation(rw, rf.major_case(rw))
    rf.agree(rw, rf.submit(rw, case))
    decide_url = reverse("cases:transition", args=[case.pk, "decide_penalty"])
    response = post(client, w.head, decide_url, {"penalty_types": ["fine"], "fine_amount": "90000"})
    assert response.status_code == 409
    assert "现在要作出的决定与送审时的拟处理决定不一致" in text(response)
    assert "第五十八条" in text(response).split("现在要作出的决定")[1]


def test_an_incomplete_submission_names_the_missing_materials(client, rw):
    case = rf.major_case(rw)
    url = reverse("review:submit", args=[case.pk])
    response = post(client, rw.unit_head, url, {"materials": ["investigation_report"]})
    assert response.status_code == 400
    assert "送审材料不全，缺少：证据材料、拟作出的决定" in text(response)
    assert not ReviewRequest.objects.filter(case=case).exists()


# --- who may open what --------------------------------------------------------------


def test_another_agencys_reviewer_gets_404(client, rw):
    request = rf.submit(rw, rf.major_case(rw))
    stranger = UserFactory(name="外单位审核")
    grant(stranger, Role.LEGAL_REVIEWER, agency=AgencyFactory())
    assert get(client, stranger, reverse("review:detail", args=[request.pk])).status_code == 404
    assert post(client, stranger, reverse("review:claim", args=[request.pk])).status_code == 404
    url = reverse("review:opinion", args=[request.pk])
    assert post(client, stranger, url, opinion_data()).status_code == 404
    assert request.case.number not in text(get(client, stranger, reverse("review:queue")))
    assert get(client, stranger, reverse("review:case", args=[request.case_id])).status_code == 404


def test_an_officer_reads_the_review_but_never_gets_the_opinion_form(client, rw):
    w = rw.w
    request = rf.submit(rw, rf.major_case(rw))
    rf.services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.reviewer)
    officer = w.users[0]

    page = text(get(client, officer, reverse("review:detail", args=[request.pk])))
    assert "法制审核 · 第1轮" in page and "出具审核意见" not in page
    response = post(client, officer, reverse("review:opinion", args=[request.pk]), opinion_data())
    assert response.status_code == 403
    # A legal reviewer who is not the assigned one gets no form either, and is refused.
    other = rf.legal_reviewer(rw, "钱审核", qualified=True)
    opinion_url = reverse("review:opinion", args=[request.pk])
    page = text(get(client, other, reverse("review:detail", args=[request.pk])))
    assert f'action="{opinion_url}"' not in page
    response = post(client, other, reverse("review:opinion", args=[request.pk]), opinion_data())
    assert response.status_code == 409 and "只有其本人可以出具审核意见" in text(response)
    request.refresh_from_db()
    assert request.status == "under_review"


def test_pages_declare_their_roles(client, rw):
    officer = rw.w.users[0]
    assert get(client, officer, reverse("review:figures")).status_code == 403
    assert get(client, officer, reverse("review:policy")).status_code == 403
    assert get(client, rw.reviewer, reverse("review:submit", args=[1])).status_code == 403
    client.logout()
    assert client.get(reverse("review:queue")).status_code == 302


def test_the_head_opening_the_submission_page_is_told_who_submits(client, rw):
    case = rf.major_case(rw)
    response = get(client, rw.head, reverse("review:submit", args=[case.pk]))
    page = text(response)
    assert response.status_code == 200 and "暂不能办理" in page
    response = post(client, rw.head, reverse("review:submit", args=[case.pk]), MATERIALS)
    assert response.status_code == 409
    assert not ReviewRequest.objects.filter(case=case).exists()
