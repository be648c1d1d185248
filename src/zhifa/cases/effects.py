"""What each transition does to the case beyond its state: one function per
transition code that needs one. Called by the engine inside its transaction,
after every guard passed. An effect may return names of events to emit
instead of the definition's (e.g. 变更 or 撤销)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from zhifa.cases import deadlines, selectors
from zhifa.cases.guards import GuardContext
from zhifa.cases.models import (
    CaseOfficer,
    DecisionKind,
    Hearing,
    OutcomeKind,
    Payment,
    PaymentPlan,
    Recusal,
    RemedyPeriod,
)
from zhifa.catalog.models import PenaltyType
from zhifa.procedures.penalty import DECISION_CHANGED, DECISION_REVOKED

Effect = Callable[[GuardContext], list[str] | None]
EFFECTS: dict[str, Effect] = {}


def effect(*codes: str):
    def wrap(fn: Effect) -> Effect:
        for code in codes:
            EFFECTS[code] = fn
        return fn

    return wrap


@effect("file")
def file(ctx: GuardContext):
    case, d = ctx.case, ctx.data
    case.item = d["item"]
    case.act_date = d["act_date"]
    case.act_ended_on = d.get("act_ended_on")
    case.safety_harm = bool(d.get("safety_harm"))
    case.item_version = case.item.version_on(case.act_date)
    case.filed_on = d["on"]
    lead = d["lead"]
    case.handler = lead.user
    for officer in d["officers"]:
        CaseOfficer.objects.create(
            case=case, officer=officer, is_lead=officer == lead, assigned_on=d["on"]
        )


@effect("declare_recusal")
def declare_recusal(ctx: GuardContext):
    d = ctx.data
    Recusal.objects.create(
        case=ctx.case,
        officer=d["officer"],
        raised_by=d["raised_by"],
        reason=d["reason"],
        raised_on=d["on"],
    )


@effect("decide_recusal")
def decide_recusal(ctx: GuardContext):
    d = ctx.data
    r: Recusal = d["recusal"]
    r.decided_by, r.decided_on, r.granted, r.decision_reason = (
        ctx.actor,
        d["on"],
        d["granted"],
        d["reason"],
    )
    r.save()
    if r.granted:
        CaseOfficer.objects.filter(
            case=ctx.case, officer=r.officer, removed_on__isnull=True
        ).update(removed_on=d["on"], removed_reason="决定回避")
        if ctx.case.handler_id and r.officer.user_id == ctx.case.handler_id:
            ctx.case.handler = None


@effect("extend_deadline")
def extend_deadline(ctx: GuardContext):
    d = deadlines.running(ctx.case, "decide")
    base = d.effective_due or d.due
    from zhifa.workdays.calendar import add_days

    d.extended_to = add_days(base, ctx.data["days"])
    d.extension_basis = "\n".join(filter(None, [d.extension_basis, ctx.data["basis"]]))
    d.save()


@effect("end_investigation")
def end_investigation(ctx: GuardContext):
    case, d = ctx.case, ctx.data
    for name in (
        "facts",
        "legal_basis",
        "decision_kind",
        "discretion_grade",
        "outside_benchmark_reasons",
    ):
        setattr(case, name, d.get(name) or "")
    for name in ("fine_amount", "confiscation_amount", "illegal_gains"):
        setattr(case, name, d.get(name))
    for name in ("complex_or_serious", "public_interest", "difficult"):
        setattr(case, name, bool(d.get(name)))
    case.penalty_types = list(d.get("penalty_types") or [])
    case.circumstances = list(d.get("circumstances") or [])
    case.discretion_standard = d.get("discretion_standard") or None


@effect("notify")
def notify(ctx: GuardContext):
    from zhifa.catalog.hearing import hearing_right

    case = ctx.case
    case.notified_on = ctx.data["on"]
    case.notified_fine = case.fine_amount
    case.notified_types = list(case.penalty_types)
    right = hearing_right(
        penalty_types=case.penalty_types,
        fine_amount=case.fine_amount,
        confiscation_amount=case.confiscation_amount,
        party_kind=case.party_kind,
        region_code=case.agency.region.code,
    )
    case.hearing_right = right.required


@effect("record_statement")
def record_statement(ctx: GuardContext):
    revised = ctx.data.get("revised_fine")
    if revised is not None and ctx.case.has_fine:
        ctx.case.fine_amount = revised


@effect("waive_statement")
def waive_statement(ctx: GuardContext):
    ctx.case.statement_waived = True
    # Only an express waiver of the hearing (the form offers it only with a hearing right).
    if ctx.data.get("waives_hearing"):
        ctx.case.hearing_waived = True


@effect("waive_hearing")
def waive_hearing(ctx: GuardContext):
    ctx.case.hearing_waived = True


@effect("request_hearing")
def request_hearing(ctx: GuardContext):
    # Nothing in 第六十四条 makes a waiver irrevocable while the five working
    # days run: a request inside them is the party's right, and it withdraws
    # the earlier waiver (the guard hearing_request_in_time still holds).
    ctx.case.hearing_waived = False
    Hearing.objects.create(case=ctx.case, requested_on=ctx.data["on"])


@effect("schedule_hearing")
def schedule_hearing(ctx: GuardContext):
    h = ctx.case.hearing
    d = ctx.data
    h.notified_on, h.held_on, h.place, h.presider, h.public = (
        d["on"],
        d["hearing_date"],
        d["place"],
        d["presider"],
        bool(d.get("public")),
    )
    h.save()


@effect("hold_hearing")
def hold_hearing(ctx: GuardContext):
    h = ctx.case.hearing
    h.held, h.party_absent = True, bool(ctx.data.get("party_absent"))
    h.held_on = ctx.data["on"]
    h.save()


@effect("decide_penalty")
def decide_penalty(ctx: GuardContext):
    case, d = ctx.case, ctx.data
    case.penalty_types = list(d["penalty_types"])
    case.fine_amount = d.get("fine_amount") if PenaltyType.FINE in case.penalty_types else None
    if d.get("confiscation_amount") is not None:
        case.confiscation_amount = d["confiscation_amount"]
    case.decision_kind = DecisionKind.PENALTY
    case.decided_on = d["on"]


@effect("decide_no_penalty")
def decide_no_penalty(ctx: GuardContext):
    case = ctx.case
    case.decision_kind = DecisionKind.NO_PENALTY
    case.penalty_types, case.fine_amount = [], None
    case.decided_on = ctx.data["on"]


@effect("transfer", "cancel_filing")
def close_without_decision(ctx: GuardContext):
    ctx.case.decision_kind = (
        DecisionKind.TRANSFER if ctx.transition.code == "transfer" else DecisionKind.CANCEL
    )
    ctx.case.closed_on = ctx.data["on"]


@effect("serve")
def serve(ctx: GuardContext):
    ctx.case.served_on = ctx.data["on"]
    if ctx.data.get("method") == "electronic":
        ctx.case.e_service_consent = True


@effect("record_payment", "collect_on_spot")
def record_payment(ctx: GuardContext):
    d = ctx.data
    channel = Payment.Channel.ON_SPOT if ctx.transition.code == "collect_on_spot" else d["channel"]
    Payment.objects.create(
        case=ctx.case,
        amount=d["amount"],
        paid_on=d["on"],
        channel=channel,
        receipt_number=d["receipt_number"],
        recorded_by=ctx.actor,
    )
    ctx.case.paid_amount = Decimal(ctx.case.paid_amount) + d["amount"]
    if channel == Payment.Channel.ON_SPOT:
        ctx.case.collected_on_spot = True
    if selectors.money(ctx.case, d["on"])["outstanding"] <= 0:
        deadlines.stop(ctx.case, "payment", d["on"])


@effect("approve_deferral")
def approve_deferral(ctx: GuardContext):
    d = ctx.data
    PaymentPlan.objects.create(
        case=ctx.case,
        kind=d["kind"],
        reason=d["reason"],
        approved_by=ctx.actor,
        approved_on=d["on"],
        schedule=d["schedule"],
    )
    running = deadlines.running(ctx.case, "payment")
    if running:
        running.extended_to = max(date.fromisoformat(r["due"]) for r in d["schedule"])
        running.extension_basis = (
            f"经批准{dict(PaymentPlan.Kind.choices)[d['kind']]}（行政处罚法第六十六条）"
        )
        running.save()


@effect("pause_surcharge")
def pause_surcharge(ctx: GuardContext):
    RemedyPeriod.objects.create(
        case=ctx.case, kind=ctx.data["kind"], body=ctx.data["body"], started_on=ctx.data["on"]
    )


@effect("resume_surcharge")
def resume_surcharge(ctx: GuardContext):
    RemedyPeriod.objects.filter(case=ctx.case, ended_on__isnull=True).update(
        ended_on=ctx.data["on"]
    )


@effect("apply_court_enforcement")
def apply_court_enforcement(ctx: GuardContext):
    ctx.case.court_applied_on = ctx.data["on"]


@effect("record_outcome")
def record_outcome(ctx: GuardContext):
    kind = ctx.data["kind"]
    ctx.case.outcome_kind, ctx.case.outcome_on = kind, ctx.data["on"]
    if kind == OutcomeKind.CHANGED:
        return [DECISION_CHANGED]
    if kind in (OutcomeKind.REVOKED, OutcomeKind.ILLEGAL, OutcomeKind.VOID):
        RemedyPeriod.objects.filter(case=ctx.case, ended_on__isnull=True).update(
            ended_on=ctx.data["on"]
        )
        deadlines.stop(ctx.case, "payment", ctx.data["on"])
        return [DECISION_REVOKED]
    return []


@effect("close")
def close(ctx: GuardContext):
    ctx.case.closed_on = ctx.data["on"]


@effect("archive")
def archive(ctx: GuardContext):
    ctx.case.archived_on = ctx.data["on"]


@effect("decide_on_spot")
def decide_on_spot(ctx: GuardContext):
    case, d = ctx.case, ctx.data
    case.item, case.item_version = d["item"], d["item"].version_on(d["on"])
    case.act_date = case.act_date or d["on"]
    case.facts, case.legal_basis = d["facts"], d["legal_basis"]
    case.penalty_types = list(d["penalty_types"])
    case.fine_amount = d.get("fine_amount") if PenaltyType.FINE in case.penalty_types else None
    case.decision_kind = DecisionKind.PENALTY
    case.place = d["place"]
    case.decided_on = case.served_on = d["on"]
    case.filed_on = case.filed_on or d["on"]
    if not CaseOfficer.objects.filter(case=case).exists():
        for i, officer in enumerate(d["officers_present"]):
            CaseOfficer.objects.create(
                case=case, officer=officer, is_lead=i == 0, assigned_on=d["on"]
            )
