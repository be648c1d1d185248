"""The other review pages: the queue with overdue requests, returning,
conflicts, extension, the unit's dispute and the head's decision (集体讨论),
the figures (which add up) and the agency's parameters; and the home page
linking to them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import UserFactory, grant
from zhifa.review.models import ReviewPolicy, ReviewRequest
from zhifa.review.tests import factories as rf
from zhifa.review.tests.test_views import get, post, text

pytestmark = pytest.mark.django_db

GB118_14 = "国办发〔2018〕118号）四、（十四）"


def test_the_queue_shows_mine_and_what_is_overdue(client, rw):
    late = rf.submit(rw, rf.major_case(rw, start=30), today=rf.days_ago(25))
    rf.services.review_assign(actor=rw.legal_head, request=late, reviewer=rw.reviewer)
    fresh = rf.submit(rw, rf.major_case(rw, start=18))

    page = text(get(client, rw.reviewer, reverse("review:queue")))
    assert "分配给我的" in page and late.case.number in page
    assert "deadline-overdue" in page and "逾期" in page
    assert fresh.case.number in page and reverse("review:claim", args=[fresh.pk]) in page
    # The head sees the agency's open requests, the late one marked in words.
    page = text(get(client, rw.head, reverse("review:queue")))
    assert late.case.number in page and fresh.case.number in page and "逾期" in page


def test_the_reviewer_returns_an_incomplete_submission(client, rw):
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    url = reverse("review:return", args=[request.pk])

    response = post(client, rw.reviewer, url, {"missing": ["evidence"]})
    assert response.status_code == 400 and "请写明退回的理由" in text(response)
    response = post(
        client, rw.reviewer, url, {"missing": ["evidence"], "note": "现场照片原件未随案移送。"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "returned_incomplete"
    page = text(get(client, rw.unit_head, reverse("cases:detail", args=[case.pk])))
    assert "第1轮送审已于" in page and "缺少：证据材料" in page
    # The unit completes it and submits again, no answer needed.
    response = post(
        client,
        rw.unit_head,
        reverse("review:submit", args=[case.pk]),
        {"materials": ["investigation_report", "evidence", "proposed_decision"]},
    )
    assert response.status_code == 302
    assert ReviewRequest.objects.get(case=case, round=2).status == "submitted"


def test_a_reviewer_declares_a_conflict_and_the_request_goes_back(client, rw):
    request = rf.submit(rw, rf.major_case(rw))
    rf.services.review_assign(actor=rw.legal_head, request=request, reviewer=rw.reviewer)
    url = reverse("review:conflict", args=[request.pk])
    response = post(client, rw.reviewer, url, {"reason": "当事人法定代表人系本人近亲属。"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "submitted" and request.reviewer is None
    page = text(get(client, rw.legal_head, reverse("review:detail", args=[request.pk])))
    assert "刘审核（不能审核）" in page and "已于" in page and "申请回避" in page


def test_only_the_head_extends_once_within_the_maximum(client, rw):
    request = rf.submit(rw, rf.major_case(rw))
    url = reverse("review:extend", args=[request.pk])
    assert post(client, rw.reviewer, url, {"days": 3, "reason": "案情复杂"}).status_code == 403
    response = post(client, rw.head, url, {"days": 99, "reason": "案情复杂"})
    assert response.status_code == 409 and "最多延长" in text(response)
    response = post(client, rw.head, url, {"days": 3, "reason": "案情复杂，需调取银行流水。"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.extension_days == 3 and request.extended_due_on > request.due_on
    page = text(get(client, rw.head, reverse("review:detail", args=[request.pk])))
    assert "经机关负责人批准延长 3 个工作日" in page and "批准延长审核期限" not in page


def test_the_unit_disputes_and_the_head_records_a_collective_discussion(client, rw):
    w = rw.w
    case = rf.major_case(rw)
    request = rf.submit(rw, case)
    rf.problems(rw, request, suggestions=["change"])
    detail = reverse("review:detail", args=[request.pk])

    page = text(get(client, w.unit_head, detail))
    assert "对审核意见有异议" in page and "答复审核意见并重新提交" in page
    assert "对审核意见有异议" not in text(get(client, w.users[0], detail))  # officers: no
    response = post(client, w.unit_head, reverse("review:dispute", args=[request.pk]), {})
    assert response.status_code == 400 and "请写明异议的理由" in text(response)
    response = post(
        client,
        w.unit_head,
        reverse("review:dispute", args=[request.pk]),
        {"reasons": "从重情节有现场检查笔录证明，裁量理由已在调查终结报告中写明。"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "disputed"

    resolve = reverse("review:resolve", args=[request.pk])
    assert get(client, w.unit_head, resolve).status_code == 403
    page = text(get(client, w.head, resolve))
    assert "从重情节有现场检查笔录证明" in page and rf.PROBLEM_REASONS in page
    decision = {
        "via": "collective",
        "outcome": "upheld_unit",
        "decision": "经集体讨论，采纳承办机构意见，按拟处理意见作出决定。",
    }
    response = post(client, w.head, resolve, decision)
    assert response.status_code == 400 and "集体讨论决定须写明参加讨论的人员" in text(response)
    response = post(client, w.head, resolve, decision | {"participants": "陈局长、周科长、王科长"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "resolved"
    page = text(get(client, w.unit_head, detail))
    record = request.disagreement.document
    assert "集体讨论决定：采纳承办机构意见" in page and record.number in page
    case_page = text(get(client, w.head, reverse("cases:detail", args=[case.pk])))
    assert "集体讨论于" in case_page and "决定采纳承办机构意见" in case_page
    # Decided: the page is read-only now.
    response = post(client, w.head, resolve, decision | {"participants": "陈局长"})
    assert response.status_code == 409 and "该异议已经作出决定" in text(response)


def test_the_figures_add_up_on_the_page_and_the_head_reaches_them_from_home(client, rw):
    a = rf.major_case(rw, start=30)
    rf.problems(rw, rf.submit(rw, a, today=rf.days_ago(25)), points=("law", "facts"))
    rf.agree(rw, rf.submit(rw, a, response="已补充。"))
    b = rf.major_case(rw, start=19)
    rf.agree(rw, rf.submit(rw, b, today=rf.days_ago(3)))
    c = rf.major_case(rw, start=18)
    rf.services.review_return(
        actor=rw.legal_head, request=rf.submit(rw, c), missing=["evidence"], note="缺证据。"
    )
    rf.submit(rw, rf.major_case(rw, start=28), today=rf.days_ago(24))

    home = text(get(client, rw.head, reverse("home")))
    assert reverse("review:figures") in home and "法制审核统计" in home
    url = reverse("review:figures")
    response = get(client, rw.head, url, data={"start": rf.days_ago(30).isoformat()})
    page = text(response)
    assert response.status_code == 200
    assert "1 + 1 + 2 + 1 = 5" in page  # returned + pending + agreed + problems
    assert "1 + 1 = 2" in page  # first round: agreed + problems
    assert "合计（人次）" in page and "事实是否清楚，证据是否合法充分" in page
    assert "50.0%" in page and "第 90 百分位用时" in page
    assert "法制审核人员" in page and "执法人员" in page  # the staffing line
    bad = get(client, rw.head, url, data={"start": "2026-07-01", "end": "2026-06-01"})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in text(bad)


def test_the_head_sets_the_agencys_time_limit_with_its_basis(client, rw):
    url = reverse("review:policy")
    page = text(get(client, rw.head, url))
    assert "现行参数" in page and "保存设置" in page
    response = post(client, rw.head, url, {"time_limit_working_days": 5})
    assert response.status_code == 400 and "设置审核期限须写明依据" in text(response)
    response = post(
        client,
        rw.head,
        f"{url}?agency={rw.agency.pk}",
        {"time_limit_working_days": 5, "time_limit_basis": "本局重大执法决定法制审核办法第十条"},
    )
    assert response.status_code == 302
    assert ReviewPolicy.objects.get(agency=rw.agency).time_limit_working_days == 5
    assert "本机关规定：本局重大执法决定法制审核办法第十条" in text(get(client, rw.head, url))
    # The legal unit's head may read the queue but not change the parameters.
    assert get(client, rw.legal_head, url).status_code == 403
    # A system administrator of the region sees the parameters; the head sets them.
    admin = UserFactory(name="管理员")
    grant(admin, Role.ADMIN, region=rw.agency.region)
    page = text(get(client, admin, url))
    assert "本机关规定" in page and "保存设置" not in page and GB118_14 in page
    response = post(client, admin, f"{url}?agency={rw.agency.pk}", {"time_limit_working_days": 9})
    assert response.status_code == 409 and "法制审核设置须由机关负责人办理" in text(response)
