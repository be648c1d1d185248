"""全过程记录: the tamper-evident ledger.

`record(...)` is the one way any app records an enforcement fact. This package
itself imports nothing from Django so that the offline verifier
(`python -m zhifa.ledger.verify`) runs without it.
"""


def record(**kwargs):
    """Record an enforcement fact inside the caller's transaction (see services.record)."""
    from zhifa.ledger.services import record as _record

    return _record(**kwargs)


def write_lock() -> None:
    """Take the log's write lock now, inside the caller's transaction (see services.write_lock)."""
    from zhifa.ledger.services import write_lock as _write_lock

    _write_lock()
