"""Public reads for 执法人员公示 and 执法证件核验, and the lookup rate limit.

Only what the implementation plans make public leaves this module: name, unit,
post, certificate number, categories, area and status (issue 4 item 5). ID
numbers and phones are never selected into the public rows, so a template
cannot show them by mistake. Auxiliaries (执法辅助人员) are listed by name and
unit only, marked as holding no certificate, so a citizen can tell who may
not enforce. Status reasons are not published (they can be personal, e.g.
受到刑事处罚); the status itself is.
"""

from __future__ import annotations

import ipaddress
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet

from zhifa.officers import qr
from zhifa.officers.models import Certificate, CertificateStatus, Officer
from zhifa.orgs.models import Agency

AUXILIARY_LABEL = "执法辅助人员（无执法证件）"

# --------------------------------------------------------------------------- 执法人员公示


@dataclass(frozen=True)
class AgencySummary:
    agency: Agency
    officers: int  # officers on post holding a certificate (any status)
    certified: int  # of them, holding a certificate valid today
    auxiliaries: int


def agency_list_for_public(*, today: date, query: str = "") -> list[AgencySummary]:
    """Every agency, with how many officers it publishes and how many may enforce today."""
    agencies = Agency.objects.select_related("region").order_by("region__code", "name")
    if query:
        agencies = agencies.filter(name__icontains=query)
    agencies = agencies.annotate(
        auxiliary_count=Count(
            "officers",
            filter=Q(officers__is_auxiliary=True, officers__left_on__isnull=True),
            distinct=True,
        )
    )
    current = _current_certificates().filter(
        officer__left_on__isnull=True, officer__is_auxiliary=False
    )
    listed = dict(current.values_list("agency_id").annotate(n=Count("officer_id", distinct=True)))
    certified = dict(
        current.valid_on(today)
        .values_list("agency_id")
        .annotate(n=Count("officer_id", distinct=True))
    )
    return [
        AgencySummary(
            agency=a,
            officers=listed.get(a.pk, 0),
            certified=certified.get(a.pk, 0),
            auxiliaries=a.auxiliary_count,
        )
        for a in agencies
    ]


def agency_get_for_public(*, public_id) -> Agency:
    """Raises Agency.DoesNotExist (or ValidationError for a malformed id)."""
    return Agency.objects.select_related("region").get(public_id=public_id)


@dataclass(frozen=True)
class PublicOfficerRow:
    name: str
    unit: str
    post: str
    certificate_number: str
    categories: list[str]
    area: str
    status: str
    status_label: str

    @property
    def valid(self) -> bool:
        return self.status == CertificateStatus.VALID


@dataclass(frozen=True)
class PublicAuxiliaryRow:
    name: str
    unit: str
    label: str = AUXILIARY_LABEL


@dataclass(frozen=True)
class Roster:
    officers: list[PublicOfficerRow] = field(default_factory=list)
    auxiliaries: list[PublicAuxiliaryRow] = field(default_factory=list)


def _current_certificates() -> QuerySet[Certificate]:
    # A certificate replaced by renewal (换发) is history, not the officer's certificate.
    return Certificate.objects.filter(renewed_by__isnull=True)


def public_status(certificate: Certificate, today: date) -> str:
    """有效 / 暂扣 / 注销 / 过期 as of ``today``; not yet in force counts as not valid."""
    status = certificate.status_on(today)
    if status == CertificateStatus.VALID and certificate.issued_on > today:
        return "not_yet_valid"
    return status


STATUS_LABELS = {
    **{s.value: s.label for s in CertificateStatus},
    "not_yet_valid": "尚未生效",
}


def officer_roster_for_public(agency: Agency, *, today: date, query: str = "") -> Roster:
    """The agency's officers on post with their current certificates, and its auxiliaries.

    ``query`` matches a name or a certificate number (part of it is enough).
    Officers on post without any certificate are not 执法人员 and are not listed.
    """
    query = normalize_certificate_number(query) if query else ""
    base = (
        Officer.objects.on_post()
        .filter(agency=agency)
        .select_related("unit")
        .only("name", "post", "is_auxiliary", "unit__name", "agency_id")
        .order_by("unit__name", "name", "pk")
    )
    certs = (
        _current_certificates()
        .select_related("area")
        .prefetch_related("categories")
        .only("number", "status", "issued_on", "expires_on", "officer_id", "area__name")
        .order_by("number")
    )
    enforcing = base.filter(is_auxiliary=False, certificates__in=_current_certificates())
    if query:
        enforcing = enforcing.filter(
            Q(name__icontains=query) | Q(certificates__number__icontains=query)
        )
    enforcing = enforcing.distinct().prefetch_related(
        Prefetch("certificates", queryset=certs, to_attr="public_certificates")
    )
    rows: list[PublicOfficerRow] = []
    for officer in enforcing:
        for cert in officer.public_certificates:
            status = public_status(cert, today)
            rows.append(
                PublicOfficerRow(
                    name=officer.name,
                    unit=officer.unit.name if officer.unit_id else "",
                    post=officer.post,
                    certificate_number=cert.number,
                    categories=[c.name for c in cert.categories.all()],
                    area=cert.area.name,
                    status=status,
                    status_label=STATUS_LABELS[status],
                )
            )
    auxiliaries = base.filter(is_auxiliary=True)
    if query:
        auxiliaries = auxiliaries.filter(name__icontains=query)
    return Roster(
        officers=rows,
        auxiliaries=[
            PublicAuxiliaryRow(name=a.name, unit=a.unit.name if a.unit_id else "")
            for a in auxiliaries
        ],
    )


# --------------------------------------------------------------------------- 执法证件核验


def normalize_certificate_number(raw: str) -> str:
    """Full-width to half-width, no spaces; what a citizen types off a card."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(text.split())[:60]


def certificate_get_for_public(number: str) -> Certificate | None:
    number = normalize_certificate_number(number)
    if not number:
        return None
    qs = Certificate.objects.select_related(
        "officer", "officer__unit", "agency", "area", "renewed_by"
    ).prefetch_related("categories")
    cert = qs.filter(number=number).first()
    if cert is None:
        cert = qs.filter(number__iexact=number).first()
    return cert


@dataclass(frozen=True)
class PublicCertificate:
    """What the verification page shows about one certificate, as of ``today``."""

    number: str
    holder_name: str
    agency_name: str
    agency_public_id: str
    unit: str
    categories: list[str]
    area: str
    issued_on: date
    expires_on: date
    today: date
    status: str
    status_label: str
    valid_now: bool
    headline: str
    explanation: str
    renewed_to: str = ""


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _region_full_name(region) -> str:
    return region.full_name if region is not None else ""


def certificate_public_view(cert: Certificate, *, today: date) -> PublicCertificate:
    officer = cert.officer
    status = public_status(cert, today)
    on_post = officer.left_on is None or officer.left_on > today
    valid_now = status == CertificateStatus.VALID and on_post and not officer.is_auxiliary
    renewed = getattr(cert, "renewed_by", None)  # the reverse one-to-one raises when absent
    if valid_now:
        headline = "有效"
        explanation = (
            f"该证件今天（{_cn_date(today)}）有效。持证人只能在下列执法类别和执法区域内执法，"
            "执法时应当至少两人并主动出示执法证件。"
        )
    elif status == CertificateStatus.VALID and not on_post:
        headline = "无效"
        explanation = "持证人已离开执法岗位，该证件不能再用于执法。"
    elif status == CertificateStatus.SUSPENDED:
        headline = "无效（暂扣）"
        explanation = "该证件已被暂扣，持证人目前不得从事行政执法活动。"
    elif status == CertificateStatus.REVOKED:
        headline = "无效（注销）"
        explanation = "该证件已注销，持证人不得从事行政执法活动。"
    elif status == CertificateStatus.EXPIRED:
        headline = "无效（过期）"
        explanation = f"该证件已过期（有效期至 {_cn_date(cert.expires_on)}），不能再用于执法。"
    else:
        headline = "无效（尚未生效）"
        explanation = f"该证件自 {_cn_date(cert.issued_on)} 起才生效。"
    if renewed is not None:
        explanation += f"该证件已换发为新证件（编号 {renewed.number}），请以新证件为准。"
    return PublicCertificate(
        number=cert.number,
        holder_name=officer.name,
        agency_name=cert.agency.name,
        agency_public_id=str(cert.agency.public_id),
        unit=officer.unit.name if officer.unit_id else "",
        categories=[c.name for c in cert.categories.all()],
        area=_region_full_name(cert.area),
        issued_on=cert.issued_on,
        expires_on=cert.expires_on,
        today=today,
        status=status,
        status_label=STATUS_LABELS[status],
        valid_now=valid_now,
        headline=headline,
        explanation=explanation,
        renewed_to=renewed.number if renewed is not None else "",
    )


def certificate_lookup(number: str, *, today: date) -> PublicCertificate | None:
    cert = certificate_get_for_public(number)
    return None if cert is None else certificate_public_view(cert, today=today)


@dataclass(frozen=True)
class QrVerification:
    """A scanned QR: is the signature genuine, and what the database says today."""

    genuine: bool
    reason: str = ""
    claims: qr.QrClaims | None = None
    certificate: PublicCertificate | None = None
    differences: list[str] = field(default_factory=list)


def qr_verify(token: str, *, today: date, key: qr.QrKey | None = None) -> QrVerification:
    key = key or qr.platform_qr_key()
    check = qr.verify_token(token, [key.public])
    if not check.genuine:
        # Nothing from a forged token is shown as fact, and the database is not
        # consulted: a forger must not learn anything from the page.
        return QrVerification(genuine=False, reason=check.reason)
    claims = check.claims
    assert claims is not None
    cert = (
        Certificate.objects.select_related(
            "officer", "officer__unit", "agency", "area", "renewed_by"
        )
        .prefetch_related("categories")
        .filter(number=claims.number)
        .first()
    )
    if cert is None:
        return QrVerification(genuine=True, claims=claims)
    differences = []
    if cert.officer.name != claims.holder_name:
        differences.append(
            f"持证人姓名：二维码为“{claims.holder_name}”，平台现为“{cert.officer.name}”"
        )
    if cert.agency.uscc != claims.agency_uscc:
        differences.append("执法主体：二维码与平台现有记录不一致")
    if (cert.issued_on, cert.expires_on) != (claims.issued_on, claims.expires_on):
        differences.append(
            f"有效期：二维码为 {claims.issued_on} 至 {claims.expires_on}，"
            f"平台现为 {cert.issued_on} 至 {cert.expires_on}"
        )
    return QrVerification(
        genuine=True,
        claims=claims,
        certificate=certificate_public_view(cert, today=today),
        differences=differences,
    )


# --------------------------------------------------------------------------- rate limit


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends


def verify_rate_limit() -> tuple[int, int]:
    """(lookups, seconds) per client; settings.ZHIFA_VERIFY_RATE_LIMIT overrides (30, 600)."""
    limit, window = getattr(settings, "ZHIFA_VERIFY_RATE_LIMIT", (30, 600))
    return int(limit), int(window)


def client_ip(request) -> str:
    """The client address used for rate limiting.

    REMOTE_ADDR unless ``settings.ZHIFA_TRUSTED_PROXY_COUNT`` (default 0)
    says how many reverse proxies append to X-Forwarded-For; then the address
    the outermost trusted proxy saw. An IPv6 client is counted by its /64,
    which one subscriber usually holds whole.
    """
    raw = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "ZHIFA_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            raw = hops[-proxies]
    try:
        ip = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def rate_limit_hit(
    client: str,
    *,
    scope: str = "officers.verify",
    limit: int,
    window: int,
    now: float | None = None,
) -> RateDecision:
    """Count one lookup by ``client`` in a fixed window kept in Django's cache."""
    now = time.time() if now is None else now
    slot = int(now // window)
    key = f"zhifa:ratelimit:{scope}:{client}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    retry_after = max(1, int((slot + 1) * window - now))
    return RateDecision(allowed=count <= limit, count=count, retry_after=retry_after)


def verify_lookup_allowed(request) -> RateDecision:
    limit, window = verify_rate_limit()
    return rate_limit_hit(client_ip(request), limit=limit, window=window)
