"""The party's right to request a hearing (行政处罚法 第六十三条, APL-27).

Penalty types in items (三) and (四) always give the right. For item (一)
较大数额罚款 and item (二) 没收较大数额违法所得、没收较大价值非法财物 the
amount is set by provincial or departmental rules: the regional values of the
rules `penalty.hearing_large_fine_citizen` / `_organisation`. Confiscation is
compared with the same regional value as the fine, which is how the provincial
hearing rules usually phrase it; where a region sets a different value for
confiscation, that needs its own rule. With no value configured for the region
we refuse rather than guess.

Item (五) 其他较重的行政处罚 and item (六) are not decided here: the case
engine may grant the right on top of this answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zhifa.catalog.models import PartyKind, PenaltyType
from zhifa.rules.services import ADMIN_PATH, RuleNotConfigured, resolve_rule_value

ART_63 = "《中华人民共和国行政处罚法》第六十三条"

ALWAYS: dict[str, str] = {
    PenaltyType.LOWER_QUALIFICATION: "第（三）项",
    PenaltyType.REVOKE_PERMIT: "第（三）项",
    PenaltyType.SUSPEND_BUSINESS: "第（四）项",
    PenaltyType.CLOSE: "第（四）项",
    PenaltyType.RESTRICT_PRACTICE: "第（四）项",
}

THRESHOLD_RULES = {
    PartyKind.NATURAL: "penalty.hearing_large_fine_citizen",
    PartyKind.ORGANISATION: "penalty.hearing_large_fine_organisation",
}


class HearingThresholdNotConfigured(RuleNotConfigured):
    """The region has not configured what 较大数额 means."""


@dataclass(frozen=True)
class HearingRight:
    required: bool
    reasons: list[str]
    citation: str

    def __bool__(self) -> bool:
        return self.required


def hearing_right(
    *,
    penalty_types,
    fine_amount=None,
    confiscation_amount=None,
    party_kind: str,
    region_code: str,
) -> HearingRight:
    if party_kind not in THRESHOLD_RULES:
        raise ValueError(
            f"当事人类型应为公民（natural）或法人或者其他组织（organisation），收到 {party_kind!r}。"
        )
    types = [str(t) for t in penalty_types or ()]
    reasons: list[str] = []
    items: list[str] = []
    for t in types:
        if t in ALWAYS:
            reasons.append(f"拟{PenaltyType(t).label}（{ART_63}{ALWAYS[t]}）。")
            items.append(ALWAYS[t])

    fine = Decimal(fine_amount or 0)
    confiscation = Decimal(confiscation_amount or 0)
    if fine > 0 or confiscation > 0:
        rule_id = THRESHOLD_RULES[party_kind]
        who = PartyKind(party_kind).label
        try:
            resolved = resolve_rule_value(rule_id, region_code=region_code)
        except RuleNotConfigured as exc:
            raise HearingThresholdNotConfigured(
                f"无法判断是否属于“较大数额”（{ART_63}第（一）项、第（二）项）："
                f"地区 {region_code} 及其上级地区没有配置对{who}的较大数额标准。"
                f"请管理员在“{ADMIN_PATH}”中为地区 {region_code}（或其所在省、市）配置规则"
                f"“{rule_id}”，并写明省级或者部门规定的依据。"
            ) from exc
        threshold = resolved.value
        if fine >= threshold:
            reasons.append(
                f"拟对{who}罚款 {fine:,.2f} 元，达到较大数额标准 {threshold:,.2f} 元"
                f"（{ART_63}第（一）项；{resolved.basis}）。"
            )
            items.append("第（一）项")
        if confiscation >= threshold:
            reasons.append(
                f"拟没收 {confiscation:,.2f} 元，达到较大数额标准 {threshold:,.2f} 元"
                f"（{ART_63}第（二）项；{resolved.basis}）。"
            )
            items.append("第（二）项")

    unique = sorted(set(items))
    citation = f"{ART_63}{'、'.join(unique)}" if unique else ART_63
    return HearingRight(required=bool(reasons), reasons=reasons, citation=citation)


__all__ = ["HearingRight", "HearingThresholdNotConfigured", "hearing_right"]
