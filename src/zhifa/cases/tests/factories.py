"""A small world for case tests: one market-regulation agency in 本溪满族自治县
with a head, a unit head, three certified officers, a legal reviewer, an item
with a discretion benchmark, and helpers to drive a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from zhifa.cases import engine, services
from zhifa.cases.models import Case
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
    return services.register_case(actor=w.users[0], agency=w.agency, new=new_case(w, **kwargs), today=on)


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
