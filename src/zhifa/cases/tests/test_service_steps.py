"""A step another app's service owns (`Transition.service`) is fired only by
that service: 提交法制审核 belongs to `zhifa.review.services.review_submit`,
which opens the review round with it. A direct fire — the engine called
directly, the generic step page, the API — is refused, changes nothing and
points to the review submission page; the case page and the API's options
still show the step, linking there.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.cases import engine
from zhifa.cases.errors import TransitionRefused
from zhifa.cases.models import Case, CaseRecord
from zhifa.cases.tests import factories as f
from zhifa.ledger.models import Entry
from zhifa.procedures import PENALTY_GENERAL

pytestmark = pytest.mark.django_db

STEP = "submit_legal_review"


@pytest.fixture
def w(time_machine, monkeypatch):
    f.freeze(time_machine)
    monkeypatch.setattr("zhifa.cases.documents.services.render_docx", f.quick_docx)
    return f.world()


@pytest.fixture(autouse=True)
def review_gate():
    """The review app's gate, whatever another test left plugged in."""
    from zhifa.cases import review_hook
    from zhifa.review import gate

    saved = list(review_hook._provider)
    review_hook.register(gate.status)
    yield
    review_hook._provider[:] = saved


def major_case(w) -> Case:
    """In 案件审查, needing legal review (涉及重大公共利益, 第五十八条第一款)."""
    return f.general_case(w, until="examination", proposal={"public_interest": True})


def state(case: Case) -> tuple:
    from zhifa.review.models import ReviewRequest

    return (
        Case.objects.filter(pk=case.pk).values().get(),
        list(CaseRecord.objects.filter(case=case).values_list("id", flat=True)),
        ReviewRequest.objects.filter(case=case).count(),
        Entry.objects.count(),
    )


def submit_page(case: Case) -> str:
    return reverse("review:submit", args=[case.pk])


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0]}")
    return client


def test_the_definition_names_the_owning_service_and_stays_pure_data():
    t = PENALTY_GENERAL.transition(STEP)
    assert t.service == "review.review_submit" and t.page == "review:submit" and not t.direct
    assert all(other.direct for other in PENALTY_GENERAL.transitions if other.code != STEP)
    engine.check_definitions()
    # The procedures package imports neither the case engine nor the review app (nor Django).
    probe = (
        "import sys, zhifa.procedures; "
        "bad = [m for m in sys.modules if m.startswith(('zhifa.cases', 'zhifa.review', 'django'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_direct_engine_fire_is_refused_and_changes_nothing(w):
    case = major_case(w)
    before = state(case)

    with pytest.raises(TransitionRefused) as caught:
        engine.fire(case, STEP, w.unit_head, {"note": "请审核"})

    assert caught.value.guards == ["service"]
    message = caught.value.refusals[0].message
    assert "法制审核提交页面" in message and submit_page(case) in message
    assert "不能在通用办案环节页面或接口中直接办理" in message
    assert state(case) == before
    # Another service's name does not open it either.
    with engine.by_service("cases.something_else"), pytest.raises(TransitionRefused):
        engine.fire(case, STEP, w.unit_head, {})
    assert state(case) == before


def test_the_step_page_sends_to_the_review_page_and_refuses_a_post(client, w):
    case = major_case(w)
    url = reverse("cases:transition", args=[case.pk, STEP])
    client.force_login(w.unit_head)

    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == submit_page(case)

    before = state(case)
    response = client.post(url, {"submission_key": "k-review-1", "note": "请审核"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "法制审核提交页面" in text and submit_page(case) in text
    assert state(case) == before


def test_the_case_page_links_the_step_to_the_review_page(client, w):
    case = major_case(w)
    client.force_login(w.unit_head)

    text = client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert f'href="{submit_page(case)}"' in text
    assert reverse("cases:transition", args=[case.pk, STEP]) not in text
    assert reverse("cases:transition", args=[case.pk, "notify"]) in text  # other steps as before


def test_the_api_refuses_a_direct_submission_and_its_options_point_to_the_page(w):
    case = major_case(w)
    before = state(case)

    response = api(w.unit_head).post(
        f"/api/v1/cases/{case.pk}/transitions/{STEP}/", {"note": "请审核"}, format="json"
    )

    assert response.status_code == 409
    refusal = response.json()["refusals"][0]
    assert refusal["guard"] == "service" and submit_page(case) in refusal["message"]
    assert state(case) == before
    options = api(w.unit_head).get(f"/api/v1/cases/{case.pk}/options/").json()["options"]
    option = next(o for o in options if o["code"] == STEP)
    assert option["allowed"] is True and option["direct"] is False
    assert option["page"] == submit_page(case) and option["form_fields"] is None
    notify = next(o for o in options if o["code"] == "notify")
    assert notify["direct"] is True and notify["page"] == "" and notify["form_fields"]


def test_review_submit_still_fires_the_step_and_opens_the_round(time_machine):
    from zhifa.review import services as review_services
    from zhifa.review.tests import factories as rf

    f.freeze(time_machine)
    rw = rf.review_world()
    case = rf.major_case(rw)

    request = review_services.review_submit(
        actor=rw.unit_head, case=case, materials=rf.ALL_MATERIALS
    )

    assert request.round == 1 and request.submission_record.transition == STEP
    assert CaseRecord.objects.filter(case=case, transition=STEP).count() == 1
    # The context that let it through ends with the service call.
    with pytest.raises(TransitionRefused) as caught:
        engine.fire(case, STEP, rw.unit_head, {})
    assert caught.value.guards == ["service"]
