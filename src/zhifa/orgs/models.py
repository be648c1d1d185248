"""Regions, agencies (执法主体), units (承办机构), users and their roles.

Every staff object belongs to an agency and every agency to a region; what a
user may see is decided once per model by its `visible_to(user)` queryset
method (see `zhifa.orgs.scope`).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from zhifa.orgs import codes
from zhifa.orgs.scope import AgencyOwnedQuerySet, Scope


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡级"


class RegionQuerySet(models.QuerySet):
    def within(self, region: Region) -> RegionQuerySet:
        """The region itself and everything below it."""
        return self.filter(code__startswith=region.prefix)

    def visible_to(self, user) -> RegionQuerySet:
        # Administrative divisions are public facts (GB/T 2260); any signed-in
        # user may see them.
        return self.all() if user.is_authenticated else self.none()


class Region(models.Model):
    """行政区划, identified by its GB/T 2260 code (GB/T 10114 for townships)."""

    code = models.CharField("区划代码", max_length=9, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("级别", max_length=10, choices=RegionLevel.choices, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The code prefix shared by the region and all regions below it; stored so
    # that subtree queries are one indexed LIKE 'prefix%'.
    prefix = models.CharField(max_length=9, editable=False, db_index=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def save(self, *args, **kwargs) -> None:
        self.level = codes.region_level(self.code)
        self.prefix = codes.region_prefix(self.code)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        try:
            level = codes.region_level(self.code)
        except ValueError as exc:
            raise ValidationError({"code": str(exc)}) from exc
        expected_parent = codes.region_parent_code(self.code)
        parent_code = self.parent.code if self.parent_id else None
        if expected_parent is None and parent_code is not None:
            raise ValidationError({"parent": "省级行政区划没有上级区划。"})
        if expected_parent is not None and parent_code is None:
            raise ValidationError(
                {
                    "parent": f"区划代码 {self.code} 的上级区划应为 {expected_parent}，请先选择上级区划。"
                }
            )
        if level == RegionLevel.TOWNSHIP and parent_code and not self.code.startswith(parent_code):
            raise ValidationError(
                {
                    "parent": f"乡级区划代码 {self.code} 的前六位应与上级区划代码 {parent_code} 一致。"
                }
            )
        if level != RegionLevel.TOWNSHIP and parent_code not in (None, expected_parent):
            raise ValidationError(
                {
                    "parent": f"区划代码 {self.code} 的上级区划应为 {expected_parent}，"
                    f"而不是 {parent_code}（GB/T 2260 编码规则）。"
                }
            )

    def ancestors_and_self(self) -> list[Region]:
        chain: list[Region] = []
        node: Region | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def contains(self, other: Region) -> bool:
        return other.code.startswith(self.prefix)

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors_and_self())


class EnforcementCategory(models.Model):
    """执法类别: a field of enforcement. Certificates cover categories, agencies
    hold powers in categories, and every catalog item belongs to one."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)

    class Meta:
        verbose_name = "执法类别"
        verbose_name_plural = "执法类别"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    STATUTORY = "statutory", "法定行政机关"
    AUTHORISED = "authorised", "法律法规授权组织"
    DELEGATED = "delegated", "受委托组织"


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgencyQuerySet:
        scope = Scope.of(user)
        if scope.everything:
            return self.all()
        return self.filter(scope.q(agency="id", region_code="region__code")).distinct()


class Agency(models.Model):
    """执法主体: a body with legal authority to enforce."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("名称", max_length=200, unique=True)
    short_name = models.CharField(
        "文号简称", max_length=20, help_text="用于文书文号，例如“本县市监”处罚〔2026〕12号。"
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    region = models.ForeignKey(
        Region, verbose_name="所在行政区划", on_delete=models.PROTECT, related_name="agencies"
    )
    kind = models.CharField("主体类型", max_length=12, choices=AgencyKind.choices)
    authority_basis = models.TextField(
        "职权依据", help_text="设定或授予执法职权的法律、法规、规章及条款；受委托组织写明委托书。"
    )
    delegated_by = models.ForeignKey(
        "self",
        verbose_name="委托机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegates",
    )
    categories = models.ManyToManyField(
        EnforcementCategory,
        verbose_name="执法类别",
        blank=True,
        related_name="agencies",
        help_text="本主体依法享有执法职权的领域；执法证件的类别不能超出这些领域。",
    )
    is_justice_bureau = models.BooleanField("是司法行政部门", default=False)
    supervising_bureau = models.ForeignKey(
        "self",
        verbose_name="监督的司法行政部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_agencies",
        limit_choices_to={"is_justice_bureau": True},
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"
        ordering = ["region__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="delegated") | Q(delegated_by__isnull=False),
                name="agency_delegated_needs_delegator",
                violation_error_message="受委托组织必须填写委托机关。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.uscc:
            try:
                self.uscc = codes.validate_uscc(self.uscc)
            except ValueError as exc:
                errors["uscc"] = str(exc)
        if self.kind == AgencyKind.DELEGATED and not self.delegated_by_id:
            errors["delegated_by"] = "受委托组织必须填写委托机关（行政处罚法 第二十条）。"
        if self.kind != AgencyKind.DELEGATED and self.delegated_by_id:
            errors["delegated_by"] = "只有受委托组织才有委托机关。"
        if self.supervising_bureau_id:
            bureau = self.supervising_bureau
            if not bureau.is_justice_bureau:
                errors["supervising_bureau"] = f"“{bureau.name}”不是司法行政部门。"
            elif self.region_id and not bureau.region.contains(self.region):
                errors["supervising_bureau"] = (
                    f"“{bureau.name}”的辖区（{bureau.region.name}）不包含本主体所在的"
                    f"{self.region.name}。"
                )
            elif bureau.pk and bureau.pk == self.pk:
                errors["supervising_bureau"] = "司法行政部门不能监督自己。"
        if errors:
            raise ValidationError(errors)

    @property
    def legal_unit(self) -> Unit | None:
        return self.units.filter(is_legal_unit=True).first()


class Unit(models.Model):
    """承办机构 / 科室 inside an agency; one may be the legal review unit."""

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField("名称", max_length=100)
    is_legal_unit = models.BooleanField("法制审核机构", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgencyOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "承办机构"
        verbose_name_plural = "承办机构"
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"],
                name="unit_name_unique_in_agency",
                violation_error_message="同一执法主体下已有同名的承办机构。",
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(is_legal_unit=True),
                name="one_legal_unit_per_agency",
                violation_error_message="每个执法主体只能指定一个法制审核机构。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.name} · {self.name}"


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> UserQuerySet:
        scope = Scope.of(user)
        if scope.everything:
            return self.all()
        if not user.is_authenticated:
            return self.none()
        in_scope = RoleAssignment.objects.filter(
            scope.q(agency="agency_id", region_code="agency__region__code")
            | scope.q(agency=None, region_code="region__code")
        )
        return self.filter(Q(pk=user.pk) | Q(pk__in=in_scope.values("user_id")))


class ZhifaUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A staff account. Chinese names are one string, so first/last are dropped."""

    first_name = None
    last_name = None
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=20, blank=True)

    objects = ZhifaUserManager()

    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）" if self.name else self.username

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    def active_roles(self) -> models.QuerySet[RoleAssignment]:
        return self.role_assignments.filter(active=True).select_related("agency", "unit", "region")

    def has_role(self, *roles: str) -> bool:
        return self.active_roles().filter(role__in=roles).exists()


class Role(models.TextChoices):
    OFFICER = "officer", "执法人员"
    AUXILIARY = "auxiliary", "执法辅助人员"
    UNIT_HEAD = "unit_head", "承办机构负责人"
    LEGAL_REVIEWER = "legal_reviewer", "法制审核人员"
    AGENCY_HEAD = "agency_head", "机关负责人"
    SUPERVISOR = "supervisor", "司法局监督人员"
    ADMIN = "admin", "系统管理员"


# Roles held inside one agency, and roles held over a region.
AGENCY_ROLES = frozenset(
    {Role.OFFICER, Role.AUXILIARY, Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD}
)
REGION_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self) -> RoleAssignmentQuerySet:
        return self.filter(active=True)

    def visible_to(self, user) -> RoleAssignmentQuerySet:
        scope = Scope.of(user)
        if scope.everything:
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(user_id=user.pk)
            | scope.q(agency="agency_id", region_code="agency__region__code")
            | scope.q(agency=None, region_code="region__code")
        )


class RoleAssignment(models.Model):
    """A role held by a user, scoped to one agency (and unit) or to one region."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name="执法主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="承办机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="监督区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        ordering = ["user", "role"]
        constraints = [
            # Exactly one scope: an agency or a region, never both, never none.
            models.CheckConstraint(
                condition=(Q(agency__isnull=False) & Q(region__isnull=True))
                | (Q(agency__isnull=True) & Q(region__isnull=False)),
                name="role_has_exactly_one_scope",
                violation_error_message="角色必须限定在一个执法主体或一个行政区划内。",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(agency__isnull=False),
                name="role_unit_needs_agency",
                violation_error_message="指定承办机构时必须同时指定执法主体。",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency", "region"],
                name="role_assignment_unique",
                violation_error_message="该用户已有相同范围的这一角色。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.agency_id:
            return f"{self.agency.name}{' · ' + self.unit.name if self.unit_id else ''}"
        return self.region.name if self.region_id else "（无范围）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.role in AGENCY_ROLES:
            if not self.agency_id:
                errors["agency"] = f"“{Role(self.role).label}”必须限定在一个执法主体内。"
            if self.region_id:
                errors["region"] = f"“{Role(self.role).label}”按执法主体授权，不能按区域授权。"
        elif self.role in REGION_ROLES:
            if not self.region_id:
                errors["region"] = f"“{Role(self.role).label}”必须限定在一个行政区划内。"
            if self.agency_id or self.unit_id:
                errors["agency"] = f"“{Role(self.role).label}”按行政区划授权，不能指定执法主体。"
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            errors["unit"] = f"承办机构“{self.unit.name}”不属于“{self.agency.name}”。"
        if self.role == Role.LEGAL_REVIEWER and self.unit_id and not self.unit.is_legal_unit:
            errors["unit"] = "法制审核人员应属于本机关的法制审核机构。"
        if errors:
            raise ValidationError(errors)
