"""Chinese full-text search over published publications, one interface for
two backends (architecture.md "Chosen parts"; stack.md §4):

* ``sqlite``: an FTS5 external-content table (tokenizer unicode61) over
  `SearchDocument.tokens`, kept in step by triggers (migration 0002);
* ``postgresql``: a generated ``tsvector('simple')`` column over the same
  tokens with a GIN index (migration 0002).

`ZHIFA_SEARCH_BACKEND` picks one ("auto", the default, follows the database
vendor). Writers call `index()` / `unindex()` inside the service's
transaction, so the index holds exactly the published versions.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from zhifa.disclosure.search.backends import Backend, PostgresBackend, SqliteBackend
from zhifa.disclosure.search.tokens import Query, document_tokens, parse_query

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

    tokens = document_tokens(
        publication.title,
        publication.party_display,
        publication.agency_name,
        publication.decision_number,
        publication.text,
    )
    SearchDocument.objects.update_or_create(publication=publication, defaults={"tokens": tokens})


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


__all__ = ["Query", "get_backend", "index", "parse_query", "search", "unindex"]
