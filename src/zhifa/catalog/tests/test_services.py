"""Catalog services: items, versions, benchmarks, the major-decision catalog,
settings — permission, validation (nothing half-saved) and the ledger."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.catalog import services
from zhifa.catalog.models import (
    AgencyCatalogSettings,
    DiscretionGrade,
    DiscretionStandard,
    EnforcementItem,
    ItemKind,
    ItemVersion,
    LegalBasis,
    MajorDecisionCriterion,
)
from zhifa.catalog.tests.factories import GRADES, basis, penalty_item, standard
from zhifa.ledger.models import Entry
from zhifa.officers.tests.factories import CategoryFactory, market_agency
from zhifa.orgs.models import EnforcementCategory
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import AgencyFactory, Role, UserFactory, grant, region_tree

pytestmark = pytest.mark.django_db


def actions():
    return list(
        Entry.objects.filter(action__startswith="catalog.").values_list("action", flat=True)
    )


def create(agency, **overrides):
    kwargs = {
        "actor": SYSTEM,
        "agency": agency,
        "code": "X1",
        "name": "食品经营许可检查",
        "kind": ItemKind.INSPECTION,
        "category": "market",
        "procedure": "inspection.onsite",
        "effective_from": date(2024, 1, 1),
        "bases": [basis(role="authority")],
    }
    kwargs.update(overrides)
    return services.item_create(**kwargs)


# ---------------------------------------------------------------- permission


def test_agency_head_and_regional_admin_may_create_items_but_an_officer_may_not():
    agency = market_agency()
    head, admin, officer = UserFactory(), UserFactory(), UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=agency)
    grant(admin, Role.ADMIN, region=region_tree()[1])  # 本溪市 contains the county
    grant(officer, Role.OFFICER, agency=agency)
    create(agency, actor=head, code="A")
    create(agency, actor=admin, code="B")
    with pytest.raises(PermissionDenied):
        create(agency, actor=officer, code="C")
    other_head = UserFactory()
    grant(other_head, Role.AGENCY_HEAD, agency=AgencyFactory())
    with pytest.raises(PermissionDenied):
        create(agency, actor=other_head, code="D")
    assert set(EnforcementItem.objects.values_list("code", flat=True)) == {"A", "B"}


# ---------------------------------------------------------------- items


def test_item_create_makes_a_draft_version_one_with_its_bases_and_a_ledger_entry():
    item = create(market_agency())
    version = item.versions.get()
    assert (version.version, version.status) == (1, ItemVersion.Status.DRAFT)
    assert version.bases.get().citation == "《中华人民共和国食品安全法》第一百二十二条第一款"
    assert actions() == ["catalog.item_created"]


def test_item_create_refuses_bad_input_and_saves_nothing():
    agency = market_agency()
    create(agency, code="DUP")
    with pytest.raises(ValidationError) as exc:
        create(
            agency,
            code="DUP",
            name="",
            kind="罚没",
            category="nope",
            bases=[{"law": "某法", "article": "", "text": ""}],
        )
    errors = exc.value.message_dict
    assert set(errors) >= {"code", "name", "kind", "category", "bases"}
    assert "第 1 条依据" in errors["bases"][0]
    assert EnforcementItem.objects.count() == 1
    assert LegalBasis.objects.count() == 1
    assert actions() == ["catalog.item_created"]


def test_category_outside_the_agency_is_refused():
    EnforcementCategory.objects.create(code="labour", name="劳动保障监察")
    with pytest.raises(ValidationError) as exc:
        create(market_agency(), category="labour")
    assert "不在" in exc.value.message_dict["category"][0]


# ---------------------------------------------------------------- versions


def test_publishing_a_new_version_closes_the_previous_one_and_version_on_follows_dates():
    item = penalty_item(effective_from=date(2024, 1, 1))
    v1 = item.versions.get()
    v2 = services.item_version_create(
        actor=SYSTEM, item=item, effective_from=date(2025, 7, 1), change_note="法律修正"
    )
    assert (v2.version, v2.name, v2.status) == (2, v1.name, ItemVersion.Status.DRAFT)
    assert [b.article for b in v2.bases.all()] == ["第一百二十二条"]
    # Drafts are never in force.
    assert item.version_on(date(2025, 8, 1)) == v1

    services.item_version_publish(actor=SYSTEM, version=v2)
    v1.refresh_from_db()
    assert v1.effective_to == date(2025, 6, 30)
    assert item.version_on(date(2023, 12, 31)) is None
    assert item.version_on(date(2025, 6, 30)) == v1  # a case opened in the old period
    assert item.version_on(date(2025, 7, 1)) == v2
    entry = Entry.objects.filter(action="catalog.item_version_published").last()
    assert entry is not None
    assert actions().count("catalog.item_version_published") == 2


def test_publish_refuses_no_basis_foreign_category_earlier_date_and_non_draft():
    agency = market_agency()
    item = penalty_item(agency)
    v1 = item.versions.get()
    with pytest.raises(ValidationError) as exc:
        services.item_version_publish(actor=SYSTEM, version=v1)
    assert "只能发布草稿" in exc.value.message_dict["status"][0]

    early = services.item_version_create(actor=SYSTEM, item=item, effective_from=date(2023, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.item_version_publish(actor=SYSTEM, version=early)
    assert "必须晚于" in exc.value.message_dict["effective_from"][0]

    bare = services.item_version_create(
        actor=SYSTEM, item=item, effective_from=date(2026, 1, 1), bases=[]
    )
    with pytest.raises(ValidationError) as exc:
        services.item_version_publish(actor=SYSTEM, version=bare)
    assert "没有执法依据" in exc.value.message_dict["bases"][0]

    later = services.item_version_create(actor=SYSTEM, item=item, effective_from=date(2026, 1, 1))
    agency.categories.remove(CategoryFactory())
    with pytest.raises(ValidationError) as exc:
        services.item_version_publish(actor=SYSTEM, version=later)
    assert "category" in exc.value.message_dict
    v1.refresh_from_db()
    assert v1.effective_to is None
    assert item.versions.filter(status=ItemVersion.Status.PUBLISHED).count() == 1


# ---------------------------------------------------------------- benchmarks


def test_benchmark_saved_with_grades_and_ledger_and_resaved_replaces_grades():
    std = standard()
    assert std.grades.count() == 5
    again = standard(item=std.version.item, grades=GRADES[2:4])
    assert again.pk == std.pk
    assert sorted(again.grades.values_list("grade", flat=True)) == ["lighter", "ordinary"]
    assert actions().count("catalog.discretion_standard_saved") == 2


def _refused(grades, item=None):
    item = item or penalty_item()
    before = (DiscretionStandard.objects.count(), DiscretionGrade.objects.count())
    with pytest.raises(ValidationError) as exc:
        standard(item=item, grades=grades)
    assert (DiscretionStandard.objects.count(), DiscretionGrade.objects.count()) == before
    return " ".join(exc.value.messages)


def test_min_above_max_is_refused_naming_the_grade():
    message = _refused(
        [
            {
                "grade": "ordinary",
                "conditions": "x",
                "penalty_types": ["fine"],
                "fine_min": 9,
                "fine_max": 1,
            }
        ]
    )
    assert "一般处罚" in message and "高于上限" in message


def test_overlapping_grades_are_refused():
    grades = [dict(g) for g in GRADES]
    grades[2]["fine_max"] = "70000"  # 从轻 reaches into 一般 (65,000–85,000)
    message = _refused(grades)
    assert "从轻处罚" in message and "一般处罚" in message and "重叠" in message


def test_mitigated_must_lie_below_lighter():
    grades = [dict(g) for g in GRADES]
    grades[1]["fine_max"] = "60000"
    assert "减轻处罚" in _refused(grades)


def test_duplicate_grade_unknown_penalty_type_and_fine_on_none_are_refused():
    dup = _refused([GRADES[3], GRADES[3]])
    assert "重复" in dup
    bad_type = _refused([{"grade": "ordinary", "conditions": "x", "penalty_types": ["罚金"]}])
    assert "处罚种类" in bad_type
    none_fine = _refused([{"grade": "none", "conditions": "x", "fine_min": 1, "fine_max": 2}])
    assert "不予处罚" in none_fine


def test_benchmark_for_a_non_penalty_item_or_missing_version_is_refused():
    item = create(market_agency())  # 行政检查
    message = _refused(GRADES, item=item)
    assert "只有行政处罚事项" in message
    with pytest.raises(ValidationError):
        services.discretion_standard_save(
            actor=SYSTEM, version=None, violation="x", basis="y", grades=GRADES
        )


# ---------------------------------------------------------------- catalog + settings


def test_major_criterion_needs_a_citation_and_saves_nothing_without_one():
    agency = market_agency()
    with pytest.raises(ValidationError) as exc:
        services.major_criterion_save(
            actor=SYSTEM,
            agency=agency,
            kind="amount",
            description="大额罚款",
            citation=" ",
            party_kind="natural",
            amount_threshold=20000,
        )
    assert "依据" in exc.value.message_dict["citation"][0]
    assert MajorDecisionCriterion.objects.count() == 0
    assert actions() == []


def test_major_criterion_validates_kind_specific_fields_and_item_agency():
    agency = market_agency()
    foreign = penalty_item(market_agency(region=region_tree()[3]), code="F")
    with pytest.raises(ValidationError) as exc:
        services.major_criterion_save(
            actor=SYSTEM, agency=agency, kind="amount", description="d", citation="c", item=foreign
        )
    assert {"amount_threshold", "item"} <= set(exc.value.message_dict)
    criterion = services.major_criterion_save(
        actor=SYSTEM,
        agency=agency,
        kind="penalty_type",
        description="吊销许可证件",
        citation="REV-01",
        penalty_types=["吊销许可证件"],
    )
    assert criterion.penalty_types == ["revoke_permit"]
    services.major_criterion_delete(actor=SYSTEM, criterion=criterion)
    assert actions()[-2:] == ["catalog.major_criterion_saved", "catalog.major_criterion_deleted"]


def test_settings_saved_and_recorded():
    agency = market_agency()
    services.catalog_settings_save(actor=SYSTEM, agency=agency, review_all_general_procedure=True)
    assert AgencyCatalogSettings.objects.get(agency=agency).review_all_general_procedure
    officer = UserFactory()
    grant(officer, Role.OFFICER, agency=agency)
    with pytest.raises(PermissionDenied):
        services.catalog_settings_save(
            actor=officer, agency=agency, review_all_general_procedure=False
        )
    assert actions() == ["catalog.settings_saved"]


def test_ledger_payloads_carry_codes_and_dates_only():
    item = penalty_item()
    v2 = services.item_version_create(actor=SYSTEM, item=item, effective_from=date(2025, 1, 1))
    services.item_version_publish(actor=SYSTEM, version=v2)
    assert item.version_on(date(2025, 1, 1) - timedelta(days=1)).version == 1
