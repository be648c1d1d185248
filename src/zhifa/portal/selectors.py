"""Public reads for the portal: only what the law makes public (GB118-01)."""

from django.db.models import QuerySet

from zhifa.orgs.models import Agency


def agency_list_for_public(*, query: str = "") -> QuerySet[Agency]:
    qs = Agency.objects.select_related("region", "supervising_bureau").order_by(
        "region__code", "name"
    )
    if query:
        qs = qs.filter(name__icontains=query)
    return qs


def agency_get_for_public(*, public_id) -> Agency:
    return Agency.objects.select_related("region", "supervising_bureau", "delegated_by").get(
        public_id=public_id
    )
