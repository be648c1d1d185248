"""Demo 音像记录事项清单, 随机抽查事项清单 and 服务指南 for the demo market-regulation
and construction agencies, attached to the items of `catalog_demo`.

Citations point only at rules.md and at statute texts already quoted in
`catalog_demo` (食品安全法 第一百一十条, 建筑法 第七条、第八条第二款); the
materials, process and ratios are local examples, not any real agency's
published list. Call after `load_catalog`. Idempotent: a rule, entry or guide
that exists is left alone.
"""

from __future__ import annotations

from zhifa.catalog import lists
from zhifa.catalog.models import AvRecordingRule, EnforcementItem, ServiceGuide
from zhifa.demo.catalog_demo import BUILDING_LAW, FOOD_110, FOOD_LAW, _agency
from zhifa.orgs.models import Agency
from zhifa.orgs.services import SYSTEM

MARKET = "市场监督管理局"
CONSTRUCTION = "住房和城乡建设局"

AV_RULES = {
    MARKET: [
        {
            "step": "seizure",
            "requirement": "full",
            "citation": "rules.md GB118-13；"
            f"《{FOOD_LAW}》第一百一十条第（四）项、第（五）项（查封、扣押）",
            "note": "查封、扣押食品及查封场所，从进入现场至制作清单、加贴封条全程录像。",
        },
        {
            "step": "onsite_inspection",
            "requirement": "key",
            "citation": f"rules.md GB118-14；《{FOOD_LAW}》第一百一十条第（一）项",
            "note": "进入生产经营场所实施现场检查时，记录出示证件、告知和检查结果确认环节。",
        },
        {"step": "hearing", "requirement": "full", "citation": "rules.md GB118-14"},
        {"step": "service_leaving", "requirement": "full", "citation": "rules.md GB118-14"},
    ],
    CONSTRUCTION: [
        {
            "step": "demolition",
            "requirement": "full",
            "citation": "rules.md GB118-13",
            "note": "强制拆除从现场清点至拆除完毕全程录像，不得中断。",
        },
        {"step": "onsite_inspection", "requirement": "key", "citation": "rules.md GB118-14"},
        {"step": "service_notice", "requirement": "key", "citation": "rules.md GB118-14"},
    ],
}


def _item(agency: Agency, code: str) -> EnforcementItem | None:
    return EnforcementItem.objects.filter(agency=agency, code=code).first()


def _av_rules(agency: Agency, rows: list[dict]) -> None:
    for row in rows:
        if AvRecordingRule.objects.filter(agency=agency, item=None, step=row["step"]).exists():
            continue
        lists.av_rule_save(actor=SYSTEM, agency=agency, **row)


def _random_inspection(agency: Agency) -> None:
    item = _item(agency, "SCJG-JC-001")
    if item is None or item.random_inspection_entries.exists():
        return
    lists.random_inspection_item_save(
        actor=SYSTEM,
        agency=agency,
        item=item,
        inspecting_body=agency.name,
        basis=f"《{FOOD_LAW}》第一百一十条：{FOOD_110}",
        targets="辖区内取得食品经营许可的食品经营者（从检查对象名录库中随机抽取）",
        content="食品经营许可证件、进货查验记录、食品贮存条件、从业人员健康管理",
        method="双随机抽查：随机抽取检查对象，随机选派执法检查人员，现场检查（rules.md DR-02）",
        frequency="每年一次（示例）",
        ratio="0.05",
    )
    lists.random_inspection_item_save(
        actor=SYSTEM,
        agency=agency,
        item=item,
        inspecting_body=agency.name,
        basis=f"《{FOOD_LAW}》第一百一十条",
        targets="投诉举报多、列入经营异常名录或者有严重违法违规记录的食品经营者（rules.md DR-03）",
        content="上次检查发现问题的整改情况，及上列抽查内容",
        method="双随机抽查，加大抽查力度（rules.md DR-03）",
        frequency="每半年一次（示例）",
        ratio="0.2",
    )


def _licence_guide(agency: Agency) -> None:
    item = _item(agency, "ZJJ-XK-007")
    version = item.versions.order_by("-version").first() if item else None
    if version is None or ServiceGuide.objects.filter(version=version).exists():
        return
    lists.service_guide_save(
        actor=SYSTEM,
        version=version,
        accepting_unit=f"{agency.name}（政务服务中心窗口）",
        approving_unit=agency.name,
        conditions=f"建设单位申请领取施工许可证，应当具备《{BUILDING_LAW}》第八条第一款规定的条件。",
        materials="建筑工程施工许可证申请表\n其他证明符合申请条件的材料（示例）",
        process="申请\n受理\n审查\n决定并颁发施工许可证",
        time_limit=f"自收到申请之日起七日内（《{BUILDING_LAW}》第八条第二款）",
        fees="不收费",
        supervision=f"可向{agency.name}或本级人民政府司法行政部门反映",
        remedies="对决定不服的，可以依法申请行政复议或者提起行政诉讼。",
        office_hours="法定工作日（示例）",
    )


def load_catalog_lists(agencies: dict[str, Agency]) -> None:
    for suffix, rows in AV_RULES.items():
        agency = _agency(agencies, suffix)
        if agency is not None:
            _av_rules(agency, rows)
    market = _agency(agencies, MARKET)
    if market is not None:
        _random_inspection(market)
    construction = _agency(agencies, CONSTRUCTION)
    if construction is not None:
        _licence_guide(construction)


__all__ = ["load_catalog_lists"]
