"""Excel import and export of the officer registry (staff pages).

An agency's personnel administrators (its head, system administrators of its
region, superusers) download the template, upload a filled one and export
the registry. Any staff user may export what they can see, with ID numbers
and phones masked where they do not administer the agency.
"""

from __future__ import annotations

import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from zhifa.core.access import staff
from zhifa.officers import excel, services
from zhifa.orgs.models import Agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ERRORS_SHOWN = 500


class UploadForm(forms.Form):
    file = forms.FileField(
        label="填好的 Excel 文件（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
        error_messages={"required": "请选择要导入的 Excel 文件。", "empty": "上传的文件是空的。"},
    )


def _agency_for(request, public_id) -> Agency:
    agency = Agency.objects.visible_to(request.user).filter(public_id=public_id).first()
    if agency is None:
        raise Http404("执法主体不存在或无权查看")
    if not services.can_manage_personnel(request.user, agency):
        raise PermissionDenied(
            "只有本机关负责人或该区域的系统管理员可以导入、导出本机关的执法人员名单。"
        )
    return agency


def _xlsx(data: bytes, filename: str) -> FileResponse:
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=XLSX)


def _managed_agencies(user) -> list[Agency]:
    return [
        a
        for a in Agency.objects.visible_to(user).select_related("region").order_by("name")
        if services.can_manage_personnel(user, a)
    ]


@staff()
def excel_home(request):
    """Pick the agency; straight to it when the user administers just one."""
    agencies = _managed_agencies(request.user)
    if len(agencies) == 1:
        return redirect("officers:excel_agency", agency_id=agencies[0].public_id)
    return render(request, "officers/excel_home.html", {"agencies": agencies})


@staff()
def excel_agency(request, agency_id):
    agency = _agency_for(request, agency_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = excel.import_registry(
            actor=request.user, agency=agency, file=form.cleaned_data["file"]
        )
        status = 200 if result.ok else 422
        return render(
            request,
            "officers/excel_result.html",
            {
                "agency": agency,
                "result": result,
                "file_name": form.cleaned_data["file"].name,
                "errors_shown": result.errors[:MAX_ERRORS_SHOWN],
                "errors_hidden": max(len(result.errors) - MAX_ERRORS_SHOWN, 0),
                "form": UploadForm(),
            },
            status=status,
        )
    return render(
        request,
        "officers/excel_agency.html",
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
def excel_template(request, agency_id):
    agency = _agency_for(request, agency_id)
    return _xlsx(
        excel.registry_template(agency=agency), f"执法人员导入模板-{agency.short_name}.xlsx"
    )


@staff()
@never_cache
def excel_export(request, agency_id):
    agency = _agency_for(request, agency_id)
    data = excel.export_registry(user=request.user, agency=agency)
    return _xlsx(data, f"执法人员名单-{agency.short_name}-{timezone.localdate():%Y%m%d}.xlsx")


@staff()
@never_cache
def excel_export_all(request):
    """Everything the user may see; masked where they do not administer the agency."""
    data = excel.export_registry(user=request.user)
    return _xlsx(data, f"执法人员名单-{timezone.localdate():%Y%m%d}.xlsx")
