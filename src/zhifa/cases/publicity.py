"""Whether a decision will be published, as far as the case itself says.

The decision document must tell the party in writing that it will be
published (PUB-04, 市场监督管理行政处罚信息公示规定第八条), and disclosure
creates the publication obligation from the same answer, so both read it
here. Secrecy and privacy grounds are the agency's later call in disclosure
and are not known at decision time.
"""

from __future__ import annotations

from collections.abc import Iterable

MINOR = "minor"
WARNING_ONLY = "warning_only"

REASONS = {
    MINOR: "当事人为未成年人，依规定不予公开（浙江省行政处罚结果信息网上公开暂行办法第七条；"
    "个人信息保护法第二十八条、第三十一条）。",
    WARNING_ONLY: "仅受到警告行政处罚的不予公示（市场监督管理行政处罚信息公示规定第二条）。",
}


def category_code(case) -> str:
    version = case.item_version
    return version.category.code if version is not None else ""


def not_published(case, penalty_types: Iterable[str] | None = None) -> tuple[str, str] | None:
    """(code, reason with its citation) when the case's own facts bar
    publication, else None. `penalty_types`: the decided types (default: the
    case's)."""
    if case.parties.filter(is_minor=True).exists():
        return MINOR, REASONS[MINOR]
    types = set(penalty_types if penalty_types is not None else case.penalty_types or [])
    if types == {"warning"} and category_code(case) == "market":
        return WARNING_ONLY, REASONS[WARNING_ONLY]
    return None
