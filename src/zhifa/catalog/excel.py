"""Excel in and out for the catalog lists (执法事项清单, 重大执法决定法制审核目录).

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

from zhifa.catalog import services
from zhifa.catalog.models import (
    EnforcementItem,
    ItemKind,
    ItemVersion,
    LegalBasis,
    MajorDecisionCriterion,
    PartyKind,
    PenaltyType,
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
    "CRITERION_SHEET",
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

KIND_BY_LABEL = {label: value for value, label in ItemKind.choices}
ROLE_BY_LABEL = {label: value for value, label in LegalBasis.Role.choices}
CRITERION_KIND_BY_LABEL = {label: value for value, label in MajorDecisionCriterion.Kind.choices}
PARTY_BY_LABEL = {label: value for value, label in PartyKind.choices}
PENALTY_BY_LABEL = {label: value for value, label in PenaltyType.choices}


# ---------------------------------------------------------------------------
# Results


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    items: SheetCounts = field(default_factory=SheetCounts)
    criteria: SheetCounts = field(default_factory=SheetCounts)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(
            self.items.created
            or self.items.updated
            or self.criteria.created
            or self.criteria.updated
        )

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
        item_sheet, criterion_sheet = _load(file, agency)
    except FileRefused as exc:
        result.errors.append(RowError("", None, "", str(exc)))
        return result

    groups = _read_items(item_sheet, agency, result)
    criteria = _read_criteria(criterion_sheet, agency, {g.code for g in groups}, result)
    if result.errors:
        result.errors.sort(key=_error_order)
        return result
    try:
        with transaction.atomic():
            _write(actor, agency, groups, criteria, result)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.items = SheetCounts()
        result.criteria = SheetCounts()
        result.errors.sort(key=_error_order)
    return result


def _error_order(error: RowError) -> tuple:
    order = {"": 0, ITEM_SHEET: 1, CRITERION_SHEET: 2}
    return (order.get(error.sheet, 3), error.row or 0)


def _load(file, agency: Agency) -> tuple[_Sheet, _Sheet]:
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
        items = _read_sheet(workbook, ITEM_SHEET, ITEM_COLUMNS, budget)
        criteria = _read_sheet(workbook, CRITERION_SHEET, CRITERION_COLUMNS, budget)
    finally:
        workbook.close()
    if not items.rows and not criteria.rows:
        raise FileRefused(
            f"文件中没有数据：请从第 2 行开始填写「{ITEM_SHEET}」和「{CRITERION_SHEET}」表。"
        )
    return items, criteria


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


def _dropdowns(book: _Book, items_ws, criteria_ws, agency: Agency) -> None:
    ranges = _choices_sheet(
        book,
        {
            "执法类别": [c.name for c in agency.categories.order_by("code")],
            "承办机构": [u.name for u in Unit.objects.filter(agency=agency).order_by("name")],
        },
    )

    def dropdown(ws, columns, header: str, source, *, strict: bool = True) -> None:
        if not source:
            return
        col = [c.header for c in columns].index(header)
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

    dropdown(items_ws, ITEM_COLUMNS, "执法类型", list(KIND_BY_LABEL))
    dropdown(items_ws, ITEM_COLUMNS, "执法类别", ranges.get("执法类别"), strict=False)
    dropdown(items_ws, ITEM_COLUMNS, "承办机构", ranges.get("承办机构"), strict=False)
    dropdown(items_ws, ITEM_COLUMNS, "纳入随机抽查", [YES, NO])
    dropdown(items_ws, ITEM_COLUMNS, "依据类型", list(ROLE_BY_LABEL))
    dropdown(criteria_ws, CRITERION_COLUMNS, "审核情形", list(CRITERION_KIND_BY_LABEL))
    dropdown(criteria_ws, CRITERION_COLUMNS, "当事人类型", list(PARTY_BY_LABEL))


TEMPLATE_NOTES = [
    "1. 「执法事项清单」表每行填写一条执法依据；同一事项有多条依据时写成多行，事项编码相同，"
    "事项名称至施行日期各列也须相同。",
    "2. 从第 2 行开始填写，不要修改第 1 行表头和工作表名称；表头批注说明了每一列的填写要求，橙色表头为必填列。",
    "3. 日期填写为 YYYY-MM-DD（例如 2024-05-18）或 Excel 日期。",
    "4. 新的事项编码导入后直接发布；已有事项内容相同的不作改动；内容不同的，施行日期须晚于现行版本，导入后发布为新版本。",
    "5. 「重大执法决定法制审核目录」表每行一项审核情形，依据必填；处罚种类多个时用顿号或分号分隔。",
    "6. 导入前会逐行校验：任何一行有错，整个文件都不会导入，页面会列出每个错误所在的行和列。",
    "7. 同一文件可以重复导入：内容相同的行不会重复登记。每项登记都记入全过程记录。",
]


def catalog_template(*, agency: Agency) -> bytes:
    """The empty import template with the agency's categories and units as dropdowns."""
    book = _new_book("template", agency)
    items_ws = book.data_sheet(ITEM_SHEET, ITEM_COLUMNS)
    criteria_ws = book.data_sheet(CRITERION_SHEET, CRITERION_COLUMNS)
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
    _dropdowns(book, items_ws, criteria_ws, agency)
    items_ws.activate()
    return book.close()


def export_catalog(*, agency: Agency) -> bytes:
    """The agency's items (the version in force of each) and criteria, in the template's columns."""
    book = _new_book("export", agency)
    items_ws = book.data_sheet(ITEM_SHEET, ITEM_COLUMNS)
    criteria_ws = book.data_sheet(CRITERION_SHEET, CRITERION_COLUMNS)
    notes = book.wb.add_worksheet(NOTES_SHEET)
    notes.set_column(0, 0, 100)
    notes.write_string(0, 0, "执法事项清单与重大执法决定法制审核目录（导出）", book.title)
    notes.write_string(1, 0, f"执法主体：{agency.name}", book.plain)
    notes.write_string(2, 0, f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}", book.plain)
    notes.write_string(
        3, 0, "列与导入模板相同；修改后可重新导入，内容未变的行不会重复登记。", book.plain
    )
    _dropdowns(book, items_ws, criteria_ws, agency)

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
    items_ws.activate()
    return book.close()
