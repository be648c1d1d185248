"""The append-only Merkle log (RFC 9162 §2.1) and evidence blobs.

Tables and what may change in them:
- `Log`: one row per log; fixed at creation (origin, hash).
- `LogState`: the only mutable row per log — the size and the compact-range
  frontier (the peaks), locked for each append so sequence numbers are
  gap-free and unique.
- `Entry`, `Node`, `Checkpoint`, `Cosignature`, `EvidenceBlob`: append-only.
  Database triggers refuse UPDATE and DELETE (migration 0002) as defence in
  depth; the signed checkpoints are the real protection, because whoever
  owns the database can drop triggers.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.orgs.models import Agency
from zhifa.orgs.scope import AgencyOwnedQuerySet


class HashAlgorithm(models.TextChoices):
    SHA256 = "sha256", "SHA-256"
    SM3 = "sm3", "SM3（国密）"


class Log(models.Model):
    origin = models.CharField("日志标识", max_length=200, unique=True)
    hash_alg = models.CharField("哈希算法", max_length=10, choices=HashAlgorithm.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "记录日志"
        verbose_name_plural = "记录日志"

    def __str__(self) -> str:
        return self.origin


class LogState(models.Model):
    log = models.OneToOneField(
        Log, primary_key=True, on_delete=models.PROTECT, related_name="state"
    )
    tree_size = models.BigIntegerField(default=0)
    # The peaks of the compact range, left to right, 32 bytes each.
    frontier = models.BinaryField(default=b"")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.log_id}: {self.tree_size}"

    def peaks(self) -> list[bytes]:
        raw = bytes(self.frontier)
        return [raw[i : i + 32] for i in range(0, len(raw), 32)]


class EntryQuerySet(AgencyOwnedQuerySet):
    def for_subject(self, subject_type: str, subject_id: str) -> EntryQuerySet:
        return self.filter(subject_type=subject_type, subject_id=subject_id)


class Entry(models.Model):
    """One leaf: the canonical entry bytes and their leaf hash, at a fixed index."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="entries")
    seq = models.BigIntegerField("序号")
    leaf_hash = models.BinaryField(max_length=32)
    data = models.BinaryField("记录内容")
    event_id = models.UUIDField(unique=True, default=uuid.uuid4)
    action = models.CharField("事件", max_length=80, db_index=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    recorded_at = models.DateTimeField("记录时间")

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = "记录"
        verbose_name_plural = "记录"
        ordering = ["log", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["log", "seq"], name="ledger_entry_seq_unique"),
            models.UniqueConstraint(fields=["log", "leaf_hash"], name="ledger_entry_leaf_unique"),
            models.CheckConstraint(condition=Q(seq__gte=0), name="ledger_entry_seq_nonnegative"),
        ]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "seq"], name="ledger_entry_subject")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class Node(models.Model):
    """A stored perfect-subtree hash at `level` ≥ 1 (level 0 is Entry.leaf_hash).

    Appends insert the nodes they complete (amortised one per entry), so a
    proof reads O(log n) rows and never recomputes the tree.
    """

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="nodes")
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["log", "level", "index"], name="ledger_node_unique"),
        ]

    def __str__(self) -> str:
        return f"({self.level}, {self.index})"


class Checkpoint(models.Model):
    """A signed tree head in the C2SP signed-note checkpoint format."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="checkpoints")
    tree_size = models.BigIntegerField("记录数")
    root_hash = models.BinaryField(max_length=32)
    note = models.TextField("签名检查点")
    signed_at = models.DateTimeField("签名时间")

    class Meta:
        verbose_name = "检查点"
        verbose_name_plural = "检查点"
        ordering = ["log", "tree_size"]
        get_latest_by = "tree_size"
        constraints = [
            models.UniqueConstraint(fields=["log", "tree_size"], name="ledger_checkpoint_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.log.origin} @ {self.tree_size}"


class Cosignature(models.Model):
    """A witness's cosignature line for a checkpoint."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="cosignatures"
    )
    witness = models.CharField("见证方", max_length=200)
    line = models.TextField("联署签名")
    cosigned_at = models.DateTimeField("联署时间")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "witness"], name="ledger_cosignature_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.witness} @ {self.checkpoint_id}"


class WitnessState(models.Model):
    """What a witness run by this instance last cosigned, per log origin."""

    witness = models.CharField(max_length=200)
    origin = models.CharField(max_length=200)
    tree_size = models.BigIntegerField()
    root_hash = models.BinaryField(max_length=32)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["witness", "origin"], name="ledger_witness_state_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.witness}: {self.origin} @ {self.tree_size}"


class EvidenceBlob(models.Model):
    """An evidence file stored content-addressed by its SHA-256.

    The ledger entry that recorded it carries the same digests, so a changed
    file is detected on every read and by `zhifa ledger verify --blobs`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="evidence_blobs")
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64)
    size = models.BigIntegerField("大小（字节）")
    media_type = models.CharField("文件类型", max_length=100)
    storage_name = models.CharField(max_length=200)
    original_name = models.CharField("原始文件名", max_length=255, blank=True)
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="evidence_blob")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgencyOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "证据文件"
        verbose_name_plural = "证据文件"
        indexes = [models.Index(fields=["sha256"], name="ledger_blob_sha256")]

    def __str__(self) -> str:
        return f"{self.original_name or self.sha256[:12]}（{self.media_type}）"
