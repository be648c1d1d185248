"""Storing rendered documents as evidence: DOCX detection and `accept`.

Uploads keep following ZHIFA_EVIDENCE_TYPES (no DOCX by default); a file
the platform renders itself passes the one type it must be.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.core.files.base import ContentFile

from zhifa.ledger.evidence import (
    DOCX_TYPE,
    EvidenceError,
    detect_media_type,
    evidence_store,
    evidence_verify,
)
from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import AgencyFactory, UserFactory, grant

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def word_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("行政处罚决定书")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_of(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in names:
            z.writestr(name, "<x/>")
    return out.getvalue()


@pytest.fixture(autouse=True)
def storage_dir(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "blobs")},
        },
    }


def test_a_word_document_is_recognised_and_other_zips_are_not():
    assert detect_media_type(word_document())[0] == DOCX_TYPE
    assert detect_media_type(zip_of("[Content_Types].xml", "word/document.xml"))[0] == DOCX_TYPE
    assert detect_media_type(zip_of("a.txt", "b.txt"))[0] == "application/zip"
    macro = zip_of("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")
    assert detect_media_type(macro)[0] == "application/zip"
    sheet = zip_of("[Content_Types].xml", "xl/workbook.xml")
    assert detect_media_type(sheet)[0] != DOCX_TYPE


@pytest.mark.django_db
def test_uploads_still_refuse_docx_but_a_rendered_document_is_stored():
    agency = AgencyFactory()
    officer = UserFactory()
    grant(officer, Role.OFFICER, agency=agency)
    data = word_document()

    with pytest.raises(EvidenceError) as caught:
        evidence_store(
            agency=agency, subject=("test.doc", "1"), actor=officer, file=ContentFile(data)
        )
    assert caught.value.code == "type"

    blob = evidence_store(
        agency=agency,
        subject=("test.doc", "1"),
        actor=officer,
        file=ContentFile(data),
        original_name="行政处罚决定书.docx",
        accept=(DOCX_TYPE,),
    )
    assert blob.media_type == DOCX_TYPE
    assert evidence_verify(blob) == []

    with pytest.raises(EvidenceError) as caught:
        evidence_store(
            agency=agency,
            subject=("test.doc", "1"),
            actor=officer,
            file=ContentFile(PDF),
            accept=(DOCX_TYPE,),
        )
    assert caught.value.code == "type" and "Word 文档（DOCX）" in str(caught.value)
