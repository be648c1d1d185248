"""The ledger's goals measured on this machine (a script, not a test).

    .venv/bin/python bench/ledger.py [--db sqlite|postgres|both] [--entries 1000000]
                                     [--records 5000] [--pg-entries N] [--corpus 1000000]

Figures (ledger.md §5), each printed with its goal:

* G1  full verification in memory: recompute every leaf hash from the entry
      bytes and rebuild the tree with `merkle.CompactRange` (what `audit` does
      per entry), over a seeded corpus of ~280-byte canonical entries, against
      raw `hashlib` over the same bytes (goal ≥ 40 %); SHA-256 and SM3.
* G2  `audit.audit()` of a stored log of `--entries` entries, per database:
      entries/s, and the RSS it needs.
* G5  one business transaction per iteration (an `orgs.Unit` row plus
      `ledger.record`), `--records` of them: transactions/s with and without
      the record, p50/p99 of the time `record` adds (goal ≥ 1,000/s, p99 ≤ 5 ms).
* G8  `selectors.inclusion_proof` / `consistency_proof` on a log of
      `--entries` entries (filled in batches of 50,000 per transaction with
      COPY / executemany, or `--fill orm` for bulk_create; not through
      `record`): p50/p99 (goal p99 ≤ 5 ms), at most `--proof-seconds` per kind.
* G9  `merkle.verify_inclusion` / `verify_consistency`: µs per call, on the
      proofs of G8 and, for comparison with §6, at n = 65,536.
* Memory: peak RSS (ru_maxrss) of every process, and during the audit.

Each database runs in its own child process (Django is configured once per
process) against a fresh temporary data dir; PostgreSQL uses a database
`zhifa_bench` that is created and dropped here. The machine is shared: the
load average is printed with the results.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
try:
    from zhifa.ledger import canonical, merkle
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(SRC))
    from zhifa.ledger import canonical, merkle

PG_DEFAULT = "postgres://zhifa:zhifa@127.0.0.1:5432/zhifa_bench"
BENCH_ORIGIN = "bench.local/ledger-fill/sha256"
BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)


# --------------------------------------------------------------------------- helpers


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


def _rss_now_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RssSampler:
    """The largest current RSS seen while the block runs (sampled every 20 ms)."""

    def __enter__(self) -> RssSampler:
        self.start_kib = self.peak_kib = _rss_now_kib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak_kib = max(self.peak_kib, _rss_now_kib())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_kib = max(self.peak_kib, _rss_now_kib())


def _log(msg: str) -> None:
    print(f"  [{time.strftime('%H:%M:%SZ', time.gmtime())}] {msg}", file=sys.stderr, flush=True)


def synthetic_entries(start: int, count: int, rng: random.Random, chains: dict, algo="sha256"):
    """Entries shaped like `record`'s (canonical JSON, ~280 bytes, per-subject
    `prev` chain, non-decreasing time). Yields (seq, data, leaf, fields)."""
    for seq in range(start, start + count):
        subject_id = f"{seq % 997:06d}"
        recorded = BASE_TIME + timedelta(milliseconds=seq)
        event_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        body = {
            "v": 1,
            "event_id": str(event_id),
            "action": "evidence.viewed",
            "recorded_at": canonical.timestamp(recorded),
            "agency": None,
            "subject": {"type": "bench.case", "id": subject_id},
            "actor": None,
            "payload": {"n": seq},
            "prev": chains.get(subject_id),
        }
        data = canonical.encode(body)
        leaf = merkle.leaf_hash(data, algo)
        chains[subject_id] = leaf.hex()
        yield seq, data, leaf, (event_id, subject_id, recorded)


# --------------------------------------------------------------------------- in memory (parent)


def bench_g1(n: int, seed: int, repeats: int) -> dict:
    rng = random.Random(seed)
    t = time.perf_counter()
    corpus = [data for _, data, _, _ in synthetic_entries(0, n, rng, {})]
    _log(f"G1 corpus: {n:,} entries in {time.perf_counter() - t:.1f}s")
    out = {"n": n, "mean_bytes": sum(map(len, corpus)) / n, "algos": {}}
    for algo in ("sha256", "sm3"):
        try:
            merkle.leaf_hash(b"", algo)
        except ValueError:
            continue
        if algo == "sha256":
            sha256 = hashlib.sha256

            def raw(corpus=corpus, sha256=sha256):
                for e in corpus:
                    sha256(e).digest()
        else:

            def raw(corpus=corpus):
                for e in corpus:
                    hashlib.new("sm3", e).digest()

        def core(corpus=corpus, algo=algo):
            # What audit() does per entry: leaf hash from the bytes, then the tree.
            cr = merkle.CompactRange(algo)
            leaf_hash, append = merkle.leaf_hash, cr.append
            for e in corpus:
                append(leaf_hash(e, algo))
            return cr.root()

        def core_entry(corpus=corpus, algo=algo):
            cr = merkle.CompactRange(algo)
            append_entry = cr.append_entry
            for e in corpus:
                append_entry(e)
            return cr.root()

        def leaves_only(corpus=corpus, algo=algo):
            leaf_hash = merkle.leaf_hash
            for e in corpus:
                leaf_hash(e, algo)

        leaves = [merkle.leaf_hash(e, algo) for e in corpus]

        def append_only(leaves=leaves, algo=algo):
            append = merkle.CompactRange(algo).append
            for lh in leaves:
                append(lh)

        def inline(corpus=corpus, algo=algo):
            # The same algorithm without the API's checks: the §6 prototype's floor.
            if algo == "sha256":
                sha256 = hashlib.sha256

                def h(b):
                    return sha256(b).digest()
            else:
                template = hashlib.new("sm3")

                def h(b):
                    o = template.copy()
                    o.update(b)
                    return o.digest()

            stack = []
            for size, e in enumerate(corpus):
                node = h(b"\x00" + e)
                i = size
                while i & 1:
                    node = h(b"\x01" + stack.pop() + node)
                    i >>= 1
                stack.append(node)
            return stack

        best = {}
        for name, fn in (
            ("raw", raw),
            ("core", core),
            ("core_append_entry", core_entry),
            ("leaf_hash_only", leaves_only),
            ("append_only", append_only),
            ("inline", inline),
        ):
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t)
            best[name] = n / min(times)
        del leaves
        assert core() == merkle.root_hash(corpus, algo)
        out["algos"][algo] = best
        _log(f"G1 {algo}: {best}")
    del corpus
    return out


def bench_g9_memory(seed: int) -> dict:
    rng = random.Random(seed)
    n = 65_536
    leaves = [rng.randbytes(64) for _ in range(n)]
    root = merkle.root_hash(leaves)
    idx = [rng.randrange(n) for _ in range(200)]
    incl = [(i, merkle.leaf_hash(leaves[i]), merkle.inclusion_proof(leaves, i)) for i in idx]
    old = 40_000
    old_root = merkle.root_hash(leaves[:old])
    cons = merkle.consistency_proof(leaves, old)
    reps = 50
    t = time.perf_counter()
    for _ in range(reps):
        for i, lh, proof in incl:
            assert merkle.verify_inclusion(lh, i, n, proof, root)
    t_incl = (time.perf_counter() - t) / (reps * len(incl))
    t = time.perf_counter()
    for _ in range(reps * len(incl)):
        assert merkle.verify_consistency(old, n, old_root, root, cons)
    t_cons = (time.perf_counter() - t) / (reps * len(incl))
    return {
        "incl_us": t_incl * 1e6,
        "incl_len": len(incl[0][2]),
        "cons_us": t_cons * 1e6,
        "cons_len": len(cons),
    }


# --------------------------------------------------------------------------- per database (child)


def child(db: str, args) -> dict:
    os.environ.setdefault("ZHIFA_LOG_LEVEL", "ERROR")
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    res: dict = {"db": db}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    res["migrate_s"] = time.perf_counter() - t
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            res["version"] = "PostgreSQL " + cur.fetchone()[0].split()[0]
            cur.execute("SHOW synchronous_commit")
            res["durability"] = "synchronous_commit=" + cur.fetchone()[0]
        else:
            res["version"] = "SQLite " + sqlite3.sqlite_version
            cur.execute("PRAGMA synchronous")
            level = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cur.fetchone()[0]]
            cur.execute("PRAGMA journal_mode")
            res["durability"] = f"journal_mode={cur.fetchone()[0]}, synchronous={level}"

    res["g5"] = _g5(args.records)
    _log(f"{db}: G5 {res['g5']['with_record_tps']:,.0f} tx/s")
    entries = args.pg_entries if db == "postgres" and args.pg_entries else args.entries
    log, fill = _fill(entries, args.seed, args.fill)
    res["fill"] = fill
    res["g8"], res["g9"] = _g8_g9(log, args.proofs, args.seed, args.proof_seconds)
    res["audit"] = _audit(log)
    from zhifa.ledger import services

    res["audit_records"] = _audit(services.default_log())
    res["maxrss_mib_end"] = _maxrss_mib()
    return res


def _g5(n: int) -> dict:
    from django.db import connection, transaction

    from zhifa.ledger import services
    from zhifa.orgs import services as orgs
    from zhifa.orgs.codes import uscc_with_check
    from zhifa.orgs.models import Unit

    region = orgs.region_create(actor=orgs.SYSTEM, code="210000", name="辽宁省")
    agency = orgs.agency_create(
        actor=orgs.SYSTEM,
        name="基准测试执法局",
        short_name="基准",
        uscc=uscc_with_check("11210521MB0000001"),
        region=region,
        authority_basis="《中华人民共和国行政处罚法》",
    )
    clock = time.perf_counter

    def run(count: int, tag: str, with_record: bool):
        tx, added = [], []
        for i in range(count):
            t0 = clock()
            with transaction.atomic():
                unit = Unit.objects.create(agency=agency, name=f"{tag}-{i}")
                if with_record:
                    t1 = clock()
                    services.record(
                        agency=agency,
                        subject=unit,
                        actor=None,
                        action="evidence.viewed",
                        payload={"name": unit.name},
                    )
                    added.append(clock() - t1)
            tx.append(clock() - t0)
        return tx, added

    run(50, "warm", True)
    run(50, "warm0", False)
    # Alternate halves so a burst of load from elsewhere hits both variants.
    half = max(1, n // 2)
    tx_a, added_a = run(half, "rec-a", True)
    tx0_a, _ = run(half, "plain-a", False)
    tx_b, added_b = run(n - half, "rec-b", True)
    tx0_b, _ = run(n - half, "plain-b", False)
    tx, tx0, added = tx_a + tx_b, tx0_a + tx0_b, added_a + added_b
    connection.close()
    return {
        "n": n,
        "with_record_tps": len(tx) / sum(tx),
        "without_record_tps": len(tx0) / sum(tx0),
        "record_p50_ms": _pct(added, 50) * 1e3,
        "record_p99_ms": _pct(added, 99) * 1e3,
        "tx_p50_ms": _pct(tx, 50) * 1e3,
        "tx_p99_ms": _pct(tx, 99) * 1e3,
        "tx0_p50_ms": _pct(tx0, 50) * 1e3,
        "tx0_p99_ms": _pct(tx0, 99) * 1e3,
        "added_p50_ms": (_pct(tx, 50) - _pct(tx0, 50)) * 1e3,
        "added_p99_ms": (_pct(tx, 99) - _pct(tx0, 99)) * 1e3,
    }


def _fill(n: int, seed: int, how: str = "raw"):
    """A log of n entries inserted in batches of 50,000 per transaction, not
    through `record`: leaf hashes and nodes computed with `CompactRange`, rows
    written with COPY on PostgreSQL and executemany on SQLite (the ORM's
    bulk_create spends ~3/4 of its time building SQL; `--fill orm` uses it)."""
    from django.db import connection, transaction

    from zhifa.ledger import checkpoints
    from zhifa.ledger.models import Entry, Log, LogState, Node

    log = Log.objects.create(origin=BENCH_ORIGIN, hash_alg="sha256")
    LogState.objects.create(log=log)
    rng = random.Random(seed + 1)
    chains: dict = {}
    cr = merkle.CompactRange("sha256")
    commit_every = 50_000
    entry_cols = [
        "log",
        "seq",
        "leaf_hash",
        "data",
        "event_id",
        "action",
        "subject_type",
        "subject_id",
        "recorded_at",
    ]
    fields = [Entry._meta.get_field(c) for c in entry_cols]
    prep_event = fields[4].get_db_prep_save
    prep_time = fields[8].get_db_prep_save
    entry_sql_cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    node_sql_cols = ", ".join(
        connection.ops.quote_name(Node._meta.get_field(c).column)
        for c in ("log", "level", "index", "hash")
    )
    entry_table = connection.ops.quote_name(Entry._meta.db_table)
    node_table = connection.ops.quote_name(Node._meta.db_table)
    postgres = connection.vendor == "postgresql"
    t = time.perf_counter()
    with RssSampler() as rss:
        for start in range(0, n, commit_every):
            count = min(commit_every, n - start)
            entries, nodes, orm_entries, orm_nodes = [], [], [], []
            for seq, data, leaf, (event_id, subject_id, recorded) in synthetic_entries(
                start, count, rng, chains
            ):
                if how == "orm":
                    orm_entries.append(
                        Entry(
                            log=log,
                            seq=seq,
                            leaf_hash=leaf,
                            data=data,
                            event_id=event_id,
                            action="evidence.viewed",
                            subject_type="bench.case",
                            subject_id=subject_id,
                            recorded_at=recorded,
                        )
                    )
                else:
                    entries.append(
                        (
                            log.pk,
                            seq,
                            leaf,
                            data,
                            event_id if postgres else prep_event(event_id, connection),
                            "evidence.viewed",
                            "bench.case",
                            subject_id,
                            recorded if postgres else prep_time(recorded, connection),
                        )
                    )
                for level, index, h in cr.append(leaf):
                    if level > 0:
                        if how == "orm":
                            orm_nodes.append(Node(log=log, level=level, index=index, hash=h))
                        else:
                            nodes.append((log.pk, level, index, h))
            with transaction.atomic():
                if how == "orm":
                    Entry.objects.bulk_create(orm_entries, batch_size=2000)
                    Node.objects.bulk_create(orm_nodes, batch_size=4000)
                else:
                    with connection.cursor() as cur:
                        if postgres:
                            raw = cur.cursor
                            for table, cols, rows in (
                                (entry_table, entry_sql_cols, entries),
                                (node_table, node_sql_cols, nodes),
                            ):
                                with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                                    for r in rows:
                                        copy.write_row(r)
                        else:
                            raw = cur.cursor
                            raw.executemany(
                                f"INSERT INTO {entry_table} ({entry_sql_cols}) "
                                f"VALUES ({', '.join('?' * len(entry_cols))})",
                                entries,
                            )
                            raw.executemany(
                                f"INSERT INTO {node_table} ({node_sql_cols}) VALUES (?, ?, ?, ?)",
                                nodes,
                            )
                LogState.objects.filter(log=log).update(
                    tree_size=cr.size, frontier=b"".join(cr.peaks)
                )
            if (start + count) % 200_000 == 0 or start + count == n:
                _log(f"fill {start + count:,}/{n:,} ({time.perf_counter() - t:.0f}s)")
    elapsed = time.perf_counter() - t
    if postgres:
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {entry_table}")
            cur.execute(f"ANALYZE {node_table}")
    log.refresh_from_db()
    # A signed checkpoint over the fill: the audit then also checks a root.
    checkpoints.checkpoint_create(log=log)
    return log, {
        "n": n,
        "how": how,
        "seconds": elapsed,
        "entries_per_s": n / elapsed,
        "rss_peak_mib": rss.peak_kib / 1024,
        "nodes": Node.objects.filter(log=log).count(),
    }


def _g8_g9(log, proofs: int, seed: int, budget: float):
    from zhifa.ledger import selectors
    from zhifa.ledger.models import Entry, Log, LogState

    state = LogState.objects.get(log=log)
    size = state.tree_size
    root = merkle.CompactRange(log.hash_alg, size, state.peaks()).root()
    rng = random.Random(seed + 2)
    seqs = [rng.randrange(size) for _ in range(proofs)]
    olds = [rng.randrange(1, size) for _ in range(proofs)]
    clock = time.perf_counter

    def timed(fn, args_list):
        # At most `budget` seconds per kind (but at least 20 calls).
        out, times = [], []
        stop = clock() + budget
        for a in args_list:
            fresh = Log.objects.get(pk=log.pk)  # as a request would: state not cached
            t0 = clock()
            out.append(fn(fresh, *a))
            times.append(clock() - t0)
            if len(out) >= 20 and clock() > stop:
                break
        return out, times

    incl, t_incl = timed(selectors.inclusion_proof, [(s, size) for s in seqs])
    cons, t_cons = timed(selectors.consistency_proof, [(o, size) for o in olds])
    seqs, olds = seqs[: len(incl)], olds[: len(cons)]
    _log(f"G8: {len(incl)} inclusion and {len(cons)} consistency proofs timed")

    leaves = dict(Entry.objects.filter(log=log, seq__in=set(seqs)).values_list("seq", "leaf_hash"))
    leaves = {k: bytes(v) for k, v in leaves.items()}
    old_roots = {o: selectors.root_at(log, o) for o in set(olds)}
    bad = sum(
        not merkle.verify_inclusion(leaves[s], s, size, p, root)
        for s, p in zip(seqs, incl, strict=True)
    ) + sum(
        not merkle.verify_consistency(o, size, old_roots[o], root, p)
        for o, p in zip(olds, cons, strict=True)
    )
    reps = 20
    t0 = clock()
    for _ in range(reps):
        for s, p in zip(seqs, incl, strict=True):
            merkle.verify_inclusion(leaves[s], s, size, p, root)
    v_incl = (clock() - t0) / (reps * len(seqs))
    t0 = clock()
    for _ in range(reps):
        for o, p in zip(olds, cons, strict=True):
            merkle.verify_consistency(o, size, old_roots[o], root, p)
    v_cons = (clock() - t0) / (reps * len(olds))
    g8 = {
        "size": size,
        "incl_n": len(incl),
        "cons_n": len(cons),
        "incl_p50_ms": _pct(t_incl, 50) * 1e3,
        "incl_p99_ms": _pct(t_incl, 99) * 1e3,
        "cons_p50_ms": _pct(t_cons, 50) * 1e3,
        "cons_p99_ms": _pct(t_cons, 99) * 1e3,
        "incl_hashes": sum(map(len, incl)) / len(incl),
        "cons_hashes": sum(map(len, cons)) / len(cons),
        "invalid": bad,
    }
    g9 = {"incl_us": v_incl * 1e6, "cons_us": v_cons * 1e6}
    return g8, g9


def _audit(log) -> dict:
    from zhifa.ledger import audit, checkpoints

    keys, wkeys = checkpoints.log_vkeys(log), checkpoints.witness_vkeys()
    before = _maxrss_mib()
    t = time.perf_counter()
    with RssSampler() as rss:
        report = audit.audit(log, log_keys=keys, witness_keys=wkeys)
    elapsed = time.perf_counter() - t
    return {
        "entries": report.entries,
        "seconds": elapsed,
        "entries_per_s": report.entries / elapsed,
        "ok": report.ok,
        "problems": [f"{p.seq} {p.kind} {p.message}" for p in report.problems[:3]],
        "checkpoints": report.checkpoints,
        "rss_start_mib": rss.start_kib / 1024,
        "rss_peak_mib": rss.peak_kib / 1024,
        "maxrss_before_mib": before,
        "maxrss_after_mib": _maxrss_mib(),
    }


# --------------------------------------------------------------------------- orchestration


def _pg_admin(url: str):
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    info = {
        "host": cfg["HOST"] or "127.0.0.1",
        "port": cfg["PORT"] or 5432,
        "user": cfg["USER"],
        "password": cfg["PASSWORD"],
    }
    return cfg["NAME"], lambda: psycopg.connect(
        dbname="postgres", autocommit=True, connect_timeout=3, **info
    )


def _pg_reachable(url: str) -> bool:
    try:
        _, connect = _pg_admin(url)
        with connect():
            return True
    except Exception:
        return False


def run_child(db: str, args) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"zhifa-bench-{db}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update(
        DJANGO_SETTINGS_MODULE="zhifa.settings",
        ZHIFA_DATA_DIR=str(data_dir),
        PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
    )
    env.pop("DATABASE_URL", None)
    drop = None
    if db == "postgres":
        name, connect = _pg_admin(args.pg_url)
        with connect() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = args.pg_url

        def drop():
            with connect() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    cmd = [sys.executable, __file__, "--child", db]
    for opt in ("entries", "pg_entries", "records", "proofs", "proof_seconds", "seed", "fill"):
        cmd += [f"--{opt.replace('_', '-')}", str(getattr(args, opt))]
    try:
        _log(f"{db}: child started (data dir {data_dir})")
        out = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=True).stdout
    finally:
        if drop is not None:
            drop()
        shutil.rmtree(data_dir, ignore_errors=True)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def report(g1: dict | None, g9m: dict, dbs: list[dict], parent_rss: float) -> None:
    w = 34

    def row(label: str, *cells: str) -> None:
        print(f"  {label:<44}" + "".join(f"{c:>{w}}" for c in cells))

    print()
    print("Ledger benchmark —", platform.python_implementation(), platform.python_version())
    print(
        f"  {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        " (the machine is shared; figures vary with the load)"
    )
    if g1:
        print(
            f"\nG1  full verification in memory ({g1['n']:,} entries, mean {g1['mean_bytes']:.0f} B)"
        )
        row("", "raw hashlib", "leaf_hash+CompactRange", "ratio (goal ≥ 40 %)")
        for algo, r in g1["algos"].items():
            row(
                algo,
                f"{r['raw'] / 1e6:.3f} M entries/s",
                f"{r['core'] / 1e6:.3f} M entries/s",
                f"{r['core'] / r['raw']:.1%}",
            )
            for key, label in (
                ("core_append_entry", "CompactRange.append_entry"),
                ("inline", "same algorithm inlined, no API"),
                ("leaf_hash_only", "merkle.leaf_hash only"),
                ("append_only", "CompactRange.append only"),
            ):
                row(
                    f"  {algo}: {label}",
                    "",
                    f"{r[key] / 1e6:.3f} M entries/s",
                    f"{r[key] / r['raw']:.1%}",
                )
    print("\nG9  proof verification in memory (n = 65,536, as §6)")
    row(f"verify_inclusion ({g9m['incl_len']} hashes)", f"{g9m['incl_us']:.1f} µs", "goal ≤ 50 µs")
    row(
        f"verify_consistency ({g9m['cons_len']} hashes)", f"{g9m['cons_us']:.1f} µs", "goal ≤ 50 µs"
    )
    print(f"  parent peak RSS (ru_maxrss): {parent_rss:.0f} MiB")
    if not dbs:
        return
    print()
    row("per database", *(d["version"] for d in dbs))
    row("durability settings", *(d["durability"] for d in dbs))
    row("migrate", *(f"{d['migrate_s']:.1f} s" for d in dbs))
    print("\nG5  atomic business transaction + record (goal ≥ 1,000/s; p99 added ≤ 5 ms)")
    row("transactions", *(f"{d['g5']['n']:,}" for d in dbs))
    row("with record: tx/s", *(f"{d['g5']['with_record_tps']:,.0f}" for d in dbs))
    row("without record: tx/s", *(f"{d['g5']['without_record_tps']:,.0f}" for d in dbs))
    row(
        "record() p50 / p99",
        *(f"{d['g5']['record_p50_ms']:.2f} / {d['g5']['record_p99_ms']:.2f} ms" for d in dbs),
    )
    row(
        "tx with record p50 / p99",
        *(f"{d['g5']['tx_p50_ms']:.2f} / {d['g5']['tx_p99_ms']:.2f} ms" for d in dbs),
    )
    row(
        "tx without record p50 / p99",
        *(f"{d['g5']['tx0_p50_ms']:.2f} / {d['g5']['tx0_p99_ms']:.2f} ms" for d in dbs),
    )
    row(
        "added p50 / p99 (difference)",
        *(f"{d['g5']['added_p50_ms']:.2f} / {d['g5']['added_p99_ms']:.2f} ms" for d in dbs),
    )
    print("\nG8  proof generation from stored nodes (goal p99 ≤ 5 ms)")
    row("log size (bulk fill)", *(f"{d['g8']['size']:,}" for d in dbs))
    row(
        "fill rate (50k per transaction)",
        *(f"{d['fill']['entries_per_s']:,.0f}/s ({d['fill']['how']})" for d in dbs),
    )
    row(
        "inclusion_proof p50 / p99",
        *(f"{d['g8']['incl_p50_ms']:.2f} / {d['g8']['incl_p99_ms']:.2f} ms" for d in dbs),
    )
    row(
        "consistency_proof p50 / p99",
        *(f"{d['g8']['cons_p50_ms']:.2f} / {d['g8']['cons_p99_ms']:.2f} ms" for d in dbs),
    )
    row(
        "hashes per proof (incl / cons)",
        *(f"{d['g8']['incl_hashes']:.1f} / {d['g8']['cons_hashes']:.1f}" for d in dbs),
    )
    row(
        "proofs timed (incl + cons) / invalid",
        *(f"{d['g8']['incl_n']:,} + {d['g8']['cons_n']:,} / {d['g8']['invalid']}" for d in dbs),
    )
    print("\nG9  verifying those proofs (goal ≤ 50 µs)")
    row("verify_inclusion", *(f"{d['g9']['incl_us']:.1f} µs" for d in dbs))
    row("verify_consistency", *(f"{d['g9']['cons_us']:.1f} µs" for d in dbs))
    print("\nG2  audit() of the stored log (goal ≥ 250,000 entries/s from PostgreSQL)")
    for key, label in (("audit", "bulk-filled log"), ("audit_records", "G5 log (via record)")):
        row(f"{label}: entries", *(f"{d[key]['entries']:,}" for d in dbs))
        row(f"{label}: entries/s", *(f"{d[key]['entries_per_s']:,.0f}" for d in dbs))
        row(
            f"{label}: ok / checkpoints",
            *(f"{d[key]['ok']} / {d[key]['checkpoints']}" for d in dbs),
        )
    a = "audit"
    row(
        "RSS during audit: start → peak",
        *(f"{d[a]['rss_start_mib']:.0f} → {d[a]['rss_peak_mib']:.0f} MiB" for d in dbs),
    )
    print("\nMemory")
    row("RSS peak during fill", *(f"{d['fill']['rss_peak_mib']:.0f} MiB" for d in dbs))
    row(
        "ru_maxrss before / after audit",
        *(f"{d[a]['maxrss_before_mib']:.0f} / {d[a]['maxrss_after_mib']:.0f} MiB" for d in dbs),
    )
    row("ru_maxrss at the end", *(f"{d['maxrss_mib_end']:.0f} MiB" for d in dbs))
    for d in dbs:
        for key in ("audit", "audit_records"):
            if not d[key]["ok"]:
                print(f"  !! {d['db']} {key} problems: {d[key]['problems']}")


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--db", choices=["sqlite", "postgres", "both"])
    p.add_argument("--entries", type=int, default=1_000_000, help="log size for G8/G2")
    p.add_argument(
        "--pg-entries", type=int, default=0, help="log size on PostgreSQL (default --entries)"
    )
    p.add_argument("--records", type=int, default=5_000, help="transactions for G5")
    p.add_argument(
        "--corpus", type=int, default=1_000_000, help="in-memory corpus for G1 (0: skip)"
    )
    p.add_argument("--proofs", type=int, default=2_000, help="proofs of each kind for G8")
    p.add_argument("--proof-seconds", type=float, default=20, help="G8: time budget per proof kind")
    p.add_argument("--repeats", type=int, default=3, help="G1: best of this many passes")
    p.add_argument("--seed", type=int, default=20260101)
    p.add_argument(
        "--fill",
        choices=["raw", "orm"],
        default="raw",
        help="G8 fill: COPY/executemany or bulk_create",
    )
    p.add_argument("--pg-url", default=os.environ.get("ZHIFA_BENCH_PG_URL", PG_DEFAULT))
    p.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = p.parse_args()

    if args.child:
        res = child(args.child, args)
        print("RESULT " + json.dumps(res), flush=True)
        return

    if args.db is None:
        args.db = "both" if _pg_reachable(args.pg_url) else "sqlite"
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in dbs and not _pg_reachable(args.pg_url):
        raise SystemExit(f"PostgreSQL is not reachable at {args.pg_url}")

    # The databases first: a child inherits the parent's ru_maxrss on Linux,
    # so they must start before the parent holds the G1 corpus.
    results = [run_child(db, args) for db in dbs]
    g1 = bench_g1(args.corpus, args.seed, args.repeats) if args.corpus else None
    g9m = bench_g9_memory(args.seed)
    parent_rss = _maxrss_mib()
    report(g1, g9m, results, parent_rss)


if __name__ == "__main__":
    main()
