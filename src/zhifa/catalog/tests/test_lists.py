"""事前公开 lists: 音像记录事项清单, 随机抽查事项清单, 服务指南 — services refuse
bad input in Chinese with nothing saved, record the ledger on success, and
the public pages render for anonymous users."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import include, path, reverse
from django.utils import timezone

import zhifa.urls
from zhifa.catalog import lists, services
from zhifa.catalog.models import (
    AvRecordingRule,
    AvRequirement,
    AvStep,
    ItemKind,
    RandomInspectionItem,
    ServiceGuide,
)
from zhifa.catalog.tests.factories import basis, penalty_item
from zhifa.ledger.models import Entry
from zhifa.officers.tests.factories import CategoryFactory, market_agency
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

urlpatterns = [*zhifa.urls.urlpatterns, path("", include("zhifa.catalog.urls"))]
with_catalog_urls = override_settings(ROOT_URLCONF=__name__)

INSPECTION_110 = "县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权进入生产经营场所实施现场检查。"
CITE = "rules.md GB118-14（示例）"


def _today():
    return timezone.localdate()


def entries(action):
    return Entry.objects.filter(action=action).count()


def inspection_item(agency, *, code="JC-1", random_inspection=True, publish=True):
    item = services.item_create(
        actor=SYSTEM,
        agency=agency,
        code=code,
        name="对食品经营者的监督检查",
        kind=ItemKind.INSPECTION,
        category=CategoryFactory(),
        procedure="inspection.onsite",
        random_inspection=random_inspection,
        effective_from=_today() - timedelta(days=10),
        bases=[basis(article="第一百一十条", clause="", text=INSPECTION_110, role="authority")],
    )
    if publish:
        services.item_version_publish(actor=SYSTEM, version=item.versions.get())
    return item


@pytest.fixture
def agency():
    return market_agency(name="本溪满族自治县市场监督管理局")


# -- 音像记录事项清单


def test_default_av_requirement_for_seizure_is_full_recording(agency):
    requirement, citation = lists.av_requirement(agency, None, AvStep.SEIZURE)
    assert requirement == AvRequirement.FULL
    assert "国办发〔2018〕118号" in citation
    assert lists.av_requirement(agency, None, "强制拆除")[0] == AvRequirement.FULL
    for step in ("听证", "留置送达", "公告送达"):
        assert lists.av_requirement(agency, None, step)[0] == AvRequirement.KEY


def test_av_rule_overrides_default_item_rule_first(agency):
    item = penalty_item(agency)
    lists.av_rule_save(
        actor=SYSTEM, agency=agency, step="hearing", requirement="full", citation=CITE
    )
    assert lists.av_requirement(agency, item, "听证") == (AvRequirement.FULL, CITE)
    lists.av_rule_save(
        actor=SYSTEM,
        agency=agency,
        item=item,
        step="听证",
        requirement="optional",
        citation="本事项听证另有规定（示例）",
    )
    assert lists.av_requirement(agency, item, "hearing")[0] == AvRequirement.OPTIONAL
    assert lists.av_requirement(agency, None, "hearing")[0] == AvRequirement.FULL
    assert entries("catalog.av_rule_saved") == 2
    # Saving the same scope and step again changes the rule, not adds one.
    lists.av_rule_save(
        actor=SYSTEM, agency=agency, step="hearing", requirement="key", citation=CITE
    )
    assert AvRecordingRule.objects.filter(agency=agency, item=None).count() == 1
    assert entries("catalog.av_rule_saved") == 3


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"citation": ""}, "citation", "必须写明依据"),
        ({"step": "夜间检查"}, "step", "执法环节“夜间检查”无效"),
        ({"requirement": "maybe"}, "requirement", "记录要求“maybe”无效"),
        ({"step": "查封扣押", "requirement": "key"}, "requirement", "须全程音像记录"),
    ],
)
def test_av_rule_refuses_bad_input_and_saves_nothing(agency, kwargs, field, message):
    args = {"step": "hearing", "requirement": "key", "citation": CITE, **kwargs}
    with pytest.raises(ValidationError) as exc:
        lists.av_rule_save(actor=SYSTEM, agency=agency, **args)
    assert message in exc.value.message_dict[field][0]
    assert not AvRecordingRule.objects.exists()
    assert entries("catalog.av_rule_saved") == 0


def test_av_rule_refuses_other_agency_item_and_outsiders(agency):
    other = penalty_item(market_agency(name="另一个市场监督管理局"), code="OTHER")
    with pytest.raises(ValidationError) as exc:
        lists.av_rule_save(
            actor=SYSTEM,
            agency=agency,
            item=other,
            step="hearing",
            requirement="key",
            citation=CITE,
        )
    assert "不属于" in exc.value.message_dict["item"][0]
    with pytest.raises(PermissionDenied):
        lists.av_rule_save(
            actor=UserFactory(), agency=agency, step="hearing", requirement="key", citation=CITE
        )
    assert not AvRecordingRule.objects.exists()


@with_catalog_urls
def test_av_list_page_is_public(client, agency):
    lists.av_rule_save(
        actor=SYSTEM,
        agency=agency,
        step="service_leaving",
        requirement="full",
        citation=CITE,
        note="留置送达全程录像",
    )
    response = client.get(reverse("catalog:av_list", args=[agency.public_id]))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    page = response.content.decode()
    for text in ["音像记录事项清单", "留置送达全程录像", CITE, "查封扣押", "全程音像记录"]:
        assert text in page
    unknown = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("catalog:av_list", args=[unknown])).status_code == 404


# -- 随机抽查事项清单

ENTRY = {
    "inspecting_body": "本溪满族自治县市场监督管理局",
    "basis": "《中华人民共和国食品安全法》第一百一十条",
    "targets": "辖区内食品经营者",
    "content": "食品经营许可、进货查验记录",
    "method": "双随机抽查，现场检查",
    "frequency": "每年一次",
    "ratio": "0.05",
}


def test_random_inspection_item_saved_and_recorded(agency):
    item = inspection_item(agency)
    entry = lists.random_inspection_item_save(actor=SYSTEM, agency=agency, item=item, **ENTRY)
    assert entry.ratio == Decimal("0.0500")
    assert entries("catalog.random_inspection_item_saved") == 1
    changed = lists.random_inspection_item_save(
        actor=SYSTEM, agency=agency, item=item, entry=entry, **{**ENTRY, "ratio": None}
    )
    assert changed.pk == entry.pk and changed.ratio is None
    assert entries("catalog.random_inspection_item_saved") == 2


def test_random_inspection_refuses_items_outside_the_list(agency):
    cases = [
        (penalty_item(agency), "不是行政检查事项"),
        (inspection_item(agency, code="JC-2", random_inspection=False), "未纳入随机抽查"),
        (inspection_item(agency, code="JC-3", publish=False), "没有现行有效的已发布版本"),
        (inspection_item(market_agency(name="另一个市场监督管理局"), code="JC-4"), "不属于"),
    ]
    for item, message in cases:
        with pytest.raises(ValidationError) as exc:
            lists.random_inspection_item_save(actor=SYSTEM, agency=agency, item=item, **ENTRY)
        assert message in exc.value.message_dict["item"][0]
    assert not RandomInspectionItem.objects.exists()
    assert entries("catalog.random_inspection_item_saved") == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ratio": "1.5"}, "ratio", "0 至 1 之间"),
        ({"ratio": "abc"}, "ratio", "不是有效的数字"),
        ({"method": " "}, "method", "请填写抽查方式"),
        ({"basis": ""}, "basis", "请填写抽查依据"),
    ],
)
def test_random_inspection_refuses_bad_fields(agency, overrides, field, message):
    item = inspection_item(agency)
    with pytest.raises(ValidationError) as exc:
        lists.random_inspection_item_save(
            actor=SYSTEM, agency=agency, item=item, **{**ENTRY, **overrides}
        )
    assert message in exc.value.message_dict[field][0]
    assert not RandomInspectionItem.objects.exists()
    with pytest.raises(PermissionDenied):
        lists.random_inspection_item_save(actor=UserFactory(), agency=agency, item=item, **ENTRY)


@with_catalog_urls
def test_random_inspection_page_is_public(client, agency):
    item = inspection_item(agency)
    lists.random_inspection_item_save(actor=SYSTEM, agency=agency, item=item, **ENTRY)
    response = client.get(reverse("catalog:random_inspection_list", args=[agency.public_id]))
    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]
    page = response.content.decode()
    for text in ["随机抽查事项清单", "对食品经营者的监督检查", "第一百一十条", "辖区内食品经营者"]:
        assert text in page
    for text in ["双随机抽查，现场检查", "5%", "每年一次", str(item.public_id)]:
        assert text in page


# -- 服务指南

GUIDE = {
    "accepting_unit": "政务服务中心市场监管窗口",
    "approving_unit": "本溪满族自治县市场监督管理局",
    "conditions": "申请人已取得营业执照",
    "materials": "申请书\n营业执照复印件",
    "process": "申请\n受理\n审查\n决定",
    "time_limit": "二十个工作日",
    "remedies": "对决定不服的，可以依法申请行政复议或者提起行政诉讼。",
    "telephone": "024-00000000",
}


def test_service_guide_saved_replaced_and_recorded(agency):
    version = penalty_item(agency).versions.get()
    guide = lists.service_guide_save(actor=SYSTEM, version=version, **GUIDE)
    assert guide.process_steps == ["申请", "受理", "审查", "决定"]
    again = lists.service_guide_save(
        actor=SYSTEM, version=version, **{**GUIDE, "time_limit": "十个工作日"}
    )
    assert again.pk == guide.pk and again.time_limit == "十个工作日"
    assert entries("catalog.service_guide_saved") == 2


def test_service_guide_refuses_missing_fields(agency):
    version = penalty_item(agency).versions.get()
    with pytest.raises(ValidationError) as exc:
        lists.service_guide_save(
            actor=SYSTEM, version=version, **{**GUIDE, "accepting_unit": "", "time_limit": ""}
        )
    assert exc.value.message_dict["accepting_unit"] == ["请填写受理机构。"]
    assert exc.value.message_dict["time_limit"] == ["请填写办理时限。"]
    with pytest.raises(ValidationError) as exc:
        lists.service_guide_save(actor=SYSTEM, version=version, colour="红", **GUIDE)
    assert "没有这些栏目" in exc.value.messages[0]
    with pytest.raises(PermissionDenied):
        lists.service_guide_save(actor=UserFactory(), version=version, **GUIDE)
    assert not ServiceGuide.objects.exists()
    assert entries("catalog.service_guide_saved") == 0


@with_catalog_urls
def test_service_guide_page_is_public(client, agency):
    item = penalty_item(agency)
    url = reverse("catalog:service_guide", args=[item.public_id])
    assert client.get(url).status_code == 404  # no guide yet
    lists.service_guide_save(actor=SYSTEM, version=item.versions.get(), **GUIDE)
    response = client.get(url)
    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]
    page = response.content.decode()
    for text in [
        "服务指南",
        "政务服务中心市场监管窗口",
        "二十个工作日",
        "<li>受理</li>",
        "行政复议",
    ]:
        assert text in page


@with_catalog_urls
def test_service_guide_of_a_draft_is_not_public(client, agency):
    item = penalty_item(agency, publish=False)
    lists.service_guide_save(actor=SYSTEM, version=item.versions.get(), **GUIDE)
    assert client.get(reverse("catalog:service_guide", args=[item.public_id])).status_code == 404


@with_catalog_urls
def test_agency_detail_links_to_the_lists(client, agency):
    page = client.get(reverse("portal:agency_detail", args=[agency.public_id])).content.decode()
    assert reverse("catalog:av_list", args=[agency.public_id]) in page
    assert reverse("catalog:random_inspection_list", args=[agency.public_id]) in page


# -- demo


def test_demo_lists_load_and_are_idempotent():
    from zhifa.catalog.models import EnforcementItem
    from zhifa.demo.catalog_demo import load_catalog
    from zhifa.demo.catalog_lists_demo import load_catalog_lists
    from zhifa.orgs.tests.factories import AgencyFactory

    agencies = {}
    for name, code, label in (
        ("本溪满族自治县市场监督管理局", "market", "市场监管"),
        ("本溪满族自治县住房和城乡建设局", "construction", "住房和城乡建设"),
    ):
        agency = AgencyFactory(name=name)
        agency.categories.add(CategoryFactory(code=code, name=label))
        agencies[name] = agency
    load_catalog(agencies)
    load_catalog_lists(agencies)
    load_catalog_lists(agencies)
    assert AvRecordingRule.objects.count() == 7
    assert RandomInspectionItem.objects.count() == 2
    assert ServiceGuide.objects.count() == 1
    licence = EnforcementItem.objects.get(code="ZJJ-XK-007")
    found = lists.service_guide_for_public(public_id=licence.public_id, today=_today())
    assert found is not None and "七日内" in found[1].time_limit
    market = agencies["本溪满族自治县市场监督管理局"]
    assert lists.av_requirement(market, None, "查封扣押")[0] == AvRequirement.FULL


# -- admin


@pytest.fixture
def su_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize("model", ["avrecordingrule", "randominspectionitem", "serviceguide"])
def test_list_admin_pages_render(su_client, model):
    assert su_client.get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200
    assert su_client.get(reverse(f"admin:catalog_{model}_add")).status_code == 200


def test_av_rule_saved_from_admin_goes_through_the_service(su_client, agency):
    url = reverse("admin:catalog_avrecordingrule_add")
    data = {"agency": agency.pk, "step": "seizure", "requirement": "key", "citation": CITE}
    su_client.post(url, data)
    assert not AvRecordingRule.objects.exists()  # 查封扣押 cannot be lowered
    su_client.post(url, {**data, "requirement": "full"})
    assert AvRecordingRule.objects.get().requirement == AvRequirement.FULL
    assert entries("catalog.av_rule_saved") == 1
