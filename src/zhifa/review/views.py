"""法制审核 pages: the reviewer's queue, 提交法制审核, and the review page —
everything the reviewer reads (facts, proposed decision then and now,
criteria, evidence with its ledger verification, documents, the timeline,
the previous rounds) and every form the request's state and the user's role
allow. Views parse and render; `zhifa.review.services` decides and writes.

Other pages: `views_actions` (the forms of the review page), `views_head`
(disputes, figures, the agency's parameters).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.cases import engine
from zhifa.cases.errors import DuplicateSubmission, InvalidInput, Refusal, TransitionRefused
from zhifa.cases.guards import review_requirement
from zhifa.cases.models import Case
from zhifa.cases.selectors import decision_fingerprint
from zhifa.cases.views_common import acting_agencies, case_for, timeline_rows
from zhifa.catalog.models import Grade
from zhifa.core.access import staff
from zhifa.orgs.models import Role
from zhifa.review import gate, law, selectors, services, snapshot
from zhifa.review.forms import (
    AssignForm,
    ClaimForm,
    ConflictForm,
    DisputeForm,
    ExtendForm,
    OpinionForm,
    ReturnForm,
    SubmitForm,
)
from zhifa.review.models import Outcome, Result, ReviewRequest

S = ReviewRequest.Status
REVIEW_STAFF = (Role.LEGAL_REVIEWER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.OFFICER)
HANDLING = (Role.OFFICER, Role.UNIT_HEAD)
SHOWN = 200


def request_for(request: HttpRequest, pk: int) -> ReviewRequest:
    """The request, if the user may see its case's agency; 404 otherwise."""
    try:
        return selectors.request_get_for_user(request.user, pk)
    except ReviewRequest.DoesNotExist:
        raise Http404("法制审核申请不存在或无权查看") from None


def scoped_key(request: HttpRequest, key: str) -> str:
    """The page's idempotency key scoped to the user, as the case pages do."""
    digest = hashlib.sha256(f"{request.user.pk}\x00{key}".encode()).hexdigest()
    return f"web:{digest[:60]}"


# ---------------------------------------------------------------------------
# Due dates in words


@dataclass(frozen=True)
class Due:
    on: date | None
    status: str  # ok / soon / overdue / done / unknown (the case pages' CSS classes)
    text: str


def due_of(r: ReviewRequest, today: date) -> Due:
    due = r.effective_due
    if r.status not in ReviewRequest.AWAITING_OPINION:
        return Due(due, "done", "已办结")
    if due is None:
        return Due(None, "unknown", r.due_note or "届满日待定")
    days = (due - today).days
    if days < 0:
        return Due(due, "overdue", f"逾期{-days}天")
    if days == 0:
        return Due(due, "soon", "今天届满")
    return Due(due, "soon" if days <= 2 else "ok", f"剩{days}天")


def _row(r: ReviewRequest, today: date, **extra) -> dict:
    return {"r": r, "due": due_of(r, today), **extra}


# ---------------------------------------------------------------------------
# The queue


@staff(*REVIEW_STAFF)
def queue(request: HttpRequest) -> HttpResponse:
    """审核人员: assigned to me, and waiting for a reviewer (may I claim it, or why not);
    heads and the handling side: the agency's requests that need someone to act."""
    user, today = request.user, timezone.localdate()
    reviewing = acting_agencies(user, (Role.LEGAL_REVIEWER,))
    mine = selectors.request_list_for_reviewer(user)
    waiting = []
    for agency in reviewing:
        for r in selectors.request_list_for_agency(agency, open_only=True):
            if r.status == S.SUBMITTED:
                waiting.append(_row(r, today, refusals=selectors.reviewer_refusals(r, user)))
    show_all = request.GET.get("all") == "1"
    agencies = []
    for agency in acting_agencies(user, (Role.AGENCY_HEAD, Role.UNIT_HEAD, Role.OFFICER)):
        rows = [
            _row(r, today)
            for r in selectors.request_list_for_agency(agency)[:SHOWN]
            if show_all or r.status in (*ReviewRequest.OPEN, S.PROBLEMS)
        ]
        agencies.append({"agency": agency, "rows": rows})
    return render(
        request,
        "review/queue.html",
        {
            "is_reviewer": reviewing.exists(),
            "assigned": [_row(r, today) for r in mine.assigned],
            "waiting": waiting,
            "agencies": agencies,
            "show_all": show_all,
            "heads": acting_agencies(user, (Role.AGENCY_HEAD,)),
        },
    )


@staff()
def case_reviews(request: HttpRequest, case_pk: int) -> HttpResponse:
    """From the case page: its latest round, or the submission page if none."""
    case = case_for(request, case_pk)
    latest = selectors.latest_request(case)
    if latest is None:
        return redirect("review:submit", case_pk=case.pk)
    return redirect("review:detail", pk=latest.pk)


# ---------------------------------------------------------------------------
# 提交法制审核


def unanswered_round(rounds: list[ReviewRequest]) -> ReviewRequest | None:
    """The round whose problems the next submission must answer (as
    `review_submit` reads it): the last round that was not returned as
    incomplete, if its opinion found problems that no 集体讨论 or head set aside."""
    for r in reversed(rounds):
        if r.status == S.RETURNED_INCOMPLETE:
            if r.response.strip():
                return None
            continue
        opinion = getattr(r, "opinion", None)
        if opinion is None or opinion.result != Result.PROBLEMS:
            return None
        dispute = getattr(r, "disagreement", None)
        if dispute is not None and dispute.outcome == Outcome.UPHELD_UNIT:
            return None
        return r
    return None


def _submit_refusals(case: Case, user) -> list[Refusal]:
    """Why 提交法制审核 cannot be done now (the engine's preview), if so."""
    try:
        t = case.definition.transition("submit_legal_review")
    except KeyError:
        return [Refusal("state", "本案适用的程序没有法制审核环节。")]
    if case.status not in t.sources:
        return [
            Refusal("state", f"案件当前处于“{case.status_label}”，不能提交法制审核。", law.ART_58_1)
        ]
    for option in engine.options(case, user):
        if option.transition.code == t.code:
            return option.refusals
    return []


# Heads may open it too: the page then says why they may not submit (the engine's roles).
@staff(*HANDLING, Role.AGENCY_HEAD)
def submit(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = case_for(request, case_pk)
    rounds = selectors.request_list_for_case(case)
    previous = unanswered_round(rounds)
    required = services.required_materials(case)
    refusals: list[Refusal] = []
    status = 200
    if request.method == "POST":
        key = request.POST.get("submission_key", "")[:64] or uuid.uuid4().hex
        form = SubmitForm(request.POST, required=required, needs_response=previous is not None)
        if form.is_valid():
            try:
                created = services.review_submit(
                    actor=request.user,
                    case=case,
                    materials=form.materials_map(),
                    note=form.cleaned_data["note"],
                    response=form.cleaned_data.get("response", ""),
                    submission_key=scoped_key(request, key),
                )
            except DuplicateSubmission as exc:
                messages.warning(request, exc.messages[0])
                return redirect("review:case", case_pk=case.pk)
            except InvalidInput as exc:
                form.add_service_errors(exc.errors)
                status = 400
            except TransitionRefused as exc:
                refusals, status = exc.refusals, 409
            else:
                messages.success(
                    request,
                    f"已提交第{created.round}轮法制审核"
                    + (
                        f"，应于{created.effective_due:%Y年%-m月%-d日}前完成。"
                        if created.effective_due
                        else "。"
                    ),
                )
                return redirect("review:detail", pk=created.pk)
        else:
            status = 400
    else:
        key = uuid.uuid4().hex
        form = SubmitForm(required=required, needs_response=previous is not None)
        refusals = _submit_refusals(case, request.user)
    proposal = snapshot.proposal_of(case)
    return render(
        request,
        "review/submit.html",
        {
            "case": case,
            "form": form,
            "submission_key": key,
            "refusals": refusals,
            "previous": previous,
            "rounds": rounds,
            "need": review_requirement(case),
            "summary": snapshot.proposal_summary(proposal),
            "gate": gate.status(case, decision_fingerprint(case)),
            "evidence_count": case.evidence.count(),
        },
        status=status,
    )


# ---------------------------------------------------------------------------
# The review page


def _grade(code: str) -> str:
    return Grade(code).label if code in Grade.values else code


def _media(blob) -> str:
    kind = (blob.media_type or "").split("/")[0]
    return kind if kind in ("image", "audio", "video") else ""


def review_context(request: HttpRequest, r: ReviewRequest, **forms) -> dict:
    """Everything on the review page; `forms` replaces a form with its bound,
    rejected copy so the page shows it again with its errors."""
    user, today = request.user, timezone.localdate()
    case = case_for(request, r.case_id)
    agency = r.agency
    rounds = selectors.request_list_for_case(case)
    latest = rounds[-1] if rounds else r
    current = decision_fingerprint(case)
    changes = snapshot.changes_since(r.snapshot, case) if current != r.fingerprint else []
    rows = selectors.review_materials(r, verify=True)
    evidence = [
        {"row": m, "media": _media(m.obj.blob) if m.obj is not None else ""}
        for m in rows
        if m.kind == "evidence"
    ]
    documents = [m for m in rows if m.kind == "document"]

    agency_head = law.is_agency_head(user, agency)
    legal_head = law.is_legal_unit_head(user, agency)
    reviewer_role = law.holds(user, Role.LEGAL_REVIEWER, agency)
    is_reviewer = r.reviewer_id == user.pk
    awaiting = r.status in ReviewRequest.AWAITING_OPINION
    handling = any(law.holds(user, role, agency) for role in HANDLING) and not legal_head
    unit_head = law.holds(user, Role.UNIT_HEAD, agency) and not legal_head
    is_latest = latest.pk == r.pk

    reviewers = selectors.legal_reviewers(agency)
    can_assign = awaiting and (agency_head or legal_head)
    can_claim = r.status == S.SUBMITTED and reviewer_role and not r.reviewer_id
    ctx = {
        "r": r,
        "case": case,
        "rounds": rounds,
        "earlier": [x for x in rounds if x.round < r.round],
        "later": [x for x in rounds if x.round > r.round],
        "latest": latest,
        "is_latest": is_latest,
        "due": due_of(r, today),
        "gate": gate.status(case, current),
        "changed": current != r.fingerprint,
        "changes": changes,
        "summary_now": snapshot.proposal_summary(snapshot.proposal_of(case)),
        "snap": r.snapshot or {},
        "grade": _grade((r.snapshot or {}).get("proposal", {}).get("discretion_grade", "")),
        "evidence": evidence,
        "documents": documents,
        "timeline": timeline_rows(case),
        "opinion": getattr(r, "opinion", None),
        "dispute": getattr(r, "disagreement", None),
        "is_reviewer": is_reviewer,
        "agency_head": agency_head,
        "can_opine": r.status == S.UNDER_REVIEW and is_reviewer,
        "can_claim": can_claim,
        "claim_refusals": selectors.reviewer_refusals(r, user) if can_claim else [],
        "can_assign": can_assign,
        "candidates": selectors.eligible_reviewers(r) if can_assign else [],
        "can_return": awaiting
        and (is_reviewer or agency_head or legal_head or (reviewer_role and not r.reviewer_id)),
        "can_conflict": awaiting and (reviewer_role or agency_head or legal_head),
        "conflict_for_others": agency_head or legal_head,
        "can_extend": awaiting and agency_head and not r.extension_days,
        "can_respond": is_latest and r.status == S.PROBLEMS and handling,
        "can_dispute": is_latest and r.status == S.PROBLEMS and unit_head,
        "can_resolve": r.status == S.DISPUTED and agency_head,
        "refusals": [],
        "refused_action": "",
    }
    ctx["opinion_form"] = forms.pop("opinion_form", None) or OpinionForm()
    ctx["return_form"] = forms.pop("return_form", None) or ReturnForm()
    ctx["assign_form"] = forms.pop("assign_form", None) or AssignForm(reviewers=reviewers)
    ctx["conflict_form"] = forms.pop("conflict_form", None) or ConflictForm(reviewers=reviewers)
    ctx["extend_form"] = forms.pop("extend_form", None) or ExtendForm()
    ctx["dispute_form"] = forms.pop("dispute_form", None) or DisputeForm()
    ctx["claim_form"] = forms.pop("claim_form", None) or ClaimForm()
    ctx.update(forms)
    return ctx


def render_review(
    request: HttpRequest,
    r: ReviewRequest,
    *,
    status: int = 200,
    refusals: list[Refusal] | None = None,
    action: str = "",
    **forms,
) -> HttpResponse:
    ctx = review_context(request, r, **forms)
    ctx["refusals"], ctx["refused_action"] = refusals or [], action
    return render(request, "review/detail.html", ctx, status=status)


@staff()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_review(request, request_for(request, pk))
