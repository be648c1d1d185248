"""Changes to regions, agencies, units, users and roles.

One function per use case, keyword-only, with a required `actor`: check
permission, validate (Chinese messages), write, all in one transaction. The
admin site and the demo loader go through these functions too.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.orgs.models import (
    REGION_ROLES,
    Agency,
    AgencyKind,
    EnforcementCategory,
    Region,
    Role,
    RoleAssignment,
    Unit,
    User,
)
from zhifa.orgs.scope import Scope

ADMIN_GROUP = "系统管理员"
# What a regional administrator may change in the admin site. Ledger entries
# are not listed: nobody changes them.
ADMIN_GROUP_MODELS = {
    "orgs": ["region", "agency", "unit", "user", "roleassignment", "enforcementcategory"],
    "workdays": ["calendaryear", "calendarday"],
    "rules": ["ruleoverride"],
    "catalog": [
        "enforcementitem",
        "itemversion",
        "legalbasis",
        "discretionstandard",
        "discretiongrade",
        "majordecisioncriterion",
        "agencycatalogsettings",
    ],
    "officers": [
        "officer",
        "certificate",
        "exam",
        "training",
        "legalqualification",
        "annualreview",
        "certificationtarget",
    ],
}


class System:
    """The actor for changes the platform makes by itself (migrations, demo loader)."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    username = "system"


SYSTEM = System()


def can_administer(actor, region: Region | None) -> bool:
    """Superusers everywhere; a system administrator within their region."""
    if actor is None or not actor.is_authenticated:
        return False
    if actor.is_superuser:
        return True
    if region is None:
        return False
    # The administrator's region contains `region` when its code prefix is a
    # prefix of region.code; these are the only candidates.
    candidates = {region.code[:2], region.code[:4], region.code[:6], region.code}
    return RoleAssignment.objects.filter(
        user_id=actor.pk, role=Role.ADMIN, active=True, region__prefix__in=candidates
    ).exists()


def can_manage_agency(actor, agency: Agency) -> bool:
    """Who keeps an agency's own registers (its catalog of enforcement items,
    its officers and certificates): superusers, system administrators whose
    region contains the agency, and the agency's own head (机关负责人)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not getattr(actor, "is_active", True):
        return False
    if can_administer(actor, agency.region):
        return True
    return RoleAssignment.objects.filter(
        user_id=actor.pk, role=Role.AGENCY_HEAD, agency_id=agency.pk, active=True
    ).exists()


def _require_admin(actor, region: Region | None, what: str) -> None:
    if not can_administer(actor, region):
        where = f"“{region.name}”" if region else "平台"
        raise PermissionDenied(f"您无权在{where}范围内{what}：需要该区域的系统管理员角色。")


@transaction.atomic
def region_save(*, actor, region: Region) -> Region:
    _require_admin(actor, region.parent or region, "维护行政区划")
    region.full_clean()
    region.save()
    return region


def region_create(*, actor, code: str, name: str, parent: Region | None = None) -> Region:
    return region_save(actor=actor, region=Region(code=code, name=name, parent=parent))


@transaction.atomic
def agency_save(*, actor, agency: Agency) -> Agency:
    _require_admin(actor, agency.region if agency.region_id else None, "维护执法主体")
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def agency_create(
    *,
    actor,
    name: str,
    short_name: str,
    uscc: str,
    region: Region,
    kind: str = AgencyKind.STATUTORY,
    authority_basis: str,
    supervising_bureau: Agency | None = None,
    delegated_by: Agency | None = None,
    is_justice_bureau: bool = False,
    categories: list | None = None,
) -> Agency:
    agency = agency_save(
        actor=actor,
        agency=Agency(
            name=name,
            short_name=short_name,
            uscc=uscc,
            region=region,
            kind=kind,
            authority_basis=authority_basis,
            supervising_bureau=supervising_bureau,
            delegated_by=delegated_by,
            is_justice_bureau=is_justice_bureau,
        ),
    )
    if categories:
        agency.categories.set(categories)
    return agency


@transaction.atomic
def unit_save(*, actor, unit: Unit) -> Unit:
    _require_admin(actor, unit.agency.region if unit.agency_id else None, "维护承办机构")
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def category_ensure(*, actor, code: str, name: str) -> EnforcementCategory:
    """The category with this code, created if missing (categories are shared
    platform-wide reference data)."""
    if not (
        actor.is_superuser
        or RoleAssignment.objects.filter(user_id=actor.pk, role=Role.ADMIN, active=True).exists()
    ):
        raise PermissionDenied("只有系统管理员可以维护执法类别。")
    category, created = EnforcementCategory.objects.get_or_create(
        code=code, defaults={"name": name}
    )
    if created:
        category.full_clean()
    return category


def unit_create(*, actor, agency: Agency, name: str, is_legal_unit: bool = False) -> Unit:
    return unit_save(actor=actor, unit=Unit(agency=agency, name=name, is_legal_unit=is_legal_unit))


@transaction.atomic
def user_create(
    *, actor, username: str, name: str, password: str, phone: str = "", email: str = ""
) -> User:
    if not (
        actor.is_superuser
        or RoleAssignment.objects.filter(user_id=actor.pk, role=Role.ADMIN, active=True).exists()
    ):
        raise PermissionDenied("只有系统管理员可以创建用户。")
    user = User(username=username, name=name, phone=phone, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def role_assignment_save(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    scope_region = (
        assignment.agency.region
        if assignment.agency_id
        else assignment.region
        if assignment.region_id
        else None
    )
    _require_admin(actor, scope_region, "授予角色")
    assignment.full_clean()
    assignment.save()
    _sync_admin_site_access(assignment.user)
    Scope.forget(assignment.user)
    return assignment


def role_assign(
    *,
    actor,
    user: User,
    role: str,
    agency: Agency | None = None,
    unit: Unit | None = None,
    region: Region | None = None,
) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": f"未知角色“{role}”。"})
    if role in REGION_ROLES and region is None and agency is None:
        raise ValidationError({"region": f"“{Role(role).label}”必须限定在一个行政区划内。"})
    if role not in REGION_ROLES and agency is None and region is None:
        raise ValidationError({"agency": f"“{Role(role).label}”必须限定在一个执法主体内。"})
    return role_assignment_save(
        actor=actor,
        assignment=RoleAssignment(user=user, role=role, agency=agency, unit=unit, region=region),
    )


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    scope_region = assignment.agency.region if assignment.agency_id else assignment.region
    _require_admin(actor, scope_region, "撤销角色")
    assignment.active = False
    assignment.save(update_fields=["active"])
    _sync_admin_site_access(assignment.user)
    Scope.forget(assignment.user)
    return assignment


def _sync_admin_site_access(user: User) -> None:
    """A system administrator uses the admin site; nobody else does."""
    is_admin = user.role_assignments.filter(role=Role.ADMIN, active=True).exists()
    group = admin_group()
    if is_admin:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    if user.is_staff != (is_admin or user.is_superuser):
        user.is_staff = is_admin or user.is_superuser
        user.save(update_fields=["is_staff"])


def admin_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    wanted = Permission.objects.filter(
        content_type__app_label__in=list(ADMIN_GROUP_MODELS),
    )
    perms = [
        p
        for p in wanted
        if p.content_type.model in ADMIN_GROUP_MODELS.get(p.content_type.app_label, [])
    ]
    if set(group.permissions.all()) != set(perms):
        group.permissions.set(perms)
    return group
