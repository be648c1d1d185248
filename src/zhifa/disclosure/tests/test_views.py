"""Staff pages (queue, review, actions, feedback) and the public portal pages
(list, search, permalink, withdrawal notice, forms, caching, open data, API)."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.tests import factories as f
from zhifa.disclosure import services
from zhifa.disclosure.models import ErrorReport, PartyReply, Publication, PublicationStatus
from zhifa.disclosure.tests.factories import PERSON, decided, overturn, publish
from zhifa.ledger import canonical
from zhifa.ledger.models import Entry
from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db
S = PublicationStatus


@pytest.fixture
def w(time_machine):
    f.freeze(time_machine)
    return f.world()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def due(w, django_capture_on_commit_callbacks):
    return decided(w, django_capture_on_commit_callbacks, party=PERSON)


@pytest.fixture
def published(w, due):
    return due[0], publish(w, due[1])


def review_url(pub):
    return reverse("disclosure:review", args=[pub.public_id])


def act_url(pub, op):
    return reverse("disclosure:act", args=[pub.public_id, op])


# --------------------------------------------------------------------------
# Staff


def test_queue_shows_the_countdown_and_highlights_overdue(w, due, client, time_machine):
    _, pub = due
    client.force_login(w.head)
    page = client.get(reverse("disclosure:queue")).content.decode()
    assert pub.decision_number in page and "剩余" in page

    time_machine.move_to(timezone.now() + timedelta(days=30))
    client.force_login(w.head)  # the session from a month ago has expired
    page = client.get(reverse("disclosure:queue")).content.decode()
    assert 'class="overdue"' in page and "已逾期" in page


def test_review_flow_draft_mask_confirm_publish_through_the_pages(w, due, client):
    _, pub = due
    client.force_login(w.head)

    client.post(act_url(pub, "draft"))
    page = client.get(review_url(pub)).content.decode()
    assert 'class="masked"' in page and "公民身份号码" in page
    assert PERSON["id_number"] in page  # the original side, staff only

    response = client.post(act_url(pub, "publish"), follow=True)
    assert "尚未经人工核对确认" in response.content.decode()

    client.post(act_url(pub, "mask_add"), {"phrase": "散装熟食", "kind": "other"})
    client.post(act_url(pub, "confirm"))
    response = client.post(act_url(pub, "publish"), follow=True)
    assert "已公开" in response.content.decode()
    pub.refresh_from_db()
    assert pub.status == S.PUBLISHED and "散装熟食" not in pub.text


def test_staff_pages_are_scoped_to_the_agency_and_the_region(w, due, client):
    _, pub = due
    outsider = f.other_agency_user(Role.AGENCY_HEAD)
    client.force_login(outsider)
    assert client.get(review_url(pub)).status_code == 404
    assert client.post(act_url(pub, "draft")).status_code == 404
    assert pub.decision_number not in client.get(reverse("disclosure:queue")).content.decode()

    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, region=w.agency.region)
    client.force_login(supervisor)
    page = client.get(review_url(pub))
    assert page.status_code == 200 and "生成公开稿" not in page.content.decode()
    # Read-only: the supervisor holds none of the roles that act.
    assert client.post(act_url(pub, "draft")).status_code == 403


def test_anonymous_staff_pages_redirect_to_login(client, due):
    _, pub = due
    for url in (reverse("disclosure:queue"), review_url(pub), reverse("disclosure:feedback")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_withdraw_and_correct_from_the_review_page(w, published, client):
    _, pub = published
    client.force_login(w.head)
    response = client.post(act_url(pub, "withdraw"), {"reason": ""}, follow=True)
    assert "必须说明理由" in response.content.decode()
    client.post(act_url(pub, "correct"), {"note": "更正当事人名称的遮蔽方式。"})
    new = Publication.objects.get(previous=pub)
    assert new.status == S.DRAFTED
    client.post(act_url(pub, "withdraw"), {"reason": "决定已被行政复议撤销。"})
    pub.refresh_from_db()
    new.refresh_from_db()
    assert pub.status == S.WITHDRAWN and new.status == S.CANCELLED


def test_exemption_is_listed_for_the_supervisor(w, due, client):
    _, pub = due
    client.force_login(w.head)
    client.post(
        act_url(pub, "exempt"),
        {"reason": "privacy", "note": "涉及第三人个人隐私，经审查不予公开。"},
    )
    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, region=w.agency.region)
    client.force_login(supervisor)
    page = client.get(reverse("disclosure:exemptions")).content.decode()
    assert pub.case_number in page and "涉及第三人个人隐私" in page
    home = client.get(reverse("home")).content.decode()
    assert "不予公开的执法决定" in home


def test_overdue_items_reach_the_heads_and_supervisors_home(w, due, client, time_machine):
    _, pub = due
    time_machine.move_to(timezone.now() + timedelta(days=30))
    client.force_login(w.head)
    home = client.get(reverse("home")).content.decode()
    assert "事后公开" in home and pub.decision_number in home and "已逾期" in home

    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, region=w.agency.region)
    client.force_login(supervisor)
    home = client.get(reverse("home")).content.decode()
    assert "事后公开逾期" in home and pub.decision_number in home


def test_feedback_page_answers_reports_and_moderates_replies(w, published, client):
    _, pub = published
    report = services.error_report_submit(publication=pub, content="罚款金额写错了。")
    reply = services.reply_submit(
        publication=pub, identifier=PERSON["id_number"], text="已缴清罚款。"
    )
    client.force_login(w.unit_head)
    page = client.get(reverse("disclosure:feedback")).content.decode()
    assert "罚款金额写错了" in page and "已缴清罚款" in page
    client.post(
        reverse("disclosure:report_answer", args=[report.public_id]),
        {"answer": "经核查金额无误。", "outcome": "no_error"},
    )
    client.post(
        reverse("disclosure:reply_moderate", args=[reply.public_id]), {"decision": "approve"}
    )
    assert ErrorReport.objects.get().status == "answered"
    assert PartyReply.objects.get().status == "approved"


# --------------------------------------------------------------------------
# Public portal


def test_portal_section_links_to_the_results(client, published):
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("disclosure:results") in page


PORTAL_PAGES = {
    "事前公开": "portal:agencies",
    "执法人员": "officers:public_list",
    "证件核验": "officers:verify",
    "执法结果": "disclosure:results",
    "记录核验": "ledger:verify",
}


def test_one_portal_links_every_public_section_from_home_and_navigation(client, published):
    """Issue 8 item 6: one site for the public; every page carries the same
    navigation, works without JavaScript and offers the large-text mode."""
    _, pub = published
    home = client.get(reverse("portal:home")).content.decode()
    pages = [*(reverse(name) for name in PORTAL_PAGES.values()), _permalink(pub)]
    for title, name in PORTAL_PAGES.items():
        assert f'href="{reverse(name)}">{title}</a>' in home  # the navigation
    assert reverse("disclosure:export_csv") in home and reverse("open:schema") in home
    for url in [reverse("portal:home"), *pages]:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        for title, name in PORTAL_PAGES.items():
            assert f'href="{reverse(name)}">{title}</a>' in page, (url, title)
        assert 'id="large-text-toggle"' in page, url
        # Nothing on a public page needs a script: no htmx or Alpine behaviour.
        body = page.split("</head>", 1)[1]
        for marker in ("hx-", "x-data", "x-on:", "@click", "onclick", "<script"):
            assert marker not in body, (url, marker)


def _permalink(pub) -> str:
    return reverse("disclosure:detail", args=[pub.series])


def test_large_text_mode_reaches_the_results_and_their_permalink(client, published):
    _, pub = published
    url = _permalink(pub)
    response = client.get(reverse("large_text"), {"on": "1", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert 'class="large-text"' in page and 'aria-pressed="true"' in page
    assert 'class="large-text"' in client.get(reverse("disclosure:results")).content.decode()


def test_the_permalink_is_absolute_and_shared_by_every_version(w, client, published, settings):
    _, first = published
    page = client.get(_permalink(first)).content.decode()
    assert f"http://testserver{_permalink(first)}" in page
    second = services.publication_correct(actor=w.head, publication=first, note="更正标题。")
    second = services.publication_redaction_confirm(actor=w.unit_head, publication=second)
    services.publication_publish(actor=w.head, publication=second)
    settings.ZHIFA_PUBLIC_URL = "https://zhifa.example.cn"
    page = client.get(_permalink(first)).content.decode()
    assert f"https://zhifa.example.cn{_permalink(first)}" in page and "第2版" in page
    row = client.get(f"/open/api/v1/publications/{first.series}/").json()
    assert row["url"] == f"https://zhifa.example.cn{_permalink(first)}" and row["version"] == 2


def test_results_list_and_two_character_search_with_highlight(client, published):
    _, pub = published
    page = client.get(reverse("disclosure:results")).content.decode()
    assert pub.title in page and "<script" not in page.split("</head>")[1]

    page = client.get(reverse("disclosure:results"), {"q": "罚款"}).content.decode()
    assert reverse("disclosure:detail", args=[pub.series]) in page
    assert "<mark>罚款</mark>" in page

    page = client.get(reverse("disclosure:results"), {"q": "无此词语"}).content.decode()
    assert "没有找到" in page


@pytest.mark.parametrize(
    "q", ['"', "' OR 1=1 --", "罚款 AND NOT", "*", "NEAR(罚款)", "x" * 5000, "；；", ""]
)
def test_search_with_syntax_characters_or_enormous_queries_never_fails(client, published, q):
    response = client.get(reverse("disclosure:results"), {"q": q})
    assert response.status_code == 200


def test_results_filters_by_agency_kind_region_and_date(client, published):
    _, pub = published
    url = reverse("disclosure:results")
    day = pub.decided_on.isoformat()
    assert pub.title in client.get(url, {"agency": str(pub.agency.public_id)}).content.decode()
    assert pub.title in client.get(url, {"kind": "penalty", "region": "210000"}).content.decode()
    assert pub.title in client.get(url, {"from": day, "to": day}).content.decode()
    assert pub.title not in client.get(url, {"kind": "license"}).content.decode()
    assert pub.title not in client.get(url, {"region": "110000"}).content.decode()
    later = (pub.decided_on + timedelta(days=1)).isoformat()
    assert pub.title not in client.get(url, {"from": later}).content.decode()
    assert client.get(url, {"from": "not-a-date", "agency": "x"}).status_code == 200


def test_detail_is_a_cacheable_permalink_without_personal_data(client, published):
    _, pub = published
    url = reverse("disclosure:detail", args=[pub.series])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and response["ETag"]
    assert "Cookie" in response["Vary"]
    for value in (PERSON["name"], PERSON["id_number"], PERSON["address"]):
        assert value not in page
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_draft_and_due_publications_are_not_public(client, due):
    _, pub = due
    assert client.get(reverse("disclosure:detail", args=[pub.series])).status_code == 404
    assert pub.title not in client.get(reverse("disclosure:results")).content.decode()


def test_withdrawn_page_shows_only_the_notice(w, client, django_capture_on_commit_callbacks):
    case, pub = decided(w, django_capture_on_commit_callbacks, until="served")
    pub = publish(w, pub)
    text_piece = pub.text[-40:]
    overturn(w, case, django_capture_on_commit_callbacks)
    services.publication_withdraw(
        actor=w.head, publication=pub, reason="该决定已被本溪县人民政府行政复议决定撤销。"
    )

    page = client.get(reverse("disclosure:detail", args=[pub.series])).content.decode()
    assert "撤回说明" in page and "行政复议决定撤销" in page
    assert "原决定已被撤销" in page
    assert text_piece not in page
    assert pub.title not in client.get(reverse("disclosure:results")).content.decode()


def test_correction_history_is_visible_on_the_permalink(w, client, published):
    _, first = published
    second = services.publication_correct(actor=w.head, publication=first, note="调整遮蔽范围。")
    second = services.publication_redaction_confirm(actor=w.unit_head, publication=second)
    services.publication_publish(actor=w.head, publication=second)

    page = client.get(reverse("disclosure:detail", args=[first.series])).content.decode()
    assert "更正记录" in page and "调整遮蔽范围" in page and "第2版" in page


def test_the_report_form_and_the_feedback_page_state_the_answer_period_and_its_basis(
    w, client, published
):
    _, pub = published
    page = client.get(reverse("disclosure:report", args=[pub.series])).content.decode()
    assert "20 个工作日" in page and "未经核实" in page and "政府信息公开条例" in page
    services.error_report_submit(publication=pub, content="罚款金额写错了。")
    client.force_login(w.unit_head)
    page = client.get(reverse("disclosure:feedback")).content.decode()
    assert "disclosure.correction_reply" in page and "未经核实" in page


def test_public_error_report_and_reply_forms(client, published):
    _, pub = published
    url = reverse("disclosure:report", args=[pub.series])
    assert client.post(url, {"content": ""}).status_code == 400
    response = client.post(url, {"content": "决定书文号有误。", "contact": "a@example.com"})
    assert response.status_code == 302
    assert ErrorReport.objects.get().reporter_contact == "a@example.com"

    url = reverse("disclosure:reply", args=[pub.series])
    assert client.post(url, {"identifier": "123", "text": "说明"}).status_code == 400
    response = client.post(url, {"identifier": PERSON["id_number"], "text": "已整改。"})
    assert response.status_code == 302 and PartyReply.objects.count() == 1


def test_public_forms_are_rate_limited(client, published, settings):
    _, pub = published
    settings.ZHIFA_DISCLOSURE_FORM_RATE_LIMIT = (2, 3600)
    url = reverse("disclosure:report", args=[pub.series])
    for _ in range(2):
        assert client.post(url, {"content": "决定书文号有误。"}).status_code == 302
    response = client.post(url, {"content": "决定书文号有误。"})
    assert response.status_code == 400 and "提交过于频繁" in response.content.decode()
    assert ErrorReport.objects.count() == 2


# --------------------------------------------------------------------------
# Open data and API


def test_csv_and_json_downloads_include_withdrawal_notices_without_text(
    w, client, django_capture_on_commit_callbacks
):
    case, pub = decided(w, django_capture_on_commit_callbacks, until="served")
    pub = publish(w, pub)
    _, other = decided(w, django_capture_on_commit_callbacks, party=PERSON)
    other = publish(w, other)
    overturn(w, case, django_capture_on_commit_callbacks)
    services.publication_withdraw(actor=w.head, publication=pub, reason="已被撤销。")

    data = json.loads(client.get(reverse("disclosure:export_json")).content)
    by_status = {row["status"]: row for row in data["results"]}
    assert by_status["published"]["text"] == other.text
    assert by_status["withdrawn"]["text"] is None
    assert by_status["withdrawn"]["withdrawal_reason"] == "已被撤销。"

    body = b"".join(client.get(reverse("disclosure:export_csv")).streaming_content).decode()
    assert body.startswith("\ufeff标识,") and "已被撤销。" in body
    assert PERSON["id_number"] not in body

    only = json.loads(client.get(reverse("disclosure:export_json"), {"q": "某某"}).content)
    assert all(r["status"] in ("published", "withdrawn") for r in only["results"])


def test_public_api_lists_filters_and_documents_itself_without_login(client, published):
    _, pub = published
    data = client.get("/open/api/v1/publications/", {"q": "罚款"}).json()
    assert data["count"] == 1 and data["results"][0]["id"] == str(pub.series)
    assert data["results"][0]["text"] == pub.text
    detail = client.get(f"/open/api/v1/publications/{pub.series}/").json()
    assert detail["decision_number"] == pub.decision_number
    assert client.get(f"/open/api/v1/publications/{pub.public_id}/").status_code == 404
    schema = client.get("/open/api/v1/schema/")
    assert schema.status_code == 200
    body = schema.content.decode()
    assert "/open/api/v1/publications/" in body and "/api/v1/cases/" not in body
    # A token header that is wrong does not lock anyone out of public data.
    assert client.get("/open/api/v1/notices/", HTTP_AUTHORIZATION="Token nope").status_code == 200


def test_the_review_page_warns_when_the_decision_did_not_tell_the_party(
    w, client, django_capture_on_commit_callbacks, monkeypatch
):
    """PUB-04: the party is told in writing, in the decision served, that it
    will be published. Every decision the platform issues says so; one that
    does not (issued elsewhere, or before) is flagged on the review page."""
    _, told = decided(w, django_capture_on_commit_callbacks)
    from zhifa.cases.documents import content

    # The decision document is built as if the notice were not owed.
    silent_content = SimpleNamespace(not_published=lambda case, types=None: ("x", "旧文书"))
    monkeypatch.setattr(content, "publicity", silent_content)
    _, silent = decided(w, django_capture_on_commit_callbacks, party=PERSON)
    monkeypatch.undo()
    client.force_login(w.head)
    assert "未书面告知当事人" in client.get(review_url(silent)).content.decode()
    assert "未书面告知当事人" not in client.get(review_url(told)).content.decode()
    told_flags = sorted(
        canonical.decode(bytes(e.data))["payload"]["party_told"]
        for e in Entry.objects.filter(action="disclosure.obligation_created")
    )
    assert told_flags == [False, True]


def test_downloads_with_an_agency_that_is_no_id_are_empty_not_an_error(client):
    data = json.loads(
        client.get(reverse("disclosure:export_json"), {"agency": "not-a-uuid"}).content
    )
    assert data["count"] == 0 and data["results"] == []
    response = client.get(reverse("disclosure:export_csv"), {"agency": "not-a-uuid"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 1  # the header alone
