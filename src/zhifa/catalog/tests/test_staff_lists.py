"""Staff item page: 音像记录、随机抽查、服务指南 maintained by catalog managers."""

from datetime import date

import pytest

from zhifa.catalog import services
from zhifa.catalog.models import (
    AvRecordingRule,
    ItemKind,
    ItemVersion,
    RandomInspectionItem,
    ServiceGuide,
)
from zhifa.catalog.tests.factories import basis, penalty_item
from zhifa.officers.tests.factories import CategoryFactory, market_agency
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import Role, UnitFactory, UserFactory, grant, region_tree

pytestmark = pytest.mark.django_db

INSPECTION_110 = "县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权进入生产经营场所实施现场检查。"


def inspection_item(agency, *, code="330217900", random_inspection=True, publish=True):
    item = services.item_create(
        actor=SYSTEM,
        agency=agency,
        code=code,
        name="对食品经营者的监督检查",
        kind=ItemKind.INSPECTION,
        category=CategoryFactory(),
        procedure="inspection.onsite",
        random_inspection=random_inspection,
        effective_from=date(2024, 1, 1),
        bases=[basis(article="第一百一十条", clause="", text=INSPECTION_110, role="authority")],
    )
    if publish:
        services.item_version_publish(actor=SYSTEM, version=item.versions.get())
    return item


@pytest.fixture
def world():
    _p, _city, county, other_county, _s = region_tree()
    agency = market_agency(region=county, name="本溪满族自治县市场监督管理局")
    head = UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=agency)
    colleague = UserFactory()
    grant(colleague, Role.OFFICER, agency=agency, unit=UnitFactory(agency=agency))
    outsider = UserFactory()
    grant(outsider, Role.OFFICER, agency=market_agency(region=other_county, name="桓仁县市场局"))
    return {
        "agency": agency,
        "penalty": penalty_item(agency),
        "inspection": inspection_item(agency),
        "head": head,
        "colleague": colleague,
        "outsider": outsider,
    }


def url(item, suffix=""):
    return f"/staff/catalog/items/{item.public_id}/{suffix}"


AV_POST = {
    "av-step": "onsite_inspection",
    "av-requirement": "full",
    "av-citation": "本溪满族自治县市场监督管理局音像记录办法 第五条",
    "av-note": "",
}
RI_POST = {
    "ri-inspecting_body": "本溪满族自治县市场监督管理局",
    "ri-basis": "《中华人民共和国食品安全法》第一百一十条",
    "ri-targets": "辖区内食品经营者",
    "ri-content": "经营许可、进货查验、贮存条件",
    "ri-method": "双随机抽查、现场检查",
    "ri-frequency": "每年一次",
    "ri-ratio": "0.05",
}
GUIDE_POST = {
    "guide-accepting_unit": "本溪满族自治县政务服务中心市场监管窗口",
    "guide-approving_unit": "本溪满族自治县市场监督管理局",
    "guide-conditions": "依法取得营业执照",
    "guide-materials": "申请书\n营业执照复印件",
    "guide-process": "受理\n审查\n决定",
    "guide-time_limit": "10 个工作日",
    "guide-remedies": "可依法申请行政复议或者提起行政诉讼",
    "guide-fees": "不收费",
}


# -- the page


def test_manager_sees_the_three_forms_on_an_inspection_item(client, world):
    client.force_login(world["head"])
    page = client.get(url(world["inspection"])).content.decode()
    for text in ("保存音像记录要求", "保存随机抽查事项", "保存服务指南", "服务指南（第 1 版）"):
        assert text in page, text


def test_penalty_item_has_no_random_inspection_form(client, world):
    client.force_login(world["head"])
    page = client.get(url(world["penalty"])).content.decode()
    assert "保存音像记录要求" in page and "保存服务指南" in page
    assert "保存随机抽查事项" not in page
    assert client.post(url(world["penalty"], "random-inspection/"), RI_POST).status_code == 404


def test_colleague_sees_no_forms_and_gets_403(client, world):
    client.force_login(world["colleague"])
    item = world["inspection"]
    page = client.get(url(item)).content.decode()
    assert "保存音像记录要求" not in page and "保存服务指南" not in page
    assert client.post(url(item, "av-rules/"), AV_POST).status_code == 403
    assert client.post(url(item, "random-inspection/"), RI_POST).status_code == 403
    assert client.post(url(item, "guide/"), GUIDE_POST).status_code == 403
    assert not AvRecordingRule.objects.exists()
    assert not RandomInspectionItem.objects.exists()
    assert not ServiceGuide.objects.exists()


def test_outsider_gets_404(client, world):
    client.force_login(world["outsider"])
    assert client.post(url(world["inspection"], "av-rules/"), AV_POST).status_code == 404


def test_get_is_not_allowed(client, world):
    client.force_login(world["head"])
    assert client.get(url(world["inspection"], "guide/")).status_code == 405


# -- 音像记录


def test_av_rule_saved_for_this_item(client, world):
    client.force_login(world["head"])
    item = world["inspection"]
    response = client.post(url(item, "av-rules/"), AV_POST)
    assert response.status_code == 302
    rule = AvRecordingRule.objects.get()
    assert rule.item == item and rule.agency == world["agency"]
    assert rule.requirement == "full"
    page = client.get(url(item)).content.decode()
    assert "现场检查：全程音像记录" in page
    # saving the same step again replaces it
    client.post(url(item, "av-rules/"), {**AV_POST, "av-requirement": "key"})
    assert AvRecordingRule.objects.get().requirement == "key"


def test_av_rule_service_errors_are_form_errors(client, world):
    client.force_login(world["head"])
    response = client.post(
        url(world["inspection"], "av-rules/"),
        {**AV_POST, "av-step": "seizure", "av-requirement": "key"},
    )
    assert response.status_code == 400
    assert "须全程音像记录，不能降低要求" in response.content.decode()
    response = client.post(url(world["inspection"], "av-rules/"), {**AV_POST, "av-citation": ""})
    assert response.status_code == 400
    assert "必须写明依据" in response.content.decode()
    assert not AvRecordingRule.objects.exists()


# -- 随机抽查


def test_random_inspection_entry_created_then_edited(client, world):
    client.force_login(world["head"])
    item = world["inspection"]
    assert client.post(url(item, "random-inspection/"), RI_POST).status_code == 302
    entry = RandomInspectionItem.objects.get()
    assert entry.item == item and str(entry.ratio) == "0.0500"
    page = client.get(url(item)).content.decode()
    assert "（已列入）" in page and "辖区内食品经营者" in page
    client.post(url(item, "random-inspection/"), {**RI_POST, "ri-frequency": "每半年一次"})
    entry = RandomInspectionItem.objects.get()
    assert entry.frequency == "每半年一次"


def test_random_inspection_service_errors_are_form_errors(client, world):
    client.force_login(world["head"])
    item = world["inspection"]
    response = client.post(url(item, "random-inspection/"), {**RI_POST, "ri-targets": ""})
    assert response.status_code == 400
    assert "请填写抽查对象。" in response.content.decode()
    not_marked = inspection_item(world["agency"], code="330217901", random_inspection=False)
    response = client.post(url(not_marked, "random-inspection/"), RI_POST)
    assert response.status_code == 400
    assert "未纳入随机抽查" in response.content.decode()
    assert not RandomInspectionItem.objects.exists()


# -- 服务指南


def test_service_guide_saved_for_the_version_in_force(client, world):
    client.force_login(world["head"])
    item = world["penalty"]
    services.item_version_create(
        actor=SYSTEM, item=item, name="草稿新版本", effective_from=date(2030, 1, 1)
    )
    assert client.post(url(item, "guide/"), GUIDE_POST).status_code == 302
    guide = ServiceGuide.objects.get()
    assert guide.version.version == 1 and guide.process_steps == ["受理", "审查", "决定"]
    page = client.get(url(item)).content.decode()
    assert "已编写" in page and "本溪满族自治县政务服务中心市场监管窗口" in page


def test_service_guide_for_the_latest_version_when_none_in_force(client, world):
    client.force_login(world["head"])
    item = inspection_item(world["agency"], code="330217902", publish=False)
    assert client.post(url(item, "guide/"), GUIDE_POST).status_code == 302
    assert ServiceGuide.objects.get().version.status == ItemVersion.Status.DRAFT


def test_service_guide_service_errors_are_form_errors(client, world):
    client.force_login(world["head"])
    response = client.post(url(world["penalty"], "guide/"), {**GUIDE_POST, "guide-time_limit": ""})
    assert response.status_code == 400
    assert "请填写办理时限。" in response.content.decode()
    assert not ServiceGuide.objects.exists()
