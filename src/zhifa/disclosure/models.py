"""The public read model (architecture.md, "The public side is a separate read
model"): a `Publication` is a frozen, redacted snapshot of an enforcement
decision with its own lifecycle, never a live view of case tables.

    due ─draft→ drafted ─publish→ published ─withdraw→ withdrawn
     │                               ├─correct→ superseded (a new version is published)
     └─exempt→ exempt                └─expire / remove early→ expired

A decision overturned before it was published is `cancelled`. The case is
referred to by id and number only: the portal reads nothing but these rows
and the public catalog and officer data.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class PublicationKind(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    LICENSE = "license", "行政许可"
    OTHER = "other", "其他行政执法决定"


class PublicationStatus(models.TextChoices):
    DUE = "due", "待公开"
    DRAFTED = "drafted", "待核对发布"
    PUBLISHED = "published", "已公开"
    WITHDRAWN = "withdrawn", "已撤回"
    SUPERSEDED = "superseded", "已更正"
    EXPIRED = "expired", "已停止公示"
    EXEMPT = "exempt", "不予公开"
    CANCELLED = "cancelled", "无需公开"


# States in which the agency still owes a publication.
OPEN_STATUSES = (PublicationStatus.DUE, PublicationStatus.DRAFTED)
# States whose permalink the public may open (the text only while published).
PUBLIC_STATUSES = (
    PublicationStatus.PUBLISHED,
    PublicationStatus.WITHDRAWN,
    PublicationStatus.SUPERSEDED,
)


class ExemptReason(models.TextChoices):
    """Grounds for not publishing (rules.md §7 conflict note; PUB-01, PUB-08, OGI-03)."""

    MINOR = "minor", "当事人为未成年人"
    WARNING_ONLY = "warning_only", "仅受到警告行政处罚（市场监管）"
    SECRET = "secret", "涉及国家秘密"
    PRIVACY = "privacy", "涉及商业秘密或者个人隐私，公开会损害第三方合法权益"
    SECURITY = "security", "公开可能危及国家安全、公共安全、经济安全或者社会稳定"
    OTHER = "other", "法律、行政法规另有规定"


# What overturned a decision (zhifa.cases OutcomeKind values), for notices.
OUTCOME_LABELS = {
    "changed": "变更",
    "revoked": "撤销",
    "illegal": "确认违法",
    "void": "确认无效",
    "agency": "本机关决定撤回",
}


class PublicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> PublicationQuerySet:
        """The staff side: the agency's own rows; a supervisor's region and below."""
        from zhifa.orgs.scope import Scope

        scope = Scope.of(user)
        if scope.everything:
            return self.all()
        return self.filter(scope.q(agency="agency_id", region_code="region_code"))

    def public(self) -> PublicationQuerySet:
        """What the portal lists: current published versions."""
        return self.filter(status=PublicationStatus.PUBLISHED)

    def owed(self) -> PublicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def withdrawal_owed(self) -> PublicationQuerySet:
        return self.filter(status=PublicationStatus.PUBLISHED).exclude(withdrawal_cause="")


class Publication(models.Model):
    # The permalink: shared by every version of the same decision's publication.
    series = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    # This version's own id (ledger subject, API).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField("版本", default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name="更正前的版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    status = models.CharField(
        "状态", max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.DUE
    )

    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="publications",
    )
    agency_name = models.CharField("执法主体名称", max_length=200)
    region_code = models.CharField("区划代码", max_length=9, db_index=True)
    region_name = models.CharField("区划", max_length=100)

    # The case and the decision, by reference only.
    case_id = models.BigIntegerField("案件标识")
    case_number = models.CharField("案件编号", max_length=60)
    document_id = models.BigIntegerField("决定书标识")
    document_type = models.CharField("文书种类", max_length=40)
    source_sha256 = models.CharField("决定书内容哈希", max_length=64)

    kind = models.CharField("决定类别", max_length=10, choices=PublicationKind.choices)
    title = models.CharField("标题", max_length=200)
    decision_number = models.CharField("决定书文号", max_length=60, blank=True)
    decided_on = models.DateField("决定日期")
    party_display = models.CharField("当事人", max_length=200, blank=True)
    party_kind = models.CharField("当事人类型", max_length=20, blank=True)
    # A keyed hash of the party's ID number or USCC: lets the party prove who
    # they are for the right of reply without the portal reading case tables.
    party_ref = models.CharField(max_length=80, blank=True)
    penalty_types = models.JSONField("处罚种类", default=list, blank=True)
    penalty_content = models.TextField("处罚内容", blank=True)
    fine_amount = models.DecimalField(
        "罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )

    # The obligation (GB118-04/05): due date from the official calendar.
    due_rule = models.CharField("公开期限规则", max_length=60)
    due_on = models.DateField("应公开日期", null=True, blank=True)
    calendar_note = models.CharField("日历说明", max_length=300, blank=True)

    # Redaction. Offsets are into the plain text of the served decision, which
    # is re-derived from the frozen document (its hash is `source_text_sha256`).
    source_text_sha256 = models.CharField(max_length=64, blank=True)
    masks = models.JSONField("遮蔽", default=list, blank=True)
    released = models.JSONField("经审核不予遮蔽的检出项", default=list, blank=True)
    redaction_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    redaction_confirmed_at = models.DateTimeField(null=True, blank=True)
    drafted_at = models.DateTimeField(null=True, blank=True)

    # What is (or was) public.
    text = models.TextField("公开文本", blank=True)
    text_sha256 = models.CharField("公开文本哈希", max_length=64, blank=True)
    manifest = models.JSONField("去标识化清单", default=list, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    correction_note = models.TextField("更正说明", blank=True)

    # Withdrawal (APL-14, PUB-06): the obligation, then the notice.
    withdrawal_cause = models.CharField("撤回原因类别", max_length=20, blank=True)
    withdrawal_due_on = models.DateField("应撤回日期", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawal_reason = models.TextField("撤回理由（公开）", blank=True)
    superseded_at = models.DateTimeField("被更正时间", null=True, blank=True)

    # Publication period (PUB-07, PUB-12, PUB-13).
    period_rule = models.CharField("公示期规则", max_length=60, blank=True)
    period_ends_on = models.DateField("公示期届满日", null=True, blank=True)
    expired_at = models.DateTimeField("停止公示时间", null=True, blank=True)
    removal_reason = models.TextField("提前停止公示的理由", blank=True)

    # Not published, with the reason recorded and listed for the supervisor.
    exempt_reason = models.CharField(
        "不予公开的理由", max_length=20, choices=ExemptReason.choices, blank=True
    )
    exempt_note = models.TextField("不予公开的说明", blank=True)
    exempted_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "执法决定公开信息"
        verbose_name_plural = "执法决定公开信息"
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-decided_on"]),
            models.Index(fields=["agency", "status"]),
            # The portal's ETag: the newest change to anything public.
            models.Index(fields=["updated_at"], name="disclosure_pub_updated_at_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["document_id"],
                condition=Q(previous__isnull=True),
                name="publication_one_obligation_per_decision",
            ),
            models.UniqueConstraint(fields=["series", "version"], name="publication_version_once"),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="publication_withdrawal_has_reason",
                violation_error_message="撤回公示信息必须公开说明理由。",
            ),
            models.CheckConstraint(
                condition=~Q(status="exempt") | ~Q(exempt_reason=""),
                name="publication_exemption_has_reason",
                violation_error_message="不予公开必须记录理由。",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(text_sha256=""),
                name="publication_published_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number or self.case_number} {self.title}"

    @property
    def withdrawal_cause_label(self) -> str:
        return OUTCOME_LABELS.get(self.withdrawal_cause, self.withdrawal_cause)

    @property
    def is_public_text(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def is_current(self) -> bool:
        return self.status != PublicationStatus.SUPERSEDED


class ErrorReport(models.Model):
    """纠错: anyone may report an error in a publication (GB118-07, PUB-09)."""

    class Status(models.TextChoices):
        OPEN = "open", "待答复"
        ANSWERED = "answered", "已答复"

    class Outcome(models.TextChoices):
        CORRECTED = "corrected", "已更正"
        NO_ERROR = "no_error", "经核查无误"
        OTHER = "other", "其他"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="error_reports"
    )
    content = models.TextField("纠错内容")
    # Contact details stay on the staff side; the ledger holds only a hash.
    reporter_name = models.CharField("联系人", max_length=50, blank=True)
    reporter_contact = models.CharField("联系方式", max_length=100, blank=True)
    submitted_at = models.DateTimeField()
    answer_due_on = models.DateField("应答复日期", null=True, blank=True)
    calendar_note = models.CharField("日历说明", max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField("答复", blank=True)
    outcome = models.CharField("处理结果", max_length=12, choices=Outcome.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "纠错申请"
        verbose_name_plural = "纠错申请"
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"纠错 {self.public_id}"


class PartyReply(models.Model):
    """The party's right of reply: a short statement shown beside the
    publication once a moderator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已展示"
        REJECTED = "rejected", "未予展示"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="replies")
    text = models.TextField("说明内容")
    submitted_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderation_note = models.TextField("审核意见", blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "当事人说明"
        verbose_name_plural = "当事人说明"
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"当事人说明 {self.public_id}"


class SearchDocument(models.Model):
    """The search index row of a published publication: CJK unigram + bigram
    tokens (zhifa.disclosure.search.tokens). An FTS5 external-content table on
    SQLite, or a generated tsvector column with a GIN index on PostgreSQL, is
    built over `tokens` by migration 0002."""

    publication = models.OneToOneField(
        Publication, on_delete=models.CASCADE, related_name="search_document"
    )
    tokens = models.TextField()

    class Meta:
        verbose_name = "检索索引"
        verbose_name_plural = "检索索引"

    def __str__(self) -> str:
        return f"索引 {self.publication_id}"
