"""Page mechanics shared by the staff Excel import and export of the catalog
lists (zhifa.catalog.views_excel) and of the officer registry
(zhifa.officers.views_excel): the upload form, the .xlsx download, the upload
page's context and status, and the import result page.

Only what the two features do identically lives here. Who may use a page,
the workbook itself (catalog.excel, officers.excel) and the wording that
differs stay with each app and are passed in. It lives in orgs because the
first thing every such page does is scope the agency to the user (and core
imports no domain app); its templates are core/excel_upload.html and
core/excel_result.html.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any, Protocol
from uuid import UUID

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.orgs.models import Agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A badly broken file can have an error on every one of thousands of rows; the
# result page lists this many and counts the rest, so it stays readable and
# the official starts with the first errors.
MAX_ERRORS_SHOWN = 500


class SheetCounts(Protocol):
    """One sheet's outcome (catalog.excel and officers.excel share the class)."""

    created: int
    updated: int
    unchanged: int


class ImportResult(Protocol):
    """What core/excel_result.html reads from either app's ImportResult."""

    errors: list[Any]

    @property
    def ok(self) -> bool: ...

    @property
    def changed(self) -> bool: ...

    @property
    def file_errors(self) -> list[Any]: ...

    @property
    def row_errors(self) -> list[Any]: ...


class UploadForm(forms.Form):
    file = forms.FileField(
        label="填好的 Excel 文件（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
        error_messages={"required": "请选择要导入的 Excel 文件。", "empty": "上传的文件是空的。"},
    )


def managed_agency(
    request: HttpRequest,
    agency_id: UUID,
    *,
    may_manage: Callable[[Any, Agency], bool],
    refusal: str,
) -> Agency:
    """The agency whose lists the user imports or exports.

    404 when the user cannot see it, so its existence is not revealed; 403
    with `refusal` (who may do this, in the app's words) when they see it but
    `may_manage` says they do not manage it.
    """
    agency = Agency.objects.visible_to(request.user).filter(public_id=agency_id).first()
    if agency is None:
        raise Http404("执法主体不存在或无权查看")
    if not may_manage(request.user, agency):
        raise PermissionDenied(refusal)
    return agency


def xlsx_response(data: bytes, filename: str) -> FileResponse:
    """A workbook as a download; the browser saves it under `filename`."""
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=XLSX)


def upload_page(
    request: HttpRequest,
    template_name: str,
    *,
    agency: Agency,
    form: UploadForm,
    max_rows: int,
    max_file_bytes: int,
) -> HttpResponse:
    """The app's upload page (a template extending core/excel_upload.html).

    400 when the form was refused (no file, empty file), so the refusal is not
    mistaken for a page that merely loaded.
    """
    return render(
        request,
        template_name,
        {
            "agency": agency,
            "form": form,
            "max_rows": max_rows,
            "max_mb": max_file_bytes // 1024 // 1024,
        },
        status=400 if form.errors else 200,
    )


def import_result_page(
    request: HttpRequest,
    *,
    agency: Agency,
    result: ImportResult,
    file_name: str,
    sheet_counts: Sequence[tuple[str, SheetCounts]],
    upload_url: str,
    back_label: str,
    updated_label: str,
    more_url: str = "",
    more_label: str = "",
) -> HttpResponse:
    """core/excel_result.html for one import.

    `upload_url` is the app's upload page: the back link and the form for the
    next file both go there. `updated_label` heads the column of updated rows,
    which means something different in each app (a catalog item changes by a
    new version). `more_url`/`more_label`, when given, is a button shown after
    a successful import. 422 when nothing was imported, so the refusal is not
    mistaken for a success.
    """
    return render(
        request,
        "core/excel_result.html",
        {
            "agency": agency,
            "result": result,
            "file_name": file_name,
            "sheet_counts": sheet_counts,
            "errors_shown": result.errors[:MAX_ERRORS_SHOWN],
            "errors_hidden": max(len(result.errors) - MAX_ERRORS_SHOWN, 0),
            "form": UploadForm(),
            "upload_url": upload_url,
            "back_label": back_label,
            "updated_label": updated_label,
            "more_url": more_url,
            "more_label": more_label,
        },
        status=200 if result.ok else 422,
    )
