"""Excel import and export of an agency's catalog lists (staff pages).

Catalog managers (the agency head, system administrators of its region,
superusers) download the template, upload a filled one and export the lists.
Agencies the user cannot see are 404; agencies they see but do not manage, 403.
"""

from __future__ import annotations

import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from zhifa.catalog import excel
from zhifa.catalog.services import can_manage_catalog
from zhifa.core.access import staff
from zhifa.orgs.models import Agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ERRORS_SHOWN = 500


class UploadForm(forms.Form):
    file = forms.FileField(
        label="填好的 Excel 文件（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
        error_messages={"required": "请选择要导入的 Excel 文件。", "empty": "上传的文件是空的。"},
    )


def _agency_for(request, agency_id) -> Agency:
    agency = Agency.objects.visible_to(request.user).filter(public_id=agency_id).first()
    if agency is None:
        raise Http404("执法主体不存在或无权查看")
    if not can_manage_catalog(request.user, agency):
        raise PermissionDenied(
            "只有本机关负责人或该区域的系统管理员可以导入、导出本机关的执法事项清单。"
        )
    return agency


def _xlsx(data: bytes, filename: str) -> FileResponse:
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=XLSX)


@staff()
def catalog_excel(request, agency_id):
    agency = _agency_for(request, agency_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = excel.import_catalog(
            actor=request.user, agency=agency, file=form.cleaned_data["file"]
        )
        return render(
            request,
            "catalog/excel_result.html",
            {
                "agency": agency,
                "result": result,
                "file_name": form.cleaned_data["file"].name,
                "errors_shown": result.errors[:MAX_ERRORS_SHOWN],
                "errors_hidden": max(len(result.errors) - MAX_ERRORS_SHOWN, 0),
                "form": UploadForm(),
            },
            status=200 if result.ok else 422,
        )
    return render(
        request,
        "catalog/excel.html",
        {
            "agency": agency,
            "form": form,
            "max_rows": excel.MAX_ROWS,
            "max_mb": excel.MAX_FILE_BYTES // 1024 // 1024,
        },
        status=400 if form.errors else 200,
    )


@staff()
@never_cache
def catalog_excel_template(request, agency_id):
    agency = _agency_for(request, agency_id)
    return _xlsx(
        excel.catalog_template(agency=agency), f"执法事项清单导入模板-{agency.short_name}.xlsx"
    )


@staff()
@never_cache
def catalog_excel_export(request, agency_id):
    agency = _agency_for(request, agency_id)
    data = excel.export_catalog(agency=agency)
    return _xlsx(data, f"执法事项清单-{agency.short_name}-{timezone.localdate():%Y%m%d}.xlsx")
