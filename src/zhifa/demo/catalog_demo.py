"""Demo catalog: a few real enforcement items per demo agency, with their
legal basis quoted from the statutes, discretion benchmarks for the penalty
items, and each agency's major-decision catalogue.

Statute texts are quoted exactly from the LawRefBook/Laws collection
(github.com/LawRefBook/Laws: 行政法/食品安全法.md, 行政法规/劳动保障监察条例.md,
经济法/建筑法.md, 经济法/节约能源法.md). The benchmark ranges and the review thresholds are local
examples (rules.md §12 REV-01), not any real agency's published benchmark.
Idempotent: an item that exists (same agency and code) is left alone; the
工业和信息化局 item is also skipped when that agency already has items.
"""

from __future__ import annotations

from datetime import date

from zhifa.catalog import services
from zhifa.catalog.models import EnforcementItem, ItemKind, MajorDecisionCriterion
from zhifa.orgs.models import Agency
from zhifa.orgs.services import SYSTEM

FOOD_LAW = "中华人民共和国食品安全法"
LABOUR_REG = "劳动保障监察条例"
BUILDING_LAW = "中华人民共和国建筑法"
ENERGY_LAW = "中华人民共和国节约能源法"

FOOD_110 = (
    "县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权采取下列措施，"
    "对生产经营者遵守本法的情况进行监督检查：（一）进入生产经营场所实施现场检查；"
    "（二）对生产经营的食品、食品添加剂、食品相关产品进行抽样检验；（三）查阅、复制有关合同、"
    "票据、账簿以及其他有关资料；（四）查封、扣押有证据证明不符合食品安全标准或者有证据证明"
    "存在安全隐患以及用于违法生产经营的食品、食品添加剂、食品相关产品；（五）查封违法从事"
    "生产经营活动的场所。"
)
FOOD_122 = (
    "违反本法规定，未取得食品生产经营许可从事食品生产经营活动，或者未取得食品添加剂生产许可"
    "从事食品添加剂生产活动的，由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产"
    "经营的食品、食品添加剂以及用于违法生产经营的工具、设备、原料等物品；违法生产经营的食品、"
    "食品添加剂货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额一万元以上的，"
    "并处货值金额十倍以上二十倍以下罚款。"
)
LABOUR_30 = (
    "有下列行为之一的，由劳动保障行政部门责令改正；对有第(一)项、第(二)项或者第(三)项规定的"
    "行为的，处2000元以上2万元以下的罚款：(一)无理抗拒、阻挠劳动保障行政部门依照本条例的规定"
    "实施劳动保障监察的；(二)不按照劳动保障行政部门的要求报送书面材料，隐瞒事实真相，出具伪证"
    "或者隐匿、毁灭证据的；(三)经劳动保障行政部门责令改正拒不改正，或者拒不履行劳动保障行政"
    "部门的行政处理决定的；(四)打击报复举报人、投诉人的。"
)
BUILDING_7 = (
    "建筑工程开工前，建设单位应当按照国家有关规定向工程所在地县级以上人民政府建设行政主管部门"
    "申请领取施工许可证；但是，国务院建设行政主管部门确定的限额以下的小型工程除外。"
)
BUILDING_8_2 = "建设行政主管部门应当自收到申请之日起七日内，对符合条件的申请颁发施工许可证。"
ENERGY_82 = (
    "重点用能单位未按照本法规定报送能源利用状况报告或者报告内容不实的，由管理节能工作的部门"
    "责令限期改正；逾期不改正的，处一万元以上五万元以下罚款。"
)

ITEMS = [
    {
        "suffix": "市场监督管理局",
        "code": "SCJG-JC-001",
        "name": "食品经营监督检查",
        "kind": ItemKind.INSPECTION,
        "category": "market",
        "procedure": "inspection.onsite",
        "random_inspection": True,
        "bases": [
            {"law": FOOD_LAW, "article": "第一百一十条", "text": FOOD_110, "role": "authority"},
        ],
    },
    {
        "suffix": "市场监督管理局",
        "code": "SCJG-CF-122",
        "name": "对未取得食品经营许可从事食品经营活动的行政处罚",
        "kind": ItemKind.PENALTY,
        "category": "market",
        "procedure": "penalty.general",
        "bases": [
            {
                "law": FOOD_LAW,
                "article": "第一百二十二条",
                "clause": "第一款",
                "text": FOOD_122,
                "role": "penalty",
            },
        ],
        "standard": {
            "violation": "未取得食品经营许可从事食品经营活动，违法经营的食品货值金额不足一万元",
            "basis": "《中华人民共和国食品安全法》第一百二十二条第一款（示例裁量基准）",
            "grades": [
                {
                    "grade": "none",
                    "conditions": "初次违法且危害后果轻微并及时改正",
                    "circumstances": ["first_minor_corrected"],
                },
                {
                    "grade": "lighter",
                    "conditions": "具有行政处罚法第三十二条规定的从轻情形",
                    "penalty_types": ["fine", "confiscate_gains", "confiscate_property"],
                    "fine_min": "50000",
                    "fine_max": "65000",
                },
                {
                    "grade": "ordinary",
                    "conditions": "无从轻、从重情形",
                    "penalty_types": ["fine", "confiscate_gains", "confiscate_property"],
                    "fine_min": "65000",
                    "fine_max": "85000",
                },
                {
                    "grade": "heavier",
                    "conditions": "经责令改正拒不改正，或者造成危害后果",
                    "penalty_types": ["fine", "confiscate_gains", "confiscate_property"],
                    "fine_min": "85000",
                    "fine_max": "100000",
                },
            ],
        },
    },
    {
        "suffix": "人力资源和社会保障局",
        "code": "RSJ-CF-030",
        "name": "对无理抗拒、阻挠劳动保障监察等行为的行政处罚",
        "kind": ItemKind.PENALTY,
        "category": "labour",
        "procedure": "penalty.general",
        "bases": [
            {"law": LABOUR_REG, "article": "第三十条", "text": LABOUR_30, "role": "penalty"},
        ],
        "standard": {
            "violation": "无理抗拒、阻挠劳动保障行政部门实施劳动保障监察",
            "basis": "《劳动保障监察条例》第三十条（示例裁量基准）",
            "grades": [
                {
                    "grade": "lighter",
                    "conditions": "经指出后即配合监察",
                    "penalty_types": ["fine"],
                    "fine_min": "2000",
                    "fine_max": "6000",
                },
                {
                    "grade": "ordinary",
                    "conditions": "无从轻、从重情形",
                    "penalty_types": ["fine"],
                    "fine_min": "6000",
                    "fine_max": "14000",
                },
                {
                    "grade": "heavier",
                    "conditions": "多次阻挠或者以暴力、威胁方法阻挠",
                    "penalty_types": ["fine"],
                    "fine_min": "14000",
                    "fine_max": "20000",
                },
            ],
        },
    },
    {
        "suffix": "住房和城乡建设局",
        "code": "ZJJ-XK-007",
        "name": "建筑工程施工许可",
        "kind": ItemKind.LICENSE,
        "category": "construction",
        "procedure": "license.general",
        "bases": [
            {"law": BUILDING_LAW, "article": "第七条", "clause": "第一款", "text": BUILDING_7},
            {
                "law": BUILDING_LAW,
                "article": "第八条",
                "clause": "第二款",
                "text": BUILDING_8_2,
                "role": "procedure",
            },
        ],
    },
    {
        "suffix": "工业和信息化局",
        "only_if_agency_empty": True,
        "code": "GXJ-CF-082",
        "name": "对重点用能单位未按规定报送能源利用状况报告或者报告内容不实的行政处罚",
        "kind": ItemKind.PENALTY,
        "category": "industry",
        "procedure": "penalty.general",
        "bases": [
            {"law": ENERGY_LAW, "article": "第八十二条", "text": ENERGY_82, "role": "penalty"},
        ],
    },
]

REV01 = "rules.md REV-01（地方重大执法决定法制审核目录示例）"
CRITERIA = [
    {
        "kind": MajorDecisionCriterion.Kind.AMOUNT,
        "description": "对公民处以二万元以上罚款",
        "party_kind": "natural",
        "amount_threshold": 20000,
    },
    {
        "kind": MajorDecisionCriterion.Kind.AMOUNT,
        "description": "对法人或者其他组织处以五万元以上罚款",
        "party_kind": "organisation",
        "amount_threshold": 50000,
    },
    {
        "kind": MajorDecisionCriterion.Kind.PENALTY_TYPE,
        "description": "吊销许可证件",
        "penalty_types": ["revoke_permit"],
    },
    {"kind": MajorDecisionCriterion.Kind.HEARING, "description": "经过听证程序作出的决定"},
]


def _agency(agencies: dict[str, Agency], suffix: str) -> Agency | None:
    for name, agency in agencies.items():
        if name.endswith(suffix) and agency.categories.exists():
            return agency
    return None


def load_catalog(agencies: dict[str, Agency]) -> None:
    for spec in ITEMS:
        agency = _agency(agencies, spec["suffix"])
        if agency is None:
            continue
        existing = EnforcementItem.objects.filter(agency=agency)
        if existing.filter(code=spec["code"]).exists() or (
            spec.get("only_if_agency_empty") and existing.exists()
        ):
            continue
        item = services.item_create(
            actor=SYSTEM,
            agency=agency,
            code=spec["code"],
            name=spec["name"],
            kind=spec["kind"],
            category=spec["category"],
            procedure=spec["procedure"],
            effective_from=date(2024, 1, 1),
            random_inspection=spec.get("random_inspection", False),
            bases=spec["bases"],
        )
        version = services.item_version_publish(actor=SYSTEM, version=item.versions.get())
        if "standard" in spec:
            services.discretion_standard_save(actor=SYSTEM, version=version, **spec["standard"])

    for suffix in ("市场监督管理局", "人力资源和社会保障局", "住房和城乡建设局"):
        agency = _agency(agencies, suffix)
        if agency is None or agency.major_decision_criteria.exists():
            continue
        for row in CRITERIA:
            services.major_criterion_save(actor=SYSTEM, agency=agency, citation=REV01, **row)


__all__ = ["load_catalog"]
