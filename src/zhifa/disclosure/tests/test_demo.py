"""The demo's 事后公开: published, due, overdue, withdrawn and corrected
publications from the demo cases' real decisions, an answered error report and
a reply shown; loading twice changes nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from zhifa.demo.loader import load_demo
from zhifa.disclosure.models import ErrorReport, PartyReply, Publication
from zhifa.ledger.models import Entry

pytestmark = pytest.mark.django_db


def test_demo_publications_cover_every_state(time_machine, client):
    time_machine.move_to(datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    load_demo()
    statuses = set(Publication.objects.values_list("status", flat=True))
    assert {"published", "due", "drafted", "withdrawn", "superseded", "cancelled"} <= statuses
    withdrawn = Publication.objects.get(status="withdrawn")
    assert "行政复议决定" in withdrawn.withdrawal_reason and withdrawn.text == ""
    corrected = Publication.objects.get(version=2)
    assert corrected.status == "published" and corrected.previous.status == "superseded"
    assert "（某某" in corrected.title and corrected.title != corrected.previous.title
    assert ErrorReport.objects.get().status == "answered"
    assert PartyReply.objects.get().status == "approved"
    overdue = Publication.objects.owed().filter(due_on__lt=datetime(2026, 11, 23).date())
    assert overdue.exists()
    entries = Entry.objects.count()
    load_demo()
    assert Entry.objects.count() == entries
    # The portal shows them and finds one by a two-character word.
    page = client.get("/results/", {"q": "罚款"}).content.decode()
    assert "<mark>罚款</mark>" in page
    notice = client.get(f"/results/{withdrawn.series}/").content.decode()
    assert "撤回说明" in notice
