"""A small world for case tests: one market-regulation agency in 本溪满族自治县
with a head, a unit head, three certified officers, a legal reviewer, an item
with a discretion benchmark, and helpers to drive a case."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from zhifa.cases import engine, services
from zhifa.cases.models import Case, Payment
from zhifa.catalog.tests.factories import penalty_item, standard
from zhifa.officers.models import Officer
from zhifa.officers.tests.factories import certified, market_agency
from zhifa.orgs.codes import uscc_with_check
from zhifa.orgs.models import Role
from zhifa.orgs.tests.factories import UserFactory, grant
from zhifa.rules.models import RuleOverride

PERSON = {
    "kind": "natural",
    "name": "张三",
    "id_type": "resident",
    "id_number": "11010519491231002X",
    "address": "本溪县小市镇某村1号",
    "phone": "13800000000",
}
COMPANY = {
    "kind": "organisation",
    "name": "本溪县某食品店有限公司",
    "uscc": uscc_with_check("91210521MA0U12345"),
    "legal_representative": "李四",
    "address": "本溪县小市镇商业街8号",
}


@dataclass
class World:
    agency: object
    item: object
    standard: object
    head: object
    unit_head: object
    officers: list[Officer]
    users: list
    reviewer: object

    @property
    def county(self):
        return self.agency.region


def _user(agency, role, name):
    user = UserFactory(name=name)
    grant(user, role, agency=agency)
    return user


# Thresholds the law leaves to the province (APL-27, APL-37), as a province would set them.
REGIONAL = (
    ("penalty.hearing_large_fine_citizen", 2000),
    ("penalty.hearing_large_fine_organisation", 50000),
    ("penalty.statement_period", 5),
)


def world() -> World:
    for rule, value in REGIONAL:
        RuleOverride.objects.get_or_create(
            rule_id=rule, region_code="210000", defaults={"value": value, "basis": "测试：省级规定"}
        )
    agency = market_agency(short_name="本县市监")
    item = penalty_item(agency)
    std = standard(item)
    category = item.versions.get().category
    head = _user(agency, Role.AGENCY_HEAD, "陈局长")
    unit_head = _user(agency, Role.UNIT_HEAD, "王科长")
    reviewer = _user(agency, Role.LEGAL_REVIEWER, "刘审核")
    officers, users = [], []
    for name in ("张伟", "李娜", "赵强"):
        cert = certified(agency, name=name, categories=[category])
        user = _user(agency, Role.OFFICER, name)
        officer = cert.officer
        officer.user = user
        officer.save(update_fields=["user"])
        officers.append(officer)
        users.append(user)
    return World(agency, item, std, head, unit_head, officers, users, reviewer)


def new_case(
    w: World,
    *,
    party=None,
    received=None,
    act_date=None,
    title="未取得食品经营许可从事食品经营活动",
) -> services.NewCase:
    today = timezone.localdate()
    return services.NewCase(
        title=title,
        source_kind="complaint",
        source_received_on=received or today - timedelta(days=30),
        region=w.county,
        party=dict(party or COMPANY),
        act_date=act_date,
    )


def register(w: World, *, on: date | None = None, **kwargs) -> Case:
    """Registered 25 days ago unless `on` says otherwise, so steps can be dated after it."""
    on = on or timezone.localdate() - timedelta(days=25)
    return services.register_case(
        actor=w.users[0], agency=w.agency, new=new_case(w, **kwargs), today=on
    )


def ids(objs) -> list[str]:
    return [str(o.pk) for o in objs]


def file(
    w: World, case: Case, *, on: date | None = None, act_date: date | None = None, **extra
) -> Case:
    today = timezone.localdate()
    data = {
        "on": on or today - timedelta(days=20),
        "item": w.item.pk,
        "act_date": act_date or today - timedelta(days=60),
        "officers": ids(w.officers[:2]),
        "lead": w.officers[0].pk,
        "opinion": "同意立案",
    } | extra
    engine.fire(case, "file", w.unit_head, data)
    return Case.objects.get(pk=case.pk)


def propose(w: World, case: Case, *, fine="70000", decision_kind="penalty", **extra) -> Case:
    data = {
        "facts": "当事人未取得食品经营许可，于某日起在其店内销售散装熟食。",
        "evidence_summary": "现场检查笔录、询问笔录、照片。",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十二条第一款",
        "decision_kind": decision_kind,
        "penalty_types": ["fine"] if decision_kind == "penalty" else [],
        "fine_amount": fine if decision_kind == "penalty" else "",
        "discretion_standard": w.standard.pk,
        "discretion_grade": "ordinary",
    } | extra
    engine.fire(case, "end_investigation", w.users[0], data)
    return Case.objects.get(pk=case.pk)


def inspect(w: World, case: Case, **extra) -> Case:
    data = {
        "officers_present": ids(w.officers[:2]),
        "place": "本溪县小市镇商业街8号",
        "content": "现场发现散装熟食待售。",
    } | extra
    engine.fire(case, "record_inspection", w.users[0], data)
    return case


def money(value) -> Decimal:
    return Decimal(str(value))


# --------------------------------------------------------------------------
# Driving a case further (added for the transition and guard matrix).
# --------------------------------------------------------------------------

# The matrix runs on a fixed day, so every working-day deadline falls in a
# year whose official calendar is loaded (rules.md CAL-12).
TODAY = date(2026, 7, 15)  # a Wednesday


def quick_docx(document) -> bytes:
    """A small valid DOCX holding the document's content, made in a millisecond.

    The transition and guard matrix checks which documents a step issues —
    type, number, content, hash, stored file, ledger record — not how they
    are laid out; test_documents renders the real thing. Patch it in with
    `monkeypatch.setattr("zhifa.cases.documents.services.render_docx", quick_docx)`.
    """
    import io
    import json
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        body = json.dumps([document.doc_type, document.content], ensure_ascii=False, sort_keys=True)
        z.writestr("word/document.xml", body)
    return out.getvalue()


def freeze(time_machine) -> date:
    """Move the clock to TODAY, 10:00 in Beijing; it keeps ticking."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    time_machine.move_to(datetime(2026, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    return TODAY


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def fire(case: Case, code: str, actor, data: dict | None = None, **kwargs) -> Case:
    """Fire a transition and return the case as stored afterwards."""
    engine.fire(case, code, actor, data or {}, **kwargs)
    return Case.objects.get(pk=case.pk)


def user_in(agency, role, name: str = "外单位用户"):
    return _user(agency, role, name)


def other_agency_user(role=Role.UNIT_HEAD):
    """A user holding `role` in another market-regulation agency."""
    other = market_agency(short_name="邻县市监", name="邻县市场监督管理局")
    return _user(other, role, "邻县人员")


# The general procedure, step by step; `general_case` stops at `until`.
GENERAL_PATH = (
    "registered",
    "investigation",
    "examination",
    "statement",
    "deliberation",
    "decided",
    "served",
    "closed",
)


def general_case(
    w: World,
    *,
    until: str = "investigation",
    start: int = 12,
    party=None,
    fine: str = "70000",
    waive: bool = True,
    proposal: dict | None = None,
    decision: dict | None = None,
) -> Case:
    """A case taken through the general procedure to the state `until`.

    Steps are dated one day apart from `start` days ago: registered,
    filed, inspected, proposed, notified, statement waived and ended,
    decided, served, paid and closed. With the default `start` the
    payment deadline has not yet passed when the case is served.
    """
    assert until in GENERAL_PATH, until
    stop = GENERAL_PATH.index(until)
    day = iter(range(start, -1, -1))
    on = days_ago(next(day))
    case = register(w, on=on, party=party, received=on - timedelta(days=5))
    if stop >= 1:
        case = file(w, case, on=days_ago(next(day)), act_date=on - timedelta(days=30))
        inspect(w, case, on=days_ago(next(day)))
    if stop >= 2:
        case = propose(w, case, fine=fine, on=days_ago(next(day)), **(proposal or {}))
    if stop >= 3:
        case = fire(case, "notify", w.unit_head, {"on": days_ago(next(day))})
    if stop >= 4:
        on = days_ago(next(day))
        if waive:
            waive_statement(w, case, on=on)
        case = fire(case, "end_statement", w.unit_head, {"on": on})
    if stop >= 5:
        data = {
            "penalty_types": list(case.penalty_types),
            "fine_amount": fine,
            "bank": "中国工商银行本溪县支行",
        }
        case = fire(
            case, "decide_penalty", w.head, data | (decision or {}) | {"on": days_ago(next(day))}
        )
    if stop >= 6:
        case = serve(w, case, on=days_ago(next(day)))
    if stop >= 7:
        on = days_ago(next(day))
        pay(w, case, case.fine_amount, on=on)
        case = fire(case, "close", w.unit_head, {"opinion": "罚款已缴清，执行完毕。", "on": on})
    return case


def waiver(case: Case, *, hearing: bool | None = None, **extra) -> dict:
    """The form of 放弃陈述申辩. With a hearing right the party also expressly
    waives the hearing unless `hearing=False`; without one the field is not
    sent (the form refuses it)."""
    hearing = case.hearing_right if hearing is None else hearing
    text = "本人放弃陈述、申辩和听证。" if hearing else "本人放弃陈述、申辩。"
    return {"statement": text} | ({"waives_hearing": True} if hearing else {}) | extra


def waive_statement(
    w: World, case: Case, *, on: date | None = None, hearing: bool | None = None, **extra
) -> Case:
    case = Case.objects.get(pk=case.pk)  # hearing_right is set by 事先告知
    data = waiver(case, hearing=hearing, **extra)
    if on is not None:
        data["on"] = on
    return fire(case, "waive_statement", w.users[0], data)


def serve(w: World, case: Case, *, on: date | None = None, **extra) -> Case:
    data = {"method": "direct", "recipient": "李四", "on": on or timezone.localdate()} | extra
    return fire(case, "serve", w.users[0], data)


def pay(w: World, case: Case, amount, *, on: date | None = None, **extra) -> Case:
    data = {
        "amount": str(amount),
        "channel": "bank",
        "receipt_number": f"PZ{case.pk:04d}{Payment.objects.filter(case=case).count() + 1:02d}",
        "on": on or timezone.localdate(),
    } | extra
    return fire(case, "record_payment", w.users[1], data)


def hearing_case(w: World, *, start: int = 40) -> Case:
    """Notified `start` days ago with a hearing right, and the party asked for a hearing."""
    case = general_case(w, until="statement", start=start)
    return fire(case, "request_hearing", w.users[0], {"on": days_ago(start - 5)})


def schedule(
    w: World, case: Case, *, on: date, hearing_date: date, presider=None, actor=None
) -> Case:
    data = {
        "on": on,
        "hearing_date": hearing_date,
        "place": "本县市场监督管理局听证室",
        "presider": (presider or w.reviewer).pk,
        "public": True,
    }
    return fire(case, "schedule_hearing", actor or w.unit_head, data)


# 当场处罚 (简易程序).
def summary_case(w: World, *, party=None, on: date | None = None) -> Case:
    on = on or days_ago(3)
    new = new_case(w, party=party or PERSON, received=on, title="在禁止区域占道经营")
    return services.open_summary_case(actor=w.users[0], agency=w.agency, new=new, today=on)


def decide_on_spot(w: World, case: Case, *, types=("fine",), fine="50", **extra) -> Case:
    data = {
        "item": w.item.pk,
        "officers_present": ids(w.officers[:2]),
        "facts": "当事人在禁止区域占道经营。",
        "legal_basis": "《某省市容和环境卫生管理条例》第二十条",
        "penalty_types": list(types),
        "fine_amount": fine if "fine" in types else "",
        "place": "本溪县小市镇商业街路口",
        "on": case.registered_on,
    } | extra
    return fire(case, "decide_on_spot", w.users[0], data)


# 音像记录 (GB118-13/14) and evidence files.
def av_rule(w: World, step: str, requirement: str = "full") -> object:
    from zhifa.catalog.models import AvRecordingRule

    return AvRecordingRule.objects.create(
        agency=w.agency,
        step=step,
        requirement=requirement,
        citation="本局音像记录事项清单第3项",
    )


def _box(kind: bytes, body: bytes) -> bytes:
    import struct

    return struct.pack(">I", 8 + len(body)) + kind + body


def _mp4() -> bytes:
    handler = b"\x00" * 8 + b"vide" + b"\x00" * 13
    trak = _box(b"trak", _box(b"mdia", _box(b"hdlr", handler)))
    moov = _box(b"moov", _box(b"mvhd", b"\x00" * 100) + trak)
    return (
        _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41")
        + moov
        + _box(b"mdat", b"\x00\x01\x02\x03" * 64)
    )


# The smallest files the evidence sniffer accepts as what they are.
MP4 = _mp4()
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40


def attach(
    w: World,
    case: Case,
    data: bytes = MP4,
    *,
    kind="audiovisual",
    step="",
    title="执法记录仪视频",
    name="0001.mp4",
):
    from django.core.files.base import ContentFile

    return services.add_evidence(
        actor=w.users[0],
        case=case,
        file=ContentFile(data),
        kind=kind,
        title=title,
        step=step,
        original_name=name,
    )


def as_review_service():
    """Fire `submit_legal_review` as its owning service does (the review app's
    `review_submit`); a direct fire is refused."""
    from zhifa.procedures import PENALTY_GENERAL

    return engine.by_service(PENALTY_GENERAL.transition("submit_legal_review").service)


@contextmanager
def agreeing_review(case: Case):
    """A legal review provider that agrees to `case` exactly as it stands now."""
    from zhifa.cases import review_hook
    from zhifa.cases.selectors import decision_fingerprint

    agreed = decision_fingerprint(Case.objects.get(pk=case.pk))
    with review_provider(lambda c, fp: review_hook.ReviewStatus(False, fp == agreed)):
        yield agreed


@contextmanager
def review_provider(provider):
    """Plug `provider` into the legal review gate, then put back whatever was there
    (the review app registers its own when it is installed)."""
    from zhifa.cases import review_hook

    saved = list(review_hook._provider)
    review_hook.register(provider)
    try:
        yield provider
    finally:
        review_hook._provider[:] = saved
