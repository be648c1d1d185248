"""Writing to the ledger: `record` (the spine), logs and their state.

`record` runs inside the caller's transaction: the entry is written with the
business change or not at all. Appends lock the log's state row, so sequence
numbers are gap-free and unique under concurrent writers (PostgreSQL: SELECT
… FOR UPDATE; SQLite: the write lock taken at BEGIN IMMEDIATE).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from zhifa.ledger import actions, canonical, merkle
from zhifa.ledger.models import Entry, Log, LogState, Node

SCHEMA_VERSION = 1


class LedgerError(Exception):
    """A ledger operation was refused; the message is Chinese and says why."""


def log_origin() -> str:
    # The hash is part of the origin (ledger.md §4.2), so changing the
    # configured hash starts a new log instead of mixing two.
    return f"{settings.ZHIFA_LEDGER_ORIGIN}/{settings.ZHIFA_LEDGER_HASH}"


def default_log() -> Log:
    origin = log_origin()
    log = Log.objects.filter(origin=origin).first()
    if log is not None:
        return log
    try:
        with transaction.atomic():
            log = Log.objects.create(origin=origin, hash_alg=settings.ZHIFA_LEDGER_HASH)
            LogState.objects.create(log=log)
            # Entry 0 fixes the log's parameters inside the log itself.
            _append(
                log,
                agency=None,
                subject=("ledger.log", origin),
                actor=None,
                action="ledger.log_created",
                payload={"origin": origin, "hash_alg": log.hash_alg, "schema": SCHEMA_VERSION},
            )
    except IntegrityError:
        # Another writer created it first.
        log = Log.objects.get(origin=origin)
    return log


def write_lock() -> None:
    """Take the log's write lock (its `LogState` row) now rather than at the
    first `record`.

    Every append locks that row until the transaction ends, so all writers
    queue on it. A use case that also locks other rows (the case it fires a
    step on, a document number counter) must take the log first: with one
    lock order no two writers wait on each other. Taken late, two parallel
    case steps on PostgreSQL deadlocked (one held a number counter and waited
    for the log, the other held the log and waited for the counter). SQLite
    has one writer anyway; there this costs one query.
    """
    if not transaction.get_connection().in_atomic_block:
        raise LedgerError("ledger.write_lock 必须在业务事务中调用（transaction.atomic）。")
    log = default_log()
    list(LogState.objects.select_for_update().filter(log=log).values_list("pk", flat=True))


def subject_ref(subject: Any) -> tuple[str, str]:
    """(type, id) of what a record is about: a model instance or an explicit pair."""
    if isinstance(subject, tuple) and len(subject) == 2:
        kind, ident = subject
        return str(kind), str(ident)
    if isinstance(subject, models.Model):
        meta = subject._meta
        ident = getattr(subject, "public_id", None) or subject.pk
        if ident is None:
            raise LedgerError("记录对象尚未保存，无法记录。")
        return f"{meta.app_label}.{meta.model_name}", str(ident)
    raise LedgerError(f"无法识别记录对象 {subject!r}：请传入模型实例或 (类型, 标识) 二元组。")


def _actor_ref(actor) -> str | None:
    if actor is None or getattr(actor, "pk", None) is None:
        return "system" if actor is not None else None
    return str(getattr(actor, "public_id", actor.pk))


def record(
    *,
    agency,
    subject,
    actor,
    action: str,
    payload: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> Entry:
    """Append one enforcement fact to the ledger, inside the caller's transaction.

    `payload` holds references and hashes, not personal data: write a party's
    ID number as `personal_ref(...)`, never as text.
    """
    if not transaction.get_connection().in_atomic_block:
        raise LedgerError(
            "ledger.record 必须在业务事务中调用（transaction.atomic），"
            "以保证业务变更与其记录同时成功或同时失败。"
        )
    if action not in actions.ACTIONS:
        raise LedgerError(f"未登记的事件类型“{action}”：请先在 actions 中登记其名称和中文说明。")
    return _append(
        default_log(),
        agency=agency,
        subject=subject,
        actor=actor,
        action=action,
        payload=payload or {},
        occurred_at=occurred_at,
    )


def _append(log: Log, *, agency, subject, actor, action, payload, occurred_at=None) -> Entry:
    subject_type, subject_id = subject_ref(subject)
    state = LogState.objects.select_for_update().get(log=log)
    prev = (
        Entry.objects.filter(log=log, subject_type=subject_type, subject_id=subject_id)
        .order_by("-seq")
        .values_list("leaf_hash", flat=True)
        .first()
    )
    now = timezone.now()
    event_id = uuid.uuid4()
    body: dict[str, Any] = {
        "v": SCHEMA_VERSION,
        "event_id": str(event_id),
        "action": action,
        "recorded_at": canonical.timestamp(now),
        "agency": agency.uscc if agency is not None else None,
        "subject": {"type": subject_type, "id": subject_id},
        "actor": _actor_ref(actor),
        "payload": payload,
        # The previous record about the same subject: a per-subject chain, so
        # a record missing from the middle of a case is noticed.
        "prev": bytes(prev).hex() if prev is not None else None,
    }
    if occurred_at is not None:
        body["occurred_at"] = canonical.timestamp(occurred_at)
    try:
        data = canonical.encode(body)
    except canonical.CanonicalError as exc:
        raise LedgerError(str(exc)) from exc
    leaf = merkle.leaf_hash(data, log.hash_alg)
    frontier = merkle.CompactRange(log.hash_alg, state.tree_size, state.peaks())
    completed = frontier.append(leaf)
    entry = Entry.objects.create(
        log=log,
        seq=state.tree_size,
        leaf_hash=leaf,
        data=data,
        event_id=event_id,
        action=action,
        agency=agency,
        subject_type=subject_type,
        subject_id=subject_id,
        actor=actor if getattr(actor, "pk", None) is not None else None,
        recorded_at=now,
    )
    nodes = [
        Node(log=log, level=level, index=index, hash=h)
        for level, index, h in completed
        if level > 0
    ]
    if nodes:
        Node.objects.bulk_create(nodes)
    state.tree_size = frontier.size
    state.frontier = b"".join(frontier.peaks)
    state.save(update_fields=["tree_size", "frontier", "updated_at"])
    return entry


def personal_ref(value: str) -> str:
    """A keyed hash standing in for personal data in a ledger payload.

    Keyed with the deployment's secret so it cannot be reversed by guessing
    ID numbers; the same value always gives the same reference.
    """
    import hashlib
    import hmac

    key = hashlib.sha256(b"zhifa-ledger-personal-ref\n" + settings.SECRET_KEY.encode()).digest()
    return "hmac-sha256:" + hmac.new(key, value.encode(), "sha256").hexdigest()
