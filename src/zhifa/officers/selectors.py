"""Reads about officers and certificates: lists, look-ups, 持证率 and alerts.

A *scope* is what a list covers: an `Agency`, a `Region` (every agency in it
and below), or a queryset / list of agencies. Staff lists are always built on
`visible_to(user)`; the scope helpers here serve the home-page sections,
whose scope the caller has already decided from the viewer's role.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from zhifa.officers.models import (
    AnnualReview,
    Certificate,
    CertificateStatus,
    CertificationTarget,
    Officer,
)
from zhifa.officers.services import can_manage_personnel
from zhifa.orgs.models import Agency, Region, RegionLevel
from zhifa.rules.models import region_code_chain

AgencyScope = Agency | Region | QuerySet | Iterable


def _agencies(scope: AgencyScope) -> QuerySet[Agency]:
    if isinstance(scope, Agency):
        return Agency.objects.filter(pk=scope.pk)
    if isinstance(scope, Region):
        return Agency.objects.filter(region__code__startswith=scope.prefix)
    if isinstance(scope, QuerySet) and scope.model is Agency:
        return scope
    return Agency.objects.filter(pk__in=[a.pk for a in scope])


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------


def officer_list_for_user(user, *, agency: Agency | None = None, q: str = "") -> QuerySet[Officer]:
    """Officers the user may see, optionally in one agency, matching `q` (name,
    post, unit or certificate number)."""
    qs = Officer.objects.visible_to(user).select_related("agency", "unit", "user")
    if agency is not None:
        qs = qs.filter(agency=agency)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(post__icontains=q)
            | Q(unit__name__icontains=q)
            | Q(certificates__number__icontains=q)
        ).distinct()
    return qs.prefetch_related(
        Prefetch(
            "certificates",
            queryset=Certificate.objects.order_by("-issued_on").prefetch_related("categories"),
        )
    ).order_by("agency__name", "left_on", "name")


def officer_get_for_user(user, public_id) -> Officer:
    """The officer, or Officer.DoesNotExist for anyone who may not see it (→ 404)."""
    return officer_list_for_user(user).get(public_id=public_id)


def certificate_get_by_number(number: str) -> Certificate | None:
    """Public verification (执法证件核验): the certificate with this number, or None."""
    number = (number or "").strip()
    if not number:
        return None
    return (
        Certificate.objects.select_related("officer", "officer__unit", "agency", "area")
        .prefetch_related("categories")
        .filter(number=number)
        .first()
    )


def id_number_for(viewer, officer: Officer) -> str:
    """The ID number as a staff page may show it: in full only to those who
    administer the officer's agency's personnel, masked to everyone else.
    (Never shown on public pages at all.)"""
    if can_manage_personnel(viewer, officer.agency):
        return officer.id_number
    return officer.masked_id_number


# --------------------------------------------------------------------------
# 持证率
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificationRate:
    """Holders of a valid certificate / officers on post (auxiliaries excluded)."""

    label: str
    region: Region
    holders: int
    staff: int
    # The agency, or None for a township row (all agencies in the township).
    agency: Agency | None = None
    target: Decimal | None = None
    target_basis: str = ""

    @property
    def is_township(self) -> bool:
        return self.agency is None

    @property
    def rate(self) -> Decimal | None:
        if not self.staff:
            return None
        return (Decimal(self.holders) / Decimal(self.staff)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None without a target or without staff."""
        if self.target is None or self.rate is None:
            return None
        return self.rate >= self.target

    @property
    def rate_text(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.0f}%"


def certification_target_for(region: Region) -> CertificationTarget | None:
    """The nearest target up the region codes: township → county → city → province."""
    chain = region_code_chain(region.code)
    targets = {
        t.region.code: t
        for t in CertificationTarget.objects.filter(region__code__in=chain).select_related("region")
    }
    for code in chain:
        if code in targets:
            return targets[code]
    return None


def certification_rates(scope: AgencyScope, today: date | None = None) -> list[CertificationRate]:
    """One row per department (an agency above township level) and one per
    township (every agency of the scope located in it), each against the
    nearest `CertificationTarget`: departments against its department target,
    townships against its township target. Agencies with nobody on post are
    listed with no rate."""
    today = _today(today)
    agencies = list(_agencies(scope).select_related("region").order_by("region__code", "name"))
    officers = Officer.objects.filter(
        agency__in=[a.pk for a in agencies], is_auxiliary=False
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
    holding = Certificate.objects.valid_on(today).filter(officer=OuterRef("pk"))
    counts: dict[int, tuple[int, int]] = {}
    for agency_id, holds in officers.annotate(holds=Exists(holding)).values_list(
        "agency_id", "holds"
    ):
        staff, holders = counts.get(agency_id, (0, 0))
        counts[agency_id] = (staff + 1, holders + int(holds))

    rows: list[CertificationRate] = []
    townships: dict[str, tuple[Region, int, int]] = {}
    for agency in agencies:
        staff, holders = counts.get(agency.pk, (0, 0))
        if agency.region.level == RegionLevel.TOWNSHIP:
            region, s, h = townships.get(agency.region.code, (agency.region, 0, 0))
            townships[agency.region.code] = (region, s + staff, h + holders)
            continue
        target = certification_target_for(agency.region)
        rows.append(
            CertificationRate(
                label=agency.name,
                region=agency.region,
                holders=holders,
                staff=staff,
                agency=agency,
                target=target.department_target if target else None,
                target_basis=target.basis if target else "",
            )
        )
    for region, staff, holders in townships.values():
        target = certification_target_for(region)
        rows.append(
            CertificationRate(
                label=region.full_name,
                region=region,
                holders=holders,
                staff=staff,
                agency=None,
                target=target.township_target if target else None,
                target_basis=target.basis if target else "",
            )
        )
    return rows


# --------------------------------------------------------------------------
# Alerts
# --------------------------------------------------------------------------


def certificates_expiring(
    scope: AgencyScope, within_days: int = 30, today: date | None = None
) -> QuerySet[Certificate]:
    """Certificates valid today that expire within `within_days` days."""
    today = _today(today)
    return (
        Certificate.objects.valid_on(today)
        .filter(
            agency__in=_agencies(scope),
            expires_on__lte=today + timedelta(days=within_days),
            officer__left_on__isnull=True,
        )
        .exclude(Exists(Certificate.objects.filter(renewed_from=OuterRef("pk"))))
        .select_related("officer", "agency")
        .order_by("expires_on", "number")
    )


def annual_reviews_overdue(scope: AgencyScope, today: date | None = None) -> QuerySet[AnnualReview]:
    """年审 past their due date with no outcome, on certificates still in force."""
    today = _today(today)
    return (
        AnnualReview.objects.filter(
            certificate__agency__in=_agencies(scope),
            certificate__status=CertificateStatus.VALID,
            certificate__expires_on__gte=today,
            outcome="",
            due_on__lt=today,
        )
        .select_related("certificate", "certificate__officer", "certificate__agency")
        .order_by("due_on", "certificate__number")
    )


def left_but_valid(scope: AgencyScope, today: date | None = None) -> QuerySet[Certificate]:
    """Certificates still valid today whose holder has left the post: they
    should have been cancelled (CERT-06 (e))."""
    today = _today(today)
    return (
        Certificate.objects.valid_on(today)
        .filter(agency__in=_agencies(scope), officer__left_on__isnull=False)
        .select_related("officer", "agency")
        .order_by("officer__left_on", "number")
    )
