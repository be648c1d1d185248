"""The qualification gate every enforcement step passes (rules.md §15.1 item 1).

`enforcement_check(officers, item_category, area, on_date)` says whether these
people may carry out an act in `item_category` in `area` on `on_date`: at least
two enforcement officers (行政处罚法 第四十二条, APL-07; 行政强制法 第十七条、
第十八条; 行政许可法 第三十四条), each on post and holding a certificate valid
on that date that covers the category and the area. Auxiliaries (执法辅助人员)
may assist, but never count toward the two and never act alone (CERT-04,
INS-01). A pure read: it writes nothing and records nothing; the step that
calls it records its outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from zhifa.officers.models import Certificate, CertificateStatus, Officer
from zhifa.orgs.models import EnforcementCategory, Region

# The law that requires two qualified officers, by the kind of act (the
# glossary's 执法类型 codes). Other kinds fall back to the platform's gate rule.
ACT_CITATIONS: dict[str, str] = {
    "penalty": "行政处罚法 第四十二条（APL-07）",
    "coercion": "行政强制法 第十七条、第十八条（ACL-01、ACL-02）",
    "license": "行政许可法 第三十四条（ALL-04）",
    "inspection": "行政处罚法 第四十二条、第五十五条；rules.md INS-01",
}
DEFAULT_CITATION = "rules.md §15.1 第 1 项（APL-07、ACL-02、ALL-04、CERT-01..04）"
AUXILIARY_CITATION = "rules.md CERT-04、INS-01"
SCOPE_CITATION = "rules.md §15.1 第 1 项；CERT-06 (c)（执法类别与执法区域）"
LEFT_CITATION = "rules.md CERT-06 (e)"

MIN_OFFICERS = 2


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    citation: str
    officer: Officer | None = None

    def __str__(self) -> str:
        return f"{self.message}（{self.citation}）"


@dataclass
class EnforcementCheck:
    allowed: bool
    refusals: list[Refusal] = field(default_factory=list)
    # Certified officers that count toward the two.
    counted: list[Officer] = field(default_factory=list)
    # Auxiliaries: they may assist, they are never counted.
    assisting: list[Officer] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.refusals]

    @property
    def messages(self) -> list[str]:
        return [str(r) for r in self.refusals]


def _category(value: EnforcementCategory | str) -> tuple[int | None, str, str]:
    """(pk, code, name) of a category given as an instance or a code."""
    if isinstance(value, EnforcementCategory):
        return value.pk, value.code, value.name
    found = EnforcementCategory.objects.filter(code=str(value)).first()
    if found is None:
        return None, str(value), str(value)
    return found.pk, found.code, found.name


def _region(value: Region | str) -> Region:
    if isinstance(value, Region):
        return value
    return Region.objects.get(code=str(value))


def _on_post(officer: Officer, on_date: date) -> bool:
    # left_on is the first day off the post.
    return officer.left_on is None or on_date < officer.left_on


def _certificate_problems(
    officer: Officer,
    cert: Certificate,
    *,
    category_pk: int | None,
    category_name: str,
    area: Region,
    on_date: date,
    qualification: str,
) -> list[Refusal]:
    """Why `cert` does not let `officer` act; empty if it does."""
    who = f"{officer.name}的执法证件（编号 {cert.number}）"
    if cert.status == CertificateStatus.REVOKED:
        return [
            Refusal(
                "revoked",
                f"{who}已被注销" + (f"（{cert.status_reason}）" if cert.status_reason else ""),
                qualification,
                officer,
            )
        ]
    if cert.status == CertificateStatus.SUSPENDED:
        return [
            Refusal(
                "suspended",
                f"{who}已被暂扣" + (f"（{cert.status_reason}）" if cert.status_reason else ""),
                qualification,
                officer,
            )
        ]
    if cert.status == CertificateStatus.EXPIRED or on_date > cert.expires_on:
        return [
            Refusal(
                "expired",
                f"{who}已于 {cert.expires_on.isoformat()} 过期",
                qualification,
                officer,
            )
        ]
    if on_date < cert.issued_on:
        return [
            Refusal(
                "not_yet_valid",
                f"{who}自 {cert.issued_on.isoformat()} 起才生效，{on_date.isoformat()} 尚未生效",
                qualification,
                officer,
            )
        ]
    problems = []
    if category_pk is None or category_pk not in {c.pk for c in cert.categories.all()}:
        held = "、".join(c.name for c in cert.categories.all()) or "无"
        problems.append(
            Refusal(
                "wrong_category",
                f"{who}的执法类别（{held}）不包括“{category_name}”",
                SCOPE_CITATION,
                officer,
            )
        )
    if not cert.area.contains(area):
        problems.append(
            Refusal(
                "wrong_area",
                f"{who}的执法区域（{cert.area.name}）不包括“{area.name}”",
                SCOPE_CITATION,
                officer,
            )
        )
    return problems


def _officer_problems(
    officer: Officer,
    *,
    category_pk: int | None,
    category_name: str,
    area: Region,
    on_date: date,
    qualification: str,
) -> list[Refusal]:
    if not _on_post(officer, on_date):
        return [
            Refusal(
                "left_post",
                f"{officer.name}已于 {officer.left_on.isoformat()} 离岗"
                f"（{officer.get_left_reason_display()}），不再具有执法资格",
                LEFT_CITATION,
                officer,
            )
        ]
    certs = sorted(officer.certificates.all(), key=lambda c: (c.issued_on, c.pk), reverse=True)
    if not certs:
        return [
            Refusal(
                "no_certificate",
                f"{officer.name}没有执法证件，不具有行政执法资格",
                qualification,
                officer,
            )
        ]
    best: list[Refusal] | None = None
    for cert in certs:
        problems = _certificate_problems(
            officer,
            cert,
            category_pk=category_pk,
            category_name=category_name,
            area=area,
            on_date=on_date,
            qualification=qualification,
        )
        if not problems:
            return []
        # A certificate valid on the date but outside the category or area
        # explains the refusal better than an older, ended one.
        in_force = problems[0].code in ("wrong_category", "wrong_area")
        if best is None or (in_force and best[0].code not in ("wrong_category", "wrong_area")):
            best = problems
    return best or []


def enforcement_check(
    officers: Iterable[Officer],
    item_category: EnforcementCategory | str,
    area: Region | str,
    on_date: date,
    *,
    kind: str = "penalty",
) -> EnforcementCheck:
    """Allowed, or refused with every reason (in Chinese, with its citation).

    `kind` is the 执法类型 of the act (penalty, coercion, license, inspection,
    …) and chooses the citation; the test is the same for all.
    """
    qualification = ACT_CITATIONS.get(kind, DEFAULT_CITATION)
    category_pk, _code, category_name = _category(item_category)
    region = _region(area)

    unique: list[Officer] = []
    seen: set[int] = set()
    duplicated: list[Officer] = []
    for officer in officers:
        if officer.pk in seen:
            if officer.pk not in {d.pk for d in duplicated}:
                duplicated.append(officer)
            continue
        seen.add(officer.pk)
        unique.append(officer)
    # One query for every certificate and its categories and area.
    fetched = {
        o.pk: o
        for o in Officer.objects.filter(pk__in=seen).prefetch_related(
            "certificates__categories", "certificates__area"
        )
    }
    unique = [fetched.get(o.pk, o) for o in unique]

    refusals: list[Refusal] = []
    counted: list[Officer] = []
    assisting: list[Officer] = []
    for officer in unique:
        if officer.is_auxiliary:
            assisting.append(officer)
            continue
        problems = _officer_problems(
            officer,
            category_pk=category_pk,
            category_name=category_name,
            area=region,
            on_date=on_date,
            qualification=qualification,
        )
        if problems:
            refusals.extend(problems)
        else:
            counted.append(officer)

    if len(counted) < MIN_OFFICERS:
        if counted:
            names = "、".join(o.name for o in counted)
            text = f"具有执法资格的执法人员只有 {len(counted)} 名（{names}），不得少于两人"
        else:
            text = "没有具有执法资格的执法人员，执法人员不得少于两人"
        refusals.insert(0, Refusal("too_few", text, qualification))
        if assisting and len(assisting) == len(unique):
            names = "、".join(o.name for o in assisting)
            refusals.append(
                Refusal(
                    "auxiliary_only",
                    f"只有执法辅助人员（{names}）：执法辅助人员不具有行政执法资格，不能单独执法",
                    AUXILIARY_CITATION,
                )
            )
        else:
            for aux in assisting:
                refusals.append(
                    Refusal(
                        "auxiliary_not_counted",
                        f"{aux.name}是执法辅助人员，只能在执法人员指挥下从事辅助工作，"
                        "不计入执法人员人数",
                        AUXILIARY_CITATION,
                        aux,
                    )
                )
        for dup in duplicated:
            refusals.append(
                Refusal(
                    "duplicate",
                    f"{dup.name}在名单中重复出现，只计算一次",
                    qualification,
                    dup,
                )
            )
    return EnforcementCheck(
        allowed=not refusals, refusals=refusals, counted=counted, assisting=assisting
    )
