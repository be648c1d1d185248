"""The demo county: 辽宁省本溪市本溪满族自治县, its justice bureau and agencies.

Everything is created through the apps' services, as a real administrator
would, and only if missing, so loading twice changes nothing. The township
code below is illustrative; region, agency and people are a realistic demo,
not an official register.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from zhifa.demo import samples
from zhifa.orgs import services as orgs
from zhifa.orgs.codes import region_parent_code, uscc_with_check
from zhifa.orgs.models import Agency, AgencyKind, Region, Role, RoleAssignment, Unit, User

DEMO_PASSWORD = "zhifa-demo-2026"

REGIONS = [
    ("210000", "辽宁省"),
    ("210500", "本溪市"),
    ("210521", "本溪满族自治县"),
    ("210522", "桓仁满族自治县"),
    ("210521100", "小市镇"),
]

COUNTY = "本溪满族自治县"

# 执法类别 used in the demo (code, name).
CATEGORIES = [
    ("market", "市场监管"),
    ("labour", "劳动保障监察"),
    ("construction", "住房和城乡建设"),
    ("industry", "工业和信息化"),
    ("justice", "司法行政"),
]
AGENCY_CATEGORIES = {
    "工业和信息化局": ["industry"],
    "人力资源和社会保障局": ["labour"],
    "市场监督管理局": ["market"],
    "住房和城乡建设局": ["construction"],
    "司法局": ["justice"],
}

# (name, short name, org-code part of the USCC, units, legal unit, is bureau, region)
AGENCIES = [
    (
        "本溪市司法局",
        "本市司法",
        "MB1805011",
        ["行政执法协调监督科", "法治调研科"],
        "法治调研科",
        True,
        "210500",
    ),
    (
        f"{COUNTY}司法局",
        "本县司法",
        "MB1815021",
        ["行政执法协调监督股", "法治督察股"],
        "法治督察股",
        True,
        "210521",
    ),
    (
        f"{COUNTY}工业和信息化局",
        "本县工信",
        "MB1815032",
        ["产业发展股", "法规和安全生产股"],
        "法规和安全生产股",
        False,
        "210521",
    ),
    (
        f"{COUNTY}人力资源和社会保障局",
        "本县人社",
        "MB1815043",
        ["劳动保障监察大队", "就业和社会保险股", "政策法规股"],
        "政策法规股",
        False,
        "210521",
    ),
    (
        f"{COUNTY}市场监督管理局",
        "本县市监",
        "MB1815054",
        ["综合行政执法大队", "食品安全监督管理股", "法规股"],
        "法规股",
        False,
        "210521",
    ),
    (
        f"{COUNTY}住房和城乡建设局",
        "本县住建",
        "MB1815065",
        ["建筑市场监管股", "城建综合执法大队", "政策法规股"],
        "政策法规股",
        False,
        "210521",
    ),
]

AUTHORITY_BASIS = (
    "《中华人民共和国行政处罚法》《中华人民共和国行政许可法》《中华人民共和国行政强制法》"
    "及本级人民政府确定的本机关职能配置、内设机构和人员编制规定（“三定”规定）。"
)

MARKET = f"{COUNTY}市场监督管理局"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    name: str
    where: str


# One login per role (architecture.md "Who uses it"); the second officer is
# there because every enforcement act needs two.
PEOPLE = [
    (Role.ADMIN, "admin", "周明", None, None, "210521"),
    (Role.SUPERVISOR, "sunli", "孙丽", f"{COUNTY}司法局", None, "210521"),
    (Role.AGENCY_HEAD, "chenjing", "陈静", MARKET, None, None),
    (Role.UNIT_HEAD, "wangfang", "王芳", MARKET, "综合行政执法大队", None),
    (Role.OFFICER, "zhangwei", "张伟", MARKET, "综合行政执法大队", None),
    (Role.OFFICER, "lina", "李娜", MARKET, "综合行政执法大队", None),
    (Role.AUXILIARY, "zhaolei", "赵磊", MARKET, "综合行政执法大队", None),
    (Role.LEGAL_REVIEWER, "liuyang", "刘洋", MARKET, "法规股", None),
]


def load_demo() -> list[DemoLogin]:
    with transaction.atomic():
        logins, agencies = _load_organisations()
    from zhifa.demo.officers_demo import load_officers

    load_officers(agencies, {user.username: user for user in User.objects.all()})
    from zhifa.demo.catalog_demo import load_catalog

    load_catalog(agencies)
    from zhifa.demo.catalog_lists_demo import load_catalog_lists

    load_catalog_lists(agencies)
    from zhifa.demo.cases_demo import load_cases

    load_cases(agencies)
    from zhifa.demo.review_demo import load_reviews

    load_reviews(agencies)
    from zhifa.demo.disclosure_demo import load_disclosure

    load_disclosure(agencies)
    load_demo_handbook(agencies[MARKET])
    load_demo_records(agencies[MARKET])
    return logins


def _load_organisations():
    actor = orgs.SYSTEM
    regions: dict[str, Region] = {}
    for code, name in REGIONS:
        region = Region.objects.filter(code=code).first()
        if region is None:
            parent_code = region_parent_code(code)
            region = orgs.region_create(
                actor=actor,
                code=code,
                name=name,
                parent=regions.get(parent_code) if parent_code else None,
            )
        regions[code] = region

    categories = {
        code: orgs.category_ensure(actor=actor, code=code, name=label) for code, label in CATEGORIES
    }
    agencies: dict[str, Agency] = {}
    for name, short, org_code, units, legal_unit, is_bureau, region_code in AGENCIES:
        region = regions[region_code]
        agency = Agency.objects.filter(name=name).first()
        if agency is None:
            bureau = None
            if is_bureau and region_code != "210500":
                bureau = agencies.get("本溪市司法局")
            elif not is_bureau:
                bureau = agencies.get(f"{COUNTY}司法局")
            agency = orgs.agency_create(
                actor=actor,
                name=name,
                short_name=short,
                uscc=uscc_with_check(f"11{region_code}{org_code}"),
                region=region,
                kind=AgencyKind.STATUTORY,
                authority_basis=AUTHORITY_BASIS,
                supervising_bureau=bureau,
                is_justice_bureau=is_bureau,
            )
        agencies[name] = agency
        for suffix, codes in AGENCY_CATEGORIES.items():
            if name.endswith(suffix):
                agency.categories.add(*(categories[c] for c in codes))
        for unit_name in units:
            if not Unit.objects.filter(agency=agency, name=unit_name).exists():
                orgs.unit_create(
                    actor=actor,
                    agency=agency,
                    name=unit_name,
                    is_legal_unit=unit_name == legal_unit,
                )

    logins = []
    for role, username, name, agency_name, unit_name, region_code in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = orgs.user_create(
                actor=actor, username=username, name=name, password=DEMO_PASSWORD
            )
        agency = agencies[agency_name] if agency_name and role != Role.SUPERVISOR else None
        unit = Unit.objects.get(agency=agency, name=unit_name) if unit_name else None
        region = regions[region_code] if region_code else None
        if not RoleAssignment.objects.filter(
            user=user, role=role, agency=agency, region=region
        ).exists():
            orgs.role_assign(
                actor=actor, user=user, role=role, agency=agency, unit=unit, region=region
            )
        where = agency_name or region.name
        if unit_name:
            where = f"{where} · {unit_name}"
        logins.append(DemoLogin(role=Role(role).label, username=username, name=name, where=where))
    return logins, agencies


def load_demo_records(market: Agency) -> None:
    """Evidence an officer took on site, stored and recorded; then a signed,
    cosigned checkpoint, so the ledger can be verified from the first start."""
    from django.core.files.base import ContentFile

    from zhifa.ledger.checkpoints import checkpoint_create
    from zhifa.ledger.evidence import evidence_store
    from zhifa.ledger.models import EvidenceBlob

    officer_uploads = EvidenceBlob.objects.filter(agency=market, original_name__startswith="现场")
    if not officer_uploads.exists():
        officer = User.objects.get(username="zhangwei")
        subject = ("ledger.upload", str(officer.public_id))
        files = [
            ("现场照片-经营场所外景.png", samples.scene_photo_png(seed=1)),
            ("现场照片-货架与标签.png", samples.scene_photo_png(seed=2)),
            ("现场检查笔录-扫描件.pdf", samples.scanned_record_pdf()),
        ]
        for name, data in files:
            evidence_store(
                agency=market,
                subject=subject,
                actor=officer,
                file=ContentFile(data, name=name),
                original_name=name,
            )
    checkpoint_create()


def load_demo_handbook(market: Agency) -> None:
    """The market regulation bureau's handbook: version 1 returned by the
    county justice bureau with comments, version 2 accepted."""
    from zhifa.catalog.handbook import (
        handbook_accept,
        handbook_compile,
        handbook_return,
        handbook_submit,
    )
    from zhifa.catalog.models import Handbook

    if Handbook.objects.filter(agency=market).exists():
        return
    head = User.objects.get(username="chenjing")
    supervisor = User.objects.get(username="sunli")
    first = handbook_compile(actor=head, agency=market)
    handbook_submit(actor=head, handbook=first)
    handbook_return(
        actor=supervisor,
        handbook=first,
        comments="请补充随机抽查事项的抽查比例和频次，并核对音像记录事项清单。",
    )
    second = handbook_compile(actor=head, agency=market)
    handbook_submit(actor=head, handbook=second)
    handbook_accept(actor=supervisor, handbook=second, comments="准予备案。")
