"""The agency head's pages: deciding a disagreement (alone or recording a
集体讨论), the figures of the agency's legal review with the staffing warning
(GB118-16), and the agency's own time limits and ratio (GB118-20)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.cases.errors import InvalidInput, Refusal, TransitionRefused
from zhifa.cases.views_common import acting_agencies
from zhifa.core.access import staff
from zhifa.orgs.models import Agency, Role
from zhifa.orgs.scope import Scope
from zhifa.review import law, selectors, services
from zhifa.review.forms import PeriodForm, PolicyForm, ResolveForm
from zhifa.review.models import Outcome, Via
from zhifa.review.views import due_of, request_for

# ---------------------------------------------------------------------------
# 分歧: the head decides, or records the 集体讨论's decision


@staff(Role.AGENCY_HEAD)
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    r = request_for(request, pk)
    dispute = getattr(r, "disagreement", None)
    if dispute is None:
        raise Http404("本轮审核没有异议")
    refusals: list[Refusal] = []
    status = 200
    if request.method == "POST":
        form = ResolveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = services.dispute_resolve(
                    actor=request.user,
                    disagreement=dispute,
                    via=data["via"],
                    outcome=data["outcome"],
                    decision=data["decision"],
                    participants=data["participants"],
                )
            except InvalidInput as exc:
                form.add_service_errors(exc.errors)
                status = 400
            except TransitionRefused as exc:
                refusals, status = exc.refusals, 409
            else:
                text = f"已记录{Via(done.via).label}：{Outcome(done.outcome).label}。"
                if done.document:
                    text += f"《集体讨论记录》{done.document.number}已归入案卷。"
                messages.success(request, text)
                return redirect("review:detail", pk=r.pk)
        else:
            status = 400
    else:
        form = ResolveForm(initial={"via": Via.COLLECTIVE})
    return render(
        request,
        "review/resolve.html",
        {
            "r": r,
            "case": r.case,
            "dispute": dispute,
            "opinion": getattr(r, "opinion", None),
            "form": form,
            "refusals": refusals,
            "citation": law.GB118_DUTY,
        },
        status=status,
    )


# ---------------------------------------------------------------------------
# Figures (issue #7 item 7)


def _periods(today: date) -> list[tuple[str, date, date]]:
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [
        ("本年", date(today.year, 1, 1), today),
        ("本季度", quarter_start, today),
        ("本月", today.replace(day=1), today),
        ("上一年", date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    ]


@staff(Role.AGENCY_HEAD)
def figures(request: HttpRequest) -> HttpResponse:
    agencies = acting_agencies(request.user, (Role.AGENCY_HEAD,))
    if not agencies.exists():
        raise PermissionDenied("只有机关负责人可以查看本机关的法制审核统计。")
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("agency", str(agencies.first().pk))
    data.setdefault("start", date(today.year, 1, 1).isoformat())
    data.setdefault("end", today.isoformat())
    form = PeriodForm(data, agencies=agencies)
    context: dict = {"form": form, "periods": _periods(today), "today": today}
    if not form.is_valid():
        return render(request, "review/figures.html", context, status=400)
    agency, start, end = (form.cleaned_data[k] for k in ("agency", "start", "end"))
    f = selectors.figures(agency, start, end, today=today)
    points = f.problems_by_point_labels()
    overdue = [{"r": r, "due": due_of(r, today)} for r in selectors.overdue_requests(agency, today)]
    context.update(
        {
            "agency": agency,
            "f": f,
            "points": points,
            "points_total": sum(n for _, n in points),
            "first_problems": f.first_rounds - f.agreed_first_round,
            "rate": f"{f.first_round_agree_rate * 100:.1f}%" if f.first_rounds else "—",
            "staffing": selectors.staffing(agency, today),
            "policy": selectors.policy_for(agency, today),
            "overdue_now": overdue,
        }
    )
    return render(request, "review/figures.html", context)


# ---------------------------------------------------------------------------
# The agency's parameters


def _policy_agencies(user) -> QuerySet[Agency]:
    """Heads: their agencies; administrators: the agencies of their region."""
    heads = acting_agencies(user, (Role.AGENCY_HEAD,))
    if user.is_superuser or user.has_role(Role.ADMIN):
        scope = Scope.of(user)
        agencies = Agency.objects.select_related("region").order_by("name")
        if scope.everything:
            return agencies
        return agencies.filter(
            Q(pk__in=heads.values("pk")) | scope.q(agency="pk", region_code="region__code")
        )
    return heads


@staff(Role.AGENCY_HEAD, Role.ADMIN)
def policy(request: HttpRequest) -> HttpResponse:
    agencies = _policy_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied("您没有可以设置法制审核参数的执法主体。")
    try:
        agency = agencies.get(pk=request.GET.get("agency") or agencies.first().pk)
    except (Agency.DoesNotExist, ValueError):
        raise Http404("执法主体不存在或无权查看") from None
    # The service's rule, to offer the form only to whom it would accept.
    may_edit = law.is_agency_head(request.user, agency) or request.user.is_superuser
    row = getattr(agency, "review_policy", None)
    refusals: list[Refusal] = []
    status = 200
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                services.policy_set(actor=request.user, agency=agency, **form.cleaned_data)
            except InvalidInput as exc:
                form.add_service_errors(exc.errors)
                status = 400
            except TransitionRefused as exc:
                refusals, status = exc.refusals, 409
            else:
                messages.success(request, f"已保存{agency.name}的法制审核设置。")
                return redirect(f"{request.path}?agency={agency.pk}")
        else:
            status = 400
    else:
        initial = {}
        if row is not None:
            initial = {
                name: getattr(row, name)
                for name in PolicyForm.base_fields
                if getattr(row, name) is not None
            }
        form = PolicyForm(initial=initial)
    return render(
        request,
        "review/policy.html",
        {
            "agencies": agencies,
            "agency": agency,
            "row": row,
            "in_force": selectors.policy_for(agency),
            "staffing": selectors.staffing(agency),
            "form": form,
            "may_edit": may_edit,
            "refusals": refusals,
        },
        status=status,
    )
