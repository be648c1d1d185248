"""Evidence of a case: the phone upload page (camera, time, position), the
body-camera import, and one piece of evidence with its integrity check.

Uploads follow the ledger's upload page (`zhifa.ledger.views_evidence`): the
size limit is installed before anything reads the request body, so CSRF is
checked afterwards. Each file is stored and attached on its own: one bad file
never loses the others.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from zhifa.cases import services
from zhifa.cases.errors import InvalidInput, TransitionRefused
from zhifa.cases.models import Case, CaseEvidence
from zhifa.cases.views_common import CASE_STAFF, case_for, safe_next, step_choices, step_label
from zhifa.cases.views_forms import BodycamImportForm, EvidenceUploadForm
from zhifa.cases.views_transition import step_evidence_context
from zhifa.core.access import staff
from zhifa.ledger import evidence


class _PerFileLimit(FileUploadHandler):
    """Drops each file that passes the evidence size limit while it is being
    received, and remembers its name so the page can say which one."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.skipped: list[str] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.skipped.append(self.file_name or "（未命名文件）")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file


def _with_limit(view):
    """Install the size limit, then check CSRF (which reads the body)."""
    protected = csrf_protect(view)

    @csrf_exempt
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        case = case_for(request, pk)  # 404 before any of the body is read
        limiter = None
        if request.method == "POST":
            limiter = _PerFileLimit(request, settings.ZHIFA_EVIDENCE_MAX_BYTES)
            request.upload_handlers.insert(0, limiter)
        return protected(request, case, limiter)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _add_each(request: HttpRequest, case: Case, items: list[dict], limiter) -> list[dict]:
    """Attach each file independently; one result line per file."""
    results = [
        {"name": name, "ok": False, "message": str(evidence.too_large(limiter.limit))}
        for name in (limiter.skipped if limiter else [])
    ]
    for item in items:
        name = item["original_name"] or item["title"]
        try:
            added = services.add_evidence(actor=request.user, case=case, **item)
        except (InvalidInput, TransitionRefused) as exc:
            results.append({"name": name, "ok": False, "message": "；".join(exc.messages)})
        except evidence.EvidenceError as exc:
            results.append({"name": name, "ok": False, "message": str(exc)})
        else:
            results.append(
                {
                    "name": name,
                    "ok": True,
                    "message": f"已附入“{added.title}”（全过程记录第 {added.entry.seq} 号）。",
                }
            )
    return results


def _upload_items(form: EvidenceUploadForm) -> list[dict]:
    camera = set(map(id, form.cleaned_data.get("camera") or []))
    items = form.items()
    for item in items:
        item["source"] = (
            CaseEvidence.Source.PHONE if id(item["file"]) in camera else CaseEvidence.Source.DESK
        )
    return items


def _page(request, case, form, results=(), status=200) -> HttpResponse:
    context = {
        "case": case,
        "upload_form": form,
        "results": results,
        "max_size": evidence.format_size(settings.ZHIFA_EVIDENCE_MAX_BYTES),
    }
    if request.headers.get("HX-Request") == "true":
        # htmx swaps only 2xx answers; the fragment carries the errors.
        return render(request, "cases/_evidence_form.html", context)
    return render(request, "cases/evidence_upload.html", context, status=status)


@staff(*CASE_STAFF)
@_with_limit
def evidence_upload(request: HttpRequest, case: Case, limiter) -> HttpResponse:
    """上传证据 from a phone: camera, captured time and position, step."""
    steps = step_choices(case)
    if request.method != "POST":
        initial = {
            "step": request.GET.get("step", ""),
            "next": safe_next(request, request.GET.get("next", "")),
        }
        return _page(request, case, EvidenceUploadForm(steps=steps, initial=initial))

    form = EvidenceUploadForm(request.POST, request.FILES, steps=steps)
    items = _upload_items(form) if form.is_valid() else []
    results = _add_each(request, case, items, limiter)
    added = [r for r in results if r["ok"]]
    failed = len(results) - len(added)
    htmx = request.headers.get("HX-Request") == "true"
    inline = request.POST.get("inline") == "1"

    if inline and htmx:
        step = request.POST.get("step", "")
        try:
            t = case.definition.transition(step)
        except KeyError:
            t = None
        if t is not None:
            fresh = None if not failed and form.is_valid() else form
            return render(
                request,
                "cases/_step_evidence.html",
                {"step": step_evidence_context(case, t, form=fresh, results=results)},
            )
    if added and not failed:
        messages.success(request, f"已附入 {len(added)} 个证据文件。")
        target = safe_next(request, request.POST.get("next", "")) or reverse(
            "cases:detail", args=[case.pk]
        )
        if htmx:
            return HttpResponse(headers={"HX-Redirect": target})
        return redirect(target)
    return _page(request, case, form, results, status=200 if added else 400)


@staff(*CASE_STAFF)
@_with_limit
def bodycam_import(request: HttpRequest, case: Case, limiter) -> HttpResponse:
    """执法记录仪导入: many files from one device, each stored on its own."""
    steps = step_choices(case)
    results: list[dict] = []
    status = 200
    if request.method == "POST":
        form = BodycamImportForm(request.POST, request.FILES, steps=steps)
        items = []
        if form.is_valid():
            device, step = form.cleaned_data["device"], form.cleaned_data["step"]
            items = [
                {
                    "file": f,
                    "original_name": f.name or "",
                    "title": (f.name or "执法记录仪文件")[:200],
                    "kind": "audiovisual",
                    "step": step,
                    "source": CaseEvidence.Source.BODYCAM,
                    "device": device,
                }
                for f in form.cleaned_data["files"]
            ]
        results = _add_each(request, case, items, limiter)
        if not any(r["ok"] for r in results):
            status = 400
        if results and form.is_valid():
            form = BodycamImportForm(steps=steps, initial={"device": form.cleaned_data["device"]})
    else:
        form = BodycamImportForm(steps=steps)
    return render(
        request,
        "cases/bodycam_import.html",
        {
            "case": case,
            "form": form,
            "results": results,
            "added": sum(1 for r in results if r["ok"]),
            "refused": sum(1 for r in results if not r["ok"]),
            "max_size": evidence.format_size(settings.ZHIFA_EVIDENCE_MAX_BYTES),
        },
        status=status,
    )


@staff()
@require_GET
def evidence_detail(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """One piece of evidence, re-hashed against the whole-process record."""
    case = case_for(request, pk)
    item = (
        CaseEvidence.objects.filter(case=case, pk=evidence_pk)
        .select_related("blob", "blob__entry", "uploaded_by", "entry")
        .first()
    )
    if item is None:
        raise Http404("证据不存在或无权查看")
    return render(
        request,
        "cases/evidence_detail.html",
        {
            "case": case,
            "item": item,
            "blob": item.blob,
            "step": step_label(case, item.step),
            "type_label": evidence.type_label(item.blob.media_type),
            "size_label": evidence.format_size(item.blob.size),
            "problems": evidence.evidence_verify(item.blob),
        },
    )
