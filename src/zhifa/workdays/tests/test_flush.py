"""Transactional tests flush every table; the published calendar must come back."""

import pytest
from django.core.management import call_command
from django.db import connection

from zhifa.workdays.models import CalendarYear


@pytest.mark.django_db(transaction=True)
def test_calendar_is_reloaded_after_a_flush():
    with connection.cursor() as cur:  # the ledger's documented purge switch (tests only)
        cur.execute("INSERT INTO zhifa_ledger_maintenance (purge_allowed) VALUES (%s)", [True])
    call_command("flush", interactive=False, verbosity=0)
    assert CalendarYear.objects.filter(year=2026).exists()
