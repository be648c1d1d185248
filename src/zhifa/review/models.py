"""法制审核: legal review of major enforcement decisions (行政处罚法 第五十八条;
国办发〔2018〕118号 四、（十一）至（十四）, rules.md GB118-16..20, APL-22/23).

A case that needs review is submitted (`ReviewRequest`, one row per round);
the legal unit returns an incomplete submission or assigns a reviewer, who
goes through the eight points of the checklist (`ReviewFinding`) and gives a
written opinion (`ReviewOpinion`, with its frozen 法制审核意见书). On
"problems" the handling unit answers and resubmits (a new round, linked to
the previous one) or disputes the opinion (`Disagreement`), which the agency
head or a 集体讨论 decides. Every row is written by `zhifa.review.services`,
each change with its ledger record; nothing here is edited afterwards.

The gate (`zhifa.review.gate`) reads these rows: an opinion covers exactly the
case it was given on — the fingerprint of the proposed decision, facts,
basis, parties and evidence at submission.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.orgs.scope import AgencyOwnedQuerySet


class Point(models.TextChoices):
    """The review checklist (GB118-18, 国办发〔2018〕118号 四、（十三））."""

    SUBJECT = "subject", "主体是否合法"
    OFFICERS = "officers", "执法人员是否具备资格"
    PROCEDURE = "procedure", "程序是否合法"
    FACTS = "facts", "事实是否清楚，证据是否合法充分"
    LAW = "law", "适用法律是否准确，裁量基准运用是否适当"
    AUTHORITY = "authority", "是否超越职权"
    DOCUMENTS = "documents", "文书是否完备规范"
    CRIME = "crime", "是否涉嫌犯罪需移送"


class FindingKind(models.TextChoices):
    OK = "ok", "未发现问题"
    PROBLEM = "problem", "存在问题"
    NOT_APPLICABLE = "not_applicable", "不适用"


class Result(models.TextChoices):
    AGREE = "agree", "同意"
    PROBLEMS = "problems", "存在问题"


class Suggestion(models.TextChoices):
    CHANGE = "change", "变更"
    CORRECT = "correct", "纠正"
    SUPPLEMENT = "supplement", "补充"
    TRANSFER = "transfer", "移送"


class Material(models.TextChoices):
    """送审材料 the handling unit confirms (GB118-20: it answers for them)."""

    INVESTIGATION_REPORT = "investigation_report", "调查终结报告"
    EVIDENCE = "evidence", "证据材料"
    PROPOSED_DECISION = "proposed_decision", "拟作出的决定"
    HEARING_RECORD = "hearing_record", "听证笔录（如有）"
    COLLECTIVE_RECORD = "collective_record", "集体讨论记录（如有）"
    OTHER = "other", "其他"


class Via(models.TextChoices):
    HEAD = "head", "机关负责人决定"
    COLLECTIVE = "collective", "集体讨论决定"


class Outcome(models.TextChoices):
    UPHELD_REVIEWER = "upheld_reviewer", "维持法制审核意见"
    UPHELD_UNIT = "upheld_unit", "采纳承办机构意见"


class ReviewPolicy(models.Model):
    """An agency's own review parameters (GB118-20: each agency sets its time
    limits). An empty value means the rule in statutes.toml (with regional
    overrides) applies; `zhifa.review.selectors.policy_for` resolves both."""

    agency = models.OneToOneField(
        "orgs.Agency", on_delete=models.PROTECT, related_name="review_policy"
    )
    time_limit_working_days = models.PositiveSmallIntegerField(
        "法制审核期限（工作日）",
        null=True,
        blank=True,
        help_text="留空则适用法定期限与标准中的 review.legal_review_days（地方示例 7 个工作日）。",
    )
    time_limit_basis = models.TextField("审核期限的依据", blank=True)
    extension_max_working_days = models.PositiveSmallIntegerField(
        "经批准最多可延长（工作日）",
        null=True,
        blank=True,
        help_text="留空则适用 review.legal_review_extension。",
    )
    extension_basis = models.TextField("延长期限的依据", blank=True)
    reviewer_ratio = models.DecimalField(
        "法制审核人员占执法人员的比例（不少于）",
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="留空则适用 review.reviewer_ratio（5%，未经核实，只作预警）。",
    )
    reviewer_ratio_basis = models.TextField("比例的依据", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "法制审核设置"
        verbose_name_plural = "法制审核设置"
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_working_days__isnull=True) | ~Q(time_limit_basis=""),
                name="review_policy_time_limit_has_basis",
                violation_error_message="设置审核期限须写明依据。",
            ),
            models.CheckConstraint(
                condition=Q(extension_max_working_days__isnull=True) | ~Q(extension_basis=""),
                name="review_policy_extension_has_basis",
                violation_error_message="设置延长期限须写明依据。",
            ),
            models.CheckConstraint(
                condition=Q(reviewer_ratio__isnull=True)
                | (
                    ~Q(reviewer_ratio_basis="") & Q(reviewer_ratio__gt=0) & Q(reviewer_ratio__lte=1)
                ),
                name="review_policy_ratio_valid",
                violation_error_message="比例应在 0 到 1 之间，并写明依据。",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_working_days__isnull=True)
                | Q(time_limit_working_days__gte=1),
                name="review_policy_time_limit_positive",
                violation_error_message="审核期限至少 1 个工作日。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} 法制审核设置"


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "已送审，待分配"
    RETURNED_INCOMPLETE = "returned_incomplete", "材料不全，已退回"
    UNDER_REVIEW = "under_review", "审核中"
    AGREED = "agreed", "同意"
    PROBLEMS = "problems", "存在问题，待承办机构处理"
    RESUBMITTED = "resubmitted", "存在问题，已答复并重新送审"
    DISPUTED = "disputed", "承办机构有异议，待决定"
    RESOLVED = "resolved", "异议已决定"


class ReviewRequestQuerySet(AgencyOwnedQuerySet):
    def open(self) -> ReviewRequestQuerySet:
        return self.filter(status__in=ReviewRequest.OPEN)

    def awaiting_opinion(self) -> ReviewRequestQuerySet:
        return self.filter(status__in=ReviewRequest.AWAITING_OPINION)


class ReviewRequest(models.Model):
    """One round of legal review of one case."""

    Status = RequestStatus

    # Waiting for the legal unit (no opinion yet).
    AWAITING_OPINION = (Status.SUBMITTED, Status.UNDER_REVIEW)
    # The review is not over: no decision may be made (gate `open`).
    OPEN = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.DISPUTED)

    agency = models.ForeignKey(
        "orgs.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="review_requests"
    )
    round = models.PositiveSmallIntegerField("审核轮次")
    previous = models.OneToOneField(
        "self",
        verbose_name="上一轮",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_round",
    )
    status = models.CharField("状态", max_length=24, choices=Status.choices)

    # What was submitted: the case as it stood (fingerprint) and as it read (snapshot).
    fingerprint = models.CharField("送审时的案件指纹", max_length=64)
    snapshot = models.JSONField("送审内容", default=dict)
    materials = models.JSONField("送审材料清单", default=list)
    note = models.TextField("送审说明", blank=True)
    response = models.TextField(
        "对上一轮审核意见的答复",
        blank=True,
        help_text="上一轮审核存在问题的，承办机构研究处理后的书面答复（重新送审时必填）。",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="送审人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField("送审日期")
    submission_record = models.ForeignKey(
        "cases.CaseRecord", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    # Returned as incomplete (or because the case changed after submission).
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_on = models.DateField("退回日期", null=True, blank=True)
    missing = models.JSONField("缺少的材料", default=list, blank=True)
    return_note = models.TextField("退回说明", blank=True)

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_reviews",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField("分配日期", null=True, blank=True)

    # The time limit (working days from submission) and its extension.
    time_limit_days = models.PositiveSmallIntegerField("审核期限（工作日）")
    time_limit_basis = models.TextField("审核期限依据", blank=True)
    due_on = models.DateField("应完成日期", null=True, blank=True)
    due_note = models.CharField("期限说明", max_length=200, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长（工作日）", null=True, blank=True)
    extension_reason = models.TextField("延长理由", blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extension_approved_on = models.DateField("批准延长日期", null=True, blank=True)
    extended_due_on = models.DateField("延长后应完成日期", null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "法制审核申请"
        verbose_name_plural = "法制审核申请"
        ordering = ["case", "round"]
        indexes = [models.Index(fields=["agency", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="review_round_unique"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["submitted", "under_review", "disputed"]),
                name="review_one_open_per_case",
                violation_error_message="本案已有正在进行的法制审核。",
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="review_round_positive"),
            models.CheckConstraint(
                condition=Q(round=1, previous__isnull=True)
                | Q(round__gt=1, previous__isnull=False),
                name="review_round_links_previous",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values),
                name="review_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="under_review") | Q(reviewer__isnull=False),
                name="review_under_review_has_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} 法制审核第{self.round}轮"

    @property
    def effective_due(self):
        return self.extended_due_on or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ReviewFinding(models.Model):
    """One point of the checklist, as the reviewer found it."""

    request = models.ForeignKey(ReviewRequest, on_delete=models.PROTECT, related_name="findings")
    point = models.CharField("审核要点", max_length=20, choices=Point.choices)
    finding = models.CharField("审核情况", max_length=20, choices=FindingKind.choices)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "审核要点"
        verbose_name_plural = "审核要点"
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "point"], name="review_finding_once"),
            models.CheckConstraint(
                condition=~Q(finding="problem") | ~Q(note=""),
                name="review_problem_finding_has_note",
                violation_error_message="存在问题的审核要点须写明问题。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_point_display()}：{self.get_finding_display()}"


class ReviewOpinion(models.Model):
    """The written opinion (GB118-19) and its issued 法制审核意见书."""

    request = models.OneToOneField(ReviewRequest, on_delete=models.PROTECT, related_name="opinion")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人员",
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField("审核意见", max_length=10, choices=Result.choices)
    suggestions = models.JSONField("审核建议", default=list, blank=True)
    reasons = models.TextField("理由")
    fingerprint = models.CharField("意见所针对的案件指纹", max_length=64)
    opinion_on = models.DateField("出具日期")
    document = models.ForeignKey(
        "cases.Document", verbose_name="法制审核意见书", on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey("ledger.Entry", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "法制审核意见"
        verbose_name_plural = "法制审核意见"
        ordering = ["opinion_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reasons=""),
                name="review_opinion_has_reasons",
                violation_error_message="法制审核意见须写明理由。",
            ),
            models.CheckConstraint(
                condition=Q(result__in=["agree", "problems"]), name="review_opinion_result_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} {self.get_result_display()}"

    @property
    def suggestion_labels(self) -> list[str]:
        return [Suggestion(s).label for s in self.suggestions]


class ReviewerConflict(models.Model):
    """A reviewer's declared conflict of interest on a case (回避, APL-08)."""

    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="reviewer_conflicts"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人员",
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField("回避理由")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_on = models.DateField("提出日期")
    entry = models.ForeignKey("ledger.Entry", on_delete=models.PROTECT, related_name="+")

    objects = AgencyOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "审核人员回避"
        verbose_name_plural = "审核人员回避"
        ordering = ["declared_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reviewer"], name="review_conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.reviewer}"


class ReviewerExperience(models.Model):
    """Penalty legal review done before this platform recorded it.

    APL-23 requires 法律职业资格 of a person reviewing penalty decisions *for
    the first time*; a reviewer who did so before the platform holds no
    opinion here, so the agency head records that experience (with its basis).
    """

    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_experience"
    )
    since = models.DateField("开始从事行政处罚决定法制审核的日期")
    basis = models.TextField("依据（任职文件、审核记录等）")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField("登记日期")
    entry = models.ForeignKey("ledger.Entry", on_delete=models.PROTECT, related_name="+")

    objects = AgencyOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "既往法制审核经历"
        verbose_name_plural = "既往法制审核经历"
        constraints = [
            models.UniqueConstraint(fields=["reviewer"], name="review_experience_once"),
            models.CheckConstraint(condition=~Q(basis=""), name="review_experience_has_basis"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} 自{self.since}"


class Disagreement(models.Model):
    """The handling unit disputes a "problems" opinion; the agency head or a
    集体讨论 decides (GB118-20: each agency sets a coordination mechanism)."""

    request = models.OneToOneField(
        ReviewRequest, on_delete=models.PROTECT, related_name="disagreement"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField("提出日期")
    reasons = models.TextField("异议理由")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    via = models.CharField("决定方式", max_length=12, choices=Via.choices, blank=True)
    participants = models.TextField("参加集体讨论的人员", blank=True)
    outcome = models.CharField("决定结果", max_length=20, choices=Outcome.choices, blank=True)
    decision = models.TextField("决定内容", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    # The fingerprint the decision covers (the request's): upheld_unit agrees to exactly it.
    fingerprint = models.CharField(max_length=64, blank=True)
    document = models.ForeignKey(
        "cases.Document",
        verbose_name="集体讨论记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "审核意见分歧"
        verbose_name_plural = "审核意见分歧"
        ordering = ["raised_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reasons=""), name="review_dispute_has_reasons"),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True, outcome="", via="", decision="")
                | (
                    Q(decided_on__isnull=False, decided_by__isnull=False)
                    & ~Q(outcome="")
                    & ~Q(via="")
                    & ~Q(decision="")
                ),
                name="review_dispute_decided_in_full",
            ),
            models.CheckConstraint(
                condition=~Q(via="collective") | ~Q(participants=""),
                name="review_dispute_collective_has_participants",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} 异议"

    @property
    def is_open(self) -> bool:
        return self.decided_on is None
