"""执法结果 on the public portal: the list with filters and Chinese full-text
search, the permalink of each publication (withdrawal notices, correction
history, the party's reply), error reports and the party's reply forms, and
the CSV/JSON downloads. No login, no JavaScript; list and detail are
cacheable (Cache-Control, ETag, Vary: Cookie for the large-text mode).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import condition, require_http_methods, require_safe
from django.views.decorators.vary import vary_on_cookie

from zhifa.core.access import public
from zhifa.disclosure import selectors, services
from zhifa.disclosure.models import PublicationKind, PublicationStatus
from zhifa.disclosure.opendata import EXPORT_LIMIT, notice_row, permalink, publication_row
from zhifa.disclosure.search.highlight import highlight, snippet

MAX_AGE = 300  # seconds
PAGE_SIZE = 20
LARGE_TEXT_COOKIE = "zhifa_large_text"
S = PublicationStatus


def _etag(request, *parts) -> str:
    latest = selectors.latest_change()
    seed = "|".join(
        [
            str(latest.timestamp() if latest else 0),
            request.get_full_path(),
            request.COOKIES.get(LARGE_TEXT_COOKIE, ""),
            *map(str, parts),
        ]
    )
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


def _list_etag(request, *args, **kwargs) -> str:
    return _etag(request)


def _detail_etag(request, series) -> str:
    return _etag(request, series)


@public
@require_safe
@vary_on_cookie  # the large-text cookie changes the page
@cache_control(public=True, max_age=MAX_AGE)
@condition(etag_func=_list_etag)
def results(request):
    """The list, newest decision first, counted exactly up to 1,000 (then
    "1,000 条以上"); numbered pages reach the cap, and the last one links to
    the earlier results (docs/adr/0002)."""
    filters = selectors.parse_filters(request.GET)
    query = filters.query
    found = selectors.publication_results_for_public(filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    hits = [
        {
            "pub": pub,
            "snippet": snippet(pub.text, query),
            "title": highlight(pub.title, query),
            "party": highlight(pub.party_display, query),
        }
        for pub in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    earlier = latest = ""
    before = found.before_key_after(page)
    if before is not None:
        params_earlier = params.copy()
        params_earlier["before"] = str(before)
        earlier = params_earlier.urlencode()
    if filters.before:
        params_latest = params.copy()
        params_latest.pop("before", None)
        latest = params_latest.urlencode()
    return render(
        request,
        "disclosure/public_list.html",
        {
            "filters": filters,
            "page": page,
            "hits": hits,
            "capped": found.capped,
            "cap": f"{found.cap:,}",
            "earlier": earlier,
            "latest": latest,
            "continued": bool(filters.before),
            "query": params.urlencode(),
            "searched": bool(filters.q),
            "unsearchable": bool(filters.q) and query.empty,
            "kinds": PublicationKind.choices,
            "agencies": selectors.agencies_for_filter(),
            "regions": selectors.regions_for_filter(),
        },
    )


@public
@require_safe
@vary_on_cookie
@cache_control(public=True, max_age=MAX_AGE)
@condition(etag_func=_detail_etag)
def detail(request, series):
    versions = selectors.series_for_public(series)
    current = selectors.current_of(versions)
    if current is None:
        raise Http404("该公示信息不存在，或公示期已满、已停止公示。")
    return render(
        request,
        "disclosure/public_detail.html",
        {
            "pub": current,
            "versions": versions,
            "replies": selectors.approved_replies(current),
            "answers": selectors.answered_reports(current),
            "withdrawn": current.status == S.WITHDRAWN,
            "permalink": permalink(current, request),
        },
    )


def _throttled(request, what: str) -> str:
    """Public forms write to the ledger: a client may submit only so many per
    window (settings.ZHIFA_DISCLOSURE_FORM_RATE_LIMIT, default 10 an hour)."""
    from django.conf import settings

    from zhifa.officers.public import client_ip, rate_limit_hit

    limit, window = getattr(settings, "ZHIFA_DISCLOSURE_FORM_RATE_LIMIT", (10, 3600))
    decision = rate_limit_hit(
        client_ip(request), scope=f"disclosure.{what}", limit=int(limit), window=int(window)
    )
    if decision.allowed:
        return ""
    return f"提交过于频繁，请 {max(1, decision.retry_after // 60)} 分钟后再试。"


def _published(series):
    current = selectors.current_of(selectors.series_for_public(series))
    if current is None or current.status != S.PUBLISHED:
        raise Http404("只能对正在公示的信息提出纠错或说明。")
    return current


@public
@never_cache
@require_http_methods(["GET", "POST"])
def report(request, series):
    """纠错: anyone may tell the agency that a publication is wrong."""
    pub = _published(series)
    error, values = "", {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("content", "name", "contact")}
        error = _throttled(request, "report")
    if request.method == "POST" and not error:
        try:
            services.error_report_submit(
                publication=pub,
                content=values["content"],
                reporter_name=values["name"],
                reporter_contact=values["contact"],
            )
        except services.DisclosureError as exc:
            error = exc.message
        else:
            return redirect(reverse("disclosure:thanks", args=[series]) + "?what=report")
    return render(
        request,
        "disclosure/public_report.html",
        {
            "pub": pub,
            "error": error,
            "values": values,
            "reply_period": selectors.correction_reply_period(pub.region_code),
        },
        status=400 if error else 200,
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def reply(request, series):
    """The party's right of reply, shown after moderation."""
    pub = _published(series)
    error, values = "", {}
    if request.method == "POST":
        values = {"text": request.POST.get("text", "")}
        error = _throttled(request, "reply")
    if request.method == "POST" and not error:
        try:
            services.reply_submit(
                publication=pub,
                identifier=request.POST.get("identifier", "")[:40],
                text=values["text"],
            )
        except services.DisclosureError as exc:
            error = exc.message
        else:
            return redirect(reverse("disclosure:thanks", args=[series]) + "?what=reply")
    return render(
        request,
        "disclosure/public_reply.html",
        {"pub": pub, "error": error, "values": values},
        status=400 if error else 200,
    )


@public
@require_safe
def thanks(request, series):
    what = request.GET.get("what")
    return render(
        request, "disclosure/public_thanks.html", {"series": series, "reply": what == "reply"}
    )


# --------------------------------------------------------------------------
# Open data: CSV and JSON downloads (filterable), withdrawn ones as notices.


class _Echo:
    def write(self, value):
        return value


@dataclass
class _Download:
    rows: Iterator[dict]
    earlier: str | None  # where the next download continues, when this one is full


def _download(request) -> _Download:
    """Publications newest first from the index, up to EXPORT_LIMIT, then the
    withdrawal notices (with the first part only: `before` continues the
    publications alone)."""
    filters = selectors.parse_filters(request.GET)
    include = request.GET.get("include", "all")
    earlier = None
    parts: list[Iterator[dict]] = []
    if include != "notices":
        part = selectors.publications_for_export(filters, limit=EXPORT_LIMIT)
        parts.append(publication_row(p, request) for p in part.publications)
        if part.earlier is not None:
            query = request.GET.copy()
            query["before"] = str(part.earlier)
            earlier = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    if include != "published" and not filters.before:
        notices = selectors.notices_for_public(filters)[:EXPORT_LIMIT]
        parts.append(notice_row(p, request) for p in notices.iterator(chunk_size=500))
    return _Download(chain.from_iterable(parts), earlier)


@public
@require_safe
@cache_control(public=True, max_age=MAX_AGE)
@condition(etag_func=_list_etag)
def export_csv(request):
    from zhifa.disclosure.opendata import CSV_FIELDS

    download = _download(request)
    writer = csv.DictWriter(_Echo(), fieldnames=[f for f, _ in CSV_FIELDS], extrasaction="ignore")

    def stream():
        yield "\ufeff"  # Excel reads UTF-8 CSV only with a BOM
        yield writer.writer.writerow([label for _, label in CSV_FIELDS])
        for row in download.rows:
            yield writer.writerow({k: _csv_safe(v) for k, v in row.items()})

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="publications.csv"'
    if download.earlier:
        # A CSV has no room for "more": the standard header says where it goes on.
        response["Link"] = f'<{download.earlier}>; rel="next"'
    return response


def _csv_safe(value) -> str:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@public
@require_safe
@cache_control(public=True, max_age=MAX_AGE)
@condition(etag_func=_list_etag)
def export_json(request):
    download = _download(request)
    rows = list(download.rows)
    data = {"count": len(rows), "earlier": download.earlier, "results": rows}
    body = json.dumps(data, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="publications.json"'
    return response
