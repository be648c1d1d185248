"""Staff pages for the 执法工作手册: the agency's versions (compile, submit,
download) and the supervisor's queue of submitted handbooks (accept / return)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhifa.catalog import handbook as hb
from zhifa.catalog.models import Handbook
from zhifa.catalog.services import can_manage_catalog
from zhifa.core.access import staff
from zhifa.ledger.evidence import EvidenceError, evidence_open
from zhifa.orgs.models import Agency


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _visible_handbook(request, public_id) -> Handbook:
    handbook = get_object_or_404(Handbook.objects.select_related("agency"), public_id=public_id)
    if not Agency.objects.visible_to(request.user).filter(pk=handbook.agency_id).exists():
        raise Http404("手册不存在。")
    return handbook


@staff()
def agency_handbooks(request, public_id):
    agency = get_object_or_404(Agency.objects.visible_to(request.user), public_id=public_id)
    if not can_manage_catalog(request.user, agency):
        raise PermissionDenied("您无权管理该执法主体的执法工作手册。")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "compile":
                made = hb.handbook_compile(actor=request.user, agency=agency)
                messages.success(request, f"已编制第{made.version}版执法工作手册。")
            elif request.POST.get("action") == "submit":
                target = get_object_or_404(
                    Handbook, agency=agency, public_id=request.POST.get("handbook")
                )
                hb.handbook_submit(actor=request.user, handbook=target)
                messages.success(request, f"第{target.version}版已报送司法行政部门备案。")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect("catalog:handbooks", public_id=agency.public_id)
    handbooks = Handbook.objects.filter(agency=agency).select_related("decided_by")
    return render(request, "catalog/handbook_list.html", {"agency": agency, "handbooks": handbooks})


@staff()
def handbook_pdf(request, public_id):
    handbook = _visible_handbook(request, public_id)
    if handbook.pdf is None:
        raise Http404("手册尚未编制完成。")
    try:
        handle = evidence_open(blob=handbook.pdf, actor=request.user)
    except EvidenceError as exc:
        raise PermissionDenied(str(exc)) from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{handbook.agency.name}执法工作手册第{handbook.version}版.pdf",
        content_type="application/pdf",
    )


@staff()
def handbook_docx(request, public_id):
    handbook = _visible_handbook(request, public_id)
    if not handbook.docx_name:
        raise Http404("手册尚未编制完成。")
    try:
        data = hb.handbook_docx_bytes(handbook)
    except ValidationError as exc:
        raise PermissionDenied(_errors(exc)) from exc
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"{handbook.agency.name}执法工作手册第{handbook.version}版.docx",
        content_type=hb.DOCX_TYPE,
    )


@staff()
def review_queue(request):
    return render(
        request,
        "catalog/handbook_review.html",
        {"handbooks": hb.handbooks_for_supervisor(request.user)},
    )


@staff()
@require_POST
def review_decide(request, public_id):
    handbook = _visible_handbook(request, public_id)
    comments = request.POST.get("comments", "")
    try:
        if request.POST.get("decision") == "accept":
            hb.handbook_accept(actor=request.user, handbook=handbook, comments=comments)
            messages.success(request, f"已同意“{handbook}”备案。")
        elif request.POST.get("decision") == "return":
            hb.handbook_return(actor=request.user, handbook=handbook, comments=comments)
            messages.success(request, f"已退回“{handbook}”。")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("catalog:handbook_review")
