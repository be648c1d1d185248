"""Home-page sections about officers: 持证率 against the local target, and the
certificates that need attention (expiring, annual review overdue, holder left).

The agency head sees their own agency; the supervisor and the administrator
see every agency in their region.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from zhifa.core.home import TodoItem, TodoSection, register
from zhifa.officers import selectors
from zhifa.orgs.models import Agency, Region, Role

LIMIT = 20
EXPIRY_WINDOW_DAYS = 30


def _scope(assignment) -> Agency | Region:
    return assignment.agency if assignment.agency_id else assignment.region


def _admin_url(user, name: str) -> Callable | None:
    if not user.is_staff:
        return None
    return lambda obj: reverse(f"admin:officers_{name}_change", args=[obj.pk])


def _percent(value) -> str:
    return f"{value * 100:.0f}%"


def certification_rate(user, assignment) -> TodoSection:
    rows = selectors.certification_rates(_scope(assignment))
    items: list[TodoItem] = []
    below = 0
    for row in rows:
        if row.rate is None:
            detail = "尚无在岗执法人员。"
            severity = "info"
        else:
            detail = f"在岗执法人员 {row.staff} 人，持有效执法证件 {row.holders} 人。"
            if row.target is None:
                detail += "本地区尚未设定持证率目标。"
                severity = "info"
            elif row.met:
                detail += f"目标 {_percent(row.target)}，已达标（{row.target_basis}）。"
                severity = "info"
            else:
                detail += f"目标 {_percent(row.target)}，未达标（{row.target_basis}）。"
                severity = "warn"
                below += 1
        kind = "乡镇（街道）" if row.is_township else ""
        items.append(
            TodoItem(
                text=f"{kind}{row.label}：持证率 {row.rate_text}",
                detail=detail,
                severity=severity,
            )
        )
    return TodoSection(
        title="持证率",
        items=items[:LIMIT],
        # The badge counts what needs action: units below their target.
        total=below,
        empty="范围内没有执法主体。",
        citation="持证率目标由各地文件设定；执法人员须持证上岗（行政处罚法 第四十二条）",
    )


def certificates_expiring(user, assignment) -> TodoSection:
    today = timezone.localdate()
    qs = selectors.certificates_expiring(
        _scope(assignment), within_days=EXPIRY_WINDOW_DAYS, today=today
    )
    url = _admin_url(user, "certificate")
    items = []
    for cert in qs[:LIMIT]:
        days = (cert.expires_on - today).days
        items.append(
            TodoItem(
                text=f"{cert.officer.name}（{cert.agency.short_name}）· 证件 {cert.number}",
                detail=f"有效期至 {cert.expires_on.isoformat()}，还有 {days} 天；请及时办理换发。",
                due=cert.expires_on,
                url=url(cert) if url else "",
                severity="danger" if days <= 7 else "warn",
            )
        )
    return TodoSection(
        title=f"{EXPIRY_WINDOW_DAYS} 天内到期的执法证件",
        items=items,
        total=qs.count(),
        empty=f"{EXPIRY_WINDOW_DAYS} 天内没有到期的执法证件。",
        citation="rules.md CERT-07（有效期按省级规定）",
    )


def annual_reviews_overdue(user, assignment) -> TodoSection:
    today = timezone.localdate()
    qs = selectors.annual_reviews_overdue(_scope(assignment), today=today)
    url = _admin_url(user, "certificate")
    items = []
    for review in qs[:LIMIT]:
        cert = review.certificate
        items.append(
            TodoItem(
                text=f"{cert.officer.name}（{cert.agency.short_name}）· 证件 {cert.number}",
                detail=(
                    f"{review.year} 年度年审应于 {review.due_on.isoformat()} 前完成，"
                    f"已逾期 {(today - review.due_on).days} 天。"
                ),
                due=review.due_on,
                url=url(cert) if url else "",
                severity="warn",
            )
        )
    return TodoSection(
        title="年审逾期",
        items=items,
        total=qs.count(),
        empty="没有逾期未年审的执法证件。",
        citation="rules.md CERT-06 (d)（省级规定示例）",
    )


def left_but_valid(user, assignment) -> TodoSection:
    qs = selectors.left_but_valid(_scope(assignment))
    url = _admin_url(user, "certificate")
    items = []
    for cert in qs[:LIMIT]:
        officer = cert.officer
        items.append(
            TodoItem(
                text=f"{officer.name}（{cert.agency.short_name}）· 证件 {cert.number}",
                detail=(
                    f"已于 {officer.left_on.isoformat()} 离岗（{officer.get_left_reason_display()}），"
                    "证件仍为有效，应予注销并收回。"
                ),
                url=url(cert) if url else "",
                severity="danger",
            )
        )
    return TodoSection(
        title="已离岗仍持有效证件",
        items=items,
        total=qs.count(),
        empty="没有已离岗仍持有效证件的人员。",
        citation="rules.md CERT-06 (e)（离岗应注销证件并交回）",
    )


def register_home_sections() -> None:
    roles = [Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN]
    for provider in (
        certification_rate,
        certificates_expiring,
        annual_reviews_overdue,
        left_but_valid,
    ):
        register(roles, provider)
