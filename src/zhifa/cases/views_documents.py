"""执法文书 of a case: the content fields as a page, the DOCX and the PDF.

An issued document is served from what was filed when it was issued (its
stored DOCX, its archived PDF), verified against the whole-process record on
the way out; a draft is rendered fresh and marked as a draft.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhifa.cases import documents
from zhifa.cases.documents.types import DOCUMENT_TYPES
from zhifa.cases.models import Document
from zhifa.cases.views_common import case_for
from zhifa.core.access import staff
from zhifa.ledger import evidence
from zhifa.ledger.views_evidence import serve_blob

PDF = "application/pdf"


def _document_for(request: HttpRequest, pk: int, doc_pk: int) -> Document:
    case = case_for(request, pk)
    document = case.documents.select_related("docx", "pdf", "issued_by").filter(pk=doc_pk).first()
    if document is None:
        raise Http404("文书不存在或无权查看")
    document.case = case
    return document


def _bytes(data: bytes, *, content_type: str, filename: str, attachment: bool) -> HttpResponse:
    response = FileResponse(
        io.BytesIO(data), content_type=content_type, as_attachment=attachment, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff()
@require_GET
def document_preview(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    document = _document_for(request, pk, doc_pk)
    doc_type = DOCUMENT_TYPES.get(document.doc_type)
    content = dict(document.content or {})
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    if doc_type is not None:
        for key, label in (*doc_type.header, *doc_type.body):
            if key not in seen:
                seen.add(key)
                rows.append((label, content.get(key, "")))
    missing = []
    if doc_type is not None and document.status == Document.Status.DRAFT:
        missing = [label for key, label in doc_type.required if not content.get(key)]
    extra = [
        ((doc_type.label(k) if doc_type else k), v) for k, v in content.items() if k not in seen
    ]
    return render(
        request,
        "cases/document.html",
        {
            "case": document.case,
            "document": document,
            "doc_type": doc_type,
            "rows": rows,
            "extra": extra,
            "missing": missing,
        },
    )


@staff()
@require_GET
def document_docx(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    document = _document_for(request, pk, doc_pk)
    filename = documents.document_filename(document, "docx")
    if document.docx_id:
        return serve_blob(request, document.docx, filename=filename, attachment=True)
    return _bytes(
        documents.render_docx(document),
        content_type=evidence.DOCX_TYPE,
        filename=filename,
        attachment=True,
    )


@staff()
@require_GET
def document_pdf(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    document = _document_for(request, pk, doc_pk)
    filename = documents.document_filename(document, "pdf")
    attachment = request.GET.get("download") == "1"
    if document.status == Document.Status.ISSUED:
        try:
            blob = documents.document_pdf(document, request.user)
        except ValidationError as exc:
            raise Http404("；".join(exc.messages)) from exc
        return serve_blob(request, blob, filename=filename, attachment=attachment)
    # A draft has no archived PDF: a fresh rendering, for reading only.
    return _bytes(
        documents.render_pdf(document),
        content_type=PDF,
        filename=f"草稿-{filename}",
        attachment=attachment,
    )
