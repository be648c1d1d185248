"""Excel in and out: template, all-or-nothing import, idempotence, export, views."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import include, path, reverse
from openpyxl import Workbook, load_workbook

from zhifa import urls as project_urls
from zhifa.ledger.models import Entry
from zhifa.officers import excel, services, views_excel
from zhifa.officers import urls as officer_urls
from zhifa.officers.models import (
    Certificate,
    EmploymentStatus,
    Exam,
    ExamKind,
    LegalQualification,
    Officer,
)
from zhifa.orgs import excel_pages
from zhifa.orgs.models import EnforcementCategory
from zhifa.orgs.tests.factories import AgencyFactory, Role, UnitFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

# -- a test URL configuration: the project plus the Excel routes under "officers"

excel_patterns = [
    path("staff/officers/excel/", views_excel.excel_home, name="excel"),
    path("staff/officers/excel/export.xlsx", views_excel.excel_export_all, name="excel_export_all"),
    path("staff/officers/excel/<uuid:agency_id>/", views_excel.excel_agency, name="excel_agency"),
    path(
        "staff/officers/excel/<uuid:agency_id>/template.xlsx",
        views_excel.excel_template,
        name="excel_template",
    ),
    path(
        "staff/officers/excel/<uuid:agency_id>/export.xlsx",
        views_excel.excel_export,
        name="excel_export",
    ),
]
urlpatterns = [
    *[p for p in project_urls.urlpatterns if getattr(p, "namespace", None) != "officers"],
    path(
        "",
        include(
            (
                [
                    *officer_urls.urlpatterns,
                    # Once officers/urls.py routes these itself, its own entries are used.
                    *[
                        p
                        for p in excel_patterns
                        if p.name not in {q.name for q in officer_urls.urlpatterns}
                    ],
                ],
                "officers",
            )
        ),
    ),
]
with_excel_urls = override_settings(ROOT_URLCONF=__name__)

# -- people (valid 公民身份号码, GB 11643)

WANG = "210521198001010011"
LI = "210521198506150028"
ZHAO = "210521199003200032"
SUN = "210521197511110042"
BAD_CHECK = "210521198001010012"


@pytest.fixture
def world():
    market = EnforcementCategory.objects.create(code="market", name="市场监管")
    food = EnforcementCategory.objects.create(code="food", name="食品安全")
    EnforcementCategory.objects.create(code="eco", name="生态环境")
    agency = AgencyFactory(name="本溪满族自治县市场监督管理局", short_name="本县市监")
    agency.categories.set([market, food])
    UnitFactory(agency=agency, name="执法一科")
    head = UserFactory(name="局长")
    grant(head, Role.AGENCY_HEAD, agency=agency)
    officer_user = UserFactory(name="队员")
    grant(officer_user, Role.OFFICER, agency=agency)
    other_agency = AgencyFactory(name="桓仁满族自治县市场监督管理局")
    other_agency.categories.set([market])
    outsider = UserFactory(name="外单位局长")
    grant(outsider, Role.AGENCY_HEAD, agency=other_agency)
    supervisor = UserFactory(name="司法局")
    grant(supervisor, Role.SUPERVISOR, region=agency.region.parent)
    return {
        "agency": agency,
        "head": head,
        "officer": officer_user,
        "other_agency": other_agency,
        "outsider": outsider,
        "supervisor": supervisor,
    }


def officer_row(name, id_number, **over):
    row = {
        "姓名": name,
        "公民身份号码": id_number,
        "承办机构": "执法一科",
        "岗位": "执法队员",
        "编制状态": "在编",
        "是否辅助人员": "否",
        "联系电话": "13800000001",
        "通用法律知识考试日期": date(2024, 3, 1),
        "通用法律知识考试结果": "通过",
        "专业法律知识考试日期": "2024-04-01",  # text dates are accepted too
        "专业法律知识考试结果": "通过",
        "法律职业资格证书编号": "",
        "法律职业资格取得日期": None,
    }
    row.update(over)
    return row


def certificate_row(number, id_number, **over):
    row = {
        "证件编号": number,
        "公民身份号码": id_number,
        "执法类别": "市场监管、食品安全",
        "执法区域": "本溪满族自治县（210521）",
        "发证日期": date(2024, 5, 1),
        "有效期至": None,
    }
    row.update(over)
    return row


def good_rows():
    officers = [
        officer_row("王小明", WANG),
        officer_row(
            "李华",
            LI,
            **{
                "承办机构": "",
                "岗位": "法制审核员",
                "联系电话": "",
                "法律职业资格证书编号": "A20201234",
                "法律职业资格取得日期": date(2020, 9, 1),
            },
        ),
        officer_row(
            "赵辅",
            ZHAO,
            **{
                "岗位": "协管员",
                "编制状态": "编外聘用",
                "是否辅助人员": "是",
                "通用法律知识考试日期": None,
                "通用法律知识考试结果": "",
                "专业法律知识考试日期": None,
                "专业法律知识考试结果": "",
            },
        ),
    ]
    certificates = [
        certificate_row("21052124000001", WANG),
        certificate_row(
            "21052124000002",
            LI,
            **{"执法类别": "市场监管", "执法区域": "210521", "有效期至": "2029-04-30"},
        ),
    ]
    return officers, certificates


def filled_template(officers, certificates, *, agency=None) -> bytes:
    """Fill the downloaded template the way an official would (openpyxl, from row 2)."""
    wb = load_workbook(io.BytesIO(excel.registry_template(agency=agency)))
    for sheet, rows in ((excel.OFFICER_SHEET, officers), (excel.CERTIFICATE_SHEET, certificates)):
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        for r, row in enumerate(rows, start=2):
            for header, value in row.items():
                if value not in (None, ""):
                    ws.cell(row=r, column=headers.index(header) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


def do_import(world, data, actor=None):
    return excel.import_registry(actor=actor or world["head"], agency=world["agency"], file=data)


# -- template


def test_template_has_both_data_sheets_instructions_and_dropdowns(world):
    data = excel.registry_template(agency=world["agency"])
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:3] == ["执法人员", "执法证件", "说明"]
    officers, certificates = wb["执法人员"], wb["执法证件"]
    assert [c.value for c in officers[1]] == [c.header for c in excel.OFFICER_COLUMNS]
    assert [c.value for c in certificates[1]] == [c.header for c in excel.CERTIFICATE_COLUMNS]
    # No example row in the data sheets; it lives in 说明.
    assert officers.max_row == 1 and certificates.max_row == 1
    notes = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "示例" in notes and excel.SAMPLE_ID_NUMBER in notes
    assert "必填" in officers["B1"].comment.text
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in officers.data_validations.dataValidation
    }
    assert "在编" in lists["E2"] and "通过" in lists["I2"]
    options = wb[excel.OPTIONS_SHEET]
    assert options.sheet_state == "hidden"
    assert "执法一科" in [c.value for c in options["A"]]


# -- import


def test_template_round_trip_creates_everything_through_services(world):
    entries_before = Entry.objects.count()
    result = do_import(world, filled_template(*good_rows(), agency=world["agency"]))

    assert result.ok, messages(result)
    assert (result.officers.created, result.certificates.created) == (3, 2)
    wang = Officer.objects.get(agency=world["agency"], id_number=WANG)
    assert wang.unit.name == "执法一科" and wang.employment_status == EmploymentStatus.ESTABLISHED
    assert set(wang.exams.values_list("kind", "taken_on", "passed")) == {
        (ExamKind.GENERAL, date(2024, 3, 1), True),
        (ExamKind.PROFESSIONAL, date(2024, 4, 1), True),
    }
    zhao = Officer.objects.get(id_number=ZHAO)
    assert zhao.is_auxiliary and not zhao.exams.exists() and not zhao.certificates.exists()
    assert LegalQualification.objects.get(officer__id_number=LI).certificate_number == "A20201234"
    first = Certificate.objects.get(number="21052124000001")
    assert first.officer == wang
    assert set(first.categories.values_list("code", flat=True)) == {"market", "food"}
    assert first.area.code == "210521"
    assert first.expires_on == date(2029, 5, 1)  # default: the 5-year validity rule
    assert Certificate.objects.get(number="21052124000002").expires_on == date(2029, 4, 30)
    actions = list(Entry.objects.filter(seq__gte=entries_before).values_list("action", flat=True))
    assert actions.count("officer.registered") == 3
    assert actions.count("exam.recorded") == 4
    assert actions.count("legal_qualification.recorded") == 1
    assert actions.count("certificate.issued") == 2
    assert first.events.filter(action="issued").exists()


def test_reimporting_the_same_file_changes_nothing(world):
    data = filled_template(*good_rows())
    assert do_import(world, data).ok
    entries = Entry.objects.count()

    again = do_import(world, data)

    assert again.ok and not again.changed
    assert (again.officers.unchanged, again.certificates.unchanged) == (3, 2)
    assert Entry.objects.count() == entries
    assert Officer.objects.count() == 3 and Exam.objects.count() == 4


def test_a_changed_officer_row_is_an_update_through_the_service(world):
    officers, certificates = good_rows()
    assert do_import(world, filled_template(officers, certificates)).ok
    officers[0]["岗位"] = "执法科科长"
    officers[1]["专业法律知识考试日期"] = date(2025, 4, 1)

    result = do_import(world, filled_template(officers, certificates))

    assert result.ok, messages(result)
    assert (result.officers.updated, result.officers.unchanged) == (2, 1)
    assert Officer.objects.get(id_number=WANG).post == "执法科科长"
    assert Entry.objects.filter(action="officer.updated").count() == 1
    assert Exam.objects.filter(officer__id_number=LI).count() == 3


def test_bad_rows_are_all_reported_in_chinese_and_nothing_is_imported(world):
    # A certificate already held by someone in another agency.
    other = services.officer_register(
        actor=world["outsider"],
        agency=world["other_agency"],
        name="外单位人员",
        id_number=SUN,
        post="执法队员",
        employment_status=EmploymentStatus.ESTABLISHED,
    )
    for kind in (ExamKind.GENERAL, ExamKind.PROFESSIONAL):
        services.exam_record(
            actor=world["outsider"],
            officer=other,
            kind=kind,
            taken_on=date(2024, 1, 2),
            passed=True,
        )
    services.certificate_issue(
        actor=world["outsider"],
        officer=other,
        number="TAKEN-001",
        categories=["market"],
        area=world["other_agency"].region,
        issued_on=date(2024, 2, 1),
    )
    officers_before, certificates_before, entries_before = (
        Officer.objects.count(),
        Certificate.objects.count(),
        Entry.objects.count(),
    )
    officers, _ = good_rows()
    officers += [
        officer_row("钱错号", BAD_CHECK),  # row 5
        officer_row("孙科室", "210521197511110042", **{"承办机构": "不存在科"}),  # row 6
        officer_row("周日期", "210521199511110017", **{"通用法律知识考试日期": "去年五月"}),
        officer_row("吴未过", "21052119881212002X", **{"通用法律知识考试结果": "未通过"}),  # row 8
    ]
    certificates = [
        certificate_row("C-001", WANG),  # row 2
        certificate_row("C-001", LI, **{"执法类别": "市场监管"}),  # row 3: duplicate in file
        certificate_row("TAKEN-001", LI),  # row 4: belongs to another person
        certificate_row("C-004", "21052119881212002X"),  # row 5: no passed general exam
        certificate_row("C-005", LI, **{"有效期至": date(2024, 1, 1)}),  # row 6
        certificate_row("C-006", LI, **{"执法类别": "市场监管、生态环境"}),  # row 7
        certificate_row("C-007", ZHAO),  # row 8: auxiliary
        certificate_row("C-008", WANG, **{"发证日期": "2024/02/30"}),  # row 9: no such day
    ]

    result = do_import(world, filled_template(officers, certificates))

    assert not result.ok
    text = "\n".join(messages(result))
    expected = [
        "「执法人员」第 5 行「公民身份号码」：校验码错误：按前 17 位计算，第 18 位应为「1」",
        "「执法人员」第 6 行「承办机构」：本执法主体没有名为「不存在科」的承办机构",
        "「执法人员」第 7 行「通用法律知识考试日期」：「去年五月」不是日期",
        "「执法证件」第 3 行「证件编号」：与第 2 行的证件编号重复",
        "「执法证件」第 4 行「证件编号」：该证件编号已经登记在其他人员名下",
        "「执法证件」第 5 行「公民身份号码」：该人员在发证日期（2024-05-01）前没有通过通用法律知识考试",
        "「执法证件」第 6 行「有效期至」：有效期至（2024-01-01）必须晚于发证日期（2024-05-01）",
        "「执法证件」第 7 行「执法类别」：执法类别「生态环境」超出本执法主体的职权范围",
        "「执法证件」第 8 行「公民身份号码」：该人员是执法辅助人员",
        "「执法证件」第 9 行「发证日期」：「2024/02/30」不是有效的日期",
    ]
    for line in expected:
        assert line in text, f"missing: {line}\n{text}"
    assert (Officer.objects.count(), Certificate.objects.count(), Entry.objects.count()) == (
        officers_before,
        certificates_before,
        entries_before,
    )


def test_refusals_the_service_raises_while_writing_roll_the_whole_file_back(world, monkeypatch):
    real_issue = services.certificate_issue

    def refuse_second(**kwargs):
        if kwargs["number"] == "21052124000002":
            raise ValidationError({"area": "执法区域不在辖区内（测试）。"})
        return real_issue(**kwargs)

    monkeypatch.setattr(services, "certificate_issue", refuse_second)
    entries = Entry.objects.count()

    result = do_import(world, filled_template(*good_rows()))

    assert messages(result) == ["「执法证件」第 3 行「执法区域」：执法区域不在辖区内（测试）。"]
    assert result.officers.created == 0
    assert not Officer.objects.exists() and not Certificate.objects.exists()
    assert Entry.objects.count() == entries


def test_a_certificate_number_may_not_move_to_another_person_or_change(world):
    assert do_import(world, filled_template(*good_rows())).ok
    officers, certificates = good_rows()
    certificates[0]["公民身份号码"] = LI
    certificates[1]["执法类别"] = "食品安全"

    result = do_import(world, filled_template(officers, certificates))

    text = "\n".join(messages(result))
    assert "「执法证件」第 2 行「证件编号」：该证件编号已经登记在其他人员名下" in text
    assert "第 3 行「执法类别」：该证件已登记，表中的执法类别与已登记的不同" in text


def test_an_auxiliary_cannot_become_an_officer_by_import(world):
    assert do_import(world, filled_template(*good_rows())).ok
    officers, certificates = good_rows()
    officers[2]["是否辅助人员"] = "否"
    result = do_import(world, filled_template(officers, certificates))
    assert "第 4 行「是否辅助人员」：该人员已登记为执法辅助人员" in "\n".join(messages(result))


def test_missing_pairs_and_required_cells_are_row_errors(world):
    officers = [
        officer_row("", WANG, **{"通用法律知识考试结果": "", "编制状态": "临时工"}),
    ]
    result = do_import(world, filled_template(officers, []))
    text = "\n".join(messages(result))
    assert "第 2 行「姓名」：必须填写" in text
    assert "第 2 行「编制状态」：「临时工」不是有效的编制状态" in text
    assert "第 2 行「通用法律知识考试结果」：填写了考试日期，还须填写考试结果" in text


def test_an_id_number_stored_as_a_number_is_refused(world):
    wb = load_workbook(io.BytesIO(filled_template([officer_row("王小明", WANG)], [])))
    wb["执法人员"]["B2"] = 210521198001010011
    out = io.BytesIO()
    wb.save(out)
    result = do_import(world, out.getvalue())
    assert "被 Excel 存成了数字" in "\n".join(messages(result))


def test_formulas_are_never_evaluated(world):
    wb = load_workbook(io.BytesIO(filled_template([officer_row("王小明", WANG)], [])))
    wb["执法人员"]["D2"] = '="执法"&"队员"'  # a formula without a cached value
    out = io.BytesIO()
    wb.save(out)
    result = do_import(world, out.getvalue())
    assert "第 2 行「岗位」：必须填写" in "\n".join(messages(result))


def test_only_personnel_administrators_may_import(world):
    with pytest.raises(PermissionDenied):
        do_import(world, filled_template(*good_rows()), actor=world["officer"])


# -- file-level refusals


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,id\n", "不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel 文件（.xls）"),
        (b"PK\x03\x04 broken", "文件已损坏"),
        (b"", "文件是空的"),
    ],
)
def test_files_that_are_not_xlsx_are_refused(world, data, message):
    result = do_import(world, data)
    assert not result.ok and result.file_errors and message in result.errors[0].message


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "不是 Excel 工作簿" in messages(do_import(world, out.getvalue()))[0]


def test_too_large_and_too_many_rows_are_refused(world, monkeypatch):
    big = b"PK\x03\x04" + b"\0" * (excel.MAX_FILE_BYTES + 1)
    assert "文件过大" in messages(do_import(world, big))[0]
    monkeypatch.setattr(excel, "MAX_ROWS", 2)
    result = do_import(world, filled_template(*good_rows()))
    assert "超过 2 行" in messages(result)[0]


def test_a_file_without_the_expected_headers_is_refused(world):
    wb = Workbook()
    wb.active.title = "执法人员"
    wb.active.append(["姓名", "身份证号", "岗位"])
    wb.active.append(["王小明", WANG, "执法队员"])
    wb.create_sheet("执法证件").append([c.header for c in excel.CERTIFICATE_COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    message = messages(do_import(world, out.getvalue()))[0]
    assert "工作表「执法人员」第 1 行缺少以下列：公民身份号码、承办机构" in message


# -- export


def test_export_reimports_cleanly_round_trip(world):
    assert do_import(world, filled_template(*good_rows())).ok
    entries = Entry.objects.count()

    exported = excel.export_registry(user=world["head"], agency=world["agency"])
    result = do_import(world, exported)

    assert result.ok, messages(result)
    assert not result.changed
    assert (result.officers.unchanged, result.certificates.unchanged) == (3, 2)
    assert Entry.objects.count() == entries
    wb = load_workbook(io.BytesIO(exported), data_only=True)
    row = {h.value: c.value for h, c in zip(wb["执法人员"][1], wb["执法人员"][2], strict=False)}
    assert row["公民身份号码"] in {WANG, LI, ZHAO} and "*" not in row["公民身份号码"]
    certs = wb["执法证件"]
    assert certs["D2"].value == "本溪满族自治县（210521）"
    assert "有效" in certs["G2"].value


def test_export_to_another_agency_is_refused(world):
    assert do_import(world, filled_template(*good_rows())).ok
    exported = excel.export_registry(user=world["head"], agency=world["agency"])
    grant(world["head"], Role.AGENCY_HEAD, agency=world["other_agency"])
    result = excel.import_registry(actor=world["head"], agency=world["other_agency"], file=exported)
    assert "导出的，不能导入到「桓仁满族自治县市场监督管理局」" in messages(result)[0]


def test_masked_export_says_so_and_is_refused_on_import(world):
    assert do_import(world, filled_template(*good_rows())).ok

    exported = excel.export_registry(user=world["supervisor"])

    wb = load_workbook(io.BytesIO(exported), data_only=True)
    assert wb.active.title == "说明"
    notes = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "已脱敏" in notes and "不能重新导入" in notes
    ids = [c.value for c in wb["执法人员"]["B"][1:]]
    assert ids and all("*" in i and i not in {WANG, LI, ZHAO} for i in ids)
    assert all("*" in c.value for c in wb["执法证件"]["B"][1:])
    result = do_import(world, exported)
    assert "脱敏导出的文件" in messages(result)[0]
    # Masked IDs copied into a fresh template are refused row by row.
    copied = filled_template([officer_row("王小明", ids[0])], [])
    assert "公民身份号码已脱敏" in "\n".join(messages(do_import(world, copied)))


def test_a_formula_looking_string_is_exported_as_text(world):
    services.officer_register(
        actor=world["head"],
        agency=world["agency"],
        name="王小明",
        id_number=WANG,
        post='=HYPERLINK("http://evil.example/","点我")',
        employment_status=EmploymentStatus.ESTABLISHED,
    )
    exported = excel.export_registry(user=world["head"], agency=world["agency"])
    cell = load_workbook(io.BytesIO(exported))["执法人员"]["D2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)
    # And it re-imports as the same text.
    result = do_import(world, exported)
    assert result.ok and not result.changed


# -- views


@pytest.fixture
def page(world):
    return f"/staff/officers/excel/{world['agency'].public_id}/"


@with_excel_urls
def test_personnel_administrator_uses_the_page(client, world, page):
    client.force_login(world["head"])
    response = client.get(page)
    assert response.status_code == 200 and "下载导入模板" in response.content.decode()
    template = client.get(page + "template.xlsx")
    assert template.status_code == 200
    assert template["Content-Type"] == excel_pages.XLSX
    assert "attachment" in template["Content-Disposition"]
    assert (
        load_workbook(io.BytesIO(b"".join(template.streaming_content))).sheetnames[0] == "执法人员"
    )
    export = client.get(page + "export.xlsx")
    assert export.status_code == 200 and "no-store" in export["Cache-Control"]


@with_excel_urls
@pytest.mark.parametrize("suffix", ["", "template.xlsx", "export.xlsx"])
def test_an_officer_of_the_agency_is_refused(client, world, page, suffix):
    client.force_login(world["officer"])
    assert client.get(page + suffix).status_code == 403


@with_excel_urls
def test_an_officer_cannot_upload(client, world, page):
    client.force_login(world["officer"])
    upload = io.BytesIO(filled_template(*good_rows()))
    upload.name = "名单.xlsx"
    assert client.post(page, {"file": upload}).status_code == 403
    assert not Officer.objects.exists()


@with_excel_urls
@pytest.mark.parametrize("suffix", ["", "template.xlsx", "export.xlsx"])
def test_an_outsider_gets_404(client, world, page, suffix):
    client.force_login(world["outsider"])
    assert client.get(page + suffix).status_code == 404


@with_excel_urls
def test_anonymous_is_sent_to_login(client, page):
    response = client.get(page)
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


@with_excel_urls
def test_upload_shows_counts_then_unchanged(client, world, page):
    client.force_login(world["head"])
    data = filled_template(*good_rows())
    for expected in ("新增", "没有任何变化"):
        upload = io.BytesIO(data)
        upload.name = "名单.xlsx"
        response = client.post(page, {"file": upload})
        body = response.content.decode()
        assert response.status_code == 200 and "导入成功" in body and expected in body
    assert Officer.objects.count() == 3


@with_excel_urls
def test_upload_with_bad_rows_lists_them_and_imports_nothing(client, world, page):
    client.force_login(world["head"])
    officers, certificates = good_rows()
    officers[1]["公民身份号码"] = BAD_CHECK
    upload = io.BytesIO(filled_template(officers, certificates))
    upload.name = "名单.xlsx"
    response = client.post(page, {"file": upload})
    body = response.content.decode()
    assert response.status_code == 422
    assert "未导入" in body and "第 3 行" in body and "校验码错误" in body
    assert not Officer.objects.exists()


@with_excel_urls
def test_upload_of_a_non_xlsx_file_is_refused(client, world, page):
    client.force_login(world["head"])
    upload = io.BytesIO(b"%PDF-1.7 not a spreadsheet")
    upload.name = "名单.xlsx"
    response = client.post(page, {"file": upload})
    assert response.status_code == 422 and "不是 Excel 工作簿" in response.content.decode()


@with_excel_urls
def test_result_page_links_back_and_to_the_registry(client, world, page):
    # The result page is shared with the catalog; its wording comes from this view.
    client.force_login(world["head"])
    upload = io.BytesIO(filled_template(*good_rows()))
    upload.name = "名单.xlsx"
    body = client.post(page, {"file": upload}).content.decode()
    assert f'<a href="{page}">← 返回 Excel 导入导出</a>' in body
    assert f'action="{page}"' in body
    assert '<th scope="col">更新</th>' in body
    registry = f"{reverse('officers:list')}?agency={world['agency'].public_id}"
    assert f'<a class="button" href="{registry}">查看执法人员名单</a>' in body


@with_excel_urls
def test_home_redirects_an_administrator_of_one_agency(client, world, page):
    client.force_login(world["head"])
    response = client.get("/staff/officers/excel/")
    assert response.status_code == 302 and response["Location"] == page


@with_excel_urls
def test_anyone_on_staff_exports_what_they_see_masked(client, world):
    assert do_import(world, filled_template(*good_rows())).ok
    client.force_login(world["supervisor"])
    assert client.get("/staff/officers/excel/").status_code == 200
    response = client.get("/staff/officers/excel/export.xlsx")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert all("*" in c.value for c in wb["执法人员"]["B"][1:])
