"""The demo cases' narratives, as data: who did what on which day (loaded by
`zhifa.demo.cases_demo`, which says what each case shows).

One `DemoCase` per case. A `Step` is a transition code (or "evidence") with
its actor and form data; placeholders in the data (`OfficerRef`, `ItemRef`,
`PENDING_RECUSAL`, …) are resolved when the step runs. The steps of one case
are in date order. Names, identity numbers, 统一社会信用代码, telephone and
receipt numbers are invented; identity numbers and codes carry valid check
characters. Long because it is content, one narrative per case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zhifa.cases.parties import resident_id_check_char
from zhifa.orgs.codes import uscc_with_check

FOOD_LAW = "中华人民共和国食品安全法"
LAW = f"《{FOOD_LAW}》"
ITEM_122 = "SCJG-CF-122"  # created by catalog_demo
ITEM_124 = "SCJG-CF-124"  # created by cases_demo
ITEM_125 = "SCJG-CF-125"  # created by cases_demo

# --------------------------------------------------------------------------- references
# Placeholders in step data, resolved when the step runs.


@dataclass(frozen=True)
class Officers:
    names: tuple[str, ...]


@dataclass(frozen=True)
class OfficerRef:
    name: str


@dataclass(frozen=True)
class UserRef:
    username: str


@dataclass(frozen=True)
class ItemRef:
    code: str


@dataclass(frozen=True)
class StandardRef:
    code: str


PENDING_RECUSAL = object()


def officers(*names: str) -> Officers:
    return Officers(names)


# --------------------------------------------------------------------------- evidence files


@dataclass(frozen=True)
class Photo:
    seed: int


@dataclass(frozen=True)
class Recording:
    seed: int


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Step:
    on: date
    action: str  # a transition code, or "evidence"
    actor: str  # username
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoCase:
    key: str
    title: str  # 案由; with the agency, what identifies the demo case
    source_kind: str
    source_detail: str
    received: date
    registered: date
    registered_by: str
    party: dict[str, Any]
    place: str
    steps: tuple[Step, ...]
    summary: bool = False
    region: str = "210521100"  # 小市镇


def _id_number(born: str, sequence: str) -> str:
    body = f"210521{born}{sequence}"
    return body + resident_id_check_char(body)


def _person(name: str, born: str, sequence: str, address: str, phone: str) -> dict:
    return {
        "kind": "natural",
        "name": name,
        "id_type": "resident",
        "id_number": _id_number(born, sequence),
        "address": address,
        "phone": phone,
    }


def _company(name: str, code: str, representative: str, address: str, phone: str) -> dict:
    return {
        "kind": "organisation",
        "name": name,
        "uscc": uscc_with_check(f"91210521{code}"),
        "legal_representative": representative,
        "address": address,
        "phone": phone,
    }


def d(month: int, day: int) -> date:
    return date(2026, month, day)


TEAM = officers("张伟", "李娜")
BANK = "中国农业银行本溪满族自治县支行"
GOV = "本溪满族自治县人民政府"
HEARING_ROOM = "本溪满族自治县市场监督管理局听证室（小市镇人民路66号三楼）"
INQUIRY_ROOM = "本溪满族自治县市场监督管理局询问室"
S125 = f"{LAW}第一百二十五条第一款第（二）项"
S124 = f"{LAW}第一百二十四条第一款第（五）项"
S122 = f"{LAW}第一百二十二条第一款"


def _file(on: date, act: date, item: str, *, team=TEAM, lead="张伟", opinion="") -> Step:
    return Step(
        on,
        "file",
        "wangfang",
        {
            "item": ItemRef(item),
            "act_date": act,
            "officers": team,
            "lead": OfficerRef(lead),
            "opinion": opinion or "经审查，符合立案条件，同意立案。",
        },
    )


def _inspect(on: date, place: str, content: str, *, actor="zhangwei", present=TEAM) -> Step:
    return Step(
        on,
        "record_inspection",
        actor,
        {"officers_present": present, "place": place, "content": content},
    )


def _inquiry(on: date, person: str, content: str, *, relation="party", actor="lina") -> Step:
    return Step(
        on,
        "record_inquiry",
        actor,
        {
            "officers_present": TEAM,
            "person": person,
            "relation": relation,
            "place": INQUIRY_ROOM,
            "content": content,
        },
    )


def _photo(on: date, title: str, seed: int, *, actor="zhangwei", step="onsite_inspection") -> Step:
    return Step(on, "evidence", actor, {"file": Photo(seed), "title": title, "step": step})


def _recording(
    on: date, title: str, seed: int, *, actor="zhangwei", step="onsite_inspection"
) -> Step:
    return Step(on, "evidence", actor, {"file": Recording(seed), "title": title, "step": step})


def _propose(
    on: date,
    item: str,
    *,
    facts: str,
    evidence: str,
    basis: str,
    fine: str,
    grade: str,
    confiscation: str = "",
    gains: str = "",
    circumstances: str = "",
    actor: str = "zhangwei",
) -> Step:
    types = ["fine"]
    if gains:
        types.append("confiscate_gains")
    elif confiscation:
        types.append("confiscate_property")
    return Step(
        on,
        "end_investigation",
        actor,
        {
            "facts": facts,
            "evidence_summary": evidence,
            "legal_basis": basis,
            "decision_kind": "penalty",
            "penalty_types": types,
            "fine_amount": fine,
            "confiscation_amount": gains or confiscation,
            "illegal_gains": gains,
            "discretion_standard": StandardRef(item),
            "discretion_grade": grade,
            "circumstances": circumstances,
        },
    )


def _decide(on: date, fine: str, *, confiscation: str = "", gains: str = "") -> Step:
    types = ["fine"] + (
        ["confiscate_gains"] if gains else ["confiscate_property"] if confiscation else []
    )
    return Step(
        on,
        "decide_penalty",
        "chenjing",
        {
            "penalty_types": types,
            "fine_amount": fine,
            "confiscation_amount": gains or confiscation,
            "bank": BANK,
        },
    )


def _serve(on: date, recipient: str, *, method="direct", actor="zhangwei") -> Step:
    return Step(on, "serve", actor, {"method": method, "recipient": recipient})


def _pay(on: date, amount: str, receipt: str, *, channel="bank") -> Step:
    return Step(
        on,
        "record_payment",
        "lina",
        {"amount": amount, "channel": channel, "receipt_number": receipt},
    )


def _notify(on: date) -> Step:
    return Step(on, "notify", "wangfang", {})


def _waive(on: date, text: str, *, hearing: bool = False) -> Step:
    """放弃陈述申辩; `hearing`: the party also expressly waives the hearing (the
    case must have the right; a statement waiver alone never waives it)."""
    data: dict[str, Any] = {"statement": text}
    if hearing:
        data["waives_hearing"] = True
    return Step(on, "waive_statement", "zhangwei", data)


def _end_statement(on: date) -> Step:
    return Step(on, "end_statement", "wangfang", {"note": "陈述申辩环节结束，报请负责人审查决定。"})


ARCHIVED = DemoCase(
    key="archived",
    title="本溪满族自治县鑫旺超市有限公司经营无标签的预包装食品案",
    source_kind="inspection",
    source_detail="2026年食品经营“双随机、一公开”监督检查中发现。",
    received=d(6, 8),
    registered=d(6, 8),
    registered_by="zhangwei",
    party=_company(
        "本溪满族自治县鑫旺超市有限公司",
        "MA0YB7K3X",
        "孟庆华",
        "本溪满族自治县小市镇繁荣街12号",
        "024-48821136",
    ),
    place="本溪满族自治县小市镇繁荣街12号",
    steps=(
        _file(
            d(6, 9),
            d(6, 8),
            ITEM_125,
            opinion="当事人涉嫌经营无标签的预包装食品，符合立案条件，同意立案，由张伟、李娜承办。",
        ),
        _photo(d(6, 10), "散装货架上无任何标签的袋装花生米（现场照片）", 11),
        _photo(d(6, 10), "涉案食品外包装特写（现场照片）", 12),
        _recording(d(6, 10), "现场检查执法记录仪录音", 1),
        _inspect(
            d(6, 10),
            "本溪满族自治县小市镇繁荣街12号鑫旺超市",
            "执法人员张伟、李娜出示执法证件，说明来意，协管员赵磊协助。经检查，当事人持有有效的"
            "食品经营许可证。在超市干货区货架上发现袋装“五香花生米”62袋（每袋250克）、袋装"
            "“琥珀核桃仁”28袋（每袋200克），均为定量包装，包装上无任何标签，未标注名称、生产者、"
            "生产日期、保质期等内容。当事人负责人孟庆华在场，对检查情况无异议，签字确认。",
        ),
        _inquiry(
            d(6, 12),
            "孟庆华",
            "问：你在本公司担任什么职务？\n答：我是法定代表人。\n"
            "问：货架上无标签的袋装花生米和核桃仁是从哪里进的货？\n"
            "答：是从一个流动商贩那里按斤买的散货，我们自己分装成袋摆上货架的，没有贴标签。\n"
            "问：共进货多少？销售了多少？\n"
            "答：5月20日前后进的货，花生米20公斤、核桃仁8公斤，到检查时卖出去十几袋。\n"
            "问：以上所说是否属实？\n答：属实。",
        ),
        _propose(
            d(6, 26),
            ITEM_125,
            facts="当事人于2026年5月下旬起，将购进的散装花生米、核桃仁自行定量分装后，在其经营场所"
            "销售，包装上未标注任何标签内容，至案发时货值金额共计1,860元，已销售部分违法所得"
            "无法查清。",
            evidence="现场检查笔录、现场照片2张、执法记录仪录音、询问笔录、进货情况说明、"
            "营业执照及食品经营许可证复印件。",
            basis=S125,
            fine="20000",
            confiscation="1860",
            grade="ordinary",
        ),
        _notify(d(6, 29)),
        _waive(d(6, 30), "本公司对拟作出的行政处罚没有异议，放弃陈述、申辩的权利。"),
        _end_statement(d(7, 1)),
        _decide(d(7, 3), "20000", confiscation="1860"),
        _serve(d(7, 6), "孟庆华"),
        _pay(d(7, 14), "20000", "3420026071400127"),
        Step(
            d(7, 20),
            "close",
            "wangfang",
            {
                "opinion": "罚款已全额缴纳，没收的食品已登记造册并移交销毁，处罚决定执行完毕，同意结案。"
            },
        ),
        Step(d(7, 24), "archive", "zhangwei", {"note": "案卷已按规定立卷，移交本局档案室。"}),
    ),
)

CLOSED = DemoCase(
    key="closed",
    title="王秀英（秀英副食店）经营标签不符合规定的预包装食品案",
    source_kind="complaint",
    source_detail="消费者通过全国12315平台投诉：所购瓶装蜂蜜标签未标注生产日期。",
    received=d(7, 6),
    registered=d(7, 7),
    registered_by="lina",
    party=_person(
        "王秀英", "19710315", "024", "本溪满族自治县小市镇河西路8号秀英副食店", "13841451207"
    ),
    place="本溪满族自治县小市镇河西路8号",
    steps=(
        _file(d(7, 8), d(7, 3), ITEM_125, lead="李娜"),
        _recording(d(7, 9), "现场检查执法记录仪录音", 2, actor="lina"),
        _inspect(
            d(7, 9),
            "本溪满族自治县小市镇河西路8号秀英副食店",
            "执法人员出示执法证件后进行检查。当事人店内货架上陈列瓶装“椴树蜂蜜”（500克/瓶）"
            "37瓶，标签未标注生产日期和保质期。当事人王秀英在场，当场将上述蜂蜜全部下架封存。",
            actor="lina",
        ),
        _propose(
            d(7, 22),
            ITEM_125,
            facts="当事人自2026年6月起销售标签未标注生产日期、保质期的瓶装蜂蜜，货值金额740元。"
            "案发后当事人主动将涉案蜂蜜全部下架，消除了违法行为的危害后果。",
            evidence="投诉登记、现场检查笔录、执法记录仪录音、涉案蜂蜜标签照片、进货单据。",
            basis=S125,
            fine="8000",
            confiscation="740",
            grade="lighter",
            circumstances="eliminated_harm",
            actor="lina",
        ),
        _notify(d(7, 24)),
        Step(
            d(7, 28),
            "record_statement",
            "lina",
            {
                "content": "当事人称其初次经营蜂蜜，对预包装食品标签的要求不了解；发现问题后已将涉案"
                "蜂蜜全部下架，并向供货商索要了合格标签，请求从轻处罚。",
                "adopted": "partly",
                "review_reason": "当事人主动消除违法行为危害后果，属于行政处罚法第三十二条第（一）项"
                "规定的从轻情形，对从轻处罚的请求予以采纳，在从轻阶次内将罚款调整为6,000元；"
                "“不了解规定”不是免责理由，不予采纳。",
                "revised_fine": "6000",
            },
        ),
        _end_statement(d(7, 30)),
        _decide(d(8, 3), "6000", confiscation="740"),
        _serve(d(8, 4), "王秀英", actor="lina"),
        _pay(d(8, 11), "6000", "EP20260811000932", channel="e_payment"),
        Step(
            d(8, 17),
            "close",
            "wangfang",
            {"opinion": "罚款已通过电子支付缴纳，执行完毕，同意结案。"},
        ),
    ),
)

SERVED_PAUSED = DemoCase(
    key="served_paused",
    title="本溪满族自治县福源食品商行经营无中文标签的进口预包装食品案",
    source_kind="report",
    source_detail="群众电话举报：该商行销售的进口橄榄油、饼干没有中文标签。",
    received=d(7, 20),
    registered=d(7, 21),
    registered_by="zhangwei",
    party=_company(
        "本溪满族自治县福源食品商行",
        "MA0XR4N2T",
        "高福源",
        "本溪满族自治县小市镇新华街27号",
        "13904148826",
    ),
    place="本溪满族自治县小市镇新华街27号",
    steps=(
        _file(d(7, 22), d(7, 20), ITEM_125),
        _photo(d(7, 23), "进口橄榄油外包装无中文标签（现场照片）", 13),
        _recording(d(7, 23), "现场检查执法记录仪录音", 3),
        _inspect(
            d(7, 23),
            "本溪满族自治县小市镇新华街27号福源食品商行",
            "当事人店内进口食品货架陈列进口橄榄油（1升/瓶）24瓶、进口黄油曲奇（454克/盒）"
            "30盒，均无中文标签。当事人负责人高福源在场。",
        ),
        _inquiry(
            d(7, 28),
            "高福源",
            "问：涉案进口食品从何处购进？\n答：从大连一家贸易公司购进，对方没有提供报关单和"
            "检验检疫证明。\n问：是否知道进口预包装食品应当有中文标签？\n答：知道，但以为可以"
            "先卖着再补。",
        ),
        _propose(
            d(8, 7),
            ITEM_125,
            facts="当事人销售无中文标签的进口预包装食品橄榄油、黄油曲奇，货值金额4,680元。",
            evidence="举报记录、现场检查笔录、现场照片、执法记录仪录音、询问笔录、进货单据。",
            basis=S125,
            fine="30000",
            confiscation="4680",
            grade="ordinary",
        ),
        _notify(d(8, 11)),
        _waive(d(8, 12), "本商行对拟作出的处罚无异议，放弃陈述、申辩。"),
        _end_statement(d(8, 13)),
        _decide(d(8, 17), "30000", confiscation="4680"),
        _serve(d(8, 19), "高福源"),
        _pay(d(8, 31), "10000", "3420026083100418"),
        Step(
            d(9, 14),
            "pause_surcharge",
            "wangfang",
            {
                "kind": "reconsideration",
                "body": GOV,
                "note": "当事人对处罚决定不服，已向本溪满族自治县人民政府申请行政复议，复议期间暂停计算加处罚款。",
            },
        ),
    ),
)

REVOKED = DemoCase(
    key="revoked",
    title="赵德成（德成食杂店）经营标签不符合规定的预包装糕点案",
    source_kind="inspection",
    source_detail="日常监督检查中发现。",
    received=d(7, 27),
    registered=d(7, 28),
    registered_by="lina",
    party=_person(
        "赵德成", "19650907", "015", "本溪满族自治县小市镇东街3号德成食杂店", "13614145098"
    ),
    place="本溪满族自治县小市镇东街3号",
    steps=(
        _file(d(7, 29), d(7, 27), ITEM_125, lead="李娜"),
        _recording(d(7, 30), "现场检查执法记录仪录音", 4, actor="lina"),
        _inspect(
            d(7, 30),
            "本溪满族自治县小市镇东街3号德成食杂店",
            "当事人店内糕点柜陈列袋装“老式蛋糕”（约300克/袋）16袋，袋上仅贴有品名，未标注"
            "生产日期和保质期。",
            actor="lina",
        ),
        _propose(
            d(8, 12),
            ITEM_125,
            facts="当事人销售标签未标注生产日期、保质期的袋装糕点，货值金额320元。",
            evidence="现场检查笔录、执法记录仪录音、涉案糕点照片。",
            basis=S125,
            fine="9000",
            confiscation="320",
            grade="lighter",
            circumstances="eliminated_harm",
            actor="lina",
        ),
        _notify(d(8, 14)),
        _waive(d(8, 17), "本人放弃陈述、申辩。"),
        _end_statement(d(8, 18)),
        _decide(d(8, 21), "9000", confiscation="320"),
        _serve(d(8, 24), "赵德成", actor="lina"),
        Step(
            d(9, 1),
            "pause_surcharge",
            "wangfang",
            {"kind": "reconsideration", "body": GOV, "note": "当事人已申请行政复议。"},
        ),
        Step(
            d(10, 27),
            "record_outcome",
            "wangfang",
            {
                "kind": "revoked",
                "body": GOV,
                "reference": "本县政复决字〔2026〕17号",
                "note": "复议机关认为涉案糕点系现场称重销售的散装食品，不属于预包装食品，原处罚决定"
                "认定事实不清，决定予以撤销。",
            },
        ),
    ),
)

OVERDUE = DemoCase(
    key="overdue",
    title="刘桂兰（老街坊熟食店）未取得食品经营许可经营熟食案",
    source_kind="report",
    source_detail="群众举报：小市镇农贸市场旁一熟食店无证经营。",
    received=d(8, 3),
    registered=d(8, 4),
    registered_by="zhangwei",
    party=_person(
        "刘桂兰", "19760522", "048", "本溪满族自治县小市镇农贸市场南门老街坊熟食店", "15241461733"
    ),
    place="本溪满族自治县小市镇农贸市场南门",
    steps=(
        _file(d(8, 6), d(8, 3), ITEM_122),
        _photo(d(8, 7), "熟食店操作间及售卖柜（现场照片）", 14),
        _recording(d(8, 7), "现场检查执法记录仪录音", 5),
        _inspect(
            d(8, 7),
            "本溪满族自治县小市镇农贸市场南门老街坊熟食店",
            "当事人正在售卖酱猪蹄、熏鸡架等熟食，店内未悬挂食品经营许可证。当事人刘桂兰称"
            "尚未办理食品经营许可。",
        ),
        _inquiry(
            d(8, 11),
            "刘桂兰",
            "问：你的熟食店什么时候开始经营？\n答：今年6月初开始。\n"
            "问：是否取得食品经营许可证？\n答：没有，正在准备材料。\n"
            "问：经营以来的营业额是多少？\n答：大概三千多元，有微信收款记录。",
        ),
        _propose(
            d(9, 1),
            ITEM_122,
            facts="当事人自2026年6月3日起未取得食品经营许可在其店内加工销售熟食，违法所得3,200元，"
            "货值金额不足一万元。",
            evidence="举报记录、现场检查笔录、现场照片、执法记录仪录音、询问笔录、微信收款记录。",
            basis=S122,
            fine="60000",
            gains="3200",
            grade="lighter",
            circumstances="voluntary_confession",
        ),
    ),
)

BLOCKED = DemoCase(
    key="blocked",
    title="本溪满族自治县惠民万家超市有限公司经营超过保质期的食品案",
    source_kind="inspection",
    source_detail="中秋、国庆节前食品安全专项检查中发现。",
    received=d(9, 4),
    registered=d(9, 7),
    registered_by="lina",
    party=_company(
        "本溪满族自治县惠民万家超市有限公司",
        "MA0UW8P5K",
        "钱国栋",
        "本溪满族自治县小市镇人民路118号",
        "024-48826610",
    ),
    place="本溪满族自治县小市镇人民路118号",
    steps=(
        _file(d(9, 8), d(9, 4), ITEM_124),
        _photo(d(9, 9), "货架上超过保质期的月饼礼盒（现场照片）", 15),
        _photo(d(9, 9), "月饼礼盒生产日期及保质期标注（现场照片）", 16),
        _recording(d(9, 9), "现场检查执法记录仪录音", 6),
        _inspect(
            d(9, 9),
            "本溪满族自治县小市镇人民路118号惠民万家超市",
            "超市节日食品专区陈列的“五仁月饼”礼盒（800克/盒）41盒、袋装“蛋黄酥”（6枚/袋）"
            "55袋已超过标注的保质期，仍在销售。当事人店长在场确认。",
        ),
        _inquiry(
            d(9, 15),
            "钱国栋",
            "问：超过保质期的月饼和蛋黄酥是什么时候进的货？\n答：是去年中秋剩下的库存，"
            "今年节前清库时被员工误摆上了货架。\n问：已经卖出多少？\n答：据收银记录卖出12盒。",
        ),
        _propose(
            d(10, 13),
            ITEM_124,
            facts="当事人在其经营场所销售超过保质期的月饼礼盒、蛋黄酥，货值金额2,860元，"
            "已售出部分违法所得960元。",
            evidence="现场检查笔录、现场照片2张、执法记录仪录音、询问笔录、收银系统销售记录、"
            "进货单据。",
            basis=S124,
            fine="70000",
            confiscation="2860",
            grade="ordinary",
        ),
        _notify(d(10, 15)),
        _waive(d(10, 19), "本公司放弃陈述、申辩和要求听证的权利。", hearing=True),
        _end_statement(d(10, 20)),
    ),
)

HEARING_HELD = DemoCase(
    key="hearing_held",
    title="本溪满族自治县味美佳餐饮有限公司未取得食品经营许可从事餐饮服务案",
    source_kind="complaint",
    source_detail="消费者投诉：就餐后发现该饭店未公示食品经营许可证。",
    received=d(8, 26),
    registered=d(8, 27),
    registered_by="zhangwei",
    party=_company(
        "本溪满族自治县味美佳餐饮有限公司",
        "MA0TQ6H9L",
        "孙志强",
        "本溪满族自治县小市镇滨河路56号",
        "13941475520",
    ),
    place="本溪满族自治县小市镇滨河路56号",
    steps=(
        _file(d(8, 31), d(8, 26), ITEM_122),
        _photo(d(9, 1), "饭店大堂及后厨（现场照片）", 17),
        _recording(d(9, 1), "现场检查执法记录仪录音", 7),
        _inspect(
            d(9, 1),
            "本溪满族自治县小市镇滨河路56号味美佳饭店",
            "当事人正在营业，大堂有食客就餐，后厨正在加工菜品。当事人未能出示食品经营许可证。",
        ),
        _inquiry(
            d(9, 8),
            "孙志强",
            "问：饭店何时开业？\n答：2026年7月18日。\n问：是否办理食品经营许可？\n"
            "答：申请材料已经交了，但还没批下来，就先开业了。",
        ),
        _propose(
            d(9, 28),
            ITEM_122,
            facts="当事人自2026年7月18日起未取得食品经营许可从事餐饮服务，违法所得12,600元。",
            evidence="投诉记录、现场检查笔录、现场照片、执法记录仪录音、询问笔录、收银流水。",
            basis=S122,
            fine="80000",
            gains="12600",
            grade="ordinary",
        ),
        _notify(d(10, 12)),
        Step(d(10, 14), "request_hearing", "zhangwei", {"note": "当事人书面提出听证申请。"}),
        Step(
            d(10, 16),
            "schedule_hearing",
            "wangfang",
            {
                "hearing_date": d(10, 28),
                "place": HEARING_ROOM,
                "presider": UserRef("liuyang"),
                "public": True,
            },
        ),
        _recording(d(10, 28), "听证会全程录音", 8, actor="wangfang", step="hearing"),
        Step(
            d(10, 28),
            "hold_hearing",
            "liuyang",
            {
                "content": "听证于2026年10月28日9时在本局听证室公开举行，主持人刘洋。调查人员张伟"
                "陈述了违法事实、证据和拟处罚意见；当事人委托代理人称当事人已提交许可申请，系因"
                "审批未完成而提前营业，主观恶性较小，请求减轻处罚。双方进行了质证和辩论，"
                "当事人作最后陈述。听证笔录经当事人核对无误后签字。",
            },
        ),
        Step(
            d(11, 20),
            "extend_deadline",
            "chenjing",
            {
                "days": 30,
                "basis": "依据《市场监督管理行政处罚程序规定》关于案情复杂不能在规定期限内作出"
                "处理决定、经负责人批准可以延长的规定，本案举行听证，经局长批准延长三十日。",
            },
        ),
    ),
)

HEARING_SCHEDULED = DemoCase(
    key="hearing_scheduled",
    title="孙玉梅（玉梅小吃部）未取得食品经营许可从事餐饮服务案",
    source_kind="inspection",
    source_detail="日常巡查发现。",
    received=d(9, 8),
    registered=d(9, 9),
    registered_by="lina",
    party=_person(
        "孙玉梅", "19830618", "062", "本溪满族自治县小市镇站前街15号玉梅小吃部", "13470147762"
    ),
    place="本溪满族自治县小市镇站前街15号",
    steps=(
        _file(d(9, 11), d(9, 8), ITEM_122, lead="李娜"),
        _recording(d(9, 14), "现场检查执法记录仪录音", 9, actor="lina"),
        _inspect(
            d(9, 14),
            "本溪满族自治县小市镇站前街15号玉梅小吃部",
            "当事人经营早餐，现场加工销售包子、豆浆、油条，未取得食品经营许可证。",
            actor="lina",
        ),
        _inquiry(
            d(9, 21),
            "孙玉梅",
            "问：小吃部何时开始经营？\n答：今年4月。\n问：为何未办理许可？\n"
            "答：以为小吃部不用办证。营业额一共一千八百多元。",
        ),
        _propose(
            d(10, 26),
            ITEM_122,
            facts="当事人自2026年4月起未取得食品经营许可从事早餐加工销售，违法所得1,850元。"
            "当事人在询问中主动供述了执法人员尚未掌握的经营期间。",
            evidence="现场检查笔录、执法记录仪录音、询问笔录、收款记录。",
            basis=S122,
            fine="55000",
            gains="1850",
            grade="lighter",
            circumstances="voluntary_confession",
            actor="lina",
        ),
        _notify(d(11, 9)),
        Step(
            d(11, 12), "request_hearing", "lina", {"note": "当事人当面口头提出听证要求，已记录。"}
        ),
        Step(
            d(11, 16),
            "schedule_hearing",
            "wangfang",
            {
                "hearing_date": d(11, 27),
                "place": HEARING_ROOM,
                "presider": UserRef("liuyang"),
                "public": True,
            },
        ),
    ),
)

STATEMENT = DemoCase(
    key="statement",
    title="本溪满族自治县康源食品有限公司经营无中文标签的进口预包装饼干案",
    source_kind="report",
    source_detail="群众举报。",
    received=d(9, 18),
    registered=d(9, 21),
    registered_by="zhangwei",
    party=_company(
        "本溪满族自治县康源食品有限公司",
        "MA0RK2C7D",
        "邹立峰",
        "本溪满族自治县小市镇工业园区6号",
        "024-48853309",
    ),
    place="本溪满族自治县小市镇工业园区6号",
    steps=(
        _file(d(9, 23), d(9, 18), ITEM_125),
        _recording(d(9, 24), "现场检查执法记录仪录音", 10),
        _inspect(
            d(9, 24),
            "本溪满族自治县小市镇工业园区6号康源食品有限公司仓库及门市",
            "门市销售的进口“黄油薄脆饼干”（150克/袋）86袋无中文标签。",
        ),
        _inquiry(
            d(10, 13),
            "邹立峰",
            "问：涉案饼干从何处购进？\n答：从沈阳一家进口食品批发商购进，到货时没有中文标签。",
        ),
        _propose(
            d(11, 13),
            ITEM_125,
            facts="当事人销售无中文标签的进口预包装饼干，货值金额2,150元。",
            evidence="举报记录、现场检查笔录、执法记录仪录音、询问笔录、进货单据。",
            basis=S125,
            fine="25000",
            confiscation="2150",
            grade="ordinary",
        ),
        _notify(d(11, 18)),
    ),
)

INVESTIGATION = DemoCase(
    key="investigation",
    title="周建军（金穗烘焙坊）经营无标签的预包装糕点案",
    source_kind="complaint",
    source_detail="消费者投诉：购买的盒装糕点没有任何标签。",
    received=d(9, 24),
    registered=d(9, 24),
    registered_by="zhangwei",
    party=_person(
        "周建军", "19800211", "037", "本溪满族自治县小市镇北大街21号金穗烘焙坊", "18641446618"
    ),
    place="本溪满族自治县小市镇北大街21号",
    steps=(
        _file(
            d(9, 28),
            d(9, 24),
            ITEM_125,
            team=officers("张伟", "李娜", "吴海涛"),
            opinion="同意立案，由张伟、李娜、吴海涛承办，张伟主办。",
        ),
        _photo(d(9, 29), "无标签的盒装糕点（现场照片）", 18),
        _recording(d(9, 29), "现场检查执法记录仪录音", 11),
        _inspect(
            d(9, 29),
            "本溪满族自治县小市镇北大街21号金穗烘焙坊",
            "店内冷藏柜陈列盒装“蛋黄酥”“桃酥”，定量包装，包装盒上无任何标签。",
        ),
        Step(
            d(9, 30),
            "declare_recusal",
            "zhangwei",
            {
                "officer": OfficerRef("吴海涛"),
                "raised_by": "party",
                "reason": "当事人书面提出：执法人员吴海涛系其妻弟，申请其回避。",
            },
        ),
        Step(
            d(10, 9),
            "decide_recusal",
            "chenjing",
            {
                "recusal": PENDING_RECUSAL,
                "granted": "yes",
                "reason": "经核实，吴海涛与当事人系近亲属关系，可能影响公正执法，准予回避。"
                "本案由张伟、李娜继续承办。",
            },
        ),
        _photo(d(11, 19), "再次检查发现的同批次无标签糕点（现场照片）", 19),
        Step(
            d(11, 19),
            "preserve_evidence",
            "zhangwei",
            {
                "officers_present": TEAM,
                "items": "无标签盒装“蛋黄酥”48盒、无标签袋装“桃酥”36袋",
                "place": "当事人店内冷藏柜（已加贴封条）",
                "approved_by": UserRef("chenjing"),
            },
        ),
    ),
)

REGISTERED = DemoCase(
    key="registered",
    title="本溪满族自治县隆兴商贸有限公司经营无中文标签的进口饼干案",
    source_kind="report",
    source_detail="群众通过12345热线举报：该公司批发的进口饼干没有中文标签。",
    received=d(11, 16),
    registered=d(11, 17),
    registered_by="lina",
    party=_company(
        "本溪满族自治县隆兴商贸有限公司",
        "MA0PL3E8G",
        "吕长海",
        "本溪满族自治县小市镇商贸城B区9号",
        "13314143397",
    ),
    place="本溪满族自治县小市镇商贸城B区9号",
    steps=(),
)

NOT_FILED = DemoCase(
    key="not_filed",
    title="王立新（老王家饭店）被投诉使用过期调料案",
    source_kind="complaint",
    source_detail="消费者投诉：在该饭店就餐，怀疑后厨使用过期调料。",
    received=d(10, 16),
    registered=d(10, 19),
    registered_by="zhangwei",
    party=_person(
        "王立新", "19690704", "051", "本溪满族自治县小市镇建设路40号老王家饭店", "13188114526"
    ),
    place="本溪满族自治县小市镇建设路40号",
    steps=(
        Step(
            d(10, 21),
            "decline",
            "wangfang",
            {
                "reason": "经执法人员于2026年10月20日现场核查，该饭店后厨使用的调味料均在保质期内，"
                "进货查验记录完整，未发现投诉所称违法事实，不符合立案条件，不予立案。已将核查结果"
                "告知投诉人。"
            },
        ),
    ),
)

TRANSFERRED = DemoCase(
    key="transferred",
    title="本溪满族自治县恒通食品批发部经营超过保质期的食品案",
    source_kind="assigned",
    source_detail="本溪市市场监督管理局交办线索。",
    received=d(9, 14),
    registered=d(9, 15),
    registered_by="zhangwei",
    party=_company(
        "本溪满族自治县恒通食品批发部",
        "MA0NH5J1B",
        "李恒通",
        "本溪满族自治县小市镇物流园C栋2号",
        "13804144471",
    ),
    place="本溪满族自治县小市镇物流园C栋2号",
    steps=(
        _file(d(9, 16), d(9, 14), ITEM_124),
        _photo(d(9, 17), "仓库内堆放的过期饮料（现场照片）", 20),
        _recording(d(9, 17), "现场检查执法记录仪录像音轨", 12),
        _inspect(
            d(9, 17),
            "本溪满族自治县小市镇物流园C栋2号恒通食品批发部仓库",
            "仓库内存放超过保质期的果汁饮料、膨化食品共计412箱，部分已更换外箱准备发往乡镇超市。",
        ),
        Step(
            d(9, 17),
            "preserve_evidence",
            "zhangwei",
            {
                "officers_present": TEAM,
                "items": "超过保质期的果汁饮料286箱、膨化食品126箱",
                "place": "当事人仓库C栋2号（已加贴封条）",
                "approved_by": UserRef("chenjing"),
            },
        ),
        _inquiry(
            d(9, 22),
            "李恒通",
            "问：仓库内过期食品从何而来？\n答：是从各超市回收的临期和过期商品，准备更换外箱后"
            "低价批发到乡镇。\n问：已经批发出去多少？\n答：今年以来大概卖了六万多元。",
        ),
        Step(
            d(9, 24),
            "decide_preservation",
            "zhangwei",
            {
                "decision": "seize",
                "note": "依据食品安全法第一百一十条第（四）项，对先行登记保存的过期食品依法扣押。",
            },
        ),
        Step(
            d(9, 29),
            "transfer",
            "chenjing",
            {
                "organ": "本溪满族自治县公安局",
                "reason": "当事人回收超过保质期的食品更换包装后批发销售，销售金额经初步核算已逾"
                "五万元，涉嫌销售伪劣产品罪，依据《行政执法机关移送涉嫌犯罪案件的规定》移送"
                "公安机关。",
            },
        ),
    ),
)

SUMMARY = DemoCase(
    key="summary",
    title="本溪满族自治县百味调料商店食品标签瑕疵拒不改正案",
    source_kind="inspection",
    source_detail="2026年7月13日检查时已责令改正标签瑕疵，7月20日复查仍未改正。",
    received=d(7, 20),
    registered=d(7, 20),
    registered_by="zhangwei",
    summary=True,
    party=_company(
        "本溪满族自治县百味调料商店",
        "MA0MG9F4Q",
        "葛百川",
        "本溪满族自治县小市镇农贸市场东区3号",
        "15504140286",
    ),
    place="本溪满族自治县小市镇农贸市场东区3号",
    steps=(
        _recording(d(7, 20), "现场执法记录仪录音", 13),
        Step(
            d(7, 20),
            "decide_on_spot",
            "zhangwei",
            {
                "item": ItemRef(ITEM_125),
                "officers_present": TEAM,
                "facts": "当事人自行分装销售的花椒粉标签将“净含量”误印为“净含最”，存在不影响食品"
                "安全且不会对消费者造成误导的瑕疵。7月13日已责令改正，7月20日复查仍未改正。",
                "legal_basis": f"{LAW}第一百二十五条第二款",
                "penalty_types": ["fine"],
                "fine_amount": "1000",
                "statement": "当事人称标签已重新订印，尚未送到，对处罚无异议。",
                "place": "本溪满族自治县小市镇农贸市场东区3号",
            },
        ),
        Step(d(7, 21), "file_record", "zhangwei", {"note": "当场处罚决定书已报本局备案。"}),
        _pay(d(7, 24), "1000", "3420026072400233"),
    ),
)

DECIDED = DemoCase(
    key="decided",
    title="本溪满族自治县百姓缘便利店有限公司经营标签不符合规定的预包装食品案",
    source_kind="inspection",
    source_detail="日常监督检查中发现。",
    received=d(9, 15),
    registered=d(9, 16),
    registered_by="lina",
    party=_company(
        "本溪满族自治县百姓缘便利店有限公司",
        "MA0LD7B6W",
        "冯雅琴",
        "本溪满族自治县小市镇人民路203号",
        "13591411853",
    ),
    place="本溪满族自治县小市镇人民路203号",
    steps=(
        _file(d(9, 18), d(9, 15), ITEM_125, lead="李娜"),
        _recording(d(9, 21), "现场检查执法记录仪录音", 14, actor="lina"),
        _inspect(
            d(9, 21),
            "本溪满族自治县小市镇人民路203号百姓缘便利店",
            "店内销售的袋装“手工牛肉干”标签未标注生产者名称和地址、生产许可证编号，共19袋。",
            actor="lina",
        ),
        _propose(
            d(10, 22),
            ITEM_125,
            facts="当事人销售标签未标注生产者名称、地址和生产许可证编号的预包装牛肉干，货值金额"
            "1,330元。案发后当事人主动下架并召回已售商品。",
            evidence="现场检查笔录、执法记录仪录音、涉案商品标签照片、进货单据。",
            basis=S125,
            fine="12000",
            confiscation="1330",
            grade="lighter",
            circumstances="eliminated_harm",
            actor="lina",
        ),
        _notify(d(10, 26)),
        Step(
            d(10, 29),
            "record_statement",
            "lina",
            {
                "content": "当事人称涉案牛肉干系供货商提供，自身没有过错，请求不予处罚。",
                "adopted": "rejected",
                "review_reason": "当事人作为食品经营者，负有进货查验义务（食品安全法第五十三条），"
                "未查验即销售标签不符合规定的食品，申辩理由不成立，不予采纳。",
            },
        ),
        _end_statement(d(11, 3)),
        _decide(d(11, 19), "12000", confiscation="1330"),
    ),
)

CASES: tuple[DemoCase, ...] = (
    ARCHIVED,
    CLOSED,
    SUMMARY,
    SERVED_PAUSED,
    REVOKED,
    OVERDUE,
    HEARING_HELD,
    BLOCKED,
    HEARING_SCHEDULED,
    TRANSFERRED,
    DECIDED,
    STATEMENT,
    INVESTIGATION,
    NOT_FILED,
    REGISTERED,
)
BY_KEY = {c.key: c for c in CASES}
