"""The case timeline is dated by when each step happened (its form's `on`),
not when it was entered: ordered by that date, then in the order recorded,
with the entry time beside it when it was another day."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.cases import selectors
from zhifa.cases.tests import factories as f
from zhifa.cases.tests.factories import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(time_machine, monkeypatch):
    f.freeze(time_machine)  # 2026-07-15 10:00 in Beijing
    monkeypatch.setattr("zhifa.cases.documents.services.render_docx", f.quick_docx)
    return f.world()


def inquiry(w, on) -> dict:
    return {
        "officers_present": f.ids(w.officers[:2]),
        "person": "李四",
        "relation": "party",
        "place": "本县市场监督管理局询问室",
        "content": "问：散装熟食从何处进货？答：从批发市场。",
        "on": on,
    }


@pytest.fixture
def case(w):
    """Filed 11 days ago and inspected 10 days ago (both entered today); then an
    inquiry held 11 days ago but entered after the inspection, and one held today."""
    # Registered 12, filed 11 and inspected 10 days ago.
    case = f.general_case(w, until="investigation")
    f.fire(case, "record_inquiry", w.users[0], inquiry(w, days_ago(11)))
    f.fire(case, "record_inquiry", w.users[0], inquiry(w, f.TODAY) | {"person": "王五"})
    return case


def test_the_timeline_is_ordered_by_the_day_each_step_happened(case):
    rows = selectors.timeline(case)

    assert [(r.transition, r.on) for r in rows] == [
        ("file", days_ago(11)),
        ("record_inquiry", days_ago(11)),  # same day: in the order recorded
        ("record_inspection", days_ago(10)),
        ("record_inquiry", f.TODAY),
    ]
    assert rows[1].id > rows[2].id  # entered after the inspection, shown before it
    assert rows[1].data["person"] == "李四"


def test_the_case_page_shows_the_step_date_and_when_it_was_entered(client, w, case):
    client.force_login(w.users[0])

    text = client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    timeline = text.split('id="timeline-title"', 1)[1]
    items = re.findall(
        r"<li>\s*<strong>(.*?)</strong> <span class=\"muted\">(.*?)</span>", timeline
    )
    labels = [label for label, _ in items]
    assert labels == ["立案", "制作询问笔录", "制作现场检查笔录", "制作询问笔录"]
    filed = items[0][1]
    assert filed.startswith(
        f'<time datetime="{days_ago(11):%Y-%m-%d}">{days_ago(11):%Y-%m-%d}</time>'
    )
    assert "（录入于 2026-07-15 10:0" in filed
    today = items[3][1]
    assert "2026-07-15</time> 10:0" in today and "录入于" not in today


def test_the_api_timeline_carries_the_step_date_in_the_same_order(w, case):
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=w.users[0])[0]}"
    )

    body = client.get(f"/api/v1/cases/{case.pk}/timeline/").json()

    assert [(r["transition"], r["on"]) for r in body] == [
        ("file", days_ago(11).isoformat()),
        ("record_inquiry", days_ago(11).isoformat()),
        ("record_inspection", days_ago(10).isoformat()),
        ("record_inquiry", f.TODAY.isoformat()),
    ]
