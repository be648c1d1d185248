"""Reads: the staff queue and the public read model (portal, open data, API).

Public readers use only `Publication` rows (and agency/region names copied
into them); they never touch case tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
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
from zhifa.disclosure.search.documents import (
    MAX_KEY,
    agency_facet,
    day_range,
    is_key,
    kind_facet,
    order_key,
    publication_id_of,
    region_facet,
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


@dataclass(frozen=True)
class ReplyPeriod:
    """How long the agency has to answer an error report (纠错), and why.

    `disclosure.correction_reply` is status U: 118号 and PUB-09 say only
    "及时更正"; the default of 20 working days is taken by analogy from the
    answer period of an information request (政府信息公开条例 第三十三条,
    OGI-04). A region sets its own number as a regional override of the rule
    (系统管理 › 法定期限与标准 › 地方标准).
    """

    rule_id: str
    period: str  # "20 个工作日"
    basis: str  # the rule's citation, or the regional provision that sets it
    unverified: bool  # the national default of a status-U rule is in force
    analogy: str  # 《中华人民共和国政府信息公开条例》第三十三条
    note: str

    @property
    def text(self) -> str:
        if not self.unverified:
            return f"{self.period}（{self.basis}）"
        return (
            f"{self.period}（国家规定未明确答复期限，本平台参照{self.analogy}设定，"
            "未经核实；当地可另行规定）"
        )


def correction_reply_period(region_code: str, on: date | None = None) -> ReplyPeriod | None:
    """The answer period in force for a region; None if none is configured."""
    from zhifa.disclosure.services import REPLY_RULE
    from zhifa.rules.services import RuleNotConfigured, resolve_rule_value

    try:
        resolved = resolve_rule_value(REPLY_RULE, region_code=region_code, on_date=on)
    except RuleNotConfigured:
        return None
    rule = resolved.rule
    return ReplyPeriod(
        rule_id=rule.id,
        period=rule.format_value(resolved.value),
        basis=resolved.basis,
        unverified=rule.status == "U" and resolved.override is None,
        analogy=f"《{rule.law}》{rule.article}",
        note=rule.note,
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
    # Continue after this place in the order (`search.documents.order_key`):
    # the link to earlier results once the numbered pages run out.
    before: int | None = None

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
    before = (params.get("before") or "").strip()[:20]
    before_key = int(before) if before.isascii() and before.isdigit() else 0
    return PublicFilters(
        q=params.get("q", "").strip()[:MAX_QUERY_CHARS],
        agency=agency,
        kind=kind if kind in PublicationKind.values else "",
        region=region,
        date_from=day("from"),
        date_to=day("to"),
        before=before_key if is_key(before_key) else None,
    )


# States whose rows the portal never shows (see `latest_change`).
NEVER_PUBLIC = (S.DUE, S.DRAFTED, S.EXEMPT, S.CANCELLED)

# The portal counts exactly up to this many hits, then says "1,000 条以上";
# its numbered pages reach that far, and a link continues after the last one.
COUNT_CAP = 1000


class PublicResults:
    """The portal's list as the index answers it (docs/adr/0002): current
    published versions matching the search and the filters, newest decision
    first (decided_on, then publication id, both descending), counted exactly up
    to `COUNT_CAP`.

    One walk of the index, newest first, stops after `COUNT_CAP` + 1 matching
    documents and yields both the capped count and the keys of every numbered
    page; a Paginator reads it like a list, and a page costs one more query for
    its publications."""

    ordered = True

    def __init__(self, filters: PublicFilters, cap: int | None = None):
        self.filters = filters
        self.cap = COUNT_CAP if cap is None else cap
        self.criteria = _criteria(filters)
        self._keys: list[int] | None = None

    @property
    def keys(self) -> list[int]:
        """Order keys of the first `cap` + 1 hits, newest first."""
        if self._keys is None:
            if self.criteria is None:
                self._keys = []
            else:
                self._keys = search.keys(self.criteria, offset=0, limit=self.cap + 1)
        return self._keys

    def count(self) -> int:
        return min(len(self.keys), self.cap)

    @property
    def capped(self) -> bool:
        """More than `cap` hits: the count shown is "{cap} 条以上"."""
        return len(self.keys) > self.cap

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("PublicResults supports only plain slices")
        start, stop = index.start or 0, index.stop
        if stop is None or stop <= start:
            return []
        ids = [publication_id_of(key) for key in self.keys[start : min(stop, self.cap)]]
        # By primary key alone (with the status in the WHERE clause SQLite
        # prefers walking the status index over a million rows); the status is
        # checked here: a row must still be public as well as indexed.
        found = Publication.objects.order_by().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found and found[pk].status == S.PUBLISHED]

    def before_key_after(self, page) -> int | None:
        """Where "earlier results" continue: the key of the page's last row,
        when this is the last numbered page and there are more hits."""
        if not self.capped or page.has_next() or not page.object_list:
            return None
        last = page.object_list[-1]
        return order_key(last.decided_on, last.pk)


def publication_results_for_public(filters: PublicFilters) -> PublicResults:
    return PublicResults(filters)


@dataclass
class ExportPart:
    """One download of open data: up to `limit` publications, newest first,
    read from the index in batches (no sort of every hit), and where the next
    download continues when there are more (`filters.before`)."""

    publications: Iterator[Publication]
    earlier: int | None  # the last row's order key, when more hits follow


EXPORT_BATCH = 500


def publications_for_export(filters: PublicFilters, *, limit: int) -> ExportPart:
    results = PublicResults(filters, cap=limit)
    keys = results.keys  # one walk of the index: at most limit + 1 keys
    shown = min(len(keys), limit)

    def batches() -> Iterator[Publication]:
        for start in range(0, shown, EXPORT_BATCH):
            yield from results[start : start + EXPORT_BATCH]

    return ExportPart(batches(), keys[shown - 1] if results.capped else None)


def _criteria(filters: PublicFilters) -> search.Criteria | None:
    """The filters as a question to the index, or None when nothing can match."""
    facets = []
    if filters.agency:
        from zhifa.orgs.models import Agency

        try:
            agency_id = (
                Agency.objects.filter(public_id=filters.agency).values_list("pk", flat=True).first()
            )
        except ValidationError:
            return None
        if agency_id is None:
            return None
        facets.append(agency_facet(agency_id))
    if filters.kind:
        facets.append(kind_facet(filters.kind))
    if filters.region:
        facets.append(region_facet(_region_prefix(filters.region)))
    low, high = day_range(filters.date_from, filters.date_to)
    if filters.before:
        high = min(high if high is not None else MAX_KEY, filters.before - 1)
    return search.Criteria(query=filters.query, facets=tuple(facets), key_min=low, key_max=high)


def _region_prefix(code: str) -> str:
    """GB/T 2260: 210000 is the province (21), 210500 the city (2105); a
    nine-digit township code (GB/T 10114) stands for itself."""
    if len(code) == 9:
        return code
    code = code.rstrip("0") if len(code) == 6 else code
    if len(code) % 2:
        code += "0"
    return code or "0"


def filter_publications(pubs: QuerySet, filters: PublicFilters) -> QuerySet:
    """The filters (not the search words) as plain lookups: for the
    withdrawal notices, which the index does not hold. An agency id that is
    no id matches nothing."""
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
    return pubs


def notices_for_public(filters: PublicFilters) -> QuerySet:
    """Withdrawal notices (the reason and date, never the text) for open data."""
    pubs = filter_publications(Publication.objects.filter(status=S.WITHDRAWN), filters)
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
    """Agencies with something public, for the portal's filter. One probe of the
    (agency, status) index per agency, never a pass over all publications."""
    from zhifa.orgs.models import Agency

    public = Publication.objects.filter(agency=OuterRef("pk"), status__in=PUBLIC_STATUSES)
    return Agency.objects.filter(Exists(public)).order_by("name")


def regions_for_filter() -> list[tuple[str, str]]:
    """Regions with something public (code and current name), for the portal's
    filter: a semi-join that probes the region_code index once per region,
    never a pass over all publications. (A correlated "first row" subquery
    here let PostgreSQL pick a sequential scan, read in full for every region
    without publications.)"""
    from zhifa.orgs.models import Region

    public = Publication.objects.filter(region_code=OuterRef("code"), status__in=PUBLIC_STATUSES)
    return list(Region.objects.filter(Exists(public)).order_by("code").values_list("code", "name"))


def latest_change(filters: PublicFilters | None = None):
    """The newest change to anything public (for ETags): a backward walk of
    the updated_at index (migration 0004) that stops at the first public row."""
    # Written as "not one of the never-public states" so that SQLite walks the
    # updated_at index instead of collecting every public row by status and
    # sorting them; a state added later counts as public here (a spare
    # revalidation, never a stale page).
    row = (
        Publication.objects.exclude(status__in=NEVER_PUBLIC)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    return row
