"""Home-page sections for organisation work: gaps that block the three systems."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from zhifa.core.home import TodoItem, TodoSection, register
from zhifa.orgs.models import Agency, Role, RoleAssignment, Unit
from zhifa.rules.services import rule_value

LIMIT = 20


def _agencies_in_scope(assignment) -> Agency:
    qs = Agency.objects.all()
    if assignment.agency_id:
        return qs.filter(pk=assignment.agency_id)
    return qs.filter(region__code__startswith=assignment.region.prefix)


def _section(title, qs, text, *, empty, citation="", url=None, severity="warn") -> TodoSection:
    total = qs.count()
    items = [
        TodoItem(text=text(obj), url=url(obj) if url else "", severity=severity)
        for obj in qs[:LIMIT]
    ]
    return TodoSection(title=title, items=items, empty=empty, citation=citation, total=total)


def agencies_without_legal_unit(user, assignment) -> TodoSection:
    qs = _agencies_in_scope(assignment).exclude(
        Exists(Unit.objects.filter(agency=OuterRef("pk"), is_legal_unit=True))
    )
    admin_url = None
    if user.is_staff:
        admin_url = lambda a: reverse("admin:orgs_agency_change", args=[a.pk])  # noqa: E731
    return _section(
        "未指定法制审核机构的执法主体",
        qs,
        lambda a: a.name,
        empty="各执法主体均已指定法制审核机构。",
        citation="行政处罚法 第五十八条；国办发〔2018〕118号 四、(十一)",
        url=admin_url,
    )


def agencies_without_head(user, assignment) -> TodoSection:
    heads = RoleAssignment.objects.filter(agency=OuterRef("pk"), role=Role.AGENCY_HEAD, active=True)
    qs = _agencies_in_scope(assignment).exclude(Exists(heads))
    return _section(
        "未设置机关负责人账户的执法主体",
        qs,
        lambda a: a.name,
        empty="各执法主体均已设置机关负责人账户。",
        citation="行政处罚法 第四十三条、第五十七条（回避决定与集体讨论由机关负责人作出）",
    )


def agencies_without_supervisor(user, assignment) -> TodoSection:
    qs = _agencies_in_scope(assignment).filter(
        is_justice_bureau=False, supervising_bureau__isnull=True
    )
    return _section(
        "未登记执法监督机关的执法主体",
        qs,
        lambda a: a.name,
        empty="各执法主体均已登记执法监督机关（司法行政部门）。",
    )


def legal_reviewer_staffing(user, assignment) -> TodoSection:
    """GB118-16 asks for legal reviewers of at least 5 % of enforcement staff in principle
    (status U in rules.md; the ratio is the configurable rule review.reviewer_ratio)."""
    region_code = assignment.agency.region.code if assignment.agency_id else assignment.region.code
    ratio = rule_value("review.reviewer_ratio", region_code=region_code)
    agencies = (
        _agencies_in_scope(assignment)
        .annotate(
            n_officers=Count(
                "role_assignments",
                filter=Q(role_assignments__role=Role.OFFICER, role_assignments__active=True),
            ),
            n_reviewers=Count(
                "role_assignments",
                filter=Q(role_assignments__role=Role.LEGAL_REVIEWER, role_assignments__active=True),
            ),
        )
        .filter(n_officers__gt=0)
    )
    items = []
    for agency in agencies:
        if agency.n_reviewers < agency.n_officers * ratio:
            items.append(
                TodoItem(
                    text=f"{agency.name}：法制审核人员 {agency.n_reviewers} 人，执法人员 {agency.n_officers} 人",
                    detail=f"按 {ratio:.0%} 的比例，至少应配备 {_ceil(agency.n_officers * ratio)} 人。",
                    severity="warn",
                )
            )
    return TodoSection(
        title="法制审核人员配备不足",
        items=items[:LIMIT],
        total=len(items),
        empty="法制审核人员配备符合比例要求。",
        citation="国办发〔2018〕118号 四、(十一)（原则上不少于执法人员总数的5%，可按地方规定调整）",
    )


def _ceil(x) -> int:
    import math

    return math.ceil(x)


def locked_accounts(user, assignment) -> TodoSection:
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
    return _section(
        "因多次登录失败被锁定的账户",
        attempts,
        lambda a: f"{a.username}（{a.ip_address}，{a.failures_since_start} 次失败）",
        empty="没有被锁定的账户。",
        url=(lambda a: reverse("admin:axes_accessattempt_change", args=[a.pk]))
        if user.is_staff
        else None,
    )


def register_home_sections() -> None:
    register([Role.ADMIN], agencies_without_legal_unit)
    register([Role.ADMIN], agencies_without_supervisor)
    register([Role.ADMIN], locked_accounts)
    register([Role.SUPERVISOR], agencies_without_legal_unit)
    register([Role.SUPERVISOR], agencies_without_head)
    register([Role.SUPERVISOR], legal_reviewer_staffing)
    register([Role.AGENCY_HEAD], agencies_without_legal_unit)
    register([Role.AGENCY_HEAD, Role.LEGAL_REVIEWER], legal_reviewer_staffing)
