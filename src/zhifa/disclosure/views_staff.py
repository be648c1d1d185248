"""Staff pages of disclosure: the agency's queue, the redaction review page,
withdrawal and correction, error reports and replies, exemptions. Views parse
and render; `zhifa.disclosure.services` decides and writes."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.core.access import staff
from zhifa.disclosure import masking, selectors, services
from zhifa.disclosure.models import (
    OPEN_STATUSES,
    ErrorReport,
    ExemptReason,
    PartyReply,
    Publication,
    PublicationStatus,
)
from zhifa.orgs.models import Role

STAFF_ROLES = (
    Role.OFFICER,
    Role.UNIT_HEAD,
    Role.AGENCY_HEAD,
    Role.LEGAL_REVIEWER,
    Role.SUPERVISOR,
)
EDIT_ROLES = (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER)
S = PublicationStatus


def _publication(request, public_id) -> Publication:
    try:
        return selectors.publication_get_for_user(request.user, public_id)
    except Publication.DoesNotExist:
        raise Http404("公开信息不存在") from None


@staff(*STAFF_ROLES)
def queue(request):
    tab = request.GET.get("tab", "owed")
    if tab not in selectors.TABS:
        tab = "owed"
    today = timezone.localdate()
    return render(
        request,
        "disclosure/staff_queue.html",
        {
            "rows": selectors.queue_for_user(request.user, tab=tab, today=today),
            "tabs": selectors.TABS,
            "tab": tab,
            "today": today,
        },
    )


@staff(*STAFF_ROLES)
def review(request, public_id):
    pub = _publication(request, public_id)
    today = timezone.localdate()
    roles = services.user_roles(request.user, pub.agency)
    context = {
        # Supervisors read; only the agency's own staff get the forms.
        "can_act": bool(roles & services.EDIT_ROLES),
        "pub": pub,
        "today": today,
        "due": selectors.countdown(pub.due_on, today),
        "withdrawal": selectors.countdown(pub.withdrawal_due_on, today),
        "kinds": masking.KIND_LABELS,
        "exempt_reasons": ExemptReason.choices,
        "reports": pub.error_reports.order_by("-submitted_at"),
        "replies": pub.replies.order_by("-submitted_at"),
        "versions": Publication.objects.filter(series=pub.series).order_by("version"),
        "editable": pub.status == S.DRAFTED and bool(roles & services.EDIT_ROLES),
        "open": pub.status in OPEN_STATUSES,
    }
    if pub.status in (*OPEN_STATUSES,) or pub.status == S.PUBLISHED:
        try:
            source = services.source_text(pub)
        except services.DisclosureError as exc:
            context["source_error"] = exc.message
        else:
            context["party_not_told"] = not services.party_told(pub)
            masks = [
                m
                | {"label": masking.kind_label(m["kind"]), "reason": masking.rule_label(m["rule"])}
                for m in pub.masks
            ]
            context["segments"] = masking.segments(source, masks)
            context["draft_segments"] = masking.manifest_segments(pub.text, pub.manifest)
            context["masks"] = [
                m | {"index": i, "value_preview": source[m["start"] : m["end"]]}
                for i, m in enumerate(masks)
            ]
            context["released"] = [
                r
                | {
                    "label": masking.kind_label(r["kind"]),
                    "value_preview": source[r["start"] : r["end"]],
                }
                for r in pub.released
            ]
    return render(request, "disclosure/staff_review.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# POST actions on one publication: name → (service call, success message).
def _draft(request, pub):
    return services.publication_draft(
        actor=request.user, publication=pub
    ), "已生成去标识化公开稿，请逐项核对。"


def _mask_add(request, pub):
    return (
        services.publication_mask_add(
            actor=request.user,
            publication=pub,
            kind=request.POST.get("kind", ""),
            phrase=request.POST.get("phrase", "")[:200],
            note=request.POST.get("note", "")[:200],
        ),
        "已增加遮蔽。",
    )


def _mask_remove(request, pub):
    index = _int(request.POST.get("index"))
    return (
        services.publication_mask_remove(
            actor=request.user,
            publication=pub,
            index=-1 if index is None else index,
            reason=request.POST.get("reason", ""),
        ),
        "已取消遮蔽，理由已记录。",
    )


def _confirm(request, pub):
    return (
        services.publication_redaction_confirm(actor=request.user, publication=pub),
        "已确认去标识化核对结果。",
    )


def _publish(request, pub):
    return services.publication_publish(actor=request.user, publication=pub), "已公开。"


def _exempt(request, pub):
    return (
        services.publication_exempt(
            actor=request.user,
            publication=pub,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        ),
        "已决定不予公开，理由已记录并报送监督机关查看。",
    )


def _withdraw(request, pub):
    return (
        services.publication_withdraw(
            actor=request.user, publication=pub, reason=request.POST.get("reason", "")
        ),
        "已撤回，公示页面仅保留撤回说明。",
    )


def _correct(request, pub):
    return (
        services.publication_correct(
            actor=request.user,
            publication=pub,
            note=request.POST.get("note", ""),
            title=request.POST.get("title", "")[:300],
        ),
        "已建立更正稿：核对后公开，原版本随即被替换。",
    )


def _remove_early(request, pub):
    return (
        services.publication_remove_early(
            actor=request.user, publication=pub, reason=request.POST.get("reason", "")
        ),
        "已批准提前停止公示。",
    )


ACTIONS = {
    "draft": _draft,
    "mask_add": _mask_add,
    "mask_remove": _mask_remove,
    "confirm": _confirm,
    "publish": _publish,
    "exempt": _exempt,
    "withdraw": _withdraw,
    "correct": _correct,
    "remove_early": _remove_early,
}


@staff(*EDIT_ROLES)
@require_POST
def act(request, public_id, op):
    handler = ACTIONS.get(op)
    if handler is None:
        raise Http404("没有这个操作")
    pub = _publication(request, public_id)
    try:
        result, message = handler(request, pub)
    except services.DisclosureError as exc:
        messages.error(request, str(exc))
        return redirect("disclosure:review", public_id=pub.public_id)
    messages.success(request, message)
    return redirect("disclosure:review", public_id=result.public_id)


@staff(*STAFF_ROLES)
def exemptions(request):
    return render(
        request,
        "disclosure/staff_exemptions.html",
        {"rows": selectors.exemptions_for_user(request.user)[:500]},
    )


@staff(*STAFF_ROLES)
def feedback(request):
    today = timezone.localdate()
    periods: dict[str, selectors.ReplyPeriod | None] = {}

    def period(region_code: str):
        if region_code not in periods:
            periods[region_code] = selectors.correction_reply_period(region_code)
        return periods[region_code]

    reports = [
        (
            r,
            selectors.countdown(r.answer_due_on, today) if r.status == "open" else None,
            period(r.publication.region_code),
        )
        for r in selectors.reports_for_user(request.user)[:200]
    ]
    return render(
        request,
        "disclosure/staff_feedback.html",
        {
            "reports": reports,
            "replies": selectors.replies_for_user(request.user)[:200],
            "outcomes": ErrorReport.Outcome.choices,
        },
    )


@staff(*EDIT_ROLES)
@require_POST
def report_answer(request, public_id):
    try:
        report = selectors.reports_for_user(request.user).get(public_id=public_id)
    except (ErrorReport.DoesNotExist, ValueError):
        raise Http404("纠错申请不存在") from None
    try:
        services.error_report_answer(
            actor=request.user,
            report=report,
            answer=request.POST.get("answer", ""),
            outcome=request.POST.get("outcome", ""),
        )
    except services.DisclosureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已答复，答复已记录。")
    return redirect("disclosure:feedback")


@staff(*EDIT_ROLES)
@require_POST
def reply_moderate(request, public_id):
    try:
        reply = selectors.replies_for_user(request.user).get(public_id=public_id)
    except (PartyReply.DoesNotExist, ValueError):
        raise Http404("当事人说明不存在") from None
    approve = request.POST.get("decision") == "approve"
    try:
        services.reply_moderate(
            actor=request.user, reply=reply, approve=approve, note=request.POST.get("note", "")
        )
    except services.DisclosureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "已展示当事人说明。" if approve else "已决定不予展示，理由已记录。"
        )
    return redirect("disclosure:feedback")
