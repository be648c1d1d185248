"""Issue 8's "Done when", through the pages a real agency and the public use:
a decision flows to a due publication, is redacted, confirmed and published;
its revocation withdraws it with a public reason (a notice without the
decision text, also in CSV, JSON and the API); search finds it by a
two-character word while it is published; downloads and the API work.
(The same path on the demo data: test_demo.py.)"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.tests import factories as f
from zhifa.disclosure.models import Publication, PublicationStatus
from zhifa.disclosure.tests.factories import PERSON, decided, overturn
from zhifa.ledger.models import Entry
from zhifa.workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db
S = PublicationStatus


@pytest.fixture
def w(time_machine):
    f.freeze(time_machine)
    return f.world()


def test_a_decision_is_published_searched_revoked_and_withdrawn_with_a_public_reason(
    w, client, django_capture_on_commit_callbacks
):
    # The decision creates the obligation, due in 7 working days (GB118-05).
    case, pub = decided(w, django_capture_on_commit_callbacks, until="served", party=PERSON)
    assert pub.status == S.DUE and pub.due_rule == "disclosure.penalty"
    assert pub.due_on == add_working_days(case.decided_on, 7)

    # The agency drafts, the legal reviewer confirms, the head publishes.
    act = lambda op, **data: client.post(  # noqa: E731
        reverse("disclosure:act", args=[pub.public_id, op]), data, follow=True
    )
    client.force_login(w.users[0])
    act("draft")
    client.force_login(w.unit_head)
    act("confirm")
    client.force_login(w.head)
    assert "已公开" in act("publish").content.decode()
    pub.refresh_from_db()
    assert pub.status == S.PUBLISHED
    for value in (PERSON["name"], PERSON["id_number"], PERSON["phone"]):
        assert value not in pub.text

    # The public finds it by a two-character word and reads it at its permalink.
    client.logout()
    detail = reverse("disclosure:detail", args=[pub.series])
    results = client.get(reverse("disclosure:results"), {"q": "罚款"}).content.decode()
    assert detail in results and "<mark>罚款</mark>" in results
    assert "<h2>决定书全文</h2>" in client.get(detail).content.decode()
    text_piece = pub.text[-60:-20]
    api = client.get("/open/api/v1/publications/", {"q": "罚款"}).json()
    assert [r["id"] for r in api["results"]] == [str(pub.series)]

    # The reconsideration body revokes the decision: the withdrawal is owed
    # within 3 working days (APL-14, PUB-06) and shows in the agency's queue.
    overturn(w, case, django_capture_on_commit_callbacks, kind="revoked")
    pub.refresh_from_db()
    assert pub.withdrawal_cause == "revoked"
    assert pub.withdrawal_due_on == add_working_days(timezone.localdate(), 3)
    client.force_login(w.head)
    queue = client.get(reverse("disclosure:queue"), {"tab": "withdraw"}).content.decode()
    assert pub.decision_number in queue
    assert "必须说明理由" in act("withdraw", reason="").content.decode()  # refused, nothing done
    reason = "该行政处罚决定已被本溪县人民政府行政复议决定撤销，依法撤回公示。"
    act("withdraw", reason=reason)
    pub.refresh_from_db()
    assert pub.status == S.WITHDRAWN and pub.text == ""

    # The permalink is now a notice with the reason and date, without the text.
    client.logout()
    notice = client.get(detail).content.decode()
    assert "撤回说明" in notice and reason in notice and "原决定已被撤销" in notice
    assert "<h2>决定书全文</h2>" not in notice and text_piece not in notice
    results = client.get(reverse("disclosure:results"), {"q": "罚款"}).content.decode()
    assert detail not in results
    data = json.loads(client.get(reverse("disclosure:export_json")).content)
    (row,) = [r for r in data["results"] if r["id"] == str(pub.series)]
    assert row["status"] == "withdrawn" and row["text"] is None
    assert row["withdrawal_reason"] == reason
    body = b"".join(client.get(reverse("disclosure:export_csv")).streaming_content).decode()
    assert reason in body and PERSON["id_number"] not in body
    notices = client.get("/open/api/v1/notices/").json()
    assert [(r["id"], r["text"]) for r in notices["results"]] == [(str(pub.series), None)]

    # Every step is one ledger record.
    steps = list(
        Entry.objects.filter(subject_type="disclosure.publication", subject_id=pub.public_id)
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
    assert Publication.objects.filter(series=pub.series).count() == 1
