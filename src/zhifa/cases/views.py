"""网上办案 pages: my cases, registering a case, the on-the-spot case and the
case page. Views parse and render; the engine and services decide and write.

Other pages: `views_transition` (one step of the procedure), `views_evidence`
(uploads, body-camera import), `views_documents` (DOCX, PDF, preview).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.cases import engine, excel, review_hook, selectors, services
from zhifa.cases.errors import InvalidInput, TransitionRefused
from zhifa.cases.guards import review_requirement
from zhifa.cases.models import EvidenceKind, SourceKind
from zhifa.cases.views_common import (
    CASE_STAFF,
    acting_agencies,
    acting_unit,
    case_for,
    deadline_view,
    nearest,
    step_label,
    step_url,
    timeline_rows,
)
from zhifa.cases.views_forms import CaseRegisterForm, PartyForm, SummaryCaseForm
from zhifa.core.access import staff
from zhifa.ledger.evidence import type_label
from zhifa.orgs.excel_pages import xlsx_response
from zhifa.orgs.models import Role
from zhifa.procedures import executable, get_procedure

PAGE_SIZE = 25


def _status_filter(value: str) -> tuple[str, str]:
    """Read "penalty.general:investigation" as (procedure, state), if both exist."""
    code, _, state = value.partition(":")
    proc = get_procedure(code)
    if proc is None or state not in {s.code for s in proc.states}:
        return "", ""
    return code, state


@dataclass(frozen=True)
class ListFilters:
    q: str
    procedure: str
    status: str  # "procedure:state" as the select sends it
    mine: bool
    late: bool

    @property
    def any(self) -> bool:
        return bool(self.q or self.status or self.procedure or self.mine or self.late)


def _list_filters(request) -> tuple[ListFilters, QuerySet]:
    """The list's filters from the query string, and the cases they select
    (the page and its Excel export read the same)."""
    q = request.GET.get("q", "").strip()[:50]
    procedure = request.GET.get("procedure", "")
    if procedure not in {p.code for p in executable()}:
        procedure = ""
    status_proc, status = _status_filter(request.GET.get("status", ""))
    mine = request.GET.get("mine") == "1"
    late = request.GET.get("late") == "1"
    cases = selectors.case_list_for_user(
        request.user,
        status=status,
        procedure=procedure or status_proc,
        q=q,
        mine=mine,
        late=late,
        today=timezone.localdate(),
    )
    if procedure and status_proc and procedure != status_proc:
        cases = cases.none()  # a state of another procedure: nothing matches both
    chosen = f"{status_proc}:{status}" if status else ""
    return ListFilters(q, procedure, chosen, mine, late), cases


@staff()
def case_list(request):
    filters, cases = _list_filters(request)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "case": case,
            "parties": [p.name for p in case.parties.all()],
            "deadline": nearest(case.running_deadlines, today),
        }
        for case in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "filters": filters,
            "q": filters.q,
            "mine": filters.mine,
            "late": filters.late,
            "procedures": executable(),
            "procedure": filters.procedure,
            "status": filters.status,
            "can_register": acting_agencies(request.user).exists(),
        },
    )


@staff()
def case_list_xlsx(request):
    """案件台账: the list as filtered, as an Excel workbook."""
    filters, cases = _list_filters(request)
    data = excel.export_case_list(cases, user=request.user, filters=filters)
    return xlsx_response(data, f"案件台账-{timezone.localdate():%Y%m%d}.xlsx")


def _apply_service_errors(errors: dict[str, list[str]], form, party_form=None) -> None:
    """Bind the service's error keys to fields: "party.id_number" → the party form."""
    for key, msgs in errors.items():
        target, field = form, key
        if party_form is not None and (key == "party" or key.startswith("party.")):
            target, field = party_form, key.partition(".")[2]
        mapping = getattr(form, "ERROR_FIELDS", None)
        if mapping is not None:
            target, field = form, mapping.get(key, "")
        target.add_error(field if field in target.fields else None, msgs)


@staff(*CASE_STAFF)
def case_new(request):
    """登记案件 (general procedure): the case and its party."""
    agencies = acting_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied("您不是任何执法主体的执法人员或负责人，不能登记案件。")
    data = request.POST if request.method == "POST" else None
    form = CaseRegisterForm(data, agencies=agencies)
    party_form = PartyForm(data, prefix="party")
    if data is not None:
        valid = form.is_valid()
        if party_form.is_valid() and valid:
            agency = form.cleaned_data["agency"]
            new = services.NewCase(
                title=form.cleaned_data["title"],
                source_kind=form.cleaned_data["source_kind"],
                source_detail=form.cleaned_data["source_detail"],
                source_received_on=form.cleaned_data["source_received_on"],
                region=form.cleaned_data["region"],
                place=form.cleaned_data["place"],
                act_date=form.cleaned_data["act_date"],
                unit=acting_unit(request.user, agency),
                party=party_form.party(),
            )
            try:
                case = services.register_case(actor=request.user, agency=agency, new=new)
            except InvalidInput as exc:
                _apply_service_errors(exc.errors, form, party_form)
            except TransitionRefused as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, f"已登记案件 {case.number}。")
                return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/new.html",
        {"form": form, "party_form": party_form},
        status=400 if data is not None else 200,
    )


@staff(Role.OFFICER)
def case_on_spot(request):
    """当场处罚: open a summary-procedure case, then go straight to the decision."""
    agencies = acting_agencies(request.user, (Role.OFFICER,))
    if not agencies.exists():
        raise PermissionDenied("只有执法人员可以适用简易程序当场处罚。")
    summary = get_procedure("penalty.summary")
    data = request.POST if request.method == "POST" else None
    form = SummaryCaseForm(data, agencies=agencies)
    if data is not None and form.is_valid():
        agency = form.cleaned_data["agency"]
        today = timezone.localdate()
        new = services.NewCase(
            title=form.cleaned_data["title"],
            source_kind=SourceKind.INSPECTION,
            source_received_on=today,
            region=agency.region,
            place=form.cleaned_data["place"],
            # Found on the spot: the act is seen as it happens.
            act_date=today,
            unit=acting_unit(request.user, agency),
            party=form.party(),
        )
        try:
            case = services.open_summary_case(actor=request.user, agency=agency, new=new)
        except InvalidInput as exc:
            _apply_service_errors(exc.errors, form)
        except TransitionRefused as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已开始当场处罚案件 {case.number}，请拍摄取证并填写决定。")
            return redirect("cases:transition", pk=case.pk, code="decide_on_spot")
    return render(
        request,
        "cases/on_spot.html",
        {"form": form, "procedure": summary, "decided": summary.state("decided")},
        status=400 if data is not None and form.errors else 200,
    )


@staff()
def case_detail(request, pk: int):
    case = case_for(request, pk)
    today = timezone.localdate()
    options = engine.options(case, request.user, today=today)
    timeline = timeline_rows(case)
    deadline_rows = [deadline_view(d, today) for d, _ in selectors.deadline_rows(case, today)]
    money = selectors.money(case, today)
    evidence = [
        {
            "item": e,
            "step": step_label(case, e.step),
            "type": type_label(e.blob.media_type),
        }
        for e in case.evidence.select_related("blob", "uploaded_by")
    ]
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "procedure": case.definition,
            "parties": case.parties.all(),
            "officers": case.case_officers.select_related("officer").order_by(
                "removed_on", "-is_lead", "id"
            ),
            "running": [d for d in deadline_rows if d.status != "done"],
            "finished": [d for d in deadline_rows if d.status == "done"],
            "money": money,
            "show_money": case.has_fine or money["paid"],
            # (option, the page where it is done): a step another service owns
            # (提交法制审核) links to that service's page, never the generic one.
            "allowed": [(o, step_url(case, o.transition)) for o in options if o.allowed],
            "refused": [(o, step_url(case, o.transition)) for o in options if not o.allowed],
            "timeline": timeline,
            "documents": case.documents.order_by("created_at", "id"),
            "evidence": evidence,
            "can_add_evidence": case.status in services.OPEN_FOR_EVIDENCE,
            "audiovisual": EvidenceKind.AUDIOVISUAL,
            # 法制审核 (第五十八条): the gate's own words, from the provider the review app plugs in.
            "review": review_hook.status(case, selectors.decision_fingerprint(case)),
            "review_need": review_requirement(case),
            "review_submitted": selectors.has_record(case, "submit_legal_review"),
        },
    )
