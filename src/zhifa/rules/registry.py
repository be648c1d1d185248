"""The registry of statutory periods and thresholds, read from statutes.toml.

The file is parsed and validated once per process (the first call), so a bad
entry fails loudly at startup (see `RulesConfig.ready`'s system check) rather
than in the middle of a case.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

STATUTES_FILE = "statutes.toml"


class Unit:
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"
    YEARS = "years"
    YUAN = "yuan"
    RATIO = "ratio"


# Chinese labels for tables and messages.
UNIT_LABELS = {
    Unit.WORKING_DAYS: "工作日",
    Unit.CALENDAR_DAYS: "日",
    Unit.MONTHS: "月",
    Unit.YEARS: "年",
    Unit.YUAN: "元",
    Unit.RATIO: "比例",
}
PERIOD_UNITS = frozenset({Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.MONTHS, Unit.YEARS})
CALENDAR_UNITS = frozenset({Unit.CALENDAR_DAYS, Unit.MONTHS, Unit.YEARS})
THRESHOLD_UNITS = frozenset({Unit.YUAN, Unit.RATIO})
STATUSES = frozenset({"V1", "V2", "L", "U"})
DIRECTIONS = frozenset({"after", "before"})

_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_REQUIRED = (
    "id",
    "title",
    "unit",
    "law",
    "article",
    "source",
    "status",
    "overridable",
    "outer_limit",
    "quote",
)
_KNOWN = frozenset({*_REQUIRED, "value", "direction", "note"})


class RegistryError(ValueError):
    """statutes.toml is malformed."""


class UnknownRule(KeyError, ValueError):
    """No rule has this id (a KeyError for lookups, a ValueError for bad input)."""

    def __init__(self, rule_id: str, suggestions: list[str]) -> None:
        self.rule_id = rule_id
        self.suggestions = suggestions
        hint = (
            f"您是不是要找：{'、'.join(suggestions)}？"
            if suggestions
            else ("可用 `zhifa rules` 查看全部规则。")
        )
        self.message = f"没有编号为“{rule_id}”的法定期限或标准。{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:
        # KeyError would print the repr of its argument.
        return self.message


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    value: Decimal | None
    unit: str
    law: str
    article: str
    source: str
    status: str
    overridable: bool
    outer_limit: bool
    quote: str
    direction: str = "after"
    note: str = ""

    @property
    def is_period(self) -> bool:
        return self.unit in PERIOD_UNITS

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in self.source.split(",") if s.strip())

    @property
    def citation(self) -> str:
        """E.g. 中华人民共和国行政处罚法 第六十一条、第八十五条（APL-26, CAL-01）."""
        return f"{self.law} {self.article}（{self.source}）"

    def format_value(self, value: Decimal | None = None) -> str:
        """Chinese rendering of a value in this rule's unit."""
        v = self.value if value is None else value
        if v is None:
            return "由地方规定（未配置）"
        text = format_decimal(v)
        if self.unit == Unit.RATIO:
            return f"{text}（{format_decimal(v * 100)}%）"
        if self.unit == Unit.WORKING_DAYS:
            return f"{text} 个工作日"
        if self.unit == Unit.MONTHS:
            return f"{text} 个月"
        return f"{text} {self.unit_label}"


def format_decimal(v: Decimal) -> str:
    """200, 0.03, 1 — no exponent, no trailing zeros."""
    return format(v.normalize(), "f")


def _parse_value(raw: object, rule_id: str) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise RegistryError(f"规则 {rule_id} 的 value 必须是整数或十进制字符串，收到 {raw!r}。")
    try:
        value = Decimal(raw) if isinstance(raw, int) else Decimal(raw.strip())
    except InvalidOperation as exc:
        raise RegistryError(f"规则 {rule_id} 的 value “{raw}”不是有效的数字。") from exc
    if not value.is_finite():
        raise RegistryError(f"规则 {rule_id} 的 value “{raw}”不是有效的数字。")
    return value


def validate_value(unit: str, value: Decimal) -> str | None:
    """A Chinese error message if `value` is not acceptable for `unit`, else None."""
    if value <= 0:
        return "数值必须大于 0。"
    if unit in PERIOD_UNITS and value != value.to_integral_value():
        return f"以{UNIT_LABELS[unit]}计的期限必须是整数。"
    if unit == Unit.RATIO and value > 1:
        return "比例必须大于 0 且不超过 1（例如 5% 填 0.05）。"
    return None


def _build(entry: dict, index: int) -> Rule:
    rule_id = entry.get("id", f"#{index + 1}")
    missing = [k for k in _REQUIRED if k not in entry]
    if missing:
        raise RegistryError(f"规则 {rule_id} 缺少字段：{', '.join(missing)}。")
    unknown = sorted(set(entry) - _KNOWN)
    if unknown:
        raise RegistryError(f"规则 {rule_id} 有未知字段：{', '.join(unknown)}。")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RegistryError(f"规则编号 {rule_id!r} 无效：应为小写、以点分隔，如 penalty.pay。")
    for key in ("title", "unit", "law", "article", "source", "status", "quote"):
        if not isinstance(entry[key], str):
            raise RegistryError(f"规则 {rule_id} 的 {key} 必须是字符串。")
    for key in ("title", "law", "article", "source"):
        if not entry[key].strip():
            raise RegistryError(f"规则 {rule_id} 的 {key} 不能为空。")
    for key in ("overridable", "outer_limit"):
        if not isinstance(entry[key], bool):
            raise RegistryError(f"规则 {rule_id} 的 {key} 必须是 true 或 false。")
    unit = entry["unit"]
    if unit not in UNIT_LABELS:
        raise RegistryError(
            f"规则 {rule_id} 的单位 {unit!r} 未知；可用：{', '.join(UNIT_LABELS)}。"
        )
    if entry["status"] not in STATUSES:
        raise RegistryError(f"规则 {rule_id} 的核实状态 {entry['status']!r} 无效（V1/V2/L/U）。")
    direction = entry.get("direction", "after")
    if direction not in DIRECTIONS:
        raise RegistryError(f"规则 {rule_id} 的 direction 只能是 after 或 before。")
    if direction == "before" and unit not in PERIOD_UNITS:
        raise RegistryError(f'规则 {rule_id} 不是期限，不能设置 direction = "before"。')
    if entry["outer_limit"] and unit not in CALENDAR_UNITS:
        raise RegistryError(
            f"规则 {rule_id}：只有按日历计算的期限（日、月、年）才有节假日顺延的法定届满日"
            "（outer_limit）。"
        )
    if entry["outer_limit"] and direction != "after":
        raise RegistryError(f"规则 {rule_id}：向前倒数的期限不适用节假日顺延（outer_limit）。")
    value = _parse_value(entry.get("value"), rule_id)
    if value is None and not entry["overridable"]:
        raise RegistryError(
            f"规则 {rule_id} 没有全国统一数值，必须设为 overridable = true 由地方配置。"
        )
    if value is not None and (problem := validate_value(unit, value)):
        raise RegistryError(f"规则 {rule_id} 的数值 {value}：{problem}")
    return Rule(
        id=rule_id,
        title=entry["title"].strip(),
        value=value,
        unit=unit,
        law=entry["law"].strip(),
        article=entry["article"].strip(),
        source=entry["source"].strip(),
        status=entry["status"],
        overridable=entry["overridable"],
        outer_limit=entry["outer_limit"],
        quote=entry["quote"].strip(),
        direction=direction,
        note=str(entry.get("note", "")).strip(),
    )


def parse_statutes(text: str) -> dict[str, Rule]:
    """Parse and validate the TOML text; rules keyed by id, in file order."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{STATUTES_FILE} 不是有效的 TOML：{exc}") from exc
    entries = data.get("rule")
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{STATUTES_FILE} 中没有 [[rule]] 条目。")
    rules: dict[str, Rule] = {}
    for index, entry in enumerate(entries):
        rule = _build(entry, index)
        if rule.id in rules:
            raise RegistryError(f"规则编号 {rule.id} 重复。")
        rules[rule.id] = rule
    return rules


@cache
def _registry() -> dict[str, Rule]:
    text = resources.files("zhifa.rules").joinpath(STATUTES_FILE).read_text(encoding="utf-8")
    return parse_statutes(text)


def all_rules() -> list[Rule]:
    """Every rule, in the order of statutes.toml."""
    return list(_registry().values())


def get_rule(rule_id: str) -> Rule:
    """The rule with this id; `UnknownRule` (with near matches) if there is none."""
    registry = _registry()
    try:
        return registry[rule_id]
    except KeyError:
        wanted = str(rule_id).strip().lower()
        prefixed = [rid for rid in registry if wanted and rid.startswith(wanted)]
        close = difflib.get_close_matches(wanted, list(registry), n=3, cutoff=0.6)
        suggestions = list(dict.fromkeys([*close, *prefixed]))[:5]
        raise UnknownRule(str(rule_id), suggestions) from None


def overridable_rules() -> list[Rule]:
    return [rule for rule in all_rules() if rule.overridable]
