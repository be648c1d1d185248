"""The two search backends. Both receive a parsed `Query` whose tokens hold
only Chinese characters and ASCII letters and digits (`tokens.parse_query`),
and both quote every token anyway, so no query reaches the engine as syntax.

Semantics, identical on both: a Chinese term of one character matches that
character; of n ≥ 2 characters the phrase of its bigrams (the substring); an
ASCII word matches words beginning with it; all terms must match.
"""

from __future__ import annotations

from django.db.models.expressions import RawSQL

from zhifa.disclosure.search.tokens import Query

FTS_TABLE = "disclosure_search_fts"
DOC_TABLE = "disclosure_searchdocument"


class Backend:
    name = ""

    def match_sql(self, query: Query) -> tuple[str, list[str]]:
        """SQL selecting the ids of the matching publications, and its parameters."""
        raise NotImplementedError

    def filter(self, queryset, query: Query):
        # `pk IN (subquery)` on the publication's own primary key: SQLite then
        # builds the list once (a filter through the reverse one-to-one made
        # it rescan the list for every row: quadratic).
        sql, params = self.match_sql(query)
        return queryset.filter(pk__in=RawSQL(sql, params))


class SqliteBackend(Backend):
    name = "sqlite"

    @staticmethod
    def expression(query: Query) -> str:
        parts = []
        for term in query.terms:
            phrase = " ".join(term.tokens)
            parts.append(f'"{phrase}"*' if term.ascii else f'"{phrase}"')
        return " AND ".join(parts)

    def match_sql(self, query: Query) -> tuple[str, list[str]]:
        return (
            f"SELECT d.publication_id FROM {FTS_TABLE} JOIN {DOC_TABLE} d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s",
            [self.expression(query)],
        )


class PostgresBackend(Backend):
    name = "postgresql"

    @staticmethod
    def expression(query: Query) -> str:
        def lexeme(token: str) -> str:
            return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"

        parts = []
        for term in query.terms:
            if term.ascii:
                parts.append(lexeme(term.tokens[0]) + ":*")
            else:
                parts.append("(" + " <-> ".join(lexeme(t) for t in term.tokens) + ")")
        return " & ".join(parts)

    def match_sql(self, query: Query) -> tuple[str, list[str]]:
        return (
            f"SELECT publication_id FROM {DOC_TABLE} WHERE tsv @@ to_tsquery('simple', %s)",
            [self.expression(query)],
        )
