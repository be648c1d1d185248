"""执法文书: the documents a case issues.

Public API (the case engine calls these inside its transaction):

* `DOCUMENT_TYPES` / `DocumentType` — the type table (title, 文号 series,
  required fields with Chinese labels, layout);
* `build_content(case, doc_type, data)` — every content field as a string;
* `missing_fields(doc_type, content)` — Chinese labels of empty required fields (APL-24);
* `next_number(agency, series, year)` — the next gapless 文号 and its serial;
* `create_document(...)`, `update_draft(...)`, `issue_document(...)`;
* `render_docx(document)`, `render_pdf(document)`, `document_pdf(document, actor)`;
* `document_filename(document, fmt)`.
"""

from zhifa.cases.documents.content import build_content, content_sha256, missing_fields
from zhifa.cases.documents.numbering import format_number, next_number
from zhifa.cases.documents.render import RenderError, render_docx, render_html, render_pdf
from zhifa.cases.documents.services import (
    create_document,
    document_filename,
    document_pdf,
    issue_document,
    update_draft,
)
from zhifa.cases.documents.types import DECISION_TYPES, DOCUMENT_TYPES, DocumentType

__all__ = [
    "DECISION_TYPES",
    "DOCUMENT_TYPES",
    "DocumentType",
    "RenderError",
    "build_content",
    "content_sha256",
    "create_document",
    "document_filename",
    "document_pdf",
    "format_number",
    "issue_document",
    "missing_fields",
    "next_number",
    "render_docx",
    "render_html",
    "render_pdf",
    "update_draft",
]
