"""A decision creates a publication obligation with its statutory due date."""

from __future__ import annotations

import pytest

from zhifa.cases.tests import factories as f
from zhifa.disclosure import services
from zhifa.disclosure.models import ExemptReason, Publication, PublicationStatus
from zhifa.disclosure.tests.factories import MINOR, decided
from zhifa.ledger.models import Entry
from zhifa.workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(time_machine):
    f.freeze(time_machine)
    return f.world()


def test_decision_creates_a_due_obligation_seven_working_days_out(
    w, django_capture_on_commit_callbacks
):
    case, pub = decided(w, django_capture_on_commit_callbacks)

    assert pub.status == PublicationStatus.DUE
    assert pub.kind == "penalty" and pub.due_rule == "disclosure.penalty"
    assert pub.decided_on == case.decided_on
    assert pub.due_on == add_working_days(case.decided_on, 7)
    assert pub.case_number == case.number and pub.decision_number == case.decision_number
    assert pub.agency_name == w.agency.name and pub.region_code == w.agency.region.code
    assert pub.text == ""
    entry = Entry.objects.get(action="disclosure.obligation_created")
    assert entry.subject_id == str(pub.public_id)


def test_obligation_is_idempotent(w, django_capture_on_commit_callbacks):
    case, pub = decided(w, django_capture_on_commit_callbacks)
    from zhifa.cases.models import Document

    doc = Document.objects.get(pk=pub.document_id)
    again = services.obligation_create(
        actor=services.SYSTEM, case=case, document=doc, decided_on=case.decided_on
    )
    assert again.pk == pub.pk
    assert Publication.objects.count() == 1
    assert Entry.objects.filter(action="disclosure.obligation_created").count() == 1


def test_no_calendar_stores_no_due_date_and_says_why(w, django_capture_on_commit_callbacks):
    from zhifa.workdays.models import CalendarYear

    case, pub = decided(w, django_capture_on_commit_callbacks)
    from zhifa.cases.models import Document

    doc = Document.objects.get(pk=pub.document_id)
    Publication.objects.all().delete()
    CalendarYear.objects.filter(year=2026).delete()
    pub = services.obligation_create(
        actor=services.SYSTEM, case=case, document=doc, decided_on=case.decided_on
    )
    assert pub.due_on is None
    assert "2026年的工作日历尚未录入" in pub.calendar_note


def test_minor_party_is_exempt_with_a_recorded_reason(w, django_capture_on_commit_callbacks):
    _, pub = decided(w, django_capture_on_commit_callbacks, party=MINOR)

    assert pub.status == PublicationStatus.EXEMPT
    assert pub.exempt_reason == ExemptReason.MINOR and "未成年" in pub.exempt_note
    assert Entry.objects.filter(action="disclosure.exempted").count() == 1


def test_warning_only_market_penalty_is_exempt_pub_01(w, django_capture_on_commit_callbacks):
    case = f.summary_case(w, on=f.days_ago(1))
    with django_capture_on_commit_callbacks(execute=True):
        f.decide_on_spot(w, case, types=("warning",))

    pub = Publication.objects.get(case_id=case.pk)
    assert pub.status == PublicationStatus.EXEMPT
    assert pub.exempt_reason == ExemptReason.WARNING_ONLY


def test_summary_fine_is_owed_like_any_penalty(w, django_capture_on_commit_callbacks):
    case = f.summary_case(w, on=f.days_ago(1))
    with django_capture_on_commit_callbacks(execute=True):
        case = f.decide_on_spot(w, case, fine="50")

    pub = Publication.objects.get(case_id=case.pk)
    assert pub.status == PublicationStatus.DUE and pub.document_type == "summary_decision"
    assert pub.party_ref  # the party may claim the right of reply


def test_agency_head_exempts_for_secrecy_with_a_note(w, django_capture_on_commit_callbacks):
    _, pub = decided(w, django_capture_on_commit_callbacks)
    with pytest.raises(services.NotAllowed):
        services.publication_exempt(actor=w.users[0], publication=pub, reason="secret", note="x")
    with pytest.raises(services.DisclosureError, match="必须说明理由"):
        services.publication_exempt(actor=w.head, publication=pub, reason="secret", note=" ")
    pub = services.publication_exempt(
        actor=w.head,
        publication=pub,
        reason="secret",
        note="案件事实涉及国家秘密，经保密审查不予公开。",
    )
    assert pub.status == PublicationStatus.EXEMPT
    with pytest.raises(services.DisclosureError):
        services.publication_draft(actor=w.users[0], publication=pub)
