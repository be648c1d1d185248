"""执法工作手册: compile to PDF + DOCX, file with the supervising bureau
(submit / accept / return), ledger records and the staff pages."""

import io
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhifa.catalog import handbook as hb
from zhifa.catalog.models import Handbook
from zhifa.catalog.tests.factories import penalty_item
from zhifa.ledger.models import Entry
from zhifa.officers.tests.factories import market_agency
from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import UserFactory, grant, region_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    a = market_agency(name="本溪满族自治县市场监督管理局")
    penalty_item(a)
    return a


@pytest.fixture
def head(agency):
    user = UserFactory()
    grant(user, Role.AGENCY_HEAD, agency=agency)
    return user


@pytest.fixture
def supervisor():
    user = UserFactory()
    grant(user, Role.SUPERVISOR, region=region_tree()[1])  # 本溪市 contains the county
    return user


@pytest.fixture
def outsider():
    user = UserFactory()
    grant(user, Role.SUPERVISOR, region=region_tree()[4])  # 沈阳市
    return user


@pytest.fixture
def compiled(agency, head):
    return hb.handbook_compile(actor=head, agency=agency)


def test_compile_makes_pdf_and_docx_and_ledger(agency, compiled):
    from django.core.files.storage import default_storage
    from docx import Document

    assert compiled.version == 1 and compiled.status == Handbook.Status.DRAFT
    with default_storage.open(compiled.pdf.storage_name, "rb") as fh:
        pdf = fh.read()
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert agency.name in text
        assert "执法事项清单" in text
        assert "对未取得食品经营许可从事食品经营活动的行政处罚" in text
    docx = hb.handbook_docx_bytes(compiled)
    doc = Document(io.BytesIO(docx))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert agency.name in body and "裁量基准" in body
    assert 'w:eastAsia="zh-CN"' in doc.element.xml
    entry = Entry.objects.get(action="catalog.handbook_compiled")
    data = bytes(entry.data)
    assert compiled.docx_sha256.encode() in data and compiled.pdf.sha256.encode() in data
    assert Entry.objects.filter(action="evidence.stored").exists()
    again = hb.handbook_compile(actor=compiled.compiled_by, agency=agency)
    assert again.version == 2


def test_compile_refused_to_outsider(agency, outsider):
    with pytest.raises(PermissionDenied, match="无权编制"):
        hb.handbook_compile(actor=outsider, agency=agency)
    assert not Handbook.objects.exists()


def test_submit_accept(compiled, head, supervisor, outsider):
    with pytest.raises(ValidationError, match="只能审查已报送"):
        hb.handbook_accept(actor=supervisor, handbook=compiled)  # a draft
    with pytest.raises(PermissionDenied):
        hb.handbook_submit(actor=supervisor, handbook=compiled)
    hb.handbook_submit(actor=head, handbook=compiled)
    with pytest.raises(ValidationError, match="只有草稿"):
        hb.handbook_submit(actor=head, handbook=compiled)
    with pytest.raises(PermissionDenied, match="无权审查"):
        hb.handbook_accept(actor=outsider, handbook=compiled)
    with pytest.raises(PermissionDenied):
        hb.handbook_accept(actor=head, handbook=compiled)
    done = hb.handbook_accept(actor=supervisor, handbook=compiled, comments="同意")
    assert done.status == Handbook.Status.ACCEPTED and done.decided_by == supervisor
    actions = set(Entry.objects.values_list("action", flat=True))
    assert {"catalog.handbook_submitted", "catalog.handbook_accepted"} <= actions


def test_return_needs_comments_and_new_version_supersedes(agency, compiled, head, supervisor):
    hb.handbook_submit(actor=head, handbook=compiled)
    with pytest.raises(ValidationError, match="必须填写审查意见"):
        hb.handbook_return(actor=supervisor, handbook=compiled, comments="  ")
    returned = hb.handbook_return(actor=supervisor, handbook=compiled, comments="裁量基准不全")
    assert returned.status == Handbook.Status.RETURNED and returned.comments == "裁量基准不全"
    assert Entry.objects.filter(action="catalog.handbook_returned").exists()
    with pytest.raises(ValidationError):
        hb.handbook_submit(actor=head, handbook=returned)
    second = hb.handbook_compile(actor=head, agency=agency)
    hb.handbook_submit(actor=head, handbook=second)
    assert hb.handbooks_for_supervisor(supervisor) == [second]


def test_pages(client, agency, compiled, head, supervisor, outsider):
    client.force_login(head)
    page = client.get(reverse("catalog:handbooks", args=[agency.public_id]))
    assert page.status_code == 200 and "第1版" in page.content.decode()
    resp = client.post(
        reverse("catalog:handbooks", args=[agency.public_id]),
        {"action": "submit", "handbook": compiled.public_id},
    )
    assert resp.status_code == 302
    pdf = client.get(reverse("catalog:handbook_pdf", args=[compiled.public_id]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    docx = client.get(reverse("catalog:handbook_docx", args=[compiled.public_id]))
    assert docx.status_code == 200

    client.force_login(outsider)
    assert client.get(reverse("catalog:handbook_pdf", args=[compiled.public_id])).status_code == 404
    assert client.get(reverse("catalog:handbooks", args=[agency.public_id])).status_code == 404

    client.force_login(supervisor)
    queue = client.get(reverse("catalog:handbook_review"))
    assert queue.status_code == 200 and agency.name in queue.content.decode()
    client.post(
        reverse("catalog:handbook_decide", args=[compiled.public_id]),
        {"decision": "return", "comments": ""},
    )
    compiled.refresh_from_db()
    assert compiled.status == Handbook.Status.SUBMITTED
    client.post(
        reverse("catalog:handbook_decide", args=[compiled.public_id]),
        {"decision": "return", "comments": "请补充服务指南"},
    )
    compiled.refresh_from_db()
    assert compiled.status == Handbook.Status.RETURNED
