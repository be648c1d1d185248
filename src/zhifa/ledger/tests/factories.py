from django.db import transaction

from zhifa.ledger import services


def record_n(n: int, *, agency=None, subject=("test.thing", "1"), action="evidence.viewed"):
    entries = []
    with transaction.atomic():
        for i in range(n):
            entries.append(
                services.record(
                    agency=agency, subject=subject, actor=None, action=action, payload={"i": i}
                )
            )
    return entries
