"""Factories for the catalog, on top of the orgs and officers factories.

Items are created through the services (as real data is); `basis` gives a
real legal basis row to publish with.
"""

from __future__ import annotations

from datetime import date

from zhifa.catalog import services
from zhifa.catalog.models import ItemKind
from zhifa.ledger import actions
from zhifa.officers.tests.factories import CategoryFactory, market_agency
from zhifa.orgs.services import SYSTEM

# CatalogConfig.ready() registers these; registering again is harmless and
# keeps the tests independent of that wiring.
for _name, _label in services.LEDGER_ACTIONS.items():
    actions.register(_name, _label)

# 《中华人民共和国食品安全法》第一百二十二条第一款 (LawRefBook/Laws, 行政法/食品安全法.md).
FOOD_122 = (
    "违反本法规定，未取得食品生产经营许可从事食品生产经营活动，或者未取得食品添加剂生产许可"
    "从事食品添加剂生产活动的，由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产"
    "经营的食品、食品添加剂以及用于违法生产经营的工具、设备、原料等物品；违法生产经营的食品、"
    "食品添加剂货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额一万元以上的，"
    "并处货值金额十倍以上二十倍以下罚款。"
)


def basis(**overrides) -> dict:
    row = {
        "law": "中华人民共和国食品安全法",
        "article": "第一百二十二条",
        "clause": "第一款",
        "text": FOOD_122,
        "role": "penalty",
    }
    row.update(overrides)
    return row


def penalty_item(agency=None, *, code="330217001", publish=True, effective_from=date(2024, 1, 1)):
    agency = agency or market_agency()
    item = services.item_create(
        actor=SYSTEM,
        agency=agency,
        code=code,
        name="对未取得食品经营许可从事食品经营活动的行政处罚",
        kind=ItemKind.PENALTY,
        category=CategoryFactory(),
        procedure="penalty.general",
        effective_from=effective_from,
        bases=[basis()],
    )
    if publish:
        services.item_version_publish(actor=SYSTEM, version=item.versions.get())
    return item


# A benchmark in the shape of 第一百二十二条 (货值不足一万元: 五万至十万元).
GRADES = [
    {"grade": "none", "conditions": "初次违法且危害后果轻微并及时改正", "circumstances": []},
    {
        "grade": "mitigated",
        "conditions": "依法应当减轻处罚",
        "penalty_types": ["fine"],
        "fine_min": "10000",
        "fine_max": "50000",
    },
    {
        "grade": "lighter",
        "conditions": "有从轻处罚情形",
        "penalty_types": ["fine", "confiscate_gains"],
        "fine_min": "50000",
        "fine_max": "65000",
    },
    {
        "grade": "ordinary",
        "conditions": "无从轻、从重情形",
        "penalty_types": ["fine", "confiscate_gains"],
        "fine_min": "65000",
        "fine_max": "85000",
    },
    {
        "grade": "heavier",
        "conditions": "有从重处罚情形",
        "penalty_types": ["fine", "confiscate_gains"],
        "fine_min": "85000",
        "fine_max": "100000",
    },
]


def standard(item=None, grades=None):
    item = item or penalty_item()
    return services.discretion_standard_save(
        actor=SYSTEM,
        version=item.versions.order_by("-version").first(),
        violation="未取得食品经营许可从事食品经营活动，货值金额不足一万元",
        basis="示例裁量基准 第一条",
        grades=grades if grades is not None else GRADES,
    )


__all__ = ["FOOD_122", "GRADES", "basis", "penalty_item", "standard"]
