"""Home-page sections for the catalog: the working handbook and its filing."""

from __future__ import annotations

from django.urls import reverse

from zhifa.core.home import Action, TodoItem, TodoSection, register, register_action


def handbook_status(user, assignment) -> TodoSection:
    from zhifa.catalog.models import Handbook

    agency = assignment.agency
    latest = Handbook.objects.filter(agency=agency).order_by("-version").first()
    url = reverse("catalog:handbooks", args=[agency.public_id])
    if latest is None:
        items = [
            TodoItem(
                text="尚未编制执法工作手册",
                url=url,
                severity="warn",
                detail="汇编本机关执法事项清单、裁量基准、审核目录等，报司法行政部门备案。",
            )
        ]
    else:
        severity = {"returned": "danger", "draft": "warn"}.get(latest.status, "info")
        items = [
            TodoItem(
                text=f"第 {latest.version} 版：{latest.get_status_display()}",
                url=url,
                severity=severity,
                detail=latest.comments or "",
            )
        ]
    return TodoSection(title="执法工作手册", items=items, empty="")


def handbooks_to_review(user, assignment) -> TodoSection:
    from zhifa.catalog.handbook import handbooks_for_supervisor

    pending = list(handbooks_for_supervisor(user))
    return TodoSection(
        title="待备案审查的执法工作手册",
        items=[
            TodoItem(
                text=f"{h.agency.name} 第 {h.version} 版", url=reverse("catalog:handbook_review")
            )
            for h in pending[:20]
        ],
        total=len(pending),
        empty="没有待审查的执法工作手册。",
    )


def register_home_sections() -> None:
    register(["agency_head"], handbook_status)
    register(["supervisor"], handbooks_to_review)
    register_action(
        ["supervisor"],
        Action("手册备案审查", "catalog:handbook_review", "审查辖区执法主体报送的执法工作手册"),
    )
