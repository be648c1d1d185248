"""监督方式与救济渠道 on the public agency items page (GB118-01)."""

import pytest
from django.test import override_settings
from django.urls import include, path, reverse

import zhifa.urls
from zhifa.catalog import public, services
from zhifa.catalog.models import AgencyCatalogSettings
from zhifa.officers.tests.factories import market_agency
from zhifa.orgs.services import SYSTEM
from zhifa.orgs.tests.factories import AgencyFactory
from zhifa.rules.registry import get_rule

pytestmark = pytest.mark.django_db

urlpatterns = [*zhifa.urls.urlpatterns, path("", include("zhifa.catalog.urls"))]
with_catalog_urls = override_settings(ROOT_URLCONF=__name__)


@pytest.fixture
def agency():
    return market_agency(name="本溪满族自治县市场监督管理局")


def _page(client, agency) -> str:
    response = client.get(reverse("catalog:agency_items", args=[agency.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_statutory_remedies_read_periods_and_citations_from_the_registry():
    lines = public.statutory_remedies()
    reconsideration = get_rule("reconsideration.window")
    litigation = get_rule("litigation.window")
    assert "60 日内依法申请行政复议" in lines[0]
    assert "中华人民共和国行政复议法第二十条" in lines[0]
    assert "6 个月内依法向人民法院提起行政诉讼" in lines[1]
    assert "中华人民共和国行政诉讼法" in lines[1] and "第四十六条" in lines[1]
    assert reconsideration.format_value() in lines[0]
    assert litigation.format_value() in lines[1]


def test_statutory_remedies_follow_a_changed_registry(monkeypatch):
    from dataclasses import replace
    from decimal import Decimal

    rule = get_rule("reconsideration.window")
    changed = replace(rule, value=Decimal(90))
    monkeypatch.setattr(
        public, "get_rule", lambda rule_id: changed if rule_id == rule.id else get_rule(rule_id)
    )
    assert "90 日内" in public.statutory_remedies()[0]


@with_catalog_urls
def test_defaults_shown_when_nothing_is_set(client, agency):
    bureau = AgencyFactory(name="本溪满族自治县司法局", is_justice_bureau=True)
    agency.supervising_bureau = bureau
    agency.save()
    page = _page(client, agency)
    assert "监督方式" in page and "救济渠道" in page
    assert "接受本溪满族自治县司法局的监督" in page
    assert "60 日内依法申请行政复议" in page
    assert "6 个月内依法向人民法院提起行政诉讼" in page
    assert "以上为法律规定的一般救济途径和期限" in page


@with_catalog_urls
def test_without_supervising_bureau_no_default_supervision_line(client, agency):
    page = _page(client, agency)
    assert "本执法主体尚未公布监督方式" in page
    assert "60 日内依法申请行政复议" in page


@with_catalog_urls
def test_agency_text_replaces_the_defaults(client, agency):
    bureau = AgencyFactory(name="本溪满族自治县司法局", is_justice_bureau=True)
    agency.supervising_bureau = bureau
    agency.save()
    services.catalog_settings_save(
        actor=SYSTEM,
        agency=agency,
        review_all_general_procedure=False,
        supervision_channels="投诉举报电话：12315\n\n监督信箱：<jianbu@example.cn>",
        remedies="  可向本溪满族自治县人民政府申请行政复议。  ",
    )
    page = _page(client, agency)
    assert "<li>投诉举报电话：12315</li>" in page
    assert "&lt;jianbu@example.cn&gt;" in page  # escaped
    assert "接受本溪满族自治县司法局的监督" not in page
    assert "<li>可向本溪满族自治县人民政府申请行政复议。</li>" in page
    assert "60 日内依法申请行政复议" not in page
    assert "以上为法律规定的一般救济途径和期限" not in page


def test_settings_save_keeps_texts_when_not_given(agency):
    services.catalog_settings_save(
        actor=SYSTEM,
        agency=agency,
        review_all_general_procedure=False,
        supervision_channels="电话 12345",
        remedies="复议",
    )
    services.catalog_settings_save(actor=SYSTEM, agency=agency, review_all_general_procedure=True)
    settings = AgencyCatalogSettings.objects.get(agency=agency)
    assert settings.review_all_general_procedure
    assert settings.supervision_channels == "电话 12345"
    assert settings.remedies == "复议"
    services.catalog_settings_save(
        actor=SYSTEM, agency=agency, review_all_general_procedure=True, remedies=""
    )
    settings.refresh_from_db()
    assert settings.remedies == ""
    assert settings.supervision_channels == "电话 12345"
    assert "60 日内" in public.oversight_for_public(agency).remedies[0]
