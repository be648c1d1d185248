"""Factories for officers and certificates, on top of the orgs factories.

The factories write rows directly (fast, any state a test needs); `certified`
goes through the services, as real data does.
"""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone
from stdnum.cn import ric

from zhifa.officers import services
from zhifa.officers.models import (
    Certificate,
    CertificateStatus,
    EmploymentStatus,
    ExamKind,
    Officer,
)
from zhifa.orgs.models import EnforcementCategory
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import AgencyFactory, region_tree


def id_number(n: int, *, region: str = "210521") -> str:
    """A valid GB 11643 number: a birth date counted from 1975-01-01, a
    sequence code and the check digit."""
    birth = date(1975, 1, 1) + timedelta(days=(n * 37) % 9000)
    body = f"{region}{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnforcementCategory
        django_get_or_create = ["code"]

    code = "market"
    name = "市场监管"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"执法员{n}")
    # Born in 平山区: never the same number as the ones tests write by hand.
    id_number = factory.Sequence(lambda n: id_number(n, region="210502"))
    post = "执法大队队员"
    employment_status = EmploymentStatus.ESTABLISHED


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    officer = factory.SubFactory(OfficerFactory)
    agency = factory.SelfAttribute("officer.agency")
    number = factory.Sequence(lambda n: f"21052126{n:05d}")
    area = factory.LazyAttribute(lambda o: o.officer.agency.region)
    issued_on = date(2024, 1, 1)
    expires_on = date(2029, 1, 1)
    status = CertificateStatus.VALID

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create:
            obj.categories.set(extracted if extracted is not None else [CategoryFactory()])


def market_agency(**kwargs):
    """An agency in 本溪满族自治县 holding powers in 市场监管."""
    kwargs.setdefault("region", region_tree()[2])
    agency = AgencyFactory(**kwargs)
    agency.categories.add(CategoryFactory())
    return agency


def qualify(officer: Officer, *, on: date, categories=None) -> None:
    """Passed general and professional exams on `on`, through the services."""
    services.exam_record(
        actor=SYSTEM, officer=officer, kind=ExamKind.GENERAL, taken_on=on, passed=True
    )
    for category in categories or [CategoryFactory()]:
        services.exam_record(
            actor=SYSTEM,
            officer=officer,
            kind=ExamKind.PROFESSIONAL,
            taken_on=on,
            passed=True,
            category=category,
        )


_numbers = iter(range(1, 10**6))


def certified(
    agency,
    *,
    name: str | None = None,
    issued_on: date | None = None,
    expires_on: date | None = None,
    number: str | None = None,
    unit=None,
    categories=None,
) -> Certificate:
    """An officer registered, examined and certified through the services."""
    n = next(_numbers)
    issued_on = issued_on or timezone.localdate() - timedelta(days=400)
    officer = services.officer_register(
        actor=SYSTEM,
        agency=agency,
        name=name or f"持证人{n}",
        id_number=id_number(n, region="210503"),  # born in 溪湖区
        post="执法大队队员",
        employment_status=EmploymentStatus.ESTABLISHED,
        unit=unit,
    )
    categories = categories or list(agency.categories.all())
    qualify(officer, on=issued_on - timedelta(days=30), categories=categories)
    return services.certificate_issue(
        actor=SYSTEM,
        officer=officer,
        number=number or f"2105219{n:04d}",
        categories=categories,
        area=agency.region,
        issued_on=issued_on,
        expires_on=expires_on,
    )


__all__ = [
    "CategoryFactory",
    "CertificateFactory",
    "OfficerFactory",
    "certified",
    "id_number",
    "market_agency",
    "qualify",
]
