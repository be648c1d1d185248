"""Excel in and out for the catalog lists: template, all-or-nothing import,
idempotent re-import, export round trip, row errors in Chinese, views."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.catalog import excel
from zhifa.catalog.models import (
    AvRecordingRule,
    DiscretionStandard,
    EnforcementItem,
    ItemVersion,
    MajorDecisionCriterion,
    RandomInspectionItem,
    ServiceGuide,
)
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


def test_result_page_speaks_of_the_catalog(client, agency, head):
    # The result page is shared with the officer registry; its wording comes from this view.
    client.force_login(head)
    url = reverse("catalog:excel", args=[agency.public_id])
    data = fill(excel.catalog_template(agency=agency), items=[ITEM_ROW])
    body = client.post(url, {"file": SimpleUploadedFile("清单.xlsx", data)}).content.decode()
    assert f'<a href="{url}">← 返回执法事项清单 Excel 导入导出</a>' in body
    assert f'action="{url}"' in body
    assert '<th scope="col">新版本／更新</th>' in body
    assert "查看执法人员名单" not in body


def test_excel_dates_as_datetimes(agency, head):
    row = [*ITEM_ROW[:7], datetime(2024, 1, 1), *ITEM_ROW[8:]]
    result = excel.import_catalog(
        actor=head, agency=agency, file=fill(excel.catalog_template(agency=agency), [row])
    )
    assert result.ok, messages(result)


# ---------------------------------------------------------------------------
# 音像记录事项清单 and 随机抽查事项清单


def fill_sheets(template: bytes, sheets: dict[str, list]) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    for sheet, rows in sheets.items():
        ws = wb[sheet]
        for n, row in enumerate(rows, start=2):
            for col, value in enumerate(row, start=1):
                ws.cell(row=n, column=col, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


INSPECTION_ITEM_ROW = [
    "330217100",
    "对食品经营者的监督检查",
    "行政检查",
    "市场监管",
    "执法一科",
    "是",
    "inspection.general",
    date(2024, 1, 1),
    "实施依据",
    "中华人民共和国食品安全法",
    "第一百一十条",
    "",
    "县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权采取下列措施……",
]
AV_ROWS = [
    ["", "查封扣押", "全程音像记录", "《某省行政执法全过程记录办法》第十条"],
    ["330217001", "现场检查", "关键环节音像记录", "《某省行政执法全过程记录办法》第十一条"],
]
INSPECTION_ROW = [
    "330217100",
    "本溪满族自治县市场监督管理局",
    "《中华人民共和国食品安全法》第一百一十条",
    "辖区内食品经营者",
    "经营许可、进货查验记录、贮存条件",
    "5%",
    "现场检查",
    "每年一次",
]


def lists_file(agency, av=AV_ROWS, inspections=(INSPECTION_ROW,)) -> bytes:
    return fill_sheets(
        excel.catalog_template(agency=agency),
        {
            excel.ITEM_SHEET: [ITEM_ROW, INSPECTION_ITEM_ROW],
            excel.AV_SHEET: list(av),
            excel.INSPECTION_SHEET: list(inspections),
        },
    )


def test_template_has_list_sheets(agency):
    wb = load_workbook(io.BytesIO(excel.catalog_template(agency=agency)))
    assert [c.value for c in wb[excel.AV_SHEET][1]] == ["事项编码", "环节", "要求", "依据"]
    assert [c.value for c in wb[excel.INSPECTION_SHEET][1]] == [
        "事项编码",
        "检查主体",
        "抽查依据",
        "检查对象",
        "检查内容",
        "抽查比例",
        "检查方式",
        "抽查频次",
    ]
    dropdowns = wb[excel.AV_SHEET].data_validations.dataValidation
    assert any("全程音像记录" in (v.formula1 or "") for v in dropdowns)


def test_lists_import_then_reimport_unchanged(agency, head):
    data = lists_file(agency)
    result = excel.import_catalog(actor=head, agency=agency, file=data)
    assert result.ok, messages(result)
    assert (result.av_rules.created, result.inspections.created) == (2, 1)
    general = AvRecordingRule.objects.get(agency=agency, item__isnull=True)
    assert (general.step, general.requirement) == ("seizure", "full")
    scoped = AvRecordingRule.objects.get(agency=agency, item__code="330217001")
    assert (scoped.step, scoped.requirement) == ("onsite_inspection", "key")
    entry = RandomInspectionItem.objects.get(agency=agency)
    assert entry.item.code == "330217100" and entry.ratio == Decimal("0.05")
    assert Entry.objects.filter(action="catalog.av_rule_saved", agency=agency).count() == 2

    entries = Entry.objects.count()
    again = excel.import_catalog(actor=head, agency=agency, file=data)
    assert again.ok and not again.changed, messages(again)
    assert (again.av_rules.unchanged, again.inspections.unchanged) == (2, 1)
    assert Entry.objects.count() == entries

    changed = [["", "查封扣押", "全程音像记录", "《某省行政执法全过程记录办法》第十二条"]]
    updated = excel.import_catalog(actor=head, agency=agency, file=lists_file(agency, changed))
    assert updated.ok and updated.av_rules.updated == 1, messages(updated)
    general.refresh_from_db()
    assert general.citation.endswith("第十二条")


def test_lists_bad_rows_report_chinese_errors_and_import_nothing(agency, head):
    av = [
        ["", "查封扣押", "可选", "《某办法》第十条"],
        ["", "现场检查", "偶尔", "《某办法》第十一条"],
        ["NOPE", "听证", "可选", "《某办法》第十二条"],
        ["", "听证", "可选", ""],
    ]
    not_random = [ITEM_ROW[0], *INSPECTION_ROW[1:]]  # a penalty item
    bad_ratio = [*INSPECTION_ROW[:5], "150%", *INSPECTION_ROW[6:]]
    missing = [*INSPECTION_ROW[:3], "", *INSPECTION_ROW[4:]]
    result = excel.import_catalog(
        actor=head, agency=agency, file=lists_file(agency, av, [bad_ratio, missing])
    )
    assert not result.ok
    text = "\n".join(messages(result))
    assert "「音像记录事项清单」第 2 行「要求」：“查封扣押”直接涉及重大财产权益等" in text
    assert "「音像记录事项清单」第 3 行「要求」：「偶尔」不是有效的记录要求" in text
    assert "「音像记录事项清单」第 4 行「事项编码」：本机关没有事项编码为「NOPE」" in text
    assert "「音像记录事项清单」第 5 行「依据」：每一项音像记录要求都必须写明依据" in text
    assert "「随机抽查事项清单」第 2 行「抽查比例」：抽查比例应在 0 至 100% 之间" in text
    assert "「随机抽查事项清单」第 3 行「检查对象」：必须填写" in text
    assert not EnforcementItem.objects.filter(agency=agency).exists()
    assert not AvRecordingRule.objects.filter(agency=agency).exists()

    # A row the service refuses (not a random-inspection item) rolls back everything.
    refused = excel.import_catalog(
        actor=head, agency=agency, file=lists_file(agency, inspections=[not_random])
    )
    assert not refused.ok
    assert "「随机抽查事项清单」第 2 行「事项编码」" in "\n".join(messages(refused))
    assert not EnforcementItem.objects.filter(agency=agency).exists()
    assert not AvRecordingRule.objects.filter(agency=agency).exists()
    assert not RandomInspectionItem.objects.filter(agency=agency).exists()


def test_lists_export_round_trip_unchanged(agency, head):
    first = excel.import_catalog(actor=head, agency=agency, file=lists_file(agency))
    assert first.ok, messages(first)
    exported = excel.export_catalog(agency=agency)
    wb = load_workbook(io.BytesIO(exported))
    inspection_rows = list(wb[excel.INSPECTION_SHEET].iter_rows(values_only=True))
    assert inspection_rows[1][0] == "330217100" and inspection_rows[1][5] == "5%"
    assert len(list(wb[excel.AV_SHEET].iter_rows(values_only=True))) == 3
    result = excel.import_catalog(actor=head, agency=agency, file=exported)
    assert result.ok, messages(result)
    assert not result.changed
    assert (result.av_rules.unchanged, result.inspections.unchanged) == (2, 1)


def test_file_without_list_sheets_still_imports(agency, head):
    wb = load_workbook(io.BytesIO(fill(excel.catalog_template(agency=agency), [ITEM_ROW])))
    del wb[excel.AV_SHEET]
    del wb[excel.INSPECTION_SHEET]
    out = io.BytesIO()
    wb.save(out)
    result = excel.import_catalog(actor=head, agency=agency, file=out.getvalue())
    assert result.ok and result.items.created == 1, messages(result)


# ---------------------------------------------------------------------------
# 服务指南

GUIDE_ROW = [
    "330217001",
    "本溪满族自治县市场监督管理局执法一科",
    "本溪满族自治县市场监督管理局",
    "对违法行为立案调查的案件",
    "1. 询问笔录\n2. 现场检查笔录",
    "立案\n调查取证\n告知\n决定\n送达",
    "立案之日起九十日内",
    "依法申请行政复议或者提起行政诉讼",
    "不收费",
    "",
    "工作日 8:30—17:00",
    "本溪满族自治县小市镇",
    "024-12345678",
]


def guide_file(agency, rows=(GUIDE_ROW,)) -> bytes:
    return fill_sheets(
        excel.catalog_template(agency=agency),
        {excel.ITEM_SHEET: [ITEM_ROW], excel.GUIDE_SHEET: list(rows)},
    )


def test_guide_template_import_and_reimport_unchanged(agency, head):
    wb = load_workbook(io.BytesIO(excel.catalog_template(agency=agency)))
    headers = [c.value for c in wb[excel.GUIDE_SHEET][1]]
    assert headers[:3] == ["事项编码", "受理机构", "审批机构"] and len(headers) == 13
    data = guide_file(agency)
    result = excel.import_catalog(actor=head, agency=agency, file=data)
    assert result.ok, messages(result)
    assert result.guides.created == 1
    guide = ServiceGuide.objects.get(version__item__code="330217001")
    assert guide.process.splitlines()[0] == "立案" and guide.telephone == "024-12345678"
    assert Entry.objects.filter(action="catalog.service_guide_saved", agency=agency).count() == 1

    entries = Entry.objects.count()
    again = excel.import_catalog(actor=head, agency=agency, file=data)
    assert again.ok and not again.changed and again.guides.unchanged == 1, messages(again)
    assert Entry.objects.count() == entries

    changed = [*GUIDE_ROW[:6], "立案之日起六十日内", *GUIDE_ROW[7:]]
    updated = excel.import_catalog(actor=head, agency=agency, file=guide_file(agency, [changed]))
    assert updated.ok and updated.guides.updated == 1, messages(updated)
    guide.refresh_from_db()
    assert guide.time_limit == "立案之日起六十日内"


def test_guide_bad_rows_report_chinese_errors_and_import_nothing(agency, head):
    missing = [GUIDE_ROW[0], "", *GUIDE_ROW[2:]]
    duplicate = list(GUIDE_ROW)
    unknown = ["NOPE", *GUIDE_ROW[1:]]
    result = excel.import_catalog(
        actor=head, agency=agency, file=guide_file(agency, [missing, duplicate, unknown])
    )
    assert not result.ok
    text = "\n".join(messages(result))
    assert "「服务指南」第 2 行「受理机构」：必须填写" in text
    assert "「服务指南」第 3 行「事项编码」：与第 2 行重复" in text
    assert "「服务指南」第 4 行「事项编码」：本机关没有事项编码为「NOPE」" in text
    assert not EnforcementItem.objects.filter(agency=agency).exists()
    assert not ServiceGuide.objects.exists()


def test_guide_export_round_trip_unchanged(agency, head):
    first = excel.import_catalog(actor=head, agency=agency, file=guide_file(agency))
    assert first.ok, messages(first)
    exported = excel.export_catalog(agency=agency)
    rows = list(load_workbook(io.BytesIO(exported))[excel.GUIDE_SHEET].iter_rows(values_only=True))
    assert rows[1][0] == "330217001" and len(rows) == 2
    result = excel.import_catalog(actor=head, agency=agency, file=exported)
    assert result.ok, messages(result)
    assert not result.changed and result.guides.unchanged == 1


# ---------------------------------------------------------------------------
# 裁量基准

VIOLATION = "未取得食品经营许可从事食品经营活动，货值金额不足一万元"
DISCRETION_BASIS = "《某省市场监督管理行政处罚裁量权基准》第十二条"


def grade_row(grade, conditions, circumstances="", types="", fmin="", fmax="", gmin="", gmax=""):
    return [
        "330217001",
        VIOLATION,
        DISCRETION_BASIS,
        grade,
        conditions,
        circumstances,
        types,
        fmin,
        fmax,
        gmin,
        gmax,
    ]


DISCRETION_ROWS = [
    grade_row("不予处罚", "初次违法且危害后果轻微并及时改正", "first_minor_corrected"),
    grade_row("减轻处罚", "依法应当减轻处罚", "", "罚款", 10000, 50000),
    grade_row(
        "从轻处罚", "有从轻处罚情形", "age_14_18、coerced", "罚款、没收违法所得", 50000, 65000
    ),
    grade_row("一般处罚", "无从轻、从重情形", "", "罚款、没收违法所得", "65000", "85000", 1, 2),
    grade_row("从重处罚", "有从重处罚情形", "serious_harm", "罚款、没收违法所得", 85000, 100000),
]


def discretion_file(agency, rows=DISCRETION_ROWS, items=(ITEM_ROW,)) -> bytes:
    return fill_sheets(
        excel.catalog_template(agency=agency),
        {excel.ITEM_SHEET: list(items), excel.DISCRETION_SHEET: list(rows)},
    )


def test_discretion_template_import_and_reimport_unchanged(agency, head):
    wb = load_workbook(io.BytesIO(excel.catalog_template(agency=agency)))
    headers = [c.value for c in wb[excel.DISCRETION_SHEET][1]]
    assert headers == [
        "事项编码",
        "违法行为",
        "裁量依据",
        "裁量阶次",
        "适用情形",
        "情形代码",
        "处罚种类",
        "罚款下限",
        "罚款上限",
        "违法所得倍数下限",
        "违法所得倍数上限",
    ]
    dropdowns = wb[excel.DISCRETION_SHEET].data_validations.dataValidation
    assert any("从重处罚" in (v.formula1 or "") for v in dropdowns)

    data = discretion_file(agency)
    result = excel.import_catalog(actor=head, agency=agency, file=data)
    assert result.ok, messages(result)
    assert (result.items.created, result.discretion.created) == (1, 1)
    standard = DiscretionStandard.objects.get(version__item__code="330217001")
    assert (standard.violation, standard.basis) == (VIOLATION, DISCRETION_BASIS)
    grades = {g.grade: g for g in standard.grades.all()}
    assert list(grades) == ["none", "mitigated", "lighter", "ordinary", "heavier"]
    assert grades["none"].circumstances == ["first_minor_corrected"]
    assert grades["none"].penalty_types == []
    assert grades["lighter"].circumstances == ["age_14_18", "coerced"]
    assert grades["lighter"].penalty_types == ["fine", "confiscate_gains"]
    assert (grades["ordinary"].fine_min, grades["ordinary"].gains_multiple_max) == (
        Decimal("65000"),
        Decimal("2"),
    )
    assert (
        Entry.objects.filter(action="catalog.discretion_standard_saved", agency=agency).count() == 1
    )

    entries = Entry.objects.count()
    again = excel.import_catalog(actor=head, agency=agency, file=data)
    assert again.ok and not again.changed, messages(again)
    assert again.discretion.unchanged == 1
    assert Entry.objects.count() == entries

    changed = [
        *DISCRETION_ROWS[:4],
        grade_row("从重处罚", "有从重处罚情形", "", "罚款", 85000, 90000),
    ]
    updated = excel.import_catalog(actor=head, agency=agency, file=discretion_file(agency, changed))
    assert updated.ok and updated.discretion.updated == 1, messages(updated)
    heavier = standard.grades.get(grade="heavier")
    assert heavier.fine_max == Decimal("90000") and heavier.circumstances == []
    assert DiscretionStandard.objects.count() == 1


def test_discretion_export_round_trip_unchanged(agency, head):
    first = excel.import_catalog(actor=head, agency=agency, file=discretion_file(agency))
    assert first.ok, messages(first)
    exported = excel.export_catalog(agency=agency)
    sheet = load_workbook(io.BytesIO(exported))[excel.DISCRETION_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 6
    assert rows[3][:7] == (
        "330217001",
        VIOLATION,
        DISCRETION_BASIS,
        "从轻处罚",
        "有从轻处罚情形",
        "age_14_18、coerced",
        "罚款、没收违法所得",
    )
    assert rows[4][7:] == ("65000", "85000", "1", "2")
    result = excel.import_catalog(actor=head, agency=agency, file=exported)
    assert result.ok, messages(result)
    assert not result.changed and result.discretion.unchanged == 1


def test_discretion_bad_rows_report_chinese_errors_and_import_nothing(agency, head):
    min_above_max = grade_row("减轻处罚", "依法应当减轻处罚", "", "罚款", 50000, 10000)
    unknown_item = ["NOPE", *DISCRETION_ROWS[1][1:]]
    unknown_code = grade_row("从轻处罚", "有从轻处罚情形", "age_14_18、no_such_code", "罚款", 1, 2)
    bad_grade = grade_row("特别从重", "有从重处罚情形", "", "罚款", 1, 2)
    result = excel.import_catalog(
        actor=head,
        agency=agency,
        file=discretion_file(agency, [min_above_max, unknown_item, unknown_code, bad_grade]),
    )
    assert not result.ok
    text = "\n".join(messages(result))
    assert "「裁量基准」第 2 行「罚款上限」：罚款下限（50000）高于罚款上限（10000）" in text
    assert "「裁量基准」第 3 行「事项编码」：本机关没有事项编码为「NOPE」" in text
    assert "「裁量基准」第 4 行「情形代码」：「no_such_code」不是有效的情形代码" in text
    assert "「裁量基准」第 5 行「裁量阶次」：「特别从重」不是有效的裁量阶次" in text
    assert not EnforcementItem.objects.filter(agency=agency).exists()
    assert not DiscretionStandard.objects.exists()

    # Overlapping grades: refused by the service, everything rolled back.
    overlap = [
        grade_row("从轻处罚", "有从轻处罚情形", "", "罚款", 50000, 70000),
        grade_row("一般处罚", "无从轻、从重情形", "", "罚款", 65000, 85000),
    ]
    refused = excel.import_catalog(actor=head, agency=agency, file=discretion_file(agency, overlap))
    assert not refused.ok
    text = "\n".join(messages(refused))
    assert "「裁量基准」第 2 行「裁量阶次」：" in text and "重叠或倒置" in text
    assert not EnforcementItem.objects.filter(agency=agency).exists()
    assert not DiscretionStandard.objects.exists()

    # A benchmark on an inspection item: refused by the service.
    inspection = [INSPECTION_ITEM_ROW[0], *DISCRETION_ROWS[1][1:]]
    refused = excel.import_catalog(
        actor=head,
        agency=agency,
        file=discretion_file(agency, [inspection], items=[ITEM_ROW, INSPECTION_ITEM_ROW]),
    )
    assert not refused.ok
    text = "\n".join(messages(refused))
    assert (
        "「裁量基准」第 2 行「事项编码」：" in text and "只有行政处罚事项才能设置裁量基准" in text
    )
    assert not EnforcementItem.objects.filter(agency=agency).exists()
    assert not DiscretionStandard.objects.exists()


def test_file_without_discretion_sheet_still_imports(agency, head):
    wb = load_workbook(io.BytesIO(fill(excel.catalog_template(agency=agency), [ITEM_ROW])))
    del wb[excel.DISCRETION_SHEET]
    out = io.BytesIO()
    wb.save(out)
    result = excel.import_catalog(actor=head, agency=agency, file=out.getvalue())
    assert result.ok and result.items.created == 1, messages(result)
    assert result.discretion.created == 0
