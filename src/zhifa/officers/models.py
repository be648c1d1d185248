"""Officers (执法人员), auxiliaries (执法辅助人员) and their certificates (执法证件).

National law sets the principles (行政处罚法 第四十二条: only qualified
officers, at least two); exams, validity and annual review are provincial
(rules.md CERT-06/07 are examples), so their numbers are rules that regions
override. Every change of status goes through `services` and is recorded in
the ledger.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.orgs.models import Agency, EnforcementCategory, Region, Unit
from zhifa.orgs.scope import AgencyOwnedQuerySet


class EmploymentStatus(models.TextChoices):
    ESTABLISHED = "established", "在编"
    EMPLOYED = "employed", "在职（非在编）"
    OTHER = "other", "编外聘用"


# CERT-06 (b), a provincial model: only on-staff (在编/在职) personnel may
# hold a certificate.
ELIGIBLE_STATUSES = frozenset({EmploymentStatus.ESTABLISHED, EmploymentStatus.EMPLOYED})


class LeaveReason(models.TextChoices):
    TRANSFER = "transfer", "调动"
    RESIGNATION = "resignation", "辞职"
    RETIREMENT = "retirement", "退休"
    DISMISSAL = "dismissal", "辞退"
    CRIMINAL_PENALTY = "criminal_penalty", "受到刑事处罚"


class OfficerQuerySet(AgencyOwnedQuerySet):
    def on_post(self) -> OfficerQuerySet:
        return self.filter(left_on__isnull=True)


class Officer(models.Model):
    """A person who enforces (or, with `is_auxiliary`, assists) for one agency."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="officers"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="承办机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="平台账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )
    name = models.CharField("姓名", max_length=50)
    # Never shown publicly; masked on staff pages unless the viewer administers personnel.
    id_number = models.CharField("公民身份号码", max_length=18)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    post = models.CharField("岗位", max_length=100)
    employment_status = models.CharField(
        "编制状态", max_length=20, choices=EmploymentStatus.choices
    )
    is_auxiliary = models.BooleanField(
        "执法辅助人员",
        default=False,
        help_text="辅助人员没有执法资格，只能在执法人员指挥下从事辅助工作，不能单独执法，不能签名。",
    )
    left_on = models.DateField("离岗日期", null=True, blank=True)
    left_reason = models.CharField(
        "离岗原因", max_length=20, choices=LeaveReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "id_number"],
                name="officer_unique_in_agency",
                violation_error_message="本执法主体已登记该公民身份号码的人员。",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True, left_reason="")
                | Q(left_on__isnull=False) & ~Q(left_reason=""),
                name="officer_leaving_has_reason",
                violation_error_message="离岗日期和离岗原因必须同时填写。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.agency.short_name}）"

    @property
    def on_post(self) -> bool:
        return self.left_on is None

    @property
    def masked_id_number(self) -> str:
        n = self.id_number or ""
        return n[:3] + "*" * max(len(n) - 7, 0) + n[-4:] if len(n) > 7 else "*" * len(n)


class ExamKind(models.TextChoices):
    GENERAL = "general", "通用法律知识"
    PROFESSIONAL = "professional", "专业法律知识"


class Exam(models.Model):
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="exams")
    kind = models.CharField("考试类型", max_length=20, choices=ExamKind.choices)
    category = models.ForeignKey(
        EnforcementCategory,
        verbose_name="专业类别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="专业法律知识考试所属的执法类别。",
    )
    taken_on = models.DateField("考试日期")
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField("是否通过")

    class Meta:
        verbose_name = "资格考试"
        verbose_name_plural = "资格考试"
        ordering = ["officer", "-taken_on"]

    def __str__(self) -> str:
        return f"{self.officer.name} {self.get_kind_display()} {self.taken_on}"


class Training(models.Model):
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="trainings")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("培训名称", max_length=200)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    completed_on = models.DateField("完成日期")

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        ordering = ["officer", "-completed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="training_hours_positive",
                violation_error_message="学时必须大于 0。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer.name} {self.title}"


class LegalQualification(models.Model):
    """法律职业资格: required of a first-time penalty legal reviewer (APL-23)."""

    officer = models.OneToOneField(
        Officer, on_delete=models.PROTECT, related_name="legal_qualification"
    )
    certificate_number = models.CharField("法律职业资格证书编号", max_length=40, unique=True)
    obtained_on = models.DateField("取得日期")

    class Meta:
        verbose_name = "法律职业资格"
        verbose_name_plural = "法律职业资格"

    def __str__(self) -> str:
        return f"{self.officer.name} {self.certificate_number}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"
    EXPIRED = "expired", "过期"


class CertificateQuerySet(AgencyOwnedQuerySet):
    def valid_on(self, day: date) -> CertificateQuerySet:
        return self.filter(status=CertificateStatus.VALID, issued_on__lte=day, expires_on__gte=day)


class Certificate(models.Model):
    """执法证件: what the certificate allows (categories, area) and until when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(
        "证件编号",
        max_length=40,
        unique=True,
        error_messages={"unique": "证件编号已存在：每个执法证件编号只能登记一次。"},
    )
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="certificates")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="certificates")
    categories = models.ManyToManyField(
        EnforcementCategory, verbose_name="执法类别", related_name="certificates"
    )
    area = models.ForeignKey(
        Region, verbose_name="执法区域", on_delete=models.PROTECT, related_name="certificates"
    )
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")
    status = models.CharField(
        "状态", max_length=20, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    status_reason = models.CharField("状态原因", max_length=200, blank=True)
    handed_back_on = models.DateField("证件交回日期", null=True, blank=True)
    renewed_from = models.OneToOneField(
        "self",
        verbose_name="换发自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewed_by",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = "执法证件"
        verbose_name_plural = "执法证件"
        ordering = ["agency", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")),
                name="certificate_expires_after_issue",
                violation_error_message="有效期至必须晚于发证日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}（{self.officer.name}）"

    def is_valid_on(self, day: date) -> bool:
        return self.status == CertificateStatus.VALID and self.issued_on <= day <= self.expires_on

    def status_on(self, day: date) -> str:
        """The status as it stands on `day` (a valid certificate past its date is expired)."""
        if self.status == CertificateStatus.VALID and day > self.expires_on:
            return CertificateStatus.EXPIRED
        return self.status


class CertificateEvent(models.Model):
    """Every change of a certificate's status, with its reason (and its ledger record)."""

    class Action(models.TextChoices):
        ISSUED = "issued", "发证"
        SUSPENDED = "suspended", "暂扣"
        REINSTATED = "reinstated", "恢复"
        REVOKED = "revoked", "注销"
        EXPIRED = "expired", "过期"
        RENEWED = "renewed", "换发"
        HANDED_BACK = "handed_back", "交回证件"
        REVIEWED = "reviewed", "年审"

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("事项", max_length=20, choices=Action.choices)
    reason = models.CharField("原因", max_length=200, blank=True)
    on_date = models.DateField("日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ledger_seq = models.BigIntegerField("全过程记录序号")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "证件变动"
        verbose_name_plural = "证件变动"
        ordering = ["certificate", "created_at"]

    def __str__(self) -> str:
        return f"{self.certificate.number} {self.get_action_display()} {self.on_date}"


class ReviewOutcome(models.TextChoices):
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class AnnualReview(models.Model):
    """年审: one per certificate and year, due on the configured date."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="annual_reviews"
    )
    year = models.PositiveSmallIntegerField("年度")
    due_on = models.DateField("应审日期")
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=ReviewOutcome.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "年审"
        verbose_name_plural = "年审"
        ordering = ["certificate", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "year"],
                name="annual_review_unique",
                violation_error_message="该证件本年度的年审已登记。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate.number} {self.year} 年审"

    def is_overdue(self, today: date) -> bool:
        return not self.outcome and today > self.due_on


class CertificationTarget(models.Model):
    """持证率目标 for a region: no national figure exists, so each region sets
    its own (with the local document that sets it); without one, rates are
    shown but not judged."""

    region = models.OneToOneField(
        Region,
        verbose_name="行政区划",
        on_delete=models.PROTECT,
        related_name="certification_target",
    )
    department_target = models.DecimalField("部门持证率目标", max_digits=4, decimal_places=3)
    township_target = models.DecimalField("乡镇（街道）持证率目标", max_digits=4, decimal_places=3)
    basis = models.CharField("依据", max_length=200, help_text="设定该目标的本地文件名称与条款。")

    class Meta:
        verbose_name = "持证率目标"
        verbose_name_plural = "持证率目标"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    department_target__gt=0,
                    department_target__lte=1,
                    township_target__gt=0,
                    township_target__lte=1,
                ),
                name="certification_target_is_a_share",
                violation_error_message="持证率目标应在 0 到 1 之间（例如 0.7 表示 70%%）。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} 持证率目标"
