"""Durability of the ledger's write path (ledger.md §4.5, goal G14).

* Concurrent writers on PostgreSQL: sequence numbers stay gap-free and
  unique, rolled-back records leave no trace, the audit passes.
* Crash injection: writer processes are SIGKILLed in the middle of appending,
  again and again on the same database; every acknowledged (committed and
  reported) entry must survive, with no gap, no duplicate and a state row that
  matches the entries.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction

from zhifa.ledger import audit, canonical, checkpoints, merkle, selectors, services
from zhifa.ledger.models import Entry, LogState
from zhifa.ledger.tests.factories import record_n

WRITER = Path(__file__).with_name("crash_writer.py")
SRC = Path(__file__).resolve().parents[3]


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (set DATABASE_URL=postgres://…)")


# --------------------------------------------------------------------------- concurrent writers


THREADS = 8
PER_THREAD = 25


def _run_writers(plan) -> tuple[list[tuple[int, int, int]], list[BaseException]]:
    """Run THREADS threads; each calls `plan(t, i)` PER_THREAD times, each in its own
    transaction, on its own connection. Returns the acknowledged (seq, t, i) and errors."""
    barrier = threading.Barrier(THREADS)
    acked: list[tuple[int, int, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(t: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                try:
                    with transaction.atomic():
                        seq = plan(t, i)
                except _Rollback:
                    continue
                if seq is not None:
                    with lock:
                        acked.append((seq, t, i))
        except BaseException as exc:  # reported by the main thread
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return acked, errors


class _Rollback(Exception):
    pass


def _recorded(t: int, i: int, kind: str = "keep") -> int:
    # A few shared subjects, so the per-subject chains interleave across threads.
    entry = services.record(
        agency=None,
        subject=("case", str((t + i) % 3)),
        actor=None,
        action="evidence.viewed",
        payload={"t": t, "i": i, "kind": kind},
    )
    return entry.seq


def _stored() -> dict[int, dict]:
    return {
        seq: canonical.decode(bytes(data))["payload"]
        for seq, data in Entry.objects.order_by("seq").values_list("seq", "data")
    }


def _assert_log_sound(stored: dict[int, dict]) -> None:
    seqs = list(stored)
    assert seqs == list(range(len(seqs))), "sequence numbers have a gap or a duplicate"
    log = services.default_log()
    assert LogState.objects.get(log=log).tree_size == len(seqs)
    leaves = [bytes(d) for d in Entry.objects.order_by("seq").values_list("data", flat=True)]
    assert selectors.root_at(log, len(seqs)) == merkle.root_hash(leaves)
    checkpoints.checkpoint_create()
    report = audit.audit(
        log, log_keys=checkpoints.log_vkeys(log), witness_keys=checkpoints.witness_vkeys()
    )
    assert report.ok, report.problems[:5]
    assert report.entries == len(seqs) + 1  # + the key registered by the checkpoint


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_gap_free_unique_sequence_numbers():
    _require_postgresql()
    # The log does not exist yet: the writers also race to create it.
    acked, errors = _run_writers(_recorded)
    assert not errors, errors[:3]
    stored = _stored()
    assert len(stored) == 1 + THREADS * PER_THREAD  # entry 0 fixes the log's parameters
    assert len({seq for seq, _, _ in acked}) == len(acked) == THREADS * PER_THREAD
    for seq, t, i in acked:
        assert (stored[seq]["t"], stored[seq]["i"]) == (t, i)
    _assert_log_sound(stored)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_with_rollbacks_stay_gap_free():
    _require_postgresql()
    record_n(1)  # the log exists before the race this time

    def plan(t: int, i: int) -> int | None:
        match (t + i) % 4:
            case 0:  # the business action fails after recording: nothing stays
                _recorded(t, i, "rolled_back")
                raise _Rollback
            case 1:  # a savepoint with a record is rolled back, the outer work commits
                try:
                    with transaction.atomic():
                        _recorded(t, i, "rolled_back")
                        raise _Rollback
                except _Rollback:
                    pass
                return _recorded(t, i, "after_savepoint")
            case _:
                return _recorded(t, i)

    acked, errors = _run_writers(plan)
    assert not errors, errors[:3]
    stored = _stored()
    kinds = [p.get("kind") for p in stored.values()]
    assert "rolled_back" not in kinds
    expected = sum(1 for t in range(THREADS) for i in range(PER_THREAD) if (t + i) % 4)
    assert len(acked) == expected
    assert len(stored) == 2 + expected  # entry 0 and record_n's entry
    for seq, t, i in acked:
        assert (stored[seq]["t"], stored[seq]["i"]) == (t, i)
    _assert_log_sound(stored)


# --------------------------------------------------------------------------- crash injection


# G14 asks for 1,000 runs; CI does a few. ZHIFA_DURABILITY_RUNS=1000 for the full count.
RUNS = int(os.environ.get("ZHIFA_DURABILITY_RUNS", "5"))
WRITERS = 2


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.startswith("ZHIFA_") or k in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"})
    }
    env.update(
        DJANGO_SETTINGS_MODULE="zhifa.settings",
        ZHIFA_DATA_DIR=str(data_dir),
        PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _ack(acked: list[tuple[int, str, int]], line: str) -> None:
    if line.endswith("\n"):  # a line cut short by the kill was never acknowledged
        seq, tag, i = line.split()
        acked.append((int(seq), tag, int(i)))


def _kill_run(env: dict[str, str], run: int, rng: random.Random) -> list[tuple[int, str, int]]:
    """Start WRITERS writers, let them append, SIGKILL them all mid-append.
    Returns every acknowledged (seq, tag, i), including lines still in the pipes."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(WRITER), "write", f"r{run}w{w}"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    lines: queue.Queue[str | None] = queue.Queue()
    try:
        for proc in procs:
            ready = proc.stdout.readline()
            assert ready == "ready\n", ready + proc.stderr.read()

        def pump(proc: subprocess.Popen) -> None:
            for line in proc.stdout:
                lines.put(line)
            lines.put(None)

        readers = [threading.Thread(target=pump, args=(p,), daemon=True) for p in procs]
        for reader in readers:
            reader.start()
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        target = rng.randint(100, 200)
        acked: list[tuple[int, str, int]] = []
        finished = 0
        while len(acked) < target and finished < len(procs):
            line = lines.get(timeout=30)
            if line is None:
                finished += 1
            else:
                _ack(acked, line)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
        for proc in procs:
            proc.wait(timeout=30)
    assert finished == 0, [p.stderr.read() for p in procs]
    # Lines written before the kill but not yet read are acknowledged too.
    for reader in readers:
        reader.join(timeout=30)
    while not lines.empty():
        line = lines.get()
        if line is not None:
            _ack(acked, line)
    for proc in procs:
        assert proc.returncode == -signal.SIGKILL
        proc.stdout.close()
        proc.stderr.close()
        proc.stdin.close()
    return acked


def _crash_and_verify(env: dict[str, str], raw_rows) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        timeout=120,
    )
    rng = random.Random(20240614)
    acked: list[tuple[int, str, int]] = []
    for run in range(RUNS):
        acked.extend(_kill_run(env, run, rng))

    done = subprocess.run(
        [sys.executable, str(WRITER), "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    entries = {int(seq): tuple(v) for seq, v in result["entries"].items()}

    # Read the table directly too, without Django.
    seqs, duplicates, tree_size = raw_rows()
    assert not duplicates, f"duplicate sequence numbers {duplicates[:5]}"
    assert seqs == list(range(len(seqs))), "sequence numbers have a gap"
    assert tree_size == result["tree_size"] == len(seqs), "the state row disagrees with the entries"

    assert len(acked) >= RUNS * 100
    assert len({seq for seq, _, _ in acked}) == len(acked), "one seq acknowledged twice"
    lost = [(seq, tag, i) for seq, tag, i in acked if entries.get(seq) != (tag, i)]
    assert not lost, f"acknowledged entries lost or changed: {lost[:5]}"
    # Each writer's entries are its acknowledged ones plus at most one that
    # committed just before the kill, never one that skips an index.
    acked_by_writer = collections.Counter(tag for _, tag, _ in acked)
    stored_by_writer = collections.defaultdict(list)
    for tag, i in entries.values():
        stored_by_writer[tag].append(i)
    for tag, count in acked_by_writer.items():
        mine = sorted(stored_by_writer[tag])
        assert mine == list(range(len(mine)))
        assert len(mine) - count in (0, 1)
    assert result["audit_ok"], result["problems"][:5]
    assert result["checkpoints"] >= RUNS


def test_crash_injection_sqlite(tmp_path):
    env = _env(tmp_path, None)
    db = tmp_path / "zhifa.sqlite3"

    def raw_rows():
        with contextlib.closing(sqlite3.connect(db)) as con:
            seqs = [r[0] for r in con.execute("SELECT seq FROM ledger_entry ORDER BY seq")]
            dup = con.execute(
                "SELECT seq FROM ledger_entry GROUP BY log_id, seq HAVING COUNT(*) > 1"
            ).fetchall()
            (size,) = con.execute("SELECT tree_size FROM ledger_logstate").fetchone()
        return seqs, dup, size

    _crash_and_verify(env, raw_rows)


def test_crash_injection_postgresql(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("set DATABASE_URL=postgres://… to also crash-test PostgreSQL")
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    conninfo = dict(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"],
    )
    name = f"test_zhifa_crash_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = _env(
            tmp_path,
            f"postgres://{cfg['USER']}:{cfg['PASSWORD']}@{conninfo['host']}:{conninfo['port']}/{name}",
        )

        def raw_rows():
            with psycopg.connect(dbname=name, **conninfo) as con:
                seqs = [r[0] for r in con.execute("SELECT seq FROM ledger_entry ORDER BY seq")]
                dup = con.execute(
                    "SELECT seq FROM ledger_entry GROUP BY log_id, seq HAVING COUNT(*) > 1"
                ).fetchall()
                (size,) = con.execute("SELECT tree_size FROM ledger_logstate").fetchone()
            return seqs, dup, size

        _crash_and_verify(env, raw_rows)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --------------------------------------------------------------------------- known defect


@pytest.mark.django_db
@pytest.mark.parametrize("first", [False, True], ids=["later-checkpoint", "first-checkpoint"])
def test_checkpoint_signing_survives_a_checkpoint_that_was_not_stored(first, monkeypatch):
    """The process dies after the signer signed but before the checkpoint row
    was stored: the next checkpoint must still be signed (the proof runs from
    what the signer last signed)."""
    from zhifa.ledger.models import Checkpoint

    record_n(3)
    if not first:
        checkpoints.checkpoint_create()
        record_n(2)

    def crash(*args, **kwargs):
        raise RuntimeError("the process died after signing")

    with monkeypatch.context() as patch:
        patch.setattr(Checkpoint.objects, "get_or_create", crash)
        with pytest.raises(RuntimeError):
            checkpoints.checkpoint_create()
    record_n(1)
    result = checkpoints.checkpoint_create()
    assert result is not None and result.created
    report = audit.audit(
        services.default_log(),
        log_keys=checkpoints.log_vkeys(services.default_log()),
        witness_keys=checkpoints.witness_vkeys(),
    )
    assert report.ok, report.problems


@pytest.mark.django_db
def test_checkpoint_refuses_to_sign_inside_a_callers_transaction():
    record_n(2)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        checkpoints.checkpoint_create()
