"""The demo 法制审核: a review in every state, the answered-and-agreed case
decided, the 集体讨论, the overdue and the returned review, the blocked case
still blocked, and a ledger that verifies.

Loaded once for the class (`setUpTestData`), as the cases demo test does,
with ledger signing keys of its own (`ledger_keys`).
"""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Document
from zhifa.cases.selectors import decision_fingerprint
from zhifa.demo.cases_demo import demo_cases
from zhifa.demo.loader import MARKET, load_demo
from zhifa.demo.review_demo import NEW_CASES, ON_DEMO_CASES, demo_reviews
from zhifa.demo.tests.ledger_keys import FreshLedgerKeys
from zhifa.orgs.models import Agency, User
from zhifa.review import gate, selectors
from zhifa.review.models import RequestStatus, ReviewPolicy, ReviewRequest


def rounds(case) -> list[tuple[int, str]]:
    return [(r.round, r.status) for r in selectors.request_list_for_case(case)]


class DemoReviewsTest(FreshLedgerKeys, TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.market = Agency.objects.get(name=MARKET)
        cls.reviews = demo_reviews(cls.market)

    def test_every_review_state_is_in_the_demo(self):
        assert set(self.reviews) == {c.key for c in NEW_CASES} | set(ON_DEMO_CASES)
        statuses = set(
            ReviewRequest.objects.filter(agency=self.market).values_list("status", flat=True)
        )
        assert statuses == set(RequestStatus.values)
        assert ReviewPolicy.objects.get(agency=self.market).time_limit_working_days == 7

    def test_the_answered_review_was_agreed_and_the_case_decided(self):
        case = self.reviews["review_agreed"]
        assert rounds(case) == [(1, "resubmitted"), (2, "agreed")]
        second = selectors.request_list_for_case(case)[1]
        assert second.response and "进货单据" in second.response
        assert case.status == "decided" and case.decision_number
        opinions = Document.objects.filter(case=case, doc_type="legal_review_opinion")
        assert opinions.count() == 2 and not opinions.exclude(status="issued").exists()

    def test_the_disagreement_was_decided_by_collective_discussion(self):
        case = self.reviews["review_collective"]
        assert rounds(case) == [(1, "resolved")]
        dispute = selectors.request_list_for_case(case)[0].disagreement
        assert (dispute.via, dispute.outcome) == ("collective", "upheld_unit")
        assert dispute.document.doc_type == "collective_record"
        assert dispute.document.status == "issued"
        assert gate.status(case, decision_fingerprint(case)).agreed
        assert rounds(self.reviews["review_disputed"]) == [(1, "disputed")]

    def test_under_review_overdue_returned_and_waiting(self):
        today = timezone.localdate()
        overdue = self.reviews["overdue"]
        assert rounds(overdue) == [(1, "under_review")]
        late = selectors.overdue_requests(self.market, today)
        assert [r.case_id for r in late][:1] == [overdue.pk]
        assert rounds(self.reviews["hearing_held"]) == [(1, "under_review")]
        returned = selectors.request_list_for_case(self.reviews["hearing_scheduled"])
        assert [m["code"] for m in returned[0].missing] == ["hearing_record"]
        assert rounds(self.reviews["review_submitted"]) == [(1, "submitted")]
        assert rounds(self.reviews["review_problems"]) == [(1, "problems")]
        assert rounds(self.reviews["review_first_round"]) == [(1, "agreed")]
        # Every due date was computed: the calendar covers the demo's dates.
        assert not ReviewRequest.objects.filter(agency=self.market, due_on__isnull=True).exists()

    def test_the_blocked_case_is_still_not_reviewed(self):
        blocked = demo_cases(self.market)["blocked"]
        assert not ReviewRequest.objects.filter(case=blocked).exists()
        assert gate.status(blocked, decision_fingerprint(blocked)).detail == "尚未提交法制审核"

    def test_figures_add_up_for_the_demo(self):
        f = selectors.figures(self.market, date(2026, 1, 1), date(2026, 12, 31))
        assert f.requests == ReviewRequest.objects.filter(agency=self.market).count() == 10
        assert f.requests == f.returned + f.pending + f.agreed + f.problems
        assert (f.first_rounds, f.agreed_first_round) == (5, 1)
        assert f.opinions == f.timed and f.untimed == 0
        assert f.overdue_open == 1 and f.disputes == 2

    def test_every_review_page_opens_for_the_reviewer_and_the_head(self):
        for username in ("liuyang", "chenjing", "wangfang"):
            self.client.force_login(User.objects.get(username=username))
            for r in ReviewRequest.objects.filter(agency=self.market):
                response = self.client.get(reverse("review:detail", args=[r.pk]))
                assert response.status_code == 200, (username, r)
            assert self.client.get(reverse("review:queue")).status_code == 200
        self.client.force_login(User.objects.get(username="chenjing"))
        assert self.client.get(reverse("review:figures")).status_code == 200
        assert self.client.get(reverse("review:policy")).status_code == 200

    def test_loading_again_changes_nothing_and_the_ledger_verifies(self):
        before = ReviewRequest.objects.count()
        load_demo()
        assert ReviewRequest.objects.count() == before
        out = StringIO()
        call_command("ledger", "verify", stdout=out)
        assert "全部一致" in out.getvalue()
