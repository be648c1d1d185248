"""Reads about legal review: the agency's parameters, who may review a case,
the reviewer's queue, a case's rounds, overdue requests, the staffing
warning (GB118-16) and the figures per agency (issue #7 item 7).

Every function here is read-only; `zhifa.review.services` writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhifa.cases.errors import Refusal
from zhifa.cases.models import Case
from zhifa.cases.selectors import ever_assigned_users
from zhifa.orgs.models import Agency, Role, RoleAssignment, User
from zhifa.review import law
from zhifa.review.models import (
    Disagreement,
    Point,
    Result,
    ReviewerConflict,
    ReviewerExperience,
    ReviewOpinion,
    ReviewPolicy,
    ReviewRequest,
)
from zhifa.rules.services import RuleNotConfigured, resolve_rule_value
from zhifa.workdays.calendar import CalendarNotAvailable, WorkCalendar

S = ReviewRequest.Status

RULE_DAYS = "review.legal_review_days"
RULE_EXTENSION = "review.legal_review_extension"
RULE_RATIO = "review.reviewer_ratio"


def _ymd(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------------------
# The agency's parameters


@dataclass(frozen=True)
class Policy:
    """The parameters in force for an agency, each with where it comes from."""

    time_limit_days: int
    time_limit_basis: str
    extension_max_days: int | None  # None: neither the agency nor the region set one
    extension_basis: str
    reviewer_ratio: Decimal
    reviewer_ratio_basis: str


def _rule(rule_id: str, agency: Agency, on: date | None) -> tuple[Decimal, str]:
    resolved = resolve_rule_value(rule_id, region_code=agency.region.code, on_date=on)
    status = {"L": "地方示例，可由本机关另行设置", "U": "未经核实，只作预警"}.get(
        resolved.rule.status, ""
    )
    basis = resolved.basis + (f"（{status}）" if status and resolved.override is None else "")
    return resolved.value, basis


def policy_for(agency: Agency, on: date | None = None) -> Policy:
    """The agency's `ReviewPolicy` where it sets a value, else the rule
    (statutes.toml with the region's overrides) — GB118-20 leaves the time
    limit to each agency; the 5% ratio is unverified (status U)."""
    row = ReviewPolicy.objects.filter(agency=agency).first()
    if row and row.time_limit_working_days:
        days, days_basis = row.time_limit_working_days, f"本机关规定：{row.time_limit_basis}"
    else:
        value, days_basis = _rule(RULE_DAYS, agency, on)
        days = int(value)
    if row and row.extension_max_working_days is not None:
        ext: int | None = row.extension_max_working_days
        ext_basis = f"本机关规定：{row.extension_basis}"
    else:
        try:
            value, ext_basis = _rule(RULE_EXTENSION, agency, on)
            ext = int(value)
        except RuleNotConfigured as exc:
            ext, ext_basis = None, str(exc)
    if row and row.reviewer_ratio is not None:
        ratio, ratio_basis = row.reviewer_ratio, f"本机关规定：{row.reviewer_ratio_basis}"
    else:
        ratio, ratio_basis = _rule(RULE_RATIO, agency, on)
    return Policy(days, days_basis, ext, ext_basis, ratio, ratio_basis)


def due_after(start: date, working_days: int, *, calendar: WorkCalendar | None = None):
    """(due date, note): `working_days` after `start` (start not counted,
    CAL-05), or (None, why) when the calendar of a year needed is not loaded
    — never a guess (rules.md CAL-12)."""
    try:
        return (calendar or WorkCalendar()).add_working_days(start, working_days), ""
    except CalendarNotAvailable as exc:
        return None, f"{exc.year}年工作日安排尚未录入，届满日待录入后确定。"


# ---------------------------------------------------------------------------
# Who may review


def involvement(case: Case, user) -> str:
    """Why `user` took part in handling the case ("" if not)."""
    name = law.name_of(user)
    if case.handler_id == user.pk:
        return f"{name}是本案的主办人"
    if user.pk in ever_assigned_users(case):
        return f"{name}是本案的承办（调查）人员"
    if ReviewRequest.objects.filter(case=case, submitted_by=user).exists():
        return f"{name}提交了本案的法制审核"
    return ""


def has_reviewed_penalty_before(user) -> bool:
    """Has done penalty legal review before (APL-23 "初次从事" is then past)."""
    return (
        ReviewOpinion.objects.filter(
            reviewer=user, request__case__procedure__startswith="penalty."
        ).exists()
        or ReviewerExperience.objects.filter(reviewer=user).exists()
    )


def has_legal_qualification(user) -> bool:
    from zhifa.officers.models import LegalQualification

    return LegalQualification.objects.filter(officer__user=user).exists()


def reviewer_refusals(request: ReviewRequest, reviewer) -> list[Refusal]:
    """Every reason `reviewer` may not review this request; [] if they may."""
    case, agency = request.case, request.agency
    name = law.name_of(reviewer)
    if not law.holds(reviewer, Role.LEGAL_REVIEWER, agency):
        return [
            Refusal(
                "reviewer_role",
                f"{name}不是{agency.name}的法制审核人员。",
                law.GB118_UNIT,
            )
        ]
    out = []
    if not law.in_legal_unit(reviewer, agency):
        out.append(
            Refusal(
                "reviewer_unit",
                f"{name}不属于本机关的法制审核机构（{agency.legal_unit.name}）。",
                law.GB118_UNIT,
            )
        )
    why = involvement(case, reviewer)
    if why:
        out.append(
            Refusal(
                "self_review",
                f"{why}，不能审核本案：法制审核须由未参与案件办理的人员进行。",
                law.RECUSAL,
            )
        )
    conflict = ReviewerConflict.objects.filter(case=case, reviewer=reviewer).first()
    if conflict:
        out.append(
            Refusal(
                "reviewer_conflict",
                f"{name}已于{_ymd(conflict.declared_on)}申请回避（{conflict.reason}），不能审核本案。",
                law.ART_43,
            )
        )
    if (
        case.procedure.startswith("penalty.")
        and not has_reviewed_penalty_before(reviewer)
        and not has_legal_qualification(reviewer)
    ):
        out.append(
            Refusal(
                "reviewer_qualification",
                f"{name}系初次从事行政处罚决定法制审核，须取得法律职业资格，"
                "执法人员名录中没有其法律职业资格记录。",
                law.ART_58_2,
            )
        )
    return out


def legal_reviewers(agency: Agency) -> QuerySet[User]:
    ids = RoleAssignment.objects.filter(
        agency=agency, role=Role.LEGAL_REVIEWER, active=True
    ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("name", "pk")


def eligible_reviewers(request: ReviewRequest) -> list[tuple[User, list[Refusal]]]:
    """Every legal reviewer of the agency with the reasons they may not take
    this request (an empty list: they may) — for the assignment form."""
    return [(u, reviewer_refusals(request, u)) for u in legal_reviewers(request.agency)]


# ---------------------------------------------------------------------------
# What the reviewer looks at


@dataclass
class MaterialRow:
    """One piece of evidence or one issued document, against the submission."""

    kind: str  # "evidence" | "document"
    title: str
    label: str  # 证据种类 or 文号
    sha256: str
    recording: bool  # audio or video (音像记录)
    in_submission: bool  # listed in the request's snapshot
    present: bool  # still in the case file
    obj: object | None = None  # the CaseEvidence or Document, when present
    problems: list[str] | None = None  # ledger verification (None: not checked)


def review_materials(request: ReviewRequest, *, verify: bool = False) -> list[MaterialRow]:
    """The case's evidence and issued documents as they are now, each marked
    whether it was submitted; then what was submitted and is gone. With
    `verify`, each evidence file is re-hashed against its ledger record
    (`zhifa.ledger.evidence.evidence_verify`: [] means intact) — costly for
    long recordings, so pages verify on demand."""
    from zhifa.cases.models import Document
    from zhifa.ledger.evidence import evidence_verify

    snap = request.snapshot or {}
    submitted_evidence = {e["sha256"]: e for e in snap.get("evidence") or []}
    submitted_docs = {d["sha256"]: d for d in snap.get("documents") or []}
    rows: list[MaterialRow] = []
    for e in request.case.evidence.select_related("blob__entry__log").order_by("uploaded_at", "id"):
        rows.append(
            MaterialRow(
                kind="evidence",
                title=e.title,
                label=e.get_kind_display(),
                sha256=e.blob.sha256,
                recording=e.is_recording,
                in_submission=e.blob.sha256 in submitted_evidence,
                present=True,
                obj=e,
                problems=evidence_verify(e.blob) if verify else None,
            )
        )
    present = {r.sha256 for r in rows}
    for sha, e in submitted_evidence.items():
        if sha not in present:
            rows.append(
                MaterialRow(
                    "evidence", e["title"], e["kind_label"], sha, e["recording"], True, False
                )
            )
    documents = request.case.documents.filter(status=Document.Status.ISSUED).order_by(
        "issued_at", "id"
    )
    for d in documents:
        rows.append(
            MaterialRow(
                kind="document",
                title=d.title,
                label=d.number,
                sha256=d.content_sha256,
                recording=False,
                in_submission=d.content_sha256 in submitted_docs,
                present=True,
                obj=d,
            )
        )
    return rows


# ---------------------------------------------------------------------------
# Lists


def _with_related(qs: QuerySet[ReviewRequest]) -> QuerySet[ReviewRequest]:
    return qs.select_related(
        "case", "agency", "reviewer", "submitted_by", "opinion", "disagreement"
    ).prefetch_related("findings")


def request_get_for_user(user, pk: int) -> ReviewRequest:
    """One request the user may see (raises ReviewRequest.DoesNotExist otherwise)."""
    return _with_related(ReviewRequest.objects.visible_to(user)).get(pk=pk)


def request_list_for_case(case: Case) -> list[ReviewRequest]:
    """Every round of the case, first to last, with findings, opinion and disagreement."""
    return list(_with_related(ReviewRequest.objects.filter(case=case)).order_by("round"))


def latest_request(case: Case) -> ReviewRequest | None:
    return (
        ReviewRequest.objects.filter(case=case)
        .select_related("reviewer", "opinion", "disagreement")
        .order_by("-round")
        .first()
    )


@dataclass
class ReviewerQueue:
    assigned: list[ReviewRequest]  # assigned to me, awaiting my opinion
    unassigned: list[ReviewRequest]  # waiting for a reviewer in my agencies, that I could take


def request_list_for_reviewer(user) -> ReviewerQueue:
    assigned = _with_related(
        ReviewRequest.objects.filter(status=S.UNDER_REVIEW, reviewer=user)
    ).order_by("due_on", "submitted_on", "id")
    agencies = RoleAssignment.objects.filter(
        user=user, role=Role.LEGAL_REVIEWER, active=True
    ).values("agency_id")
    waiting = (
        _with_related(ReviewRequest.objects.filter(status=S.SUBMITTED, agency__in=agencies))
        .exclude(case__handler=user)
        .exclude(case__case_officers__officer__user=user)
        .exclude(case__reviewer_conflicts__reviewer=user)
        .exclude(case__review_requests__submitted_by=user)
        .distinct()
        .order_by("submitted_on", "id")
    )
    return ReviewerQueue(list(assigned), list(waiting))


def request_list_for_agency(agency: Agency, *, open_only: bool = False) -> QuerySet[ReviewRequest]:
    qs = _with_related(ReviewRequest.objects.filter(agency=agency))
    if open_only:
        qs = qs.open()
    return qs.order_by("-submitted_on", "-id")


def overdue_requests(agency: Agency, today: date | None = None) -> list[ReviewRequest]:
    """Awaiting an opinion past their (extended) due date, oldest first."""
    today = today or timezone.localdate()
    qs = ReviewRequest.objects.filter(agency=agency).awaiting_opinion()
    qs = qs.filter(Q(extended_due_on__lt=today) | Q(extended_due_on__isnull=True, due_on__lt=today))
    return list(_with_related(qs).order_by("due_on", "id"))


# ---------------------------------------------------------------------------
# Staffing (GB118-16: a warning, never a gate)


@dataclass(frozen=True)
class Staffing:
    reviewers: int
    officers: int
    ratio: Decimal
    ratio_basis: str
    required: int  # the smallest whole number of reviewers meeting the ratio
    short: bool

    @property
    def message(self) -> str:
        pct = f"{(self.ratio * 100).normalize():f}%"
        head = (
            f"法制审核人员{self.reviewers}人，执法人员{self.officers}人，"
            f"按不少于{pct}应配备{self.required}人"
        )
        if self.short:
            return f"{head}，尚缺{self.required - self.reviewers}人。依据：{self.ratio_basis}"
        return f"{head}，符合要求。"


def staffing(agency: Agency, today: date | None = None) -> Staffing:
    """Legal reviewers against the agency's enforcement staff (non-auxiliary
    officers on post) × the ratio in force."""
    from zhifa.officers.models import Officer

    today = today or timezone.localdate()
    policy = policy_for(agency, today)
    reviewers = legal_reviewers(agency).count()
    officers = (
        Officer.objects.filter(agency=agency, is_auxiliary=False)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .count()
    )
    required = math.ceil(Decimal(officers) * policy.reviewer_ratio)
    return Staffing(
        reviewers=reviewers,
        officers=officers,
        ratio=policy.reviewer_ratio,
        ratio_basis=policy.reviewer_ratio_basis,
        required=required,
        short=reviewers < required,
    )


# ---------------------------------------------------------------------------
# Figures


@dataclass
class ReviewFigures:
    """Rounds submitted in [start, end], each counted once by where it stands today.

    requests == returned + pending + agreed + problems;
    opinions (agreed + problems) == timed + untimed;
    every problems opinion names at least one point, so
    sum(problems_by_point) >= problems.
    """

    agency: Agency
    start: date
    end: date
    today: date
    requests: int = 0
    cases: int = 0
    returned: int = 0  # returned as incomplete (or changed after submission)
    pending: int = 0  # awaiting an opinion
    agreed: int = 0
    problems: int = 0
    first_rounds: int = 0  # rounds numbered 1 that received an opinion
    agreed_first_round: int = 0
    problems_by_point: dict[str, int] = field(default_factory=dict)
    review_days: list[int] = field(default_factory=list)  # submission → opinion, working days
    untimed: int = 0  # opinions whose time needs a calendar year not loaded
    overdue_concluded: int = 0  # opinion or return given after the due date
    overdue_open: int = 0  # still awaiting an opinion after the due date
    disputes: int = 0
    disputes_upheld_reviewer: int = 0
    disputes_upheld_unit: int = 0
    disputes_open: int = 0

    @property
    def opinions(self) -> int:
        return self.agreed + self.problems

    @property
    def timed(self) -> int:
        return len(self.review_days)

    @property
    def overdue(self) -> int:
        return self.overdue_concluded + self.overdue_open

    @property
    def average_days(self) -> Decimal | None:
        if not self.review_days:
            return None
        avg = Decimal(sum(self.review_days)) / Decimal(len(self.review_days))
        return avg.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def p90_days(self) -> int | None:
        """Nearest-rank 90th percentile."""
        if not self.review_days:
            return None
        ordered = sorted(self.review_days)
        return ordered[math.ceil(0.9 * len(ordered)) - 1]

    @property
    def first_round_agree_rate(self) -> Decimal | None:
        if not self.first_rounds:
            return None
        return (Decimal(self.agreed_first_round) / Decimal(self.first_rounds)).quantize(
            Decimal("0.001"), rounding=ROUND_HALF_UP
        )

    def problems_by_point_labels(self) -> list[tuple[str, int]]:
        return [(Point(p).label, n) for p, n in self.problems_by_point.items()]


def figures(agency: Agency, start: date, end: date, *, today: date | None = None) -> ReviewFigures:
    today = today or timezone.localdate()
    f = ReviewFigures(agency=agency, start=start, end=end, today=today)
    f.problems_by_point = {p.value: 0 for p in Point}
    calendar = WorkCalendar()
    requests = list(
        ReviewRequest.objects.filter(agency=agency, submitted_on__range=(start, end))
        .select_related("opinion", "disagreement")
        .prefetch_related("findings")
        .order_by("id")
    )
    f.requests = len(requests)
    f.cases = len({r.case_id for r in requests})
    for r in requests:
        opinion: ReviewOpinion | None = getattr(r, "opinion", None)
        due = r.effective_due
        if opinion is None:
            if r.status == S.RETURNED_INCOMPLETE:
                f.returned += 1
                if due and r.returned_on and r.returned_on > due:
                    f.overdue_concluded += 1
            else:
                f.pending += 1
                if due and today > due:
                    f.overdue_open += 1
            continue
        if opinion.result == Result.AGREE:
            f.agreed += 1
        else:
            f.problems += 1
            for finding in r.findings.all():
                if finding.finding == "problem":
                    f.problems_by_point[finding.point] += 1
        if r.round == 1:
            f.first_rounds += 1
            f.agreed_first_round += opinion.result == Result.AGREE
        if due and opinion.opinion_on > due:
            f.overdue_concluded += 1
        try:
            f.review_days.append(calendar.count_working_days(r.submitted_on, opinion.opinion_on))
        except CalendarNotAvailable:
            f.untimed += 1
        dispute: Disagreement | None = getattr(r, "disagreement", None)
        if dispute is not None:
            f.disputes += 1
            if dispute.is_open:
                f.disputes_open += 1
            elif dispute.outcome == "upheld_unit":
                f.disputes_upheld_unit += 1
            else:
                f.disputes_upheld_reviewer += 1
    return f
