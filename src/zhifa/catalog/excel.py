"""Excel in and out for the catalog lists (执法事项清单, 重大执法决定法制审核目录,
音像记录事项清单, 随机抽查事项清单, 服务指南).

Follows the officer registry's approach (`zhifa.officers.excel`, whose file
reading and workbook writing helpers are reused here):

* `catalog_template(agency=...)` writes the template (xlsxwriter, every user
  string through `write_string`, no string ever becomes a formula or link).
* `import_catalog(actor=..., agency=..., file=...)` reads a filled template
  with openpyxl (read-only, cached values only), validates every row first
  and then writes all rows or none through the catalog services in one
  transaction. Re-importing the same file changes nothing: items are matched
  by 事项编码 and their published content compared; criteria are matched by
  their whole content.
* `export_catalog(agency=...)` writes the versions in force in the template's
  columns, so an export re-imports as "unchanged".

The 执法事项清单 sheet has one row per legal basis: rows with the same
事项编码 are one item, and their item columns must agree.

The later sheets are optional in an uploaded file (older templates lack them):
音像记录 rules are matched by (事项编码, 环节) and updated when their 要求 or 依据
differ (their 说明 is kept); 随机抽查 lines, like criteria, by their whole
content; 服务指南 rows (one per 事项编码) by the guide of the item's version in
force, replaced as a whole when any field differs; 裁量基准 rows with the same
(事项编码, 违法行为) are one benchmark of the item's latest published version,
matched by (version, 违法行为) and replaced when its 裁量依据 or grades differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.catalog import lists, services
from zhifa.catalog.discretion import CIRCUMSTANCES
from zhifa.catalog.models import (
    AvRecordingRule,
    AvRequirement,
    AvStep,
    DiscretionStandard,
    EnforcementItem,
    Grade,
    ItemKind,
    ItemVersion,
    LegalBasis,
    MajorDecisionCriterion,
    PartyKind,
    PenaltyType,
    RandomInspectionItem,
    ServiceGuide,
)

# The officer registry's Excel helpers: same limits, same refusals, same messages.
from zhifa.officers.excel import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    Column,
    FileRefused,
    RowError,
    SheetCounts,
    _Book,
    _CellError,
    _choices_sheet,
    _custom_props,
    _date,
    _is_uuid,
    _open_workbook,
    _read_sheet,
    _read_upload,
    _Sheet,
    _text,
)
from zhifa.orgs.models import Agency, EnforcementCategory, Unit

__all__ = [
    "AV_SHEET",
    "CRITERION_SHEET",
    "DISCRETION_SHEET",
    "GUIDE_SHEET",
    "INSPECTION_SHEET",
    "ITEM_SHEET",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ImportResult",
    "catalog_template",
    "export_catalog",
    "import_catalog",
]

ITEM_SHEET = "执法事项清单"
CRITERION_SHEET = "重大执法决定法制审核目录"
AV_SHEET = "音像记录事项清单"
INSPECTION_SHEET = "随机抽查事项清单"
GUIDE_SHEET = "服务指南"
DISCRETION_SHEET = "裁量基准"
# Sheets added after the first templates: a file without them imports as before.
OPTIONAL_SHEETS = (AV_SHEET, INSPECTION_SHEET, GUIDE_SHEET, DISCRETION_SHEET)
NOTES_SHEET = "说明"

PROP_KIND = "zhifa.kind"
PROP_AGENCY = "zhifa.agency"
KIND_VALUE = "catalog"

YES, NO = "是", "否"
IMPORT_NOTE = "Excel 导入"
_SEPARATORS = re.compile(r"[、，,;；\s]+")

ITEM_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "事项编码",
        16,
        required=True,
        note="必填。本执法主体内唯一；同一事项有多条依据时，每条依据一行，各行的事项编码相同，"
        "事项名称至施行日期各列也须相同。",
    ),
    Column("name", "事项名称", 36, required=True, note="必填，不超过 200 个字。"),
    Column("kind", "执法类型", 12, kind="choice", required=True, note="必填，从下拉列表中选择。"),
    Column(
        "category",
        "执法类别",
        14,
        kind="choice",
        required=True,
        note="必填。执法类别名称，须在本执法主体的执法领域内。",
    ),
    Column("unit", "承办机构", 16, kind="choice", note="选填。本执法主体已登记的承办机构名称。"),
    Column(
        "random_inspection", "纳入随机抽查", 10, kind="choice", note="选填：是 / 否（空白按“否”）。"
    ),
    Column(
        "procedure",
        "适用程序",
        18,
        required=True,
        note="必填。程序编号，例如 penalty.general（行政处罚普通程序）。",
    ),
    Column(
        "effective_from",
        "施行日期",
        14,
        kind="date",
        required=True,
        note="必填。日期格式 YYYY-MM-DD。已有事项内容有变化时，施行日期须晚于现行版本，导入后成为新版本。",
    ),
    Column(
        "role", "依据类型", 12, kind="choice", note="选填，从下拉列表中选择（空白按“实施依据”）。"
    ),
    Column(
        "law",
        "法律法规名称",
        30,
        required=True,
        note="必填。不带书名号，例如：中华人民共和国食品安全法。",
    ),
    Column("article", "条", 14, required=True, note="必填，例如：第一百二十二条。"),
    Column("clause", "款项", 12, note="选填，例如：第一款第（二）项。"),
    Column("text", "条文内容", 60, required=True, note="必填。依据条文的原文。"),
)

CRITERION_COLUMNS: tuple[Column, ...] = (
    Column("kind", "审核情形", 24, kind="choice", required=True, note="必填，从下拉列表中选择。"),
    Column("description", "说明", 36, required=True, note="必填，不超过 300 个字。"),
    Column(
        "citation",
        "依据",
        36,
        required=True,
        note="必填。法律、法规、规章或规范性文件名称及条款，每一项审核情形都必须写明依据。",
    ),
    Column(
        "penalty_types",
        "处罚种类",
        24,
        note="“处罚种类”情形必填，其他情形选填。多个种类用顿号“、”或分号分隔，例如：吊销许可证件；责令停产停业。",
    ),
    Column(
        "party_kind",
        "当事人类型",
        14,
        kind="choice",
        note="选填，从下拉列表中选择（空白按“不限”）。",
    ),
    Column(
        "amount_threshold",
        "金额标准（元）",
        14,
        note="“罚没金额达到标准”情形必填：达到该金额即需法制审核，填写数字，例如 50000。",
    ),
    Column(
        "item_code",
        "事项编码",
        16,
        note="选填。只适用于某一执法事项时填写其事项编码；空白表示适用本机关全部事项。",
    ),
)

AV_COLUMNS: tuple[Column, ...] = (
    Column(
        "item_code",
        "事项编码",
        16,
        note="选填。只适用于某一执法事项时填写其事项编码；空白表示适用本机关全部事项。",
    ),
    Column("step", "环节", 14, kind="choice", required=True, note="必填，从下拉列表中选择。"),
    Column(
        "requirement",
        "要求",
        18,
        kind="choice",
        required=True,
        note="必填，从下拉列表中选择。查封扣押、强制拆除须“全程音像记录”。",
    ),
    Column(
        "citation",
        "依据",
        48,
        required=True,
        note="必填。法律、法规、规章或规范性文件名称及条款，不超过 300 个字。",
    ),
)

INSPECTION_COLUMNS: tuple[Column, ...] = (
    Column(
        "item_code",
        "事项编码",
        16,
        required=True,
        note="必填。已发布、现行有效、纳入随机抽查的行政检查事项的事项编码。",
    ),
    Column("inspecting_body", "检查主体", 24, required=True, note="必填，不超过 200 个字。"),
    Column("basis", "抽查依据", 40, required=True, note="必填。法律、法规、规章及条款。"),
    Column("targets", "检查对象", 24, required=True, note="必填，不超过 300 个字。"),
    Column("content", "检查内容", 40, required=True, note="必填。"),
    Column(
        "ratio",
        "抽查比例",
        10,
        note="选填。百分数（如 5%）或 0 至 1 之间的小数（如 0.05）；空白表示按年度计划确定。",
    ),
    Column("method", "检查方式", 18, required=True, note="必填，例如：现场检查、书面检查。"),
    Column("frequency", "抽查频次", 14, required=True, note="必填，例如：每年一次。"),
)

GUIDE_COLUMNS: tuple[Column, ...] = (
    Column(
        "item_code",
        "事项编码",
        16,
        required=True,
        note="必填。每个事项一行；服务指南写入该事项现行有效的已发布版本。",
    ),
    *(
        Column(
            name,
            label,
            40 if limit > 300 else 20,
            required=required,
            note=f"{'必填' if required else '选填'}，不超过 {limit} 个字。",
        )
        for name, (label, required, limit) in lists.GUIDE_FIELDS.items()
    ),
)
DISCRETION_COLUMNS: tuple[Column, ...] = (
    Column(
        "item_code",
        "事项编码",
        16,
        required=True,
        note="必填。行政处罚事项的事项编码；裁量基准写入该事项最新的已发布版本。",
    ),
    Column(
        "violation",
        "违法行为",
        30,
        required=True,
        note="必填，不超过 300 个字。同一事项、同一违法行为的各阶次写成多行，各行的裁量依据须相同。",
    ),
    Column("basis", "裁量依据", 30, required=True, note="必填，不超过 300 个字。"),
    Column("grade", "裁量阶次", 12, kind="choice", required=True, note="必填，从下拉列表中选择。"),
    Column("conditions", "适用情形", 36, required=True, note="必填，不超过 2000 个字。"),
    Column(
        "circumstances",
        "情形代码",
        24,
        note="选填。多个代码用顿号“、”分隔，例如：first_offence_corrected、minor_14_18。",
    ),
    Column(
        "penalty_types",
        "处罚种类",
        24,
        note="“不予处罚”以外的阶次必填。多个种类用顿号“、”分隔，例如：警告、罚款。",
    ),
    Column("fine_min", "罚款下限", 12, note="选填，数字（元）。"),
    Column("fine_max", "罚款上限", 12, note="选填，数字（元）。"),
    Column("gains_multiple_min", "违法所得倍数下限", 14, note="选填，数字，例如 1。"),
    Column("gains_multiple_max", "违法所得倍数上限", 14, note="选填，数字，例如 5。"),
)
DISCRETION_FIELD_COLUMNS = {
    "version": "事项编码",
    "violation": "违法行为",
    "basis": "裁量依据",
    "grades": "裁量阶次",
}
GRADE_FIELDS = (
    "grade",
    "conditions",
    "circumstances",
    "penalty_types",
    "fine_min",
    "fine_max",
    "gains_multiple_min",
    "gains_multiple_max",
)

GUIDE_FIELD_COLUMNS = {
    "item": "事项编码",
    "version": "事项编码",
    **{name: label for name, (label, _, _) in lists.GUIDE_FIELDS.items()},
}

ITEM_FIELD_COLUMNS = {
    "code": "事项编码",
    "name": "事项名称",
    "kind": "执法类型",
    "category": "执法类别",
    "unit": "承办机构",
    "procedure": "适用程序",
    "effective_from": "施行日期",
}
CRITERION_FIELD_COLUMNS = {
    "kind": "审核情形",
    "description": "说明",
    "citation": "依据",
    "penalty_types": "处罚种类",
    "party_kind": "当事人类型",
    "amount_threshold": "金额标准（元）",
    "item": "事项编码",
}
AV_FIELD_COLUMNS = {
    "item": "事项编码",
    "step": "环节",
    "requirement": "要求",
    "citation": "依据",
}
INSPECTION_FIELD_COLUMNS = {
    "item": "事项编码",
    "inspecting_body": "检查主体",
    "basis": "抽查依据",
    "targets": "检查对象",
    "content": "检查内容",
    "ratio": "抽查比例",
    "method": "检查方式",
    "frequency": "抽查频次",
}

KIND_BY_LABEL = {label: value for value, label in ItemKind.choices}
ROLE_BY_LABEL = {label: value for value, label in LegalBasis.Role.choices}
CRITERION_KIND_BY_LABEL = {label: value for value, label in MajorDecisionCriterion.Kind.choices}
PARTY_BY_LABEL = {label: value for value, label in PartyKind.choices}
PENALTY_BY_LABEL = {label: value for value, label in PenaltyType.choices}
STEP_BY_LABEL = {label: value for value, label in AvStep.choices}
REQUIREMENT_BY_LABEL = {label: value for value, label in AvRequirement.choices}
GRADE_BY_LABEL = {label: value for value, label in Grade.choices}


# ---------------------------------------------------------------------------
# Results


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    items: SheetCounts = field(default_factory=SheetCounts)
    criteria: SheetCounts = field(default_factory=SheetCounts)
    av_rules: SheetCounts = field(default_factory=SheetCounts)
    inspections: SheetCounts = field(default_factory=SheetCounts)
    guides: SheetCounts = field(default_factory=SheetCounts)
    discretion: SheetCounts = field(default_factory=SheetCounts)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> list[tuple[str, SheetCounts]]:
        return [
            (ITEM_SHEET, self.items),
            (CRITERION_SHEET, self.criteria),
            (AV_SHEET, self.av_rules),
            (INSPECTION_SHEET, self.inspections),
            (GUIDE_SHEET, self.guides),
            (DISCRETION_SHEET, self.discretion),
        ]

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for _, c in self.counts)

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is None]

    @property
    def row_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is not None]


class _Rollback(Exception):
    pass


# ---------------------------------------------------------------------------
# Cell parsers


def _required_text(limit: int):
    def parse(value: Any) -> str:
        text = _text(value)
        if not text:
            raise _CellError("必须填写。")
        if len(text) > limit:
            raise _CellError(f"不能超过 {limit} 个字（表中 {len(text)} 个字）。")
        return text

    return parse


def _optional_text(limit: int):
    def parse(value: Any) -> str:
        text = _text(value)
        if len(text) > limit:
            raise _CellError(f"不能超过 {limit} 个字（表中 {len(text)} 个字）。")
        return text

    return parse


def _label(allowed: dict[str, str], what: str, *, default: str = ""):
    values = set(allowed.values())

    def parse(value: Any) -> str:
        text = _text(value).replace("(", "（").replace(")", "）")
        if not text:
            if default:
                return default
            raise _CellError("必须填写。")
        if text in allowed:
            return allowed[text]
        if text in values:  # the code itself is accepted too
            return text
        raise _CellError(
            f"「{text[:30]}」不是有效的{what}，请从下拉列表中选择（{'、'.join(allowed)}）。"
        )

    return parse


def _required_date(value: Any) -> date:
    day = _date(value)
    if day is None:
        raise _CellError("必须填写。")
    return day


def _yes_no(value: Any) -> bool:
    text = _text(value)
    if text in ("", NO, "否 "):
        return False
    if text == YES:
        return True
    raise _CellError(f"「{text[:30]}」无效，请填写“是”或“否”。")


def _penalty_types(value: Any) -> list[str]:
    text = _text(value)
    found: list[str] = []
    other = PenaltyType.OTHER.label  # its label itself contains a 顿号
    if other in text:
        found.append(PenaltyType.OTHER.value)
        text = text.replace(other, " ")
    for part in _SEPARATORS.split(text):
        if not part:
            continue
        code = PENALTY_BY_LABEL.get(part) or (part if part in PENALTY_BY_LABEL.values() else "")
        if not code:
            raise _CellError(
                f"「{part[:30]}」不是有效的处罚种类，应为：{'、'.join(PENALTY_BY_LABEL)}。"
            )
        if code not in found:
            found.append(code)
    return found


def _amount(value: Any) -> Decimal | None:
    text = _text(value).replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise _CellError(f"「{text[:30]}」不是有效的金额，请填写数字（元），例如 50000。") from exc
    if not amount.is_finite() or amount < 0:
        raise _CellError("金额不能为负数。")
    return amount.quantize(Decimal("0.01"))


def _number(what: str):
    def parse(value: Any) -> Decimal | None:
        text = _text(value).replace(",", "").replace("，", "")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise _CellError(f"「{text[:30]}」不是有效的{what}，请填写数字。") from exc
        if not number.is_finite() or number < 0:
            raise _CellError(f"{what}不能为负数。")
        return number.quantize(Decimal("0.01"))

    return parse


def _circumstances(value: Any) -> list[str]:
    found: list[str] = []
    for part in _SEPARATORS.split(_text(value)):
        if not part:
            continue
        if part not in CIRCUMSTANCES:
            raise _CellError(
                f"「{part[:40]}」不是有效的情形代码。可用的情形代码：{'、'.join(CIRCUMSTANCES)}。"
            )
        if part not in found:
            found.append(part)
    return found


def _plain_number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


class _Cells:
    def __init__(self, result: ImportResult, sheet: _Sheet, row: int, values: tuple) -> None:
        self.result = result
        self.sheet = sheet
        self.row = row
        self.values = values
        self.ok = True

    def __call__(self, column: str, parse) -> Any:
        try:
            return parse(self.sheet.get(self.values, column))
        except _CellError as exc:
            self.fail(exc.column or column, exc.message)
            return None

    def fail(self, column: str, message: str) -> None:
        self.ok = False
        self.result.errors.append(RowError(self.sheet.name, self.row, column, message))


# ---------------------------------------------------------------------------
# Items


@dataclass
class _ItemGroup:
    code: str
    row: int  # first row
    fields: dict[str, Any]
    bases: list[dict[str, str]] = field(default_factory=list)
    ok: bool = True
    item: EnforcementItem | None = None
    action: str = "create"  # create | update | unchanged


def _version_key(fields: dict[str, Any], bases: list[dict[str, str]]) -> tuple:
    unit = fields.get("unit")
    category = fields.get("category")
    return (
        fields["name"],
        fields["kind"],
        category.pk if category else None,
        unit.pk if unit else None,
        bool(fields["random_inspection"]),
        fields["procedure"],
        fields["effective_from"],
        tuple(sorted((b["role"], b["law"], b["article"], b["clause"], b["text"]) for b in bases)),
    )


def _stored_key(version: ItemVersion) -> tuple:
    return _version_key(
        {
            "name": version.name,
            "kind": version.kind,
            "category": version.category,
            "unit": version.unit,
            "random_inspection": version.random_inspection,
            "procedure": version.procedure,
            "effective_from": version.effective_from,
        },
        [
            {"role": b.role, "law": b.law, "article": b.article, "clause": b.clause, "text": b.text}
            for b in version.bases.all()
        ],
    )


def _published(item: EnforcementItem) -> list[ItemVersion]:
    return list(
        item.versions.filter(status=ItemVersion.Status.PUBLISHED)
        .select_related("category", "unit")
        .prefetch_related("bases")
        .order_by("-effective_from", "-version")
    )


def _in_force(item: EnforcementItem, published: list[ItemVersion]) -> ItemVersion | None:
    today = timezone.localdate()
    for version in published:
        if version.effective_from <= today and (
            version.effective_to is None or version.effective_to >= today
        ):
            return version
    return published[0] if published else None


VERSION_COLUMNS = (
    "事项名称",
    "执法类型",
    "执法类别",
    "承办机构",
    "纳入随机抽查",
    "适用程序",
    "施行日期",
)


def _read_items(sheet: _Sheet, agency: Agency, result: ImportResult) -> list[_ItemGroup]:
    units = {u.name: u for u in Unit.objects.filter(agency=agency)}
    agency_categories = {c.pk for c in agency.categories.all()}
    categories: dict[str, EnforcementCategory] = {}
    for category in EnforcementCategory.objects.all():
        categories[category.name] = category
        categories.setdefault(category.code, category)
    allowed_names = "、".join(c.name for c in agency.categories.order_by("code")) or "（无）"

    def category(value: Any) -> EnforcementCategory:
        text = _text(value)
        if not text:
            raise _CellError("必须填写。")
        found = categories.get(text)
        if found is None:
            raise _CellError(
                f"没有名为「{text[:30]}」的执法类别。本机关的执法类别：{allowed_names}。"
            )
        if found.pk not in agency_categories:
            raise _CellError(
                f"执法类别「{found.name}」不在「{agency.name}」的执法领域内（本机关的执法类别：{allowed_names}）。"
            )
        return found

    def unit(value: Any) -> Unit | None:
        text = _text(value)
        if not text:
            return None
        if text not in units:
            names = "、".join(units) or "（本机关尚未登记承办机构）"
            raise _CellError(
                f"本机关没有名为「{text[:30]}」的承办机构。已登记的承办机构：{names}。"
            )
        return units[text]

    groups: dict[str, _ItemGroup] = {}
    for row, values in sheet.rows:
        cells = _Cells(result, sheet, row, values)
        code = cells("事项编码", _required_text(60))
        fields = {
            "name": cells("事项名称", _required_text(200)),
            "kind": cells("执法类型", _label(KIND_BY_LABEL, "执法类型")),
            "category": cells("执法类别", category),
            "unit": cells("承办机构", unit),
            "random_inspection": cells("纳入随机抽查", _yes_no),
            "procedure": cells("适用程序", _required_text(60)),
            "effective_from": cells("施行日期", _required_date),
        }
        basis = {
            "role": cells("依据类型", _label(ROLE_BY_LABEL, "依据类型", default="authority")),
            "law": cells("法律法规名称", _required_text(200)),
            "article": cells("条", _required_text(40)),
            "clause": cells("款项", _optional_text(40)),
            "text": cells("条文内容", _required_text(20000)),
        }
        if code is None:
            continue
        group = groups.get(code)
        if group is None:
            groups[code] = _ItemGroup(code=code, row=row, fields=fields, bases=[basis], ok=cells.ok)
            continue
        group.bases.append(basis)
        group.ok = group.ok and cells.ok
        for (name, mine), column in zip(fields.items(), VERSION_COLUMNS, strict=True):
            theirs = group.fields[name]
            if mine is not None and theirs is not None and mine != theirs:
                cells.fail(
                    column,
                    f"与第 {group.row} 行（同一事项编码「{code}」）的「{column}」不一致。"
                    "同一事项的各行，事项名称至施行日期各列必须相同。",
                )
                group.ok = False

    existing = {
        i.code: i for i in EnforcementItem.objects.filter(agency=agency, code__in=list(groups))
    }
    for group in groups.values():
        if not group.ok:
            continue
        item = existing.get(group.code)
        if item is None:
            continue
        group.item = item
        published = _published(item)
        key = _version_key(group.fields, group.bases)
        current = _in_force(item, published)
        if any(_stored_key(v) == key for v in (current, published[0] if published else None) if v):
            group.action = "unchanged"
            continue
        group.action = "update"
        if published and group.fields["effective_from"] <= published[0].effective_from:
            group.ok = False
            result.errors.append(
                RowError(
                    sheet.name,
                    group.row,
                    "施行日期",
                    f"事项「{group.code}」的内容与已发布的第 {published[0].version} 版不同；"
                    f"作为新版本导入时，施行日期须晚于该版的施行日期"
                    f"（{published[0].effective_from.isoformat()}）。",
                )
            )
    return list(groups.values())


# ---------------------------------------------------------------------------
# Criteria


@dataclass
class _CriterionRow:
    row: int
    kind: str
    description: str
    citation: str
    penalty_types: list[str]
    party_kind: str
    amount_threshold: Decimal | None
    item_code: str
    ok: bool = True

    def key(self, item_id: int | None) -> tuple:
        threshold = (
            self.amount_threshold if self.kind == MajorDecisionCriterion.Kind.AMOUNT else None
        )
        return (
            self.kind,
            item_id,
            self.description,
            self.citation,
            self.party_kind,
            tuple(sorted(self.penalty_types)),
            threshold,
        )


def _stored_criterion_key(c: MajorDecisionCriterion) -> tuple:
    threshold = c.amount_threshold.quantize(Decimal("0.01")) if c.amount_threshold else None
    return (
        c.kind,
        c.item_id,
        c.description,
        c.citation,
        c.party_kind,
        tuple(sorted(c.penalty_types or [])),
        threshold,
    )


def _read_criteria(
    sheet: _Sheet, agency: Agency, item_codes: set[str], result: ImportResult
) -> list[_CriterionRow]:
    known = set(EnforcementItem.objects.filter(agency=agency).values_list("code", flat=True))
    known |= item_codes
    rows: list[_CriterionRow] = []
    for row, values in sheet.rows:
        cells = _Cells(result, sheet, row, values)
        kind = cells("审核情形", _label(CRITERION_KIND_BY_LABEL, "审核情形"))
        citation = cells("依据", _optional_text(300))
        if citation == "":
            cells.fail(
                "依据", "每一项审核情形都必须写明依据（法律、法规、规章或规范性文件及条款）。"
            )
        item_code = cells("事项编码", _optional_text(60))
        if item_code and item_code not in known:
            cells.fail(
                "事项编码",
                f"本机关没有事项编码为「{item_code}」的执法事项（也不在本文件的「{ITEM_SHEET}」表中）。",
            )
        parsed = _CriterionRow(
            row=row,
            kind=kind,
            description=cells("说明", _required_text(300)),
            citation=citation,
            penalty_types=cells("处罚种类", _penalty_types),
            party_kind=cells("当事人类型", _label(PARTY_BY_LABEL, "当事人类型", default="any")),
            amount_threshold=cells("金额标准（元）", _amount),
            item_code=item_code or "",
        )
        if cells.ok:
            if kind == MajorDecisionCriterion.Kind.PENALTY_TYPE and not parsed.penalty_types:
                cells.fail("处罚种类", "“处罚种类”情形须至少填写一种处罚种类。")
            if kind == MajorDecisionCriterion.Kind.AMOUNT and not parsed.amount_threshold:
                cells.fail("金额标准（元）", "“罚没金额达到标准”情形须填写大于零的金额标准。")
        parsed.ok = cells.ok
        rows.append(parsed)
    return rows


# ---------------------------------------------------------------------------
# 音像记录事项清单 and 随机抽查事项清单


def _known_codes(agency: Agency, item_codes: set[str]) -> set[str]:
    known = set(EnforcementItem.objects.filter(agency=agency).values_list("code", flat=True))
    return known | item_codes


def _item_code(known: set[str], *, required: bool):
    def parse(value: Any) -> str:
        text = _text(value)
        if not text:
            if required:
                raise _CellError("必须填写。")
            return ""
        if text not in known:
            raise _CellError(
                f"本机关没有事项编码为「{text[:30]}」的执法事项（也不在本文件的「{ITEM_SHEET}」表中）。"
            )
        return text

    return parse


def _ratio(value: Any) -> Decimal | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = repr(value)
    else:
        text = _text(value).replace("％", "%")
    if not text:
        return None
    percent = text.endswith("%")
    try:
        ratio = Decimal(text.rstrip("%").strip())
    except InvalidOperation as exc:
        raise _CellError(
            f"「{text[:30]}」不是有效的抽查比例，请填写百分数（如 5%）或小数（如 0.05）。"
        ) from exc
    if percent:
        ratio /= 100
    if not ratio.is_finite() or ratio < 0 or ratio > 1:
        raise _CellError("抽查比例应在 0 至 100% 之间（例如 5% 或 0.05）。")
    return ratio.quantize(Decimal("0.0001"))


def _ratio_text(ratio: Decimal | None) -> str:
    if ratio is None:
        return ""
    return f"{(ratio * 100).normalize():f}%"


@dataclass
class _AvRow:
    row: int
    item_code: str
    step: str
    requirement: str
    citation: str


def _read_av_rules(
    sheet: _Sheet, agency: Agency, item_codes: set[str], result: ImportResult
) -> list[_AvRow]:
    known = _known_codes(agency, item_codes)
    rows: list[_AvRow] = []
    seen: dict[tuple[str, str], int] = {}
    for row, values in sheet.rows:
        cells = _Cells(result, sheet, row, values)
        item_code = cells("事项编码", _item_code(known, required=False))
        step = cells("环节", _label(STEP_BY_LABEL, "执法环节"))
        requirement = cells("要求", _label(REQUIREMENT_BY_LABEL, "记录要求"))
        citation = cells("依据", _optional_text(300))
        if citation == "":
            cells.fail(
                "依据",
                "每一项音像记录要求都必须写明依据（法律、法规、规章或规范性文件及条款）。",
            )
        if step in lists.FULL_STEPS and requirement and requirement != AvRequirement.FULL:
            cells.fail(
                "要求",
                f"“{AvStep(step).label}”直接涉及重大财产权益等，须全程音像记录，不能降低要求。",
            )
        if cells.ok:
            key = (item_code, step)
            if key in seen:
                cells.fail(
                    "环节",
                    f"与第 {seen[key]} 行重复：同一事项（或本机关全部事项）的同一环节只能填写一行。",
                )
            seen.setdefault(key, row)
        if cells.ok:
            rows.append(_AvRow(row, item_code, step, requirement, citation))
    return rows


@dataclass
class _InspectionRow:
    row: int
    item_code: str
    fields: dict[str, Any]

    def key(self, item_id: int) -> tuple:
        return (item_id, *(self.fields[name] for name in INSPECTION_KEY))


INSPECTION_KEY = (
    "inspecting_body",
    "basis",
    "targets",
    "content",
    "ratio",
    "method",
    "frequency",
)


def _stored_inspection_key(entry: RandomInspectionItem) -> tuple:
    values = {name: getattr(entry, name) for name in INSPECTION_KEY}
    if values["ratio"] is not None:
        values["ratio"] = values["ratio"].quantize(Decimal("0.0001"))
    return (entry.item_id, *(values[name] for name in INSPECTION_KEY))


def _read_inspections(
    sheet: _Sheet, agency: Agency, item_codes: set[str], result: ImportResult
) -> list[_InspectionRow]:
    known = _known_codes(agency, item_codes)
    rows: list[_InspectionRow] = []
    for row, values in sheet.rows:
        cells = _Cells(result, sheet, row, values)
        item_code = cells("事项编码", _item_code(known, required=True))
        fields = {
            "inspecting_body": cells("检查主体", _required_text(200)),
            "basis": cells("抽查依据", _required_text(5000)),
            "targets": cells("检查对象", _required_text(300)),
            "content": cells("检查内容", _required_text(5000)),
            "ratio": cells("抽查比例", _ratio),
            "method": cells("检查方式", _required_text(200)),
            "frequency": cells("抽查频次", _required_text(100)),
        }
        if cells.ok:
            rows.append(_InspectionRow(row, item_code, fields))
    return rows


@dataclass
class _GuideRow:
    row: int
    item_code: str
    fields: dict[str, str]


def _read_guides(
    sheet: _Sheet, agency: Agency, item_codes: set[str], result: ImportResult
) -> list[_GuideRow]:
    known = _known_codes(agency, item_codes)
    rows: list[_GuideRow] = []
    seen: dict[str, int] = {}
    for row, values in sheet.rows:
        cells = _Cells(result, sheet, row, values)
        item_code = cells("事项编码", _item_code(known, required=True))
        fields = {
            name: cells(label, (_required_text if required else _optional_text)(limit))
            for name, (label, required, limit) in lists.GUIDE_FIELDS.items()
        }
        if item_code and item_code in seen:
            cells.fail(
                "事项编码",
                f"与第 {seen[item_code]} 行重复：每个事项的服务指南只能填写一行。",
            )
        if item_code:
            seen.setdefault(item_code, row)
        if cells.ok:
            rows.append(_GuideRow(row, item_code, fields))
    return rows


# ---------------------------------------------------------------------------
# 裁量基准

FINE_FIELDS = (
    ("fine_min", "罚款下限"),
    ("fine_max", "罚款上限"),
    ("gains_multiple_min", "违法所得倍数下限"),
    ("gains_multiple_max", "违法所得倍数上限"),
)


@dataclass
class _DiscretionGroup:
    item_code: str
    violation: str
    basis: str
    row: int  # first row
    grades: list[dict[str, Any]] = field(default_factory=list)
    grade_rows: dict[str, int] = field(default_factory=dict)

    def key(self) -> tuple:
        return (self.basis, _grades_key(self.grades))


def _grades_key(grades) -> tuple:
    def one(g) -> tuple:
        return (
            g["grade"],
            g["conditions"],
            tuple(sorted(g["circumstances"] or [])),
            tuple(sorted(g["penalty_types"] or [])),
            *(
                None if g[name] is None else Decimal(g[name]).quantize(Decimal("0.01"))
                for name, _ in FINE_FIELDS
            ),
        )

    return tuple(sorted((one(g) for g in grades), key=lambda t: t[0]))


def _stored_grades(standard: DiscretionStandard) -> list[dict[str, Any]]:
    return [{name: getattr(g, name) for name in GRADE_FIELDS} for g in standard.grades.all()]


def _read_discretion(
    sheet: _Sheet, agency: Agency, item_codes: set[str], result: ImportResult
) -> list[_DiscretionGroup]:
    known = _known_codes(agency, item_codes)
    groups: dict[tuple[str, str], _DiscretionGroup] = {}
    for row, values in sheet.rows:
        cells = _Cells(result, sheet, row, values)
        item_code = cells("事项编码", _item_code(known, required=True))
        violation = cells("违法行为", _required_text(300))
        basis = cells("裁量依据", _required_text(300))
        grade = {
            "grade": cells("裁量阶次", _label(GRADE_BY_LABEL, "裁量阶次")),
            "conditions": cells("适用情形", _required_text(2000)),
            "circumstances": cells("情形代码", _circumstances),
            "penalty_types": cells("处罚种类", _penalty_types),
            **{name: cells(label, _number(label)) for name, label in FINE_FIELDS},
        }
        for (low, low_label), (high, high_label) in (FINE_FIELDS[:2], FINE_FIELDS[2:]):
            if grade[low] is not None and grade[high] is not None and grade[low] > grade[high]:
                cells.fail(
                    high_label,
                    f"{low_label}（{_plain_number(grade[low])}）高于"
                    f"{high_label}（{_plain_number(grade[high])}）。",
                )
        if not item_code or not violation:
            continue
        group = groups.get((item_code, violation))
        if group is None:
            group = _DiscretionGroup(item_code, violation, basis, row)
            groups[(item_code, violation)] = group
        elif basis is not None and group.basis is not None and basis != group.basis:
            cells.fail(
                "裁量依据",
                f"与第 {group.row} 行（同一事项「{item_code}」的同一违法行为）的「裁量依据」不一致。"
                "同一裁量基准的各行，裁量依据必须相同。",
            )
        code = grade["grade"]
        if code and code in group.grade_rows:
            cells.fail(
                "裁量阶次",
                f"与第 {group.grade_rows[code]} 行重复：同一裁量基准的每个阶次只能填写一行。",
            )
        elif code:
            group.grade_rows[code] = row
        group.grades.append(grade)
    return list(groups.values())


# ---------------------------------------------------------------------------
# Import


def import_catalog(*, actor, agency: Agency, file) -> ImportResult:
    """Import a filled template into `agency`'s catalog: every row or none.

    Raises `PermissionDenied` unless `actor` manages the agency's catalog;
    everything wrong with the file comes back as `ImportResult.errors`.
    """
    if not services.can_manage_catalog(actor, agency):
        raise PermissionDenied("只有本机关负责人或该区域的系统管理员可以导入本机关的执法事项清单。")
    result = ImportResult()
    try:
        sheets = _load(file, agency)
    except FileRefused as exc:
        result.errors.append(RowError("", None, "", str(exc)))
        return result

    groups = _read_items(sheets[ITEM_SHEET], agency, result)
    codes = {g.code for g in groups}
    criteria = _read_criteria(sheets[CRITERION_SHEET], agency, codes, result)
    av_rules = _read_av_rules(sheets[AV_SHEET], agency, codes, result)
    inspections = _read_inspections(sheets[INSPECTION_SHEET], agency, codes, result)
    guides = _read_guides(sheets[GUIDE_SHEET], agency, codes, result)
    discretion = _read_discretion(sheets[DISCRETION_SHEET], agency, codes, result)
    if result.errors:
        result.errors.sort(key=_error_order)
        return result
    try:
        with transaction.atomic():
            _write(actor, agency, groups, criteria, result)
            _write_av_rules(actor, agency, av_rules, result)
            _write_inspections(actor, agency, inspections, result)
            _write_guides(actor, agency, guides, result)
            _write_discretion(actor, agency, discretion, result)
            if result.errors:
                raise _Rollback
    except _Rollback:
        for name in ("items", "criteria", "av_rules", "inspections", "guides", "discretion"):
            setattr(result, name, SheetCounts())
        result.errors.sort(key=_error_order)
    return result


SHEET_ORDER = (
    ITEM_SHEET,
    CRITERION_SHEET,
    AV_SHEET,
    INSPECTION_SHEET,
    GUIDE_SHEET,
    DISCRETION_SHEET,
)


def _error_order(error: RowError) -> tuple:
    order = {"": 0, **{name: n for n, name in enumerate(SHEET_ORDER, start=1)}}
    return (order.get(error.sheet, len(SHEET_ORDER) + 1), error.row or 0)


SHEET_COLUMNS = {
    ITEM_SHEET: ITEM_COLUMNS,
    CRITERION_SHEET: CRITERION_COLUMNS,
    AV_SHEET: AV_COLUMNS,
    INSPECTION_SHEET: INSPECTION_COLUMNS,
    GUIDE_SHEET: GUIDE_COLUMNS,
    DISCRETION_SHEET: DISCRETION_COLUMNS,
}


def _load(file, agency: Agency) -> dict[str, _Sheet]:
    data = _read_upload(file)
    workbook = _open_workbook(data)
    try:
        source = _custom_props(workbook).get(PROP_AGENCY)
        if source and source != str(agency.public_id):
            other = Agency.objects.filter(public_id=source).first() if _is_uuid(source) else None
            name = f"「{other.name}」" if other else "其他执法主体"
            raise FileRefused(
                f"这个文件是从{name}导出的，不能导入到「{agency.name}」。"
                "请使用本执法主体导出的文件或模板。"
            )
        budget = [0]
        sheets: dict[str, _Sheet] = {}
        for name, columns in SHEET_COLUMNS.items():
            if name in OPTIONAL_SHEETS and name not in workbook.sheetnames:
                sheets[name] = _Sheet(name=name, columns={}, rows=[])
            else:
                sheets[name] = _read_sheet(workbook, name, columns, budget)
    finally:
        workbook.close()
    if not any(sheet.rows for sheet in sheets.values()):
        raise FileRefused(
            "文件中没有数据：请从第 2 行开始填写"
            + "、".join(f"「{name}」" for name in SHEET_ORDER)
            + "等表。"
        )
    return sheets


def _write(
    actor,
    agency: Agency,
    groups: list[_ItemGroup],
    criteria: list[_CriterionRow],
    result: ImportResult,
) -> None:
    for group in groups:
        if group.action == "unchanged":
            result.items.unchanged += 1
            continue
        try:
            with transaction.atomic():
                if group.item is None:
                    item = services.item_create(
                        actor=actor,
                        agency=agency,
                        code=group.code,
                        bases=group.bases,
                        change_note=IMPORT_NOTE,
                        **group.fields,
                    )
                    version = item.versions.get()
                else:
                    version = services.item_version_create(
                        actor=actor,
                        item=group.item,
                        bases=group.bases,
                        change_note=IMPORT_NOTE,
                        **group.fields,
                    )
                services.item_version_publish(actor=actor, version=version)
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            _service_errors(result, ITEM_SHEET, group.row, exc, ITEM_FIELD_COLUMNS)
            continue
        if group.item is None:
            result.items.created += 1
        else:
            result.items.updated += 1

    items = {i.code: i for i in EnforcementItem.objects.filter(agency=agency)}
    stored = {
        _stored_criterion_key(c) for c in MajorDecisionCriterion.objects.filter(agency=agency)
    }
    for row in criteria:
        item = items.get(row.item_code) if row.item_code else None
        key = row.key(item.pk if item else None)
        if key in stored:
            result.criteria.unchanged += 1
            continue
        try:
            with transaction.atomic():
                services.major_criterion_save(
                    actor=actor,
                    agency=agency,
                    kind=row.kind,
                    description=row.description,
                    citation=row.citation,
                    item=item,
                    penalty_types=row.penalty_types,
                    party_kind=row.party_kind,
                    amount_threshold=row.amount_threshold,
                )
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            _service_errors(result, CRITERION_SHEET, row.row, exc, CRITERION_FIELD_COLUMNS)
            continue
        stored.add(key)
        result.criteria.created += 1


def _write_av_rules(actor, agency: Agency, rows: list[_AvRow], result: ImportResult) -> None:
    items = {i.code: i for i in EnforcementItem.objects.filter(agency=agency)}
    stored = {(r.item_id, r.step): r for r in AvRecordingRule.objects.filter(agency=agency)}
    for row in rows:
        item = items.get(row.item_code) if row.item_code else None
        rule = stored.get((item.pk if item else None, row.step))
        if rule is not None and (rule.requirement, rule.citation) == (
            row.requirement,
            row.citation,
        ):
            result.av_rules.unchanged += 1
            continue
        try:
            with transaction.atomic():
                lists.av_rule_save(
                    actor=actor,
                    agency=agency,
                    step=row.step,
                    requirement=row.requirement,
                    citation=row.citation,
                    item=item,
                    note=rule.note if rule else "",  # the sheet has no 说明 column: keep it
                )
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            _service_errors(result, AV_SHEET, row.row, exc, AV_FIELD_COLUMNS)
            continue
        if rule is None:
            result.av_rules.created += 1
        else:
            result.av_rules.updated += 1


def _write_inspections(
    actor, agency: Agency, rows: list[_InspectionRow], result: ImportResult
) -> None:
    items = {i.code: i for i in EnforcementItem.objects.filter(agency=agency)}
    stored = {_stored_inspection_key(e) for e in RandomInspectionItem.objects.filter(agency=agency)}
    for row in rows:
        item = items[row.item_code]
        key = row.key(item.pk)
        if key in stored:
            result.inspections.unchanged += 1
            continue
        try:
            with transaction.atomic():
                lists.random_inspection_item_save(
                    actor=actor, agency=agency, item=item, **row.fields
                )
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            _service_errors(result, INSPECTION_SHEET, row.row, exc, INSPECTION_FIELD_COLUMNS)
            continue
        stored.add(key)
        result.inspections.created += 1


def _write_guides(actor, agency: Agency, rows: list[_GuideRow], result: ImportResult) -> None:
    items = {i.code: i for i in EnforcementItem.objects.filter(agency=agency)}
    for row in rows:
        item = items[row.item_code]
        version = _in_force(item, _published(item))
        if version is None:
            result.errors.append(
                RowError(
                    GUIDE_SHEET,
                    row.row,
                    "事项编码",
                    f"事项「{row.item_code}」没有已发布的版本，不能编写服务指南。",
                )
            )
            continue
        guide = ServiceGuide.objects.filter(version=version).first()
        if guide is not None and all(
            getattr(guide, name) == value for name, value in row.fields.items()
        ):
            result.guides.unchanged += 1
            continue
        try:
            with transaction.atomic():
                lists.service_guide_save(actor=actor, version=version, **row.fields)
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            _service_errors(result, GUIDE_SHEET, row.row, exc, GUIDE_FIELD_COLUMNS)
            continue
        if guide is None:
            result.guides.created += 1
        else:
            result.guides.updated += 1


def _write_discretion(
    actor, agency: Agency, groups: list[_DiscretionGroup], result: ImportResult
) -> None:
    items = {i.code: i for i in EnforcementItem.objects.filter(agency=agency)}
    for group in groups:
        published = _published(items[group.item_code])
        if not published:
            result.errors.append(
                RowError(
                    DISCRETION_SHEET,
                    group.row,
                    "事项编码",
                    f"事项「{group.item_code}」没有已发布的版本，不能设置裁量基准。",
                )
            )
            continue
        version = published[0]
        standard = (
            DiscretionStandard.objects.filter(version=version, violation=group.violation)
            .prefetch_related("grades")
            .first()
        )
        if (
            standard is not None
            and (
                standard.basis,
                _grades_key(_stored_grades(standard)),
            )
            == group.key()
        ):
            result.discretion.unchanged += 1
            continue
        try:
            with transaction.atomic():
                services.discretion_standard_save(
                    actor=actor,
                    version=version,
                    violation=group.violation,
                    basis=group.basis,
                    grades=group.grades,
                )
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            _service_errors(result, DISCRETION_SHEET, group.row, exc, DISCRETION_FIELD_COLUMNS)
            continue
        if standard is None:
            result.discretion.created += 1
        else:
            result.discretion.updated += 1


def _service_errors(
    result: ImportResult, sheet: str, row: int, exc: Exception, columns: dict[str, str]
) -> None:
    if isinstance(exc, IntegrityError):
        result.errors.append(
            RowError(sheet, row, "", "与已登记的数据冲突（如编码重复），无法保存，请核对本行。")
        )
    elif isinstance(exc, PermissionDenied):
        result.errors.append(RowError(sheet, row, "", str(exc) or "无权办理此事项。"))
    elif hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            for message in messages:
                result.errors.append(RowError(sheet, row, columns.get(name, ""), message))
    else:
        for message in exc.messages:
            result.errors.append(RowError(sheet, row, "", message))


# ---------------------------------------------------------------------------
# Writing workbooks


def _new_book(kind: str, agency: Agency) -> _Book:
    book = _Book()
    book.wb.set_properties(
        {"title": "执法事项清单与重大执法决定法制审核目录", "author": "行政执法平台"}
    )
    book.wb.set_custom_property(PROP_KIND, f"{KIND_VALUE}.{kind}")
    book.wb.set_custom_property(PROP_AGENCY, str(agency.public_id))
    return book


def _data_sheets(book: _Book) -> dict[str, Any]:
    return {name: book.data_sheet(name, columns) for name, columns in SHEET_COLUMNS.items()}


def _dropdowns(book: _Book, sheets: dict[str, Any], agency: Agency) -> None:
    ranges = _choices_sheet(
        book,
        {
            "执法类别": [c.name for c in agency.categories.order_by("code")],
            "承办机构": [u.name for u in Unit.objects.filter(agency=agency).order_by("name")],
        },
    )

    def dropdown(sheet: str, header: str, source, *, strict: bool = True) -> None:
        if not source:
            return
        ws = sheets[sheet]
        col = [c.header for c in SHEET_COLUMNS[sheet]].index(header)
        ws.data_validation(
            1,
            col,
            MAX_ROWS,
            col,
            {
                "validate": "list",
                "source": source,
                "error_title": "请从下拉列表中选择",
                "error_message": f"「{header}」请从下拉列表中选择。",
                "error_type": "stop" if strict else "warning",
            },
        )

    dropdown(ITEM_SHEET, "执法类型", list(KIND_BY_LABEL))
    dropdown(ITEM_SHEET, "执法类别", ranges.get("执法类别"), strict=False)
    dropdown(ITEM_SHEET, "承办机构", ranges.get("承办机构"), strict=False)
    dropdown(ITEM_SHEET, "纳入随机抽查", [YES, NO])
    dropdown(ITEM_SHEET, "依据类型", list(ROLE_BY_LABEL))
    dropdown(CRITERION_SHEET, "审核情形", list(CRITERION_KIND_BY_LABEL))
    dropdown(CRITERION_SHEET, "当事人类型", list(PARTY_BY_LABEL))
    dropdown(AV_SHEET, "环节", list(STEP_BY_LABEL))
    dropdown(AV_SHEET, "要求", list(REQUIREMENT_BY_LABEL))
    dropdown(DISCRETION_SHEET, "裁量阶次", list(GRADE_BY_LABEL))


TEMPLATE_NOTES = [
    "1. 「执法事项清单」表每行填写一条执法依据；同一事项有多条依据时写成多行，事项编码相同，"
    "事项名称至施行日期各列也须相同。",
    "2. 从第 2 行开始填写，不要修改第 1 行表头和工作表名称；表头批注说明了每一列的填写要求，橙色表头为必填列。",
    "3. 日期填写为 YYYY-MM-DD（例如 2024-05-18）或 Excel 日期。",
    "4. 新的事项编码导入后直接发布；已有事项内容相同的不作改动；内容不同的，施行日期须晚于现行版本，导入后发布为新版本。",
    "5. 「重大执法决定法制审核目录」表每行一项审核情形，依据必填；处罚种类多个时用顿号或分号分隔。",
    "6. 导入前会逐行校验：任何一行有错，整个文件都不会导入，页面会列出每个错误所在的行和列。",
    "7. 同一文件可以重复导入：内容相同的行不会重复登记。每项登记都记入全过程记录。",
    "8. 「音像记录事项清单」表每行一个执法环节的记录要求，依据必填；事项编码空白表示适用本机关全部事项。"
    "同一事项（或全部事项）的同一环节已有要求的，导入后改为表中的要求。",
    "9. 「随机抽查事项清单」表每行一项抽查事项，事项编码须为已发布、现行有效、纳入随机抽查的行政检查事项；"
    "抽查比例填写百分数（如 5%）或小数（如 0.05）。内容与已登记的某一行完全相同的不重复登记。",
    "10. 「服务指南」表每个事项一行，写入该事项现行有效的已发布版本；已有服务指南的，导入后整体替换为表中内容。",
    "11. 「裁量基准」表每行一个裁量阶次；同一事项、同一违法行为的各阶次写成多行，组成一项裁量基准，"
    "写入该行政处罚事项最新的已发布版本。已有的同一违法行为的裁量基准，导入后整体替换为表中内容。"
    "情形代码、处罚种类多个时用顿号分隔；各阶次的罚款幅度须由轻到重、互不重叠。",
]


def catalog_template(*, agency: Agency) -> bytes:
    """The empty import template with the agency's categories and units as dropdowns."""
    book = _new_book("template", agency)
    sheets = _data_sheets(book)
    notes = book.wb.add_worksheet(NOTES_SHEET)
    notes.set_column(0, 0, 120)
    notes.write_string(0, 0, "执法事项清单与重大执法决定法制审核目录导入模板", book.title)
    notes.write_string(1, 0, f"执法主体：{agency.name}", book.bold)
    for row, line in enumerate(TEMPLATE_NOTES, start=2):
        notes.write_string(row, 0, line, book.plain)
    row = len(TEMPLATE_NOTES) + 3
    notes.write_string(
        row,
        0,
        f"本机关的执法类别：{'、'.join(c.name for c in agency.categories.order_by('code')) or '（无）'}",
        book.plain,
    )
    notes.write_string(row + 1, 0, f"执法类型：{'、'.join(KIND_BY_LABEL)}", book.plain)
    notes.write_string(row + 2, 0, f"依据类型：{'、'.join(ROLE_BY_LABEL)}", book.plain)
    notes.write_string(row + 3, 0, f"审核情形：{'、'.join(CRITERION_KIND_BY_LABEL)}", book.plain)
    notes.write_string(row + 4, 0, f"处罚种类：{'；'.join(PENALTY_BY_LABEL)}", book.plain)
    notes.write_string(row + 5, 0, f"音像记录环节：{'、'.join(STEP_BY_LABEL)}", book.plain)
    notes.write_string(row + 6, 0, f"音像记录要求：{'、'.join(REQUIREMENT_BY_LABEL)}", book.plain)
    notes.write_string(row + 7, 0, f"裁量阶次：{'、'.join(GRADE_BY_LABEL)}", book.plain)
    notes.write_string(
        row + 8,
        0,
        "情形代码：" + "；".join(f"{code}（{c.label}）" for code, c in CIRCUMSTANCES.items()),
        book.plain,
    )
    _dropdowns(book, sheets, agency)
    sheets[ITEM_SHEET].activate()
    return book.close()


def export_catalog(*, agency: Agency) -> bytes:
    """The agency's items (the version in force of each) and criteria, in the template's columns."""
    book = _new_book("export", agency)
    sheets = _data_sheets(book)
    items_ws, criteria_ws = sheets[ITEM_SHEET], sheets[CRITERION_SHEET]
    notes = book.wb.add_worksheet(NOTES_SHEET)
    notes.set_column(0, 0, 100)
    notes.write_string(0, 0, "执法事项清单与重大执法决定法制审核目录（导出）", book.title)
    notes.write_string(1, 0, f"执法主体：{agency.name}", book.plain)
    notes.write_string(2, 0, f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}", book.plain)
    notes.write_string(
        3, 0, "列与导入模板相同；修改后可重新导入，内容未变的行不会重复登记。", book.plain
    )
    _dropdowns(book, sheets, agency)

    row = 1
    for item in EnforcementItem.objects.filter(agency=agency).order_by("code"):
        version = _in_force(item, _published(item))
        if version is None:
            continue
        head = [
            item.code,
            version.name,
            version.get_kind_display(),
            version.category.name,
            version.unit.name if version.unit else "",
            YES if version.random_inspection else NO,
            version.procedure,
            version.effective_from,
        ]
        for basis in version.bases.all():
            values = [
                *head,
                basis.get_role_display(),
                basis.law,
                basis.article,
                basis.clause,
                basis.text,
            ]
            for col, value in enumerate(values):
                book.cell(items_ws, row, col, value)
            row += 1

    criteria = MajorDecisionCriterion.objects.filter(agency=agency).select_related("item")
    for row, c in enumerate(criteria.order_by("kind", "id"), start=1):
        values = [
            c.get_kind_display(),
            c.description,
            c.citation,
            "；".join(PenaltyType(t).label for t in c.penalty_types or []),
            c.get_party_kind_display(),
            str(c.amount_threshold) if c.amount_threshold is not None else "",
            c.item.code if c.item else "",
        ]
        for col, value in enumerate(values):
            book.cell(criteria_ws, row, col, value)

    rules = AvRecordingRule.objects.filter(agency=agency).select_related("item")
    for row, rule in enumerate(rules.order_by("item__code", "step"), start=1):
        values = [
            rule.item.code if rule.item else "",
            rule.get_step_display(),
            rule.get_requirement_display(),
            rule.citation,
        ]
        for col, value in enumerate(values):
            book.cell(sheets[AV_SHEET], row, col, value)

    entries = RandomInspectionItem.objects.filter(agency=agency).select_related("item")
    for row, entry in enumerate(entries.order_by("item__code", "id"), start=1):
        values = [
            entry.item.code,
            entry.inspecting_body,
            entry.basis,
            entry.targets,
            entry.content,
            _ratio_text(entry.ratio),
            entry.method,
            entry.frequency,
        ]
        for col, value in enumerate(values):
            book.cell(sheets[INSPECTION_SHEET], row, col, value)

    row = 1
    for item in EnforcementItem.objects.filter(agency=agency).order_by("code"):
        version = _in_force(item, _published(item))
        guide = ServiceGuide.objects.filter(version=version).first() if version else None
        if guide is None:
            continue
        values = [item.code, *(getattr(guide, name) for name in lists.GUIDE_FIELDS)]
        for col, value in enumerate(values):
            book.cell(sheets[GUIDE_SHEET], row, col, value)
        row += 1

    row = 1
    for item in EnforcementItem.objects.filter(agency=agency).order_by("code"):
        published = _published(item)
        if not published:
            continue
        standards = published[0].discretion_standards.prefetch_related("grades").order_by("id")
        for standard in standards:
            for grade in standard.grades.all():
                values = [
                    item.code,
                    standard.violation,
                    standard.basis,
                    grade.get_grade_display(),
                    grade.conditions,
                    "、".join(grade.circumstances or []),
                    "、".join(PenaltyType(t).label for t in grade.penalty_types or []),
                    *(_plain_number(getattr(grade, name)) for name, _ in FINE_FIELDS),
                ]
                for col, value in enumerate(values):
                    book.cell(sheets[DISCRETION_SHEET], row, col, value)
                row += 1
    items_ws.activate()
    return book.close()
