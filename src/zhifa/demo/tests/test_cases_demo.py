"""The demo cases: every state of the general procedure, the blocked and the
overdue case, and a ledger that still verifies.

One `TestCase` with `setUpTestData`: the demo is loaded once for all these
tests and rolled back after them; a load writes several hundred ledger
entries and renders some seventy documents, too slow to repeat per test.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from zhifa.cases import deadlines, engine
from zhifa.cases.errors import TransitionRefused
from zhifa.cases.models import Case, Deadline, Document, Payment, RemedyPeriod
from zhifa.demo.cases_demo import CASES, demo_cases
from zhifa.demo.loader import MARKET, load_demo
from zhifa.demo.tests.ledger_keys import FreshLedgerKeys
from zhifa.orgs.models import Agency, User
from zhifa.procedures import PENALTY_GENERAL
from zhifa.rules.models import RuleOverride


class DemoCasesTest(FreshLedgerKeys, TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.market = Agency.objects.get(name=MARKET)
        cls.demo = demo_cases(cls.market)

    def test_demo_has_cases_in_every_state_of_the_general_procedure(self):
        demo = self.demo
        general = Case.objects.filter(agency=self.market, procedure="penalty.general")
        states = set(general.values_list("status", flat=True))
        assert {s.code for s in PENALTY_GENERAL.states} <= states

        assert demo["registered"].status == "registered"
        investigation = demo["investigation"]
        assert investigation.status == "investigation"
        assert deadlines.running(investigation, "preservation") is not None
        assert investigation.recusals.get().granted is True
        assert demo["overdue"].status == "examination"
        assert demo["statement"].status == "statement"
        scheduled = demo["hearing_scheduled"]
        assert scheduled.status == "hearing"
        assert scheduled.hearing.notified_on and scheduled.hearing.presider
        assert not scheduled.hearing.held
        assert demo["hearing_held"].status == "deliberation" and demo["hearing_held"].hearing.held
        assert demo["blocked"].status == "deliberation"
        assert demo["decided"].status == "decided" and demo["decided"].decision_number
        paused = demo["served_paused"]
        assert paused.status == "served"
        assert Payment.objects.get(case=paused).amount < paused.fine_amount
        assert RemedyPeriod.objects.filter(case=paused, ended_on__isnull=True).exists()
        assert demo["revoked"].outcome_kind == "revoked"
        assert demo["closed"].status == "closed"
        assert demo["transferred"].status == "closed"
        assert demo["transferred"].decision_kind == "transfer"
        assert demo["not_filed"].status == "not_filed"
        assert demo["summary"].procedure == "penalty.summary"
        assert demo["summary"].status == "filed"

    def test_demo_archived_case_has_every_document_issued_and_evidence_photos(self):
        archived = self.demo["archived"]
        assert archived.status == "archived"
        assert archived.documents.filter(doc_type="penalty_decision").exists()
        assert not archived.documents.filter(status=Document.Status.DRAFT).exists()
        assert archived.evidence.filter(blob__media_type="image/png").exists()

    def test_demo_overdue_case_is_past_its_decision_deadline(self):
        today = timezone.localdate()
        case = self.demo["overdue"]
        decide = deadlines.running(case, "decide")
        assert case.filed_on < today - timedelta(days=90)
        assert decide.effective_due < today
        assert deadlines.status(decide, today) == "overdue"

    def test_demo_deadlines_all_fall_in_a_year_with_a_loaded_calendar(self):
        rows = Deadline.objects.filter(case__in=list(self.demo.values()))
        assert rows.exists()
        assert not rows.exclude(calendar_note="").exists()
        assert all(d.effective_due and d.effective_due <= date(2026, 12, 31) for d in rows)
        configured = RuleOverride.objects.filter(region_code="210000")
        assert set(configured.values_list("rule_id", flat=True)) >= {
            "penalty.hearing_large_fine_citizen",
            "penalty.hearing_large_fine_organisation",
            "penalty.statement_period",
        }

    def test_demo_blocked_case_is_refused_for_lack_of_legal_review_and_says_why(self):
        case = self.demo["blocked"]
        head = User.objects.get(username="chenjing")
        data = {
            "penalty_types": ["fine", "confiscate_property"],
            "fine_amount": str(case.fine_amount),
            "confiscation_amount": str(case.confiscation_amount),
        }

        with self.assertRaises(TransitionRefused) as refused:
            engine.fire(case, "decide_penalty", head, data)

        assert refused.exception.guards == ["legal_review_agreed"]
        assert "第五十八条" in refused.exception.messages[0]
        assert Case.objects.get(pk=case.pk).status == "deliberation"
        self.client.force_login(head)
        page = self.client.get(f"/staff/cases/{case.pk}/").content.decode()
        assert "须经法制审核" in page

    def test_every_demo_case_page_opens_for_the_agency_head(self):
        assert set(self.demo) == {c.key for c in CASES}
        self.client.force_login(User.objects.get(username="chenjing"))
        for key, case in self.demo.items():
            response = self.client.get(f"/staff/cases/{case.pk}/")
            assert response.status_code == 200, key
            assert case.number in response.content.decode(), key

    def test_demo_ledger_verifies_after_the_cases(self):
        out = StringIO()
        call_command("ledger", "verify", stdout=out)
        assert "全部一致" in out.getvalue()
