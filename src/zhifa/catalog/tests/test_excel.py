"""Excel in and out for the catalog lists: template, all-or-nothing import,
idempotent re-import, export round trip, row errors in Chinese, views."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.catalog import excel
from zhifa.catalog.models import EnforcementItem, ItemVersion, MajorDecisionCriterion
from zhifa.catalog.tests.factories import FOOD_122, penalty_item
from zhifa.ledger.models import Entry
from zhifa.officers.tests.factories import market_agency
from zhifa.orgs.models import EnforcementCategory, Role
from zhifa.orgs.tests.factories import UnitFactory, UserFactory, grant, region_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    a = market_agency(name="本溪满族自治县市场监督管理局")
    UnitFactory(agency=a, name="执法一科")
    return a


@pytest.fixture
def head(agency):
    user = UserFactory()
    grant(user, Role.AGENCY_HEAD, agency=agency)
    return user


ITEM_ROW = [
    "330217001",
    "对未取得食品经营许可从事食品经营活动的行政处罚",
    "行政处罚",
    "市场监管",
    "执法一科",
    "否",
    "penalty.general",
    date(2024, 1, 1),
    "处罚依据",
    "中华人民共和国食品安全法",
    "第一百二十二条",
    "第一款",
    FOOD_122,
]
SECOND_BASIS = [
    *ITEM_ROW[:8],
    "实施依据",
    "中华人民共和国行政处罚法",
    "第十八条",
    "",
    "国家在城市管理、市场监管……等领域推行建立综合行政执法制度。",
]
CRITERION_ROW = [
    "处罚种类",
    "吊销许可证件、责令停产停业的",
    "《某省重大行政执法决定法制审核办法》第五条第一项",
    "吊销许可证件；责令停产停业",
    "不限",
    "",
    "",
]
AMOUNT_ROW = [
    "罚没金额达到标准",
    "对法人或其他组织罚没五万元以上",
    "《某省重大行政执法决定法制审核办法》第五条第二项",
    "",
    "法人或其他组织",
    "50000",
    "330217001",
]


def fill(template: bytes, items=(), criteria=()) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    for sheet, rows in ((excel.ITEM_SHEET, items), (excel.CRITERION_SHEET, criteria)):
        ws = wb[sheet]
        for n, row in enumerate(rows, start=2):
            for col, value in enumerate(row, start=1):
                ws.cell(row=n, column=col, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


def test_template_has_sheets(agency):
    wb = load_workbook(io.BytesIO(excel.catalog_template(agency=agency)))
    assert {excel.ITEM_SHEET, excel.CRITERION_SHEET, "说明"} <= set(wb.sheetnames)
    assert [c.value for c in wb[excel.ITEM_SHEET][1]][:3] == ["事项编码", "事项名称", "执法类型"]


def test_import_creates_then_reimport_unchanged(agency, head):
    data = fill(
        excel.catalog_template(agency=agency),
        items=[ITEM_ROW, SECOND_BASIS],
        criteria=[CRITERION_ROW, AMOUNT_ROW],
    )
    result = excel.import_catalog(actor=head, agency=agency, file=data)
    assert result.ok, messages(result)
    assert (result.items.created, result.criteria.created) == (1, 2)
    item = EnforcementItem.objects.get(agency=agency, code="330217001")
    version = item.versions.get()
    assert version.status == ItemVersion.Status.PUBLISHED
    assert version.unit.name == "执法一科" and version.bases.count() == 2
    amount = MajorDecisionCriterion.objects.get(agency=agency, kind="amount")
    assert amount.item == item and amount.party_kind == "organisation"
    penalty = MajorDecisionCriterion.objects.get(agency=agency, kind="penalty_type")
    assert sorted(penalty.penalty_types) == ["revoke_permit", "suspend_business"]
    assert Entry.objects.filter(action="catalog.item_created", agency=agency).count() == 1
    assert Entry.objects.filter(action="catalog.item_version_published", agency=agency).exists()
    assert Entry.objects.filter(action="catalog.major_criterion_saved", agency=agency).count() == 2

    entries = Entry.objects.count()
    again = excel.import_catalog(actor=head, agency=agency, file=data)
    assert again.ok and not again.changed
    assert (again.items.unchanged, again.criteria.unchanged) == (1, 2)
    assert Entry.objects.count() == entries


def test_export_round_trip_unchanged(agency, head):
    item = penalty_item(agency)
    excel.import_catalog(
        actor=head,
        agency=agency,
        file=fill(excel.catalog_template(agency=agency), criteria=[CRITERION_ROW, AMOUNT_ROW]),
    )
    exported = excel.export_catalog(agency=agency)
    rows = list(load_workbook(io.BytesIO(exported))[excel.ITEM_SHEET].iter_rows(values_only=True))
    assert rows[1][0] == item.code and rows[1][2] == "行政处罚"
    result = excel.import_catalog(actor=head, agency=agency, file=exported)
    assert result.ok, messages(result)
    assert not result.changed
    assert (result.items.unchanged, result.criteria.unchanged) == (1, 2)


def test_changed_content_becomes_new_version_only_if_later(agency, head):
    penalty_item(agency, effective_from=date(2024, 1, 1))
    renamed = [ITEM_ROW[0], "新名称", *ITEM_ROW[2:7], date(2023, 6, 1), *ITEM_ROW[8:]]
    template = excel.catalog_template(agency=agency)
    refused = excel.import_catalog(actor=head, agency=agency, file=fill(template, [renamed]))
    assert not refused.ok
    assert "「执法事项清单」第 2 行「施行日期」" in messages(refused)[0]
    renamed[7] = date(2025, 3, 1)
    result = excel.import_catalog(actor=head, agency=agency, file=fill(template, [renamed]))
    assert result.ok, messages(result)
    assert result.items.updated == 1
    item = EnforcementItem.objects.get(agency=agency, code=ITEM_ROW[0])
    assert item.version_on(date(2025, 3, 2)).name == "新名称"
    assert item.version_on(date(2024, 6, 1)).version == 1


def test_bad_rows_report_chinese_errors_and_import_nothing(agency, head):
    EnforcementCategory.objects.create(code="transport", name="交通运输")
    good = list(ITEM_ROW)
    bad_kind = ["A2", *ITEM_ROW[1:2], "行政乱罚", *ITEM_ROW[3:]]
    unknown_category = ["A3", ITEM_ROW[1], ITEM_ROW[2], "不存在类别", *ITEM_ROW[4:]]
    outside_category = ["A4", ITEM_ROW[1], ITEM_ROW[2], "交通运输", *ITEM_ROW[4:]]
    bad_date = ["A5", *ITEM_ROW[1:7], "2024-13-45", *ITEM_ROW[8:]]
    dup_a = ["A6", *ITEM_ROW[1:]]
    dup_b = ["A6", "另一个名称", *ITEM_ROW[2:]]
    no_citation = [CRITERION_ROW[0], CRITERION_ROW[1], "", *CRITERION_ROW[3:]]
    data = fill(
        excel.catalog_template(agency=agency),
        items=[good, bad_kind, unknown_category, outside_category, bad_date, dup_a, dup_b],
        criteria=[CRITERION_ROW, no_citation],
    )
    result = excel.import_catalog(actor=head, agency=agency, file=data)
    assert not result.ok
    text = "\n".join(messages(result))
    assert "「执法事项清单」第 3 行「执法类型」：「行政乱罚」不是有效的执法类型" in text
    assert "「执法事项清单」第 4 行「执法类别」：没有名为「不存在类别」的执法类别" in text
    assert "「执法事项清单」第 5 行「执法类别」：执法类别「交通运输」不在" in text
    assert "「执法事项清单」第 6 行「施行日期」" in text
    assert "「执法事项清单」第 8 行「事项名称」：与第 7 行" in text
    assert "「重大执法决定法制审核目录」第 3 行「依据」：每一项审核情形都必须写明依据" in text
    assert not EnforcementItem.objects.filter(agency=agency).exists()
    assert not MajorDecisionCriterion.objects.filter(agency=agency).exists()


def test_non_xlsx_refused(agency, head):
    result = excel.import_catalog(actor=head, agency=agency, file=b"name,code\n1,2\n")
    assert not result.ok and "不是 Excel 工作簿" in messages(result)[0]
    xls = excel.import_catalog(
        actor=head, agency=agency, file=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100
    )
    assert ".xls" in messages(xls)[0]


def test_formula_text_stays_text(agency, head):
    row = [*ITEM_ROW[:1], '=HYPERLINK("http://x")', *ITEM_ROW[2:]]
    # openpyxl stores a leading "=" as a formula; the import reads cached values only.
    result = excel.import_catalog(
        actor=head, agency=agency, file=fill(excel.catalog_template(agency=agency), [row])
    )
    assert not result.ok and "「事项名称」：必须填写" in "\n".join(messages(result))


def test_import_requires_manager(agency):
    with pytest.raises(PermissionDenied):
        excel.import_catalog(actor=UserFactory(), agency=agency, file=b"")


def test_views_permissions_and_flow(client, agency, head):
    url = reverse("catalog:excel", args=[agency.public_id])
    template_url = reverse("catalog:excel_template", args=[agency.public_id])
    export_url = reverse("catalog:excel_export", args=[agency.public_id])

    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, region=region_tree()[1])  # sees the county, not a manager
    outsider = UserFactory()
    grant(outsider, Role.SUPERVISOR, region=region_tree()[4])  # 沈阳市
    for user, status in ((supervisor, 403), (outsider, 404)):
        client.force_login(user)
        for target in (url, template_url, export_url):
            assert client.get(target).status_code == status, (user, target)

    client.logout()
    assert client.get(url).status_code in (302, 403)

    client.force_login(head)
    assert client.get(url).status_code == 200
    template = client.get(template_url)
    assert template.status_code == 200
    data = fill(b"".join(template.streaming_content), items=[ITEM_ROW])
    upload = SimpleUploadedFile("清单.xlsx", data)
    page = client.post(url, {"file": upload})
    assert page.status_code == 200 and "导入成功" in page.content.decode()
    assert EnforcementItem.objects.filter(agency=agency).count() == 1
    bad = client.post(url, {"file": SimpleUploadedFile("a.csv", b"a,b\n")})
    assert bad.status_code == 422 and "不是 Excel 工作簿" in bad.content.decode()
    export = client.get(export_url)
    assert export.status_code == 200
    assert b"".join(export.streaming_content).startswith(b"PK")


def test_excel_dates_as_datetimes(agency, head):
    row = [*ITEM_ROW[:7], datetime(2024, 1, 1), *ITEM_ROW[8:]]
    result = excel.import_catalog(
        actor=head, agency=agency, file=fill(excel.catalog_template(agency=agency), [row])
    )
    assert result.ok, messages(result)
