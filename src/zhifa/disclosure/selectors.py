"""Reads: the staff queue and the public read model (portal, open data, API).

Public readers use only `Publication` rows (and agency/region names copied
into them); they never touch case tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhifa.disclosure import search
from zhifa.disclosure.models import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    ErrorReport,
    PartyReply,
    Publication,
    PublicationKind,
    PublicationStatus,
)
from zhifa.disclosure.search.tokens import MAX_QUERY_CHARS, Query, parse_query

S = PublicationStatus


# --------------------------------------------------------------------------
# Staff side


def publication_get_for_user(user, public_id) -> Publication:
    """A publication the user may see; DoesNotExist (→ 404) otherwise."""
    try:
        return (
            Publication.objects.visible_to(user).select_related("agency").get(public_id=public_id)
        )
    except ValidationError:
        raise Publication.DoesNotExist from None


@dataclass(frozen=True)
class Countdown:
    due: date | None
    days: int | None  # days left; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days is not None and self.days < 0

    @property
    def text(self) -> str:
        if self.due is None:
            return "无法计算期限"
        if self.days is None:
            return ""
        if self.days < 0:
            return f"已逾期 {-self.days} 日"
        if self.days == 0:
            return "今日届满"
        return f"剩余 {self.days} 日"


def countdown(due: date | None, today: date) -> Countdown:
    return Countdown(due, (due - today).days if due else None)


@dataclass(frozen=True)
class QueueRow:
    publication: Publication
    task: str
    countdown: Countdown


TABS = {
    "owed": "待公开",
    "withdraw": "待撤回",
    "published": "已公开",
    "exempt": "不予公开",
    "closed": "已撤回或停止公示",
    "all": "全部",
}


def queue_for_user(user, *, tab: str = "owed", today: date | None = None) -> list[QueueRow]:
    today = today or timezone.localdate()
    pubs = Publication.objects.visible_to(user).select_related("agency")
    if tab == "owed":
        pubs = pubs.filter(status__in=OPEN_STATUSES).order_by("due_on", "id")
    elif tab == "withdraw":
        pubs = pubs.withdrawal_owed().order_by("withdrawal_due_on", "id")
    elif tab == "published":
        pubs = pubs.filter(status=S.PUBLISHED).order_by("-published_at")
    elif tab == "exempt":
        pubs = pubs.filter(status=S.EXEMPT).order_by("-decided_on")
    elif tab == "closed":
        pubs = pubs.filter(status__in=(S.WITHDRAWN, S.EXPIRED, S.SUPERSEDED, S.CANCELLED)).order_by(
            "-updated_at"
        )
    rows = []
    for pub in pubs[:500]:
        if pub.status == S.PUBLISHED and pub.withdrawal_cause:
            rows.append(QueueRow(pub, "撤回", countdown(pub.withdrawal_due_on, today)))
        elif pub.status in OPEN_STATUSES:
            task = "核对发布" if pub.status == S.DRAFTED else "生成公开稿"
            rows.append(QueueRow(pub, task, countdown(pub.due_on, today)))
        else:
            rows.append(QueueRow(pub, "", Countdown(None, None)))
    return rows


def overdue_for_user(user, today: date | None = None) -> dict[str, QuerySet]:
    """What is late in the user's scope: obligations, withdrawals, answers."""
    today = today or timezone.localdate()
    pubs = Publication.objects.visible_to(user)
    return {
        "publish": pubs.filter(status__in=OPEN_STATUSES, due_on__lt=today),
        "withdraw": pubs.withdrawal_owed().filter(withdrawal_due_on__lt=today),
        "answer": ErrorReport.objects.filter(
            publication__in=pubs, status=ErrorReport.Status.OPEN, answer_due_on__lt=today
        ),
    }


def exemptions_for_user(user) -> QuerySet:
    return (
        Publication.objects.visible_to(user)
        .filter(status=S.EXEMPT)
        .select_related("agency")
        .order_by("-decided_on", "-id")
    )


def reports_for_user(user) -> QuerySet:
    return (
        ErrorReport.objects.filter(publication__in=Publication.objects.visible_to(user))
        .select_related("publication")
        .order_by("status", "answer_due_on", "-submitted_at")
    )


def replies_for_user(user) -> QuerySet:
    return (
        PartyReply.objects.filter(publication__in=Publication.objects.visible_to(user))
        .select_related("publication")
        .order_by("-status", "submitted_at")
    )


# --------------------------------------------------------------------------
# Public side


@dataclass(frozen=True)
class PublicFilters:
    q: str = ""
    agency: str = ""  # agency public id
    kind: str = ""
    region: str = ""  # region code prefix
    date_from: date | None = None
    date_to: date | None = None

    @property
    def query(self) -> Query:
        return parse_query(self.q)


def parse_filters(params) -> PublicFilters:
    """Filters from a query string; anything malformed is dropped, never an error."""

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat((params.get(name) or "").strip()[:10])
        except ValueError:
            return None

    kind = params.get("kind", "")
    region = "".join(ch for ch in params.get("region", "") if ch.isdigit())[:9]
    agency = params.get("agency", "").strip()[:36]
    return PublicFilters(
        q=params.get("q", "").strip()[:MAX_QUERY_CHARS],
        agency=agency,
        kind=kind if kind in PublicationKind.values else "",
        region=region,
        date_from=day("from"),
        date_to=day("to"),
    )


def publication_list_for_public(filters: PublicFilters) -> QuerySet:
    """Current published versions matching the filters and the search, newest first."""
    pubs = Publication.objects.public()
    if filters.agency:
        try:
            pubs = pubs.filter(agency__public_id=filters.agency)
        except ValidationError:
            return pubs.none()
    if filters.kind:
        pubs = pubs.filter(kind=filters.kind)
    if filters.region:
        pubs = pubs.filter(region_code__startswith=_region_prefix(filters.region))
    if filters.date_from:
        pubs = pubs.filter(decided_on__gte=filters.date_from)
    if filters.date_to:
        pubs = pubs.filter(decided_on__lte=filters.date_to)
    pubs = search.search(pubs, filters.query)
    return pubs.order_by("-decided_on", "-id")


def _region_prefix(code: str) -> str:
    """GB/T 2260: 210000 is the province (21), 210500 the city (2105)."""
    code = code.rstrip("0") if len(code) == 6 else code
    if len(code) % 2:
        code += "0"
    return code or "0"


def notices_for_public(filters: PublicFilters) -> QuerySet:
    """Withdrawal notices (the reason and date, never the text) for open data."""
    pubs = Publication.objects.filter(status=S.WITHDRAWN)
    if filters.agency:
        pubs = pubs.filter(agency__public_id=filters.agency)
    if filters.kind:
        pubs = pubs.filter(kind=filters.kind)
    if filters.region:
        pubs = pubs.filter(region_code__startswith=_region_prefix(filters.region))
    if filters.date_from:
        pubs = pubs.filter(decided_on__gte=filters.date_from)
    if filters.date_to:
        pubs = pubs.filter(decided_on__lte=filters.date_to)
    return pubs.order_by("-withdrawn_at", "-id")


def series_for_public(series) -> list[Publication]:
    """Every public version of one permalink, oldest first; [] if none."""
    try:
        return list(
            Publication.objects.filter(series=series, status__in=PUBLIC_STATUSES).order_by(
                "version"
            )
        )
    except ValidationError:
        return []


def current_of(versions: list[Publication]) -> Publication | None:
    for pub in reversed(versions):
        if pub.status != S.SUPERSEDED:
            return pub
    return None


def approved_replies(pub: Publication) -> QuerySet:
    return PartyReply.objects.filter(
        publication__series=pub.series, status=PartyReply.Status.APPROVED
    ).order_by("moderated_at")


def answered_reports(pub: Publication) -> QuerySet:
    return ErrorReport.objects.filter(
        publication__series=pub.series, status=ErrorReport.Status.ANSWERED
    ).order_by("answered_at")


def agencies_for_filter():
    from zhifa.orgs.models import Agency

    ids = Publication.objects.filter(status__in=PUBLIC_STATUSES).values("agency_id")
    return Agency.objects.filter(pk__in=ids).order_by("name")


def regions_for_filter() -> list[tuple[str, str]]:
    rows = (
        Publication.objects.filter(status__in=PUBLIC_STATUSES)
        .values_list("region_code", "region_name")
        .distinct()
        .order_by("region_code")
    )
    return list(rows)


def latest_change(filters: PublicFilters | None = None):
    """The newest change to anything public (for ETags)."""
    row = (
        Publication.objects.filter(Q(status__in=PUBLIC_STATUSES) | Q(status=S.EXPIRED))
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    return row
