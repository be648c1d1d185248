"""Redaction throughput on this machine (a script, not a test).

    .venv/bin/python bench/redaction.py [--seconds 3] [--chars 3000]

Measures `zhifa.disclosure.redaction.redact` on:

* a 3,000-character 行政处罚决定书 built from the labelled corpus
  (src/zhifa/disclosure/redaction/tests/corpus.py: four decisions with
  names, ID numbers, phones, bank accounts, e-mail and addresses), without
  and with what the case knows (layer 1);
* 3,000 characters of the same decisions' prose with no digits at all (what
  the detectors cost when there is little to find);
* one 1 MB document made of the decisions repeated (long inputs stay linear);
* `zhifa redact --jsonl` end to end in a child process (start-up included),
  for 1,000 decisions.

Figures: documents/s, characters/s and MB/s (UTF-8 bytes of the input; the
goal in issue 8 is ≥ 5 MB/s), the median over batches of about 0.1 s, by
wall clock and by this process's CPU time. The machine is shared: the load
average is printed with the results, and the CPU-time figure is the one
that other processes disturb least.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    from zhifa.disclosure.redaction import Known, redact
    from zhifa.disclosure.redaction.tests.corpus import DECISIONS
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))
    from zhifa.disclosure.redaction import Known, redact
    from zhifa.disclosure.redaction.tests.corpus import DECISIONS


def decision_of(chars: int) -> str:
    """The corpus decisions joined and cut to `chars` characters."""
    text = "\n".join(d["text"] for d in DECISIONS)
    while len(text) < chars:
        text += "\n" + text
    return text[:chars]


def known_of_corpus() -> Known:
    merged: dict[str, list[str]] = {}
    for decision in DECISIONS:
        for key, values in decision["known"].items():
            merged.setdefault(key, []).extend(values)
    return Known(**merged)


def measure(label: str, text: str, seconds: float, **kwargs) -> None:
    """Median over batches of ~0.1 s: wall-clock time, and CPU time of this
    process (less disturbed when other processes share the cores)."""
    result = redact(text, **kwargs)  # warm up (regex compilation, caches)
    size = len(text.encode("utf-8"))
    per_batch = max(1, int(0.1 / max(_once(text, kwargs), 1e-6)))
    walls, cpus = [], []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(walls) < 5:
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(per_batch):
            redact(text, **kwargs)
        walls.append((time.perf_counter() - wall) / per_batch)
        cpus.append((time.process_time() - cpu) / per_batch)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(
        f"{label:<40} {1 / wall:>8,.1f} docs/s {len(text) / wall:>11,.0f} chars/s "
        f"{size / wall / 1e6:>6.2f} MB/s | CPU time: {len(text) / cpu:>11,.0f} chars/s "
        f"{size / cpu / 1e6:>6.2f} MB/s  ({wall * 1e3:.2f} ms/doc, {len(result.spans)} spans)"
    )


def _once(text: str, kwargs: dict) -> float:
    start = time.perf_counter()
    redact(text, **kwargs)
    return time.perf_counter() - start


def measure_cli(count: int) -> None:
    script = shutil.which("zhifa", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "zhifa"]
    line = json.dumps({"text": decision_of(3000)}, ensure_ascii=False) + "\n"
    stdin = (line * count).encode()
    env = {**os.environ, "DATABASE_URL": "postgres://x@127.0.0.1:1/none"}
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "redact", "--jsonl"], input=stdin, capture_output=True, env=env, check=True
    )
    elapsed = time.perf_counter() - start
    lines = done.stdout.count(b"\n")
    print(
        f"{'zhifa redact --jsonl, ' + str(count) + ' × 3,000 chars':<40} {lines / elapsed:>8,.1f} docs/s "
        f"{count * 3000 / elapsed:>11,.0f} chars/s {len(stdin) / elapsed / 1e6:>6.2f} MB/s "
        f"(wall clock, {elapsed:.2f} s in all, start-up included)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    parser.add_argument("--chars", type=int, default=3000, help="size of the decision")
    parser.add_argument("--cli", type=int, default=1000, help="decisions through the CLI (0: skip)")
    args = parser.parse_args()

    print(f"python {platform.python_version()} on {platform.machine()}, load {os.getloadavg()}")
    decision = decision_of(args.chars)
    prose = re.sub(r"[0-9０-９]", "", "\n".join(d["text"] for d in DECISIONS))[: args.chars]
    measure(f"decision, {len(decision):,} chars", decision, args.seconds)
    measure(
        f"decision, {len(decision):,} chars, with known",
        decision,
        args.seconds,
        known=known_of_corpus(),
    )
    measure(f"prose without digits, {len(prose):,} chars", prose, args.seconds)
    big = decision_of(1_000_000 // 3)
    measure(f"one document, {len(big.encode()) / 1e6:.1f} MB", big, args.seconds)
    if args.cli:
        measure_cli(args.cli)


if __name__ == "__main__":
    main()
