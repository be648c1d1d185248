"""文号: gapless serial numbers per agency, series and year.

The counter row (`DocumentSequence`) is locked for the rest of the caller's
transaction (PostgreSQL: SELECT … FOR UPDATE; SQLite: the write lock taken at
BEGIN IMMEDIATE), so two documents never get the same serial, and a
transaction that rolls back gives its serial back: numbers have no gaps.
"""

from __future__ import annotations

import contextlib

from django.db import IntegrityError, transaction

from zhifa.cases.models import DocumentSequence
from zhifa.ledger import services as ledger


def format_number(agency, series: str, year: int, serial: int) -> str:
    """本县工信罚〔2026〕12号."""
    return f"{agency.short_name or agency.name}{series}〔{year}〕{serial}号"


def next_number(agency, series: str, year: int) -> tuple[str, int]:
    """The next 文号 of `series` for `agency` in `year`, and its serial.

    Must run inside the transaction that uses the number.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "next_number 必须在使用该文号的事务中调用（transaction.atomic），"
            "否则事务回滚时文号会出现空号。"
        )
    if not series:
        raise ValueError("文号类别不能为空。")
    # A savepoint: losing the race to create the row (a concurrent transaction
    # created it meanwhile) must not break the caller's transaction, which
    # PostgreSQL would abort on the IntegrityError.
    # The ledger's write lock before the counter's: the caller records the
    # document in the ledger next, and every writer takes the log first.
    ledger.write_lock()
    with contextlib.suppress(IntegrityError), transaction.atomic():
        DocumentSequence.objects.get_or_create(agency=agency, series=series, year=year)
    sequence = DocumentSequence.objects.select_for_update().get(
        agency=agency, series=series, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return format_number(agency, series, year, sequence.last), sequence.last
