"""Demo officers and certificates for every demo agency.

Written through `zhifa.officers.services` as the platform itself (SYSTEM), so
the ledger records every registration, exam and certificate exactly as real
data would be. Dates are relative to today, so the home-page alerts always
have something to show: a certificate expiring within 30 days, an overdue
annual review. The set also holds an expired certificate, a suspended one (a
failed annual review), an auxiliary, an officer who retired (certificate
cancelled and handed back), a new hire without a certificate yet, and legal
reviewers with 法律职业资格.

Names, ID numbers, phone numbers and certificate numbers are invented. ID
numbers are well-formed (GB 11643 check digit) with the 本溪满族自治县 address
code; certificate numbers follow the pattern region code + year + serial.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from zhifa.officers import services
from zhifa.officers.models import (
    CertificationTarget,
    EmploymentStatus,
    ExamKind,
    LeaveReason,
    ReviewOutcome,
)
from zhifa.orgs.models import Agency, Unit, User
from zhifa.orgs.services import SYSTEM

COUNTY = "本溪满族自治县"
ID_REGION = "210521"

# Certificate histories (see _certify).
VALID = "valid"
EXPIRED = "expired"  # expired 40 days ago, not yet renewed
SUSPENDED = "suspended"  # the last annual review failed
EXPIRING = "expiring"  # expires within 30 days
REVIEW_OVERDUE = "review_overdue"  # last year's review not recorded
RETIRED = "retired"  # left the post; certificate cancelled and handed back
NONE = "none"  # a new hire: general exam passed, professional pending
AUXILIARY = "auxiliary"


@dataclass(frozen=True)
class Person:
    name: str
    sex: str  # 男 / 女: GB 11643 gives men an odd sequence code, women an even one
    born: date
    unit: str | None
    post: str
    history: str = VALID
    username: str | None = None
    # 法律职业资格 (certificate number) for legal reviewers (APL-23).
    legal_qualification: str | None = None
    # Years the current certificate has run (validity is 5 years by default).
    years_held: int = 2


MARKET = [
    Person("陈静", "女", date(1972, 4, 18), None, "局长", username="chenjing", years_held=3),
    Person(
        "王芳",
        "女",
        date(1979, 9, 2),
        "综合行政执法大队",
        "综合行政执法大队大队长",
        username="wangfang",
        years_held=4,
    ),
    Person(
        "张伟", "男", date(1986, 3, 11), "综合行政执法大队", "执法大队队员", username="zhangwei"
    ),
    Person("李娜", "女", date(1990, 12, 5), "综合行政执法大队", "执法大队队员", username="lina"),
    Person(
        "赵磊",
        "男",
        date(1995, 6, 23),
        "综合行政执法大队",
        "执法辅助人员（协管员）",
        history=AUXILIARY,
        username="zhaolei",
    ),
    Person(
        "刘洋",
        "男",
        date(1988, 1, 30),
        "法规股",
        "法制审核员",
        username="liuyang",
        legal_qualification="A20142105210318",
    ),
    Person("孙建国", "男", date(1968, 10, 9), "食品安全监督管理股", "股长", history=EXPIRED),
    Person("周晓明", "男", date(1983, 7, 14), "食品安全监督管理股", "科员", history=SUSPENDED),
    Person("吴海涛", "男", date(1975, 2, 27), "综合行政执法大队", "执法中队长", history=EXPIRING),
    Person(
        "郑丽", "女", date(1992, 8, 16), "综合行政执法大队", "执法大队队员", history=REVIEW_OVERDUE
    ),
]

ROSTERS: dict[str, list[Person]] = {
    f"{COUNTY}市场监督管理局": MARKET,
    "本溪市司法局": [
        Person("高志远", "男", date(1976, 5, 3), "行政执法协调监督科", "科长", years_held=3),
        Person(
            "林晓燕",
            "女",
            date(1985, 11, 21),
            "行政执法协调监督科",
            "一级主任科员",
            legal_qualification="A20112105000127",
        ),
        Person("韩冬", "男", date(1989, 4, 8), "法治调研科", "科员", years_held=1),
    ],
    f"{COUNTY}司法局": [
        Person("马俊", "男", date(1974, 8, 29), "行政执法协调监督股", "股长", years_held=3),
        Person(
            "杨帆",
            "女",
            date(1987, 3, 17),
            "法治督察股",
            "法制审核员",
            legal_qualification="A20162105210045",
        ),
        Person("何平", "男", date(1981, 12, 1), "行政执法协调监督股", "科员", years_held=1),
        Person("罗敏", "女", date(1993, 5, 26), "法治督察股", "科员", history=EXPIRING),
    ],
    f"{COUNTY}工业和信息化局": [
        Person("郭强", "男", date(1978, 7, 7), "法规和安全生产股", "股长"),
        Person("宋佳", "女", date(1990, 2, 14), "法规和安全生产股", "科员", years_held=1),
        Person("谢文", "男", date(1984, 10, 30), "产业发展股", "科员", history=REVIEW_OVERDUE),
    ],
    f"{COUNTY}人力资源和社会保障局": [
        Person("唐磊", "男", date(1977, 3, 22), "劳动保障监察大队", "大队长", years_held=4),
        Person("许静", "女", date(1986, 9, 9), "劳动保障监察大队", "监察员"),
        Person("邓超", "男", date(1991, 1, 19), "劳动保障监察大队", "监察员", years_held=1),
        Person(
            "冯雪",
            "女",
            date(1988, 6, 12),
            "政策法规股",
            "法制审核员",
            legal_qualification="A20172105210206",
        ),
        Person(
            "曹阳", "男", date(1998, 4, 2), "劳动保障监察大队", "监察员（新录用）", history=NONE
        ),
    ],
    f"{COUNTY}住房和城乡建设局": [
        Person("彭刚", "男", date(1973, 12, 12), "城建综合执法大队", "大队长", years_held=3),
        Person("曾丽华", "女", date(1985, 4, 4), "建筑市场监管股", "股长"),
        Person("田野", "男", date(1989, 8, 8), "城建综合执法大队", "执法队员", years_held=1),
        Person("袁立", "男", date(1965, 5, 15), "城建综合执法大队", "执法队员", history=RETIRED),
    ],
}


def load_officers(agencies: dict[str, Agency], users: dict[str, User]) -> None:
    """Officers for every demo agency that has none yet (so loading twice changes nothing)."""
    today = timezone.localdate()
    serials: dict[str, int] = {}
    for index, (agency_name, roster) in enumerate(ROSTERS.items()):
        agency = agencies.get(agency_name)
        if agency is None or agency.officers.exists():
            continue
        with transaction.atomic():
            for position, person in enumerate(roster):
                _load_person(
                    agency,
                    person,
                    users=users,
                    today=today,
                    sequence=index * 20 + position,
                    serials=serials,
                )
    # The daily job, so the expired certificate shows as expired.
    services.certificates_expire(actor=SYSTEM, today=today)
    county = agencies.get(f"{COUNTY}市场监督管理局")
    if county is not None and not CertificationTarget.objects.filter(region=county.region).exists():
        # No national figure exists; the demo uses the shares one district's
        # plan asks for (departments ≥ 70 %, townships ≥ 60 %).
        services.certification_target_save(
            actor=SYSTEM,
            target=CertificationTarget(
                region=county.region,
                department_target=Decimal("0.70"),
                township_target=Decimal("0.60"),
                basis="演示数据：参照某区行政执法人员持证上岗工作方案（部门不低于70%、乡镇不低于60%）",
            ),
        )


def demo_id_number(person: Person, sequence: int) -> str:
    code = 2 * (sequence % 499) + (1 if person.sex == "男" else 2)
    body = f"{ID_REGION}{person.born:%Y%m%d}{code:03d}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _load_person(
    agency: Agency,
    person: Person,
    *,
    users: dict[str, User],
    today: date,
    sequence: int,
    serials: dict[str, int],
) -> None:
    unit = Unit.objects.get(agency=agency, name=person.unit) if person.unit else None
    auxiliary = person.history == AUXILIARY
    officer = services.officer_register(
        actor=SYSTEM,
        agency=agency,
        name=person.name,
        id_number=demo_id_number(person, sequence),
        post=person.post,
        employment_status=EmploymentStatus.OTHER if auxiliary else EmploymentStatus.ESTABLISHED,
        unit=unit,
        phone=f"1394141{sequence:04d}",
        is_auxiliary=auxiliary,
        user=users.get(person.username) if person.username else None,
    )
    if person.legal_qualification:
        services.legal_qualification_record(
            actor=SYSTEM,
            officer=officer,
            certificate_number=person.legal_qualification,
            obtained_on=date(int(person.legal_qualification[1:5]), 2, 20),
        )
    if auxiliary:
        # Auxiliaries are trained too, but hold no certificate (CERT-04).
        _train(officer, today, hours=24)
        return
    _certify(agency, officer, person, today=today, sequence=sequence, serials=serials)


def _train(officer, today: date, *, hours: int = 60) -> None:
    # CERT-08 reports ≥ 60 class hours a year; last year's training is complete.
    year = today.year - 1
    services.training_record(
        actor=SYSTEM,
        officer=officer,
        year=year,
        title=f"{year}年度行政执法人员公共法律知识和专业法律知识培训",
        hours=hours,
        completed_on=date(year, 11, 28),
    )


def _certify(
    agency: Agency, officer, person: Person, *, today: date, sequence: int, serials
) -> None:
    categories = list(agency.categories.all())
    if not categories:
        return  # an agency without powers issues no certificates
    history = person.history
    expires_on = None
    if history == EXPIRED:
        issued_on = _years_before(today, 5) - timedelta(days=40)
    elif history == EXPIRING:
        expires_on = today + timedelta(days=18)
        issued_on = _years_before(expires_on, 5)
    elif history == REVIEW_OVERDUE:
        issued_on = _years_before(today, 1) - timedelta(days=75)
    elif history == SUSPENDED:
        issued_on = _years_before(today, 2) - timedelta(days=30)
    else:
        # Spread over the year, so the annual reviews fall on different days.
        issued_on = _years_before(today, person.years_held) - timedelta(days=23 * (sequence % 11))
    exam_day = issued_on - timedelta(days=60)
    services.exam_record(
        actor=SYSTEM,
        officer=officer,
        kind=ExamKind.GENERAL,
        taken_on=exam_day,
        passed=True,
        score=82,
    )
    if history == NONE:
        return  # waiting for the professional exam
    for category in categories:
        services.exam_record(
            actor=SYSTEM,
            officer=officer,
            kind=ExamKind.PROFESSIONAL,
            taken_on=exam_day + timedelta(days=14),
            passed=True,
            score=78,
            category=category,
        )
    prefix = f"{agency.region.code}{issued_on:%y}"
    serials[prefix] = serials.get(prefix, 0) + 1
    certificate = services.certificate_issue(
        actor=SYSTEM,
        officer=officer,
        number=f"{prefix}{serials[prefix]:03d}",
        categories=categories,
        area=agency.region,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    past_due = list(certificate.annual_reviews.filter(due_on__lt=today).order_by("due_on"))
    for n, review in enumerate(past_due):
        last = n == len(past_due) - 1
        if last and history == REVIEW_OVERDUE:
            break  # left unrecorded: the home page shows it overdue
        failed = last and history == SUSPENDED
        services.annual_review_record(
            actor=SYSTEM,
            certificate=certificate,
            year=review.year,
            outcome=ReviewOutcome.FAILED if failed else ReviewOutcome.PASSED,
            reviewed_on=review.due_on - timedelta(days=5),
            note="年度培训学时不足，案卷评查不合格" if failed else "",
        )
    if history != EXPIRED:
        _train(officer, today)
    if history == RETIRED:
        left_on = today - timedelta(days=20)
        services.officer_leave(
            actor=SYSTEM,
            officer=officer,
            left_on=left_on,
            reason=LeaveReason.RETIREMENT,
            handed_back_on=left_on,
        )
