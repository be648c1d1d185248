"""The database a reading benchmark builds and times (disclosure_search.py,
case_list.py): SQLite under a data directory, or a throwaway PostgreSQL
database on the server of `--pg-url` / DATABASE_URL. The database named in
DATABASE_URL itself is never touched: only its server and credentials."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--db (PostgreSQL when DATABASE_URL names one) and --pg-url."""
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres"],
        default="postgres"
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "sqlite",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("DATABASE_URL") or "postgres://zhifa:zhifa@127.0.0.1:5432/postgres",
    )


def setup(
    db: str, pg_url: str, *, pg_name: str, data_dir: Path, reuse: bool = False
) -> Callable[[], None]:
    """Point Django at the benchmark's database (created afresh and migrated
    unless `reuse`), set it up, and return what drops it again."""
    os.environ["ZHIFA_DATA_DIR"] = str(data_dir)
    os.environ["ZHIFA_DEBUG"] = "false"  # as in production: DEBUG logs every query
    os.environ["ZHIFA_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
    if db == "postgres":
        import psycopg

        base = pg_url.rsplit("/", 1)[0]
        os.environ["DATABASE_URL"] = f"{base}/{pg_name}"
        if not reuse:
            with psycopg.connect(base + "/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {pg_name}")
                admin.execute(f"CREATE DATABASE {pg_name} ENCODING 'UTF8' TEMPLATE template0")

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(base + "/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {pg_name}")

    else:
        os.environ.pop("DATABASE_URL", None)
        if not reuse and data_dir.exists():
            shutil.rmtree(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)

        def drop() -> None:
            shutil.rmtree(data_dir, ignore_errors=True)

    import django

    django.setup()
    if not reuse:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    return drop
