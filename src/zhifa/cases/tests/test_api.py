"""The case API (/api/v1/): tokens, scope, registering and driving a case, and
how refusals, bad input and repeated submissions read as HTTP."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.cases.models import Case, CaseEvidence, Document
from zhifa.cases.tests import factories as f
from zhifa.ledger.models import Entry
from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import AgencyFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def w():
    return f.world()


@pytest.fixture(autouse=True)
def storage_dir(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "blobs")},
        },
    }


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0]}")
    return client


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def outsider():
    """An officer of another agency."""
    user = UserFactory(name="外局执法人员")
    grant(user, Role.OFFICER, agency=AgencyFactory())
    return user


def fire(user, case, code, data, **extra):
    return api(user).post(
        f"/api/v1/cases/{case.pk}/transitions/{code}/", data, format="json", **extra
    )


def filing(w, **extra) -> dict:
    return {
        "on": days_ago(20),
        "item": w.item.pk,
        "act_date": days_ago(60),
        "officers": [o.pk for o in w.officers[:2]],
        "lead": w.officers[0].pk,
        "opinion": "同意立案",
    } | extra


def register_body(w, **extra) -> dict:
    return {
        "title": "未取得食品经营许可从事食品经营活动",
        "source_kind": "complaint",
        "source_received_on": days_ago(30),
        "region": w.county.code,
        "place": "本溪县小市镇商业街8号",
        "party": dict(f.COMPANY),
    } | extra


# ---------------------------------------------------------------------------
# Authentication and access
# ---------------------------------------------------------------------------


def _api_routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _api_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def test_every_api_url_refuses_an_anonymous_request_with_401():
    routes = [r for r in _api_routes(get_resolver().url_patterns) if r.startswith("api/v1/")]
    assert "api/v1/cases/<int:pk>/transitions/<str:code>/" in routes
    client = APIClient()
    for route in routes:
        url = "/" + re.sub(r"<int:\w+>", "1", re.sub(r"<str:\w+>", "x", route))
        response = client.get(url)
        assert response.status_code == 401, url
        assert "令牌" in response.content.decode(), url  # JSON; YAML for the schema
        assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_refused(w):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_the_token_command_issues_rotates_and_revokes(w):
    user = w.users[0]
    out = io.StringIO()
    call_command("api_token", user.username, stdout=out, stderr=io.StringIO())
    first = out.getvalue().strip()
    assert re.fullmatch(r"[0-9a-f]{40}", first)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.get("/api/v1/cases/").status_code == 200

    out = io.StringIO()
    call_command("api_token", user.username, stdout=out, stderr=io.StringIO())
    second = out.getvalue().strip()
    assert second != first
    assert client.get("/api/v1/cases/").status_code == 401  # the old token is dead

    call_command("api_token", user.username, "--revoke", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Token.objects.filter(user=user).exists()


def test_the_token_command_refuses_unknown_and_inactive_users(w):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command("api_token", "nobody", stdout=io.StringIO())
    user = UserFactory(is_active=False)
    with pytest.raises(CommandError, match="已停用"):
        call_command("api_token", user.username, stdout=io.StringIO())


def test_the_staff_session_works_and_still_needs_csrf_for_writes(w):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(w.users[0])
    assert client.get("/api/v1/cases/").status_code == 200
    response = client.post("/api/v1/cases/", register_body(w), format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


# ---------------------------------------------------------------------------
# Scope
# ---------------------------------------------------------------------------


def test_the_list_shows_only_cases_of_the_users_agencies(w):
    case = f.register(w)
    colleague = api(w.users[1]).get("/api/v1/cases/")
    assert colleague.status_code == 200
    body = colleague.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["number"] == case.number and row["status_label"] == "案件来源登记"
    assert row["parties"] == [f.COMPANY["name"]]

    stranger = api(outsider())
    assert stranger.get("/api/v1/cases/").json()["count"] == 0
    response = stranger.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 404
    assert "不属于您所在的执法主体" in response.json()["detail"]
    assert stranger.get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 404
    party = case.parties.get()
    assert (
        stranger.patch(f"/api/v1/parties/{party.pk}/", {"phone": "1"}, format="json").status_code
        == 404
    )


def test_the_list_filters_by_status_procedure_and_text(w):
    f.file(w, f.register(w))
    f.register(w, title="无照经营")
    client = api(w.users[0])
    assert client.get("/api/v1/cases/?status=investigation").json()["count"] == 1
    assert client.get("/api/v1/cases/?procedure=penalty.summary").json()["count"] == 0
    assert client.get("/api/v1/cases/", {"q": "无照"}).json()["count"] == 1
    # users[0] was made lead officer when the first case was filed.
    assert client.get("/api/v1/cases/?mine=true").json()["count"] == 1
    assert api(w.users[2]).get("/api/v1/cases/?mine=true").json()["count"] == 0


# ---------------------------------------------------------------------------
# Registering
# ---------------------------------------------------------------------------


def test_an_officer_registers_a_case(w):
    response = api(w.users[0]).post("/api/v1/cases/", register_body(w), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert case.agency == w.agency and case.procedure == "penalty.general"
    assert body["status"] == "registered" and body["status_label"] == "案件来源登记"
    assert body["parties"][0]["uscc"] == f.COMPANY["uscc"]
    assert body["region"] == {"code": w.county.code, "name": w.county.name}
    assert Entry.objects.filter(action="case.register", subject_id=str(case.pk)).exists()


def test_bad_registration_input_names_each_field(w):
    body = register_body(
        w,
        source_received_on=(timezone.localdate() + timedelta(days=1)).isoformat(),
        party=f.COMPANY | {"uscc": "91210521MA0U12345X"},
    )
    response = api(w.users[0]).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"source_received_on", "party.uscc"}
    assert "晚于今天" in errors["source_received_on"][0]

    response = api(w.users[0]).post(
        "/api/v1/cases/", register_body(w, region="999999", party={}), format="json"
    )
    errors = response.json()["errors"]
    assert response.status_code == 400 and "party.kind" in errors and "party.name" in errors


def test_registering_for_an_agency_one_does_not_work_in_is_refused(w):
    other = AgencyFactory()
    response = api(w.users[0]).post(
        "/api/v1/cases/", register_body(w, agency=other.pk), format="json"
    )
    assert response.status_code == 400 and "agency" in response.json()["errors"]
    response = api(w.reviewer).post("/api/v1/cases/", register_body(w), format="json")
    assert response.status_code == 400
    assert "不是任何执法主体的执法人员" in response.json()["errors"]["agency"][0]


def test_an_officer_opens_a_summary_case(w):
    body = {"title": "占道经营", "place": "小市镇商业街", "party": dict(f.PERSON)}
    response = api(w.users[0]).post("/api/v1/cases/summary/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["procedure"] == "penalty.summary"
    assert response.json()["status"] == "onsite"
    # A unit head may not use the summary procedure.
    response = api(w.unit_head).post("/api/v1/cases/summary/", body, format="json")
    assert response.status_code == 400


# ---------------------------------------------------------------------------
# Driving a case
# ---------------------------------------------------------------------------


def test_a_general_case_from_filing_to_service_through_the_api(w):
    case = f.register(w)
    officer, second, unit_head, head = w.users[0], w.users[1], w.unit_head, w.head

    response = fire(unit_head, case, "file", filing(w))
    assert response.status_code == 201, response.json()
    record = response.json()
    assert record["transition"] == "file" and record["case"]["status"] == "investigation"
    assert re.fullmatch(r"[0-9a-f]{64}", record["entry"]["leaf_hash"])

    inspection = {
        "on": days_ago(19),
        "officers_present": [o.pk for o in w.officers[:2]],
        "place": "本溪县小市镇商业街8号",
        "content": "现场发现散装熟食待售。",
    }
    assert fire(officer, case, "record_inspection", inspection).status_code == 201
    proposal = {
        "on": days_ago(15),
        "facts": "当事人未取得食品经营许可，于某日起在其店内销售散装熟食。",
        "evidence_summary": "现场检查笔录、询问笔录、照片。",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十二条第一款",
        "decision_kind": "penalty",
        "penalty_types": ["fine"],
        "fine_amount": "70000",
        "discretion_standard": w.standard.pk,
        "discretion_grade": "ordinary",
    }
    assert fire(officer, case, "end_investigation", proposal).status_code == 201
    assert fire(unit_head, case, "notify", {"on": days_ago(14)}).status_code == 201
    waiver = {"statement": "本人放弃陈述申辩和听证。", "waives_hearing": True, "on": days_ago(13)}
    assert fire(officer, case, "waive_statement", waiver).status_code == 201
    assert fire(unit_head, case, "end_statement", {"on": days_ago(13)}).status_code == 201
    decision = {"penalty_types": ["fine"], "fine_amount": 70000, "on": days_ago(12)}
    response = fire(head, case, "decide_penalty", decision)
    assert response.status_code == 201, response.json()
    assert response.json()["case"]["status"] == "decided"
    service = {"method": "direct", "recipient": "李四", "on": days_ago(11)}
    response = fire(second, case, "serve", service)
    assert response.status_code == 201, response.json()

    detail = api(officer).get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["status"] == "served" and detail["status_label"] == "送达与执行"
    assert detail["decision_number"].startswith("本县市监罚〔")
    assert detail["money"]["fine"] == "70000.00" and detail["money"]["outstanding"] == "70000.00"
    assert detail["payment_due"] is not None
    payment = next(d for d in detail["deadlines"] if d["code"] == "payment")
    assert payment["status"] in {"ok", "soon", "unknown"} and payment["colour"]
    assert {o["name"] for o in detail["officers"]} == {"张伟", "李娜"}
    decision_doc = next(d for d in detail["documents"] if d["doc_type"] == "penalty_decision")
    assert decision_doc["status"] == "issued" and decision_doc["number"]

    timeline = api(officer).get(f"/api/v1/cases/{case.pk}/timeline/").json()
    steps = [r["transition"] for r in timeline]
    assert steps[0] == "file" and steps[-1] == "serve"
    indexes = [r["entry"]["index"] for r in timeline]
    assert indexes == sorted(indexes)

    documents = api(officer).get(f"/api/v1/cases/{case.pk}/documents/").json()
    assert {d["id"] for d in documents} == {d["id"] for d in detail["documents"]}
    response = api(officer).get(decision_doc["docx_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert "attachment" in response["Content-Disposition"]
    assert api(outsider()).get(decision_doc["docx_url"]).status_code == 404


def test_options_list_the_allowed_steps_with_their_forms_and_why_others_are_not(w):
    case = f.register(w)
    body = api(w.unit_head).get(f"/api/v1/cases/{case.pk}/options/").json()
    assert body["case"]["status"] == "registered"
    options = {o["code"]: o for o in body["options"]}
    assert options["file"]["allowed"] is True
    fields = {x["name"]: x for x in options["file"]["form_fields"]}
    assert fields["officers"]["type"] == "multiple_choice"
    assert {c["value"] for c in fields["officers"]["choices"]} >= {str(o.pk) for o in w.officers}

    as_officer = api(w.users[0]).get(f"/api/v1/cases/{case.pk}/options/").json()
    refused = {o["code"]: o for o in as_officer["options"]}["file"]
    assert refused["allowed"] is False and refused["form_fields"] is None
    assert refused["refusals"][0]["guard"] == "role_in_agency"
    assert refused["refusals"][0]["citation"]


def test_a_refused_transition_answers_409_naming_the_guard(w):
    case = f.file(w, f.register(w))
    response = fire(w.head, case, "decide_penalty", {"penalty_types": ["fine"], "fine_amount": 1})
    assert response.status_code == 409
    body = response.json()
    assert [r["guard"] for r in body["refusals"]] == ["state"]
    assert "立案调查取证" in body["detail"]

    response = fire(w.users[0], f.register(w), "file", filing(w))
    assert response.status_code == 409
    assert response.json()["refusals"][0]["guard"] == "role_in_agency"
    assert "承办机构负责人" in response.json()["refusals"][0]["message"]


def test_a_guard_of_the_law_is_named_with_its_citation(w):
    # 追责时效: an act three years ago, not found since (行政处罚法 第三十六条).
    five_days_ago = timezone.localdate() - timedelta(days=5)
    case = f.register(w, on=five_days_ago, received=five_days_ago)
    response = fire(w.unit_head, case, "file", filing(w, on=days_ago(1), act_date=days_ago(1100)))
    assert response.status_code == 409, response.json()
    refusal = next(r for r in response.json()["refusals"] if r["guard"] == "limitation")
    assert "第三十六条" in refusal["citation"]


def test_bad_transition_input_answers_400_naming_the_field(w):
    case = f.register(w)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = fire(w.unit_head, case, "file", filing(w, on=tomorrow, lead=""))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "on" in errors and "lead" in errors
    assert errors["on"] == ["日期不能晚于今天。"]
    assert Case.objects.get(pk=case.pk).status == "registered"


def test_an_unknown_case_answers_404(w):
    response = fire(w.unit_head, Case(pk=999999), "file", filing(w))
    assert response.status_code == 404


def test_a_repeated_idempotency_key_answers_409_with_the_first_record(w):
    case = f.register(w)
    first = fire(w.unit_head, case, "file", filing(w), HTTP_IDEMPOTENCY_KEY="file-1")
    assert first.status_code == 201
    again = fire(w.unit_head, case, "file", filing(w), HTTP_IDEMPOTENCY_KEY="file-1")
    assert again.status_code == 409
    body = again.json()
    assert body["refusals"][0]["guard"] == "duplicate"
    assert body["record"]["id"] == first.json()["id"]
    assert case.records.count() == 1


def test_idempotency_keys_are_per_user(w):
    case = f.file(w, f.register(w))
    data = {
        "officers_present": [o.pk for o in w.officers[:2]],
        "place": "本溪县小市镇商业街8号",
        "content": "现场检查。",
        "submission_key": "k1",
    }
    assert fire(w.users[0], case, "record_inspection", data).status_code == 201
    assert fire(w.users[1], case, "record_inspection", data).status_code == 201
    assert fire(w.users[0], case, "record_inspection", data).status_code == 409


# ---------------------------------------------------------------------------
# Evidence, parties
# ---------------------------------------------------------------------------


def _upload(client, case, *, without=(), **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "file": SimpleUploadedFile("现场.pdf", PDF, content_type="application/pdf"),
        "kind": "documentary",
        "title": "营业执照复印件",
        "source": "phone",
        "captured_at": timezone.now().isoformat(),
        "latitude": "41.29838472",
        "longitude": "124.12345678",
        "accuracy_m": 8,
        "device": "测试手机",
    } | extra
    data = {k: v for k, v in data.items() if k not in without}
    return client.post(f"/api/v1/cases/{case.pk}/evidence/", data, format="multipart")


def test_evidence_is_uploaded_with_where_and_when_it_was_taken(w):
    case = f.file(w, f.register(w))
    response = _upload(api(w.users[0]), case)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["media_type"] == "application/pdf" and body["original_name"] == "现场.pdf"
    assert body["latitude"] == "41.298385" and body["source"] == "phone"
    evidence = CaseEvidence.objects.get(pk=body["id"])
    assert evidence.uploaded_by == w.users[0]

    again = _upload(api(w.users[0]), case)
    assert again.status_code == 400 and "file" in again.json()["errors"]
    bad = _upload(api(w.users[0]), case, kind="rumour", without=("file",))
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"kind", "file"}
    assert _upload(api(outsider()), case).status_code == 404


def test_a_party_is_corrected_before_the_decision(w):
    case = f.register(w)
    party = case.parties.get()
    response = api(w.users[0]).patch(
        f"/api/v1/parties/{party.pk}/", {"phone": "024-12345678"}, format="json"
    )
    assert response.status_code == 200, response.json()
    party.refresh_from_db()
    assert party.phone == "024-12345678" and party.name == f.COMPANY["name"]

    response = api(w.users[0]).patch(
        f"/api/v1/parties/{party.pk}/", {"uscc": "91210521MA0U12345X"}, format="json"
    )
    assert response.status_code == 400
    assert any(k.endswith("uscc") for k in response.json()["errors"])


# ---------------------------------------------------------------------------
# Definitions and the schema
# ---------------------------------------------------------------------------


def test_procedure_definitions_list_states_transitions_and_guards_with_citations(w):
    client = api(w.users[0])
    codes = {p["code"] for p in client.get("/api/v1/procedures/").json()}
    assert {"penalty.general", "penalty.summary"} <= codes
    general = client.get("/api/v1/procedures/penalty.general/").json()
    assert general["initial"] == "registered"
    filing_step = next(t for t in general["transitions"] if t["code"] == "file")
    assert filing_step["label"] == "立案"
    assert filing_step["roles"] == [{"code": "unit_head", "label": "承办机构负责人"}]
    limitation = next(g for g in filing_step["guards"] if g["code"] == "limitation")
    assert "第三十六条" in limitation["citation"]
    assert {r["id"] for r in filing_step["rules"]} == {
        "penalty.limitation",
        "penalty.limitation_extended",
    }
    assert "act_date" in {x["name"] for x in filing_step["form_fields"]}
    assert client.get("/api/v1/procedures/nothing/").status_code == 404


def test_the_schema_is_valid_openapi_3(w):
    assert APIClient().get("/api/v1/schema/").status_code == 401
    response = api(w.users[0]).get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert "/api/v1/cases/{id}/transitions/{code}/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_documents_are_listed_for_the_case_and_served_as_docx(w):
    case = f.file(w, f.register(w))
    documents = api(w.users[0]).get(f"/api/v1/cases/{case.pk}/documents/").json()
    approval = next(d for d in documents if d["doc_type"] == "filing_approval")
    assert approval["status"] == "issued"
    assert Document.objects.get(pk=approval["id"]).case == case
    response = api(w.users[0]).get(f"/api/v1/documents/{approval['id']}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_upload_resent_with_its_client_key_is_attached_once(w):
    # A phone app lost the answer to its first send and sends the same file again.
    case = f.file(w, f.register(w))
    client = api(w.users[0])

    first = _upload(client, case, client_key="app-7f3a")
    again = _upload(client, case, client_key="app-7f3a")

    assert first.status_code == 201 and again.status_code == 200, again.json()
    assert again.json()["id"] == first.json()["id"]
    assert CaseEvidence.objects.filter(case=case).count() == 1
    # The same key with other bytes is not that upload: refused, nothing added.
    other = _upload(client, case, client_key="app-7f3a", file=_pdf("另一份.pdf", b"other"))
    assert other.status_code == 400 and "client_key" in other.json()["errors"]
    assert "与本次文件不符" in other.json()["errors"]["client_key"][0]
    # Keys are per user: a colleague's key never replays someone else's upload.
    colleague = _upload(api(w.users[1]), case, client_key="app-7f3a")
    assert colleague.status_code == 400 and "file" in colleague.json()["errors"]
    assert CaseEvidence.objects.filter(case=case).count() == 1


def _pdf(name: str, tail: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF + tail, content_type="application/pdf")
