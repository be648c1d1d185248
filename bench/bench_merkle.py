"""Throughput figures for zhifa.ledger.merkle (a script, not a test).

    .venv/bin/python bench/bench_merkle.py [--size 100000] [--proofs 20000] [--algo sha256 sm3]

For each hash it measures:

* appends/s with :class:`CompactRange`, first alone, then also storing every
  completed node in a dict (a stand-in for the node table);
* inclusion and consistency proof generation/s through the node-list API
  (``*_proof_nodes``, then a fetch from the dict, then ``*_proof_from_nodes``),
  and the average number of stored nodes read per proof;
* verify_inclusion / verify_consistency per second;
* a one-shot ``root_hash`` over all entries, for comparison.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path

try:
    from zhifa.ledger import merkle
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from zhifa.ledger import merkle


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>12,.0f}/s  ({seconds * 1e6 / count:8.2f} µs each)"


def bench(algo: str, size: int, proofs: int, seed: int) -> None:
    rng = random.Random(seed)
    entries = [b"entry-%d-" % i + rng.randbytes(64) for i in range(size)]

    t = time.perf_counter()
    leaf_hashes = [merkle.leaf_hash(e, algo) for e in entries]
    t_leaf = time.perf_counter() - t

    cr = merkle.CompactRange(algo)
    t = time.perf_counter()
    for lh in leaf_hashes:
        cr.append(lh)
    t_append = time.perf_counter() - t

    cr2 = merkle.CompactRange(algo)
    nodes: dict[tuple[int, int], bytes] = {}
    t = time.perf_counter()
    for lh in leaf_hashes:
        for level, idx, h in cr2.append(lh):
            nodes[(level, idx)] = h
    t_append_store = time.perf_counter() - t

    t = time.perf_counter()
    root = merkle.root_hash(entries, algo)
    t_root = time.perf_counter() - t
    assert root == cr.root() == cr2.root() == merkle.root_hash_from_nodes(size, nodes, algo)
    assert len(nodes) == 2 * size - size.bit_count()

    print(f"\n== {algo}, n = {size:,} ==")
    print(f"leaf_hash (96-byte entries)     {_rate(size, t_leaf)}")
    print(f"CompactRange.append             {_rate(size, t_append)}")
    print(f"append + store nodes in dict    {_rate(size, t_append_store)}")
    print(f"root_hash(all entries), 1 shot  {t_root:8.3f} s")

    # Inclusion proofs through the node-list API.
    indices = [rng.randrange(size) for _ in range(proofs)]
    fetched = 0
    incl = []
    t = time.perf_counter()
    for i in indices:
        need = merkle.inclusion_proof_nodes(i, size)
        got = {k: nodes[k] for k in need}  # one batched SELECT in a real store
        fetched += len(need)
        incl.append(merkle.inclusion_proof_from_nodes(i, size, got, algo))
    t_incl = time.perf_counter() - t
    print(
        f"inclusion proof (node API)      {_rate(proofs, t_incl)}"
        f"  avg {fetched / proofs:.1f} nodes read, {sum(map(len, incl)) / proofs:.1f} hashes"
    )

    t = time.perf_counter()
    ok = 0
    for i, p in zip(indices, incl, strict=True):
        ok += merkle.verify_inclusion(leaf_hashes[i], i, size, p, root, algo)
    t_vi = time.perf_counter() - t
    assert ok == proofs
    print(f"verify_inclusion                {_rate(proofs, t_vi)}")

    # Consistency proofs from random old sizes to the full size.
    olds = [rng.randrange(1, size) for _ in range(proofs)]
    fetched = 0
    cons = []
    t = time.perf_counter()
    for m in olds:
        need = merkle.consistency_proof_nodes(m, size)
        got = {k: nodes[k] for k in need}
        fetched += len(need)
        cons.append(merkle.consistency_proof_from_nodes(m, size, got, algo))
    t_cons = time.perf_counter() - t
    print(
        f"consistency proof (node API)    {_rate(proofs, t_cons)}"
        f"  avg {fetched / proofs:.1f} nodes read, {sum(map(len, cons)) / proofs:.1f} hashes"
    )

    old_roots = [merkle.root_hash_from_nodes(m, nodes, algo) for m in olds]
    t = time.perf_counter()
    ok = 0
    for m, r1, p in zip(olds, old_roots, cons, strict=True):
        ok += merkle.verify_consistency(m, size, r1, root, p, algo)
    t_vc = time.perf_counter() - t
    assert ok == proofs
    print(f"verify_consistency              {_rate(proofs, t_vc)}")

    t = time.perf_counter()
    for m in olds[: proofs // 4]:
        merkle.root_hash_from_nodes(m, nodes, algo)
    t_hist = time.perf_counter() - t
    print(f"historical root from nodes      {_rate(proofs // 4, t_hist)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--proofs", type=int, default=20_000)
    ap.add_argument("--algo", nargs="+", default=list(merkle.ALGORITHMS))
    ap.add_argument("--seed", type=int, default=9162)
    args = ap.parse_args()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, single-threaded"
    )
    for algo in args.algo:
        bench(algo, args.size, args.proofs, args.seed)


if __name__ == "__main__":
    main()
