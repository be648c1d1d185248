"""The demo catalog loads, publishes its items and is idempotent."""

import pytest

from zhifa.catalog.models import DiscretionStandard, EnforcementItem, MajorDecisionCriterion
from zhifa.catalog.tests import factories  # noqa: F401  (registers ledger actions)
from zhifa.demo.catalog_demo import load_catalog
from zhifa.officers.tests.factories import CategoryFactory
from zhifa.orgs.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_demo_catalog_is_idempotent():
    agencies = {}
    for name, code, label in (
        ("本溪满族自治县市场监督管理局", "market", "市场监管"),
        ("本溪满族自治县人力资源和社会保障局", "labour", "劳动保障监察"),
        ("本溪满族自治县住房和城乡建设局", "construction", "住房和城乡建设"),
    ):
        agency = AgencyFactory(name=name)
        agency.categories.add(CategoryFactory(code=code, name=label))
        agencies[name] = agency
    load_catalog(agencies)
    load_catalog(agencies)
    assert EnforcementItem.objects.count() == 4
    assert DiscretionStandard.objects.count() == 2
    assert MajorDecisionCriterion.objects.count() == 12
    item = EnforcementItem.objects.get(code="ZJJ-XK-007")
    assert item.version_on(item.versions.get().effective_from) is not None
