"""流程图 of an item's procedure as SVG: public, no login, cacheable.

Drawn for the item's version in force today (`zhifa.catalog.public`), from the
procedure definitions the case engine executes (`zhifa.procedures`).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from zhifa.catalog import public as selectors
from zhifa.catalog.flowchart import flowchart_svg
from zhifa.catalog.views_public import MAX_AGE
from zhifa.core.access import public


@public
@require_safe
@cache_control(public=True, max_age=MAX_AGE)
def item_flowchart(request, public_id):
    page = selectors.item_page_for_public(public_id=public_id, today=timezone.localdate())
    if page is None or page.current is None:
        raise Http404("执法事项不存在或没有施行中的版本")
    try:
        svg = flowchart_svg(page.current.procedure)
    except KeyError:
        raise Http404("该程序尚无流程图") from None
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
