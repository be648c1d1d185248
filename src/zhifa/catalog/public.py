"""Public reads of the catalog for 事前公开 (no login).

Only PUBLISHED versions are shown as current, and only the one in force on the
given day; drafts never leave the staff side. The version history lists
published and retired versions (what applied when), never drafts. Internal
fields (circumstance codes, ledger data, who drafted what) are not exposed:
the pages get plain display values built here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q

from zhifa.catalog.models import (
    AgencyCatalogSettings,
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
from zhifa.catalog.review import ART_58
from zhifa.orgs.models import Agency
from zhifa.procedures import PROCEDURES
from zhifa.rules.registry import get_rule

# Display names of the case engine's procedure definitions; an unknown code is
# shown as it is.
PROCEDURE_LABELS = {code: p.label for code, p in PROCEDURES.items()}

# 行政处罚法 第五十八条第一款: reviewed whatever the agency's own catalogue says.
STATUTORY_ITEMS = [
    ("涉及重大公共利益的", f"{ART_58}第（一）项"),
    ("直接关系当事人或者第三人重大权益，经过听证程序的", f"{ART_58}第（二）项"),
    ("案件情况疑难复杂、涉及多个法律关系的", f"{ART_58}第（三）项"),
    ("法律、法规规定应当进行法制审核的其他情形", f"{ART_58}第（四）项"),
]

PUBLIC_HISTORY_STATUSES = (ItemVersion.Status.PUBLISHED, ItemVersion.Status.RETIRED)
MAX_QUERY = 50


def _in_force(day: date) -> Q:
    return Q(status=ItemVersion.Status.PUBLISHED, effective_from__lte=day) & (
        Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    )


def _yuan(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _multiple(value: Decimal) -> str:
    return str(value.normalize()) if value == value.to_integral_value() else f"{value:.2f}"


def penalty_labels(codes) -> list[str]:
    labels = dict(PenaltyType.choices)
    return [labels.get(code, code) for code in codes or ()]


def procedure_label(code: str) -> str:
    return PROCEDURE_LABELS.get(code, code)


def agency_get_for_public(*, public_id) -> Agency:
    """Raises Agency.DoesNotExist for an unknown id."""
    return Agency.objects.select_related("region", "supervising_bureau").get(public_id=public_id)


# --------------------------------------------------------------------------
# 权责清单
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    item: EnforcementItem
    version: ItemVersion
    bases: list[LegalBasis]


def _current_versions(day: date):
    return (
        ItemVersion.objects.filter(_in_force(day))
        .select_related("item", "unit", "category")
        .prefetch_related("bases")
        .order_by("item__code", "-effective_from", "-version")
    )


def item_rows_for_public(
    agency: Agency, *, today: date, kind: str = "", query: str = ""
) -> list[ItemRow]:
    """The agency's items with the version in force `today`; items with none are left out."""
    rows: list[ItemRow] = []
    seen: set[int] = set()
    for version in _current_versions(today).filter(item__agency=agency):
        if version.item_id in seen:
            continue
        seen.add(version.item_id)
        rows.append(ItemRow(version.item, version, list(version.bases.all())))
    if kind in ItemKind.values:
        rows = [r for r in rows if r.version.kind == kind]
    query = query.strip()[:MAX_QUERY]
    if query:
        rows = [r for r in rows if query in r.version.name]
    return rows


def kinds_for_filter() -> list[tuple[str, str]]:
    return list(ItemKind.choices)


# --------------------------------------------------------------------------
# 监督方式与救济渠道 (GB118-01)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class OversightInfo:
    supervision: list[str]
    remedies: list[str]
    supervision_is_default: bool
    remedies_is_default: bool


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def statutory_remedies() -> list[str]:
    """行政复议 and 行政诉讼 with the periods read from the rules registry."""
    reconsideration = get_rule("reconsideration.window")
    litigation = get_rule("litigation.window")
    return [
        (
            "对本机关作出的行政行为不服的，可以自知道或者应当知道该行政行为之日起"
            f"{reconsideration.format_value()}内依法申请行政复议"
            f"（{reconsideration.law}{reconsideration.article}）。"
        ),
        (
            "也可以自知道或者应当知道作出行政行为之日起"
            f"{litigation.format_value()}内依法向人民法院提起行政诉讼"
            f"（{litigation.law}{litigation.article}），法律另有规定的除外。"
        ),
    ]


def default_supervision(agency: Agency) -> list[str]:
    bureau = agency.supervising_bureau
    if bureau is None:
        return []
    return [f"本机关的行政执法工作接受{bureau.name}的监督，可以向其反映、投诉执法中的问题。"]


def oversight_for_public(agency: Agency) -> OversightInfo:
    """监督方式 and 救济渠道: the agency's own text, or the defaults when blank."""
    settings = AgencyCatalogSettings.objects.filter(agency=agency).first()
    supervision = _lines(settings.supervision_channels) if settings else []
    remedies = _lines(settings.remedies) if settings else []
    return OversightInfo(
        supervision=supervision or default_supervision(agency),
        remedies=remedies or statutory_remedies(),
        supervision_is_default=not supervision,
        remedies_is_default=not remedies,
    )


# --------------------------------------------------------------------------
# One item (permalink)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRow:
    label: str
    conditions: str
    penalties: list[str]
    fine: str
    gains_multiple: str


@dataclass(frozen=True)
class StandardRow:
    violation: str
    basis: str
    grades: list[GradeRow]


@dataclass(frozen=True)
class HistoryRow:
    version: int
    name: str
    effective_from: date
    effective_to: date | None
    state: str  # 现行 / 尚未施行 / 已停止施行 / 已废止
    change_note: str
    is_current: bool


@dataclass
class ItemPage:
    item: EnforcementItem
    current: ItemVersion | None
    bases: list[LegalBasis] = field(default_factory=list)
    standards: list[StandardRow] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)


def _grade_row(grade) -> GradeRow:
    fine = ""
    if grade.fine_min is not None and grade.fine_max is not None:
        fine = f"{_yuan(grade.fine_min)} 元至 {_yuan(grade.fine_max)} 元"
    elif grade.fine_min is not None:
        fine = f"{_yuan(grade.fine_min)} 元以上"
    elif grade.fine_max is not None:
        fine = f"{_yuan(grade.fine_max)} 元以下"
    gains = ""
    lo, hi = grade.gains_multiple_min, grade.gains_multiple_max
    if lo is not None and hi is not None:
        gains = f"违法所得 {_multiple(lo)} 倍至 {_multiple(hi)} 倍"
    elif lo is not None:
        gains = f"违法所得 {_multiple(lo)} 倍以上"
    elif hi is not None:
        gains = f"违法所得 {_multiple(hi)} 倍以下"
    return GradeRow(
        label=grade.get_grade_display(),
        conditions=grade.conditions,
        penalties=penalty_labels(grade.penalty_types),
        fine=fine,
        gains_multiple=gains,
    )


def standards_for_public(version: ItemVersion) -> list[StandardRow]:
    order = {g: i for i, g in enumerate(Grade.values)}
    rows = []
    for standard in DiscretionStandard.objects.filter(version=version).prefetch_related("grades"):
        grades = sorted(standard.grades.all(), key=lambda g: order.get(g.grade, 99))
        rows.append(
            StandardRow(
                violation=standard.violation,
                basis=standard.basis,
                grades=[_grade_row(g) for g in grades],
            )
        )
    return rows


def _state(version: ItemVersion, today: date, current: ItemVersion | None) -> str:
    if version.status == ItemVersion.Status.RETIRED:
        return "已废止"
    if current is not None and version.pk == current.pk:
        return "现行有效"
    if version.effective_from > today:
        return "尚未施行"
    return "已停止施行"


def item_page_for_public(*, public_id, today: date) -> ItemPage | None:
    """None when the id is unknown or nothing of the item was ever published."""
    item = (
        EnforcementItem.objects.select_related("agency")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ItemVersion.objects.filter(status__in=PUBLIC_HISTORY_STATUSES).order_by(
                    "-version"
                ),
                to_attr="public_versions",
            )
        )
        .filter(public_id=public_id)
        .first()
    )
    if item is None or not item.public_versions:
        return None
    current = (
        ItemVersion.objects.filter(_in_force(today), item=item)
        .select_related("unit", "category")
        .order_by("-effective_from", "-version")
        .first()
    )
    page = ItemPage(item=item, current=current)
    if current is not None:
        page.bases = list(current.bases.all())
        page.standards = standards_for_public(current)
    page.history = [
        HistoryRow(
            version=v.version,
            name=v.name,
            effective_from=v.effective_from,
            effective_to=v.effective_to,
            state=_state(v, today, current),
            change_note=v.change_note,
            is_current=current is not None and v.pk == current.pk,
        )
        for v in item.public_versions
    ]
    return page


# --------------------------------------------------------------------------
# 重大执法决定法制审核目录清单
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionRow:
    kind: str
    description: str
    scope: str
    party: str
    penalties: list[str]
    threshold: str
    citation: str


def major_decisions_for_public(agency: Agency, *, today: date) -> dict:
    names = {row.item.pk: row.version.name for row in item_rows_for_public(agency, today=today)}
    criteria = (
        MajorDecisionCriterion.objects.filter(agency=agency)
        .select_related("item")
        .order_by("item__code", "kind", "id")
    )
    rows = []
    for c in criteria:
        if c.item_id is None:
            scope = "本机关全部执法事项"
        else:
            scope = f"{c.item.code} {names.get(c.item_id, '')}".strip()
        rows.append(
            CriterionRow(
                kind=c.get_kind_display(),
                description=c.description,
                scope=scope,
                party="" if c.party_kind == PartyKind.ANY else c.get_party_kind_display(),
                penalties=penalty_labels(c.penalty_types),
                threshold=(
                    f"{_yuan(c.amount_threshold)} 元以上" if c.amount_threshold is not None else ""
                ),
                citation=c.citation,
            )
        )
    settings = AgencyCatalogSettings.objects.filter(agency=agency).first()
    return {
        "statutory": STATUTORY_ITEMS,
        "criteria": rows,
        "review_all_general_procedure": bool(settings and settings.review_all_general_procedure),
    }


__all__ = [
    "PROCEDURE_LABELS",
    "STATUTORY_ITEMS",
    "agency_get_for_public",
    "item_page_for_public",
    "item_rows_for_public",
    "kinds_for_filter",
    "major_decisions_for_public",
    "oversight_for_public",
    "penalty_labels",
    "procedure_label",
    "standards_for_public",
    "statutory_remedies",
]
