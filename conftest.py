"""Project-wide test fixtures."""

import pytest
from django.db import connection


def _uses_transactions(request) -> bool:
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        return True
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def _ledger_append_only_guard(request):
    """Keep the ledger's append-only triggers armed in every database test.

    Transactional tests end with Django flushing every table, which those
    triggers refuse; for them only, the documented maintenance switch is
    opened just before the flush. Every database test starts with it closed.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    transactional = _uses_transactions(request)
    request.getfixturevalue("transactional_db" if transactional else "db")
    # Each test's database starts empty, so each gets fresh signing keys and
    # signer state (the signer refuses to sign a different history).
    tmp = request.getfixturevalue("tmp_path")
    django_settings = request.getfixturevalue("settings")
    django_settings.ZHIFA_LEDGER_KEY_FILE = tmp / "ledger" / "log.key"
    django_settings.ZHIFA_WITNESS_KEY_FILE = tmp / "ledger" / "witness.key"
    _set_purge(False)
    yield
    if transactional:
        _set_purge(True)


def _set_purge(allowed: bool) -> None:
    with connection.cursor() as cur:
        cur.execute("DELETE FROM zhifa_ledger_maintenance")
        if allowed:
            cur.execute("INSERT INTO zhifa_ledger_maintenance (purge_allowed) VALUES (%s)", [True])
