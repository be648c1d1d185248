"""The demo catalog loads, publishes its items and is idempotent."""

from datetime import date

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
        ("本溪满族自治县工业和信息化局", "industry", "工业和信息化"),
    ):
        agency = AgencyFactory(name=name)
        agency.categories.add(CategoryFactory(code=code, name=label))
        agencies[name] = agency
    load_catalog(agencies)
    load_catalog(agencies)
    assert EnforcementItem.objects.count() == 5
    assert DiscretionStandard.objects.count() == 2
    assert MajorDecisionCriterion.objects.count() == 12
    item = EnforcementItem.objects.get(code="ZJJ-XK-007")
    assert item.version_on(item.versions.get().effective_from) is not None


def test_demo_industry_item_quotes_the_energy_conservation_law():
    agency = AgencyFactory(name="本溪满族自治县工业和信息化局")
    agency.categories.add(CategoryFactory(code="industry", name="工业和信息化"))
    load_catalog({agency.name: agency})
    item = EnforcementItem.objects.get(agency=agency)
    version = item.versions.get()
    assert item.code == "GXJ-CF-082" and version.status == "published"
    basis = version.bases.get()
    assert basis.law == "中华人民共和国节约能源法" and basis.article == "第八十二条"
    assert basis.text.startswith("重点用能单位未按照本法规定报送能源利用状况报告")
    assert basis.text.endswith("逾期不改正的，处一万元以上五万元以下罚款。")


def test_demo_industry_item_skipped_when_the_agency_already_has_items():
    from zhifa.catalog import services
    from zhifa.catalog.models import ItemKind
    from zhifa.catalog.tests.factories import basis
    from zhifa.orgs.services import SYSTEM

    agency = AgencyFactory(name="本溪满族自治县工业和信息化局")
    category = CategoryFactory(code="industry", name="工业和信息化")
    agency.categories.add(category)
    services.item_create(
        actor=SYSTEM,
        agency=agency,
        code="GXJ-OWN-001",
        name="本机关自行录入的事项",
        kind=ItemKind.PENALTY,
        category=category,
        procedure="penalty.general",
        effective_from=date(2024, 1, 1),
        bases=[basis()],
    )
    load_catalog({agency.name: agency})
    assert list(EnforcementItem.objects.filter(agency=agency).values_list("code", flat=True)) == [
        "GXJ-OWN-001"
    ]
