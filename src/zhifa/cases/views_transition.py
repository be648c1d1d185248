"""One step of a case's procedure: what it is, why it cannot be done now (if
so), its form, and — on site — the camera first. The engine decides."""

from __future__ import annotations

import hashlib
import uuid

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from zhifa.cases import engine, services
from zhifa.cases.documents.types import DOCUMENT_TYPES
from zhifa.cases.errors import DuplicateSubmission, InvalidInput, Refusal, TransitionRefused
from zhifa.cases.forms import FORMS
from zhifa.cases.guards import recording_rule
from zhifa.cases.models import Case, CaseEvidence
from zhifa.cases.views_common import ONSITE, case_for, state_label, step_choices
from zhifa.cases.views_forms import DateInput, EvidenceUploadForm
from zhifa.core.access import staff
from zhifa.procedures.spec import Transition


def _refusals_now(case: Case, t: Transition, user) -> list[Refusal]:
    if not t.direct:
        return [engine.service_refusal(case, t)]
    if case.status not in t.sources:
        wanted = "、".join(state_label(case, s) for s in t.sources)
        return [
            Refusal(
                "state", f"案件当前处于“{case.status_label}”，“{t.label}”只能在“{wanted}”时办理。"
            )
        ]
    for option in engine.options(case, user):
        if option.transition.code == t.code:
            return option.refusals
    return []


def _phone_friendly(form: forms.Form) -> forms.Form:
    """Date pickers and tick boxes instead of plain text and multi-selects,
    which are hard to use on a phone. Presentation only: fields and choices
    stay those of the transition's form."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and type(field.widget) is forms.DateInput:
            field.widget = DateInput(attrs=field.widget.attrs)
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) and (
            type(field.widget) is forms.SelectMultiple
        ):
            field.widget = forms.CheckboxSelectMultiple()
            field.widget.choices = field.choices
    if "note" in form.fields:  # the optional note reads best after the record itself
        form.order_fields([name for name in form.fields if name != "note"] + ["note"])
    return form


def _without_needless_fields(form: forms.Form, case: Case, t: Transition) -> forms.Form:
    """ "未录音录像的理由" only where the agency's audio/video list asks for a
    recording of this step (the field is optional: leaving it off the page
    changes nothing the engine checks). 送达 depends on the method chosen, so
    it keeps the field."""
    if "no_recording_reason" in form.fields and (
        "recording_attached" not in t.guards
        or (t.code != "serve" and recording_rule(case, t.recording_step) is None)
    ):
        del form.fields["no_recording_reason"]
    return form


def _document_titles(t: Transition) -> list[str]:
    titles = []
    for spec in t.documents:
        code, _, condition = spec.partition("?")
        doc_type = DOCUMENT_TYPES.get(code)
        title = doc_type.title if doc_type else code
        titles.append(f"{title}（符合条件时）" if condition else title)
    return titles


def _bind_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    form.is_valid()  # the same form class the engine used: the same field errors
    for key, msgs in errors.items():
        field = key if key in form.fields else None
        shown = form.errors.get(field or "__all__", [])
        missing = [m for m in msgs if m not in shown]
        if missing:
            form.add_error(field, missing)


def step_evidence_context(case: Case, t: Transition, *, form=None, results=()) -> dict:
    """The inline camera of an on-site step: what is attached to it, and the upload form."""
    url = reverse("cases:transition", args=[case.pk, t.code])
    steps = {t.code, t.recording_step} - {""}
    return {
        "case": case,
        "transition": t,
        "attached": CaseEvidence.objects.filter(case=case, step__in=steps).select_related("blob"),
        "upload_form": form
        or EvidenceUploadForm(
            steps=step_choices(case), initial={"step": t.code, "inline": "1", "next": url}
        ),
        "results": results,
        "inline": True,
    }


def _scoped(request, key: str) -> str:
    """The page's key scoped to the user (as the API does), so a key seen in
    one user's page can never block another's submission."""
    digest = hashlib.sha256(f"{request.user.pk}\x00{key}".encode()).hexdigest()
    return f"web:{digest[:60]}"


@staff()
def transition(request, pk: int, code: str):
    case = case_for(request, pk)
    try:
        t = case.definition.transition(code)
    except KeyError:
        raise Http404("本案适用的程序没有这一环节") from None
    form_class = FORMS[t.form]
    refusals: list[Refusal] = []
    status = 200
    if request.method == "GET" and not t.direct and (page := engine.step_page(case, t)):
        # A step another service owns (提交法制审核) is done on its own page.
        return redirect(page)
    if request.method == "POST":
        key = request.POST.get("submission_key", "")[:64] or uuid.uuid4().hex
        form = form_class(request.POST, case=case)
        try:
            record = engine.fire(
                case, code, request.user, request.POST, submission_key=_scoped(request, key)
            )
        except DuplicateSubmission as exc:
            messages.warning(request, exc.messages[0])
            return redirect("cases:detail", pk=case.pk)
        except InvalidInput as exc:
            _bind_errors(form, exc.errors)
            status = 400
        except TransitionRefused as exc:
            refusals = exc.refusals
            status = 409
        else:
            messages.success(
                request, f"已办理“{t.label}”，记入全过程记录第 {record.entry.seq} 号。"
            )
            # "#done-<step>" tells the page's script (cases/step_draft.js) to
            # drop the draft of this form kept on the device.
            return redirect(reverse("cases:detail", args=[case.pk]) + f"#done-{code}")
    else:
        # A new key per page load: the engine refuses a second submission of
        # the same page (a double tap, a refresh, a resent request).
        key = uuid.uuid4().hex
        form = form_class(case=case, initial={"on": timezone.localdate()})
        refusals = _refusals_now(case, t, request.user)
    with_camera = (
        "recording_attached" in t.guards or code in ONSITE
    ) and case.status in services.OPEN_FOR_EVIDENCE
    context = {
        "case": case,
        "transition": t,
        "form": _phone_friendly(_without_needless_fields(form, case, t)),
        "submission_key": key,
        "refusals": refusals,
        "onsite": code in ONSITE,
        "with_camera": with_camera,
        "documents": _document_titles(t),
        "sources": [state_label(case, s) for s in t.sources],
        "target": state_label(case, t.target) if t.target else "",
    }
    if with_camera:
        context["step"] = step_evidence_context(case, t)
    return render(request, "cases/transition.html", context, status=status)
