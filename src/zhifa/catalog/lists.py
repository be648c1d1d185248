"""事前公开 lists of an agency beside the 权责清单 (GB118-01):

* 音像记录事项清单 — which enforcement steps are recorded on audio-video
  (GB118-13/14), with `av_requirement` answering for one step;
* 随机抽查事项清单 — the random-inspection items (DR-01: 抽查依据、抽查主体、
  抽查内容、抽查方式, with ratio and frequency, DR-03);
* 服务指南 — the service guide of one item version.

Writes follow `zhifa.catalog.services`: keyword-only with a required `actor`,
permission `can_manage_catalog`, everything validated first (Chinese messages
keyed by field), then one transaction with `ledger.record`. The public reads
at the end return only what the public pages show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa import ledger
from zhifa.catalog.models import (
    AvRecordingRule,
    AvRequirement,
    AvStep,
    EnforcementItem,
    ItemKind,
    ItemVersion,
    RandomInspectionItem,
    ServiceGuide,
)
from zhifa.catalog.services import _choice, _require, _text
from zhifa.orgs.models import Agency

GUIDELINE_118 = (
    "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的"
    "指导意见》（国办发〔2018〕118号）三、（八）"
)

# GB118-13: on-site acts directly affecting personal liberty, life and health or
# major property (查封扣押财产、强制拆除) are recorded from start to end.
FULL_STEPS = frozenset({AvStep.SEIZURE, AvStep.DEMOLITION})
# GB118-14: on-site enforcement, hearings, 留置送达 and 公告送达 are prone to
# disputes and are recorded "according to actual circumstances".
KEY_STEPS = frozenset(
    {AvStep.ONSITE_INSPECTION, AvStep.HEARING, AvStep.SERVICE_LEAVING, AvStep.SERVICE_NOTICE}
)
FULL_CITATION = f"{GUIDELINE_118}（查封扣押财产、强制拆除等现场执法活动推行全程音像记录）"
KEY_CITATION = f"{GUIDELINE_118}（现场执法、听证、留置送达、公告送达等根据实际情况进行音像记录）"


# --------------------------------------------------------------------------
# 音像记录事项清单
# --------------------------------------------------------------------------


def default_av_requirement(step: str) -> tuple[str, str]:
    """What the national guideline asks for `step` when the agency set nothing."""
    if step in FULL_STEPS:
        return AvRequirement.FULL, FULL_CITATION
    if step in KEY_STEPS:
        return AvRequirement.KEY, KEY_CITATION
    return AvRequirement.OPTIONAL, GUIDELINE_118


def av_requirement(agency: Agency, item: EnforcementItem | None, step: str) -> tuple[str, str]:
    """(requirement, citation) for `step` of `item`: the item's own rule, else the
    agency-wide rule, else the national default. `step` is a code or its label."""
    errors: dict[str, str] = {}
    code = _choice(step, AvStep, "step", "执法环节", errors)
    if errors:
        raise ValidationError(errors)
    rules = AvRecordingRule.objects.filter(agency=agency, step=code)
    rule = None
    if item is not None:
        rule = rules.filter(item=item).first()
    rule = rule or rules.filter(item__isnull=True).first()
    if rule is not None:
        return rule.requirement, rule.citation
    return default_av_requirement(code)


@transaction.atomic
def av_rule_save(
    *,
    actor,
    agency: Agency,
    step: str,
    requirement: str,
    citation: str,
    item: EnforcementItem | None = None,
    note: str = "",
) -> AvRecordingRule:
    """Set the requirement for one step (of one item, or of all the agency's items)."""
    _require(actor, agency, "维护音像记录事项清单")
    errors: dict[str, str] = {}
    step = _choice(step, AvStep, "step", "执法环节", errors)
    requirement = _choice(requirement, AvRequirement, "requirement", "记录要求", errors)
    citation = _text(citation, "citation", "依据", errors, max_length=300)
    if "citation" in errors and not str(citation or "").strip():
        errors["citation"] = (
            "每一项音像记录要求都必须写明依据（法律、法规、规章或规范性文件及条款）。"
        )
    note = str(note or "").strip()
    if len(note) > 300:
        errors["note"] = "说明不能超过 300 个字。"
    if item is not None and item.agency_id != agency.pk:
        errors["item"] = f"执法事项“{item.code}”不属于“{agency.name}”。"
    if step in FULL_STEPS and requirement and requirement != AvRequirement.FULL:
        errors["requirement"] = (
            f"“{AvStep(step).label}”直接涉及重大财产权益等，须全程音像记录，不能降低要求。"
        )
    if errors:
        raise ValidationError(errors)

    rule, created = AvRecordingRule.objects.get_or_create(
        agency=agency,
        item=item,
        step=step,
        defaults={"requirement": requirement, "citation": citation, "note": note},
    )
    if not created:
        rule.requirement = requirement
        rule.citation = citation
        rule.note = note
        rule.save()
    ledger.record(
        agency=agency,
        subject=rule,
        actor=actor,
        action="catalog.av_rule_saved",
        payload={
            "rule": rule.pk,
            "item": item.code if item else None,
            "step": step,
            "requirement": requirement,
            "citation": citation,
        },
    )
    return rule


# --------------------------------------------------------------------------
# 随机抽查事项清单
# --------------------------------------------------------------------------


def _ratio(value: Any, errors: dict) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        ratio = Decimal(str(value))
    except InvalidOperation:
        errors["ratio"] = f"抽查比例“{value}”不是有效的数字。"
        return None
    if not ratio.is_finite() or ratio < 0 or ratio > 1:
        errors["ratio"] = "抽查比例应在 0 至 1 之间（例如 0.05 表示 5%）。"
        return None
    return ratio.quantize(Decimal("0.0001"))


@transaction.atomic
def random_inspection_item_save(
    *,
    actor,
    agency: Agency,
    item: EnforcementItem,
    inspecting_body: str,
    basis: str,
    targets: str,
    content: str,
    method: str,
    frequency: str,
    ratio=None,
    entry: RandomInspectionItem | None = None,
    today: date | None = None,
) -> RandomInspectionItem:
    """Add a line to the agency's 随机抽查事项清单 (or change `entry`). The item must
    be one of the agency's inspection items, published, in force and marked for
    random inspection (DR-01: no inspection outside the published list)."""
    _require(actor, agency, "维护随机抽查事项清单")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    fields = {
        "inspecting_body": _text(
            inspecting_body, "inspecting_body", "抽查主体", errors, max_length=200
        ),
        "basis": _text(basis, "basis", "抽查依据", errors, max_length=5000),
        "targets": _text(targets, "targets", "抽查对象", errors, max_length=300),
        "content": _text(content, "content", "抽查内容", errors, max_length=5000),
        "method": _text(method, "method", "抽查方式", errors, max_length=200),
        "frequency": _text(frequency, "frequency", "抽查频次", errors, max_length=100),
        "ratio": _ratio(ratio, errors),
    }
    if not isinstance(item, EnforcementItem):
        errors["item"] = "请选择检查事项。"
    elif item.agency_id != agency.pk:
        errors["item"] = f"执法事项“{item.code}”不属于“{agency.name}”。"
    else:
        version = item.version_on(today)
        if version is None:
            errors["item"] = (
                f"执法事项“{item.code}”没有现行有效的已发布版本，不能列入随机抽查事项清单。"
            )
        elif version.kind != ItemKind.INSPECTION:
            errors["item"] = f"“{version.name}”不是行政检查事项，不能列入随机抽查事项清单。"
        elif not version.random_inspection:
            errors["item"] = f"“{version.name}”未纳入随机抽查，请先在执法事项中开启“纳入随机抽查”。"
    if entry is not None and entry.agency_id != agency.pk:
        errors["agency"] = "不能把其他机关的随机抽查事项改到本机关。"
    if errors:
        raise ValidationError(errors)

    entry = entry or RandomInspectionItem(agency=agency)
    entry.item = item
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    ledger.record(
        agency=agency,
        subject=entry,
        actor=actor,
        action="catalog.random_inspection_item_saved",
        payload={
            "entry": entry.pk,
            "item": item.code,
            "ratio": None if entry.ratio is None else str(entry.ratio),
            "frequency": entry.frequency,
        },
    )
    return entry


# --------------------------------------------------------------------------
# 服务指南
# --------------------------------------------------------------------------

GUIDE_FIELDS = {
    # name: (label, required, max_length)
    "accepting_unit": ("受理机构", True, 200),
    "approving_unit": ("审批机构", True, 200),
    "conditions": ("受理条件", True, 10000),
    "materials": ("申请材料", True, 10000),
    "process": ("办理流程", True, 10000),
    "time_limit": ("办理时限", True, 200),
    "remedies": ("救济渠道", True, 5000),
    "fees": ("收费标准", False, 200),
    "supervision": ("监督投诉渠道", False, 300),
    "office_hours": ("办公时间", False, 200),
    "address": ("办理地点", False, 300),
    "telephone": ("咨询电话", False, 60),
}


@transaction.atomic
def service_guide_save(*, actor, version: ItemVersion, **fields) -> ServiceGuide:
    """Write the 服务指南 of `version` (created or replaced as a whole)."""
    agency = version.item.agency
    _require(actor, agency, "维护服务指南")
    errors: dict[str, str] = {}
    unknown = sorted(set(fields) - set(GUIDE_FIELDS))
    if unknown:
        errors["__all__"] = f"服务指南没有这些栏目：{'、'.join(unknown)}。"
    clean: dict[str, str] = {}
    for name, (label, required, max_length) in GUIDE_FIELDS.items():
        if required:
            clean[name] = _text(fields.get(name), name, label, errors, max_length=max_length)
        else:
            clean[name] = str(fields.get(name) or "").strip()
            if len(clean[name]) > max_length:
                errors[name] = f"{label}不能超过 {max_length} 个字。"
    if version.status == ItemVersion.Status.RETIRED:
        errors["version"] = "已废止的事项版本不能再编写服务指南。"
    if errors:
        raise ValidationError(errors)

    guide, _ = ServiceGuide.objects.update_or_create(version=version, defaults=clean)
    ledger.record(
        agency=agency,
        subject=guide,
        actor=actor,
        action="catalog.service_guide_saved",
        payload={"item": version.item.code, "version": version.version},
    )
    return guide


# --------------------------------------------------------------------------
# Public reads
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class AvRow:
    scope: str
    step: str
    requirement: str
    citation: str
    note: str


def av_rows_for_public(agency: Agency) -> tuple[list[AvRow], list[AvRow]]:
    """(the agency's own rules, the national defaults for every step)."""
    rows = [
        AvRow(
            scope=str(rule.item) if rule.item_id else "本机关全部事项",
            step=rule.get_step_display(),
            requirement=rule.get_requirement_display(),
            citation=rule.citation,
            note=rule.note,
        )
        for rule in AvRecordingRule.objects.filter(agency=agency).select_related("item")
    ]
    defaults = []
    for step in AvStep:
        requirement, citation = default_av_requirement(step)
        defaults.append(
            AvRow("全部事项", step.label, AvRequirement(requirement).label, citation, "")
        )
    return rows, defaults


@dataclass(frozen=True)
class InspectionRow:
    item_name: str
    item_public_id: Any
    entry: RandomInspectionItem

    @property
    def ratio_percent(self) -> str:
        if self.entry.ratio is None:
            return ""
        percent = (self.entry.ratio * 100).normalize()
        return f"{percent:f}%"


def random_inspection_rows_for_public(agency: Agency, *, today: date) -> list[InspectionRow]:
    """Entries whose item has a published version in force `today`."""
    rows = []
    entries = RandomInspectionItem.objects.filter(agency=agency).select_related("item")
    for entry in entries:
        version = entry.item.version_on(today)
        if version is not None:
            rows.append(InspectionRow(version.name, entry.item.public_id, entry))
    return rows


def service_guide_for_public(*, public_id, today: date) -> tuple[ItemVersion, ServiceGuide] | None:
    """The guide of the item's version in force `today`; None when there is none."""
    item = EnforcementItem.objects.select_related("agency").filter(public_id=public_id).first()
    if item is None:
        return None
    version = item.version_on(today)
    if version is None:
        return None
    guide = ServiceGuide.objects.filter(version=version).first()
    if guide is None:
        return None
    return version, guide


__all__ = [
    "av_requirement",
    "av_rows_for_public",
    "av_rule_save",
    "default_av_requirement",
    "random_inspection_item_save",
    "random_inspection_rows_for_public",
    "service_guide_for_public",
    "service_guide_save",
]
