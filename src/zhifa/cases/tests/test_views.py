"""The 网上办案 pages: my cases, registering, the on-the-spot case, the case
page, one step of the procedure, documents and the home page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from zhifa.cases.models import Case, CaseRecord, Deadline, Document
from zhifa.cases.tests import factories as f
from zhifa.core.home import sections_for_role
from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import AgencyFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def blob_storage(tmp_path, settings):
    """A fresh filesystem storage per test for evidence files and documents."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "blobs")},
        },
    }


@pytest.fixture
def w():
    return f.world()


@pytest.fixture
def outsider():
    """An officer of another agency."""
    user = UserFactory(name="外单位")
    grant(user, Role.OFFICER, agency=AgencyFactory())
    return user


def filing_data(w, **extra) -> dict:
    today = timezone.localdate()
    return {
        "on": today.isoformat(),
        "item": w.item.pk,
        "act_date": (today - timedelta(days=60)).isoformat(),
        "officers": f.ids(w.officers[:2]),
        "lead": w.officers[0].pk,
        "opinion": "同意立案，由张伟、李娜承办。",
    } | extra


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


# --- my cases -------------------------------------------------------------------------


def test_list_shows_the_agencys_cases_with_the_nearest_deadline_in_words(client, w):
    case = f.file(w, f.register(w))
    response = page(client, w.users[0], reverse("cases:list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert case.number in text and "本溪县某食品店有限公司" in text
    assert "立案调查取证" in text
    assert "作出行政处罚决定：剩" in text and "deadline-ok" in text
    assert 'data-label="办案期限"' in text  # the cards layout on phones


def test_list_says_overdue_in_words_not_colour_alone(client, w):
    case = f.file(w, f.register(w))
    Deadline.objects.filter(case=case, code="decide").update(
        due=timezone.localdate() - timedelta(days=2), outer_limit=None
    )
    text = page(client, w.users[0], reverse("cases:list")).content.decode()
    assert "deadline-overdue" in text and "逾期2天" in text


def test_list_filters_by_state_procedure_search_and_mine(client, w):
    filed = f.file(w, f.register(w))
    other = f.register(w, party=f.PERSON, title="销售过期食品")
    url = reverse("cases:list")

    text = page(client, w.users[0], url, data={"status": "penalty.general:registered"}).content
    assert other.number.encode() in text and filed.number.encode() not in text

    text = client.get(url, {"q": "张三"}).content
    assert other.number.encode() in text and filed.number.encode() not in text

    text = client.get(url, {"procedure": "penalty.summary"}).content.decode()
    assert "没有符合条件的案件" in text

    text = page(client, w.users[2], url, data={"mine": "1"}).content
    assert filed.number.encode() not in text  # 赵强 was not assigned


def test_list_paginates(client, w, monkeypatch):
    monkeypatch.setattr("zhifa.cases.views.PAGE_SIZE", 1)
    f.register(w)
    f.register(w, party=f.PERSON)
    text = page(client, w.users[0], reverse("cases:list")).content.decode()
    assert "第 1 / 2 页" in text and "page=2" in text


def test_outsider_sees_no_cases_and_gets_404_on_a_case(client, w, outsider):
    case = f.register(w)
    assert case.number not in page(client, outsider, reverse("cases:list")).content.decode()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    url = reverse("cases:transition", args=[case.pk, "file"])
    assert client.get(url).status_code == 404
    assert client.post(url, filing_data(w)).status_code == 404
    assert Case.objects.get(pk=case.pk).status == "registered"


def test_anonymous_is_sent_to_login(client, w):
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


# --- registering ----------------------------------------------------------------------


def test_register_a_case_with_its_party(client, w):
    client.force_login(w.users[0])
    assert client.get(reverse("cases:new")).status_code == 200
    response = client.post(
        reverse("cases:new"),
        {
            "agency": w.agency.pk,
            "title": "无证经营",
            "source_kind": "report",
            "source_received_on": timezone.localdate().isoformat(),
            "region": w.county.pk,
            "place": "小市镇商业街",
            "party-kind": "natural",
            "party-name": "张三",
            "party-id_type": "resident",
            "party-id_number": f.PERSON["id_number"],
        },
    )
    case = Case.objects.get(title="无证经营")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.status == "registered" and case.parties.get().name == "张三"


def test_register_shows_the_services_errors_at_the_party_fields(client, w):
    client.force_login(w.users[0])
    response = client.post(
        reverse("cases:new"),
        {
            "agency": w.agency.pk,
            "title": "无证经营",
            "source_kind": "report",
            "source_received_on": timezone.localdate().isoformat(),
            "region": w.county.pk,
            "party-kind": "organisation",
            "party-name": "某公司",
            "party-uscc": "91210521MA0U12345X",
        },
    )
    assert response.status_code == 400
    assert response.context["party_form"].errors["uscc"]
    assert "统一社会信用代码" in response.content.decode()
    assert not Case.objects.exists()


def test_register_keeps_the_place_inside_the_agencys_region(client, w):
    from zhifa.orgs.tests.factories import region_tree

    elsewhere = region_tree()[3]  # 桓仁满族自治县
    client.force_login(w.users[0])
    response = client.post(
        reverse("cases:new"),
        {
            "agency": w.agency.pk,
            "title": "无证经营",
            "source_kind": "report",
            "source_received_on": timezone.localdate().isoformat(),
            "region": elsewhere.pk,
            "party-kind": "natural",
            "party-name": "张三",
        },
    )
    assert response.status_code == 400 and response.context["form"].errors["region"]


def test_legal_reviewer_may_not_register(client, w):
    assert page(client, w.reviewer, reverse("cases:new")).status_code == 403


# --- on the spot ----------------------------------------------------------------------


def test_on_spot_opens_a_summary_case_and_goes_to_the_decision(client, w):
    client.force_login(w.users[0])
    assert client.get(reverse("cases:on_spot")).status_code == 200
    response = client.post(
        reverse("cases:on_spot"),
        {
            "kind": "natural",
            "name": "张三",
            "ident": f.PERSON["id_number"],
            "title": "占道经营",
            "place": "小市镇商业街口",
        },
    )
    case = Case.objects.get(title="占道经营")
    assert case.procedure == "penalty.summary" and case.status == "onsite"
    assert response["Location"] == reverse("cases:transition", args=[case.pk, "decide_on_spot"])
    text = client.get(response["Location"]).content.decode()
    assert 'capture="environment"' in text and "当场作出行政处罚决定并交付" in text


def test_on_spot_shows_a_bad_id_number_at_its_field(client, w):
    client.force_login(w.users[0])
    response = client.post(
        reverse("cases:on_spot"),
        {
            "kind": "natural",
            "name": "张三",
            "ident": "110105194912310021",
            "title": "占道经营",
            "place": "路口",
        },
    )
    assert response.status_code == 400
    assert "校验码" in " ".join(response.context["form"].errors["ident"])


def test_on_spot_is_for_officers(client, w):
    assert page(client, w.unit_head, reverse("cases:on_spot")).status_code == 403


# --- the case page --------------------------------------------------------------------


def test_detail_shows_what_can_be_done_and_why_not(client, w):
    case = f.register(w)
    text = page(client, w.users[0], reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.number in text and "案件来源登记" in text
    assert "暂不能办理及原因" in text and "承办机构负责人" in text
    text = page(client, w.unit_head, reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:transition", args=[case.pk, "file"]) in text


def test_detail_shows_timeline_deadlines_documents_and_ledger_links(client, w):
    case = f.file(w, f.register(w))
    record = CaseRecord.objects.get(case=case, transition="file")
    text = page(client, w.users[0], reverse("cases:detail", args=[case.pk])).content.decode()
    assert "立案" in text and "案件来源登记 → 立案调查取证" in text
    assert f"全过程记录第 {record.entry.seq} 号" in text
    assert reverse("ledger:entry_receipt", args=[record.entry.seq]) in text
    assert "作出行政处罚决定" in text and "deadline-" in text
    doc = Document.objects.filter(case=case).first()
    assert doc is not None and reverse("cases:document_docx", args=[case.pk, doc.pk]) in text
    assert "张伟" in text and "主办" in text


def test_colleague_in_another_unit_of_the_agency_sees_the_case(client, w):
    case = f.register(w)
    colleague = UserFactory()
    grant(colleague, Role.LEGAL_REVIEWER, agency=w.agency)
    assert page(client, colleague, reverse("cases:detail", args=[case.pk])).status_code == 200


# --- one step ------------------------------------------------------------------------


def test_transition_page_explains_the_step(client, w):
    case = f.register(w)
    response = page(client, w.unit_head, reverse("cases:transition", args=[case.pk, "file"]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "立案" in text and "承办机构负责人审批立案" in text and "二年内" in text
    assert 'name="submission_key"' in text
    assert "暂不能办理" not in text


def test_transition_post_fires_and_returns_to_the_case(client, w):
    case = f.register(w)
    client.force_login(w.unit_head)
    response = client.post(
        reverse("cases:transition", args=[case.pk, "file"]),
        filing_data(w, submission_key="k-1"),
        follow=True,
    )
    # "#done-file" tells the page's script to drop this form's draft on the device.
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk]) + "#done-file"
    assert "已办理“立案”" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "investigation"


def test_refused_transition_shows_the_reasons_and_keeps_the_form(client, w):
    case = f.register(w)
    client.force_login(w.users[0])  # an officer; 立案 is for the unit head
    url = reverse("cases:transition", args=[case.pk, "file"])
    assert "承办机构负责人" in client.get(url).content.decode()  # said before submitting
    response = client.post(url, filing_data(w))
    text = response.content.decode()
    assert response.status_code == 409
    assert "暂不能办理" in text and "承办机构负责人" in text
    assert "同意立案，由张伟、李娜承办。" in text  # nothing typed is lost
    assert Case.objects.get(pk=case.pk).status == "registered"


def test_a_guard_refusal_names_its_citation(client, w):
    case = f.register(w)
    client.force_login(w.unit_head)
    old = (timezone.localdate() - timedelta(days=4 * 365)).isoformat()
    response = client.post(
        reverse("cases:transition", args=[case.pk, "file"]), filing_data(w, act_date=old)
    )
    text = response.content.decode()
    assert response.status_code == 409 and "追责时效" in text and "第三十六条" in text


def test_invalid_input_is_shown_at_the_field(client, w):
    case = f.register(w)
    client.force_login(w.unit_head)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("cases:transition", args=[case.pk, "file"]), filing_data(w, on=tomorrow)
    )
    assert response.status_code == 400
    assert "日期不能晚于今天" in " ".join(response.context["form"].errors["on"])


def test_double_submission_is_refused_with_a_message(client, w):
    case = f.register(w)
    client.force_login(w.unit_head)
    url = reverse("cases:transition", args=[case.pk, "file"])
    key = client.get(url).context["submission_key"]
    client.post(url, filing_data(w, submission_key=key))
    response = client.post(url, filing_data(w, submission_key=key), follow=True)
    assert "该表单已经提交过，未重复办理" in response.content.decode()
    assert CaseRecord.objects.filter(case=case, transition="file").count() == 1


def test_same_key_from_another_user_is_not_a_duplicate(client, w):
    """Keys are scoped to the user, so one page's key cannot block someone else."""
    case = f.file(w, f.register(w))
    data = {
        "officers_present": f.ids(w.officers[:2]),
        "place": "商业街8号",
        "content": "现场检查。",
        "submission_key": "same",
    }
    url = reverse("cases:transition", args=[case.pk, "record_inspection"])
    client.force_login(w.users[0])
    client.post(url, data)
    client.force_login(w.users[1])
    client.post(url, data)
    assert CaseRecord.objects.filter(case=case, transition="record_inspection").count() == 2


def test_onsite_step_offers_the_camera_first(client, w):
    case = f.file(w, f.register(w))
    url = reverse("cases:transition", args=[case.pk, "record_inspection"])
    text = page(client, w.users[0], url).content.decode()
    assert text.index('capture="environment"') < text.index('name="submission_key"')
    assert 'value="record_inspection"' in text  # uploads attach to this step
    assert 'type="checkbox"' in text  # officers present as tick boxes on a phone


def test_unknown_step_is_404(client, w):
    case = f.register(w)
    url = reverse("cases:transition", args=[case.pk, "no_such_step"])
    assert page(client, w.unit_head, url).status_code == 404


# --- documents -----------------------------------------------------------------------


def test_document_preview_and_docx(client, w):
    case = f.file(w, f.register(w))
    doc = Document.objects.filter(case=case, doc_type="filing_approval").get()
    client.force_login(w.users[0])
    text = client.get(reverse("cases:document", args=[case.pk, doc.pk])).content.decode()
    assert doc.title in text and "同意立案" in text
    response = client.get(reverse("cases:document_docx", args=[case.pk, doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_document_pdf(client, w, settings):
    settings.ZHIFA_DOCUMENT_PDF_ENGINE = "weasyprint"
    case = f.file(w, f.register(w))
    doc = Document.objects.filter(case=case, doc_type="filing_approval").get()
    response = page(client, w.users[0], reverse("cases:document_pdf", args=[case.pk, doc.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_outsider_cannot_fetch_a_document(client, w, outsider):
    case = f.file(w, f.register(w))
    doc = Document.objects.filter(case=case).first()
    client.force_login(outsider)
    for name in ("cases:document", "cases:document_docx", "cases:document_pdf"):
        assert client.get(reverse(name, args=[case.pk, doc.pk])).status_code == 404


# --- home ----------------------------------------------------------------------------


def test_home_lists_cases_with_deadlines_due_within_five_days(client, w):
    today = timezone.localdate()
    soon = f.file(w, f.register(w))
    late = f.file(w, f.register(w, party=f.PERSON))
    later = f.file(w, f.register(w, party=f.PERSON, title="另一案"))
    Deadline.objects.filter(case=soon).update(due=today + timedelta(days=3), outer_limit=None)
    Deadline.objects.filter(case=late).update(due=today - timedelta(days=1), outer_limit=None)
    Deadline.objects.filter(case=later).update(due=today + timedelta(days=30), outer_limit=None)

    text = page(client, w.users[0], reverse("home")).content.decode()
    assert "办案期限" in text
    assert soon.number in text and late.number in text and later.number not in text
    assert "逾期1天" in text and "剩3天" in text
    assert reverse("cases:on_spot") in text and reverse("cases:new") in text

    # 赵强 handles none of them: his section is empty, not someone else's list.
    text = page(client, w.users[2], reverse("home")).content.decode()
    assert soon.number not in text and "没有逾期或5日内届满的办案期限" in text
    # The agency head sees every case of the agency; the on-spot button is for officers.
    text = page(client, w.head, reverse("home")).content.decode()
    assert soon.number in text and late.number in text
    assert reverse("cases:on_spot") not in text


# --- whose time a deadline is ------------------------------------------------------


def test_a_partys_period_that_ran_out_is_not_the_agency_being_late(client, w):
    # Notified 16 days ago: the statement period and the five working days to
    # ask for a hearing are over. Nobody is late: the case may go on.
    case = f.general_case(w, until="statement", start=20)
    statement = Deadline.objects.get(case=case, code="statement", stopped_on__isnull=True)

    text = page(client, w.users[0], reverse("cases:detail", args=[case.pk])).content.decode()
    assert "deadline-lapsed" in text
    assert f"已于{statement.effective_due:%Y-%m-%d}届满，可以继续办理" in text

    # The list shows the agency's own deadline (the 90 days to decide), not the party's.
    text = client.get(reverse("cases:list")).content.decode()
    assert "作出行政处罚决定：剩" in text and "陈述、申辩期间" not in text

    # The home page: a prompt to go on, not an overdue alarm.
    text = client.get(reverse("home")).content.decode()
    assert "陈述、申辩期间：已于" in text and "可以继续办理" in text


def test_a_period_the_party_still_has_is_not_on_the_home_list(client, w):
    case = f.general_case(w, until="statement", start=5)  # notified yesterday, not waived
    assert Deadline.objects.filter(case=case, code="statement", stopped_on__isnull=True).exists()
    Deadline.objects.filter(case=case, code="decide").update(
        due=timezone.localdate() + timedelta(days=60), outer_limit=None
    )

    text = page(client, w.users[0], reverse("home")).content.decode()
    assert case.number not in text


def test_a_fine_not_paid_in_time_is_the_party_overdue(client, w):
    case = f.general_case(w, until="served")
    Deadline.objects.filter(case=case, code="payment").update(
        due=timezone.localdate() - timedelta(days=3), outer_limit=None
    )

    text = page(client, w.users[0], reverse("cases:list")).content.decode()
    assert "deadline-party_overdue" in text and "缴纳罚款：当事人逾期3天" in text
    assert "deadline-overdue" not in text


def test_the_list_can_show_only_cases_where_the_agency_is_late(client, w):
    today = timezone.localdate()
    late = f.file(w, f.register(w))
    Deadline.objects.filter(case=late, code="decide").update(
        due=today - timedelta(days=2), outer_limit=None
    )
    extended = f.file(w, f.register(w, party=f.PERSON))
    Deadline.objects.filter(case=extended, code="decide").update(
        due=today - timedelta(days=2), outer_limit=None, extended_to=today + timedelta(days=28)
    )
    waiting = f.general_case(w, until="statement", start=20)  # only the party's periods ran out
    Deadline.objects.filter(case=waiting, code="decide").update(
        due=today + timedelta(days=30), outer_limit=None
    )

    text = page(client, w.users[0], reverse("cases:list"), data={"late": "1"}).content.decode()
    assert late.number in text
    assert extended.number not in text and waiting.number not in text
    api_rows = APIClient()
    api_rows.force_authenticate(w.users[0])
    found = api_rows.get("/api/v1/cases/", {"late": "true"}).json()["results"]
    assert [row["number"] for row in found] == [late.number]


def test_the_supervisor_sees_the_regions_late_cases_and_the_count_adds_up(client, w):
    today = timezone.localdate()
    late = [f.file(w, f.register(w)), f.file(w, f.register(w, party=f.PERSON))]
    for n, case in enumerate(late):
        Deadline.objects.filter(case=case, code="decide").update(
            due=today - timedelta(days=2 + n), outer_limit=None
        )
    f.general_case(w, until="statement", start=20)  # only a party's period ran out
    supervisor = UserFactory()
    assignment = grant(supervisor, Role.SUPERVISOR, region=w.county)

    section = next(
        s for s in sections_for_role(supervisor, assignment) if s.title == "办案期限逾期的案件"
    )
    assert section.count == 2  # = the list filtered below
    shown = [item.text for item in section.items]
    assert shown == [
        f"{c.agency.name} {c.number}" for c in (late[1], late[0])
    ]  # most overdue first
    assert section.items[0].detail == "作出行政处罚决定：逾期3天"
    text = page(client, supervisor, reverse("home")).content.decode()
    assert "办案期限逾期的案件" in text and late[1].number in text
    listed = client.get(reverse("cases:list"), {"late": "1"}).content.decode()
    assert all(c.number in listed for c in late)


def test_the_list_exports_as_the_case_ledger_in_excel(client, w):
    import io

    from openpyxl import load_workbook

    filed = f.file(w, f.register(w, title='=HYPERLINK("x")无照经营'))
    other = f.register(w, party=f.PERSON, title="销售过期食品")
    page(client, w.users[0], reverse("cases:list"))
    assert "export.xlsx" in client.get(reverse("cases:list")).content.decode()

    response = client.get(reverse("cases:list_xlsx"), {"q": "无照"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["案件台账"].iter_rows(values_only=True))
    assert rows[0][:3] == ("案件编号", "程序", "案由")
    assert [r[0] for r in rows[1:]] == [filed.number]  # the filter holds; `other` is not there
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["案由"] == '=HYPERLINK("x")无照经营'  # text stays text, never a formula
    assert row["立案日期"].date() == filed.filed_on
    assert row["办案期限"] == "作出行政处罚决定" and row["期限情况"].startswith("剩")
    notes = dict(book["说明"].iter_rows(values_only=True))
    assert notes["筛选"] == "关键词：无照" and notes["符合条件的案件"] == "1 件"
    assert other.number not in str(rows)


def test_a_whole_case_number_finds_that_case_and_part_of_one_finds_all_alike(client, w):
    first = f.register(w)
    second = f.register(w, party=f.PERSON)
    url = reverse("cases:list")

    text = page(client, w.users[0], url, data={"q": first.number}).content.decode()
    assert first.number in text and second.number not in text
    prefix = first.number.split("〔")[0]
    text = client.get(url, {"q": prefix}).content.decode()
    assert first.number in text and second.number in text
