"""Chinese full-text search over published publications, one interface for
two backends (architecture.md "Chosen parts"; stack.md §4):

* ``sqlite``: an FTS5 external-content table (tokenizer unicode61) over
  `SearchDocument.tokens`, kept in step by triggers (migration 0002);
* ``postgresql``: a generated ``tsvector('simple')`` column over the same
  tokens with a GIN index (migration 0002).

`ZHIFA_SEARCH_BACKEND` picks one ("auto", the default, follows the database
vendor). Writers call `index()` / `unindex()` inside the service's
transaction, so the index holds exactly the published versions.

A document's id is its place in the portal's order and its tokens carry the
publication's agency, kind, region and decision day as facets (`documents`),
so the portal's list is answered by the index alone: `keys()`, newest first,
up to a limit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from zhifa.disclosure.search.backends import Backend, PostgresBackend, SqliteBackend
from zhifa.disclosure.search.documents import Criteria, index_tokens, order_key
from zhifa.disclosure.search.tokens import Query, parse_query

BACKENDS: dict[str, type[Backend]] = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}


def get_backend() -> Backend:
    name = getattr(settings, "ZHIFA_SEARCH_BACKEND", "auto") or "auto"
    if name == "auto":
        name = connection.vendor
    try:
        return BACKENDS[name]()
    except KeyError:
        raise ImproperlyConfigured(
            f"检索后端“{name}”不可用：ZHIFA_SEARCH_BACKEND 只能是 auto、sqlite 或 postgresql，"
            "且须与所用数据库一致。"
        ) from None


def index(publication) -> None:
    """Put the publication's public text in the index (replacing what was there)."""
    from zhifa.disclosure.models import SearchDocument

    key = order_key(publication.decided_on, publication.pk)
    tokens = index_tokens(
        agency_id=publication.agency_id,
        kind=publication.kind,
        region_code=publication.region_code,
        decided_on=publication.decided_on,
        title=publication.title,
        party=publication.party_display,
        agency_name=publication.agency_name,
        decision_number=publication.decision_number,
        text=publication.text,
    )
    # A document filed under another key (written before the key encoded the
    # order, or with another decision date) leaves first.
    for doc in SearchDocument.objects.filter(publication=publication).exclude(pk=key):
        doc.delete()
    SearchDocument.objects.update_or_create(
        pk=key, defaults={"publication": publication, "tokens": tokens}
    )


def unindex(publication) -> None:
    from zhifa.disclosure.models import SearchDocument

    # Delete row by row so the SQLite triggers see each old row.
    for doc in SearchDocument.objects.filter(publication=publication):
        doc.delete()


def search(queryset, query: Query | str):
    """`queryset` narrowed to the publications matching `query` (an AND of its terms)."""
    if isinstance(query, str):
        query = parse_query(query)
    if query.empty:
        return queryset
    return get_backend().filter(queryset, query)


def keys(criteria: Criteria, *, offset: int, limit: int) -> list[int]:
    """Order keys of the documents matching `criteria`, newest first."""
    return get_backend().keys(criteria, offset=offset, limit=limit)


__all__ = [
    "Criteria",
    "Query",
    "get_backend",
    "index",
    "keys",
    "parse_query",
    "search",
    "unindex",
]
