"""How long a publication stays public, by category (PUB-07, PUB-12, PUB-13).

`settings.ZHIFA_DISCLOSURE_PERIOD_RULES` maps a category to a statutes.toml
rule id (an empty id: no end). Categories:

* ``penalty``: penalties (PUB-07 "other penalties": 3 years);
* ``penalty_minor``: circulated criticism or a fine at or below the region's
  `disclosure.minor_fine_threshold` (PUB-07: 3 months);
* ``penalty_natural``: optional, a penalty on a natural person (PUB-13's
  local example: 2 years); used only when configured;
* ``license`` and ``other``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from zhifa.rules.services import RuleNotConfigured, rule_value

DEFAULT_PERIOD_RULES = {
    "penalty": "disclosure.period_general",
    "penalty_minor": "disclosure.period_minor",
    "penalty_natural": "",
    "license": "disclosure.period_local",
    "other": "disclosure.period_local",
}

MINOR_TYPES = frozenset({"warning", "criticism", "fine"})


def period_rules() -> dict[str, str]:
    return DEFAULT_PERIOD_RULES | dict(getattr(settings, "ZHIFA_DISCLOSURE_PERIOD_RULES", {}))


def _minor_fine(pub) -> bool:
    types = set(pub.penalty_types or [])
    if not types or not types <= MINOR_TYPES:
        return False
    if "fine" not in types:
        return True  # warning or circulated criticism only
    try:
        threshold = rule_value("disclosure.minor_fine_threshold", region_code=pub.region_code)
    except RuleNotConfigured:
        return False  # no regional threshold: the general period applies
    return pub.fine_amount is not None and Decimal(pub.fine_amount) <= threshold


def category_of(pub) -> str:
    rules = period_rules()
    if pub.kind == "penalty":
        if _minor_fine(pub):
            return "penalty_minor"
        if pub.party_kind == "natural" and rules.get("penalty_natural"):
            return "penalty_natural"
        return "penalty"
    return "license" if pub.kind == "license" else "other"


def period_rule_for(pub) -> str:
    return period_rules().get(category_of(pub), "")
