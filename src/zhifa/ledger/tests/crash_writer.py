"""Helper process for test_durability's crash-injection tests (not a test).

    python crash_writer.py write TAG   # record until killed
    python crash_writer.py verify      # audit the log, print a JSON summary

Configured only by the environment (DJANGO_SETTINGS_MODULE, ZHIFA_DATA_DIR,
DATABASE_URL), so it runs against whatever database the parent chose.

`write` first signs a checkpoint of what earlier (killed) runs left, prints
"ready", waits for a line on stdin, then records one entry per transaction
and prints "SEQ TAG I" for each only *after* its transaction committed: every
printed line is an acknowledged entry that must survive the kill.
"""

from __future__ import annotations

import json
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()


def write(tag: str) -> None:
    from django.db import transaction

    from zhifa.ledger import checkpoints, services

    # Signing needs consistency proofs read from the stored nodes, so this
    # also checks what the previous kills left behind. Never killed here:
    # the parent waits for "ready" before it starts counting.
    checkpoints.checkpoint_create()
    print("ready", flush=True)
    sys.stdin.readline()
    out = sys.stdout
    i = 0
    while True:
        with transaction.atomic():
            entry = services.record(
                agency=None,
                subject=("crash.test", tag),
                actor=None,
                action="evidence.viewed",
                payload={"tag": tag, "i": i},
            )
        out.write(f"{entry.seq} {tag} {i}\n")
        out.flush()
        i += 1


def verify() -> None:
    from zhifa.ledger import audit, canonical, checkpoints, services
    from zhifa.ledger.models import Checkpoint, Entry, LogState

    log = services.default_log()
    checkpoints.checkpoint_create()
    report = audit.audit(
        log, log_keys=checkpoints.log_vkeys(log), witness_keys=checkpoints.witness_vkeys()
    )
    entries = {}
    for seq, data in Entry.objects.filter(log=log).order_by("seq").values_list("seq", "data"):
        payload = canonical.decode(bytes(data))["payload"]
        entries[seq] = [payload.get("tag"), payload.get("i")]
    print(
        json.dumps(
            {
                "entries": entries,
                "tree_size": LogState.objects.get(log=log).tree_size,
                "checkpoints": Checkpoint.objects.filter(log=log).count(),
                "audit_ok": report.ok,
                "audit_entries": report.entries,
                "problems": [f"{p.seq} {p.kind} {p.message}" for p in report.problems],
            }
        )
    )


if __name__ == "__main__":
    _setup()
    if sys.argv[1] == "write":
        write(sys.argv[2])
    elif sys.argv[1] == "verify":
        verify()
    else:
        raise SystemExit(f"unknown mode {sys.argv[1]!r}")
