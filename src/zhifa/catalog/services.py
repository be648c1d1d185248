"""Changes to the catalog: enforcement items and their versions, discretion
benchmarks (裁量基准), the major-decision catalog (重大执法决定法制审核目录清单)
and an agency's catalog settings.

Every function is keyword-only with a required `actor`: it checks permission,
validates everything first (Chinese messages, keyed by field), then writes and
records the fact with `zhifa.ledger.record` in the same transaction, so a
refusal leaves nothing half-saved. Ledger payloads carry codes, version
numbers and dates only.

Who may change an agency's catalog: superusers, system administrators whose
region contains the agency, and the agency's own head (机关负责人).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa import ledger
from zhifa.catalog.models import (
    AgencyCatalogSettings,
    DiscretionGrade,
    DiscretionStandard,
    EnforcementItem,
    Grade,
    ItemKind,
    ItemVersion,
    LegalBasis,
    MajorDecisionCriterion,
    PartyKind,
    PenaltyType,
)
from zhifa.orgs.models import Agency, EnforcementCategory, Unit
from zhifa.orgs.services import can_manage_agency

# Ledger action names and their Chinese labels; registered from CatalogConfig.ready().
LEDGER_ACTIONS: dict[str, str] = {
    "catalog.item_created": "新增执法事项",
    "catalog.item_version_created": "起草执法事项新版本",
    "catalog.item_version_published": "发布执法事项版本",
    "catalog.discretion_standard_saved": "保存裁量基准",
    "catalog.major_criterion_saved": "保存重大执法决定法制审核情形",
    "catalog.major_criterion_deleted": "删除重大执法决定法制审核情形",
    "catalog.settings_saved": "保存执法事项设置",
    "catalog.av_rule_saved": "保存音像记录事项",
    "catalog.random_inspection_item_saved": "保存随机抽查事项",
    "catalog.service_guide_saved": "保存服务指南",
    "catalog.handbook_compiled": "编制执法工作手册",
    "catalog.handbook_submitted": "报送执法工作手册备案",
    "catalog.handbook_accepted": "执法工作手册备案通过",
    "catalog.handbook_returned": "退回执法工作手册",
}

# Fields of a version that `item_version_create` copies from the latest one.
VERSION_FIELDS = (
    "name",
    "kind",
    "unit",
    "category",
    "random_inspection",
    "procedure",
    "effective_from",
    "change_note",
)

# Grades that carry a fine, mildest first: their ranges must be ordered and
# must not overlap (a shared boundary is allowed: benchmarks are written as
# “五万元以上六万五千元以下 / 六万五千元以上八万五千元以下”, 以上/以下 being inclusive).
FINE_GRADES = (Grade.MITIGATED, Grade.LIGHTER, Grade.ORDINARY, Grade.HEAVIER)


# --------------------------------------------------------------------------
# Permission
# --------------------------------------------------------------------------


def can_manage_catalog(actor, agency: Agency) -> bool:
    """The catalog is the agency's own register: its head or a regional
    administrator keeps it (orgs.services.can_manage_agency)."""
    return can_manage_agency(actor, agency)


def _require(actor, agency: Agency, what: str) -> None:
    if not can_manage_catalog(actor, agency):
        raise PermissionDenied(
            f"您无权{what}：“{agency.name}”的执法事项清单由本机关负责人或该区域的系统管理员维护。"
        )


# --------------------------------------------------------------------------
# Small validators
# --------------------------------------------------------------------------


def _text(value: Any, field: str, label: str, errors: dict, *, max_length: int) -> str:
    text = str(value or "").strip()
    if not text:
        errors[field] = f"请填写{label}。"
    elif len(text) > max_length:
        errors[field] = f"{label}不能超过 {max_length} 个字。"
    return text


def _choice(value: Any, choices, field: str, label: str, errors: dict) -> str:
    """A choice given by value or by its Chinese label."""
    for v, text in choices.choices:
        if value in (v, text):
            return v
    allowed = "、".join(text for _, text in choices.choices)
    errors[field] = f"{label}“{value}”无效，应为：{allowed}。"
    return ""


def _date(value: Any, field: str, label: str, errors: dict) -> date | None:
    if isinstance(value, datetime) or not isinstance(value, date):
        errors[field] = f"请填写{label}（日期）。"
        return None
    return value


def _category(value: Any, errors: dict) -> EnforcementCategory | None:
    if isinstance(value, EnforcementCategory):
        return value
    code = str(value or "").strip()
    category = (
        EnforcementCategory.objects.filter(code=code).first()
        or EnforcementCategory.objects.filter(name=code).first()
    )
    if category is None:
        errors["category"] = f"未知的执法类别“{code}”。" if code else "请选择执法类别。"
    return category


def _category_in_agency(category, agency: Agency, errors: dict) -> None:
    if category is not None and not agency.categories.filter(pk=category.pk).exists():
        errors["category"] = (
            f"执法类别“{category.name}”不在“{agency.name}”的执法领域内，请先核对本机关的执法类别。"
        )


def _unit(value: Any, agency: Agency, errors: dict) -> Unit | None:
    if value is None or value == "":
        return None
    if not isinstance(value, Unit):
        errors["unit"] = "承办机构无效。"
        return None
    if value.agency_id != agency.pk:
        errors["unit"] = f"承办机构“{value.name}”不属于“{agency.name}”。"
        return None
    return value


def _penalty_types(values: Iterable, field: str, errors: dict, *, where: str = "") -> list[str]:
    found: list[str] = []
    for value in values or ():
        code = _choice(value, PenaltyType, field, f"{where}处罚种类", errors)
        if not code:
            return []
        if code not in found:
            found.append(code)
    return found


def _amount(value: Any, field: str, label: str, errors: dict) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        errors[field] = f"{label}“{value}”不是有效的数字。"
        return None
    if not amount.is_finite() or amount < 0:
        errors[field] = f"{label}不能为负数。"
        return None
    return amount.quantize(Decimal("0.01"))


def _bases(values: Iterable[Mapping], errors: dict) -> list[dict]:
    clean: list[dict] = []
    problems: list[str] = []
    for n, raw in enumerate(values or (), start=1):
        row: dict[str, Any] = {}
        local: dict[str, str] = {}
        row["law"] = _text(raw.get("law"), "law", "法律法规名称", local, max_length=200)
        row["article"] = _text(raw.get("article"), "article", "条", local, max_length=40)
        row["clause"] = str(raw.get("clause") or "").strip()[:40]
        row["text"] = _text(raw.get("text"), "text", "条文内容", local, max_length=20000)
        row["role"] = _choice(
            raw.get("role") or LegalBasis.Role.AUTHORITY, LegalBasis.Role, "role", "依据类型", local
        )
        if local:
            problems.append(f"第 {n} 条依据：" + "".join(local.values()))
        clean.append(row)
    if problems:
        errors["bases"] = "；".join(problems)
    return clean


def _write_bases(version: ItemVersion, bases: list[dict]) -> None:
    LegalBasis.objects.bulk_create(LegalBasis(version=version, **row) for row in bases)


def _version_payload(version: ItemVersion) -> dict[str, Any]:
    return {
        "item": version.item.code,
        "version": version.version,
        "kind": version.kind,
        "category": version.category.code,
        "procedure": version.procedure,
        "effective_from": version.effective_from.isoformat(),
        "effective_to": version.effective_to.isoformat() if version.effective_to else None,
        "bases": [
            {"law": b.law, "article": b.article, "clause": b.clause, "role": b.role}
            for b in version.bases.all()
        ],
    }


# --------------------------------------------------------------------------
# Items and versions
# --------------------------------------------------------------------------


def _clean_version_fields(fields: dict[str, Any], agency: Agency, errors: dict) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    clean["name"] = _text(fields.get("name"), "name", "事项名称", errors, max_length=200)
    clean["kind"] = _choice(fields.get("kind"), ItemKind, "kind", "执法类型", errors)
    clean["category"] = _category(fields.get("category"), errors)
    _category_in_agency(clean["category"], agency, errors)
    clean["unit"] = _unit(fields.get("unit"), agency, errors)
    clean["procedure"] = _text(
        fields.get("procedure"), "procedure", "适用程序", errors, max_length=60
    )
    clean["effective_from"] = _date(
        fields.get("effective_from"), "effective_from", "施行日期", errors
    )
    clean["random_inspection"] = bool(fields.get("random_inspection"))
    clean["change_note"] = str(fields.get("change_note") or "").strip()
    if len(clean["change_note"]) > 300:
        errors["change_note"] = "修订说明不能超过 300 个字。"
    return clean


@transaction.atomic
def item_create(
    *,
    actor,
    agency: Agency,
    code: str,
    name: str,
    kind: str,
    category,
    procedure: str,
    effective_from: date,
    unit: Unit | None = None,
    random_inspection: bool = False,
    bases: Iterable[Mapping] = (),
    change_note: str = "",
) -> EnforcementItem:
    """A new item with version 1 as a draft carrying its legal basis."""
    _require(actor, agency, "新增执法事项")
    errors: dict[str, str] = {}
    code = _text(code, "code", "事项编码", errors, max_length=60)
    if code and EnforcementItem.objects.filter(agency=agency, code=code).exists():
        errors["code"] = f"“{agency.name}”已有编码为“{code}”的执法事项。"
    fields = _clean_version_fields(
        {
            "name": name,
            "kind": kind,
            "category": category,
            "unit": unit,
            "procedure": procedure,
            "effective_from": effective_from,
            "random_inspection": random_inspection,
            "change_note": change_note,
        },
        agency,
        errors,
    )
    clean_bases = _bases(bases, errors)
    if errors:
        raise ValidationError(errors)

    item = EnforcementItem.objects.create(agency=agency, code=code)
    version = ItemVersion.objects.create(item=item, version=1, **fields)
    _write_bases(version, clean_bases)
    ledger.record(
        agency=agency,
        subject=item,
        actor=actor,
        action="catalog.item_created",
        payload=_version_payload(version),
    )
    return item


@transaction.atomic
def item_version_create(
    *, actor, item: EnforcementItem, bases: Iterable[Mapping] | None = None, **fields
) -> ItemVersion:
    """A new draft version; fields not given are copied from the latest version,
    and so is the legal basis when `bases` is None."""
    _require(actor, item.agency, "修订执法事项")
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise TypeError(f"item_version_create() got unexpected fields: {sorted(unknown)}")
    latest = item.versions.order_by("-version").first()
    if latest is None:
        raise ValidationError("该执法事项没有任何版本，无法修订。")
    merged = {name: fields.get(name, getattr(latest, name)) for name in VERSION_FIELDS}
    if "change_note" not in fields:
        merged["change_note"] = ""
    errors: dict[str, str] = {}
    clean = _clean_version_fields(merged, item.agency, errors)
    if bases is None:
        bases = [
            {"law": b.law, "article": b.article, "clause": b.clause, "text": b.text, "role": b.role}
            for b in latest.bases.all()
        ]
    clean_bases = _bases(bases, errors)
    if errors:
        raise ValidationError(errors)

    version = ItemVersion.objects.create(item=item, version=latest.version + 1, **clean)
    _write_bases(version, clean_bases)
    ledger.record(
        agency=item.agency,
        subject=item,
        actor=actor,
        action="catalog.item_version_created",
        payload=_version_payload(version),
    )
    return version


@transaction.atomic
def item_version_publish(*, actor, version: ItemVersion) -> ItemVersion:
    """Publish a draft. The published version still open-ended ends the day
    before this one takes effect, so `version_on` finds exactly one."""
    version = (
        ItemVersion.objects.select_for_update(of=("self",))
        .select_related("item__agency")
        .get(pk=version.pk)
    )
    item = version.item
    agency = item.agency
    _require(actor, agency, "发布执法事项")
    errors: dict[str, str] = {}
    if version.status != ItemVersion.Status.DRAFT:
        errors["status"] = (
            f"第 {version.version} 版已是“{version.get_status_display()}”，只能发布草稿。"
        )
    if not version.bases.exists():
        errors["bases"] = (
            f"第 {version.version} 版没有执法依据，不能发布（行政处罚法 第三十八条：没有依据的行政处罚无效）。"
        )
    _category_in_agency(version.category, agency, errors)
    previous = (
        item.versions.select_for_update()
        .filter(status=ItemVersion.Status.PUBLISHED)
        .exclude(pk=version.pk)
        .order_by("-effective_from", "-version")
        .first()
    )
    if previous is not None and version.effective_from <= previous.effective_from:
        errors["effective_from"] = (
            f"施行日期（{version.effective_from.isoformat()}）必须晚于现行第 {previous.version} 版的"
            f"施行日期（{previous.effective_from.isoformat()}）。"
        )
    if errors:
        raise ValidationError(errors)

    ended = None
    if previous is not None and (
        previous.effective_to is None or previous.effective_to >= version.effective_from
    ):
        previous.effective_to = version.effective_from - timedelta(days=1)
        previous.save(update_fields=["effective_to"])
        ended = previous
    version.status = ItemVersion.Status.PUBLISHED
    version.save(update_fields=["status"])
    payload = _version_payload(version)
    if ended is not None:
        payload["previous"] = {
            "version": ended.version,
            "effective_to": ended.effective_to.isoformat(),
        }
    ledger.record(
        agency=agency,
        subject=item,
        actor=actor,
        action="catalog.item_version_published",
        payload=payload,
    )
    return version


# --------------------------------------------------------------------------
# Discretion benchmarks
# --------------------------------------------------------------------------


def _grade_rows(grades: Iterable[Mapping], errors: dict) -> list[dict]:
    rows: list[dict] = []
    seen: set[str] = set()
    problems: list[str] = []
    for n, raw in enumerate(grades or (), start=1):
        local: dict[str, str] = {}
        code = _choice(raw.get("grade"), Grade, "grade", "裁量阶次", local)
        label = Grade(code).label if code else f"第 {n} 个阶次"
        if code and code in seen:
            local["grade"] = "重复设置（每个阶次只能设置一次）。"
        seen.add(code)
        row: dict[str, Any] = {"grade": code}
        row["conditions"] = _text(
            raw.get("conditions"), "conditions", "适用情形", local, max_length=2000
        )
        circumstances = raw.get("circumstances") or []
        if isinstance(circumstances, str):
            circumstances = [c for c in circumstances.replace("，", ",").split(",")]
        row["circumstances"] = [str(c).strip() for c in circumstances if str(c).strip()]
        row["penalty_types"] = _penalty_types(raw.get("penalty_types"), "penalty_types", local)
        for field, label_ in (
            ("fine_min", "罚款下限"),
            ("fine_max", "罚款上限"),
            ("gains_multiple_min", "违法所得倍数下限"),
            ("gains_multiple_max", "违法所得倍数上限"),
        ):
            row[field] = _amount(raw.get(field), field, label_, local)
        fmin, fmax = row["fine_min"], row["fine_max"]
        if fmin is not None and fmax is not None and fmin > fmax:
            local["fine_max"] = f"罚款下限（{fmin} 元）高于上限（{fmax} 元）。"
        mmin, mmax = row["gains_multiple_min"], row["gains_multiple_max"]
        if mmin is not None and mmax is not None and mmin > mmax:
            local["gains_multiple_max"] = f"违法所得倍数下限（{mmin}）高于上限（{mmax}）。"
        has_fine = any(
            row[f] is not None
            for f in ("fine_min", "fine_max", "gains_multiple_min", "gains_multiple_max")
        )
        if code == Grade.NONE:
            if has_fine or row["penalty_types"]:
                local["penalty_types"] = "不予处罚的阶次不能设置处罚种类或罚款幅度。"
        else:
            if has_fine and PenaltyType.FINE not in row["penalty_types"]:
                local["penalty_types"] = "设置了罚款幅度，处罚种类应包含“罚款”。"
            if PenaltyType.FINE in row["penalty_types"] and not has_fine:
                local["fine_min"] = "处罚种类包含“罚款”，请填写罚款幅度（金额或违法所得倍数）。"
            if not row["penalty_types"] and not local.get("penalty_types"):
                local["penalty_types"] = "请至少选择一种处罚种类（行政处罚法 第九条）。"
        if local:
            problems.append(f"“{label}”：" + "".join(local.values()))
        rows.append(row)
    if not rows:
        errors["grades"] = "请至少设置一个裁量阶次。"
    if problems:
        errors["grades"] = "；".join(problems)
    elif rows:
        _check_order(rows, errors)
    return rows


def _check_order(rows: list[dict], errors: dict) -> None:
    """Ranges climb with the grade (减轻 < 从轻 < 一般 < 从重) and do not overlap."""
    by_grade = {row["grade"]: row for row in rows}
    problems: list[str] = []
    for low_field, high_field, unit in (
        ("fine_min", "fine_max", "元"),
        ("gains_multiple_min", "gains_multiple_max", "倍"),
    ):
        present = [g for g in FINE_GRADES if g in by_grade]
        for milder, heavier in pairwise(present):
            a, b = by_grade[milder], by_grade[heavier]
            a_max = a[high_field] if a[high_field] is not None else a[low_field]
            b_min = b[low_field] if b[low_field] is not None else b[high_field]
            if a_max is None or b_min is None:
                continue
            if a_max > b_min:
                problems.append(
                    f"“{Grade(milder).label}”的幅度（至 {a_max} {unit}）与"
                    f"“{Grade(heavier).label}”的幅度（自 {b_min} {unit}）重叠或倒置："
                    f"{Grade(milder).label}应低于{Grade(heavier).label}"
                )
    if problems:
        errors["grades"] = "；".join(problems) + "。"


@transaction.atomic
def discretion_standard_save(
    *,
    actor,
    version: ItemVersion | None,
    violation: str,
    basis: str,
    grades: Iterable[Mapping],
) -> DiscretionStandard:
    """Create the benchmark for `violation` under a penalty item version, or
    replace its grades when it exists."""
    if version is None or not isinstance(version, ItemVersion) or version.pk is None:
        raise ValidationError({"version": "裁量基准必须对应一个已存在的执法事项版本。"})
    if not ItemVersion.objects.filter(pk=version.pk).exists():
        raise ValidationError({"version": "所指的执法事项版本不存在。"})
    agency = version.item.agency
    _require(actor, agency, "维护裁量基准")
    errors: dict[str, str] = {}
    if version.kind != ItemKind.PENALTY:
        errors["version"] = (
            f"“{version.name}”是{version.get_kind_display()}事项，只有行政处罚事项才能设置裁量基准。"
        )
    violation = _text(violation, "violation", "违法行为", errors, max_length=300)
    basis = _text(basis, "basis", "裁量依据", errors, max_length=300)
    rows = _grade_rows(list(grades or ()), errors)
    if errors:
        raise ValidationError(errors)

    standard, created = DiscretionStandard.objects.get_or_create(
        version=version, violation=violation, defaults={"basis": basis}
    )
    if not created:
        standard.basis = basis
        standard.save(update_fields=["basis"])
        standard.grades.all().delete()
    DiscretionGrade.objects.bulk_create(DiscretionGrade(standard=standard, **row) for row in rows)
    ledger.record(
        agency=agency,
        subject=version.item,
        actor=actor,
        action="catalog.discretion_standard_saved",
        payload={
            "item": version.item.code,
            "version": version.version,
            "standard": standard.pk,
            "created": created,
            "grades": [
                {
                    "grade": r["grade"],
                    "penalty_types": r["penalty_types"],
                    "fine_min": _s(r["fine_min"]),
                    "fine_max": _s(r["fine_max"]),
                    "gains_multiple_min": _s(r["gains_multiple_min"]),
                    "gains_multiple_max": _s(r["gains_multiple_max"]),
                }
                for r in rows
            ],
        },
    )
    return standard


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --------------------------------------------------------------------------
# Major-decision catalog and settings
# --------------------------------------------------------------------------


@transaction.atomic
def major_criterion_save(
    *,
    actor,
    agency: Agency,
    kind: str,
    description: str,
    citation: str,
    item: EnforcementItem | None = None,
    penalty_types: Iterable = (),
    party_kind: str = PartyKind.ANY,
    amount_threshold=None,
    criterion: MajorDecisionCriterion | None = None,
) -> MajorDecisionCriterion:
    """Add a line to the agency's 重大执法决定法制审核目录清单 (or change `criterion`)."""
    _require(actor, agency, "维护重大执法决定法制审核目录清单")
    errors: dict[str, str] = {}
    kind = _choice(kind, MajorDecisionCriterion.Kind, "kind", "审核情形", errors)
    description = _text(description, "description", "说明", errors, max_length=300)
    citation = _text(citation, "citation", "依据", errors, max_length=300)
    if "citation" in errors and not str(citation or "").strip():
        errors["citation"] = "每一项审核情形都必须写明依据（法律、法规、规章或规范性文件及条款）。"
    party_kind = _choice(party_kind or PartyKind.ANY, PartyKind, "party_kind", "当事人类型", errors)
    types = _penalty_types(penalty_types, "penalty_types", errors)
    threshold = _amount(amount_threshold, "amount_threshold", "金额标准", errors)
    if item is not None and item.agency_id != agency.pk:
        errors["item"] = f"执法事项“{item.code}”不属于“{agency.name}”。"
    if criterion is not None and criterion.agency_id != agency.pk:
        errors["agency"] = "不能把其他机关的审核情形改到本机关。"
    if kind == MajorDecisionCriterion.Kind.PENALTY_TYPE and not types:
        errors["penalty_types"] = "“处罚种类”情形须至少选择一种处罚种类。"
    if kind == MajorDecisionCriterion.Kind.AMOUNT and not threshold:
        errors["amount_threshold"] = "“罚没金额达到标准”情形须填写大于零的金额标准。"
    if errors:
        raise ValidationError(errors)

    criterion = criterion or MajorDecisionCriterion(agency=agency)
    criterion.item = item
    criterion.kind = kind
    criterion.description = description
    criterion.citation = citation
    criterion.party_kind = party_kind
    criterion.penalty_types = types
    criterion.amount_threshold = threshold if kind == MajorDecisionCriterion.Kind.AMOUNT else None
    criterion.save()
    ledger.record(
        agency=agency,
        subject=criterion,
        actor=actor,
        action="catalog.major_criterion_saved",
        payload={
            "criterion": criterion.pk,
            "kind": kind,
            "item": item.code if item else None,
            "party_kind": party_kind,
            "penalty_types": types,
            "amount_threshold": _s(criterion.amount_threshold),
            "citation": citation,
        },
    )
    return criterion


@transaction.atomic
def major_criterion_delete(*, actor, criterion: MajorDecisionCriterion) -> None:
    agency = criterion.agency
    _require(actor, agency, "维护重大执法决定法制审核目录清单")
    payload = {"criterion": criterion.pk, "kind": criterion.kind, "citation": criterion.citation}
    ledger.record(
        agency=agency,
        subject=criterion,
        actor=actor,
        action="catalog.major_criterion_deleted",
        payload=payload,
    )
    criterion.delete()


@transaction.atomic
def catalog_settings_save(
    *,
    actor,
    agency: Agency,
    review_all_general_procedure: bool,
    supervision_channels: str | None = None,
    remedies: str | None = None,
) -> AgencyCatalogSettings:
    """Save the agency's catalog settings.

    `supervision_channels` and `remedies` (监督方式、救济渠道, GB118-01) are left
    unchanged when not given (None), so older callers keep working.
    """
    _require(actor, agency, "修改执法事项设置")
    settings, _ = AgencyCatalogSettings.objects.get_or_create(agency=agency)
    settings.review_all_general_procedure = bool(review_all_general_procedure)
    if supervision_channels is not None:
        settings.supervision_channels = supervision_channels.strip()
    if remedies is not None:
        settings.remedies = remedies.strip()
    settings.full_clean(exclude=["agency"])
    settings.save()
    ledger.record(
        agency=agency,
        subject=settings,
        actor=actor,
        action="catalog.settings_saved",
        payload={
            "review_all_general_procedure": settings.review_all_general_procedure,
            "supervision_channels": settings.supervision_channels,
            "remedies": settings.remedies,
        },
    )
    return settings


__all__ = [
    "LEDGER_ACTIONS",
    "can_manage_catalog",
    "catalog_settings_save",
    "discretion_standard_save",
    "item_create",
    "item_version_create",
    "item_version_publish",
    "major_criterion_delete",
    "major_criterion_save",
]
