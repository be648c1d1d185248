"""Demo cases (案件) of the county market regulation bureau: at least one in
every state of 行政处罚普通程序, and one 简易程序 case.

Everything is written through `zhifa.cases.services` and
`zhifa.cases.engine.fire`, each step dated with `today=` and the form's `on`,
so the timeline, the documents, the deadlines and the ledger are exactly what
officers working through those months would have produced. The steps of all
cases run in date order, so 文号 follow the calendar.

Dates lie between June and November 2026 and are chosen so that every
deadline a step starts ends in 2026: the official working-day arrangement is
loaded for 2004–2026 only, and `zhifa.cases.deadlines` would otherwise record
the deadline without a due date (rules.md CAL-12). The demo is anchored on
2026-11-20, its last step: loaded earlier, the cases are skipped (the forms
would refuse steps dated in the future). The officers' certificates are dated
from the day of loading (`officers_demo`) and cover these dates for loads
until mid-2028.

What each case shows (`CASES`, by key):

* registered — 举报 just registered, not yet filed;
* investigation — 当事人申请回避 decided (granted), 先行登记保存 pending;
* overdue — filed more than 90 days ago, still in 案件审查: the decision
  deadline (行政处罚法 第六十条) has passed;
* statement — 事先告知 given, 陈述申辩期间 running;
* hearing_scheduled — 听证 requested and scheduled;
* hearing_held — 听证 held, 办案期限 extended, awaiting the decision;
* blocked — a fine the bureau's 重大执法决定法制审核目录 lists and no 法制审核
  opinion, so the 负责人 cannot decide (guard `legal_review_agreed`,
  第五十八条); the case page says why;
* decided — decided, not yet served;
* served_paused — served, partly paid, 加处罚款 paused for 行政复议;
* revoked — served, then revoked by the 复议机关 (`record_outcome`), so the
  publication of the decision must be withdrawn (第四十八条);
* closed — 陈述申辩 partly adopted, paid, closed;
* archived — the whole procedure with inquiry and inspection records, every
  document issued, 归档;
* not_filed — 投诉 checked and not filed;
* transferred — 涉嫌犯罪 移送公安机关 after 先行登记保存 and 扣押;
* summary — 简易程序: decided on the spot, 备案, paid.

The narratives are in `cases_demo_specs`. Two catalog items the cases need
are created here too (食品安全法 第一百二十四条第一款 and 第一百二十五条第一款、
第二款, quoted exactly from LawRefBook/Laws 行政法/食品安全法.md, the items of a
clause run together; example benchmarks whose fines keep most cases below the
bureau's review threshold), and the provincial values the law leaves open
(听证“较大数额”, 陈述申辩期限) for 辽宁省 if none is configured: demo values,
labelled as such, never a claim about the real provincial rule.

Idempotent: a demo case that exists (same agency and 案由) is left alone, and
all missing cases are created in one transaction, so a failed load leaves
nothing half done.
"""

from __future__ import annotations

import io
import math
import struct
import sys
import wave
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zhifa.cases import engine, services
from zhifa.cases.errors import CaseError
from zhifa.cases.models import Case, CaseEvidence, EvidenceKind, Recusal
from zhifa.catalog import services as catalog
from zhifa.catalog.models import EnforcementItem, ItemKind
from zhifa.demo import samples
from zhifa.demo.cases_demo_specs import (
    CASES,
    FOOD_LAW,
    ITEM_124,
    ITEM_125,
    LAW,
    PENDING_RECUSAL,
    DemoCase,
    ItemRef,
    OfficerRef,
    Officers,
    Photo,
    StandardRef,
    Step,
    UserRef,
)
from zhifa.officers.models import Officer
from zhifa.orgs.models import Agency, Region, User
from zhifa.orgs.services import SYSTEM

BEIJING = ZoneInfo("Asia/Shanghai")
LAST_DAY = max(max((s.on for s in c.steps), default=c.registered) for c in CASES)

# --------------------------------------------------------------------------- items

FOOD_124 = (
    "违反本法规定，有下列情形之一，尚不构成犯罪的，由县级以上人民政府食品安全监督管理部门"
    "没收违法所得和违法生产经营的食品、食品添加剂，并可以没收用于违法生产经营的工具、设备、"
    "原料等物品；违法生产经营的食品、食品添加剂货值金额不足一万元的，并处五万元以上十万元以下"
    "罚款；货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款；情节严重的，吊销许可证："
    "（一）生产经营致病性微生物，农药残留、兽药残留、生物毒素、重金属等污染物质以及其他危害"
    "人体健康的物质含量超过食品安全标准限量的食品、食品添加剂；（二）用超过保质期的食品原料、"
    "食品添加剂生产食品、食品添加剂，或者经营上述食品、食品添加剂；（三）生产经营超范围、超限量"
    "使用食品添加剂的食品；（四）生产经营腐败变质、油脂酸败、霉变生虫、污秽不洁、混有异物、"
    "掺假掺杂或者感官性状异常的食品、食品添加剂；（五）生产经营标注虚假生产日期、保质期或者超过"
    "保质期的食品、食品添加剂；（六）生产经营未按规定注册的保健食品、特殊医学用途配方食品、"
    "婴幼儿配方乳粉，或者未按注册的产品配方、生产工艺等技术要求组织生产；（七）以分装方式生产"
    "婴幼儿配方乳粉，或者同一企业以同一配方生产不同品牌的婴幼儿配方乳粉；（八）利用新的食品原料"
    "生产食品，或者生产食品添加剂新品种，未通过安全性评估；（九）食品生产经营者在食品安全监督"
    "管理部门责令其召回或者停止经营后，仍拒不召回或者停止经营。"
)
FOOD_125 = (
    "违反本法规定，有下列情形之一的，由县级以上人民政府食品安全监督管理部门没收违法所得和"
    "违法生产经营的食品、食品添加剂，并可以没收用于违法生产经营的工具、设备、原料等物品；"
    "违法生产经营的食品、食品添加剂货值金额不足一万元的，并处五千元以上五万元以下罚款；"
    "货值金额一万元以上的，并处货值金额五倍以上十倍以下罚款；情节严重的，责令停产停业，"
    "直至吊销许可证：（一）生产经营被包装材料、容器、运输工具等污染的食品、食品添加剂；"
    "（二）生产经营无标签的预包装食品、食品添加剂或者标签、说明书不符合本法规定的食品、"
    "食品添加剂；（三）生产经营转基因食品未按规定进行标示；（四）食品生产经营者采购或者使用"
    "不符合食品安全标准的食品原料、食品添加剂、食品相关产品。"
)
FOOD_125_2 = (
    "生产经营的食品、食品添加剂的标签、说明书存在瑕疵但不影响食品安全且不会对消费者造成误导的，"
    "由县级以上人民政府食品安全监督管理部门责令改正；拒不改正的，处二千元以下罚款。"
)


_TYPES = ["fine", "confiscate_gains", "confiscate_property"]
ITEMS = [
    {
        "code": ITEM_124,
        "name": "对经营超过保质期的食品等行为的行政处罚",
        "bases": [
            {
                "law": FOOD_LAW,
                "article": "第一百二十四条",
                "clause": "第一款",
                "text": FOOD_124,
                "role": "penalty",
            }
        ],
        "standard": {
            "violation": "经营超过保质期的食品，违法经营的食品货值金额不足一万元",
            "basis": f"{LAW}第一百二十四条第一款第（五）项（示例裁量基准）",
            "grades": [
                {
                    "grade": "lighter",
                    "conditions": "具有行政处罚法第三十二条规定的从轻情形",
                    "penalty_types": _TYPES,
                    "fine_min": "50000",
                    "fine_max": "65000",
                },
                {
                    "grade": "ordinary",
                    "conditions": "无从轻、从重情形",
                    "penalty_types": _TYPES,
                    "fine_min": "65000",
                    "fine_max": "85000",
                },
                {
                    "grade": "heavier",
                    "conditions": "造成危害后果，或者经责令停止经营后仍继续经营",
                    "penalty_types": [*_TYPES, "revoke_permit"],
                    "fine_min": "85000",
                    "fine_max": "100000",
                },
            ],
        },
    },
    {
        "code": ITEM_125,
        "name": "对经营无标签的预包装食品或者标签不符合规定的食品等行为的行政处罚",
        "bases": [
            {
                "law": FOOD_LAW,
                "article": "第一百二十五条",
                "clause": "第一款",
                "text": FOOD_125,
                "role": "penalty",
            },
            {
                "law": FOOD_LAW,
                "article": "第一百二十五条",
                "clause": "第二款",
                "text": FOOD_125_2,
                "role": "penalty",
            },
        ],
        "standard": {
            "violation": "经营无标签的预包装食品或者标签不符合规定的食品，货值金额不足一万元",
            "basis": f"{LAW}第一百二十五条第一款第（二）项（示例裁量基准）",
            "grades": [
                {
                    "grade": "none",
                    "conditions": "初次违法且危害后果轻微并及时改正",
                    "circumstances": ["first_minor_corrected"],
                },
                {
                    "grade": "lighter",
                    "conditions": "具有行政处罚法第三十二条规定的从轻情形",
                    "penalty_types": _TYPES,
                    "fine_min": "5000",
                    "fine_max": "15000",
                },
                {
                    "grade": "ordinary",
                    "conditions": "无从轻、从重情形",
                    "penalty_types": _TYPES,
                    "fine_min": "15000",
                    "fine_max": "35000",
                },
                {
                    "grade": "heavier",
                    "conditions": "经责令改正拒不改正，或者涉案食品已流入消费者手中造成危害",
                    "penalty_types": _TYPES,
                    "fine_min": "35000",
                    "fine_max": "50000",
                },
            ],
        },
    },
]

# 辽宁省: values the law leaves to the province (APL-27, APL-37). Demo values.
PROVINCE = "210000"
REGIONAL_RULES = [
    (
        "penalty.hearing_large_fine_citizen",
        "10000",
        "演示数据：参照《辽宁省行政处罚听证程序规定》设置对公民的较大数额罚款标准，"
        "正式使用前须按本省规定核对",
    ),
    (
        "penalty.hearing_large_fine_organisation",
        "50000",
        "演示数据：参照《辽宁省行政处罚听证程序规定》设置对法人或者其他组织的较大数额罚款标准，"
        "正式使用前须按本省规定核对",
    ),
    (
        "penalty.statement_period",
        "5",
        "演示数据：参照市场监管部门事先告知后五个工作日内提出陈述、申辩的做法设置，"
        "正式使用前须按本省或者本行业规定核对",
    ),
]


# --------------------------------------------------------------------------- files


def recording_wav(seed: int, seconds: float = 1.0) -> bytes:
    """A short mono WAV standing in for a body-camera audio track."""
    rate = 8000
    freq = 300 + 37 * seed
    frames = b"".join(
        struct.pack("<h", int(5000 * math.sin(2 * math.pi * freq * n / rate)))
        for n in range(int(rate * seconds))
    )
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buf.getvalue()


# --------------------------------------------------------------------------- loading


def load_cases(agencies: dict[str, Agency]) -> None:
    from zhifa.demo.loader import MARKET

    market = agencies.get(MARKET)
    if market is None:
        return
    if timezone.localdate() < LAST_DAY:
        # The forms refuse a step dated in the future: say so rather than fail the demo.
        sys.stderr.write(
            f"演示案件的日期截至{LAST_DAY:%Y年%-m月%-d日}，今天尚早，未载入演示案件。\n"
        )
        return
    _regional_rules()
    _items(market)
    existing = set(Case.objects.filter(agency=market).values_list("title", flat=True))
    missing = [c for c in CASES if c.title not in existing]
    if missing:
        with transaction.atomic():
            _Runner(market).run(missing)


def demo_cases(agency: Agency) -> dict[str, Case]:
    """The demo cases of `agency` that exist, by key."""
    found = {c.title: c for c in Case.objects.filter(agency=agency)}
    return {spec.key: found[spec.title] for spec in CASES if spec.title in found}


def _regional_rules() -> None:
    from zhifa.rules.admin import RuleOverrideForm
    from zhifa.rules.models import RuleOverride

    for rule_id, value, basis in REGIONAL_RULES:
        if RuleOverride.objects.filter(rule_id=rule_id, region_code=PROVINCE).exists():
            continue
        form = RuleOverrideForm(
            data={"rule_id": rule_id, "region_code": PROVINCE, "value": value, "basis": basis}
        )
        if not form.is_valid():
            raise ValueError(f"演示地方标准 {rule_id} 无效：{form.errors.as_text()}")
        form.save()


def _items(market: Agency) -> None:
    for spec in ITEMS:
        if EnforcementItem.objects.filter(agency=market, code=spec["code"]).exists():
            continue
        item = catalog.item_create(
            actor=SYSTEM,
            agency=market,
            code=spec["code"],
            name=spec["name"],
            kind=ItemKind.PENALTY,
            category="market",
            procedure="penalty.general",
            effective_from=date(2024, 1, 1),
            bases=spec["bases"],
        )
        version = catalog.item_version_publish(actor=SYSTEM, version=item.versions.get())
        catalog.discretion_standard_save(actor=SYSTEM, version=version, **spec["standard"])


class _Runner:
    """Runs the steps of several cases in date order."""

    def __init__(self, agency: Agency):
        self.agency = agency
        self.users = {u.username: u for u in User.objects.filter(role_assignments__agency=agency)}
        self.officers = {o.name: o for o in Officer.objects.filter(agency=agency)}
        self.items = {i.code: i for i in EnforcementItem.objects.filter(agency=agency)}
        self.cases: dict[str, Case] = {}

    def run(self, specs: list[DemoCase]) -> None:
        for _, spec, step in sorted(self._timeline(specs), key=lambda row: row[0]):
            try:
                if step is None:
                    self._register(spec)
                else:
                    self._step(spec, step)
            except CaseError as exc:
                what = step.action if step else "register"
                detail = getattr(exc, "errors", None) or exc
                raise RuntimeError(
                    f"演示案件 {spec.key}：{what}（{step.on if step else ''}）{detail}"
                ) from exc

    def _timeline(self, specs: list[DemoCase]) -> Iterator[tuple[tuple, DemoCase, Step | None]]:
        for n, spec in enumerate(specs):
            yield (spec.registered, n, -1), spec, None
            last = spec.registered
            for i, step in enumerate(spec.steps):
                if step.on < last:
                    raise ValueError(f"演示案件 {spec.key} 的步骤日期倒序：{step.action} {step.on}")
                last = step.on
                yield (step.on, n, i), spec, step

    def _register(self, spec: DemoCase) -> None:
        new = services.NewCase(
            title=spec.title,
            source_kind=spec.source_kind,
            source_detail=spec.source_detail,
            source_received_on=spec.received,
            region=Region.objects.get(code=spec.region),
            party=spec.party,
            place=spec.place,
        )
        register = services.open_summary_case if spec.summary else services.register_case
        self.cases[spec.key] = register(
            actor=self.users[spec.registered_by], agency=self.agency, new=new, today=spec.registered
        )

    def _step(self, spec: DemoCase, step: Step) -> None:
        case = Case.objects.get(pk=self.cases[spec.key].pk)
        actor = self.users[step.actor]
        data = {k: self._resolve(v, case) for k, v in step.data.items()}
        if step.action == "evidence":
            self._evidence(case, actor, step.on, data)
            return
        engine.fire(case, step.action, actor, {**data, "on": step.on}, today=step.on)

    def _resolve(self, value: Any, case: Case) -> Any:
        if isinstance(value, Officers):
            return [str(self.officers[name].pk) for name in value.names]
        if isinstance(value, OfficerRef):
            return self.officers[value.name].pk
        if isinstance(value, UserRef):
            return self.users[value.username].pk
        if isinstance(value, ItemRef):
            return self.items[value.code].pk
        if isinstance(value, StandardRef):
            version = self.items[value.code].version_on(case.act_date or case.registered_on)
            return version.discretion_standards.get().pk
        if value is PENDING_RECUSAL:
            return Recusal.objects.get(case=case, granted__isnull=True).pk
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return str(value)
        return value

    def _evidence(self, case: Case, actor, on: date, data: dict) -> None:
        source = data["file"]
        photo = isinstance(source, Photo)
        if photo:
            content, name = samples.scene_photo_png(seed=source.seed), f"{data['title']}.png"
        else:
            content, name = recording_wav(source.seed), f"{data['title']}.wav"
        services.add_evidence(
            actor=actor,
            case=case,
            file=ContentFile(content, name=name),
            kind=EvidenceKind.AUDIOVISUAL,
            title=data["title"],
            step=data.get("step", ""),
            source=CaseEvidence.Source.PHONE if photo else CaseEvidence.Source.BODYCAM,
            captured_at=datetime.combine(on, time(9, 30 + source.seed % 25), tzinfo=BEIJING),
            # 小市镇, where the demo cases happen.
            latitude=Decimal("41.2978") if photo else None,
            longitude=Decimal("124.1264") if photo else None,
            accuracy_m=8 if photo else None,
            device="执法终端（手机）" if photo else "执法记录仪",
            original_name=name,
        )


__all__ = ["CASES", "demo_cases", "load_cases"]
