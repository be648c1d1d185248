"""Evidence of a case: the phone upload page (camera, time, position), the
body-camera import, and one piece of evidence with its integrity check.

Uploads follow the ledger's upload page (`zhifa.ledger.views_evidence`): the
size limit is installed before anything reads the request body, so CSRF is
checked afterwards. Each file is stored and attached on its own: one bad file
never loses the others.

The phone page works as a plain form. With JavaScript, `cases/upload_queue.js`
keeps each file in the phone's IndexedDB and sends it alone, asking for JSON
and carrying a `client_key`: a resend of a key that already attached its file
is answered 200 with that evidence, so a lost answer never adds a file twice.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from zhifa.cases import services
from zhifa.cases.errors import DuplicateSubmission, InvalidInput, TransitionRefused
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


# The HTTP status of a refused file, for the upload queue: any 4xx is final
# (the officer reads why and discards it), a 5xx is tried again later.
_STORE_STATUS = {"too_large": 413, "type": 415, "forbidden": 403, "conflict": 409, "changed": 503}


def _refused(name: str, message: str, status: int) -> dict:
    return {"name": name, "ok": False, "message": message, "status": status, "replay": False}


def _attached(name: str, item: CaseEvidence, *, replay: bool) -> dict:
    where = f"“{item.title}”（全过程记录第 {item.entry.seq} 号）"
    return {
        "name": name,
        "ok": True,
        "message": f"此前已附入{where}，未重复附入。" if replay else f"已附入{where}。",
        "status": 200 if replay else 201,
        "replay": replay,
        "evidence": item,
    }


def _add_each(request: HttpRequest, case: Case, items: list[dict], limiter) -> list[dict]:
    """Attach each file independently; one result line per file."""
    results = [
        _refused(name, str(evidence.too_large(limiter.limit)), 413)
        for name in (limiter.skipped if limiter else [])
    ]
    for item in items:
        name = item["original_name"] or item["title"]
        try:
            added = services.add_evidence(actor=request.user, case=case, **item)
        except DuplicateSubmission:
            # The same key already attached this very file: a resend after
            # the first answer was lost. It succeeded then; say so again.
            earlier = CaseEvidence.objects.select_related("entry", "blob").get(
                case=case, client_key=item["client_key"]
            )
            results.append(_attached(name, earlier, replay=True))
        except TransitionRefused as exc:
            results.append(_refused(name, "；".join(exc.messages), 403))
        except InvalidInput as exc:
            results.append(_refused(name, "；".join(exc.messages), 400))
        except evidence.EvidenceError as exc:
            results.append(_refused(name, str(exc), _STORE_STATUS.get(exc.code, 400)))
        else:
            results.append(_attached(name, added, replay=False))
    return results


def _wants_json(request: HttpRequest) -> bool:
    # Browsers send "text/html,…,*/*" and htmx "*/*": both get HTML. Only a
    # client that names JSON first (the upload queue) gets JSON.
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _with_keys(request: HttpRequest, items: list[dict], key: str) -> list[dict]:
    """One key per file. The queue sends one file per request; should a
    client send several under one key, each gets its own derived key."""
    for n, item in enumerate(items, start=1):
        item["client_key"] = services.client_key_for(
            request.user, key if len(items) == 1 else f"{key}#{n}"
        )
    return items


def _evidence_json(case: Case, item: CaseEvidence) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "step": item.step,
        "source": item.source,
        "is_recording": item.is_recording,
        # Taken on the phone when the photo was captured; the server's own
        # time of receipt is kept beside it.
        "captured_at": item.captured_at.isoformat() if item.captured_at else None,
        "uploaded_at": item.uploaded_at.isoformat(),
        "sha256": item.blob.sha256,
        "ledger_seq": item.entry.seq,
        "url": reverse("cases:evidence_detail", args=[case.pk, item.pk]),
    }


def _json_answer(case: Case, form: EvidenceUploadForm, results: list[dict]) -> JsonResponse:
    """201 when attached, 200 for a resend of what was attached before, the
    refusal's own 4xx (with the reason in Chinese) otherwise."""
    if not results:  # the form refused before any file was tried
        errors = {
            field: [
                f"{form.fields[field].label}：{m}" if field in form.fields else str(m) for m in msgs
            ]
            for field, msgs in form.errors.items()
        }
        message = "；".join(m for msgs in errors.values() for m in msgs) or "没有收到文件。"
        return JsonResponse(
            {"ok": False, "replay": False, "message": message, "errors": errors, "results": []},
            status=400,
        )
    ok = [r for r in results if r["ok"]]
    failed = [r for r in results if not r["ok"]]
    if not failed:
        status = 200 if all(r["replay"] for r in ok) else 201
    else:
        # All refused: the first refusal's status. Some attached: 200, as the
        # page answers, with each file's result.
        status = 200 if ok else failed[0]["status"]
    rows = [
        {
            "name": r["name"],
            "ok": r["ok"],
            "replay": r["replay"],
            "message": r["message"],
            "evidence": _evidence_json(case, r["evidence"]) if r["ok"] else None,
        }
        for r in results
    ]
    return JsonResponse(
        {
            "ok": not failed,
            "replay": bool(ok) and not failed and all(r["replay"] for r in ok),
            "message": "；".join(r["message"] for r in results),
            "evidence": rows[0]["evidence"] if len(rows) == 1 else None,
            "results": rows,
        },
        status=status,
    )


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
    key = request.POST.get("client_key", "").strip()
    if len(key) > 200:
        results = [_refused("", "上传编号（client_key）不能超过 200 个字符。", 400)]
    else:
        results = _add_each(
            request, case, _with_keys(request, items, key) if key else items, limiter
        )
    if _wants_json(request):
        return _json_answer(case, form, results)
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
