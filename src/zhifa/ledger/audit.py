"""Full audit of a log: recompute everything from the stored bytes.

Every leaf hash is recomputed from the entry bytes (not trusted from its
column), the tree is rebuilt and compared with every stored subtree node,
every checkpoint's root and signatures, and the log state; per-subject
chains are followed. With `blobs`, every evidence file is re-hashed. The
report names the first bad entry and what kind of damage it is.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from zhifa.ledger import canonical, merkle, note
from zhifa.ledger.models import Checkpoint, Entry, EvidenceBlob, Log, LogState, Node

CHUNK = 2000


@dataclass(frozen=True)
class Problem:
    seq: int | None
    kind: str  # content / order / gap / truncation / node / checkpoint / signature / chain / blob / config
    message: str


@dataclass
class AuditReport:
    log: Log
    entries: int = 0
    checkpoints: int = 0
    cosignatures: int = 0
    blobs: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        with_seq = [p for p in self.problems if p.seq is not None]
        # On a tie, a precise finding beats a subtree-level one.
        return (
            min(with_seq, key=lambda p: (p.seq, p.kind == "node"))
            if with_seq
            else (self.problems[0] if self.problems else None)
        )


def audit(
    log: Log,
    *,
    log_keys: list[str],
    witness_keys: list[str] = (),
    blobs: bool = False,
    progress: Callable[[int], None] | None = None,
) -> AuditReport:
    report = AuditReport(log=log)
    problems = report.problems
    algo = log.hash_alg

    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM zhifa_ledger_maintenance WHERE purge_allowed")
        if cur.fetchone()[0]:
            problems.append(
                Problem(None, "config", "全过程记录的维护开关处于打开状态：只追加保护已被关闭。")
            )

    try:
        log_verifiers = [note.parse_vkey(k) for k in log_keys]
        witness_verifiers = [note.parse_vkey(k) for k in witness_keys]
    except note.NoteError as exc:
        problems.append(Problem(None, "config", f"公钥无效：{exc}"))
        return report

    checkpoints = list(Checkpoint.objects.filter(log=log).order_by("tree_size"))
    pending = iter(checkpoints)
    next_cp = next(pending, None)

    frontier = merkle.CompactRange(algo)
    expected_seq = 0
    chains: dict[tuple[str, str], tuple[int, str]] = {}
    times: list[str] = []
    seen_leaves: set[bytes] = set()
    broken_links: list[
        tuple[int, int | None, str | None]
    ] = []  # recorded_at of entries so far, non-decreasing while intact
    completed: list[tuple[int, int, bytes]] = []

    def check_checkpoints_at(size: int) -> None:
        nonlocal next_cp
        while next_cp is not None and next_cp.tree_size == size:
            _check_checkpoint(next_cp, frontier.root(), log_verifiers, witness_verifiers, report)
            next_cp = next(pending, None)

    check_checkpoints_at(0)
    rows = (
        Entry.objects.filter(log=log)
        .order_by("seq")
        .values_list("seq", "data", "leaf_hash", "action", "subject_type", "subject_id")
    )
    for seq, data, stored_leaf, action, subject_type, subject_id in rows.iterator(chunk_size=CHUNK):
        data, retyped = _as_bytes(data)
        stored_leaf, leaf_retyped = _as_bytes(stored_leaf)
        if retyped or leaf_retyped:
            problems.append(
                Problem(seq, "content", f"第 {seq} 号记录的存储类型被改动（内容被直接改写）。")
            )
        if seq != expected_seq:
            if seq > expected_seq:
                problems.append(
                    Problem(
                        expected_seq,
                        "gap",
                        f"缺少第 {expected_seq} 号至第 {seq - 1} 号记录（记录被删除）。",
                    )
                )
            else:
                problems.append(Problem(seq, "order", f"第 {seq} 号记录重复或顺序错乱。"))
            break
        leaf = merkle.leaf_hash(data, algo)
        if leaf != stored_leaf:
            problems.append(
                Problem(seq, "content", f"第 {seq} 号记录的内容与其哈希不符（内容被修改）。")
            )
        try:
            body = canonical.decode(data)
        except (ValueError, UnicodeDecodeError):
            body = None
        if body is None or not _reencodes(body, data):
            problems.append(Problem(seq, "content", f"第 {seq} 号记录不是规范编码的 JSON。"))
        else:
            subject = body.get("subject") or {}
            if (body.get("action"), subject.get("type"), subject.get("id")) != (
                action,
                subject_type,
                subject_id,
            ):
                problems.append(
                    Problem(
                        seq, "content", f"第 {seq} 号记录的索引列与记录内容不一致（索引被修改）。"
                    )
                )
            key = (subject.get("type"), subject.get("id"))
            previous = chains.get(key)
            if body.get("prev") != (previous[1] if previous else None):
                # Decided at the end: if the referenced hash exists elsewhere in
                # the log the records were moved; if it exists nowhere the
                # earlier record of this subject was rewritten.
                broken_links.append((seq, previous[0] if previous else None, body.get("prev")))
            chains[key] = (seq, leaf.hex())
            seen_leaves.add(leaf[:8])
            recorded_at = str(body.get("recorded_at", ""))
            if times and recorded_at < times[-1]:
                # Entries are sequenced in commit order, so time never goes
                # back; the first earlier entry that is later in time moved.
                moved = bisect.bisect_right(times, recorded_at)
                problems.append(
                    Problem(
                        moved,
                        "order",
                        f"第 {moved} 号记录的位置被调换：其记录时间晚于第 {seq} 号记录。",
                    )
                )
                times.append(times[-1])
            else:
                times.append(recorded_at)
        completed.extend(n for n in frontier.append(leaf) if n[0] > 0)
        expected_seq += 1  # noqa: SIM113 (the loop breaks on the first gap)
        report.entries += 1
        if len(completed) >= CHUNK:
            _check_nodes(log, completed, report)
            completed = []
        check_checkpoints_at(frontier.size)
        if progress and report.entries % 100_000 == 0:
            progress(report.entries)
    _check_nodes(log, completed, report)
    for seq, previous_seq, prev in broken_links:
        moved = prev is not None and _prefix(prev) in seen_leaves
        if previous_seq is not None and prev and not moved:
            problems.append(
                Problem(
                    previous_seq,
                    "content",
                    f"第 {previous_seq} 号记录已被修改：第 {seq} 号记录引用的前序哈希与之不符。",
                )
            )
        else:
            problems.append(
                Problem(
                    seq,
                    "order" if moved else "chain",
                    f"第 {seq} 号记录的前序链接与同一对象的上一条记录不符"
                    f"（{'记录顺序被调换' if moved else '中间记录缺失或被替换'}）。",
                )
            )

    # Checkpoints that claim more records than the log holds: the tail was cut.
    while next_cp is not None:
        problems.append(
            Problem(
                frontier.size,
                "truncation",
                f"检查点记录了 {next_cp.tree_size} 条记录，但日志只有 {frontier.size} 条（尾部记录被删除）。",
            )
        )
        report.checkpoints += 1
        next_cp = next(pending, None)

    state = LogState.objects.filter(log=log).first()
    if state is not None:
        if state.tree_size != frontier.size:
            problems.append(
                Problem(
                    min(state.tree_size, frontier.size),
                    "truncation",
                    f"日志状态记录为 {state.tree_size} 条，实际重算为 {frontier.size} 条。",
                )
            )
        elif merkle.CompactRange(algo, state.tree_size, state.peaks()).root() != frontier.root():
            problems.append(Problem(None, "node", "日志状态中的前沿哈希与重算结果不符。"))

    if blobs:
        from zhifa.ledger.evidence import evidence_verify

        for blob in (
            EvidenceBlob.objects.filter(entry__log=log)
            .select_related("entry")
            .order_by("entry__seq")
        ):
            report.blobs += 1
            for message in evidence_verify(blob):
                problems.append(Problem(blob.entry.seq, "blob", message))
    return report


def _reencodes(body: dict, data: bytes) -> bool:
    try:
        return canonical.encode(body) == data
    except ValueError:
        return False


def _as_bytes(value) -> tuple[bytes, bool]:
    """Stored bytes, and whether the column held something else (a direct
    SQL edit can turn SQLite BLOBs into TEXT)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value), False
    if isinstance(value, str):
        return value.encode("utf-8", errors="surrogateescape"), True
    return b"", True


def _prefix(hex_hash: str) -> bytes:
    try:
        return bytes.fromhex(hex_hash)[:8]
    except (ValueError, TypeError):
        return b""


def _check_nodes(log: Log, completed: list[tuple[int, int, bytes]], report: AuditReport) -> None:
    if not completed:
        return
    by_level: dict[int, dict[int, bytes]] = {}
    for level, index, h in completed:
        by_level.setdefault(level, {})[index] = h
    for level, expected in sorted(by_level.items()):
        stored = dict(
            Node.objects.filter(
                log=log, level=level, index__gte=min(expected), index__lte=max(expected)
            ).values_list("index", "hash")
        )
        for index in sorted(expected):
            h = stored.get(index)
            if h is None or bytes(h) != expected[index]:
                first_leaf, end = merkle.node_range(level, index)
                report.problems.append(
                    Problem(
                        end - 1,
                        "node",
                        f"存储的子树哈希（层 {level}，序号 {index}）与重算结果不符或缺失："
                        f"第 {first_leaf} 至 {end - 1} 号记录中有记录连同其哈希被改写。",
                    )
                )
                return


def _check_checkpoint(
    cp: Checkpoint, root: bytes, log_keys, witness_keys, report: AuditReport
) -> None:
    report.checkpoints += 1
    size = cp.tree_size
    if bytes(cp.root_hash) != root:
        report.problems.append(
            Problem(
                max(size - 1, 0),
                "checkpoint",
                f"{size} 条记录时的检查点根哈希与重算结果不符：前 {size} 条记录中有内容被修改、删除或调换。",
            )
        )
    try:
        parsed_note = note.parse_note(cp.note)
        body = note.parse_checkpoint(parsed_note.text)
    except note.NoteError as exc:
        report.problems.append(
            Problem(None, "signature", f"{size} 条记录时的检查点格式错误：{exc}")
        )
        return
    if body.size != size or body.root != root or body.origin != cp.log.origin:
        report.problems.append(
            Problem(
                max(size - 1, 0),
                "checkpoint",
                f"{size} 条记录时的签名检查点与重算的日志不一致（记录数或根哈希不同）。",
            )
        )
    try:
        if not note.verify_signatures(parsed_note, log_keys):
            report.problems.append(
                Problem(None, "signature", f"{size} 条记录时的检查点没有有效的日志签名。")
            )
    except note.NoteError as exc:
        report.problems.append(
            Problem(None, "signature", f"{size} 条记录时的检查点签名无效：{exc}")
        )
    for cosignature in cp.cosignatures.all():
        report.cosignatures += 1
        try:
            signed = note.add_signatures(cp.note, [cosignature.line])
            verified = note.verify_signatures(note.parse_note(signed), witness_keys)
            if witness_keys and not any(v.key.name == cosignature.witness for v in verified):
                report.problems.append(
                    Problem(
                        None,
                        "signature",
                        f"{size} 条记录时 {cosignature.witness} 的联署签名无法用已知公钥核验。",
                    )
                )
        except note.NoteError as exc:
            report.problems.append(
                Problem(
                    None,
                    "signature",
                    f"{size} 条记录时 {cosignature.witness} 的联署签名无效：{exc}",
                )
            )
