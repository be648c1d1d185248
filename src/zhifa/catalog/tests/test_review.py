"""legal_review_required: 行政处罚法 第五十八条 always, plus the local
catalogue examples of rules.md §12 (REV-01, REV-02, REV-03) as criteria."""

from decimal import Decimal

import pytest

from zhifa.catalog import services
from zhifa.catalog.review import CaseFacts, legal_review_required
from zhifa.catalog.tests.factories import penalty_item
from zhifa.officers.tests.factories import market_agency
from zhifa.orgs.services import SYSTEM

pytestmark = pytest.mark.django_db


def criterion(agency, kind, description, citation, **kw):
    return services.major_criterion_save(
        actor=SYSTEM, agency=agency, kind=kind, description=description, citation=citation, **kw
    )


@pytest.fixture
def rev01():
    """益阳-style: fines ≥ 20,000 (citizen) / ≥ 50,000 (organisation); revocations; hearings."""
    agency = market_agency()
    c = "rules.md REV-01（益阳市重大执法决定法制审核目录示例）"
    criterion(
        agency, "amount", "对公民罚款二万元以上", c, party_kind="natural", amount_threshold=20000
    )
    criterion(
        agency,
        "amount",
        "对组织罚款五万元以上",
        c,
        party_kind="organisation",
        amount_threshold=50000,
    )
    criterion(agency, "penalty_type", "吊销许可证件", c, penalty_types=["revoke_permit"])
    criterion(agency, "hearing", "经过听证程序", c)
    return agency


@pytest.fixture
def rev02():
    """巩义-style: ≥ 10,000 / ≥ 100,000, confiscation of equal value, suspension,
    revocation, hearing cases, decisions outside the benchmark."""
    agency = market_agency()
    c = "rules.md REV-02（巩义市重大执法决定法制审核目录示例）"
    criterion(
        agency, "amount", "对公民罚没一万元以上", c, party_kind="natural", amount_threshold=10000
    )
    criterion(
        agency,
        "amount",
        "对组织罚没十万元以上",
        c,
        party_kind="organisation",
        amount_threshold=100000,
    )
    criterion(
        agency,
        "penalty_type",
        "责令停产停业、吊销许可证件",
        c,
        penalty_types=["suspend_business", "revoke_permit"],
    )
    criterion(agency, "hearing", "经过听证程序", c)
    criterion(agency, "outside_benchmark", "超出裁量基准从轻或者从重", c)
    return agency


def facts(agency, **kw):
    kw.setdefault("penalty_types", ["fine"])
    return CaseFacts(agency=agency, **kw)


def test_article_58_applies_without_any_catalogue():
    agency = market_agency()
    assert not legal_review_required(facts(agency, fine_amount=Decimal(500)))
    result = legal_review_required(facts(agency, public_interest=True, difficult=True))
    assert result.required
    citations = [m.citation for m in result.matched]
    assert any("第五十八条第一款第（一）项" in c for c in citations)
    assert any("第五十八条第一款第（三）项" in c for c in citations)
    other = legal_review_required(facts(agency, other_law_citation="《某条例》第十条"))
    assert "《某条例》第十条" in other.matched[0].citation


def test_rev01_thresholds_by_party_kind(rev01):
    assert legal_review_required(facts(rev01, fine_amount=20000, party_kind="natural")).required
    assert not legal_review_required(facts(rev01, fine_amount=19999, party_kind="natural")).required
    assert not legal_review_required(
        facts(rev01, fine_amount=20000, party_kind="organisation")
    ).required
    assert legal_review_required(
        facts(rev01, fine_amount=50000, party_kind="organisation")
    ).required


def test_rev01_revocation_and_hearing(rev01):
    r = legal_review_required(
        facts(rev01, penalty_types=["revoke_permit"], party_kind="organisation")
    )
    assert [m.description for m in r.matched] == ["吊销许可证件"]
    h = legal_review_required(facts(rev01, fine_amount=100, hearing_held=True))
    descriptions = [m.description for m in h.matched]
    assert "经过听证程序" in descriptions
    assert any("第五十八条" in m.citation for m in h.matched)


def test_rev02_confiscation_counts_as_the_larger_of_fine_and_confiscation(rev02):
    f = facts(
        rev02,
        penalty_types=["fine", "confiscate_gains"],
        fine_amount=4000,
        confiscation_amount=10000,
        party_kind="natural",
    )
    assert legal_review_required(f).required
    # not summed: 6,000 + 6,000 stays below 10,000
    g = facts(
        rev02,
        penalty_types=["fine", "confiscate_gains"],
        fine_amount=6000,
        confiscation_amount=6000,
        party_kind="natural",
    )
    assert not legal_review_required(g).required


def test_rev02_suspension_and_outside_benchmark(rev02):
    assert legal_review_required(
        facts(rev02, penalty_types=["suspend_business"], party_kind="organisation")
    )
    r = legal_review_required(facts(rev02, fine_amount=500, outside_benchmark=True))
    assert r.matched[0].citation.startswith("rules.md REV-02")


def test_rev03_all_general_procedure_decisions():
    agency = market_agency()
    services.catalog_settings_save(actor=SYSTEM, agency=agency, review_all_general_procedure=True)
    assert legal_review_required(facts(agency, fine_amount=100, procedure="general")).required
    assert not legal_review_required(facts(agency, fine_amount=100, procedure="summary")).required


def test_item_specific_criterion_applies_only_to_its_item():
    agency = market_agency()
    item = penalty_item(agency, code="A")
    other = penalty_item(agency, code="B")
    criterion(
        agency,
        "amount",
        "本事项罚款一千元以上",
        "某局目录 第三条",
        item=item,
        amount_threshold=1000,
    )
    assert legal_review_required(facts(agency, item=item, fine_amount=1000)).required
    assert not legal_review_required(facts(agency, item=other, fine_amount=1000)).required
    assert not legal_review_required(facts(agency, fine_amount=1000)).required


def test_other_agencies_criteria_do_not_apply(rev01):
    assert not legal_review_required(facts(market_agency(), fine_amount=30000)).required
