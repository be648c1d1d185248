"""事前公开 pages of the 音像记录事项清单, 随机抽查事项清单 and 服务指南:
public, no login, no JavaScript, cacheable (see `zhifa.catalog.lists`)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from zhifa.catalog import lists
from zhifa.catalog.views_public import MAX_AGE, _agency_or_404
from zhifa.core.access import public


@public
@require_safe
@vary_on_cookie
@cache_control(public=True, max_age=MAX_AGE)
def av_list(request, public_id):
    agency = _agency_or_404(public_id)
    rows, defaults = lists.av_rows_for_public(agency)
    return render(
        request,
        "catalog/public_av_list.html",
        {"agency": agency, "rows": rows, "defaults": defaults, "today": timezone.localdate()},
    )


@public
@require_safe
@vary_on_cookie
@cache_control(public=True, max_age=MAX_AGE)
def random_inspection_list(request, public_id):
    agency = _agency_or_404(public_id)
    today = timezone.localdate()
    rows = lists.random_inspection_rows_for_public(agency, today=today)
    return render(
        request,
        "catalog/public_random_inspection_list.html",
        {"agency": agency, "rows": rows, "today": today},
    )


@public
@require_safe
@vary_on_cookie
@cache_control(public=True, max_age=MAX_AGE)
def service_guide(request, public_id):
    today = timezone.localdate()
    found = lists.service_guide_for_public(public_id=public_id, today=today)
    if found is None:
        raise Http404("该执法事项尚未公开服务指南")
    version, guide = found
    return render(
        request,
        "catalog/public_guide.html",
        {
            "item": version.item,
            "agency": version.item.agency,
            "version": version,
            "guide": guide,
            "today": today,
        },
    )
