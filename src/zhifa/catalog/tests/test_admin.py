"""The catalog admin pages render, and a criterion without citation is refused."""

import pytest
from django.urls import reverse

from zhifa.catalog.models import MajorDecisionCriterion
from zhifa.catalog.tests.factories import penalty_item, standard
from zhifa.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def su_client(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "enforcementitem",
        "itemversion",
        "discretionstandard",
        "majordecisioncriterion",
        "agencycatalogsettings",
    ],
)
def test_changelists_render(su_client, model):
    std = standard()
    assert su_client.get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200
    if model == "enforcementitem":
        url = reverse("admin:catalog_enforcementitem_change", args=[std.version.item.pk])
        assert su_client.get(url).status_code == 200


def test_criterion_without_citation_is_not_saved_from_admin(su_client):
    item = penalty_item()
    response = su_client.post(
        reverse("admin:catalog_majordecisioncriterion_add"),
        {
            "agency": item.agency.pk,
            "kind": "hearing",
            "penalty_types": "[]",
            "party_kind": "any",
            "description": "经过听证程序",
            "citation": "",
        },
    )
    assert response.status_code in (200, 302)
    assert MajorDecisionCriterion.objects.count() == 0
