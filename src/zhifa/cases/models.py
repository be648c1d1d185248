"""Cases (案件) and what a case is made of: parties, officers, records of
each step, evidence, documents, deadlines, payments.

A case's `status` is the code of a state in its procedure definition
(`zhifa.procedures`) and is written only by the engine (`zhifa.cases.engine`):
`Case.save()` refuses any other change of it.
"""

from __future__ import annotations

import contextvars
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhifa.orgs.scope import AgencyOwnedQuerySet

# Set by the engine while it writes a status; nothing else may.
engine_writing: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "engine_writing", default=False
)


class SourceKind(models.TextChoices):
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    INSPECTION = "inspection", "监督检查发现"
    REFERRAL = "referral", "其他机关移送"
    ASSIGNED = "assigned", "上级交办"
    OTHER = "other", "其他"


class DecisionKind(models.TextChoices):
    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    TRANSFER = "transfer", "移送司法机关"
    CANCEL = "cancel", "撤销立案"


class OutcomeKind(models.TextChoices):
    """What reconsideration, litigation or self-correction did to a decision."""

    UPHELD = "upheld", "维持"
    CHANGED = "changed", "变更"
    REVOKED = "revoked", "撤销"
    ILLEGAL = "illegal", "确认违法"
    VOID = "void", "确认无效"


class CaseQuerySet(AgencyOwnedQuerySet):
    def open(self) -> CaseQuerySet:
        return self.filter(closed_on__isnull=True).exclude(status="not_filed")

    def search(self, text: str) -> CaseQuerySet:
        text = (text or "").strip()
        if not text:
            return self
        # A whole case number, as staff paste it from a document, is found by
        # its unique index instead of a LIKE over every case (bench/case_list.py).
        exact = self.filter(number=text)
        if exact.exists():
            return exact
        # The parties' match is a subquery of case ids, not a join: the
        # database scans the parties once instead of once per case it walks,
        # and no DISTINCT is needed (bench/case_list.py).
        parties = Party.objects.filter(name__icontains=text).values("case_id")
        return self.filter(Q(number__icontains=text) | Q(title__icontains=text) | Q(pk__in=parties))

    def assigned_to(self, user) -> CaseQuerySet:
        return self.filter(
            Q(handler=user)
            | Q(case_officers__officer__user=user, case_officers__removed_on__isnull=True)
        ).distinct()


class Case(models.Model):
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="承办机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    number = models.CharField("案件编号", max_length=60, unique=True)
    procedure = models.CharField("程序", max_length=40)
    status = models.CharField("状态", max_length=30, editable=False)
    title = models.CharField("案由", max_length=200)

    source_kind = models.CharField("案件来源", max_length=20, choices=SourceKind.choices)
    source_detail = models.TextField("来源说明", blank=True)
    source_received_on = models.DateField("发现或收到日期")

    item = models.ForeignKey(
        "catalog.EnforcementItem",
        verbose_name="执法事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    item_version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name="适用的事项版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    region = models.ForeignKey(
        "orgs.Region", verbose_name="违法行为发生地", on_delete=models.PROTECT, related_name="cases"
    )
    place = models.CharField("地点", max_length=200, blank=True)
    act_date = models.DateField("违法行为发生日期", null=True, blank=True)
    act_ended_on = models.DateField(
        "连续或者继续状态终了日期",
        null=True,
        blank=True,
        help_text="违法行为有连续或者继续状态的，追责时效自行为终了之日起计算（行政处罚法第三十六条）。",
    )
    safety_harm = models.BooleanField(
        "涉及生命健康安全、金融安全且有危害后果",
        default=False,
        help_text="是则追责时效为五年（行政处罚法第三十六条）。",
    )

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="主办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    # What the case found and proposes (调查终结报告), fixed at the decision.
    facts = models.TextField("违法事实", blank=True)
    legal_basis = models.TextField("处罚依据", blank=True)
    decision_kind = models.CharField(
        "处理意见", max_length=20, choices=DecisionKind.choices, blank=True
    )
    penalty_types = models.JSONField("处罚种类", default=list, blank=True)
    fine_amount = models.DecimalField(
        "罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    confiscation_amount = models.DecimalField(
        "没收违法所得、非法财物价值（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    illegal_gains = models.DecimalField(
        "违法所得（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    discretion_standard = models.ForeignKey(
        "catalog.DiscretionStandard",
        verbose_name="适用的裁量基准",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    discretion_grade = models.CharField("裁量阶次", max_length=20, blank=True)
    circumstances = models.JSONField("裁量情形", default=list, blank=True)
    outside_benchmark_reasons = models.TextField("超出裁量基准的理由", blank=True)
    complex_or_serious = models.BooleanField("情节复杂或者重大违法行为", default=False)
    public_interest = models.BooleanField("涉及重大公共利益", default=False)
    difficult = models.BooleanField("案件疑难复杂、涉及多个法律关系", default=False)

    # 事先告知 (APL-09/10): what the party was told, the ceiling after defence.
    notified_on = models.DateField("事先告知日期", null=True, blank=True)
    notified_fine = models.DecimalField(
        "告知的罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    notified_types = models.JSONField("告知的处罚种类", default=list, blank=True)
    hearing_right = models.BooleanField("享有听证权利", default=False)
    statement_waived = models.BooleanField("当事人明确放弃陈述申辩", default=False)
    # A waiver of 陈述、申辩 is not a waiver of the hearing: only an express one
    # ends the five working days to ask for a hearing early (行政处罚法 第六十四条).
    hearing_waived = models.BooleanField("当事人明确放弃听证权利", default=False)

    registered_on = models.DateField("登记日期")
    filed_on = models.DateField("立案日期", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    decision_number = models.CharField("决定书文号", max_length=60, blank=True)

    # Execution (执行).
    payment_due = models.DateField("缴款期限", null=True, blank=True)
    paid_amount = models.DecimalField(
        "已缴金额（元）", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    collected_on_spot = models.BooleanField("当场收缴", default=False)
    court_applied_on = models.DateField("申请法院强制执行日期", null=True, blank=True)
    e_service_consent = models.BooleanField("当事人已签署电子送达确认书", default=False)
    outcome_kind = models.CharField(
        "复议、诉讼或纠错结果", max_length=20, choices=OutcomeKind.choices, blank=True
    )
    outcome_on = models.DateField("结果日期", null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["procedure", "status"]),
            # The lists' order (newest registration first): a page is read
            # off this index instead of sorting every visible case
            # (bench/case_list.py).
            models.Index(fields=["-registered_on", "-id"], name="case_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fine_amount__isnull=True) | Q(fine_amount__gte=0),
                name="case_fine_not_negative",
                violation_error_message="罚款金额不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is None:
            if not engine_writing.get():
                raise ValidationError("案件只能通过办案服务登记（zhifa.cases.services）。")
        elif not engine_writing.get():
            stored = Case.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != self.status:
                raise ValidationError("案件状态只能由办案引擎按程序定义改变。")
        super().save(*args, **kwargs)

    @property
    def definition(self):
        from zhifa.procedures import get_procedure

        return get_procedure(self.procedure)

    @property
    def state(self):
        return self.definition.state(self.status)

    @property
    def status_label(self) -> str:
        return self.state.label

    @property
    def is_summary(self) -> bool:
        return self.procedure == "penalty.summary"

    @property
    def has_fine(self) -> bool:
        return bool(self.fine_amount) and "fine" in (self.penalty_types or [])

    @property
    def party_kind(self) -> str:
        party = self.parties.first()
        return party.kind if party else "natural"


class Party(models.Model):
    class Kind(models.TextChoices):
        NATURAL = "natural", "公民"
        ORGANISATION = "organisation", "法人或者其他组织"

    class IdType(models.TextChoices):
        RESIDENT = "resident", "居民身份证"
        PASSPORT = "passport", "护照"
        OTHER = "other", "其他证件"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField("当事人类型", max_length=20, choices=Kind.choices)
    name = models.CharField("姓名或名称", max_length=200)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人或负责人", max_length=60, blank=True)
    address = models.CharField("住所或地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    is_minor = models.BooleanField("违法行为发生时未成年", default=False)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class CaseOfficer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_officers")
    officer = models.ForeignKey(
        "officers.Officer", on_delete=models.PROTECT, related_name="case_assignments"
    )
    is_lead = models.BooleanField("主办", default=False)
    assigned_on = models.DateField("指派日期")
    removed_on = models.DateField("回避或调离日期", null=True, blank=True)
    removed_reason = models.CharField("原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "承办人员"
        verbose_name_plural = "承办人员"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "officer"],
                condition=Q(removed_on__isnull=True),
                name="case_officer_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.officer_id}"


class Recusal(models.Model):
    class RaisedBy(models.TextChoices):
        SELF = "self", "执法人员自行回避"
        PARTY = "party", "当事人申请"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recusals")
    officer = models.ForeignKey(
        "officers.Officer", on_delete=models.PROTECT, related_name="recusals"
    )
    raised_by = models.CharField("提出方", max_length=10, choices=RaisedBy.choices)
    reason = models.TextField("理由")
    raised_on = models.DateField("提出日期")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    granted = models.BooleanField("准予回避", null=True)
    decision_reason = models.TextField("决定理由", blank=True)

    class Meta:
        verbose_name = "回避"
        verbose_name_plural = "回避"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"回避申请 {self.officer_id}"


class CaseRecord(models.Model):
    """One fired transition: the timeline of the case. Append-only by use."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="records")
    transition = models.CharField("环节", max_length=40)
    label = models.CharField("环节名称", max_length=60)
    from_state = models.CharField(max_length=30)
    to_state = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    entry = models.ForeignKey("ledger.Entry", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "办案记录"
        verbose_name_plural = "办案记录"
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.label} {self.occurred_at:%Y-%m-%d}"

    @property
    def on(self) -> date:
        """The date the step happened (its form's `on`), which may be earlier
        than the day it was entered (`occurred_at`)."""
        raw = (self.data or {}).get("on")
        if isinstance(raw, str):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        return timezone.localdate(self.occurred_at)

    @property
    def recorded_on(self) -> date:
        """The day the record was entered, in local time."""
        return timezone.localdate(self.occurred_at)


class EvidenceKind(models.TextChoices):
    """证据种类, 行政处罚法 第四十六条 (APL-12)."""

    DOCUMENTARY = "documentary", "书证"
    PHYSICAL = "physical", "物证"
    AUDIOVISUAL = "audiovisual", "视听资料"
    ELECTRONIC = "electronic", "电子数据"
    TESTIMONY = "testimony", "证人证言"
    STATEMENT = "statement", "当事人的陈述"
    EXPERT = "expert", "鉴定意见"
    RECORD = "record", "勘验笔录、现场笔录"


class CaseEvidence(models.Model):
    class Source(models.TextChoices):
        PHONE = "phone", "手机现场采集"
        DESK = "desk", "办公室上传"
        BODYCAM = "bodycam", "执法记录仪导入"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    blob = models.ForeignKey(
        "ledger.EvidenceBlob", on_delete=models.PROTECT, related_name="case_uses"
    )
    kind = models.CharField("证据种类", max_length=20, choices=EvidenceKind.choices)
    title = models.CharField("名称", max_length=200)
    step = models.CharField("执法环节", max_length=40, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    captured_at = models.DateTimeField("采集时间", null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField("定位精度（米）", null=True, blank=True)
    device = models.CharField("采集设备", max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    entry = models.ForeignKey("ledger.Entry", on_delete=models.PROTECT, related_name="+")
    # The phone's upload queue gives each file a key (scoped to the user by
    # the view). A resend after a lost answer finds this row and is answered
    # as a success instead of attaching the file twice or being refused.
    client_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "blob"], name="case_evidence_once"),
            models.UniqueConstraint(
                fields=["case", "client_key"],
                condition=~Q(client_key=""),
                name="case_evidence_client_key_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_recording(self) -> bool:
        return self.blob.media_type.startswith(("audio/", "video/"))


class Document(models.Model):
    """一份执法文书. Drafts stay editable; issuing freezes content and hash."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ISSUED = "issued", "已签发"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField("文书种类", max_length=40)
    title = models.CharField("标题", max_length=100)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField("文号", max_length=60, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    serial = models.PositiveIntegerField(null=True, blank=True)
    content = models.JSONField("内容", default=dict)
    transition = models.CharField("所属环节", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content_sha256 = models.CharField(max_length=64, blank=True)
    docx = models.ForeignKey(
        "ledger.EvidenceBlob", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.ForeignKey(
        "ledger.EvidenceBlob", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(
        "ledger.Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], condition=~Q(number=""), name="document_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()


class DocumentSequence(models.Model):
    """The last serial issued per agency, number series and year: gapless."""

    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    series = models.CharField("文号类别", max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "series", "year"], name="document_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series}〔{self.year}〕{self.last}"


class Deadline(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    code = models.CharField(max_length=30)
    label = models.CharField("期限", max_length=60)
    rule = models.CharField("规则", max_length=60)
    started_on = models.DateField("起算日")
    due = models.DateField("届满日", null=True, blank=True)
    outer_limit = models.DateField("节假日顺延后的届满日", null=True, blank=True)
    extended_to = models.DateField("延长至", null=True, blank=True)
    extension_basis = models.TextField("延长依据", blank=True)
    calendar_note = models.CharField("日历说明", max_length=200, blank=True)
    stopped_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "办案期限"
        verbose_name_plural = "办案期限"
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "code"],
                condition=Q(stopped_on__isnull=True),
                name="deadline_one_running",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def effective_due(self):
        return self.extended_to or self.outer_limit or self.due


class Payment(models.Model):
    class Channel(models.TextChoices):
        BANK = "bank", "指定银行"
        E_PAYMENT = "e_payment", "电子支付"
        ON_SPOT = "on_spot", "当场收缴"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    paid_on = models.DateField("缴纳日期")
    channel = models.CharField("缴纳方式", max_length=10, choices=Channel.choices)
    receipt_number = models.CharField("票据或凭证号", max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "缴款"
        verbose_name_plural = "缴款"
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.amount} 元"


class PaymentPlan(models.Model):
    class Kind(models.TextChoices):
        DEFERRAL = "deferral", "暂缓缴纳"
        INSTALMENTS = "instalments", "分期缴纳"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payment_plans")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField("申请理由")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField()
    schedule = models.JSONField("期次", default=list)  # [{"due": "YYYY-MM-DD", "amount": "100.00"}]

    class Meta:
        ordering = ["approved_on", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class RemedyPeriod(models.Model):
    """Reconsideration or litigation: the surcharge does not run meanwhile (APL-34)."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", "行政复议"
        LITIGATION = "litigation", "行政诉讼"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remedy_periods")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    body = models.CharField("复议机关或法院", max_length=100)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Hearing(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="hearing")
    requested_on = models.DateField("提出听证要求日期")
    notified_on = models.DateField("通知日期", null=True, blank=True)
    held_on = models.DateField("举行日期", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    presider = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public = models.BooleanField("公开举行", default=True)
    held = models.BooleanField("已举行", default=False)
    party_absent = models.BooleanField("当事人无正当理由缺席或中途退出（视为放弃）", default=False)

    class Meta:
        verbose_name = "听证"
        verbose_name_plural = "听证"

    def __str__(self) -> str:
        return f"听证 {self.case_id}"
