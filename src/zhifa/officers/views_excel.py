"""Excel import and export of the officer registry (staff pages).

An agency's personnel administrators (its head, system administrators of its
region, superusers) download the template, upload a filled one and export
the registry. Any staff user may export what they can see, with ID numbers
and phones masked where they do not administer the agency.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from zhifa.core.access import staff
from zhifa.officers import excel, services
from zhifa.orgs.excel_pages import (
    UploadForm,
    import_result_page,
    managed_agency,
    upload_page,
    xlsx_response,
)
from zhifa.orgs.models import Agency


def _agency_for(request, agency_id) -> Agency:
    return managed_agency(
        request,
        agency_id,
        may_manage=services.can_manage_personnel,
        refusal="只有本机关负责人或该区域的系统管理员可以导入、导出本机关的执法人员名单。",
    )


def _managed_agencies(user) -> list[Agency]:
    return [
        a
        for a in Agency.objects.visible_to(user).select_related("region").order_by("name")
        if services.can_manage_personnel(user, a)
    ]


@staff()
def excel_home(request) -> HttpResponse:
    """Pick the agency; straight to it when the user administers just one."""
    agencies = _managed_agencies(request.user)
    if len(agencies) == 1:
        return redirect("officers:excel_agency", agency_id=agencies[0].public_id)
    return render(request, "officers/excel_home.html", {"agencies": agencies})


@staff()
def excel_agency(request, agency_id) -> HttpResponse:
    agency = _agency_for(request, agency_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        result = excel.import_registry(actor=request.user, agency=agency, file=file)
        return import_result_page(
            request,
            agency=agency,
            result=result,
            file_name=file.name,
            sheet_counts=[
                (excel.OFFICER_SHEET, result.officers),
                (excel.CERTIFICATE_SHEET, result.certificates),
            ],
            upload_url=reverse("officers:excel_agency", args=[agency.public_id]),
            back_label="返回 Excel 导入导出",
            updated_label="更新",
            more_url=f"{reverse('officers:list')}?agency={agency.public_id}",
            more_label="查看执法人员名单",
        )
    return upload_page(
        request,
        "officers/excel_agency.html",
        agency=agency,
        form=form,
        max_rows=excel.MAX_ROWS,
        max_file_bytes=excel.MAX_FILE_BYTES,
    )


@staff()
@never_cache
def excel_template(request, agency_id) -> FileResponse:
    agency = _agency_for(request, agency_id)
    return xlsx_response(
        excel.registry_template(agency=agency), f"执法人员导入模板-{agency.short_name}.xlsx"
    )


@staff()
@never_cache
def excel_export(request, agency_id) -> FileResponse:
    agency = _agency_for(request, agency_id)
    data = excel.export_registry(user=request.user, agency=agency)
    return xlsx_response(
        data, f"执法人员名单-{agency.short_name}-{timezone.localdate():%Y%m%d}.xlsx"
    )


@staff()
@never_cache
def excel_export_all(request) -> FileResponse:
    """Everything the user may see; masked where they do not administer the agency."""
    data = excel.export_registry(user=request.user)
    return xlsx_response(data, f"执法人员名单-{timezone.localdate():%Y%m%d}.xlsx")
