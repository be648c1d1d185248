"""Officers of one agency working on different cases at the same moment.

Every ledger append locks the log's state row until the transaction ends, and
a step also locks its case and, when it issues a document, the agency's
number counter. Taken in different orders, two steps deadlocked on
PostgreSQL (found by `bench/cases.py --workers 2`); now every writer takes the
log first (`ledger.write_lock`). SQLite has one writer at a time, so the test
needs PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from zhifa.cases.models import Case
from zhifa.cases.tests import factories as f
from zhifa.ledger.models import Entry


@pytest.mark.django_db(transaction=True)
def test_parallel_cases_of_one_agency_never_deadlock():
    if connection.vendor != "postgresql":
        pytest.skip(
            "并发办案测试需要 PostgreSQL（设置 DATABASE_URL=postgres://…）；SQLite 只有一个写者"
        )
    w = f.world()
    threads = 4
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def officer(t: int) -> None:
        try:
            barrier.wait()
            f.general_case(w, until=f.GENERAL_PATH[-1])
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=officer, args=(t,)) for t in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=240)
    assert not any(t.is_alive() for t in workers), "a thread hung"
    assert not errors, errors[:3]
    assert Case.objects.filter(status=f.GENERAL_PATH[-1]).count() == threads
    seqs = list(Entry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(len(seqs))), "the log has a gap or a duplicate"
