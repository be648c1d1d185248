"""Signed checkpoints and their cosignatures.

The log's key signs a C2SP checkpoint (origin, size, root) whenever the tree
has grown; the signing service refuses to sign a smaller size, the same size
with another root, or a growth without a valid consistency proof. Witnesses
(the supervising justice bureau's instance, or any configured witness)
cosign only after verifying a consistency proof from the last checkpoint they
cosigned, so an operator who rewrites history cannot get it cosigned.

Keys live in files (generated into the data dir on first use in the embedded
default; provisioned in production); the private key never enters the
database.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.ledger import merkle, note, selectors
from zhifa.ledger.models import Checkpoint, Cosignature, Entry, Log, LogState, WitnessState
from zhifa.ledger.services import LedgerError, _append, default_log
from zhifa.ledger.signer import GuardedLogSigner, SignerError, load_or_create_key
from zhifa.ledger.witness import Witness, WitnessError


def log_signer(log: Log) -> GuardedLogSigner:
    key_file = settings.ZHIFA_LEDGER_KEY_FILE
    try:
        signer = load_or_create_key(key_file, name=log.origin, role="log")
    except SignerError as exc:
        raise LedgerError(f"无法加载检查点签名密钥：{exc}") from exc
    return GuardedLogSigner(
        signer, key_file.with_name(key_file.name + ".state.json"), hash_alg=log.hash_alg
    )


def local_witness_signer():
    if not settings.ZHIFA_WITNESS_NAME:
        return None
    try:
        return load_or_create_key(
            settings.ZHIFA_WITNESS_KEY_FILE, name=settings.ZHIFA_WITNESS_NAME, role="witness"
        )
    except SignerError as exc:
        raise LedgerError(f"无法加载见证联署密钥：{exc}") from exc


def log_vkeys(log: Log) -> list[str]:
    """The verifier keys of this log: the current key and every key the log
    itself recorded (a rotated key stays valid for old checkpoints)."""
    keys = [log_signer(log).vkey]
    for data in Entry.objects.filter(log=log, action="ledger.key_registered").values_list(
        "data", flat=True
    ):
        from zhifa.ledger.canonical import decode

        vkey = decode(bytes(data))["payload"].get("vkey")
        if vkey and vkey not in keys:
            keys.append(vkey)
    return keys


def witness_vkeys() -> list[str]:
    signer = local_witness_signer()
    return [signer.vkey] if signer is not None else []


class DbWitnessState:
    """The witness's memory of what it last cosigned, kept in this database."""

    def __init__(self, witness_name: str) -> None:
        self.witness_name = witness_name

    def get(self, origin: str) -> tuple[int, bytes] | None:
        row = WitnessState.objects.filter(witness=self.witness_name, origin=origin).first()
        return None if row is None else (row.tree_size, bytes(row.root_hash))

    def put(self, origin: str, size: int, root: bytes) -> None:
        WitnessState.objects.update_or_create(
            witness=self.witness_name,
            origin=origin,
            defaults={"tree_size": size, "root_hash": bytes(root)},
        )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with transaction.atomic():
            # Serialise concurrent cosign requests on the state row.
            list(WitnessState.objects.select_for_update().filter(witness=self.witness_name))
            yield


def _ensure_key_registered(log: Log, vkey: str) -> None:
    """The first checkpoint signed by a key records that key in the log itself."""
    for data in Entry.objects.filter(log=log, action="ledger.key_registered").values_list(
        "data", flat=True
    ):
        from zhifa.ledger.canonical import decode

        if decode(bytes(data))["payload"].get("vkey") == vkey:
            return
    _append(
        log,
        agency=None,
        subject=("ledger.log", log.origin),
        actor=None,
        action="ledger.key_registered",
        payload={"vkey": vkey, "role": "log"},
    )


@dataclass
class CheckpointResult:
    checkpoint: Checkpoint
    created: bool
    cosigned_by: list[str]
    witness_errors: list[str]


def checkpoint_create(*, log: Log | None = None, force: bool = False) -> CheckpointResult | None:
    """Sign a checkpoint of the current tree if it grew since the last one
    (or always with `force`), then ask the witnesses to cosign it.

    Only committed entries are ever signed: the key registration commits on
    its own, the tree is read in its own transaction, signing happens outside
    any transaction, and the checkpoint is stored afterwards. Durable atomic
    blocks refuse to run inside a caller's transaction, where a later
    rollback could undo entries that had already been signed.
    """
    log = log or default_log()
    signer = log_signer(log)
    with transaction.atomic(durable=True):
        _ensure_key_registered(log, signer.vkey)
    with transaction.atomic(durable=True):
        state = LogState.objects.select_for_update().get(log=log)
        size = state.tree_size
        root = merkle.CompactRange(log.hash_alg, size, state.peaks()).root()
        last = selectors.latest_checkpoint(log)
    if last is not None and last.tree_size == size:
        if not force:
            return None
        checkpoint, created = last, False
    else:
        # The proof runs from what the signer last signed, which may be a
        # checkpoint whose storing failed after signing (crash, lost
        # connection); it is a committed tree all the same.
        proof = None
        previous = signer.last_signed(log.origin)
        if previous is not None and 0 < previous[0] < size:
            proof = selectors.consistency_proof(log, previous[0], size)
        body = note.encode_checkpoint(log.origin, size, root)
        try:
            line = signer.sign_note(body, proof)
        except SignerError as exc:
            raise LedgerError(str(exc)) from exc
        with transaction.atomic(durable=True):
            checkpoint, created = Checkpoint.objects.get_or_create(
                log=log,
                tree_size=size,
                defaults={
                    "root_hash": root,
                    "note": f"{body}\n{line}\n",
                    "signed_at": timezone.now(),
                },
            )
    cosigned, errors = cosign_with_witnesses(checkpoint)
    return CheckpointResult(checkpoint, created, cosigned, errors)


def cosign_with_witnesses(checkpoint: Checkpoint) -> tuple[list[str], list[str]]:
    """Submit a checkpoint to the local witness (if this instance runs one)."""
    witness_signer = local_witness_signer()
    if witness_signer is None:
        return [], []
    log = checkpoint.log
    # One transaction per checkpoint and witness, holding the checkpoint row,
    # so two workers cosigning the same checkpoint cannot both store a line.
    with transaction.atomic(durable=True):
        Checkpoint.objects.select_for_update().filter(pk=checkpoint.pk).exists()
        if checkpoint.cosignatures.filter(witness=witness_signer.name).exists():
            return [witness_signer.name], []
        store = DbWitnessState(witness_signer.name)
        witness = Witness(witness_signer, {log.origin: log_vkeys(log)}, store)
        previous = store.get(log.origin)
        proof: list[bytes] = []
        old_size = previous[0] if previous else None
        if previous and 0 < previous[0] < checkpoint.tree_size:
            proof = selectors.consistency_proof(log, previous[0], checkpoint.tree_size)
        try:
            line = witness.cosign(checkpoint.note, proof, log.hash_alg, old_size=old_size)
        except WitnessError as exc:
            return [], [f"{witness_signer.name}：{exc}"]
        Cosignature.objects.create(
            checkpoint=checkpoint,
            witness=witness_signer.name,
            line=line,
            cosigned_at=timezone.now(),
        )
    return [witness_signer.name], []


def signed_note(checkpoint: Checkpoint) -> str:
    """The checkpoint with every cosignature line appended."""
    lines = list(checkpoint.cosignatures.order_by("id").values_list("line", flat=True))
    return note.add_signatures(checkpoint.note, lines) if lines else checkpoint.note


def receipt_for(entry: Entry) -> dict:
    """The receipt of one record: the entry, its inclusion proof and the
    smallest signed checkpoint that covers it (signing one if needed)."""
    from zhifa.ledger.receipt import build_receipt

    log = entry.log
    checkpoint = selectors.checkpoint_covering(log, entry.seq)
    if checkpoint is None:
        result = checkpoint_create(log=log)
        checkpoint = result.checkpoint if result else selectors.checkpoint_covering(log, entry.seq)
    if checkpoint is None:
        raise LedgerError(f"第 {entry.seq} 号记录尚无签名检查点。")
    proof = selectors.inclusion_proof(log, entry.seq, checkpoint.tree_size)
    return build_receipt(
        origin=log.origin,
        hash_alg=log.hash_alg,
        index=entry.seq,
        entry=bytes(entry.data),
        inclusion_proof=proof,
        checkpoint=signed_note(checkpoint),
    )
