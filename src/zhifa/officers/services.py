"""Changes to officers, their exams, training, legal qualifications and certificates.

The contract is docs/officers-services-spec.md: one function per use case,
keyword-only, with a required `actor`; each checks permission, validates
everything first (Chinese messages, keyed by field), then writes, records the
fact with `zhifa.ledger.record` and — for a certificate — a `CertificateEvent`
carrying the ledger seq, all in one transaction, so a refusal leaves nothing
half-saved.

Ledger payloads carry references only (officer public_id, certificate number,
category and region codes, dates), never an ID number or a phone number.

National law sets only the principles (行政处罚法 第四十二条, 行政强制法 第十七条);
eligibility, validity and annual review follow the provincial model of
rules.md CERT-06/07, whose numbers are the overridable rules
`certificate.validity` and `certificate.annual_review_interval`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric

from zhifa import ledger
from zhifa.officers.models import (
    ELIGIBLE_STATUSES,
    AnnualReview,
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CertificationTarget,
    EmploymentStatus,
    Exam,
    ExamKind,
    LeaveReason,
    LegalQualification,
    Officer,
    ReviewOutcome,
    Training,
)
from zhifa.orgs.models import Agency, EnforcementCategory, Region, Unit
from zhifa.orgs.services import can_administer, can_manage_agency
from zhifa.rules.services import deadline, rule_value
from zhifa.workdays.calendar import add_months

# Ledger action names and their Chinese labels; registered from
# OfficersConfig.ready().
LEDGER_ACTIONS: dict[str, str] = {
    "officer.registered": "登记执法人员",
    "officer.updated": "变更执法人员信息",
    "officer.left": "执法人员离岗",
    "exam.recorded": "登记执法资格考试",
    "training.recorded": "登记执法培训",
    "legal_qualification.recorded": "登记法律职业资格",
    "certificate.issued": "发放执法证件",
    "certificate.suspended": "暂扣执法证件",
    "certificate.reinstated": "恢复执法证件",
    "certificate.revoked": "注销执法证件",
    "certificate.expired": "执法证件过期",
    "certificate.renewed": "换发执法证件",
    "certificate.handed_back": "交回执法证件",
    "certificate.reviewed": "执法证件年审",
}

CERT_06_B = "rules.md CERT-06 (b)（省级规定示例）"
CERT_06_E = "rules.md CERT-06 (e)（省级规定示例）"
CERT_04 = "rules.md CERT-04"

# Certificates that still confer (or may again confer) the power to enforce.
ACTIVE_STATUSES = (CertificateStatus.VALID, CertificateStatus.SUSPENDED)

_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
_REASON_MAX = 200


# --------------------------------------------------------------------------
# Permission
# --------------------------------------------------------------------------


def can_manage_personnel(actor, agency: Agency) -> bool:
    """Personnel is the agency's own register: its head or a regional
    administrator keeps it (orgs.services.can_manage_agency)."""
    return can_manage_agency(actor, agency)


def _require_personnel(actor, agency: Agency, what: str) -> None:
    if not can_manage_personnel(actor, agency):
        raise PermissionDenied(
            f"您无权{what}：“{agency.name}”的执法人员由本机关负责人或该区域的系统管理员管理。"
        )


# --------------------------------------------------------------------------
# Small validators (pure; also used by the Excel import)
# --------------------------------------------------------------------------


def _known_address_code(code: str) -> bool:
    """Whether the GB/T 2260 county-level code exists (at any time) in
    python-stdnum's table."""
    return any("county" in props for _, props in numdb.get("cn/loc").info(code))


def validate_id_number(value: str) -> str:
    """The normalised 18-character 公民身份号码, or a Chinese ValidationError (GB 11643).

    Checked step by step with python-stdnum's parts rather than
    `ric.validate`: that also requires the address code to have existed in
    the birth year, but codes were given at first registration (from 1984),
    so someone born in 1975 may rightly carry a district code created in 1983;
    and it raises KeyError on some unknown codes.
    """
    number = ric.compact(str(value or ""))
    if not number:
        raise ValidationError("请填写公民身份号码。")
    if len(number) != 18:
        raise ValidationError(f"公民身份号码应为 18 位（GB 11643），当前为 {len(number)} 位。")
    if not (number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise ValidationError("公民身份号码前 17 位应为数字，最后一位为数字或 X。")
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError("公民身份号码校验码不正确（GB 11643），请核对是否录入有误。")
    try:
        birth = ric.get_birth_date(number)
    except stdnum_errors.InvalidComponent as exc:
        raise ValidationError(
            f"公民身份号码中的出生日期（{number[6:14]}）无效（GB 11643）。"
        ) from exc
    if birth > timezone.localdate():
        raise ValidationError("公民身份号码中的出生日期晚于今天，请核对。")
    if not _known_address_code(number[:6]):
        raise ValidationError(
            f"公民身份号码中的地址码（{number[:6]}）不是有效的行政区划代码（GB 11643）。"
        )
    return number


def _as_date(value: Any, field: str, label: str, errors: dict, *, allow_future=False):
    if isinstance(value, datetime) or not isinstance(value, date):
        errors[field] = f"请填写{label}（日期）。"
        return None
    if not allow_future and value > timezone.localdate():
        errors[field] = f"{label}（{value.isoformat()}）不能晚于今天。"
        return None
    return value


def _reason(value: Any, errors: dict, field: str = "reason") -> str:
    text = str(value or "").strip()
    if not text:
        errors[field] = "请填写原因。"
    elif len(text) > _REASON_MAX:
        errors[field] = f"原因不能超过 {_REASON_MAX} 个字。"
    return text


def _choice(value: Any, choices, field: str, label: str, errors: dict) -> str:
    """A choice given by value or by its Chinese label ("在编")."""
    for v, text in choices.choices:
        if value in (v, text):
            return v
    allowed = "、".join(text for _, text in choices.choices)
    errors[field] = f"{label}“{value}”无效，应为：{allowed}。"
    return ""


def _categories(values: Iterable, errors: dict) -> list[EnforcementCategory]:
    """Categories given as instances or codes."""
    found: list[EnforcementCategory] = []
    unknown: list[str] = []
    for value in values or []:
        if isinstance(value, EnforcementCategory):
            found.append(value)
            continue
        category = EnforcementCategory.objects.filter(code=str(value).strip()).first()
        if category is None:
            category = EnforcementCategory.objects.filter(name=str(value).strip()).first()
        if category is None:
            unknown.append(str(value))
        else:
            found.append(category)
    if unknown:
        errors["categories"] = f"未知的执法类别：{'、'.join(unknown)}。"
    elif not found:
        errors["categories"] = "请至少选择一个执法类别。"
    return list({c.pk: c for c in found}.values())


def _user_or_none(actor):
    # The platform's own actor (SYSTEM) has no user row.
    return actor if getattr(actor, "pk", None) is not None else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# --------------------------------------------------------------------------
# Officers
# --------------------------------------------------------------------------


def _validate_officer_fields(
    fields: dict[str, Any], *, agency: Agency, officer: Officer | None, errors: dict
) -> dict[str, Any]:
    """Clean the editable officer fields present in `fields` (in place of `errors`)."""
    clean: dict[str, Any] = {}
    if "name" in fields:
        name = str(fields["name"] or "").strip()
        if not name:
            errors["name"] = "请填写姓名。"
        elif len(name) > 50:
            errors["name"] = "姓名不能超过 50 个字。"
        clean["name"] = name
    if "post" in fields:
        post = str(fields["post"] or "").strip()
        if not post:
            errors["post"] = "请填写岗位，例如“执法大队队员”。"
        elif len(post) > 100:
            errors["post"] = "岗位不能超过 100 个字。"
        clean["post"] = post
    if "phone" in fields:
        phone = re.sub(r"\s", "", str(fields["phone"] or ""))
        if phone and not _PHONE.match(phone):
            errors["phone"] = "联系电话格式不正确：手机号码为 11 位数字，固定电话如 024-42812345。"
        clean["phone"] = phone
    if "employment_status" in fields:
        clean["employment_status"] = _choice(
            fields["employment_status"],
            EmploymentStatus,
            "employment_status",
            "编制状态",
            errors,
        )
    if "unit" in fields:
        unit = fields["unit"]
        if unit is not None and not isinstance(unit, Unit):
            errors["unit"] = "承办机构无效。"
        elif unit is not None and unit.agency_id != agency.pk:
            errors["unit"] = f"承办机构“{unit.name}”不属于“{agency.name}”。"
        clean["unit"] = unit
    if "user" in fields:
        user = fields["user"]
        if user is not None:
            taken = Officer.objects.filter(user=user)
            if officer is not None:
                taken = taken.exclude(pk=officer.pk)
            other = taken.select_related("agency").first()
            if other is not None:
                errors["user"] = f"账号“{user.username}”已关联执法人员 {other}。"
        clean["user"] = user
    return clean


@transaction.atomic
def officer_register(
    *,
    actor,
    agency: Agency,
    name: str,
    id_number: str,
    post: str,
    employment_status: str,
    unit: Unit | None = None,
    phone: str = "",
    is_auxiliary: bool = False,
    user=None,
) -> Officer:
    _require_personnel(actor, agency, "登记执法人员")
    errors: dict[str, Any] = {}
    clean = _validate_officer_fields(
        {
            "name": name,
            "post": post,
            "phone": phone,
            "employment_status": employment_status,
            "unit": unit,
            "user": user,
        },
        agency=agency,
        officer=None,
        errors=errors,
    )
    try:
        number = validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    else:
        if Officer.objects.filter(agency=agency, id_number=number).exists():
            errors["id_number"] = "本执法主体已登记该公民身份号码的人员。"
    if errors:
        raise ValidationError(errors)
    officer = Officer(agency=agency, id_number=number, is_auxiliary=bool(is_auxiliary), **clean)
    officer.full_clean()
    officer.save()
    ledger.record(
        agency=agency,
        subject=officer,
        actor=actor,
        action="officer.registered",
        payload={
            "officer": str(officer.public_id),
            "unit": officer.unit.name if officer.unit_id else None,
            "post": officer.post,
            "employment_status": officer.employment_status,
            "is_auxiliary": officer.is_auxiliary,
        },
    )
    return officer


OFFICER_UPDATABLE = ("name", "unit", "post", "phone", "employment_status", "user")


@transaction.atomic
def officer_update(*, actor, officer: Officer, **fields) -> Officer:
    """Change name, unit, post, phone, employment status or the linked account.

    Changing nothing records nothing, so re-importing the same list is a no-op.
    """
    _require_personnel(actor, officer.agency, "修改执法人员信息")
    errors: dict[str, Any] = {}
    for key in fields:
        if key not in OFFICER_UPDATABLE:
            errors[key] = "此项不能通过修改人员信息变更。"
    if errors:
        raise ValidationError(errors)
    clean = _validate_officer_fields(fields, agency=officer.agency, officer=officer, errors=errors)
    status = clean.get("employment_status")
    if (
        status
        and status not in ELIGIBLE_STATUSES
        and officer.certificates.filter(status__in=ACTIVE_STATUSES).exists()
    ):
        errors["employment_status"] = (
            f"该人员持有未注销的执法证件，编制状态不能改为“{EmploymentStatus(status).label}”："
            f"只有在编、在职人员可以持证，请先注销证件（{CERT_06_B}）。"
        )
    if errors:
        raise ValidationError(errors)
    changed = [key for key, value in clean.items() if getattr(officer, key) != value]
    if not changed:
        return officer
    for key in changed:
        setattr(officer, key, clean[key])
    officer.full_clean()
    officer.save()
    payload: dict[str, Any] = {"officer": str(officer.public_id), "changed": sorted(changed)}
    # Name and phone are personal data: the payload says only that they changed.
    if "post" in changed:
        payload["post"] = officer.post
    if "unit" in changed:
        payload["unit"] = officer.unit.name if officer.unit_id else None
    if "employment_status" in changed:
        payload["employment_status"] = officer.employment_status
    ledger.record(
        agency=officer.agency,
        subject=officer,
        actor=actor,
        action="officer.updated",
        payload=payload,
    )
    return officer


@transaction.atomic
def officer_leave(
    *,
    actor,
    officer: Officer,
    left_on: date,
    reason: str,
    handed_back_on: date | None = None,
) -> Officer:
    """The officer leaves the post: every valid or suspended certificate is
    revoked with the reason, and marked handed back if a date is given
    (CERT-06 (e): 注销 on 调动、辞职、退休、辞退、刑事处罚; the certificate is handed back)."""
    _require_personnel(actor, officer.agency, "登记人员离岗")
    errors: dict[str, Any] = {}
    if officer.left_on is not None:
        errors["left_on"] = (
            f"该人员已于 {officer.left_on.isoformat()} 离岗（{officer.get_left_reason_display()}）。"
        )
    left_on = _as_date(left_on, "left_on", "离岗日期", errors)
    code = _choice(reason, LeaveReason, "reason", "离岗原因", errors)
    if handed_back_on is not None:
        handed_back_on = _as_date(handed_back_on, "handed_back_on", "证件交回日期", errors)
    certificates = list(officer.certificates.select_related("agency", "officer"))
    if left_on:
        for cert in certificates:
            if cert.status in ACTIVE_STATUSES and left_on < cert.issued_on:
                errors["left_on"] = (
                    f"离岗日期 {left_on.isoformat()} 早于证件 {cert.number} 的发证日期 "
                    f"{cert.issued_on.isoformat()}。"
                )
    if handed_back_on:
        for cert in certificates:
            if cert.handed_back_on is None and handed_back_on < cert.issued_on:
                errors["handed_back_on"] = (
                    f"证件交回日期 {handed_back_on.isoformat()} 早于证件 {cert.number} 的发证日期。"
                )
    if errors:
        raise ValidationError(errors)
    label = LeaveReason(code).label
    officer.left_on = left_on
    officer.left_reason = code
    officer.full_clean()
    officer.save()
    revoked: list[str] = []
    for cert in certificates:
        if cert.status in ACTIVE_STATUSES:
            _revoke(
                actor=actor,
                certificate=cert,
                reason=f"离岗（{label}）",
                on_date=left_on,
                handed_back_on=handed_back_on,
            )
            revoked.append(cert.number)
        elif handed_back_on and cert.handed_back_on is None:
            _hand_back(actor=actor, certificate=cert, on_date=handed_back_on)
    ledger.record(
        agency=officer.agency,
        subject=officer,
        actor=actor,
        action="officer.left",
        payload={
            "officer": str(officer.public_id),
            "left_on": left_on.isoformat(),
            "reason": code,
            "revoked": revoked,
            "handed_back_on": _iso(handed_back_on),
        },
    )
    return officer


# --------------------------------------------------------------------------
# Exams, training, legal qualification
# --------------------------------------------------------------------------


@transaction.atomic
def exam_record(
    *,
    actor,
    officer: Officer,
    kind: str,
    taken_on: date,
    passed: bool,
    score: Decimal | str | int | None = None,
    category: EnforcementCategory | str | None = None,
) -> Exam:
    _require_personnel(actor, officer.agency, "登记执法资格考试")
    errors: dict[str, Any] = {}
    kind = _choice(kind, ExamKind, "kind", "考试类型", errors)
    taken_on = _as_date(taken_on, "taken_on", "考试日期", errors)
    if not isinstance(passed, bool):
        errors["passed"] = "请填写是否通过。"
    if score not in (None, ""):
        try:
            score = Decimal(str(score))
        except InvalidOperation:
            errors["score"] = f"成绩“{score}”不是数字。"
        else:
            if not Decimal(0) <= score <= Decimal(100):
                errors["score"] = "成绩应在 0 到 100 之间。"
    else:
        score = None
    if category not in (None, ""):
        cats = _categories([category], errors)
        if "categories" in errors:
            errors["category"] = errors.pop("categories")
        category = cats[0] if cats else None
        if kind == ExamKind.GENERAL and category is not None:
            errors["category"] = "通用法律知识考试不分执法类别。"
    else:
        category = None
    if errors:
        raise ValidationError(errors)
    exam = Exam(
        officer=officer,
        kind=kind,
        taken_on=taken_on,
        passed=passed,
        score=score,
        category=category,
    )
    exam.full_clean()
    exam.save()
    ledger.record(
        agency=officer.agency,
        subject=officer,
        actor=actor,
        action="exam.recorded",
        payload={
            "officer": str(officer.public_id),
            "kind": kind,
            "category": category.code if category else None,
            "taken_on": taken_on.isoformat(),
            "passed": passed,
            "score": str(score) if score is not None else None,
        },
    )
    return exam


@transaction.atomic
def training_record(
    *,
    actor,
    officer: Officer,
    year: int,
    title: str,
    hours: Decimal | str | int,
    completed_on: date,
) -> Training:
    _require_personnel(actor, officer.agency, "登记执法培训")
    errors: dict[str, Any] = {}
    title = str(title or "").strip()
    if not title:
        errors["title"] = "请填写培训名称。"
    elif len(title) > 200:
        errors["title"] = "培训名称不能超过 200 个字。"
    try:
        hours = Decimal(str(hours))
    except InvalidOperation:
        errors["hours"] = f"学时“{hours}”不是数字。"
    else:
        if not Decimal(0) < hours < Decimal(1000):
            errors["hours"] = "学时必须大于 0 且小于 1000。"
        elif hours != hours.quantize(Decimal("0.1")):
            errors["hours"] = "学时最多保留一位小数。"
    completed_on = _as_date(completed_on, "completed_on", "完成日期", errors)
    if not isinstance(year, int) or isinstance(year, bool):
        errors["year"] = "请填写年度（四位数字）。"
    elif completed_on and completed_on.year != year:
        errors["year"] = f"完成日期 {completed_on.isoformat()} 不在 {year} 年度内。"
    if errors:
        raise ValidationError(errors)
    training = Training(
        officer=officer, year=year, title=title, hours=hours, completed_on=completed_on
    )
    training.full_clean()
    training.save()
    ledger.record(
        agency=officer.agency,
        subject=officer,
        actor=actor,
        action="training.recorded",
        payload={
            "officer": str(officer.public_id),
            "year": year,
            "title": title,
            "hours": str(hours),
            "completed_on": completed_on.isoformat(),
        },
    )
    return training


@transaction.atomic
def legal_qualification_record(
    *, actor, officer: Officer, certificate_number: str, obtained_on: date
) -> LegalQualification:
    """法律职业资格, required of a first-time penalty legal reviewer (APL-23)."""
    _require_personnel(actor, officer.agency, "登记法律职业资格")
    errors: dict[str, Any] = {}
    number = str(certificate_number or "").strip()
    if not number:
        errors["certificate_number"] = "请填写法律职业资格证书编号。"
    elif len(number) > 40:
        errors["certificate_number"] = "证书编号不能超过 40 个字符。"
    elif LegalQualification.objects.filter(certificate_number=number).exists():
        errors["certificate_number"] = f"法律职业资格证书编号 {number} 已登记。"
    if LegalQualification.objects.filter(officer=officer).exists():
        errors["officer"] = "该人员的法律职业资格已登记。"
    obtained_on = _as_date(obtained_on, "obtained_on", "取得日期", errors)
    if errors:
        raise ValidationError(errors)
    qualification = LegalQualification(
        officer=officer, certificate_number=number, obtained_on=obtained_on
    )
    qualification.full_clean()
    qualification.save()
    ledger.record(
        agency=officer.agency,
        subject=officer,
        actor=actor,
        action="legal_qualification.recorded",
        payload={
            "officer": str(officer.public_id),
            "certificate_number": number,
            "obtained_on": obtained_on.isoformat(),
        },
    )
    return qualification


# --------------------------------------------------------------------------
# Certificates
# --------------------------------------------------------------------------


def _record_certificate(
    *,
    actor,
    certificate: Certificate,
    event: str,
    ledger_action: str,
    reason: str,
    on_date: date,
    payload: dict[str, Any] | None = None,
) -> CertificateEvent:
    """The ledger record and the certificate's own event, tied by the seq."""
    entry = ledger.record(
        agency=certificate.agency,
        subject=certificate,
        actor=actor,
        action=ledger_action,
        payload={
            "certificate": certificate.number,
            "officer": str(certificate.officer.public_id),
            "status": certificate.status,
            "on_date": on_date.isoformat(),
            "reason": reason,
            **(payload or {}),
        },
    )
    return CertificateEvent.objects.create(
        certificate=certificate,
        action=event,
        reason=reason[:_REASON_MAX],
        on_date=on_date,
        actor=_user_or_none(actor),
        ledger_seq=entry.seq,
    )


def _check_issue(
    *,
    officer: Officer,
    number: str,
    categories: Iterable,
    area: Region | None,
    issued_on: date,
    expires_on: date | None,
    replacing: Certificate | None = None,
) -> tuple[dict[str, Any], str, list[EnforcementCategory]]:
    """Every reason a certificate may not be issued, keyed by field."""
    errors: dict[str, Any] = {}
    agency = officer.agency
    person: list[str] = []
    if officer.is_auxiliary:
        person.append(
            f"{officer.name}是执法辅助人员，不具有行政执法资格，不能发放执法证件（{CERT_04}）。"
        )
    if officer.left_on is not None:
        person.append(
            f"{officer.name}已于 {officer.left_on.isoformat()} 离岗"
            f"（{officer.get_left_reason_display()}），不能发放执法证件（{CERT_06_E}）。"
        )
    if officer.employment_status not in ELIGIBLE_STATUSES:
        person.append(
            f"{officer.name}的编制状态为“{officer.get_employment_status_display()}”，"
            f"只有在编、在职人员可以申领执法证件（{CERT_06_B}）。"
        )
    active = officer.certificates.filter(status__in=ACTIVE_STATUSES)
    if replacing is not None:
        active = active.exclude(pk=replacing.pk)
    current = active.first()
    if current is not None:
        person.append(
            f"{officer.name}已持有未注销的执法证件（编号 {current.number}），"
            "如需变更类别或区域请办理换发。"
        )

    number = str(number or "").strip()
    if not number:
        errors["number"] = "请填写证件编号。"
    elif len(number) > 40:
        errors["number"] = "证件编号不能超过 40 个字符。"
    else:
        taken = Certificate.objects.filter(number=number).select_related("officer").first()
        if taken is not None:
            errors["number"] = (
                f"证件编号 {number} 已被 {taken.officer.name} 的证件使用："
                "每个执法证件编号只能登记一次。"
            )

    cats = _categories(categories, errors)
    if cats:
        allowed = set(agency.categories.values_list("pk", flat=True))
        outside = [c.name for c in cats if c.pk not in allowed]
        if outside:
            held = "、".join(agency.categories.values_list("name", flat=True)) or "未登记"
            errors["categories"] = (
                f"执法类别“{'、'.join(outside)}”不在“{agency.name}”的执法职权范围内"
                f"（本机关：{held}）；执法证件的类别不能超出本机关的职权。"
            )

    if not isinstance(area, Region):
        errors["area"] = "请选择执法区域。"
    elif not agency.region.contains(area):
        errors["area"] = (
            f"执法区域“{area.name}”不在“{agency.name}”所在的{agency.region.name}辖区内。"
        )

    issued_on = _as_date(issued_on, "issued_on", "发证日期", errors)
    if expires_on is not None:
        if isinstance(expires_on, datetime) or not isinstance(expires_on, date):
            errors["expires_on"] = "请填写有效期至（日期）。"
        elif issued_on and expires_on <= issued_on:
            errors["expires_on"] = (
                f"有效期至（{expires_on.isoformat()}）必须晚于发证日期（{issued_on.isoformat()}）。"
            )

    # Exams taken by the issue date (CERT-06 (a)): the general legal knowledge
    # exam, and the professional exam for each category (an exam recorded
    # without a category counts for any).
    if issued_on:
        passed = officer.exams.filter(passed=True, taken_on__lte=issued_on)
        if not passed.filter(kind=ExamKind.GENERAL).exists():
            person.append(
                f"{officer.name}在发证日期前没有通过的通用法律知识考试记录"
                "（rules.md CERT-06 (a)（省级规定示例））。"
            )
        professional = passed.filter(kind=ExamKind.PROFESSIONAL)
        if not professional.filter(category__isnull=True).exists():
            covered = set(professional.values_list("category_id", flat=True))
            missing = [c.name for c in cats if c.pk not in covered]
            if missing:
                person.append(
                    f"{officer.name}在发证日期前没有通过“{'、'.join(missing)}”专业法律知识考试"
                    "（rules.md CERT-06 (a)（省级规定示例））。"
                )
    if person:
        errors["officer"] = person
    return errors, number, cats


def _schedule_reviews(certificate: Certificate) -> list[date]:
    """年审 due every configured interval from the issue date, before expiry
    (CERT-06 (d)). One review per year: a shorter interval that falls twice in
    one year keeps the earlier date."""
    interval = int(
        rule_value(
            "certificate.annual_review_interval",
            region_code=certificate.agency.region.code,
            on_date=certificate.issued_on,
        )
    )
    dues: dict[int, date] = {}
    k = 1
    while interval > 0:
        due = add_months(certificate.issued_on, k * interval)
        if due >= certificate.expires_on:
            break
        dues.setdefault(due.year, due)
        k += 1
    AnnualReview.objects.bulk_create(
        [AnnualReview(certificate=certificate, year=y, due_on=d) for y, d in dues.items()]
    )
    return sorted(dues.values())


def _issue(
    *,
    actor,
    officer: Officer,
    number: str,
    categories: list[EnforcementCategory],
    area: Region,
    issued_on: date,
    expires_on: date | None,
    renewed_from: Certificate | None = None,
) -> Certificate:
    if expires_on is None:
        expires_on = deadline(
            "certificate.validity", issued_on, region_code=officer.agency.region.code
        ).due
    certificate = Certificate(
        number=number,
        officer=officer,
        agency=officer.agency,
        area=area,
        issued_on=issued_on,
        expires_on=expires_on,
        status=CertificateStatus.VALID,
        renewed_from=renewed_from,
    )
    certificate.full_clean()
    certificate.save()
    certificate.categories.set(categories)
    reviews = _schedule_reviews(certificate)
    _record_certificate(
        actor=actor,
        certificate=certificate,
        event=CertificateEvent.Action.ISSUED,
        ledger_action="certificate.issued",
        reason=f"换发（原证件 {renewed_from.number}）" if renewed_from else "发证",
        on_date=issued_on,
        payload={
            "categories": sorted(c.code for c in categories),
            "area": area.code,
            "issued_on": issued_on.isoformat(),
            "expires_on": expires_on.isoformat(),
            "renewed_from": renewed_from.number if renewed_from else None,
            "reviews_due": [d.isoformat() for d in reviews],
        },
    )
    return certificate


@transaction.atomic
def certificate_issue(
    *,
    actor,
    officer: Officer,
    number: str,
    categories: Iterable,
    area: Region,
    issued_on: date,
    expires_on: date | None = None,
) -> Certificate:
    """Issue a certificate (行政处罚法 第四十二条: only qualified officers enforce)."""
    _require_personnel(actor, officer.agency, "发放执法证件")
    errors, number, cats = _check_issue(
        officer=officer,
        number=number,
        categories=categories,
        area=area,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    if errors:
        raise ValidationError(errors)
    return _issue(
        actor=actor,
        officer=officer,
        number=number,
        categories=cats,
        area=area,
        issued_on=issued_on,
        expires_on=expires_on,
    )


def _check_status_date(certificate: Certificate, on_date: Any, label: str, errors: dict):
    day = _as_date(on_date, "on_date", label, errors)
    if day and day < certificate.issued_on:
        errors["on_date"] = (
            f"{label}（{day.isoformat()}）早于发证日期（{certificate.issued_on.isoformat()}）。"
        )
        return None
    return day


def _set_status(certificate: Certificate, status: str, reason: str) -> None:
    certificate.status = status
    certificate.status_reason = reason[:_REASON_MAX]
    certificate.save(update_fields=["status", "status_reason", "handed_back_on", "updated_at"])


@transaction.atomic
def certificate_suspend(
    *, actor, certificate: Certificate, reason: str, on_date: date
) -> Certificate:
    _require_personnel(actor, certificate.agency, "暂扣执法证件")
    errors: dict[str, Any] = {}
    reason = _reason(reason, errors)
    on_date = _check_status_date(certificate, on_date, "暂扣日期", errors)
    if certificate.status != CertificateStatus.VALID:
        errors["status"] = (
            f"证件 {certificate.number} 当前为“{certificate.get_status_display()}”，"
            "只有有效的证件才能暂扣。"
        )
    if errors:
        raise ValidationError(errors)
    _set_status(certificate, CertificateStatus.SUSPENDED, reason)
    _record_certificate(
        actor=actor,
        certificate=certificate,
        event=CertificateEvent.Action.SUSPENDED,
        ledger_action="certificate.suspended",
        reason=reason,
        on_date=on_date,
    )
    return certificate


@transaction.atomic
def certificate_reinstate(
    *, actor, certificate: Certificate, reason: str, on_date: date
) -> Certificate:
    _require_personnel(actor, certificate.agency, "恢复执法证件")
    errors: dict[str, Any] = {}
    reason = _reason(reason, errors)
    on_date = _check_status_date(certificate, on_date, "恢复日期", errors)
    if certificate.status != CertificateStatus.SUSPENDED:
        errors["status"] = (
            f"证件 {certificate.number} 当前为“{certificate.get_status_display()}”，"
            "只有被暂扣的证件才能恢复。"
        )
    elif on_date and on_date > certificate.expires_on:
        errors["status"] = (
            f"证件 {certificate.number} 已于 {certificate.expires_on.isoformat()} 到期，"
            "不能恢复，请办理换发。"
        )
    if not certificate.officer.on_post:
        errors["status"] = f"{certificate.officer.name}已离岗，证件不能恢复（{CERT_06_E}）。"
    if errors:
        raise ValidationError(errors)
    _set_status(certificate, CertificateStatus.VALID, reason)
    _record_certificate(
        actor=actor,
        certificate=certificate,
        event=CertificateEvent.Action.REINSTATED,
        ledger_action="certificate.reinstated",
        reason=reason,
        on_date=on_date,
    )
    return certificate


def _revoke(
    *,
    actor,
    certificate: Certificate,
    reason: str,
    on_date: date,
    handed_back_on: date | None,
) -> None:
    _set_status(certificate, CertificateStatus.REVOKED, reason)
    _record_certificate(
        actor=actor,
        certificate=certificate,
        event=CertificateEvent.Action.REVOKED,
        ledger_action="certificate.revoked",
        reason=reason,
        on_date=on_date,
    )
    if handed_back_on is not None and certificate.handed_back_on is None:
        _hand_back(actor=actor, certificate=certificate, on_date=handed_back_on)


def _hand_back(*, actor, certificate: Certificate, on_date: date) -> None:
    certificate.handed_back_on = on_date
    certificate.save(update_fields=["handed_back_on", "updated_at"])
    _record_certificate(
        actor=actor,
        certificate=certificate,
        event=CertificateEvent.Action.HANDED_BACK,
        ledger_action="certificate.handed_back",
        reason="证件已交回",
        on_date=on_date,
    )


@transaction.atomic
def certificate_revoke(
    *,
    actor,
    certificate: Certificate,
    reason: str,
    on_date: date,
    handed_back_on: date | None = None,
) -> Certificate:
    """注销 (CERT-06 (e))."""
    _require_personnel(actor, certificate.agency, "注销执法证件")
    errors: dict[str, Any] = {}
    reason = _reason(reason, errors)
    on_date = _check_status_date(certificate, on_date, "注销日期", errors)
    if certificate.status not in ACTIVE_STATUSES:
        errors["status"] = (
            f"证件 {certificate.number} 当前为“{certificate.get_status_display()}”，"
            "只有有效或被暂扣的证件才能注销。"
        )
    if handed_back_on is not None:
        inner: dict[str, Any] = {}
        handed_back_on = _check_status_date(certificate, handed_back_on, "证件交回日期", inner)
        if inner:
            errors["handed_back_on"] = inner["on_date"]
    if errors:
        raise ValidationError(errors)
    _revoke(
        actor=actor,
        certificate=certificate,
        reason=reason,
        on_date=on_date,
        handed_back_on=handed_back_on,
    )
    return certificate


@transaction.atomic
def certificate_hand_back(*, actor, certificate: Certificate, on_date: date) -> Certificate:
    _require_personnel(actor, certificate.agency, "登记证件交回")
    errors: dict[str, Any] = {}
    on_date = _check_status_date(certificate, on_date, "证件交回日期", errors)
    if certificate.handed_back_on is not None:
        errors["handed_back_on"] = (
            f"证件 {certificate.number} 已于 {certificate.handed_back_on.isoformat()} 交回。"
        )
    elif certificate.status == CertificateStatus.VALID:
        errors["status"] = (
            f"证件 {certificate.number} 仍然有效：请先注销或暂扣，再登记交回（{CERT_06_E}）。"
        )
    if errors:
        raise ValidationError(errors)
    _hand_back(actor=actor, certificate=certificate, on_date=on_date)
    return certificate


@transaction.atomic
def certificate_renew(
    *,
    actor,
    certificate: Certificate,
    number: str,
    issued_on: date,
    expires_on: date | None = None,
    categories: Iterable | None = None,
    area: Region | None = None,
) -> Certificate:
    """换发: a new certificate replaces this one, which ends as expired ("换发")."""
    _require_personnel(actor, certificate.agency, "换发执法证件")
    old = certificate
    if categories is None:
        categories = list(old.categories.all())
    if area is None:
        area = old.area
    errors, number, cats = _check_issue(
        officer=old.officer,
        number=number,
        categories=categories,
        area=area,
        issued_on=issued_on,
        expires_on=expires_on,
        replacing=old,
    )
    if old.status in (CertificateStatus.REVOKED, CertificateStatus.SUSPENDED):
        errors["status"] = (
            f"证件 {old.number} 当前为“{old.get_status_display()}”，不能换发"
            "（被暂扣的证件须先恢复，已注销的证件须重新申领）。"
        )
    elif isinstance(issued_on, date) and issued_on < old.issued_on:
        errors["issued_on"] = f"换发日期不能早于原证件的发证日期（{old.issued_on.isoformat()}）。"
    if errors:
        raise ValidationError(errors)
    reason = f"换发（新证件 {number}）"
    if old.status == CertificateStatus.VALID:
        _set_status(old, CertificateStatus.EXPIRED, reason)
    _record_certificate(
        actor=actor,
        certificate=old,
        event=CertificateEvent.Action.RENEWED,
        ledger_action="certificate.renewed",
        reason=reason,
        on_date=issued_on,
        payload={"renewed_by": number},
    )
    return _issue(
        actor=actor,
        officer=old.officer,
        number=number,
        categories=cats,
        area=area,
        issued_on=issued_on,
        expires_on=expires_on,
        renewed_from=old,
    )


@transaction.atomic
def certificates_expire(*, actor, today: date) -> int:
    """Mark valid certificates past their date expired; returns how many.

    Runs daily; only certificates of agencies the actor manages are touched."""
    if isinstance(today, datetime) or not isinstance(today, date):
        raise ValidationError({"today": "请提供日期。"})
    due = (
        Certificate.objects.filter(status=CertificateStatus.VALID, expires_on__lt=today)
        .select_related("agency__region", "officer")
        .order_by("expires_on", "number")
    )
    allowed: dict[int, bool] = {}
    count = 0
    for cert in due:
        if cert.agency_id not in allowed:
            allowed[cert.agency_id] = can_manage_personnel(actor, cert.agency)
        if not allowed[cert.agency_id]:
            continue
        reason = f"有效期届满（有效期至 {cert.expires_on.isoformat()}）"
        _set_status(cert, CertificateStatus.EXPIRED, reason)
        _record_certificate(
            actor=actor,
            certificate=cert,
            event=CertificateEvent.Action.EXPIRED,
            ledger_action="certificate.expired",
            reason=reason,
            on_date=cert.expires_on + timedelta(days=1),
        )
        count += 1
    return count


def certificates_expire_job() -> str:
    """The daily job (`zhifa worker`): expire what is due today, as the platform."""
    from zhifa.orgs.services import SYSTEM

    count = certificates_expire(actor=SYSTEM, today=timezone.localdate())
    return f"{count} 张执法证件有效期届满，已标记为过期。" if count else "没有到期的执法证件。"


@transaction.atomic
def annual_review_record(
    *,
    actor,
    certificate: Certificate,
    year: int,
    outcome: str,
    reviewed_on: date,
    note: str = "",
) -> AnnualReview:
    """年审 (CERT-06 (d)); a failed review suspends the certificate."""
    _require_personnel(actor, certificate.agency, "登记执法证件年审")
    errors: dict[str, Any] = {}
    outcome = _choice(outcome, ReviewOutcome, "outcome", "年审结果", errors)
    reviewed_on = _check_status_date(certificate, reviewed_on, "审核日期", errors)
    if "on_date" in errors:
        errors["reviewed_on"] = errors.pop("on_date")
    note = str(note or "").strip()
    if len(note) > _REASON_MAX:
        errors["note"] = f"说明不能超过 {_REASON_MAX} 个字。"
    if not isinstance(year, int) or isinstance(year, bool):
        errors["year"] = "请填写年度（四位数字）。"
    elif not certificate.issued_on.year <= year <= certificate.expires_on.year:
        errors["year"] = (
            f"{year} 年度不在证件有效期内（{certificate.issued_on.isoformat()} 至 "
            f"{certificate.expires_on.isoformat()}）。"
        )
    review = None
    if "year" not in errors:
        review = AnnualReview.objects.filter(certificate=certificate, year=year).first()
        if review is not None and review.outcome:
            errors["year"] = (
                f"证件 {certificate.number} 的 {year} 年度年审已登记（{review.get_outcome_display()}）。"
            )
    if certificate.status not in ACTIVE_STATUSES:
        errors["status"] = (
            f"证件 {certificate.number} 当前为“{certificate.get_status_display()}”，不需要年审。"
        )
    if errors:
        raise ValidationError(errors)
    if review is None:
        review = AnnualReview(certificate=certificate, year=year, due_on=reviewed_on)
    review.reviewed_on = reviewed_on
    review.outcome = outcome
    review.note = note
    review.full_clean()
    review.save()
    label = ReviewOutcome(outcome).label
    _record_certificate(
        actor=actor,
        certificate=certificate,
        event=CertificateEvent.Action.REVIEWED,
        ledger_action="certificate.reviewed",
        reason=f"{year} 年度年审{label}" + (f"：{note}" if note else ""),
        on_date=reviewed_on,
        payload={"year": year, "outcome": outcome, "due_on": review.due_on.isoformat()},
    )
    if outcome == ReviewOutcome.FAILED and certificate.status == CertificateStatus.VALID:
        reason = f"{year} 年度年审不合格"
        _set_status(certificate, CertificateStatus.SUSPENDED, reason)
        _record_certificate(
            actor=actor,
            certificate=certificate,
            event=CertificateEvent.Action.SUSPENDED,
            ledger_action="certificate.suspended",
            reason=reason,
            on_date=reviewed_on,
        )
    return review


# --------------------------------------------------------------------------
# Certification targets (configuration, not an enforcement fact: no ledger)
# --------------------------------------------------------------------------


@transaction.atomic
def certification_target_save(*, actor, target: CertificationTarget) -> CertificationTarget:
    """Set a region's 持证率 target; only an administrator of that region may."""
    region = target.region if target.region_id else None
    if not can_administer(actor, region):
        where = f"“{region.name}”" if region else "平台"
        raise PermissionDenied(f"您无权设定{where}的持证率目标：需要该区域的系统管理员角色。")
    errors: dict[str, str] = {}
    for field in ("department_target", "township_target"):
        value = getattr(target, field)
        if value is None or not Decimal(0) < Decimal(value) <= Decimal(1):
            errors[field] = "持证率目标应大于 0 且不超过 1（例如 0.7 表示 70%）。"
    if not str(target.basis or "").strip():
        errors["basis"] = "请填写设定该目标的本地文件名称与条款。"
    if errors:
        raise ValidationError(errors)
    # The model's constraint message contains a bare "%", which Django's
    # %-formatting of violation messages cannot render; the range is checked
    # above with the same meaning.
    target.full_clean(validate_constraints=False)
    target.save()
    return target
