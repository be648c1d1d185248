"""事前公开: the public catalog pages (anonymous, cacheable, published versions only)."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import include, path, reverse
from django.utils import timezone

import zhifa.urls
from zhifa.catalog import services
from zhifa.catalog.models import ItemKind, ItemVersion, MajorDecisionCriterion
from zhifa.catalog.tests.factories import FOOD_122, GRADES, basis, penalty_item, standard
from zhifa.officers.tests.factories import CategoryFactory, market_agency
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

urlpatterns = [*zhifa.urls.urlpatterns, path("", include("zhifa.catalog.urls"))]
with_catalog_urls = override_settings(ROOT_URLCONF=__name__)

UNKNOWN = "00000000-0000-0000-0000-000000000000"
INSPECTION_110 = "县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权进入生产经营场所实施现场检查。"


def _today():
    return timezone.localdate()


def _inspection_item(agency, *, code="330217900"):
    item = services.item_create(
        actor=SYSTEM,
        agency=agency,
        code=code,
        name="对食品经营者的监督检查",
        kind=ItemKind.INSPECTION,
        category=CategoryFactory(),
        unit=UnitFactory(agency=agency, name="食品经营监管科"),
        procedure="inspection.onsite",
        random_inspection=True,
        effective_from=_today() - timedelta(days=100),
        bases=[basis(article="第一百一十条", clause="", text=INSPECTION_110, role="authority")],
    )
    services.item_version_publish(actor=SYSTEM, version=item.versions.get())
    return item


def _revise(item, *, name, days, publish=True, note=""):
    version = services.item_version_create(
        actor=SYSTEM,
        item=item,
        name=name,
        effective_from=_today() + timedelta(days=days),
        change_note=note,
    )
    if publish:
        services.item_version_publish(actor=SYSTEM, version=version)
    return version


@pytest.fixture
def agency():
    return market_agency(name="本溪满族自治县市场监督管理局")


@pytest.fixture
def versioned(agency):
    """v1 ended, v2 in force, v3 published for the future, v4 a draft."""
    item = penalty_item(agency, effective_from=_today() - timedelta(days=400))
    _revise(item, name="对无证经营食品的行政处罚（第二版）", days=-10, note="依修正后的条文修订")
    _revise(item, name="对无证经营食品的行政处罚（第三版）", days=30)
    _revise(item, name="草稿中的事项名称", days=60, publish=False)
    return item


# -- 权责清单


@with_catalog_urls
def test_item_list_shows_current_items_to_anonymous_users(client, agency):
    inspection = _inspection_item(agency)
    penalty = penalty_item(agency)
    response = client.get(reverse("catalog:agency_items", args=[agency.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "本溪满族自治县市场监督管理局" in page
    for text in [
        inspection.code,
        "对食品经营者的监督检查",
        "行政检查",
        "市场监管",
        "食品经营监管科",
        "纳入随机抽查事项清单",
        "《中华人民共和国食品安全法》第一百一十条",
        penalty.code,
        "对未取得食品经营许可从事食品经营活动的行政处罚",
        "《中华人民共和国食品安全法》第一百二十二条第一款",
        reverse("catalog:item", args=[penalty.public_id]),
    ]:
        assert text in page, text


@with_catalog_urls
def test_item_list_filters_by_kind_and_searches_by_name(client, agency):
    _inspection_item(agency)
    penalty_item(agency)
    url = reverse("catalog:agency_items", args=[agency.public_id])
    by_kind = client.get(url, {"kind": "inspection"}).content.decode()
    assert "对食品经营者的监督检查" in by_kind
    assert "对未取得食品经营许可从事食品经营活动的行政处罚" not in by_kind
    by_name = client.get(url, {"q": "未取得食品经营许可"}).content.decode()
    assert "对未取得食品经营许可从事食品经营活动的行政处罚" in by_name
    assert "对食品经营者的监督检查" not in by_name
    nothing = client.get(url, {"q": "不存在的事项"}).content.decode()
    assert "没有符合条件的执法事项" in nothing
    # An unknown kind is ignored rather than an error.
    assert "对食品经营者的监督检查" in client.get(url, {"kind": "bogus"}).content.decode()


@with_catalog_urls
def test_item_list_shows_only_the_version_in_force(client, agency, versioned):
    page = client.get(reverse("catalog:agency_items", args=[agency.public_id])).content.decode()
    assert "对无证经营食品的行政处罚（第二版）" in page
    assert "对未取得食品经营许可从事食品经营活动的行政处罚" not in page  # v1, ended
    assert "（第三版）" not in page  # not yet in force
    assert "草稿中的事项名称" not in page


@with_catalog_urls
def test_drafts_retired_and_expired_items_are_not_listed(client, agency):
    penalty_item(agency, code="DRAFT1", publish=False)
    retired = penalty_item(agency, code="RETIRED1")
    retired.versions.update(status=ItemVersion.Status.RETIRED)
    expired = penalty_item(agency, code="EXPIRED1")
    expired.versions.update(effective_to=_today() - timedelta(days=1))
    page = client.get(reverse("catalog:agency_items", args=[agency.public_id])).content.decode()
    for code in ["DRAFT1", "RETIRED1", "EXPIRED1"]:
        assert code not in page
    assert "本执法主体暂无公开的执法事项" in page


# -- one item (permalink)


@with_catalog_urls
def test_item_page_shows_basis_procedure_and_benchmark(client, agency):
    item = penalty_item(agency)
    grades = [dict(g) for g in GRADES]
    grades[4]["circumstances"] = ["repeat_offence"]
    standard(item, grades=grades)
    response = client.get(reverse("catalog:item", args=[item.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "对未取得食品经营许可从事食品经营活动的行政处罚",
        item.code,
        "中华人民共和国食品安全法",
        "第一百二十二条",
        "第一款",
        FOOD_122,
        "处罚依据",
        "行政处罚普通程序",
        "未取得食品经营许可从事食品经营活动，货值金额不足一万元",
        "示例裁量基准 第一条",
        "不予处罚",
        "初次违法且危害后果轻微并及时改正",
        "从重处罚",
        "有从重处罚情形",
        "85,000 元至 100,000 元",
        "罚款、没收违法所得",
        "现行有效",
    ]:
        assert text in page, text
    # Grades mildest first.
    assert page.index("不予处罚") < page.index("减轻处罚") < page.index("从重处罚")
    # Internal codes stay internal.
    assert "repeat_offence" not in page
    assert "penalty.general" not in page
    assert "confiscate_gains" not in page


@with_catalog_urls
def test_item_page_shows_version_history_but_not_drafts(client, versioned):
    page = client.get(reverse("catalog:item", args=[versioned.public_id])).content.decode()
    today = _today()
    # Current: v2.
    assert "<h1>对无证经营食品的行政处罚（第二版）</h1>" in page
    assert "依修正后的条文修订" in page
    # History: v1 ended the day before v2, v3 is announced, the draft is absent.
    assert "对未取得食品经营许可从事食品经营活动的行政处罚" in page
    assert (today - timedelta(days=11)).isoformat() in page  # v1 ended
    assert (today - timedelta(days=10)).isoformat() in page  # v2 began
    assert (today + timedelta(days=30)).isoformat() in page  # v3 begins
    assert "已停止施行" in page and "现行有效" in page and "尚未施行" in page
    assert "第 3 版" in page
    assert "第 4 版" not in page
    assert "草稿中的事项名称" not in page
    history = page[page.index("版本沿革") :]
    assert history.index("第 3 版") < history.index("第 2 版") < history.index("第 1 版")


@with_catalog_urls
def test_item_page_of_a_retired_item_has_no_current_version(client, agency):
    item = penalty_item(agency)
    standard(item)
    item.versions.update(status=ItemVersion.Status.RETIRED)
    page = client.get(reverse("catalog:item", args=[item.public_id])).content.decode()
    assert "没有施行中的版本" in page
    assert "已废止" in page
    assert "现行有效" not in page
    assert "行政处罚裁量基准" not in page


@with_catalog_urls
def test_item_page_404_for_unknown_and_draft_only_items(client, agency):
    draft = penalty_item(agency, publish=False)
    assert client.get(reverse("catalog:item", args=[UNKNOWN])).status_code == 404
    response = client.get(reverse("catalog:item", args=[draft.public_id]))
    assert response.status_code == 404
    assert "对未取得食品经营许可" not in response.content.decode()


# -- 重大执法决定法制审核目录清单


@with_catalog_urls
def test_major_decision_catalog(client, agency):
    item = penalty_item(agency)
    services.major_criterion_save(
        actor=SYSTEM,
        agency=agency,
        kind=MajorDecisionCriterion.Kind.PENALTY_TYPE,
        penalty_types=["revoke_permit", "suspend_business"],
        description="拟作出吊销许可证件、责令停产停业决定的",
        citation="示例目录 第二条第（一）项",
    )
    services.major_criterion_save(
        actor=SYSTEM,
        agency=agency,
        kind=MajorDecisionCriterion.Kind.AMOUNT,
        party_kind="organisation",
        amount_threshold="100000",
        item=item,
        description="对法人或者其他组织处十万元以上罚款的",
        citation="示例目录 第二条第（二）项",
    )
    url = reverse("catalog:major_decisions", args=[agency.public_id])
    page = client.get(url).content.decode()
    for text in [
        "重大执法决定法制审核目录清单",
        "《中华人民共和国行政处罚法》第五十八条第一款第（一）项",
        "《中华人民共和国行政处罚法》第五十八条第一款第（四）项",
        "经过听证程序",
        "拟作出吊销许可证件、责令停产停业决定的",
        "吊销许可证件、责令停产停业",
        "示例目录 第二条第（一）项",
        "本机关全部执法事项",
        "对法人或者其他组织处十万元以上罚款的",
        "100,000 元以上",
        "法人或其他组织",
        f"{item.code} 对未取得食品经营许可从事食品经营活动的行政处罚",
        "示例目录 第二条第（二）项",
    ]:
        assert text in page, text
    assert "全部经法制审核" not in page
    assert "revoke_permit" not in page

    services.catalog_settings_save(actor=SYSTEM, agency=agency, review_all_general_procedure=True)
    assert "按普通程序作出的行政处罚决定，全部经法制审核" in client.get(url).content.decode()


@with_catalog_urls
def test_major_decision_catalog_without_local_criteria_still_lists_article_58(client, agency):
    page = client.get(reverse("catalog:major_decisions", args=[agency.public_id])).content.decode()
    assert "第五十八条第一款第（二）项" in page
    assert "本机关未另行确定审核情形" in page


# -- cross-cutting


@with_catalog_urls
@pytest.mark.parametrize("name", ["catalog:agency_items", "catalog:major_decisions"])
def test_agency_pages_404_for_unknown_agency(client, name):
    assert client.get(reverse(name, args=[UNKNOWN])).status_code == 404


@with_catalog_urls
def test_pages_are_public_cacheable_and_vary_on_the_large_text_cookie(client, agency):
    item = penalty_item(agency)
    for url in [
        reverse("catalog:agency_items", args=[agency.public_id]),
        reverse("catalog:item", args=[item.public_id]),
        reverse("catalog:major_decisions", args=[agency.public_id]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        cache = response["Cache-Control"]
        assert "public" in cache and "max-age=300" in cache, url
        assert "Cookie" in response["Vary"], url
        assert "hx-" not in response.content.decode()  # works without JavaScript
        assert client.post(url).status_code == 405


@with_catalog_urls
def test_agency_detail_links_to_the_public_catalog(client, agency):
    page = client.get(reverse("portal:agency_detail", args=[agency.public_id])).content.decode()
    assert "事前公开" in page
    assert reverse("catalog:agency_items", args=[agency.public_id]) in page
    assert reverse("catalog:major_decisions", args=[agency.public_id]) in page


def test_agency_detail_still_renders_before_the_catalog_urls_are_mounted(client, agency):
    page = client.get(f"/agencies/{agency.public_id}/").content.decode()
    assert agency.name in page
