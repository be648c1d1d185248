"""Staff pages for evidence files: upload from a phone, details, verified download.

Adapters only: they parse the request, call `zhifa.ledger.evidence` and
render. Routes (namespace "ledger"): evidence_upload, evidence_detail,
evidence_download.
"""

from __future__ import annotations

import mimetypes

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from zhifa.core.access import staff
from zhifa.ledger import evidence
from zhifa.ledger.models import EvidenceBlob
from zhifa.orgs.models import Agency

ACCEPT = "image/*,video/*,audio/*,application/pdf"

# Extensions for a download name when the upload had none; mimetypes lacks
# several of these (HEIC, AMR, M4A) or picks an odd one (.jpe).
_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/heic": ".heic",
    "image/heic-sequence": ".heics",
    "image/heif": ".heif",
    "image/avif": ".avif",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/wav": ".wav",
    "audio/amr": ".amr",
    "application/pdf": ".pdf",
}


class EvidenceUploadForm(forms.Form):
    # Two inputs, not one: on phones `capture` opens the camera directly and
    # hides the gallery and files, so a single input with it could never take
    # a scanned PDF or an earlier recording. Without `capture`, the phone
    # offers camera, recorder and files together.
    file = forms.FileField(
        label="选择证据文件（照片、录音、录像、扫描件或 PDF）",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT, "class": "big"}),
    )
    camera = forms.FileField(
        label="或用相机直接拍摄",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*,video/*", "capture": "environment"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        chosen = [f for f in (cleaned.get("file"), cleaned.get("camera")) if f]
        if not chosen:
            raise forms.ValidationError("请选择或拍摄一个证据文件。")
        if len(chosen) > 1:
            raise forms.ValidationError("一次只能上传一个文件：请只选择文件，或只拍摄一次。")
        cleaned["upload"] = chosen[0]
        return cleaned


class _SizeLimitHandler(FileUploadHandler):
    """Stops receiving an upload as soon as it passes the evidence size limit.

    Placed first, so the rest of the file never reaches the temporary file on
    disk; Django reads and discards the remaining request body.
    """

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) builds the file


def upload_agency(user) -> Agency | None:
    """The agency a user uploads for: that of their first active agency-scoped role."""
    assignment = (
        user.active_roles().filter(agency__isnull=False).order_by("created_at", "pk").first()
    )
    return assignment.agency if assignment is not None else None


def _upload_page(request: HttpRequest, status: int = 200, **context) -> HttpResponse:
    limit = settings.ZHIFA_EVIDENCE_MAX_BYTES
    context = {"max_size": evidence.format_size(limit), **context}
    return render(request, "ledger/evidence_upload.html", context, status=status)


@staff()
@csrf_exempt
def evidence_upload(request: HttpRequest) -> HttpResponse:
    agency = upload_agency(request.user)
    if agency is None:
        # Refused before the body is read: nothing is received or changed.
        return _upload_page(request, status=403, no_agency=True)
    # The size limit has to be in place before anything reads the body, and
    # the CSRF check reads it; so CSRF is checked below, after the handler is
    # installed (the documented pattern for custom upload handlers).
    limiter = None
    if request.method == "POST":
        limiter = _SizeLimitHandler(request, settings.ZHIFA_EVIDENCE_MAX_BYTES)
        request.upload_handlers.insert(0, limiter)
    return _evidence_upload(request, agency, limiter)


@csrf_protect
def _evidence_upload(
    request: HttpRequest, agency: Agency, limiter: _SizeLimitHandler | None
) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, agency=agency, form=EvidenceUploadForm())

    form = EvidenceUploadForm(request.POST, request.FILES)
    error = ""
    if limiter is not None and limiter.exceeded:
        error = str(evidence.too_large(limiter.limit))
        form = EvidenceUploadForm()
    elif form.is_valid():
        upload = form.cleaned_data["upload"]
        try:
            blob = evidence.evidence_store(
                agency=agency,
                # Until the case engine attaches evidence to cases, an upload
                # is recorded against the uploader.
                subject=("ledger.upload", str(request.user.public_id)),
                actor=request.user,
                file=upload,
                original_name=upload.name or "",
            )
        except evidence.EvidenceError as exc:
            error = str(exc)
        else:
            messages.success(request, f"证据文件已存证（全过程记录第 {blob.entry.seq} 号）。")
            return redirect("ledger:evidence_detail", public_id=blob.public_id)
    return _upload_page(request, status=400, agency=agency, form=form, error=error)


def _blob_for(request: HttpRequest, public_id) -> EvidenceBlob:
    # Outsiders get 404, not 403: whether an evidence file exists is itself
    # information.
    return get_object_or_404(
        EvidenceBlob.objects.visible_to(request.user).select_related(
            "agency", "entry", "entry__log", "uploaded_by"
        ),
        public_id=public_id,
    )


@staff()
@require_GET
def evidence_detail(request: HttpRequest, public_id) -> HttpResponse:
    blob = _blob_for(request, public_id)
    return render(
        request,
        "ledger/evidence_detail.html",
        {
            "blob": blob,
            "type_label": evidence.type_label(blob.media_type),
            "size_label": evidence.format_size(blob.size),
        },
    )


def download_name(blob: EvidenceBlob) -> str:
    if blob.original_name:
        return blob.original_name
    ext = _EXTENSIONS.get(blob.media_type) or mimetypes.guess_extension(blob.media_type) or ""
    return f"证据-{blob.sha256[:12]}{ext}"


def serve_blob(request: HttpRequest, blob, *, filename: str, attachment: bool) -> HttpResponse:
    """Stream a stored file to a staff user, verified against its recorded
    digests as it is read (and the view recorded): 404 where the user may not
    open it, a 409 page saying so where the bytes no longer match. The cases
    app serves issued documents and case evidence through this too."""
    try:
        handle = evidence.evidence_open(blob=blob, actor=request.user)
    except evidence.EvidenceError as exc:
        if exc.code == "forbidden":
            raise Http404 from exc
        if exc.code != "tampered":
            raise
        return render(
            request,
            "ledger/evidence_damaged.html",
            {"blob": blob, "message": str(exc)},
            status=409,
        )
    response = FileResponse(
        handle, content_type=blob.media_type, as_attachment=attachment, filename=filename
    )
    response.block_size = evidence.CHUNK_SIZE
    # Evidence holds personal data: no shared or browser cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response


@staff()
@require_GET  # not HEAD: every request verifies the whole file and records a view
def evidence_download(request: HttpRequest, public_id) -> HttpResponse:
    blob = _blob_for(request, public_id)
    return serve_blob(
        request,
        blob,
        filename=download_name(blob),
        attachment=request.GET.get("download") == "1",
    )
