"""执法文书 (zhifa.cases.documents): content, 文号, issue, DOCX and PDF."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import threading
from datetime import date
from decimal import Decimal
from itertools import count
from types import SimpleNamespace

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from docx.oxml.ns import qn

from zhifa.cases import publicity
from zhifa.cases.documents import (
    DECISION_TYPES,
    DOCUMENT_TYPES,
    build_content,
    create_document,
    document_filename,
    document_pdf,
    issue_document,
    missing_fields,
    next_number,
    render_docx,
    render_pdf,
    update_draft,
)
from zhifa.cases.documents.chinese import cn_date, cn_int, rmb_upper
from zhifa.cases.models import (
    Case,
    CaseOfficer,
    Document,
    DocumentSequence,
    Party,
    engine_writing,
)
from zhifa.cases.tests import factories as f
from zhifa.ledger import canonical
from zhifa.ledger.evidence import DOCX_TYPE
from zhifa.ledger.models import Entry, EvidenceBlob
from zhifa.officers.tests.factories import CertificateFactory, market_agency
from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import UserFactory, grant
from zhifa.rules.models import RuleOverride

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 20)
PARTY = "本溪县幸福食品店有限公司"
USCC = "91210521MA0XXXXX1X"
FACTS = "当事人自2026年9月1日起在观音阁街道幸福路8号经营预包装食品，未取得食品经营许可"
BASIS = "《中华人民共和国食品安全法》第一百二十二条第一款"
DECISION = {
    "on": ON,
    "penalty_types": ["fine", "confiscate_gains"],
    "fine_amount": Decimal("50000.00"),
    "confiscation_amount": Decimal("1200.50"),
    "bank": "中国工商银行本溪县支行",
    "evidence_summary": "现场检查笔录、询问笔录、进货单据",
}

_numbers = count(1)


class _Rollback(Exception):
    pass


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def storage_dir(tmp_path, settings):
    """A fresh filesystem storage per test for the evidence files."""
    location = tmp_path / "blobs"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


@pytest.fixture
def agency():
    return market_agency(short_name="本县市监")


@pytest.fixture
def head(agency):
    user = UserFactory(name="李局长")
    grant(user, Role.AGENCY_HEAD, agency=agency)
    return user


def make_case(agency, user, *, party_kind=Party.Kind.ORGANISATION, address="幸福路8号", **fields):
    values = {
        "agency": agency,
        "number": f"本县市监案〔2026〕{next(_numbers)}号",
        "procedure": "penalty.general",
        "status": "deliberation",
        "title": "未取得食品经营许可从事食品经营活动",
        "source_kind": "inspection",
        "source_received_on": date(2026, 9, 1),
        "region": agency.region,
        "place": "观音阁街道幸福路8号",
        "registered_on": date(2026, 9, 2),
        "filed_on": date(2026, 9, 3),
        "created_by": user,
        "facts": FACTS,
        "legal_basis": BASIS,
        "decision_kind": "penalty",
        "penalty_types": ["fine", "confiscate_gains"],
        "fine_amount": Decimal("50000.00"),
        "confiscation_amount": Decimal("1200.50"),
        "hearing_right": True,
        **fields,
    }
    token = engine_writing.set(True)
    try:
        case = Case.objects.create(**values)
    finally:
        engine_writing.reset(token)
    if party_kind == Party.Kind.ORGANISATION:
        Party.objects.create(
            case=case,
            kind=party_kind,
            name=PARTY,
            uscc=USCC,
            legal_representative="王五",
            address=address,
        )
    else:
        Party.objects.create(
            case=case,
            kind=party_kind,
            name="赵六",
            id_type=Party.IdType.RESIDENT,
            id_number="210521198001010013",
            address=address,
        )
    for lead, name in ((True, "张执法"), (False, "刘执法")):
        cert = CertificateFactory(officer__agency=agency, officer__name=name)
        CaseOfficer.objects.create(
            case=case, officer=cert.officer, is_lead=lead, assigned_on=date(2026, 9, 3)
        )
    return case


@pytest.fixture
def case(agency, head):
    return make_case(agency, head)


def issued_decision(case, actor, data=DECISION, doc_type="penalty_decision"):
    doc = create_document(case, doc_type, transition="decide_penalty", data=data, actor=actor)
    with transaction.atomic():
        return issue_document(doc, actor, on=ON)


def stored_bytes(blob: EvidenceBlob) -> bytes:
    with default_storage.open(blob.storage_name, "rb") as handle:
        return handle.read()


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) 未安装，无法检查 PDF 中的文字")
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode().replace(" ", "")


# --------------------------------------------------------------------------- Chinese


def test_amounts_numbers_and_dates_are_written_in_chinese():
    assert rmb_upper(Decimal("50000")) == "伍万元整"
    assert rmb_upper("1200.50") == "壹仟贰佰元伍角整"
    assert rmb_upper("100500.5") == "壹拾万零伍佰元伍角整"
    assert rmb_upper("105000") == "壹拾万伍仟元整"
    assert rmb_upper("100010000") == "壹亿零壹万元整"
    assert rmb_upper("1001") == "壹仟零壹元整"
    assert rmb_upper("1.05") == "壹元零伍分"
    assert rmb_upper("0.30") == "叁角整"
    assert rmb_upper(0) == "零元整"
    assert [cn_int(n) for n in (5, 15, 60, 105, 110, 200)] == [
        "五",
        "十五",
        "六十",
        "一百零五",
        "一百一十",
        "二百",
    ]
    assert cn_date(date(2026, 1, 5)) == "2026年1月5日"


def test_the_type_table_covers_every_document_the_procedures_issue():
    from zhifa.procedures import executable

    issued = {
        code.split("?")[0]
        for procedure in executable()
        for t in procedure.transitions
        for code in t.documents
    }
    assert issued <= set(DOCUMENT_TYPES)
    assert {
        "filing_approval",
        "inquiry_record",
        "onsite_inspection_record",
        "preservation_notice",
        "investigation_report",
        "prior_notice",
        "hearing_rights_notice",
        "hearing_notice",
        "hearing_record",
        "collective_record",
        "penalty_decision",
        "no_penalty_decision",
        "summary_decision",
        "service_receipt",
        "closure_approval",
    } <= set(DOCUMENT_TYPES)
    series = {code: t.series for code, t in DOCUMENT_TYPES.items()}
    assert series["penalty_decision"] == "罚"
    assert series["summary_decision"] == "简罚"
    assert series["no_penalty_decision"] == "不罚"
    assert series["inquiry_record"] is None
    assert series["service_receipt"] is None
    labels = [label for _key, label in DOCUMENT_TYPES["penalty_decision"].required]
    for needed in ("当事人的地址", "证据", "行政处罚的履行方式和期限", "行政机关印章"):
        assert needed in labels
    assert {"penalty_decision", "no_penalty_decision", "summary_decision"} == DECISION_TYPES


# --------------------------------------------------------------------------- 文号


def test_numbers_are_per_agency_series_and_year_and_a_rollback_leaves_no_gap(agency):
    with transaction.atomic():
        assert next_number(agency, "罚", 2026) == ("本县市监罚〔2026〕1号", 1)
        assert next_number(agency, "罚", 2026) == ("本县市监罚〔2026〕2号", 2)
    with pytest.raises(_Rollback), transaction.atomic():
        assert next_number(agency, "罚", 2026)[1] == 3
        raise _Rollback
    with transaction.atomic():
        assert next_number(agency, "罚", 2026)[1] == 3  # the rolled-back serial is reused
        assert next_number(agency, "罚", 2027) == ("本县市监罚〔2027〕1号", 1)
        assert next_number(agency, "告", 2026) == ("本县市监告〔2026〕1号", 1)
        other = market_agency(short_name="")
        assert next_number(other, "罚", 2026) == (f"{other.name}罚〔2026〕1号", 1)
    assert DocumentSequence.objects.get(agency=agency, series="罚", year=2026).last == 3


def test_next_number_refuses_to_run_outside_a_transaction(agency, monkeypatch):
    monkeypatch.setattr(
        transaction, "get_connection", lambda using=None: SimpleNamespace(in_atomic_block=False)
    )
    with pytest.raises(RuntimeError, match="事务"):
        next_number(agency, "罚", 2026)


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbers_are_unique_and_gapless():
    if connection.vendor != "postgresql":
        pytest.skip(
            "并发取号测试需要 PostgreSQL（设置 DATABASE_URL=postgres://…）；"
            "SQLite 测试库为共享内存库，多线程写入会报表锁错误而不是排队"
        )
    agency = market_agency(short_name="并发")
    threads, per_thread = 8, 10
    barrier = threading.Barrier(threads)
    kept: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(t: int) -> None:
        try:
            barrier.wait()  # all start together, before the counter row exists
            for i in range(per_thread):
                try:
                    with transaction.atomic():
                        number, serial = next_number(agency, "罚", 2026)
                        assert number == f"并发罚〔2026〕{serial}号"
                        if (t + i) % 4 == 0:
                            raise _Rollback
                except _Rollback:
                    continue
                with lock:
                    kept.append(serial)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert not any(w.is_alive() for w in workers), "a thread hung"
    assert not errors, errors[:3]
    assert len(kept) == 60  # 80 draws, every fourth rolled back
    assert sorted(kept) == list(range(1, len(kept) + 1)), "a gap or a duplicate"
    assert DocumentSequence.objects.get(agency=agency, series="罚", year=2026).last == len(kept)


# --------------------------------------------------------------------------- content


def test_decision_content_has_every_apl24_field_worded_from_the_rules(case, agency):
    content = build_content(case, "penalty_decision", DECISION)

    assert all(isinstance(v, str) for v in content.values())
    assert missing_fields("penalty_decision", content) == []
    assert content["party_name"] == PARTY
    assert content["party_id"] == USCC
    assert content["party_address"] == "幸福路8号"
    assert content["facts_text"].startswith("经查，当事人自2026年9月1日起")
    assert content["evidence"] == "现场检查笔录、询问笔录、进货单据"
    assert "罚款人民币50,000.00元（大写：伍万元整）" in content["penalty_content"]
    assert "没收违法所得人民币1,200.50元（大写：壹仟贰佰元伍角整）" in content["penalty_content"]
    assert BASIS in content["decision_text"]
    assert "十五日内，到中国工商银行本溪县支行或者通过电子支付系统缴纳" in content["performance"]
    assert "百分之三加处罚款" in content["performance"]
    assert "六十日内向本溪满族自治县人民政府申请行政复议" in content["remedy"]
    assert "六个月内依法向人民法院提起行政诉讼" in content["remedy"]
    assert content["publication"]
    assert content["agency"] == content["seal"] == agency.name
    assert "张执法（执法证号：" in content["officers"]
    assert content["on"] == "2026年11月20日"

    no_bank = build_content(case, "penalty_decision", {**DECISION, "bank": ""})
    assert "到指定银行或者通过电子支付系统缴纳" in no_bank["performance"]
    warning = build_content(
        case, "penalty_decision", {**DECISION, "penalty_types": ["warning"], "fine_amount": None}
    )
    assert warning["penalty_content"] == "警告。"
    assert warning["performance"] == "警告自本决定书送达之日起执行。"
    report = build_content(case, "investigation_report", {"decision_kind": "penalty"})
    assert report["decision_kind"] == "给予行政处罚"  # a form's choice code is written as its label
    assert report["proposal"].startswith("给予行政处罚：1. 罚款人民币50,000.00元")
    # PUB-04: every decision tells the party it will be published.
    assert content["publication"] == "本行政处罚决定信息将依照有关规定向社会公示。"


@pytest.mark.django_db
def test_the_publication_notice_follows_what_the_case_says_of_publication():
    """PUB-04 sentence in every decision, except where the case bars
    publication: a warning only in market regulation (PUB-01), a minor."""
    w = f.world()
    case = f.general_case(w, until="examination")
    assert publicity.category_code(case) == "market"
    fine = {**DECISION, "penalty_types": ["fine"]}
    warning = {**DECISION, "penalty_types": ["warning"], "fine_amount": None}
    assert build_content(case, "penalty_decision", fine)["publication"].startswith("本行政处罚决定")
    assert build_content(case, "penalty_decision", warning).get("publication", "") == ""
    case.parties.update(is_minor=True)
    assert build_content(case, "penalty_decision", fine).get("publication", "") == ""


def test_periods_come_from_the_rules_including_regional_ones(case, agency):
    notice = build_content(case, "prior_notice", {"on": ON})
    assert "可以在收到本告知书后向本机关提出陈述、申辩意见" in notice["statement_rights"]
    RuleOverride.objects.create(
        rule_id="penalty.statement_period",
        region_code=agency.region.code,
        value=Decimal("5"),
        basis="示例：某省市场监管行政处罚程序规定 第五十七条",
    )
    notice = build_content(case, "prior_notice", {"on": ON})
    assert "收到本告知书之日起五个工作日内" in notice["statement_rights"]
    assert "听证告知书" in notice["statement_rights"]  # the case has a hearing right
    rights = build_content(case, "hearing_rights_notice", {"on": ON})
    assert "五个工作日内向本机关提出" in rights["hearing_rights"]


def test_a_decision_missing_apl24_fields_is_refused_citing_article_59(agency, head):
    case = make_case(agency, head, address="")
    doc = create_document(
        case, "penalty_decision", transition="decide_penalty", data=DECISION, actor=head
    )
    assert missing_fields("penalty_decision", doc.content) == ["当事人的地址"]

    with pytest.raises(ValidationError) as caught, transaction.atomic():
        issue_document(doc, head, on=ON)
    message = caught.value.messages[0]
    assert "当事人的地址" in message and "第五十九条" in message
    doc.refresh_from_db()
    assert doc.status == Document.Status.DRAFT and doc.number == ""
    assert not DocumentSequence.objects.filter(last__gt=0).exists()

    update_draft(doc, {"party_address": "本溪满族自治县观音阁街道幸福路8号"}, head)
    assert issue_document(doc, head, on=ON).number == "本县市监罚〔2026〕1号"


# --------------------------------------------------------------------------- drafts and issue


def test_drafts_are_reused_per_transition_and_updated_with_a_record(case, head):
    first = create_document(
        case, "penalty_decision", transition="decide_penalty", data=DECISION, actor=head
    )
    again = create_document(
        case,
        "penalty_decision",
        transition="decide_penalty",
        data={**DECISION, "bank": "农行"},
        actor=head,
    )
    assert again.pk == first.pk and "农行" in again.content["performance"]
    inquiry = {"on": ON, "person": "王五", "place": "执法局询问室", "content": "问：…答：…"}
    a = create_document(
        case, "inquiry_record", transition="record_inquiry", data=inquiry, actor=head
    )
    b = create_document(
        case, "inquiry_record", transition="record_inquiry", data=inquiry, actor=head
    )
    assert a.pk != b.pk  # one record per inquiry

    update_draft(first, {"note": "已核对", "number": "伪造〔2026〕9号", "seal": "别的机关"}, head)
    first.refresh_from_db()
    assert first.content["note"] == "已核对"
    assert "number" not in first.content and first.content["seal"] == case.agency.name
    entry = Entry.objects.filter(action="case.document_drafted").get()
    payload = canonical.decode(bytes(entry.data))["payload"]
    assert payload["doc_type"] == "penalty_decision" and len(payload["content_sha256"]) == 64


def test_issue_freezes_the_content_numbers_it_and_records_the_hashes(case, head):
    doc = issued_decision(case, head)

    assert doc.status == Document.Status.ISSUED
    assert (doc.number, doc.year, doc.serial) == ("本县市监罚〔2026〕1号", 2026, 1)
    assert doc.content["number"] == doc.number
    assert doc.content["issued_on"] == "2026年11月20日"
    assert doc.issued_by == head and doc.issued_at is not None
    canonical_json = json.dumps(
        doc.content, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert doc.content_sha256 == hashlib.sha256(canonical_json.encode()).hexdigest()

    assert doc.docx.media_type == DOCX_TYPE
    data = stored_bytes(doc.docx)
    assert hashlib.sha256(data).hexdigest() == doc.docx.sha256
    assert render_docx(doc) == data  # deterministic: the same content gives the same bytes

    entry = doc.entry
    assert entry.action == "case.document_issued"
    payload = canonical.decode(bytes(entry.data))["payload"]
    assert payload == {
        "case": case.number,
        "doc_type": "penalty_decision",
        "number": doc.number,
        "content_sha256": doc.content_sha256,
        "docx_sha256": doc.docx.sha256,
    }
    assert PARTY not in bytes(entry.data).decode() and USCC not in bytes(entry.data).decode()

    with pytest.raises(ValidationError, match="文书已签发，不能修改"):
        update_draft(doc, {"facts": "改过的事实"}, head)
    with pytest.raises(ValidationError, match="已签发"), transaction.atomic():
        issue_document(doc, head, on=ON)
    doc.refresh_from_db()
    assert doc.content["facts"] == FACTS

    second = issued_decision(make_case(case.agency, head), head)
    assert second.number == "本县市监罚〔2026〕2号"
    assert document_filename(doc, "docx") == "行政处罚决定书-本县市监罚〔2026〕1号.docx"


def test_the_docx_is_an_a4_official_document_with_chinese_fonts(case, head, settings):
    doc = issued_decision(case, head)
    data = stored_bytes(doc.docx)
    text = docx_text(data)

    for expected in (
        case.agency.name,
        "行政处罚决定书",
        "本县市监罚〔2026〕1号",
        f"当事人：{PARTY}",
        f"证件号码或统一社会信用代码：{USCC}",
        "住所或地址：幸福路8号",
        "经查，当事人自2026年9月1日起",
        "以上事实有下列证据证明：现场检查笔录",
        BASIS,
        "罚款人民币50,000.00元（大写：伍万元整）",
        "十五日内",
        "申请行政复议",
        "提起行政诉讼",
        "向社会公示",
        "（印章）",
        "2026年11月20日",
    ):
        assert expected in text, expected

    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    runs = [r for p in document.paragraphs for r in p.runs if r.text]
    fonts = {r._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in runs}
    langs = {r._element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) for r in runs}
    assert fonts == {"FangSong_GB2312"} and langs == {"zh-CN"}
    title = next(r for r in runs if r.text == "行政处罚决定书")
    assert title.bold and title.font.size.pt == 22

    settings.ZHIFA_DOCUMENT_FONTS = "仿宋, Noto Serif CJK SC"
    again = docx.Document(io.BytesIO(render_docx(doc)))
    run = next(r for p in again.paragraphs for r in p.runs if r.text)
    assert run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"


def _data_for_all_types(user) -> dict:
    return {
        **DECISION,
        "person": "王五",
        "relation": "party",
        "place": "执法局询问室",
        "content": "问：你是否取得食品经营许可？\n答：没有。",
        "items": "预包装饮料 20 箱",
        "opinion": "同意立案",
        "participants": "李局长、陈副局长、法制审核员",
        "discussion": "一致认为事实清楚、证据确凿。",
        "conclusion": "同意给予行政处罚。",
        "hearing_date": date(2026, 12, 1),
        "presider": user,
        "public": True,
        "reason": "违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）。",
        "method": "direct",
        "recipient": "王五",
        "documents": "行政处罚决定书（本县市监罚〔2026〕1号）",
        # legal_review_opinion (issued by zhifa.review)
        "reviewer": "法制审核员",
        "findings": "主体合法，事实清楚，证据确凿，适用依据正确，程序合法。",
        "result": "同意",
        "reasons": "符合法定条件。",
    }


@pytest.mark.parametrize("doc_type", sorted(DOCUMENT_TYPES))
def test_every_type_is_issued_and_rendered(case, head, doc_type):
    data = _data_for_all_types(head)
    doc = create_document(case, doc_type, transition="t", data=data, actor=head)
    assert missing_fields(doc_type, doc.content) == []
    with transaction.atomic():
        doc = issue_document(doc, head, on=ON)
    dtype = DOCUMENT_TYPES[doc_type]
    assert bool(doc.number) == bool(dtype.series)
    if dtype.series:
        assert doc.number == f"本县市监{dtype.series}〔2026〕1号"
    text = docx_text(stored_bytes(doc.docx))
    assert dtype.title in text and case.agency.name in text
    for key, _label in dtype.required:
        assert doc.content[key].splitlines()[0] in text, key
    if dtype.layout == "record":
        assert "（签名）" in text
    if dtype.sealed:
        assert "（印章）" in text and "2026年11月20日" in text


def test_summary_decision_names_the_officers_and_the_place(agency, head):
    case = make_case(
        agency,
        head,
        procedure="penalty.summary",
        status="onsite",
        party_kind=Party.Kind.NATURAL,
        penalty_types=[],
        fine_amount=None,
        confiscation_amount=None,
        facts="",
        legal_basis="",
    )
    officers = [a.officer for a in case.case_officers.all()]
    data = {
        "on": ON,
        "facts": "在人行道违规摆摊",
        "legal_basis": "《本溪市市容和环境卫生管理条例》第二十条",
        "penalty_types": ["fine"],
        "fine_amount": Decimal("100"),
        "place": "观音阁街道幸福路口",
        "officers_present": officers,
    }
    doc = create_document(
        case, "summary_decision", transition="decide_on_spot", data=data, actor=head
    )
    assert doc.content["party_id"] == "居民身份证 210521198001010013"
    assert doc.content["penalty_content"] == "罚款人民币100.00元（大写：壹佰元整）。"
    assert "张执法（执法证号：" in doc.content["officers_present"]
    with transaction.atomic():
        doc = issue_document(doc, head, on=ON)
    assert doc.number == "本县市监简罚〔2026〕1号"
    text = docx_text(stored_bytes(doc.docx))
    assert "地点：观音阁街道幸福路口" in text and "执法人员（签名）" in text

    doc2 = create_document(
        case, "summary_decision", transition="x", data={**data, "place": ""}, actor=head
    )
    assert "执法人员" not in missing_fields("summary_decision", doc2.content)


def test_the_service_receipt_names_the_issued_decision(case, head):
    decision = issued_decision(case, head)
    receipt = create_document(
        case,
        "service_receipt",
        transition="serve",
        data={"on": ON, "method": "direct", "recipient": "王五"},
        actor=head,
    )
    assert receipt.content["served_documents"] == f"行政处罚决定书（{decision.number}）"
    assert receipt.content["method"] == "直接送达"
    assert receipt.content["service_place"] == "幸福路8号"
    with transaction.atomic():
        receipt = issue_document(receipt, head, on=ON)
    assert receipt.number == ""
    assert document_filename(receipt, "pdf") == f"送达回证-{case.number}.pdf"


# --------------------------------------------------------------------------- PDF


def test_the_pdf_is_made_once_from_the_issued_docx(case, head, tmp_path):
    draft = create_document(
        case, "penalty_decision", transition="decide_penalty", data=DECISION, actor=head
    )
    with pytest.raises(ValidationError, match="尚未签发"):
        document_pdf(draft, head)
    with transaction.atomic():
        doc = issue_document(draft, head, on=ON)

    blob = document_pdf(doc, head)
    assert blob.media_type == "application/pdf"
    data = stored_bytes(blob)
    assert data.startswith(b"%PDF")
    doc.refresh_from_db()
    assert doc.pdf == blob and doc.status == Document.Status.ISSUED
    assert document_pdf(doc, head) == blob
    assert EvidenceBlob.objects.filter(media_type="application/pdf").count() == 1
    text = pdf_text(data, tmp_path)
    for expected in ("行政处罚决定书", PARTY, "本县市监罚〔2026〕1号", "（印章）"):
        assert expected in text, expected


def test_weasyprint_renders_the_same_content_without_libreoffice(case, head, settings, tmp_path):
    settings.ZHIFA_DOCUMENT_PDF_ENGINE = "weasyprint"
    doc = issued_decision(case, head)
    data = render_pdf(doc)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for expected in ("行政处罚决定书", PARTY, "申请行政复议", "2026年11月20日"):
        assert expected in text, expected
