"""The portal's list as a plain ORM query: the reference the index-backed
`selectors.PublicResults` is checked against, row for row.

Current published versions matching the filters and the search, newest first
(decision date, then id, both descending: the order of the index keys,
`search.documents.order_key`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from zhifa.disclosure import search
from zhifa.disclosure.models import Publication
from zhifa.disclosure.search.documents import decided_on_of, publication_id_of
from zhifa.disclosure.selectors import PublicFilters, _region_prefix


def publications_by_query(filters: PublicFilters) -> QuerySet:
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
    if filters.before:
        day, pk = decided_on_of(filters.before), publication_id_of(filters.before)
        pubs = pubs.filter(Q(decided_on__lt=day) | Q(decided_on=day, pk__lt=pk))
    pubs = search.search(pubs, filters.query)
    return pubs.order_by("-decided_on", "-id")
