"""The database's own upkeep: the planner's statistics."""

from __future__ import annotations

import pytest
from django.db import connection

from zhifa.jobs import registry
from zhifa.jobs.maintenance import database_statistics

pytestmark = pytest.mark.django_db


def test_the_statistics_job_is_registered_for_the_night():
    job = registry.get("database.statistics")
    assert job.func == "zhifa.jobs.maintenance.database_statistics" and not job.atomic


def test_the_statistics_job_gives_sqlite_its_planner_statistics():
    from zhifa.orgs.tests.factories import AgencyFactory

    AgencyFactory()  # ANALYZE records tables that have rows
    message = database_statistics()
    if connection.vendor != "sqlite":
        assert "autovacuum" in message
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'orgs_agency'")
        assert cursor.fetchone()[0] >= 1
    assert message.startswith("已更新 SQLite 查询统计信息")
