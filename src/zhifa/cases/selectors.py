"""Reads about cases: lists, the timeline, money owed, the fingerprint the
legal review gate compares."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from zhifa.cases import deadlines as deadline_service
from zhifa.cases.models import Case, CaseOfficer, CaseRecord, Deadline, Payment, RemedyPeriod
from zhifa.cases.surcharge import surcharge


def case_list_for_user(
    user,
    *,
    status: str = "",
    procedure: str = "",
    q: str = "",
    mine: bool = False,
    late: bool = False,
    today: date | None = None,
) -> QuerySet[Case]:
    qs = (
        Case.objects.visible_to(user)
        .select_related("agency", "handler")
        .prefetch_related("parties", running_deadlines())
    )
    if mine:
        qs = qs.assigned_to(user)
    if status:
        qs = qs.filter(status=status)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if late:
        qs = qs.filter(
            Exists(late_deadlines(today or timezone.localdate()).filter(case=OuterRef("pk")))
        )
    return qs.search(q)


def running_deadlines() -> Prefetch:
    """A case's running deadlines as `case.running_deadlines` (for `nearest`)."""
    return Prefetch(
        "deadlines",
        queryset=Deadline.objects.filter(stopped_on__isnull=True),
        to_attr="running_deadlines",
    )


def late_deadlines(today: date) -> QuerySet[Deadline]:
    """Running deadlines of the agency's own (not a party's period or a
    party's payment, `deadlines.whose`) whose day has passed: where the agency
    is late."""
    agency_codes = deadline_service.agency_codes()
    return Deadline.objects.filter(stopped_on__isnull=True, code__in=agency_codes).filter(
        Q(extended_to__lt=today)
        | Q(extended_to__isnull=True, outer_limit__lt=today)
        | Q(extended_to__isnull=True, outer_limit__isnull=True, due__lt=today)
    )


def case_get_for_user(user, pk: int) -> Case:
    return (
        Case.objects.visible_to(user).select_related("agency__region", "item", "handler").get(pk=pk)
    )


def active_officers(case: Case) -> list:
    return [
        co.officer
        for co in CaseOfficer.objects.filter(case=case, removed_on__isnull=True).select_related(
            "officer__user"
        )
    ]


def ever_assigned_users(case: Case) -> set[int]:
    ids = set(
        CaseOfficer.objects.filter(case=case, officer__user__isnull=False).values_list(
            "officer__user_id", flat=True
        )
    )
    if case.handler_id:
        ids.add(case.handler_id)
    return ids


def timeline(case: Case) -> list[CaseRecord]:
    """The case's records by the date each step happened (its form's `on`),
    then in the order they were recorded: a step entered days later still
    stands where it happened."""
    records = case.records.select_related("actor", "entry").order_by("id")
    return sorted(records, key=lambda r: (r.on, r.id))


def has_record(case: Case, transition: str) -> bool:
    return CaseRecord.objects.filter(case=case, transition=transition).exists()


def _amount(value) -> str:
    # Two decimals whether the amount was read from the database (70000.00)
    # or comes from a form (70000): the same amount, the same fingerprint.
    return f"{Decimal(value):.2f}" if value else ""


def decision_fingerprint(case: Case) -> str:
    """SHA-256 over what a legal review opinion agrees to: the proposed
    decision, the facts and basis, the parties, and the evidence (by hash).
    Any change after the opinion changes the fingerprint, so the opinion no
    longer covers the case (行政处罚法 第五十八条)."""
    body = {
        "case": case.number,
        "decision_kind": case.decision_kind,
        "penalty_types": sorted(case.penalty_types or []),
        "fine": _amount(case.fine_amount),
        "confiscation": _amount(case.confiscation_amount),
        "grade": case.discretion_grade,
        "facts": case.facts,
        "legal_basis": case.legal_basis,
        "parties": [[p.kind, p.name, p.id_number, p.uscc] for p in case.parties.order_by("id")],
        "evidence": sorted(case.evidence.values_list("blob__sha256", flat=True)),
    }
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(raw).hexdigest()


def payment_due(case: Case) -> date | None:
    d = Deadline.objects.filter(case=case, code="payment").order_by("-started_on", "-id").first()
    return d.effective_due if d else None


def money(case: Case, on: date) -> dict[str, Decimal | object]:
    """Fine, paid, surcharge to date and outstanding."""
    # A decision revoked or declared void (撤销 / 确认无效) no longer binds: nothing is owed.
    void = case.outcome_kind in ("revoked", "void")
    fine = Decimal(case.fine_amount or 0) if case.has_fine and not void else Decimal("0")
    paid_rows = list(Payment.objects.filter(case=case).values_list("paid_on", "amount"))
    paid = sum((a for _, a in paid_rows), Decimal("0"))
    due = payment_due(case)
    extra = None
    if fine and due:
        extra = surcharge(
            fine=fine,
            due=due,
            on=on,
            paid=paid_rows,
            paused=list(
                RemedyPeriod.objects.filter(case=case).values_list("started_on", "ended_on")
            ),
        )
    surcharge_amount = extra.amount if extra else Decimal("0")
    outstanding = max(Decimal("0"), fine + surcharge_amount - paid)
    return {
        "fine": fine,
        "paid": paid,
        "surcharge": surcharge_amount,
        "outstanding": outstanding,
        "detail": extra,
    }


def deadline_rows(case: Case, today: date) -> list[tuple[Deadline, str]]:
    return [(d, deadline_service.status(d, today)) for d in case.deadlines.all()]
