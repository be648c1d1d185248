"""事前公开 pages of the catalog: public, no login, no JavaScript, cacheable.

Only published versions in force today are shown as current (see
`zhifa.catalog.public`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from zhifa.catalog import public as selectors
from zhifa.catalog.models import ItemKind
from zhifa.core.access import public
from zhifa.orgs.models import Agency
from zhifa.procedures import get_procedure

MAX_AGE = 300  # seconds; a published catalog changes rarely


def _agency_or_404(public_id) -> Agency:
    try:
        return selectors.agency_get_for_public(public_id=public_id)
    except (Agency.DoesNotExist, ValidationError):
        raise Http404("执法主体不存在") from None


@public
@require_safe
@vary_on_cookie  # the large-text cookie changes the page
@cache_control(public=True, max_age=MAX_AGE)
def agency_items(request, public_id):
    agency = _agency_or_404(public_id)
    today = timezone.localdate()
    kind = request.GET.get("kind", "")
    if kind not in ItemKind.values:
        kind = ""
    query = request.GET.get("q", "").strip()[: selectors.MAX_QUERY]
    rows = selectors.item_rows_for_public(agency, today=today, kind=kind, query=query)
    return render(
        request,
        "catalog/public_items.html",
        {
            "agency": agency,
            "rows": rows,
            "kinds": selectors.kinds_for_filter(),
            "kind": kind,
            "q": query,
            "today": today,
            "oversight": selectors.oversight_for_public(agency),
        },
    )


@public
@require_safe
@vary_on_cookie
@cache_control(public=True, max_age=MAX_AGE)
def item_detail(request, public_id):
    today = timezone.localdate()
    page = selectors.item_page_for_public(public_id=public_id, today=today)
    if page is None:
        raise Http404("执法事项不存在或尚未公开")
    definition = get_procedure(page.current.procedure) if page.current else None
    return render(
        request,
        "catalog/public_item.html",
        {
            "page": page,
            "item": page.item,
            "agency": page.item.agency,
            "current": page.current,
            "procedure": selectors.procedure_label(page.current.procedure) if page.current else "",
            "has_flowchart": definition is not None,
            # The case engine does not run this procedure yet: say so by the chart.
            "procedure_online": bool(definition and definition.executable),
            "today": today,
        },
    )


@public
@require_safe
@vary_on_cookie
@cache_control(public=True, max_age=MAX_AGE)
def major_decisions(request, public_id):
    agency = _agency_or_404(public_id)
    today = timezone.localdate()
    return render(
        request,
        "catalog/public_major_decisions.html",
        {
            "agency": agency,
            "today": today,
            **selectors.major_decisions_for_public(agency, today=today),
        },
    )
