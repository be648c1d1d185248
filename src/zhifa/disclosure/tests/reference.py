"""The portal's list as a plain ORM query: the reference the index-backed
`selectors.PublicResults` is checked against, row for row.

Current published versions matching the filters and the search, newest first
(decision date, then id, both descending: the order of the index keys,
`search.documents.order_key`)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhifa.disclosure import search
from zhifa.disclosure.models import Publication
from zhifa.disclosure.search.documents import decided_on_of, publication_id_of
from zhifa.disclosure.selectors import PublicFilters, filter_publications


def publications_by_query(filters: PublicFilters) -> QuerySet:
    pubs = filter_publications(Publication.objects.public(), filters)
    if filters.before:
        day, pk = decided_on_of(filters.before), publication_id_of(filters.before)
        pubs = pubs.filter(Q(decided_on__lt=day) | Q(decided_on=day, pk__lt=pk))
    pubs = search.search(pubs, filters.query)
    return pubs.order_by("-decided_on", "-id")
