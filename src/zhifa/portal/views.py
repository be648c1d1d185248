from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render

from zhifa.core.access import public
from zhifa.orgs.models import Agency
from zhifa.portal import selectors


@public
def home(request):
    return render(request, "portal/home.html")


@public
def agencies(request):
    query = request.GET.get("q", "").strip()[:50]
    return render(
        request,
        "portal/agencies.html",
        {
            "agencies": selectors.agency_list_for_public(query=query),
            "q": query,
        },
    )


@public
def agency_detail(request, public_id):
    try:
        agency = selectors.agency_get_for_public(public_id=public_id)
    except (Agency.DoesNotExist, ValidationError):
        raise Http404("执法主体不存在") from None
    return render(
        request,
        "portal/agency_detail.html",
        {
            "agency": agency,
            "units": agency.units.order_by("name"),
        },
    )
