"""Reading the ledger: proofs from stored nodes, entries, checkpoints.

A proof reads the O(log n) stored subtree hashes it needs in two queries and
never recomputes the tree.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from zhifa.ledger import merkle
from zhifa.ledger.models import Checkpoint, Entry, Log, LogState, Node
from zhifa.ledger.services import LedgerError


def _nodes(log: Log, wanted: list[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    found: dict[tuple[int, int], bytes] = {}
    leaves = [index for level, index in wanted if level == 0]
    if leaves:
        for seq, leaf in Entry.objects.filter(log=log, seq__in=leaves).values_list(
            "seq", "leaf_hash"
        ):
            found[(0, seq)] = bytes(leaf)
    inner = [(level, index) for level, index in wanted if level > 0]
    if inner:
        # `log` inside every term lets SQLite use the unique (log, level,
        # index) index once per term (MULTI-INDEX OR) instead of scanning
        # every node of the log.
        query = reduce(or_, (Q(log=log, level=level, index=index) for level, index in inner))
        for level, index, h in Node.objects.filter(query).values_list("level", "index", "hash"):
            found[(level, index)] = bytes(h)
    missing = [node for node in wanted if node not in found]
    if missing:
        raise LedgerError(
            f"日志“{log.origin}”缺少存储的子树哈希 {missing[:3]}：记录表可能被删改，请运行 zhifa ledger verify。"
        )
    return found


def tree_size(log: Log) -> int:
    # Read afresh: `log.state` is cached on the Log object and goes stale.
    return LogState.objects.values_list("tree_size", flat=True).get(log=log)


def _check_size(log: Log, size: int) -> None:
    current = tree_size(log)
    if size < 1 or size > current:
        raise LedgerError(f"记录数 {size} 超出范围：日志“{log.origin}”目前共有 {current} 条记录。")


def inclusion_proof(log: Log, seq: int, size: int) -> list[bytes]:
    _check_size(log, size)
    if not 0 <= seq < size:
        raise LedgerError(f"第 {seq} 号记录不在前 {size} 条记录之中。")
    wanted = merkle.inclusion_proof_nodes(seq, size)
    return merkle.inclusion_proof_from_nodes(seq, size, _nodes(log, wanted), log.hash_alg)


def consistency_proof(log: Log, old_size: int, new_size: int) -> list[bytes]:
    _check_size(log, new_size)
    if not 1 <= old_size <= new_size:
        raise LedgerError(f"旧记录数 {old_size} 应在 1 到 {new_size} 之间。")
    wanted = merkle.consistency_proof_nodes(old_size, new_size)
    return merkle.consistency_proof_from_nodes(
        old_size, new_size, _nodes(log, wanted), log.hash_alg
    )


def root_at(log: Log, size: int) -> bytes:
    if size == 0:
        return merkle.empty_root(log.hash_alg)
    _check_size(log, size)
    wanted = merkle.range_nodes(0, size)
    return merkle.root_hash_from_nodes(size, _nodes(log, wanted), log.hash_alg)


def latest_checkpoint(log: Log) -> Checkpoint | None:
    return Checkpoint.objects.filter(log=log).order_by("-tree_size").first()


def checkpoint_covering(log: Log, seq: int) -> Checkpoint | None:
    """The smallest checkpoint whose tree contains entry `seq`."""
    return Checkpoint.objects.filter(log=log, tree_size__gt=seq).order_by("tree_size").first()


def entry_get(log: Log, seq: int) -> Entry:
    try:
        return Entry.objects.get(log=log, seq=seq)
    except Entry.DoesNotExist:
        raise LedgerError(f"日志“{log.origin}”中没有第 {seq} 号记录。") from None


def entry_list_for_subject(subject_type: str, subject_id: str):
    return Entry.objects.for_subject(subject_type, subject_id).order_by("seq")
