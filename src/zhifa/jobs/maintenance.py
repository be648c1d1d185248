"""Jobs that keep the database itself in shape (registered in JobsConfig)."""

from __future__ import annotations

from django.db import connection


def database_statistics() -> str:
    """Refresh the query planner's statistics on SQLite, daily.

    SQLite keeps none until ANALYZE runs, and without them it guesses: the
    case list, filtered to the agencies a supervisor sees, was read through
    the agency index and sorted (100 ms a page at 100,000 cases) instead of
    walking the list's own order (15 ms; bench/case_list.py). PostgreSQL's
    autovacuum keeps its statistics by itself.
    """
    if connection.vendor != "sqlite":
        return f"{connection.vendor} 由数据库自身（autovacuum）维护统计信息，无需处理。"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA optimize")
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1")
        (rows,) = cursor.fetchone()
    return f"已更新 SQLite 查询统计信息（{rows} 项）。"
