"""Demo 法制审核 of the county market regulation bureau: a review in every
state, on the demo cases and on six more cases made for it (loaded after
`cases_demo`).

Everything goes through `zhifa.review.services` (and, for the new cases,
`zhifa.cases.services` and the engine), each step dated with `today=` in
September to November 2026, so every due date falls in a year whose
working-day arrangement is loaded (rules.md CAL-12). The legal reviewer is
刘洋 (法规股, 法律职业资格 on record in `officers_demo`); 王芳 submits and
disputes for the 综合行政执法大队; 陈静 assigns, extends and decides.

What each review shows (by case key):

* review_agreed (new) — 存在问题 (证据不足, 补充); the unit adds the purchase
  records, answers and resubmits; 同意 at round 2; the head decides;
* review_collective (new) — 存在问题 (裁量, 变更); the unit disputes; the head
  convenes a 集体讨论, which adopts the unit's view (集体讨论记录 in the file);
* review_disputed (new) — 存在问题; the unit's dispute awaits the head;
* review_problems (new) — 存在问题 (补充、变更), awaiting the unit's answer;
* review_submitted (new) — just submitted, awaiting a reviewer;
* review_first_round (new) — 同意 at the first round, before 事先告知;
* hearing_held — submitted after the hearing and claimed: 审核中;
* overdue — submitted on 2 November and claimed: 审核中, past its due date;
* hearing_scheduled — submitted before the hearing was held: returned as
  incomplete (听证笔录 missing).

The `blocked` demo case is left without review: it shows the decision
refused for lack of it. The bureau's own time limit and extension limit are
set first (`policy_set`; demo values, labelled as such).

Idempotent: a review case that exists (new cases by 案由; demo cases with any
review round) is left alone; all that is missing is written in one
transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction

from zhifa.cases import engine
from zhifa.cases import services as case_services
from zhifa.cases.errors import CaseError
from zhifa.cases.models import Case, CaseEvidence, EvidenceKind
from zhifa.catalog.models import EnforcementItem
from zhifa.demo import samples
from zhifa.demo.cases_demo_specs import (
    ITEM_124,
    ITEM_125,
    S124,
    S125,
    DemoCase,
    ItemRef,
    OfficerRef,
    Officers,
    Photo,
    Recording,
    StandardRef,
    Step,
    _company,
    _decide,
    _end_statement,
    _file,
    _inquiry,
    _inspect,
    _notify,
    _person,
    _photo,
    _propose,
    _recording,
    _waive,
    d,
)
from zhifa.officers.models import Officer
from zhifa.orgs.models import Agency, Region, User
from zhifa.review import services
from zhifa.review.models import FindingKind, Point, ReviewPolicy, ReviewRequest

BEIJING = ZoneInfo("Asia/Shanghai")
REVIEWER, UNIT_HEAD, HEAD = "liuyang", "wangfang", "chenjing"

POLICY = {
    "time_limit_working_days": 7,
    "time_limit_basis": "《本溪满族自治县市场监督管理局重大执法决定法制审核办法》第十二条"
    "（演示数据，正式使用前须按本局规定核对）",
    "extension_max_working_days": 5,
    "extension_basis": "《本溪满族自治县市场监督管理局重大执法决定法制审核办法》第十三条"
    "（演示数据，正式使用前须按本局规定核对）",
}

# --------------------------------------------------------------------------- the checklist

# What the reviewer found on each point when there was nothing wrong with it.
CHECKED = {
    Point.SUBJECT: "本局系县级人民政府食品安全监督管理部门，对本行政区域内的食品经营违法行为"
    "具有管辖权（食品安全法第六条），本案以本局名义立案。",
    Point.OFFICERS: "承办人员张伟、李娜均持有有效的行政执法证件，现场检查、询问均由两名执法人员"
    "进行并出示证件（行政处罚法第四十二条）。",
    Point.PROCEDURE: "立案、调查取证、调查终结各环节在期限内办理，证据收集程序合法。",
    Point.FACTS: "违法事实有现场检查笔录、现场照片、询问笔录印证，证据之间能够相互印证。",
    Point.LAW: "适用依据正确，裁量阶次与本局裁量基准相符。",
    Point.AUTHORITY: "拟作出的处罚种类和幅度在食品安全法规定的范围内，未超越职权。",
    Point.DOCUMENTS: "立案审批表、现场检查笔录、询问笔录、调查终结报告等文书齐全，制作规范。",
    Point.CRIME: "未发现涉嫌生产、销售不符合安全标准的食品罪等犯罪的情形，无需移送司法机关。",
}


def checklist(**problems: str) -> dict[str, tuple[str, str]]:
    """Every point checked; those named (by `Point` value) found a problem with that note."""
    return {
        p.value: (FindingKind.PROBLEM, problems[p.value])
        if p.value in problems
        else (FindingKind.OK, CHECKED[p])
        for p in Point
    }


# --------------------------------------------------------------------------- review steps


def submit(on: date, *, note: str = "", response: str = "", actor: str = UNIT_HEAD) -> Step:
    return Step(on, "review.submit", actor, {"note": note, "response": response})


def claim(on: date) -> Step:
    return Step(on, "review.claim", REVIEWER)


def agree(on: date, reasons: str, **notes: str) -> Step:
    findings = checklist()
    for point, note in notes.items():
        findings[point] = (FindingKind.OK, note)
    return Step(
        on,
        "review.opinion",
        REVIEWER,
        {"findings": findings, "result": "agree", "reasons": reasons},
    )


def problems(on: date, reasons: str, suggestions: tuple[str, ...], **found: str) -> Step:
    return Step(
        on,
        "review.opinion",
        REVIEWER,
        {
            "findings": checklist(**found),
            "result": "problems",
            "suggestions": list(suggestions),
            "reasons": reasons,
        },
    )


def documentary(on: date, title: str, seed: int, *, actor: str = "zhangwei") -> Step:
    """A document photographed and added as 书证."""
    return Step(
        on,
        "evidence",
        actor,
        {"file": Photo(seed), "title": title, "kind": EvidenceKind.DOCUMENTARY},
    )


# --------------------------------------------------------------------------- new cases

AGREED = DemoCase(
    key="review_agreed",
    title="本溪满族自治县鸿运粮油商行有限公司经营超过保质期的食用油案",
    source_kind="inspection",
    source_detail="秋季粮油市场专项检查中发现。",
    received=d(9, 1),
    registered=d(9, 2),
    registered_by="zhangwei",
    party=_company(
        "本溪满族自治县鸿运粮油商行有限公司",
        "MA0RH3C8N",
        "高志远",
        "本溪满族自治县小市镇兴业街27号",
        "024-48817725",
    ),
    place="本溪满族自治县小市镇兴业街27号",
    steps=(
        _file(d(9, 3), d(9, 1), ITEM_124),
        _photo(d(9, 4), "仓库内超过保质期的桶装大豆油（现场照片）", 31),
        _recording(d(9, 4), "现场检查执法记录仪录音", 21),
        _inspect(
            d(9, 4),
            "本溪满族自治县小市镇兴业街27号鸿运粮油商行",
            "店内货架及仓库存放的“金丰”牌一级大豆油（5升/桶）38桶标注的保质期至2026年8月10日，"
            "已超过保质期，仍标价销售。当事人法定代表人高志远在场确认。",
        ),
        _inquiry(
            d(9, 10),
            "高志远",
            "问：超过保质期的大豆油是什么时候进的货？\n答：今年5月进的货，一共50桶。\n"
            "问：已经卖出多少？\n答：卖了12桶，每桶110元。",
        ),
        _propose(
            d(9, 24),
            ITEM_124,
            facts="当事人经营超过保质期的桶装大豆油38桶，货值金额4,180元；已售出12桶，"
            "违法所得1,320元。",
            evidence="现场检查笔录、现场照片、执法记录仪录音、询问笔录。",
            basis=S124,
            fine="70000",
            confiscation="4180",
            grade="ordinary",
        ),
        _notify(d(9, 28)),
        _waive(d(9, 30), "本公司放弃陈述、申辩和要求听证的权利。", hearing=True),
        _end_statement(d(10, 9)),
        submit(d(10, 12), note="本案拟处罚款七万元，属于本局重大执法决定法制审核目录规定的情形。"),
        claim(d(10, 13)),
        problems(
            d(10, 16),
            "货值金额4,180元和违法所得1,320元仅有当事人陈述，缺少进货单据、销售记录等证据印证；"
            "货值金额是适用食品安全法第一百二十四条第一款罚款幅度的依据，应当补充证据后重新送审。",
            ("supplement",),
            facts="货值金额、违法所得仅有当事人陈述，未调取进货单据和销售记录，证据不充分。",
        ),
        documentary(d(10, 19), "当事人2026年5月12日进货单据（照片）", 32),
        documentary(d(10, 19), "收银系统大豆油销售记录（截图）", 33),
        submit(
            d(10, 20),
            note="已补充证据，重新送审。",
            response="已调取当事人2026年5月12日的进货单据（50桶，进价每桶98元）和收银系统销售记录"
            "（售出12桶，每桶110元），与询问笔录一致，已附卷；货值金额按标价计算为4,180元，"
            "计算过程见补充调查报告。",
        ),
        claim(d(10, 21)),
        agree(
            d(10, 23),
            "当事人经营超过保质期的食用油，事实清楚，证据确凿：现场检查笔录、照片、询问笔录与补充"
            "调取的进货单据、销售记录相互印证，货值金额4,180元、违法所得1,320元认定准确。适用"
            "食品安全法第一百二十四条第一款第（五）项正确，按一般阶次拟处罚款七万元，并没收违法"
            "经营的食品和违法所得，在法定幅度和本局裁量基准之内。程序合法，同意。",
            facts="违法事实有现场检查笔录、现场照片、询问笔录、进货单据和销售记录印证，货值金额"
            "和违法所得的认定有据。",
        ),
        _decide(d(10, 27), "70000", confiscation="4180"),
    ),
)

COLLECTIVE = DemoCase(
    key="review_collective",
    title="吴凤霞（凤霞副食店）经营标签不符合规定的预包装食品案",
    source_kind="complaint",
    source_detail="消费者投诉：购买的袋装辣白菜无生产日期。",
    received=d(9, 14),
    registered=d(9, 15),
    registered_by="lina",
    party=_person(
        "吴凤霞", "19790315", "027", "本溪满族自治县小市镇建设路48号凤霞副食店", "13841467290"
    ),
    place="本溪满族自治县小市镇建设路48号",
    steps=(
        _file(d(9, 16), d(9, 14), ITEM_125, lead="李娜"),
        _photo(d(9, 18), "无生产日期的袋装辣白菜（现场照片）", 34, actor="lina"),
        _recording(d(9, 18), "现场检查执法记录仪录音", 22, actor="lina"),
        _inspect(
            d(9, 18),
            "本溪满族自治县小市镇建设路48号凤霞副食店",
            "冷柜内销售的袋装辣白菜（500克/袋）46袋，标签未标注生产日期和保质期。",
            actor="lina",
        ),
        _inquiry(
            d(9, 22),
            "吴凤霞",
            "问：辣白菜是从哪里进的货？\n答：从一个做泡菜的作坊进的，自己贴的标签。\n"
            "问：以前是否因为标签问题被处理过？\n答：去年被责令改正过一次。",
        ),
        _propose(
            d(10, 20),
            ITEM_125,
            facts="当事人销售标签未标注生产日期、保质期的预包装辣白菜，货值金额1,610元，违法所得"
            "980元。当事人2025年曾因同类行为被本局责令改正。",
            evidence="投诉记录、现场检查笔录、现场照片、询问笔录、2025年责令改正通知书。",
            basis=S125,
            fine="30000",
            confiscation="1610",
            grade="ordinary",
            actor="lina",
        ),
        submit(d(10, 22), actor="lina"),
        claim(d(10, 23)),
        problems(
            d(10, 28),
            "当事人经营规模小，货值金额仅1,610元，案发后主动下架全部涉案食品，拟按一般阶次罚款"
            "三万元明显偏重，建议变更为从轻阶次。",
            ("change",),
            law="裁量阶次适用不当：当事人主动消除违法后果，应考虑从轻处罚（行政处罚法第三十二条）。",
        ),
        Step(
            d(11, 2),
            "review.dispute",
            UNIT_HEAD,
            {
                "reasons": "当事人2025年已因同类行为被本局责令改正，不属于初次违法；涉案食品已售出"
                "大半，主动下架的仅为剩余部分，不符合行政处罚法第三十二条第（一）项“主动消除或者"
                "减轻违法行为危害后果”的情形。按一般阶次处罚符合本局裁量基准。"
            },
        ),
        Step(
            d(11, 6),
            "review.resolve",
            HEAD,
            {
                "via": "collective",
                "outcome": "upheld_unit",
                "participants": "陈静（局长）、张国庆（副局长）、李明（副局长）、"
                "王芳（综合行政执法大队队长）、刘洋（法规股）",
                "decision": "经集体讨论：当事人曾因同类行为被责令改正，主动下架的仅为剩余食品，"
                "不属于从轻处罚的情形；按一般阶次拟处罚款三万元符合裁量基准。采纳承办机构意见，"
                "按拟处理意见办理。",
            },
        ),
    ),
)

DISPUTED = DemoCase(
    key="review_disputed",
    title="本溪满族自治县乐购超市有限公司经营超过保质期的乳制品案",
    source_kind="inspection",
    source_detail="学校周边食品安全专项检查中发现。",
    received=d(9, 24),
    registered=d(9, 25),
    registered_by="zhangwei",
    party=_company(
        "本溪满族自治县乐购超市有限公司",
        "MA0PG5T2Y",
        "于海波",
        "本溪满族自治县小市镇育才路9号",
        "024-48839016",
    ),
    place="本溪满族自治县小市镇育才路9号",
    steps=(
        _file(d(9, 28), d(9, 24), ITEM_124),
        _photo(d(9, 29), "冷柜内超过保质期的酸奶（现场照片）", 35),
        _recording(d(9, 29), "现场检查执法记录仪录音", 23),
        _inspect(
            d(9, 29),
            "本溪满族自治县小市镇育才路9号乐购超市",
            "冷柜内销售的“北山”牌原味酸奶（200克/杯）96杯已超过保质期，距本县第二中学约150米。",
        ),
        _inquiry(
            d(10, 9),
            "于海波",
            "问：过期酸奶是什么时候发现的？\n答：检查那天才知道，店员没有按规定每天检查日期。"
            "\n问：过期后卖出多少？\n答：收银记录显示过期后卖了二十多杯，多数是学生买的。",
        ),
        _propose(
            d(10, 30),
            ITEM_124,
            facts="当事人经营超过保质期的酸奶96杯，货值金额672元；过期后售出23杯，违法所得161元，"
            "购买者多为学生。",
            evidence="现场检查笔录、现场照片、询问笔录、收银系统销售记录。",
            basis=S124,
            fine="80000",
            confiscation="672",
            grade="ordinary",
        ),
        submit(d(11, 2)),
        claim(d(11, 3)),
        problems(
            d(11, 10),
            "拟罚款八万元接近一般阶次上限，调查终结报告未说明在阶次内从高确定罚款金额的理由；"
            "建议写明理由，或者变更罚款金额。",
            ("change", "supplement"),
            law="在一般阶次内从高确定罚款金额，未说明理由。",
        ),
        Step(
            d(11, 17),
            "review.dispute",
            UNIT_HEAD,
            {
                "reasons": "涉案酸奶在学校周边销售，过期后售出的23杯多数由学生购买，危害对象为"
                "未成年人，调查终结报告第三部分已写明从高确定罚款金额的理由；罚款八万元在一般"
                "阶次之内，不应变更。"
            },
        ),
    ),
)

PROBLEMS = DemoCase(
    key="review_problems",
    title="郑春燕（春燕熟食店）经营标签不符合规定的散装熟食案",
    source_kind="complaint",
    source_detail="消费者投诉：购买的熟食标签与实物不符，食用后腹泻。",
    received=d(10, 8),
    registered=d(10, 9),
    registered_by="lina",
    party=_person(
        "郑春燕", "19850904", "045", "本溪满族自治县小市镇南甸街3号春燕熟食店", "13904143618"
    ),
    place="本溪满族自治县小市镇南甸街3号",
    steps=(
        _file(d(10, 10), d(10, 8), ITEM_125, lead="李娜"),
        _photo(d(10, 12), "熟食柜及标签（现场照片）", 36, actor="lina"),
        _recording(d(10, 12), "现场检查执法记录仪录音", 24, actor="lina"),
        _inspect(
            d(10, 12),
            "本溪满族自治县小市镇南甸街3号春燕熟食店",
            "熟食柜内销售的预包装酱牛肉等5种熟食，标签标注的配料与实物不符，未标注贮存条件。",
            actor="lina",
        ),
        _propose(
            d(11, 5),
            ITEM_125,
            facts="当事人销售标签不符合规定的预包装熟食，货值金额2,340元。消费者投诉食用后腹泻，"
            "涉案食品已流入消费者手中造成危害。",
            evidence="投诉记录、现场检查笔录、现场照片。",
            basis=S125,
            fine="40000",
            confiscation="2340",
            grade="heavier",
            actor="lina",
        ),
        submit(d(11, 9), actor="lina"),
        claim(d(11, 10)),
        problems(
            d(11, 16),
            "按从重阶次拟罚款四万元，依据是“涉案食品已流入消费者手中造成危害”，但卷内仅有一名"
            "消费者的投诉记录，未调取就医记录，也未询问当事人，不能证明危害后果与涉案食品有关；"
            "应补充证据，证据不足的，变更裁量阶次。",
            ("supplement", "change"),
            facts="危害后果仅有投诉记录，未调取就医记录，未询问当事人，证据不充分。",
            law="从重阶次所依据的危害后果证据不足。",
            documents="卷内没有对当事人的询问笔录。",
        ),
    ),
)

SUBMITTED = DemoCase(
    key="review_submitted",
    title="本溪满族自治县旺佳便利店有限公司经营超过保质期的速冻食品案",
    source_kind="report",
    source_detail="群众举报。",
    received=d(10, 20),
    registered=d(10, 21),
    registered_by="zhangwei",
    party=_company(
        "本溪满族自治县旺佳便利店有限公司",
        "MA0KX9E4M",
        "谭丽娟",
        "本溪满族自治县小市镇滨河路15号",
        "13841410638",
    ),
    place="本溪满族自治县小市镇滨河路15号",
    steps=(
        _file(d(10, 22), d(10, 20), ITEM_124),
        _photo(d(10, 23), "冷冻柜内超过保质期的速冻水饺（现场照片）", 37),
        _recording(d(10, 23), "现场检查执法记录仪录音", 25),
        _inspect(
            d(10, 23),
            "本溪满族自治县小市镇滨河路15号旺佳便利店",
            "冷冻柜内销售的速冻水饺（1千克/袋）27袋、速冻汤圆（500克/袋）18袋已超过保质期。",
        ),
        _inquiry(
            d(10, 30),
            "谭丽娟",
            "问：超过保质期的速冻食品卖出多少？\n答：没有卖出，都在冷冻柜里。\n"
            "问：以前是否因同类问题被处理过？\n答：没有。",
        ),
        _propose(
            d(11, 18),
            ITEM_124,
            facts="当事人经营超过保质期的速冻水饺、汤圆共45袋，货值金额1,215元，尚未售出。"
            "当事人系初次违法，配合调查。",
            evidence="举报记录、现场检查笔录、现场照片、询问笔录、进货单据。",
            basis=S124,
            fine="55000",
            confiscation="1215",
            grade="lighter",
            circumstances="voluntary_confession",
        ),
        submit(d(11, 19), actor="zhangwei"),
    ),
)

FIRST_ROUND = DemoCase(
    key="review_first_round",
    title="本溪满族自治县福满园食品商店有限公司经营超过保质期的糕点案",
    source_kind="inspection",
    source_detail="日常监督检查中发现。",
    received=d(10, 12),
    registered=d(10, 13),
    registered_by="lina",
    party=_company(
        "本溪满族自治县福满园食品商店有限公司",
        "MA0NB6W3R",
        "曲晓东",
        "本溪满族自治县小市镇和平路31号",
        "024-48825581",
    ),
    place="本溪满族自治县小市镇和平路31号",
    steps=(
        _file(d(10, 14), d(10, 12), ITEM_124, lead="李娜"),
        _photo(d(10, 15), "散装糕点柜内超过保质期的桃酥（现场照片）", 38, actor="lina"),
        _recording(d(10, 15), "现场检查执法记录仪录音", 26, actor="lina"),
        _inspect(
            d(10, 15),
            "本溪满族自治县小市镇和平路31号福满园食品商店",
            "糕点柜内销售的预包装桃酥（400克/盒）32盒已超过标注的保质期。",
            actor="lina",
        ),
        _inquiry(
            d(10, 20),
            "曲晓东",
            "问：超过保质期的桃酥卖出多少？\n答：查了收银记录，过期后没有卖出。\n"
            "问：是否主动处理？\n答：检查当天已全部下架封存，等候处理。",
        ),
        _propose(
            d(11, 4),
            ITEM_124,
            facts="当事人经营超过保质期的桃酥32盒，货值金额896元，尚未售出；检查当日已全部下架。",
            evidence="现场检查笔录、现场照片、执法记录仪录音、询问笔录、收银系统销售记录。",
            basis=S124,
            fine="52000",
            confiscation="896",
            grade="lighter",
            circumstances="eliminated_harm",
            actor="lina",
        ),
        submit(d(11, 5), actor="lina"),
        claim(d(11, 6)),
        agree(
            d(11, 11),
            "当事人经营超过保质期的糕点，事实清楚，证据确凿；当事人检查当日即全部下架封存、"
            "未售出，按从轻阶次拟处罚款五万二千元，并没收违法经营的食品，适用依据正确，裁量适当，"
            "程序合法，同意。",
            law="当事人主动消除违法行为危害后果，适用从轻阶次（行政处罚法第三十二条第（一）项），"
            "罚款金额在本局裁量基准从轻阶次之内。",
        ),
    ),
)

NEW_CASES: tuple[DemoCase, ...] = (AGREED, COLLECTIVE, DISPUTED, PROBLEMS, SUBMITTED, FIRST_ROUND)

# --------------------------------------------------------------------------- the demo cases

# Review steps on cases of `cases_demo`, by its keys (each after the case's last step there).
ON_DEMO_CASES: dict[str, tuple[Step, ...]] = {
    "overdue": (
        submit(d(11, 2), note="本案拟处罚款六万元，属于法制审核目录规定的情形。"),
        claim(d(11, 3)),
    ),
    "hearing_scheduled": (
        submit(d(11, 17), actor="lina"),
        Step(
            d(11, 18),
            "review.return",
            REVIEWER,
            {
                "missing": ["hearing_record"],
                "note": "当事人已申请听证，听证定于11月27日举行。听证笔录是作出决定的依据"
                "（行政处罚法第六十五条），请在听证结束后连同听证笔录一并送审。",
            },
        ),
    ),
    "hearing_held": (
        submit(d(11, 20), note="本案已举行听证，听证笔录随案送审。"),
        claim(d(11, 20)),
    ),
}


@dataclass(frozen=True)
class _Review:
    spec: DemoCase
    new: bool


def demo_reviews(agency: Agency) -> dict[str, Case]:
    """The cases of this demo that exist, by key (new and demo cases)."""
    from zhifa.demo.cases_demo import demo_cases

    found = {c.title: c for c in Case.objects.filter(agency=agency)}
    out = {spec.key: found[spec.title] for spec in NEW_CASES if spec.title in found}
    existing = demo_cases(agency)
    out |= {key: existing[key] for key in ON_DEMO_CASES if key in existing}
    return out


def load_reviews(agencies: dict[str, Agency]) -> None:
    from zhifa.demo.cases_demo import demo_cases
    from zhifa.demo.loader import MARKET

    market = agencies.get(MARKET)
    if market is None:
        return
    existing = demo_cases(market)
    if not existing:
        return  # the demo cases were not loaded (see cases_demo)
    people = {u.username: u for u in User.objects.filter(username__in=(REVIEWER, UNIT_HEAD, HEAD))}
    if len(people) < 3:
        return
    titles = set(Case.objects.filter(agency=market).values_list("title", flat=True))
    todo = [_Review(spec, True) for spec in NEW_CASES if spec.title not in titles]
    for key, steps in ON_DEMO_CASES.items():
        case = existing.get(key)
        if case is not None and not ReviewRequest.objects.filter(case=case).exists():
            todo.append(_Review(replace(_spec_of(key), steps=steps), False))
    with transaction.atomic():
        if not ReviewPolicy.objects.filter(agency=market).exists():
            services.policy_set(actor=people[HEAD], agency=market, **POLICY)
        if todo:
            _Runner(market, existing).run(todo)


def _spec_of(key: str) -> DemoCase:
    from zhifa.demo.cases_demo import CASES

    return next(c for c in CASES if c.key == key)


class _Runner:
    """Runs the steps of all review cases in date order (so 文号 follow the calendar)."""

    def __init__(self, agency: Agency, existing: dict[str, Case]):
        self.agency = agency
        self.users = {u.username: u for u in User.objects.filter(role_assignments__agency=agency)}
        self.officers = {o.name: o for o in Officer.objects.filter(agency=agency)}
        self.items = {i.code: i for i in EnforcementItem.objects.filter(agency=agency)}
        self.cases: dict[str, Case] = dict(existing)

    def run(self, todo: list[_Review]) -> None:
        for _, review, step in sorted(self._timeline(todo), key=lambda row: row[0]):
            spec = review.spec
            try:
                if step is None:
                    self._register(spec)
                else:
                    self._step(spec, step)
            except CaseError as exc:
                what = step.action if step else "register"
                detail = getattr(exc, "errors", None) or exc
                raise RuntimeError(
                    f"演示法制审核 {spec.key}：{what}（{step.on if step else ''}）{detail}"
                ) from exc

    def _timeline(self, todo: list[_Review]) -> Iterator[tuple[tuple, _Review, Step | None]]:
        for n, review in enumerate(todo):
            if review.new:
                yield (review.spec.registered, n, -1), review, None
            for i, step in enumerate(review.spec.steps):
                yield (step.on, n, i), review, step

    def _register(self, spec: DemoCase) -> None:
        new = case_services.NewCase(
            title=spec.title,
            source_kind=spec.source_kind,
            source_detail=spec.source_detail,
            source_received_on=spec.received,
            region=Region.objects.get(code=spec.region),
            party=spec.party,
            place=spec.place,
        )
        self.cases[spec.key] = case_services.register_case(
            actor=self.users[spec.registered_by], agency=self.agency, new=new, today=spec.registered
        )

    def _step(self, spec: DemoCase, step: Step) -> None:
        case = Case.objects.get(pk=self.cases[spec.key].pk)
        actor, on = self.users[step.actor], step.on
        if step.action == "evidence":
            self._evidence(case, actor, on, step.data)
        elif step.action.startswith("review."):
            self._review(case, actor, on, step.action.removeprefix("review."), step.data)
        else:
            data = {k: self._resolve(v, case) for k, v in step.data.items()}
            engine.fire(case, step.action, actor, {**data, "on": on}, today=on)

    def _review(self, case: Case, actor, on: date, action: str, data: dict[str, Any]) -> None:
        latest = ReviewRequest.objects.filter(case=case).order_by("-round").first()
        if action == "submit":
            materials = {code: True for code in services.required_materials(case)}
            services.review_submit(
                actor=actor,
                case=case,
                materials=materials,
                note=data.get("note", ""),
                response=data.get("response", ""),
                today=on,
            )
        elif action == "claim":
            services.review_assign(actor=actor, request=latest, reviewer=actor, today=on)
        elif action == "opinion":
            services.opinion_record(actor=actor, request=latest, today=on, **data)
        elif action == "return":
            services.review_return(actor=actor, request=latest, today=on, **data)
        elif action == "dispute":
            services.dispute_raise(actor=actor, request=latest, today=on, **data)
        elif action == "resolve":
            services.dispute_resolve(
                actor=actor, disagreement=latest.disagreement, today=on, **data
            )
        else:
            raise ValueError(f"未知的演示法制审核步骤：{action}")

    def _resolve(self, value: Any, case: Case) -> Any:
        if isinstance(value, Officers):
            return [str(self.officers[name].pk) for name in value.names]
        if isinstance(value, OfficerRef):
            return self.officers[value.name].pk
        if isinstance(value, ItemRef):
            return self.items[value.code].pk
        if isinstance(value, StandardRef):
            version = self.items[value.code].version_on(case.act_date or case.registered_on)
            return version.discretion_standards.get().pk
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return str(value)
        return value

    def _evidence(self, case: Case, actor, on: date, data: dict) -> None:
        from zhifa.demo.cases_demo import recording_wav

        source = data["file"]
        photo = isinstance(source, Photo)
        if photo:
            content, name = samples.scene_photo_png(seed=source.seed), f"{data['title']}.png"
        elif isinstance(source, Recording):
            content, name = recording_wav(source.seed), f"{data['title']}.wav"
        else:
            raise ValueError(f"未知的演示证据：{source!r}")
        case_services.add_evidence(
            actor=actor,
            case=case,
            file=ContentFile(content, name=name),
            kind=data.get("kind", EvidenceKind.AUDIOVISUAL),
            title=data["title"],
            step=data.get("step", ""),
            source=CaseEvidence.Source.PHONE if photo else CaseEvidence.Source.BODYCAM,
            captured_at=datetime.combine(on, time(10, source.seed % 50), tzinfo=BEIJING),
            latitude=Decimal("41.2978") if photo else None,
            longitude=Decimal("124.1264") if photo else None,
            accuracy_m=8 if photo else None,
            device="执法终端（手机）" if photo else "执法记录仪",
            original_name=name,
        )


__all__ = ["NEW_CASES", "ON_DEMO_CASES", "demo_reviews", "load_reviews"]
