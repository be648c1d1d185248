"""The two search backends. Both receive a parsed `Query` whose tokens hold
only Chinese characters and ASCII letters and digits (`tokens.parse_query`),
plus facet tokens built by `documents` from validated filter values, and both
quote every token anyway, so no query reaches the engine as syntax.

Semantics, identical on both: a Chinese term of one character matches that
character; of n ≥ 2 characters the phrase of its bigrams (the substring); an
ASCII word matches words beginning with it; a facet matches exactly; all terms
and facets must match.

`keys()` answers the portal's list from the index alone, newest first, and
stops at its limit: the document id is the order key (`documents.order_key`).
SQLite walks its FTS5 doclists in descending rowid order. PostgreSQL's GIN
index has no order, so it is asked window by window of decision days, newest
first, and each window's hits are sorted (`PostgresBackend.keys`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from zhifa.disclosure.search.documents import MAX_KEY, ORDER_SHIFT, Criteria, day_blocks
from zhifa.disclosure.search.tokens import Query

FTS_TABLE = "disclosure_search_fts"
DOC_TABLE = "disclosure_searchdocument"


class Backend(ABC):
    """What each database's search must answer; SqliteBackend and
    PostgresBackend implement it."""

    name = ""

    @abstractmethod
    def match_sql(self, query: Query) -> tuple[str, list[str]]:
        """SQL selecting the ids of the matching publications, and its parameters."""

    def filter(self, queryset, query: Query):
        # `pk IN (subquery)` on the publication's own primary key: SQLite then
        # builds the list once (a filter through the reverse one-to-one made
        # it rescan the list for every row: quadratic).
        sql, params = self.match_sql(query)
        return queryset.filter(pk__in=RawSQL(sql, params))

    @abstractmethod
    def source(self, criteria: Criteria) -> tuple[str, str, list]:
        """The column holding the order key, and FROM … WHERE … selecting the
        documents that match `criteria` with its parameters."""

    @staticmethod
    def _where(
        criteria: Criteria, column: str, clauses: list[str], params: list
    ) -> tuple[str, list]:
        if criteria.key_min is not None:
            clauses.append(f"{column} >= %s")
            params.append(criteria.key_min)
        if criteria.key_max is not None:
            clauses.append(f"{column} <= %s")
            params.append(criteria.key_max)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def keys(self, criteria: Criteria, *, offset: int, limit: int) -> list[int]:
        """Order keys of the matching documents, newest first, from `offset`."""
        if criteria.impossible or limit <= 0:
            return []
        key, source, params = self.source(criteria)
        sql = f"SELECT {key} {source} ORDER BY {key} DESC LIMIT %s OFFSET %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]


class SqliteBackend(Backend):
    name = "sqlite"

    @staticmethod
    def expression(query: Query, facets: tuple[str, ...] = ()) -> str:
        parts = []
        for term in query.terms:
            phrase = " ".join(term.tokens)
            parts.append(f'"{phrase}"*' if term.ascii else f'"{phrase}"')
        parts.extend(f'"{facet}"' for facet in facets)
        return " AND ".join(parts)

    def match_sql(self, query: Query) -> tuple[str, list[str]]:
        return (
            f"SELECT d.publication_id FROM {FTS_TABLE} JOIN {DOC_TABLE} d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s",
            [self.expression(query)],
        )

    def source(self, criteria: Criteria) -> tuple[str, str, list]:
        # FTS5 walks its doclists in rowid order (descending when asked) and
        # takes rowid bounds: the first page costs a page, not every hit.
        if criteria.matches_text:
            where, params = self._where(
                criteria,
                "rowid",
                [f"{FTS_TABLE} MATCH %s"],
                [self.expression(criteria.query, criteria.facets)],
            )
            return "rowid", f"FROM {FTS_TABLE}{where}", params
        where, params = self._where(criteria, "id", [], [])
        return "id", f"FROM {DOC_TABLE}{where}", params


class PostgresBackend(Backend):
    name = "postgresql"

    @staticmethod
    def expression(query: Query, facets: tuple[str, ...] = ()) -> str:
        def lexeme(token: str) -> str:
            return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"

        parts = []
        for term in query.terms:
            if term.ascii:
                parts.append(lexeme(term.tokens[0]) + ":*")
            else:
                parts.append("(" + " <-> ".join(lexeme(t) for t in term.tokens) + ")")
        parts.extend(lexeme(facet) for facet in facets)
        return " & ".join(parts)

    def match_sql(self, query: Query) -> tuple[str, list[str]]:
        return (
            f"SELECT publication_id FROM {DOC_TABLE} WHERE tsv @@ to_tsquery('simple', %s)",
            [self.expression(query)],
        )

    def source(self, criteria: Criteria) -> tuple[str, str, list]:
        # Only for the list without terms or facets: a walk of the primary key.
        where, params = self._where(criteria, "id", [], [])
        return "id", f"FROM {DOC_TABLE}{where}", params

    def keys(self, criteria: Criteria, *, offset: int, limit: int) -> list[int]:
        """GIN finds matches but not in key order, and walking the primary key
        while testing each row's tsvector costs a detoasted tsvector per row
        (seconds when the filters exclude most hits). So ask GIN for a window
        of the newest days first (at least `FIRST_WINDOW` documents), named by
        its day blocks, then widen the window by the hit rate seen until
        `offset + limit` keys are found or the range is exhausted. Each
        window's candidates are fetched, rechecked and sorted; the blocks keep
        that work near what the page needs.

        When the first window finds nothing, the hits are few or lie further
        back: one unordered pass over the rest of the range, stopped after
        `offset + limit + 1` rows, then finds all of them at the cost of one
        GIN scan (and if it finds more, the windows go on, eight times the
        days seen at a time)."""
        if not criteria.matches_text:
            return super().keys(criteria, offset=offset, limit=limit)
        if criteria.impossible or limit <= 0:
            return []
        low = 0 if criteria.key_min is None else criteria.key_min
        high = MAX_KEY if criteria.key_max is None else criteria.key_max
        want = offset + limit
        found: list[int] = []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT min(id) FROM {DOC_TABLE} WHERE id >= %s), "
                f"(SELECT max(id) FROM {DOC_TABLE} WHERE id <= %s), "
                f"(SELECT id FROM {DOC_TABLE} WHERE id BETWEEN %s AND %s "
                "ORDER BY id DESC OFFSET %s LIMIT 1), "
                f"(SELECT min(id) FROM {DOC_TABLE}), (SELECT max(id) FROM {DOC_TABLE})",
                [low, high, low, high, FIRST_WINDOW],
            )
            first, last, window_end, oldest, newest = cursor.fetchone()
            if first is None or last is None or first > last:
                return []
            first_day, last_day = first >> ORDER_SHIFT, last >> ORDER_SHIFT
            all_days = (newest >> ORDER_SHIFT) - (oldest >> ORDER_SHIFT)
            match = self.expression(criteria.query, criteria.facets)

            def window(bottom: int, top: int, *, ordered: bool) -> list[int]:
                # Blocks name the window's days for GIN, except for a window
                # over most of the whole index: GIN then drives the scan by the
                # rarest term or facet, cheaper than the union of wide blocks.
                # (Without blocks GIN returns hits of every date, so a window
                # over a narrow date filter always keeps them.)
                if 2 * (top - bottom) > all_days:
                    query = match
                else:
                    blocks = " | ".join(f"'{b}'" for b in day_blocks(bottom, top))
                    query = f"({match}) & ({blocks})"
                cursor.execute(
                    f"WITH hits AS MATERIALIZED (SELECT id FROM {DOC_TABLE} "
                    "WHERE tsv @@ to_tsquery('simple', %s)) "
                    "SELECT id FROM hits WHERE id BETWEEN %s AND %s "
                    f"{'ORDER BY id DESC ' if ordered else ''}LIMIT %s",
                    [
                        query,
                        max(low, bottom << ORDER_SHIFT),
                        min(high, ((top + 1) << ORDER_SHIFT) - 1),
                        want - len(found) + (0 if ordered else 1),
                    ],
                )
                return [row[0] for row in cursor.fetchall()]

            top = last_day
            bottom = first_day if window_end is None else window_end >> ORDER_SHIFT
            probed = False
            with _planner(cursor, enable_seqscan="off"):
                while True:
                    found.extend(window(bottom, top, ordered=True))
                    missing, seen, top = want - len(found), last_day - bottom + 1, bottom - 1
                    if missing <= 0 or top < first_day:
                        break
                    if not found and not probed:
                        probed = True
                        rest = window(first_day, top, ordered=False)
                        if len(rest) <= want:
                            found = sorted(rest, reverse=True)
                            break
                    # Days enough for what is missing at the rate seen so far,
                    # with a margin; while nothing is found, eight times as many
                    # days as seen.
                    span = -(-missing * seen * 3 // (2 * len(found))) if found else seen * 7
                    bottom = max(first_day, top - span + 1)
        return found[offset:want]


# The first window holds the newest this many documents (or the whole range).
FIRST_WINDOW = 2000


@contextmanager
def _planner(cursor, **settings: str):
    """Planner settings for the statements inside, in a transaction (or a
    savepoint) and put back afterwards, so they outlive neither (a rollback
    puts them back by itself). Without sequential scans a GIN window never
    turns into a read of the whole table when the estimate of a wide window
    is high."""
    with transaction.atomic():
        saved = {}
        for name, value in settings.items():
            cursor.execute("SELECT current_setting(%s)", [name])
            saved[name] = cursor.fetchone()[0]
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        yield
        for name, value in saved.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
