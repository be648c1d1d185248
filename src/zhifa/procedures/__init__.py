"""Procedure definitions (程序定义): see `spec.py`."""

from __future__ import annotations

from zhifa.procedures.guards import GUARDS
from zhifa.procedures.other import COERCION_GENERAL, INSPECTION_ONSITE, LICENSE_GENERAL
from zhifa.procedures.penalty import PENALTY_GENERAL, PENALTY_SUMMARY
from zhifa.procedures.spec import DeadlineStart, Procedure, State, Transition

PROCEDURES: dict[str, Procedure] = {
    p.code: p
    for p in (
        PENALTY_GENERAL,
        PENALTY_SUMMARY,
        LICENSE_GENERAL,
        INSPECTION_ONSITE,
        COERCION_GENERAL,
    )
}


def get_procedure(code: str) -> Procedure | None:
    return PROCEDURES.get(code)


def executable() -> list[Procedure]:
    return [p for p in PROCEDURES.values() if p.executable]


__all__ = [
    "GUARDS",
    "PROCEDURES",
    "DeadlineStart",
    "Procedure",
    "State",
    "Transition",
    "executable",
    "get_procedure",
]
