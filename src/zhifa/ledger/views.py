"""Public proofs API, the 记录核验 page, and receipts for staff.

The public endpoints serve only what anyone may check: signed checkpoints,
public keys and proofs (hashes). Entry contents and receipts are staff-only
and scoped to the agencies a user may see.
"""

from __future__ import annotations

import base64

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhifa.core.access import public, staff
from zhifa.ledger import checkpoints, selectors
from zhifa.ledger.models import Entry
from zhifa.ledger.receipt import check_receipt, dumps_receipt
from zhifa.ledger.services import LedgerError, default_log

MAX_RECEIPT_BYTES = 256 * 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _int_param(request, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise LedgerError(f"参数 {name} 应为非负整数，收到“{raw[:20]}”。")
    return int(raw)


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@public
@require_GET
def checkpoint_latest(request):
    log = default_log()
    cp = selectors.latest_checkpoint(log)
    if cp is None:
        return HttpResponse(
            "尚无签名检查点。\n", status=404, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(checkpoints.signed_note(cp), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@public
@require_GET
def keys(request):
    log = default_log()
    lines = ["# 日志公钥（检查点签名）", *checkpoints.log_vkeys(log)]
    witness = checkpoints.witness_vkeys()
    if witness:
        lines += ["# 见证公钥（联署签名）", *witness]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _checkpoint_size(log, size: int | None) -> int:
    latest = selectors.latest_checkpoint(log)
    if latest is None:
        raise LedgerError("尚无签名检查点，无法给出证明。")
    if size is None:
        return latest.tree_size
    if not log.checkpoints.filter(tree_size=size).exists():
        # Proofs are only given against signed sizes, so a verifier always
        # takes (size, root) from a verified checkpoint (ledger.md §0.4).
        raise LedgerError(f"记录数 {size} 没有对应的签名检查点；请使用已发布检查点的记录数。")
    return size


@public
@require_GET
def proof_inclusion(request):
    log = default_log()
    try:
        index = _int_param(request, "index")
        if index is None:
            raise LedgerError("缺少参数 index（记录序号）。")
        size = _checkpoint_size(log, _int_param(request, "size"))
        proof = selectors.inclusion_proof(log, index, size)
    except LedgerError as exc:
        return _error(str(exc))
    cp = log.checkpoints.get(tree_size=size)
    return JsonResponse(
        {
            "origin": log.origin,
            "hash_alg": log.hash_alg,
            "index": index,
            "tree_size": size,
            "leaf_hash": _b64(bytes(selectors.entry_get(log, index).leaf_hash)),
            "hashes": [_b64(h) for h in proof],
            "checkpoint": checkpoints.signed_note(cp),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@public
@require_GET
def proof_consistency(request):
    log = default_log()
    try:
        old = _int_param(request, "from")
        if old is None:
            raise LedgerError("缺少参数 from（旧记录数）。")
        new = _checkpoint_size(log, _int_param(request, "to"))
        proof = selectors.consistency_proof(log, old, new)
    except LedgerError as exc:
        return _error(str(exc))
    return JsonResponse(
        {
            "origin": log.origin,
            "hash_alg": log.hash_alg,
            "old_size": old,
            "new_size": new,
            "hashes": [_b64(h) for h in proof],
            "checkpoint": checkpoints.signed_note(log.checkpoints.get(tree_size=new)),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@public
def verify_page(request):
    """记录核验: paste or upload a receipt and read in plain Chinese what it proves."""
    log = default_log()
    report = None
    error = ""
    text = ""
    if request.method == "POST":
        upload = request.FILES.get("receipt_file")
        if upload is not None:
            if upload.size > MAX_RECEIPT_BYTES:
                error = (
                    f"回执文件过大（{upload.size} 字节），回执通常只有几 KB，请检查是否选错了文件。"
                )
            else:
                text = upload.read().decode("utf-8", errors="replace")
        else:
            text = request.POST.get("receipt", "")[:MAX_RECEIPT_BYTES]
        if not error:
            if not text.strip():
                error = "请粘贴回执内容，或选择回执文件（.json）。"
            else:
                report = check_receipt(
                    text, checkpoints.log_vkeys(log), checkpoints.witness_vkeys()
                )
    latest = selectors.latest_checkpoint(log)
    return render(
        request,
        "ledger/verify.html",
        {
            "report": report,
            "error": error,
            "receipt_text": text,
            "checkpoint": checkpoints.signed_note(latest) if latest else "",
            "log_keys": checkpoints.log_vkeys(log),
            "witness_keys": checkpoints.witness_vkeys(),
            "origin": log.origin,
        },
    )


@staff()
def entry_receipt(request, seq: int):
    """The receipt of one record, for a case party or a court."""
    log = default_log()
    entry = Entry.objects.visible_to(request.user).filter(log=log, seq=seq).first()
    if entry is None:
        raise Http404("记录不存在或无权查看")
    response = HttpResponse(
        dumps_receipt(checkpoints.receipt_for(entry)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="receipt-{seq}.json"'
    return response
