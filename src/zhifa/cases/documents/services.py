"""Drafting, issuing and filing documents.

A draft's content stays editable. Issuing (签发) freezes it: the 文号 and the
date are written into the content, the content's SHA-256 is fixed, the DOCX
is rendered and stored as evidence (content-addressed, its digests in the
ledger) and "case.document_issued" records the hashes. After that, nothing
about the document changes except that a PDF may be derived from it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zhifa import ledger
from zhifa.cases.documents.chinese import cn_date
from zhifa.cases.documents.content import (
    build_content,
    content_sha256,
    missing_fields,
    missing_message,
)
from zhifa.cases.documents.numbering import next_number
from zhifa.cases.documents.render import render_docx, render_pdf
from zhifa.cases.documents.types import document_type
from zhifa.cases.models import Case, Document
from zhifa.ledger.evidence import DOCX_TYPE, evidence_store
from zhifa.ledger.models import EvidenceBlob

PDF_TYPE = "application/pdf"
# Written only by issue_document; the content of the deciding agency is the agency's.
PROTECTED_KEYS = frozenset({"number", "issued_on", "agency", "seal"})
ISSUED_MESSAGE = "文书已签发，不能修改"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _as_strings(content: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): "" if v is None else str(v) for k, v in content.items()}


def _store_as(actor, agency):
    """Who stores the file: the actor if evidence_store lets them store for the
    agency, else the platform itself (the document's own record names the actor)."""
    from zhifa.orgs.services import SYSTEM

    if actor is None or getattr(actor, "pk", None) is None:
        return actor if actor is not None else SYSTEM
    if actor.is_superuser or actor.active_roles().filter(agency=agency).exists():
        return actor
    return SYSTEM


def create_document(
    case: Case, doc_type: str, *, transition: str, data: Mapping[str, Any], actor
) -> Document:
    """A draft of `doc_type` for `case`, its content built from the case and `data`.

    If the case already has a draft of that type from the same transition, it
    is updated and returned instead; fields added to it with `update_draft`
    that the new content does not have are kept. Types a case holds several
    of (笔录、送达回证、…) always get a new draft.
    """
    dtype = document_type(doc_type)
    content = build_content(case, doc_type, data)
    with transaction.atomic():
        draft = None
        if not dtype.repeatable:
            draft = (
                Document.objects.select_for_update()
                .filter(
                    case=case,
                    doc_type=doc_type,
                    transition=transition,
                    status=Document.Status.DRAFT,
                )
                .order_by("-id")
                .first()
            )
        if draft is not None:
            draft.content = {**(draft.content or {}), **content}
            draft.title = dtype.title
            draft.save(update_fields=["content", "title", "updated_at"])
            return draft
        return Document.objects.create(
            case=case,
            agency=case.agency,
            doc_type=doc_type,
            title=dtype.title,
            content=content,
            transition=transition,
        )


def update_draft(document: Document, content: Mapping[str, Any], actor) -> Document:
    """Change fields of a draft (the keys given; others stay) and record the save.

    Refused once the document is issued. `number`, `issued_on`, `agency` and
    `seal` are not editable: issuing writes the first two, the deciding
    agency is the case's.
    """
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status == Document.Status.ISSUED:
            raise ValidationError(ISSUED_MESSAGE, code="issued")
        changes = {k: v for k, v in _as_strings(content).items() if k not in PROTECTED_KEYS}
        locked.content = {**(locked.content or {}), **changes}
        locked.save(update_fields=["content", "updated_at"])
        ledger.record(
            agency=locked.agency,
            subject=locked,
            actor=actor,
            action="case.document_drafted",
            payload={
                "case": locked.case.number,
                "doc_type": locked.doc_type,
                "content_sha256": content_sha256(locked.content),
            },
        )
    document.refresh_from_db()
    return document


def issue_document(document: Document, actor, *, on: date | None = None) -> Document:
    """Issue (签发) a draft inside the caller's transaction.

    Refused if it is already issued or a required field is empty (the
    message lists the Chinese labels and, for decisions, cites 第五十九条).
    Numbered types take the next 文号 of `on`'s year (default today).
    """
    dtype = document_type(document.doc_type)
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = (
            Document.objects.select_for_update()
            .select_related("case", "agency")
            .get(pk=document.pk)
        )
        if locked.status == Document.Status.ISSUED:
            raise ValidationError("文书已签发，不能重复签发。", code="issued")
        content = _as_strings(locked.content or {})
        missing = missing_fields(locked.doc_type, content)
        if missing:
            raise ValidationError(
                missing_message(locked.doc_type, missing),
                code="missing_fields",
                params={"missing": missing},
            )
        if dtype.series:
            locked.number, locked.serial = next_number(locked.agency, dtype.series, on.year)
            locked.year = on.year
            content["number"] = locked.number
        content["issued_on"] = cn_date(on)
        locked.content = content
        locked.content_sha256 = content_sha256(content)
        locked.status = Document.Status.ISSUED
        locked.issued_at = timezone.now().replace(microsecond=0)
        locked.issued_by = actor if getattr(actor, "pk", None) is not None else None

        docx = render_docx(locked)
        locked.docx = evidence_store(
            agency=locked.agency,
            subject=locked,
            actor=_store_as(actor, locked.agency),
            file=ContentFile(docx),
            original_name=document_filename(locked, "docx"),
            accept=(DOCX_TYPE,),
        )
        locked.entry = ledger.record(
            agency=locked.agency,
            subject=locked,
            actor=actor,
            action="case.document_issued",
            # Hashes and references only: the content holds personal data.
            payload={
                "case": locked.case.number,
                "doc_type": locked.doc_type,
                "number": locked.number,
                "content_sha256": locked.content_sha256,
                "docx_sha256": locked.docx.sha256,
            },
        )
        locked.save()
    document.refresh_from_db()
    return document


def document_pdf(document: Document, actor) -> EvidenceBlob:
    """The issued document's PDF, stored as evidence the first time it is asked for.

    The PDF is derived from the frozen content (LibreOffice converts the
    stored DOCX), so it may be made at any time after issue. Drafts have no
    filed PDF: preview them with `render_pdf`.
    """
    if document.pdf_id:
        return document.pdf
    with transaction.atomic():
        locked = (
            Document.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=document.pk)
        )
        if locked.pdf_id:
            document.pdf = locked.pdf
            return locked.pdf
        if locked.status != Document.Status.ISSUED:
            raise ValidationError(
                "文书尚未签发，不能生成存档 PDF；签发后再生成。", code="not_issued"
            )
        pdf = render_pdf(locked)
        locked.pdf = evidence_store(
            agency=locked.agency,
            subject=locked,
            actor=_store_as(actor, locked.agency),
            file=ContentFile(pdf),
            original_name=document_filename(locked, "pdf"),
            accept=(PDF_TYPE,),
        )
        locked.save(update_fields=["pdf", "updated_at"])
    document.pdf = locked.pdf
    return locked.pdf


def document_filename(document: Document, fmt: str) -> str:
    """行政处罚决定书-本县工信罚〔2026〕12号.docx; unnumbered types use the case number."""
    ref = document.number or str((document.content or {}).get("case_number") or "")
    if not ref and document.case_id:
        ref = document.case.number
    stem = f"{document.title}-{ref}" if ref else document.title
    return f"{_UNSAFE.sub('_', stem)}.{fmt.lstrip('.')}"
