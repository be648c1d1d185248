"""The catalog: enforcement items (权责清单), their versions and legal basis,
discretion benchmarks (裁量基准) and the major-decision catalog (重大执法决定
法制审核目录清单).

An item is a stable identity; what it says (name, kind, basis, procedure)
lives in versions that take effect on a date, so a case keeps the version it
was opened under when the law changes.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import models
from django.db.models import Q

from zhifa.orgs.models import Agency, EnforcementCategory, Unit
from zhifa.orgs.scope import AgencyOwnedQuerySet


class ItemKind(models.TextChoices):
    LICENSE = "license", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    LEVY = "levy", "行政征收"
    CONFIRMATION = "confirmation", "行政确认"
    BENEFIT = "benefit", "行政给付"
    RULING = "ruling", "行政裁决"
    OTHER = "other", "其他"


class PenaltyType(models.TextChoices):
    """行政处罚法 第九条 (APL-01), in the order of severity STAT-05 uses."""

    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATE_GAINS = "confiscate_gains", "没收违法所得"
    CONFISCATE_PROPERTY = "confiscate_property", "没收非法财物"
    SUSPEND_PERMIT = "suspend_permit", "暂扣许可证件"
    LOWER_QUALIFICATION = "lower_qualification", "降低资质等级"
    REVOKE_PERMIT = "revoke_permit", "吊销许可证件"
    RESTRICT_BUSINESS = "restrict_business", "限制开展生产经营活动"
    SUSPEND_BUSINESS = "suspend_business", "责令停产停业"
    CLOSE = "close", "责令关闭"
    RESTRICT_PRACTICE = "restrict_practice", "限制从业"
    DETENTION = "detention", "行政拘留"
    OTHER = "other", "法律、行政法规规定的其他行政处罚"


class EnforcementItem(models.Model):
    """One power an agency holds; its content is in `ItemVersion`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField("事项编码", max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgencyOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "执法事项"
        verbose_name_plural = "执法事项"
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"],
                name="item_code_unique_in_agency",
                violation_error_message="本执法主体已有相同编码的执法事项。",
            ),
        ]

    def __str__(self) -> str:
        version = self.versions.order_by("-version").first()
        return f"{self.code} {version.name if version else ''}".strip()

    def version_on(self, day: date) -> ItemVersion | None:
        """The published version in force on `day`."""
        return (
            self.versions.filter(status=ItemVersion.Status.PUBLISHED, effective_from__lte=day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
            .order_by("-effective_from", "-version")
            .first()
        )


class ItemVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        RETIRED = "retired", "已废止"

    item = models.ForeignKey(EnforcementItem, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("版本")
    name = models.CharField("事项名称", max_length=200)
    kind = models.CharField("执法类型", max_length=20, choices=ItemKind.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="承办机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="item_versions",
    )
    category = models.ForeignKey(
        EnforcementCategory,
        verbose_name="执法类别",
        on_delete=models.PROTECT,
        related_name="item_versions",
    )
    random_inspection = models.BooleanField("纳入随机抽查", default=False)
    procedure = models.CharField(
        "适用程序",
        max_length=60,
        help_text="案件引擎的程序定义编号，例如 penalty.general（行政处罚普通程序）。",
    )
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("停止施行日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    change_note = models.CharField("修订说明", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "执法事项版本"
        verbose_name_plural = "执法事项版本"
        ordering = ["item", "version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="item_version_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="item_version_dates_ordered",
                violation_error_message="停止施行日期不能早于施行日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第 {self.version} 版，{self.effective_from} 起施行）"


class LegalBasis(models.Model):
    class Role(models.TextChoices):
        AUTHORITY = "authority", "实施依据"
        VIOLATION = "violation", "违法依据"
        PENALTY = "penalty", "处罚依据"
        PROCEDURE = "procedure", "程序依据"

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="bases")
    role = models.CharField("依据类型", max_length=20, choices=Role.choices, default=Role.AUTHORITY)
    law = models.CharField("法律法规名称", max_length=200)
    article = models.CharField("条", max_length=40)
    clause = models.CharField("款、项", max_length=40, blank=True)
    text = models.TextField("条文内容")

    class Meta:
        verbose_name = "执法依据"
        verbose_name_plural = "执法依据"
        ordering = ["version", "role", "id"]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        return f"《{self.law}》{self.article}{self.clause}"


class Grade(models.TextChoices):
    """Circumstance grades, mildest first (裁量阶次)."""

    NONE = "none", "不予处罚"
    MITIGATED = "mitigated", "减轻处罚"
    LIGHTER = "lighter", "从轻处罚"
    ORDINARY = "ordinary", "一般处罚"
    HEAVIER = "heavier", "从重处罚"


class DiscretionStandard(models.Model):
    """裁量基准 for one violation under a penalty item version."""

    version = models.ForeignKey(
        ItemVersion, on_delete=models.CASCADE, related_name="discretion_standards"
    )
    violation = models.CharField("违法行为", max_length=300)
    basis = models.CharField(
        "裁量依据", max_length=300, help_text="例如：《××省市场监督管理行政处罚裁量权基准》第×条。"
    )

    class Meta:
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"

    def __str__(self) -> str:
        return self.violation


class DiscretionGrade(models.Model):
    standard = models.ForeignKey(
        DiscretionStandard, on_delete=models.CASCADE, related_name="grades"
    )
    grade = models.CharField("裁量阶次", max_length=20, choices=Grade.choices)
    conditions = models.TextField("适用情形")
    # Circumstance codes that, present in the facts, point to this grade
    # (e.g. "first_offence_corrected", "minor_14_18", "repeat_offence").
    circumstances = models.JSONField("情形代码", default=list, blank=True)
    penalty_types = models.JSONField("处罚种类", default=list, blank=True)
    fine_min = models.DecimalField(
        "罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_max = models.DecimalField(
        "罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    gains_multiple_min = models.DecimalField(
        "违法所得倍数下限", max_digits=6, decimal_places=2, null=True, blank=True
    )
    gains_multiple_max = models.DecimalField(
        "违法所得倍数上限", max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "裁量阶次"
        verbose_name_plural = "裁量阶次"
        ordering = ["standard", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "grade"],
                name="discretion_grade_unique",
                violation_error_message="同一裁量基准的每个阶次只能设置一次。",
            ),
            models.CheckConstraint(
                condition=Q(fine_min__isnull=True)
                | Q(fine_max__isnull=True)
                | Q(fine_min__lte=models.F("fine_max")),
                name="discretion_fine_range_ordered",
                violation_error_message="罚款下限不能高于上限。",
            ),
            models.CheckConstraint(
                condition=Q(gains_multiple_min__isnull=True)
                | Q(gains_multiple_max__isnull=True)
                | Q(gains_multiple_min__lte=models.F("gains_multiple_max")),
                name="discretion_multiple_range_ordered",
                violation_error_message="违法所得倍数下限不能高于上限。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard} · {self.get_grade_display()}"


class PartyKind(models.TextChoices):
    NATURAL = "natural", "公民"
    ORGANISATION = "organisation", "法人或其他组织"
    ANY = "any", "不限"


class MajorDecisionCriterion(models.Model):
    """One line of an agency's 重大执法决定法制审核目录清单."""

    class Kind(models.TextChoices):
        PENALTY_TYPE = "penalty_type", "处罚种类"
        AMOUNT = "amount", "罚没金额达到标准"
        HEARING = "hearing", "经过听证程序"
        DIFFICULT = "difficult", "案情疑难复杂、涉及多个法律关系"
        PUBLIC_INTEREST = "public_interest", "涉及重大公共利益"
        OUTSIDE_BENCHMARK = "outside_benchmark", "超出裁量基准作出决定"
        OTHER_LAW = "other_law", "法律法规规定的其他情形"

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="major_decision_criteria"
    )
    item = models.ForeignKey(
        EnforcementItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="major_decision_criteria",
        help_text="留空则适用本机关全部事项。",
    )
    kind = models.CharField("情形", max_length=30, choices=Kind.choices)
    penalty_types = models.JSONField("处罚种类", default=list, blank=True)
    party_kind = models.CharField(
        "当事人类型", max_length=20, choices=PartyKind.choices, default=PartyKind.ANY
    )
    amount_threshold = models.DecimalField(
        "金额标准（元，达到即需审核）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.CharField("说明", max_length=300)
    citation = models.CharField("依据", max_length=300)

    class Meta:
        verbose_name = "重大执法决定审核情形"
        verbose_name_plural = "重大执法决定法制审核目录清单"
        ordering = ["agency", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(citation=""),
                name="major_criterion_cited",
                violation_error_message="每一项审核情形都必须写明依据。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name} · {self.get_kind_display()} · {self.description}"


class AgencyCatalogSettings(models.Model):
    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="catalog_settings")
    review_all_general_procedure = models.BooleanField(
        "普通程序决定全部法制审核",
        default=False,
        help_text="开启后，本机关按普通程序作出的全部行政处罚决定都须经法制审核（国家鼓励的做法）。",
    )
    supervision_channels = models.TextField(
        "监督方式",
        blank=True,
        help_text="向社会公开的监督方式（投诉举报电话、信箱、网址等）。留空时显示监督本机关的司法行政部门。",
    )
    remedies = models.TextField(
        "救济渠道",
        blank=True,
        help_text="向社会公开的救济渠道。留空时按法律规定显示行政复议、行政诉讼的期限。",
    )

    class Meta:
        verbose_name = "执法事项设置"
        verbose_name_plural = "执法事项设置"

    def __str__(self) -> str:
        return f"{self.agency} 设置"


# --------------------------------------------------------------------------
# 事前公开 lists: 音像记录事项清单, 随机抽查事项清单, 服务指南
# --------------------------------------------------------------------------


class AvStep(models.TextChoices):
    """Enforcement steps an audio-video recording rule can name (GB118-13/14)."""

    ONSITE_INSPECTION = "onsite_inspection", "现场检查"
    SEIZURE = "seizure", "查封扣押"
    DEMOLITION = "demolition", "强制拆除"
    HEARING = "hearing", "听证"
    SERVICE_LEAVING = "service_leaving", "留置送达"
    SERVICE_NOTICE = "service_notice", "公告送达"


class AvRequirement(models.TextChoices):
    FULL = "full", "全程音像记录"
    KEY = "key", "关键环节音像记录"
    OPTIONAL = "optional", "可选"


class AvRecordingRule(models.Model):
    """One line of an agency's 音像记录事项清单."""

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="av_rules"
    )
    item = models.ForeignKey(
        EnforcementItem,
        verbose_name="执法事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="av_rules",
        help_text="留空则适用本机关全部事项。",
    )
    step = models.CharField("执法环节", max_length=30, choices=AvStep.choices)
    requirement = models.CharField("记录要求", max_length=10, choices=AvRequirement.choices)
    citation = models.CharField("依据", max_length=300)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "音像记录事项"
        verbose_name_plural = "音像记录事项清单"
        ordering = ["agency", "item", "step"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(citation=""),
                name="av_rule_cited",
                violation_error_message="每一项音像记录要求都必须写明依据。",
            ),
            models.UniqueConstraint(
                fields=["agency", "step"],
                condition=Q(item__isnull=True),
                name="av_rule_unique_agency_step",
                violation_error_message="本机关已有该执法环节的通用音像记录要求。",
            ),
            models.UniqueConstraint(
                fields=["agency", "item", "step"],
                condition=Q(item__isnull=False),
                name="av_rule_unique_item_step",
                violation_error_message="该执法事项已有该执法环节的音像记录要求。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} · {self.get_requirement_display()}"


class RandomInspectionItem(models.Model):
    """One line of an agency's 随机抽查事项清单 (DR-01: 抽查依据、主体、内容、方式)."""

    agency = models.ForeignKey(
        Agency,
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="random_inspection_items",
    )
    item = models.ForeignKey(
        EnforcementItem,
        verbose_name="检查事项",
        on_delete=models.PROTECT,
        related_name="random_inspection_entries",
    )
    inspecting_body = models.CharField("抽查主体", max_length=200)
    basis = models.TextField("抽查依据")
    targets = models.CharField("抽查对象", max_length=300)
    content = models.TextField("抽查内容")
    ratio = models.DecimalField(
        "抽查比例",
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="0 至 1 之间的小数，例如 0.05 表示 5%；留空表示按年度计划确定。",
    )
    method = models.CharField("抽查方式", max_length=200)
    frequency = models.CharField("抽查频次", max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "随机抽查事项"
        verbose_name_plural = "随机抽查事项清单"
        ordering = ["agency", "item", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ratio__isnull=True) | (Q(ratio__gte=0) & Q(ratio__lte=1)),
                name="random_inspection_ratio_range",
                violation_error_message="抽查比例应在 0 至 1 之间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.targets}"


class ServiceGuide(models.Model):
    """服务指南 of one item version (GB118-01)."""

    version = models.OneToOneField(
        ItemVersion, verbose_name="事项版本", on_delete=models.CASCADE, related_name="guide"
    )
    accepting_unit = models.CharField("受理机构", max_length=200)
    approving_unit = models.CharField("审批机构", max_length=200)
    conditions = models.TextField("受理条件")
    materials = models.TextField("申请材料")
    process = models.TextField("办理流程", help_text="每行一个步骤。")
    time_limit = models.CharField("办理时限", max_length=200)
    fees = models.CharField("收费标准", max_length=200, blank=True)
    supervision = models.CharField("监督投诉渠道", max_length=300, blank=True)
    remedies = models.TextField("救济渠道")
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    address = models.CharField("办理地点", max_length=300, blank=True)
    telephone = models.CharField("咨询电话", max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "服务指南"
        verbose_name_plural = "服务指南"

    def __str__(self) -> str:
        return f"{self.version.name} 服务指南"

    @property
    def process_steps(self) -> list[str]:
        return [line.strip() for line in self.process.splitlines() if line.strip()]


class Handbook(models.Model):
    """执法工作手册: an agency's lists compiled into one PDF and DOCX, filed
    (备案) with the supervising justice bureau. Each compilation is a new
    version; a returned version is superseded by compiling again."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送备案"
        ACCEPTED = "accepted", "已备案"
        RETURNED = "returned", "已退回"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="handbooks"
    )
    version = models.PositiveIntegerField("版本")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    pdf = models.ForeignKey(
        "ledger.EvidenceBlob",
        verbose_name="PDF 文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    docx_name = models.CharField("DOCX 存储名", max_length=200, blank=True)
    docx_sha256 = models.CharField("DOCX SHA-256", max_length=64, blank=True)
    compiled_at = models.DateTimeField("编制时间", null=True, blank=True)
    compiled_by = models.ForeignKey(
        "orgs.User",
        verbose_name="编制人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    decided_at = models.DateTimeField("审查时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        "orgs.User",
        verbose_name="审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comments = models.TextField("审查意见", blank=True)

    class Meta:
        verbose_name = "执法工作手册"
        verbose_name_plural = "执法工作手册"
        ordering = ["agency", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "version"], name="handbook_agency_version")
        ]

    def __str__(self) -> str:
        return f"{self.agency.name} 执法工作手册 第{self.version}版"
