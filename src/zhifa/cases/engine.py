"""The one engine that runs every procedure definition (`zhifa.procedures`).

`fire()` either does all of a transition — its effects, the documents it
issues, the deadlines it starts and stops, the new state, the timeline
record and its ledger entry, in one transaction — or nothing, raising
`InvalidInput` (the form) or `TransitionRefused` (every guard that refused,
each with its citation). Events are sent after commit. `options()` says what
the user may do now and, for what they may not, why.

A transition that names an owning `service` (e.g. 提交法制审核, owned by
`review.review_submit`) is fired only inside `by_service(<that name>)`: the
service writes what belongs with the step in the same transaction, so a
direct fire (the generic step page, the API) is refused and points to the
step's own page.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from zhifa.cases import deadlines, events
from zhifa.cases.effects import EFFECTS
from zhifa.cases.errors import DuplicateSubmission, InvalidInput, Refusal, TransitionRefused
from zhifa.cases.forms import FORMS
from zhifa.cases.guards import GUARD_FUNCTIONS, GuardContext, user_roles
from zhifa.cases.models import Case, CaseRecord, Document, engine_writing
from zhifa.ledger import services as ledger
from zhifa.procedures import GUARDS, Procedure, Transition, executable
from zhifa.procedures.spec import DeadlineStart
from zhifa.rules.services import RuleNotConfigured
from zhifa.workdays.calendar import CalendarNotAvailable


def check_definitions() -> None:
    """Every guard, form and event a definition names exists (run by tests and at startup)."""
    for proc in executable():
        for t in proc.transitions:
            for g in (*t.guards, "role_in_agency"):
                if g not in GUARDS or g not in GUARD_FUNCTIONS:
                    raise LookupError(f"{proc.code}.{t.code}: 没有守卫 {g}")
            if t.form not in FORMS:
                raise LookupError(f"{proc.code}.{t.code}: 没有表单 {t.form}")
            for name in t.emits:
                if name not in events.SIGNALS:
                    raise LookupError(f"{proc.code}.{t.code}: 没有事件 {name}")
            if t.service and not t.page:
                raise LookupError(f"{proc.code}.{t.code}: 由 {t.service} 办理，须指明办理页面")


# The owning service firing a transition now (see `by_service`); "" = a direct fire.
_service: contextvars.ContextVar[str] = contextvars.ContextVar("case_service", default="")


@contextmanager
def by_service(name: str) -> Iterator[None]:
    """Fire, inside this block, the transitions owned by the service `name`
    (the definition's `Transition.service`); only that service uses it."""
    token = _service.set(name)
    try:
        yield
    finally:
        _service.reset(token)


def step_page(case: Case, t: Transition) -> str:
    """The URL of the page where staff do `t` on `case`: its own page when
    the definition names one (and that app is installed), else ""."""
    if not t.page:
        return ""
    try:
        return reverse(t.page, args=[case.pk])
    except NoReverseMatch:
        return ""


def service_refusal(case: Case, t: Transition) -> Refusal:
    """Why `t` cannot be fired directly: it is done on its own page."""
    url = step_page(case, t)
    where = t.via or "其专门页面"
    return Refusal(
        "service",
        f"“{t.label}”须在{where}办理{f'（{url}）' if url else ''}：该环节由专门的服务办理，"
        "同时建立随之应有的记录；不能在通用办案环节页面或接口中直接办理。",
    )


def _refusal(code: str, message: str) -> Refusal:
    label, citation = GUARDS[code]
    return Refusal(code, message or label, citation)


def _role_refusal(t: Transition, message: str) -> Refusal:
    return Refusal("role_in_agency", message, t.role_citation)


def _document_refusal(doc_type: str, exc: ValidationError) -> Refusal:
    from zhifa.cases.documents import DECISION_TYPES

    message = "；".join(exc.messages)
    if doc_type in DECISION_TYPES:
        return _refusal("decision_fields", message)  # 行政处罚法 第五十九条
    return Refusal("documents", message)


@dataclass
class Option:
    transition: Transition
    allowed: bool
    refusals: list[Refusal] = field(default_factory=list)


def _state_refusal(case: Case, t: Transition) -> Refusal | None:
    if case.status in t.sources:
        return None
    proc = case.definition
    wanted = "、".join(proc.state(s).label for s in t.sources)
    return Refusal(
        "state", f"案件当前处于“{case.status_label}”，“{t.label}”只能在“{wanted}”时办理。"
    )


def _run_guards(ctx: GuardContext) -> list[Refusal]:
    refusals = []
    role = GUARD_FUNCTIONS["role_in_agency"](ctx)
    if role:
        return [_role_refusal(ctx.transition, role)]
    for code in ctx.transition.guards:
        message = GUARD_FUNCTIONS[code](ctx)
        if message:
            refusals.append(_refusal(code, message))
    return refusals


def options(case: Case, user, *, today: date | None = None) -> list[Option]:
    """Every transition of the current state, allowed now or not (and why)."""
    today = today or timezone.localdate()
    result = []
    for t in case.definition.from_state(case.status):
        ctx = GuardContext(case=case, transition=t, actor=user, today=today, preview=True)
        try:
            refusals = _run_guards(ctx)
        except (RuleNotConfigured, CalendarNotAvailable) as exc:
            refusals = [Refusal("configuration", str(exc))]
        result.append(Option(t, not refusals, refusals))
    return result


def _json(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {"model": value._meta.label_lower, "pk": value.pk, "text": str(value)}
    if isinstance(value, (list, tuple, models.QuerySet)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, (date, Decimal)):
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


def _digest(data: dict) -> str:
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(raw).hexdigest()


def _condition(case: Case, name: str) -> bool:
    if not name:
        return True
    if name == "fine":
        return case.has_fine
    if name == "hearing_right":
        return case.hearing_right
    if name == "not_served":
        return case.served_on is None
    raise LookupError(f"未知条件 {name}")


def _anchor(case: Case, start: DeadlineStart, data: dict) -> date:
    value = getattr(case, start.anchor, None)
    return value if isinstance(value, date) else data["on"]


def _clean(case: Case, t: Transition, data: dict | None) -> dict[str, Any]:
    form = FORMS[t.form](data or {}, case=case)
    if not form.is_valid():
        raise InvalidInput({f: [str(m) for m in ms] for f, ms in form.errors.items()})
    return form.cleaned_data


def fire(
    case: Case,
    code: str,
    actor,
    data: dict | None = None,
    *,
    submission_key: str | None = None,
    today: date | None = None,
) -> CaseRecord:
    try:
        return _fire(case, code, actor, data, submission_key=submission_key, today=today)
    except (RuleNotConfigured, CalendarNotAvailable) as exc:
        # A number the law leaves to the region, or a year's calendar, is
        # missing: refuse rather than guess (rules.md CAL-12).
        raise TransitionRefused([Refusal("configuration", str(exc))]) from exc


def _fire(
    case: Case,
    code: str,
    actor,
    data: dict | None = None,
    *,
    submission_key: str | None = None,
    today: date | None = None,
) -> CaseRecord:
    today = today or timezone.localdate()
    with transaction.atomic():
        # Locks in one order for every writer: the ledger first, then the case
        # (only the case row: `of` keeps PostgreSQL from also locking the
        # joined agency and region rows, which every insert referencing the
        # agency must share-lock).
        ledger.write_lock()
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("agency__region")
            .get(pk=case.pk)
        )
        proc: Procedure = case.definition
        try:
            t = proc.transition(code)
        except KeyError:
            raise TransitionRefused(
                [Refusal("state", f"“{proc.label}”没有“{code}”这一环节。")]
            ) from None
        if submission_key and CaseRecord.objects.filter(submission_key=submission_key).exists():
            raise DuplicateSubmission()
        if t.service and _service.get() != t.service:
            raise TransitionRefused([service_refusal(case, t)])
        refusal = _state_refusal(case, t)
        if refusal:
            raise TransitionRefused([refusal])
        if not (user_roles(actor, case.agency) & set(t.roles)):
            ctx = GuardContext(case=case, transition=t, actor=actor, today=today)
            raise TransitionRefused([_role_refusal(t, GUARD_FUNCTIONS["role_in_agency"](ctx))])
        cleaned = _clean(case, t, data)
        ctx = GuardContext(case=case, transition=t, actor=actor, data=cleaned, today=today)
        refusals = _run_guards(ctx)
        if refusals:
            raise TransitionRefused(refusals)

        from_state = case.status
        emitted = EFFECTS[t.code](ctx) if t.code in EFFECTS else None
        on = cleaned["on"]

        issued: list[Document] = []
        if t.documents:
            from zhifa.cases import documents as docs

            for spec in t.documents:
                doc_type, _, cond = spec.partition("?")
                if not _condition(case, cond):
                    continue
                try:
                    draft = docs.create_document(
                        case, doc_type, transition=t.code, data=cleaned, actor=actor
                    )
                    issued.append(docs.issue_document(draft, actor, on=on))
                except ValidationError as exc:
                    # A document the step must issue lacks a required field:
                    # refuse the step (the transaction is undone) in Chinese.
                    raise TransitionRefused([_document_refusal(doc_type, exc)]) from exc
            for doc in issued:
                if doc.doc_type in ("penalty_decision", "no_penalty_decision", "summary_decision"):
                    case.decision_number = doc.number

        for name in t.stops:
            deadlines.stop(case, name, on)
        for start in t.starts:
            if _condition(case, start.when):
                deadlines.start(
                    case, start.code, start.rule, start.label, _anchor(case, start, cleaned)
                )
        if t.code in ("serve", "decide_on_spot"):
            running = deadlines.running(case, "payment")
            case.payment_due = running.effective_due if running else None

        token = engine_writing.set(True)
        try:
            if t.target:
                case.status = t.target
            case.save()
        finally:
            engine_writing.reset(token)

        stored = _json(cleaned)
        entry = ledger.record(
            agency=case.agency,
            subject=case,
            actor=actor,
            action=t.ledger_action,
            payload={
                "case": case.number,
                "procedure": proc.code,
                "transition": t.code,
                "from": from_state,
                "to": case.status,
                "on": on.isoformat(),
                "data_sha256": _digest(stored),
                "documents": [
                    {"type": d.doc_type, "number": d.number, "sha256": d.content_sha256}
                    for d in issued
                ],
            },
        )
        record = CaseRecord.objects.create(
            case=case,
            transition=t.code,
            label=t.label,
            from_state=from_state,
            to_state=case.status,
            actor=actor,
            occurred_at=timezone.now(),
            data=stored,
            submission_key=submission_key,
            entry=entry,
        )
        names = t.emits if emitted is None else emitted
        for name in names:
            extra: dict[str, Any] = {}
            if name == "cases.decision_made":
                extra["document"] = next(
                    (d for d in issued if d.doc_type.endswith("decision")), None
                )
            if name == "cases.decision_served":
                extra["method"] = cleaned.get("method", "on_spot")
            if name in ("cases.decision_changed", "cases.decision_revoked"):
                extra["outcome"] = cleaned.get("kind")
            if name == "cases.legal_review_requested":
                from zhifa.cases.selectors import decision_fingerprint

                extra["fingerprint"] = decision_fingerprint(case)
            events.emit_after_commit(
                name, case=case, record=record, transition=t.code, on=on, **extra
            )
        return record
