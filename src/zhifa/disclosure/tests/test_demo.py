"""The demo's 事后公开: published, due, overdue, withdrawn and corrected
publications from the demo cases' real decisions, an answered error report and
a reply shown; loading twice changes nothing. And issue 8's "Done when" on the
demo: a decision flows to a due publication, is redacted, confirmed and
published; its revocation withdraws it with a public reason; search finds by
a 2-character word; the downloads and the API work."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from zhifa.cases.models import Case
from zhifa.demo.disclosure_demo import WITHDRAWN_TITLE
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
    assert corrected.title != corrected.previous.title and "蜂蜜" in corrected.title
    # The owner's given name as the shop's 字号 was masked from the first version on.
    assert corrected.previous.title.startswith("王某某（某某副食店）")
    assert withdrawn.title.startswith("钱某某（某某副食店）")
    assert ErrorReport.objects.get().status == "answered"
    assert PartyReply.objects.get().status == "approved"
    overdue = Publication.objects.owed().filter(due_on__lt=datetime(2026, 11, 23).date())
    assert overdue.exists()
    entries = Entry.objects.count()
    load_demo()
    assert Entry.objects.count() == entries

    # Done when: the withdrawn decision went through every step, each in the ledger.
    case = Case.objects.get(title=WITHDRAWN_TITLE)
    steps = list(
        Entry.objects.filter(subject_type="disclosure.publication", subject_id=withdrawn.public_id)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert steps == [
        "disclosure.obligation_created",
        "disclosure.drafted",
        "disclosure.redaction_confirmed",
        "disclosure.published",
        "disclosure.withdrawal_required",
        "disclosure.withdrawn",
    ]
    assert case.outcome_kind == "revoked" and withdrawn.withdrawal_cause == "revoked"
    assert withdrawn.text_sha256  # what was published stays provable, not readable

    # The portal finds publications by a two-character word, never the withdrawn one.
    page = client.get("/results/", {"q": "罚款"}).content.decode()
    assert "<mark>罚款</mark>" in page and str(withdrawn.series) not in page
    assert "钱玉兰" not in page and "秀英" not in page
    notice = client.get(f"/results/{withdrawn.series}/").content.decode()
    assert "撤回说明" in notice and "复议" in notice and "经查" not in notice

    # Open data: CSV, JSON and the API carry the notice without the text.
    body = b"".join(client.get("/results/download.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    by_id = {row["标识"]: row for row in rows}
    assert by_id[str(withdrawn.series)]["状态"] == "withdrawn"
    assert by_id[str(withdrawn.series)]["公开文本"] == ""
    assert "行政复议" in by_id[str(withdrawn.series)]["撤回理由"]
    data = json.loads(client.get("/results/download.json").content)
    notice_row = next(r for r in data["results"] if r["id"] == str(withdrawn.series))
    assert notice_row["text"] is None and notice_row["withdrawal_reason"]
    api = client.get("/open/api/v1/publications/", {"q": "罚款"}).json()
    assert api["count"] >= 1 and all(r["status"] == "published" for r in api["results"])
    api_notice = client.get(f"/open/api/v1/publications/{withdrawn.series}/").json()
    assert api_notice["status"] == "withdrawn" and api_notice["text"] is None
