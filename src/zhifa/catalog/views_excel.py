"""Excel import and export of an agency's catalog lists (staff pages).

Catalog managers (the agency head, system administrators of its region,
superusers) download the template, upload a filled one and export the lists.
Agencies the user cannot see are 404; agencies they see but do not manage, 403.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from zhifa.catalog import excel
from zhifa.catalog.services import can_manage_catalog
from zhifa.core.access import staff
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
        may_manage=can_manage_catalog,
        refusal="只有本机关负责人或该区域的系统管理员可以导入、导出本机关的执法事项清单。",
    )


@staff()
def catalog_excel(request, agency_id) -> HttpResponse:
    agency = _agency_for(request, agency_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        result = excel.import_catalog(actor=request.user, agency=agency, file=file)
        return import_result_page(
            request,
            agency=agency,
            result=result,
            file_name=file.name,
            sheet_counts=result.counts,
            upload_url=reverse("catalog:excel", args=[agency.public_id]),
            back_label="返回执法事项清单 Excel 导入导出",
            # A changed item is published as a new version, not edited in place.
            updated_label="新版本／更新",
        )
    return upload_page(
        request,
        "catalog/excel.html",
        agency=agency,
        form=form,
        max_rows=excel.MAX_ROWS,
        max_file_bytes=excel.MAX_FILE_BYTES,
    )


@staff()
@never_cache
def catalog_excel_template(request, agency_id) -> FileResponse:
    agency = _agency_for(request, agency_id)
    return xlsx_response(
        excel.catalog_template(agency=agency), f"执法事项清单导入模板-{agency.short_name}.xlsx"
    )


@staff()
@never_cache
def catalog_excel_export(request, agency_id) -> FileResponse:
    agency = _agency_for(request, agency_id)
    data = excel.export_catalog(agency=agency)
    return xlsx_response(
        data, f"执法事项清单-{agency.short_name}-{timezone.localdate():%Y%m%d}.xlsx"
    )
