"""Throughput and memory of zhifa.ledger.evidence on one large file (a script, not a test).

    .venv/bin/python bench/bench_evidence.py [--size-mib 512] [--keep]
    .venv/bin/python bench/bench_evidence.py --size-mib 2048     # the 2 GB case

It configures Django against a fresh temporary data dir (SQLite database and
filesystem blob storage), migrates, writes a sparse-ish random file (an MP4
header, random 1 MiB blocks, every eighth block a hole), then measures:

* `evidence_store`: hashing (SHA-256 + SM3, one pass) plus writing the object
  to storage (a second, SHA-256-checked pass) and the ledger record;
* the peak RSS growth during `evidence_store` (ru_maxrss), which must stay
  bounded (~100 MB) whatever the file size;
* raw hashlib SHA-256 + SM3 over the same file in 1 MiB reads, and a plain
  file copy: the floors the store is compared with (it does both, in turn:
  the name depends on the hash, and the storage API has no rename);
* `evidence_open(record_view=False)`: the re-hash every read pays.

MB/s are decimal megabytes (10^6 bytes) per second.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

MIB = 1024 * 1024


def _setup_django(data_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
    os.environ["ZHIFA_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("ZHIFA_LOG_LEVEL", "ERROR")
    try:
        import zhifa  # noqa: F401
    except ImportError:  # run from a checkout without installing
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _make_file(path: Path, size: int, seed: int) -> None:
    """Random 1 MiB blocks from a small pool, stamped so no two are equal; holes between."""
    import random

    rng = random.Random(seed)
    pool = rng.randbytes(8 * MIB)
    header = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41" + b"\x00\x00\x00\x08free"
    with path.open("wb") as out:
        for index in range(0, size // MIB):
            if index % 8 == 7:
                out.seek(MIB, os.SEEK_CUR)  # a hole: reads as zeros, no disk
                continue
            offset = rng.randrange(0, len(pool) - MIB)
            block = bytearray(pool[offset : offset + MIB])
            block[0:8] = index.to_bytes(8, "big")
            if index == 0:
                block[0 : len(header)] = header
            out.write(block)
        out.truncate(size)


def _raw_hash(path: Path) -> tuple[float, str]:
    sha256, sm3 = hashlib.sha256(), hashlib.new("sm3")
    start = time.perf_counter()
    with path.open("rb") as f:
        while chunk := f.read(MIB):
            sha256.update(chunk)
            sm3.update(chunk)
    return time.perf_counter() - start, sha256.hexdigest()


def _plain_copy(path: Path) -> float:
    """A plain 1 MiB-chunk copy next to the storage: the floor of the write pass."""
    target = path.with_suffix(".copy")
    start = time.perf_counter()
    with path.open("rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst, MIB)
    seconds = time.perf_counter() - start
    target.unlink()
    return seconds


def _maxrss_mib() -> float:
    # Linux reports KiB, macOS bytes.
    raw = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return raw / (MIB if sys.platform == "darwin" else 1024)


def _rss_mib() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _maxrss_mib()


def _reset_peak() -> bool:
    """Reset the peak RSS to the current RSS (Linux ≥ 4.0), so that ru_maxrss
    afterwards measures the store alone, not migrate or file generation."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def _rate(size: int, seconds: float) -> str:
    return f"{size / seconds / 1e6:8.1f} MB/s  ({seconds:6.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=512, help="file size in MiB (default 512)")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    args = parser.parse_args()
    size = args.size_mib * MIB

    data_dir = Path(tempfile.mkdtemp(prefix="zhifa-bench-evidence-"))
    try:
        _setup_django(data_dir)
        from django.core.files import File

        from zhifa.ledger.evidence import evidence_open, evidence_store
        from zhifa.orgs.codes import uscc_with_check
        from zhifa.orgs.models import Agency, AgencyKind, Region

        province = Region.objects.create(code="210000", name="辽宁省")
        agency = Agency.objects.create(
            name="基准测试执法局",
            short_name="基准",
            uscc=uscc_with_check("11210000MB0000001"),
            region=province,
            kind=AgencyKind.STATUTORY,
            authority_basis="基准测试",
        )

        source = data_dir / "evidence.mp4"
        start = time.perf_counter()
        _make_file(source, size, args.seed)
        made = time.perf_counter() - start

        print(
            f"evidence bench — {platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} CPU, data dir {data_dir}"
        )
        print(f"file: {args.size_mib} MiB ({size:,} bytes), written in {made:.1f} s")

        reset = _reset_peak()
        rss_before = _rss_mib() if reset else _maxrss_mib()
        start = time.perf_counter()
        with source.open("rb") as f:
            blob = evidence_store(
                agency=agency,
                subject=("bench.evidence", "1"),
                actor=None,
                file=File(f),
                original_name="bench.mp4",
            )
        t_store = time.perf_counter() - start
        rss_after = _maxrss_mib()

        t_raw, raw_sha256 = _raw_hash(source)
        assert blob.sha256 == raw_sha256, "stored digest differs from hashlib"

        t_copy = _plain_copy(source)

        start = time.perf_counter()
        evidence_open(blob=blob, record_view=False).close()
        t_open = time.perf_counter() - start

        print(f"raw hashlib SHA-256+SM3 (1 MiB reads):  {_rate(size, t_raw)}")
        print(f"plain file copy (1 MiB chunks):         {_rate(size, t_copy)}")
        print(
            f"evidence_store (hash + store + record): {_rate(size, t_store)}"
            f"  ratio to raw {t_raw / t_store:.2f}, to raw hash + copy "
            f"{(t_raw + t_copy) / t_store:.2f}"
        )
        print(
            f"evidence_open (verify before serving):  {_rate(size, t_open)}"
            f"  ratio to raw {t_raw / t_open:.2f}"
        )
        print(
            f"RSS: {rss_before:.1f} MiB before store, peak {rss_after:.1f} MiB during it "
            f"(growth {max(0.0, rss_after - rss_before):.1f} MiB"
            f"{'' if reset else '; peak not resettable here, growth may read low'})"
        )
        print(f"stored as {blob.storage_name}, {blob.media_type}, ledger entry #{blob.entry.seq}")
    finally:
        if args.keep:
            print(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
