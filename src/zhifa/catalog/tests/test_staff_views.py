"""Staff pages to maintain enforcement items: who sees, who changes, errors as form errors."""

from datetime import date

import pytest

from zhifa.catalog.models import DiscretionGrade, DiscretionStandard, EnforcementItem, ItemVersion
from zhifa.catalog.tests.factories import FOOD_122, penalty_item
from zhifa.officers.tests.factories import market_agency
from zhifa.orgs.tests.factories import Role, UnitFactory, UserFactory, grant, region_tree

pytestmark = pytest.mark.django_db

LIST = "/staff/catalog/items/"
NEW = "/staff/catalog/items/new/"


@pytest.fixture
def world():
    _p, _city, county, other_county, _s = region_tree()
    agency = market_agency(region=county, name="本溪满族自治县市场监督管理局")
    item = penalty_item(agency)
    head = UserFactory()
    grant(head, Role.AGENCY_HEAD, agency=agency)
    colleague = UserFactory()
    grant(colleague, Role.OFFICER, agency=agency, unit=UnitFactory(agency=agency))
    other = market_agency(region=other_county, name="桓仁满族自治县市场监督管理局")
    outsider = UserFactory()
    grant(outsider, Role.OFFICER, agency=other)
    return {
        "agency": agency,
        "item": item,
        "head": head,
        "colleague": colleague,
        "outsider": outsider,
        "other": other,
    }


def url(item, suffix=""):
    return f"/staff/catalog/items/{item.public_id}/{suffix}"


def new_item_post(agency, **overrides):
    data = {
        "agency": agency.pk,
        "code": "330217099",
        "name": "对经营超过保质期食品的行政处罚",
        "kind": "penalty",
        "category": agency.categories.get().pk,
        "procedure": "penalty.general",
        "effective_from": "2025-01-01",
        "law": "中华人民共和国食品安全法",
        "article": "第一百二十四条",
        "clause": "第一款",
        "text": "违反本法规定……处罚。",
        "role": "penalty",
    }
    data.update(overrides)
    return data


def benchmark_post(**overrides):
    data = {
        "violation": "经营超过保质期的食品，货值金额不足一万元",
        "basis": "示例裁量基准 第二条",
        "none_conditions": "初次违法且危害后果轻微并及时改正",
        "lighter_conditions": "有从轻处罚情形",
        "lighter_penalty_types": ["fine"],
        "lighter_fine_min": "50000",
        "lighter_fine_max": "65000",
        "ordinary_conditions": "无从轻、从重情形",
        "ordinary_penalty_types": ["fine", "confiscate_gains"],
        "ordinary_fine_min": "65000",
        "ordinary_fine_max": "85000",
        "heavier_conditions": "有从重处罚情形",
        "heavier_penalty_types": ["fine", "confiscate_gains"],
        "heavier_fine_min": "85000",
        "heavier_fine_max": "100000",
    }
    data.update(overrides)
    return data


def test_owner_creates_versions_publishes_and_saves_benchmark(client, world):
    client.force_login(world["head"])
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, new_item_post(world["agency"]))
    assert response.status_code == 302
    item = EnforcementItem.objects.get(agency=world["agency"], code="330217099")
    assert response["Location"] == url(item)
    v1 = item.versions.get()
    assert v1.status == ItemVersion.Status.DRAFT and v1.bases.get().article == "第一百二十四条"

    page = client.get(url(item)).content.decode()
    assert "发布第 1 版" in page and "起草新版本" in page and "裁量基准" in page

    assert client.post(url(item, "versions/1/publish/")).status_code == 302
    v1.refresh_from_db()
    assert v1.status == ItemVersion.Status.PUBLISHED

    response = client.post(
        url(item, "versions/"),
        {
            "name": "对经营超过保质期食品的行政处罚（修订）",
            "effective_from": "2026-01-01",
            "change_note": "依修正后的条文修订",
            "role": "penalty",
        },
    )
    assert response.status_code == 302
    v2 = item.versions.get(version=2)
    assert v2.status == ItemVersion.Status.DRAFT and v2.change_note == "依修正后的条文修订"
    assert v2.bases.get().law == "中华人民共和国食品安全法"  # copied from version 1

    assert client.post(url(item, "versions/2/publish/")).status_code == 302
    v1.refresh_from_db()
    assert v1.effective_to == date(2025, 12, 31)

    assert client.post(url(item, "standards/"), benchmark_post()).status_code == 302
    standard = DiscretionStandard.objects.get(version=v2)
    assert standard.grades.count() == 4
    heavier = standard.grades.get(grade="heavier")
    assert heavier.penalty_types == ["fine", "confiscate_gains"]
    assert str(heavier.fine_max) == "100000.00"
    page = client.get(url(item)).content.decode()
    assert "经营超过保质期的食品" in page and "已发布" in page
    assert "罚款、没收违法所得" in page


def test_new_version_with_its_own_basis(client, world):
    client.force_login(world["head"])
    item = world["item"]
    response = client.post(
        url(item, "versions/"),
        {
            "name": "新名称",
            "effective_from": "2026-01-01",
            "law": "中华人民共和国食品安全法",
            "article": "第一百二十二条",
            "clause": "第二款",
            "text": FOOD_122,
            "role": "penalty",
        },
    )
    assert response.status_code == 302
    assert item.versions.get(version=2).bases.get().clause == "第二款"


def test_bad_item_input_shows_chinese_errors_and_saves_nothing(client, world):
    client.force_login(world["head"])
    before = EnforcementItem.objects.count()
    response = client.post(NEW, new_item_post(world["agency"], code="330217001", text=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "已有编码为“330217001”的执法事项" in page
    assert "条文内容" in page
    assert EnforcementItem.objects.count() == before


def test_benchmark_min_above_max_is_refused(client, world):
    client.force_login(world["head"])
    item = world["item"]
    response = client.post(
        url(item, "standards/"), benchmark_post(lighter_fine_min="70000", lighter_fine_max="60000")
    )
    assert response.status_code == 400
    assert "罚款下限（70000.00 元）高于上限（60000.00 元）" in response.content.decode()
    assert not DiscretionStandard.objects.exists() and not DiscretionGrade.objects.exists()


def test_benchmark_overlapping_grades_are_refused(client, world):
    client.force_login(world["head"])
    item = world["item"]
    response = client.post(url(item, "standards/"), benchmark_post(ordinary_fine_min="60000"))
    assert response.status_code == 400
    assert "重叠或倒置" in response.content.decode()
    assert not DiscretionStandard.objects.exists()


def test_publish_error_is_shown(client, world):
    client.force_login(world["head"])
    item = world["item"]  # version 1 published from 2024-01-01
    client.post(
        url(item, "versions/"),
        {"name": "同日版本", "effective_from": "2024-01-01", "role": "penalty"},
    )
    response = client.post(url(item, "versions/2/publish/"))
    assert response.status_code == 400
    assert "必须晚于现行第 1 版的施行日期" in response.content.decode()
    assert item.versions.get(version=2).status == ItemVersion.Status.DRAFT


def test_colleague_sees_but_cannot_change(client, world):
    client.force_login(world["colleague"])
    item = world["item"]
    page = client.get(url(item)).content.decode()
    assert item.code in page and "起草新版本" not in page
    assert "330217001" in client.get(LIST).content.decode()
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, new_item_post(world["agency"])).status_code == 403
    assert (
        client.post(
            url(item, "versions/"), {"name": "x", "effective_from": "2026-01-01", "role": "penalty"}
        ).status_code
        == 403
    )
    assert client.post(url(item, "versions/1/publish/")).status_code == 403
    assert client.post(url(item, "standards/"), benchmark_post()).status_code == 403
    assert item.versions.count() == 1 and not DiscretionStandard.objects.exists()


def test_outsider_gets_404(client, world):
    client.force_login(world["outsider"])
    item = world["item"]
    assert client.get(url(item)).status_code == 404
    assert client.post(url(item, "standards/"), benchmark_post()).status_code == 404
    assert client.post(url(item, "versions/1/publish/")).status_code == 404
    assert "330217001" not in client.get(LIST).content.decode()


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(LIST).status_code == 302


def test_list_filters(client, world):
    superuser = UserFactory(is_superuser=True)
    client.force_login(superuser)
    penalty_item(world["other"], code="OTHER-1")
    from zhifa.catalog import services
    from zhifa.orgs.services import SYSTEM

    services.item_create(
        actor=SYSTEM,
        agency=world["agency"],
        code="LIC-1",
        name="特种设备使用登记",
        kind="license",
        category=world["agency"].categories.get(),
        procedure="license.general",
        effective_from=date(2024, 1, 1),
    )
    page = client.get(LIST).content.decode()
    assert all(code in page for code in ("330217001", "OTHER-1", "LIC-1"))
    page = client.get(LIST, {"agency": world["other"].public_id}).content.decode()
    assert "OTHER-1" in page and "330217001" not in page and "LIC-1" not in page
    page = client.get(LIST, {"kind": "license"}).content.decode()
    assert "LIC-1" in page and "330217001" not in page
    assert "草稿" in page
    page = client.get(LIST, {"q": "使用登记"}).content.decode()
    assert "LIC-1" in page and "OTHER-1" not in page
    page = client.get(LIST, {"q": "OTHER"}).content.decode()
    assert "OTHER-1" in page and "LIC-1" not in page
    assert client.get(LIST, {"agency": "not-a-uuid", "kind": "bogus"}).status_code == 200


def test_an_item_can_be_created_with_several_bases(client, world):
    client.force_login(world["head"])
    post = new_item_post(
        world["agency"],
        law_2="中华人民共和国食品安全法",
        article_2="第三十四条",
        clause_2="第十项",
        text_2="（测试用条文内容）",
        role_2="violation",
    )
    assert client.post(NEW, post).status_code == 302
    version = ItemVersion.objects.get(item__code="330217099")
    assert sorted(version.bases.values_list("role", "article")) == [
        ("penalty", "第一百二十四条"),
        ("violation", "第三十四条"),
    ]
