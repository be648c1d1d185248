"""The forms of the review page, each posting here: one service call each.

On success: a message and back to the review page. Refused: the review page
again, with the bound form, its field errors (`InvalidInput`) or the
refusals with their citations (`TransitionRefused`). The roles below only
keep a role that never acts on reviews off the URL; the services decide
who may act on this request.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from zhifa.cases.errors import InvalidInput, TransitionRefused
from zhifa.core.access import staff
from zhifa.orgs.models import Role
from zhifa.review import law, selectors, services
from zhifa.review.forms import (
    AssignForm,
    ClaimForm,
    ConflictForm,
    DisputeForm,
    ExtendForm,
    OpinionForm,
    ReturnForm,
)
from zhifa.review.models import Result, ReviewRequest
from zhifa.review.views import render_review, request_for

LEGAL_SIDE = (Role.LEGAL_REVIEWER, Role.UNIT_HEAD, Role.AGENCY_HEAD)


def _act(
    request: HttpRequest,
    r: ReviewRequest,
    form: forms.Form,
    slot: str,
    action: str,
    call: Callable[[dict], str],
    *,
    anchor: str = "",
) -> HttpResponse:
    """Validate `form`, run `call(cleaned_data)` (it returns the success
    message), and answer as described in the module docstring."""
    if form.is_valid():
        try:
            done = call(form.cleaned_data)
        except InvalidInput as exc:
            form.add_service_errors(exc.errors)
        except TransitionRefused as exc:
            return render_review(
                request, r, status=409, refusals=exc.refusals, action=action, **{slot: form}
            )
        else:
            messages.success(request, done)
            response = redirect("review:detail", pk=r.pk)
            if anchor:
                response["Location"] += f"#{anchor}"
            return response
    return render_review(request, r, status=400, action=action, **{slot: form})


@staff(*LEGAL_SIDE)
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    r = request_for(request, pk)
    form = AssignForm(request.POST, reviewers=selectors.legal_reviewers(r.agency))

    def call(data: dict) -> str:
        done = services.review_assign(actor=request.user, request=r, reviewer=data["reviewer"])
        return f"已将第{done.round}轮法制审核分配给{law.name_of(done.reviewer)}。"

    return _act(request, r, form, "assign_form", "分配审核人员", call)


@staff(Role.LEGAL_REVIEWER)
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    r = request_for(request, pk)

    def call(_data: dict) -> str:
        services.review_assign(actor=request.user, request=r, reviewer=request.user)
        return "已认领本申请，请逐项审核后出具审核意见。"

    return _act(request, r, ClaimForm(request.POST), "claim_form", "认领", call)


@staff(*LEGAL_SIDE)
@require_POST
def return_incomplete(request: HttpRequest, pk: int) -> HttpResponse:
    r = request_for(request, pk)
    form = ReturnForm(request.POST)

    def call(data: dict) -> str:
        done = services.review_return(
            actor=request.user, request=r, missing=data["missing"], note=data["note"]
        )
        return f"已退回第{done.round}轮送审，承办机构补正后可重新提交。"

    return _act(request, r, form, "return_form", "退回", call)


@staff(*LEGAL_SIDE)
@require_POST
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    r = request_for(request, pk)
    form = ConflictForm(request.POST, reviewers=selectors.legal_reviewers(r.agency))

    def call(data: dict) -> str:
        done = services.conflict_declare(
            actor=request.user, case=r.case, reviewer=data["reviewer"], reason=data["reason"]
        )
        return f"已登记{law.name_of(done.reviewer)}就本案回避。"

    return _act(request, r, form, "conflict_form", "回避", call)


@staff(Role.LEGAL_REVIEWER)
@require_POST
def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    r = request_for(request, pk)
    form = OpinionForm(request.POST)

    def call(data: dict) -> str:
        done = services.opinion_record(
            actor=request.user,
            request=r,
            findings=form.findings(),
            result=data["result"],
            suggestions=data["suggestions"],
            reasons=data["reasons"],
            note=data["note"],
        )
        return (
            f"已出具法制审核意见（{Result(done.result).label}），"
            f"《法制审核意见书》{done.document.number}已归入案卷并记入全过程记录。"
        )

    return _act(request, r, form, "opinion_form", "出具审核意见", call, anchor="opinion")


@staff(Role.AGENCY_HEAD)
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    r = request_for(request, pk)
    form = ExtendForm(request.POST)

    def call(data: dict) -> str:
        done = services.review_extend(
            actor=request.user, request=r, days=data["days"], reason=data["reason"]
        )
        due = done.effective_due
        return f"已批准延长{done.extension_days}个工作日" + (
            f"，应于{due:%Y年%-m月%-d日}前完成。" if due else "。"
        )

    return _act(request, r, form, "extend_form", "延长审核期限", call)


@staff(Role.UNIT_HEAD)
@require_POST
def dispute(request: HttpRequest, pk: int) -> HttpResponse:
    r = request_for(request, pk)
    form = DisputeForm(request.POST)

    def call(data: dict) -> str:
        services.dispute_raise(actor=request.user, request=r, reasons=data["reasons"])
        return "已提出异议，待机关负责人决定或者提请集体讨论决定。"

    return _act(request, r, form, "dispute_form", "提出异议", call)
