"""The case world (`zhifa.cases.tests.factories.world`) plus a legal unit: its
head, a qualified reviewer (the world's 刘审核, now an officer of the legal
unit with 法律职业资格) and a first-time reviewer without it; and helpers
that drive a major case to review and through it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from zhifa.cases import engine
from zhifa.cases import services as case_services
from zhifa.cases.models import Case
from zhifa.cases.tests import factories as f
from zhifa.officers import services as officer_services
from zhifa.officers.models import EmploymentStatus, Officer
from zhifa.officers.tests.factories import id_number
from zhifa.orgs.models import Role, RoleAssignment, Unit
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import UserFactory, grant
from zhifa.review import services
from zhifa.review.models import FindingKind, Point, ReviewRequest

ALL_MATERIALS = {
    "investigation_report": True,
    "evidence": True,
    "proposed_decision": True,
}
AGREE_REASONS = "主体合法，执法人员具备资格，程序合法，事实清楚，证据确凿，适用依据正确，裁量适当。"
PROBLEM_REASONS = "罚款金额的裁量理由不充分，应补充说明从重情节的证据。"

_serial = iter(range(900, 10**6))


@dataclass
class ReviewWorld:
    w: f.World
    legal_unit: Unit
    legal_head: object  # 法制审核机构负责人
    reviewer: object  # qualified: 法律职业资格 on record
    novice: object  # a legal reviewer who has never reviewed and holds no qualification

    def __getattr__(self, name):
        return getattr(self.w, name)


def officer_for(agency, user, *, unit=None, name: str = "") -> Officer:
    n = next(_serial)
    return officer_services.officer_register(
        actor=SYSTEM,
        agency=agency,
        name=name or user.name,
        id_number=id_number(n, region="210503"),
        post="法制审核",
        employment_status=EmploymentStatus.ESTABLISHED,
        unit=unit,
        user=user,
    )


def qualify_legally(officer: Officer) -> None:
    officer_services.legal_qualification_record(
        actor=SYSTEM,
        officer=officer,
        certificate_number=f"A2019{next(_serial):09d}",
        obtained_on=date(2019, 12, 1),
    )


def legal_reviewer(rw_or_world, name: str, *, qualified: bool = False, unit=None):
    w = getattr(rw_or_world, "w", rw_or_world)
    unit = unit or getattr(rw_or_world, "legal_unit", None)
    user = UserFactory(name=name)
    grant(user, Role.LEGAL_REVIEWER, agency=w.agency, unit=unit)
    officer = officer_for(w.agency, user, unit=unit)
    if qualified:
        qualify_legally(officer)
    return user


def review_world() -> ReviewWorld:
    w = f.world()
    legal_unit = Unit.objects.create(agency=w.agency, name="法制审核科", is_legal_unit=True)
    # The world's reviewer joins the legal unit, as an officer with 法律职业资格.
    RoleAssignment.objects.filter(user=w.reviewer, role=Role.LEGAL_REVIEWER).update(unit=legal_unit)
    qualify_legally(officer_for(w.agency, w.reviewer, unit=legal_unit))
    legal_head = UserFactory(name="周科长")
    grant(legal_head, Role.UNIT_HEAD, agency=w.agency, unit=legal_unit)
    novice = legal_reviewer(w, "孙新人", unit=legal_unit)
    return ReviewWorld(w, legal_unit, legal_head, w.reviewer, novice)


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def major_case(rw: ReviewWorld, *, fine: str = "70000", start: int = 20) -> Case:
    """A case in 案件审查 that needs legal review (涉及重大公共利益, 第五十八条第一款第一项)."""
    w = rw.w
    case = f.register(w, on=days_ago(start + 5), received=days_ago(start + 10))
    case = f.file(w, case, on=days_ago(start))
    f.inspect(w, case, on=days_ago(start - 1))
    return f.propose(w, case, fine=fine, public_interest=True, on=days_ago(start - 2))


def to_deliberation(rw: ReviewWorld, case: Case, *, on: date | None = None) -> Case:
    """事先告知 → 放弃陈述申辩 → 报请决定."""
    w = rw.w
    on = on or timezone.localdate()
    engine.fire(case, "notify", w.unit_head, {"on": on})
    # 放弃陈述申辩 and, where the party has the right, expressly the hearing too.
    f.waive_statement(w, case)
    engine.fire(case, "end_statement", w.unit_head, {})
    return Case.objects.get(pk=case.pk)


def decide(rw: ReviewWorld, case: Case, fine: str = "70000") -> Case:
    engine.fire(case, "decide_penalty", rw.head, {"penalty_types": ["fine"], "fine_amount": fine})
    return Case.objects.get(pk=case.pk)


def submit(rw: ReviewWorld, case: Case, **kwargs) -> ReviewRequest:
    kwargs.setdefault("materials", ALL_MATERIALS)
    return services.review_submit(actor=rw.unit_head, case=case, **kwargs)


def findings(*problems: str) -> dict[str, tuple[str, str]]:
    out = {p.value: (FindingKind.OK, "") for p in Point}
    for point in problems:
        out[point] = (FindingKind.PROBLEM, f"{Point(point).label}：存在问题，须补正。")
    return out


def agree(rw: ReviewWorld, request: ReviewRequest, reviewer=None, **kwargs):
    reviewer = reviewer or rw.reviewer
    if request.reviewer_id != reviewer.pk:
        request = services.review_assign(actor=rw.legal_head, request=request, reviewer=reviewer)
    return services.opinion_record(
        actor=reviewer,
        request=request,
        findings=findings(),
        result="agree",
        suggestions=[],
        reasons=AGREE_REASONS,
        **kwargs,
    )


def problems(rw: ReviewWorld, request: ReviewRequest, reviewer=None, *, points=("law",), **kwargs):
    reviewer = reviewer or rw.reviewer
    if request.reviewer_id != reviewer.pk:
        request = services.review_assign(actor=rw.legal_head, request=request, reviewer=reviewer)
    kwargs.setdefault("suggestions", ["supplement"])
    return services.opinion_record(
        actor=reviewer,
        request=request,
        findings=findings(*points),
        result="problems",
        reasons=PROBLEM_REASONS,
        **kwargs,
    )


# The smallest PNG the evidence sniffer accepts.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def add_photo(rw: ReviewWorld, case: Case, *, title: str = "补充现场照片", salt: bytes = b""):
    return case_services.add_evidence(
        actor=rw.users[0],
        case=case,
        file=ContentFile(PNG + salt),
        kind="documentary",
        title=title,
        original_name="photo.png",
    )
