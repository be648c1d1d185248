"""Overdue alerts on the reviewer's and the heads' home pages, and the admin
that shows review rows without letting anyone change them."""

from __future__ import annotations

import pytest

from zhifa.orgs.models import Role, RoleAssignment
from zhifa.orgs.tests.factories import UserFactory
from zhifa.review import home, services
from zhifa.review.tests import factories as rf

pytestmark = pytest.mark.django_db


def _assignment(user, role):
    return RoleAssignment.objects.get(user=user, role=role)


def test_home_sections_show_the_queue_and_what_is_overdue(rw):
    w = rw.w
    late = rf.submit(rw, rf.major_case(rw, start=30), today=rf.days_ago(25))
    late = services.review_assign(actor=rw.legal_head, request=late, reviewer=rw.reviewer)
    fresh = rf.submit(rw, rf.major_case(rw, start=18))
    rf.problems(rw, fresh)
    services.dispute_raise(actor=w.unit_head, request=fresh, reasons="裁量适当，证据充分。")

    mine = home.reviewer_queue(rw.reviewer, _assignment(rw.reviewer, Role.LEGAL_REVIEWER))
    assert [i.severity for i in mine.items] == ["danger"]
    assert "已逾期" in mine.items[0].detail and f"/staff/review/{late.pk}/" == mine.items[0].url

    head = home.heads_overview(w.head, _assignment(w.head, Role.AGENCY_HEAD))
    details = [i.detail for i in head.items]
    assert any("法制审核逾期" in d for d in details)
    assert any("有异议" in d for d in details)
    legal_head = home.heads_overview(rw.legal_head, _assignment(rw.legal_head, Role.UNIT_HEAD))
    assert [i.detail.split("；")[0] for i in legal_head.items] == ["法制审核逾期"]
    assert home.heads_overview(w.unit_head, _assignment(w.unit_head, Role.UNIT_HEAD)) is None


def test_the_admin_shows_review_rows_but_changes_nothing(rw, client):
    request = rf.submit(rw, rf.major_case(rw))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    listing = client.get("/admin/review/reviewrequest/")
    assert listing.status_code == 200 and request.case.number in listing.content.decode()
    page = client.get(f"/admin/review/reviewrequest/{request.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/review/reviewrequest/{request.pk}/delete/").status_code == 403
    assert client.get("/admin/review/reviewrequest/add/").status_code == 403
    request.refresh_from_db()
    assert request.status == "submitted"
