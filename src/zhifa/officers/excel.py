"""Excel in and out for the officer registry (执法人员 and 执法证件).

Officials keep these lists in Excel, so the platform hands out a template,
imports it back and exports the registry in the same columns.

* `registry_template(agency=...)` writes the template (xlsxwriter).
* `import_registry(actor=..., agency=..., file=...)` reads a filled template
  with openpyxl (read-only, cached values only: formulas are never
  evaluated, every cell is data). It validates every row before writing
  anything and imports all rows or none: the writes go through the officer
  services inside one transaction, and a service that refuses a row turns
  into a row error and rolls the whole file back. Importing the same file
  again changes nothing: officers are matched by (agency, 公民身份号码),
  certificates by 证件编号, and rows identical to what is stored are skipped.
* `export_registry(user=..., agency=...)` writes what the user may see in the
  template's columns, so an export re-imports cleanly. ID numbers (and
  phones) are masked unless the user administers the agency's personnel; a
  masked file says so and is refused on import.

User-supplied strings are always written with `write_string` so a value like
"=HYPERLINK(...)" stays text and never becomes a formula (formula injection).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from openpyxl import load_workbook
from stdnum.cn import ric

from zhifa.officers import services
from zhifa.officers.models import (
    ELIGIBLE_STATUSES,
    Certificate,
    CertificateStatus,
    EmploymentStatus,
    Exam,
    ExamKind,
    LegalQualification,
    Officer,
)
from zhifa.orgs.models import Agency, EnforcementCategory, Region, Unit

log = logging.getLogger(__name__)

OFFICER_SHEET = "执法人员"
CERTIFICATE_SHEET = "执法证件"
NOTES_SHEET = "说明"
OPTIONS_SHEET = "选项"

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# A 5 MB xlsx may still unpack to far more; refuse anything that does (zip bombs).
MAX_UNPACKED_BYTES = 80 * 1024 * 1024

# Custom document properties written on every export, checked on import.
PROP_KIND = "zhifa.kind"
PROP_AGENCY = "zhifa.agency"
PROP_MASKED = "zhifa.masked"
MULTIPLE_AGENCIES = "multiple"

YES, NO = "是", "否"
PASSED, FAILED = "通过", "未通过"
SAMPLE_ID_NUMBER = "11010519491231002X"  # the worked example of GB 11643-1999
MASK_CHAR = "*"

_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_REGION_CODE = re.compile(r"(?<!\d)(\d{9}|\d{6})(?!\d)")
_CATEGORY_SEPARATORS = re.compile(r"[、，,;；/\s]+")
# Same rule as the officer services, so a bad phone is reported with every other row error.
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    kind: str = "text"  # text | date | choice
    required: bool = False
    note: str = ""


OFFICER_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", 12, required=True, note="必填。与居民身份证上的姓名一致。"),
    Column(
        "id_number",
        "公民身份号码",
        22,
        required=True,
        note="必填。18 位，末位可以是 X。本列已设为文本格式，请勿改成数字格式，否则 Excel 会丢失末几位。"
        "同一执法主体内按本号码识别人员：再次导入时，号码相同的行更新该人员的信息。",
    ),
    Column(
        "unit",
        "承办机构",
        18,
        kind="choice",
        note="选填。本执法主体已登记的承办机构（科室）名称，可从下拉列表中选择。",
    ),
    Column("post", "岗位", 14, required=True, note="必填。例如：执法队员、执法科科长。"),
    Column(
        "employment_status",
        "编制状态",
        14,
        kind="choice",
        required=True,
        note="必填，从下拉列表中选择：在编、在职（非在编）、编外聘用。编外聘用人员不能申领执法证件。",
    ),
    Column(
        "is_auxiliary",
        "是否辅助人员",
        12,
        kind="choice",
        note="选填：是 / 否（空白按“否”）。执法辅助人员没有执法资格，不能持有执法证件，不能单独执法。"
        "已登记的人员不能通过导入改变这一身份。",
    ),
    Column("phone", "联系电话", 16, note="选填。仅供本机关内部联系，不会公开。"),
    Column(
        "general_exam_on",
        "通用法律知识考试日期",
        14,
        kind="date",
        note="选填。日期格式 YYYY-MM-DD（例如 2024-05-18）。填写日期时必须同时填写考试结果。",
    ),
    Column(
        "general_exam_result",
        "通用法律知识考试结果",
        12,
        kind="choice",
        note="选填：通过 / 未通过。发证须有通过的通用法律知识考试。",
    ),
    Column(
        "professional_exam_on",
        "专业法律知识考试日期",
        14,
        kind="date",
        note="选填。日期格式 YYYY-MM-DD。填写日期时必须同时填写考试结果。",
    ),
    Column(
        "professional_exam_result",
        "专业法律知识考试结果",
        12,
        kind="choice",
        note="选填：通过 / 未通过。发证须有通过的专业法律知识考试。",
    ),
    Column(
        "legal_qualification_number",
        "法律职业资格证书编号",
        20,
        note="选填。持有法律职业资格的人员填写（法制审核人员需要），与取得日期同时填写。",
    ),
    Column(
        "legal_qualification_on",
        "法律职业资格取得日期",
        14,
        kind="date",
        note="选填。日期格式 YYYY-MM-DD。",
    ),
)

CERTIFICATE_COLUMNS: tuple[Column, ...] = (
    Column(
        "number",
        "证件编号",
        20,
        required=True,
        note="必填。执法证件上的编号，每个编号只能登记一次。再次导入时按本编号识别证件。",
    ),
    Column(
        "holder_id_number",
        "公民身份号码",
        22,
        required=True,
        note="必填。持证人的公民身份号码，该人员须已在“执法人员”表或平台中登记。",
    ),
    Column(
        "categories",
        "执法类别",
        24,
        kind="choice",
        required=True,
        note="必填。执法类别名称，多个类别用顿号“、”分隔，例如：市场监管、食品安全。"
        "类别不能超出本执法主体的职权范围。",
    ),
    Column(
        "area",
        "执法区域",
        24,
        kind="choice",
        required=True,
        note="必填。行政区划代码（如 210521）或名称（如 本溪满族自治县），"
        "须为本执法主体所在区域或其下级区域。",
    ),
    Column(
        "issued_on", "发证日期", 14, kind="date", required=True, note="必填。日期格式 YYYY-MM-DD。"
    ),
    Column(
        "expires_on",
        "有效期至",
        14,
        kind="date",
        note="选填。空白时按本地区规定的证件有效期自动计算；填写时必须晚于发证日期。",
    ),
)

# Export-only columns: shown to the reader, ignored by the import.
OFFICER_EXPORT_EXTRA = (
    Column("agency", "执法主体（仅供查看，导入时忽略）", 26),
    Column("left_on", "离岗日期（仅供查看，导入时忽略）", 16),
)
CERTIFICATE_EXPORT_EXTRA = (
    Column("status", "证件状态（仅供查看，导入时忽略）", 18),
    Column("holder_name", "持证人姓名（仅供查看，导入时忽略）", 14),
)

STATUS_BY_LABEL = {label: value for value, label in EmploymentStatus.choices}
# People type parentheses either way.
STATUS_BY_LABEL["在职(非在编)"] = EmploymentStatus.EMPLOYED
STATUS_BY_LABEL["在职"] = EmploymentStatus.EMPLOYED

# Service field names → template column, to place a service's error in its cell.
OFFICER_FIELD_COLUMNS = {
    "name": "姓名",
    "id_number": "公民身份号码",
    "unit": "承办机构",
    "post": "岗位",
    "employment_status": "编制状态",
    "is_auxiliary": "是否辅助人员",
    "phone": "联系电话",
    "certificate_number": "法律职业资格证书编号",
    "obtained_on": "法律职业资格取得日期",
}
CERTIFICATE_FIELD_COLUMNS = {
    "number": "证件编号",
    "officer": "公民身份号码",
    "categories": "执法类别",
    "area": "执法区域",
    "issued_on": "发证日期",
    "expires_on": "有效期至",
}


# ---------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None  # the Excel row number; None for a file-level refusal
    column: str
    message: str

    def __str__(self) -> str:
        where = f"「{self.sheet}」" if self.sheet else ""
        if self.row is not None:
            where += f"第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」"
        return f"{where}：{self.message}" if where else self.message


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    officers: SheetCounts = field(default_factory=SheetCounts)
    certificates: SheetCounts = field(default_factory=SheetCounts)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(
            self.officers.created
            or self.officers.updated
            or self.certificates.created
            or self.certificates.updated
        )

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is None]

    @property
    def row_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is not None]


class FileRefused(Exception):
    """The file as a whole cannot be imported (not xlsx, too large, wrong headers…)."""


class _CellError(Exception):
    def __init__(self, message: str, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.column = column


class _Rollback(Exception):
    pass


# ---------------------------------------------------------------------------
# Cell values


def _text(value: Any) -> str:
    """A cell as text; numbers lose a spurious '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        match = _DATE_TEXT.match(value.strip())
        if not match:
            raise _CellError(
                f"「{value.strip()[:30]}」不是日期，请填写 YYYY-MM-DD 格式（例如 2024-05-18）或 Excel 日期。"
            )
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as exc:
            raise _CellError(f"「{value.strip()}」不是有效的日期（没有这一天）。") from exc
    else:
        raise _CellError(
            f"「{_text(value)[:30]}」不是日期，请填写 YYYY-MM-DD 格式（例如 2024-05-18）或 Excel 日期。"
        )
    if not 1950 <= day.year <= 2100:
        raise _CellError(f"日期 {day.isoformat()} 不在合理范围内（1950—2100 年），请检查。")
    return day


def _choice(value: Any, allowed: dict[str, Any], what: str) -> Any:
    text = _text(value)
    key = text.replace("(", "（").replace(")", "）")
    if key in allowed:
        return allowed[key]
    if text in allowed:
        return allowed[text]
    options = "、".join(k for k in allowed if "(" not in k)
    raise _CellError(f"「{text[:30]}」不是有效的{what}，请从下拉列表中选择（{options}）。")


def mask_id_number(value: str) -> str:
    n = value or ""
    return n[:3] + MASK_CHAR * max(len(n) - 7, 0) + n[-4:] if len(n) > 7 else MASK_CHAR * len(n)


def mask_phone(value: str) -> str:
    n = value or ""
    return n[:3] + MASK_CHAR * (len(n) - 7) + n[-4:] if len(n) > 7 else MASK_CHAR * len(n)


def _id_number(value: Any) -> str:
    """A validated, normalised 18-digit 公民身份号码 (GB 11643), or a Chinese error."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _CellError(
            "公民身份号码被 Excel 存成了数字，末几位可能已经丢失。请把本列设为文本格式后重新录入"
            "（或在号码前加英文单引号 '）。"
        )
    text = re.sub(r"\s+", "", _text(value)).upper()
    if not text:
        raise _CellError("必须填写。")
    if MASK_CHAR in text or "＊" in text:
        raise _CellError(
            "公民身份号码已脱敏（含 *），脱敏导出的文件不能导入。请由本机关人事管理员导出完整名单，"
            "或使用模板重新填写完整号码。"
        )
    if len(text) == 18 and text[:17].isdigit() and text[17] != ric.calc_check_digit(text):
        raise _CellError(
            f"校验码错误：按前 17 位计算，第 18 位应为「{ric.calc_check_digit(text)}」，"
            f"表中为「{text[17]}」，请核对号码。"
        )
    try:
        # The service's own check (also refuses a birth date after today).
        return services.validate_id_number(text)
    except ValidationError as exc:
        raise _CellError("".join(exc.messages)) from exc


def _past_date(value: Any) -> date | None:
    """A date that has already happened (exams, qualifications, issue dates)."""
    day = _date(value)
    if day and day > timezone.localdate():
        raise _CellError(f"日期 {day.isoformat()} 晚于今天，请检查。")
    return day


def _phone(value: Any) -> str:
    phone = re.sub(r"\s", "", _limited(value, 20))
    if phone and not _PHONE.match(phone):
        raise _CellError("格式不正确：手机号码为 11 位数字，固定电话如 024-42812345。")
    return phone


def _limited(value: Any, limit: int) -> str:
    text = _text(value)
    if len(text) > limit:
        raise _CellError(f"不能超过 {limit} 个字（表中 {len(text)} 个字）。")
    return text


def _exam_result(value: Any) -> bool | None:
    text = _text(value)
    if not text:
        return None
    return _choice(text, {PASSED: True, FAILED: False, "合格": True, "不合格": False}, "考试结果")


# ---------------------------------------------------------------------------
# Reading the file


@dataclass
class _Sheet:
    name: str
    columns: dict[str, int]  # header → index
    rows: list[tuple[int, tuple]]  # (excel row number, values)

    def get(self, values: tuple, header: str) -> Any:
        index = self.columns.get(header)
        if index is None or index >= len(values):
            return None
        return values[index]


def _normal_header(value: Any) -> str:
    text = re.sub(r"\s+", "", _text(value)).replace("(", "（").replace(")", "）")
    return text.strip("*＊")


def _read_upload(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        size = getattr(file, "size", None)
        if size is not None and size > MAX_FILE_BYTES:
            raise FileRefused(_too_large(size))
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(_too_large(len(data)))
    if not data:
        raise FileRefused("上传的文件是空的。")
    return data


def _too_large(size: int) -> str:
    return (
        f"文件过大（{size / 1024 / 1024:.1f} MB），单个文件不能超过 {MAX_FILE_BYTES // 1024 // 1024} MB。"
        "请删除多余的工作表、图片后重试，或分批导入。"
    )


NOT_XLSX = "文件不是 Excel 工作簿（.xlsx）。请使用本页下载的模板填写后上传。"


def _open_workbook(data: bytes):
    if data.startswith(_XLS_MAGIC):
        raise FileRefused(
            "这是旧版 Excel 文件（.xls），不能直接导入。请在 Excel 或 WPS 中“另存为”"
            "Excel 工作簿（.xlsx）后再上传。"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise FileRefused(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise FileRefused("文件已损坏或不是 .xlsx 工作簿，无法读取。") from exc
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise FileRefused(NOT_XLSX)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRefused(
            "文件含有宏（.xlsm），出于安全考虑不能导入。请另存为不含宏的 .xlsx 工作簿。"
        )
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise FileRefused("文件解压后过大，不像是人员名单。请使用本页下载的模板，或分批导入。")
    try:
        # read_only streams the sheets; data_only reads cached values, so a formula is
        # never evaluated and its text never reaches the registry.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # untrusted input: any parser failure is a refusal
        log.info("xlsx refused by openpyxl: %r", exc)
        raise FileRefused("文件已损坏或不是 .xlsx 工作簿，无法读取。") from exc


def _custom_props(workbook) -> dict[str, str]:
    props: dict[str, str] = {}
    for prop in getattr(workbook, "custom_doc_props", None) or []:
        props[str(prop.name)] = str(prop.value)
    return props


def _read_sheet(workbook, name: str, columns: tuple[Column, ...], budget: list[int]) -> _Sheet:
    if name not in workbook.sheetnames:
        raise FileRefused(
            f"文件中没有名为「{name}」的工作表。请使用本页下载的模板，不要修改工作表名称。"
        )
    worksheet = workbook[name]
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    found: dict[str, int] = {}
    duplicated: list[str] = []
    for index, cell in enumerate(header):
        title = _normal_header(cell)
        if not title:
            continue
        if title in found:
            duplicated.append(title)
        found[title] = index
    missing = [c.header for c in columns if c.header not in found]
    if missing:
        raise FileRefused(
            f"工作表「{name}」第 1 行缺少以下列：{'、'.join(missing)}。"
            "请使用本页下载的模板，不要修改或删除表头。"
        )
    wanted = {c.header for c in columns}
    duplicated = [d for d in duplicated if d in wanted]
    if duplicated:
        raise FileRefused(f"工作表「{name}」的表头中「{'、'.join(duplicated)}」出现了不止一次。")
    data: list[tuple[int, tuple]] = []
    wanted_indexes = [found[c.header] for c in columns]
    for number, values in enumerate(rows, start=2):
        if not values or all(
            values[i] is None or _text(values[i]) == "" for i in wanted_indexes if i < len(values)
        ):
            continue
        budget[0] += 1
        if budget[0] > MAX_ROWS:
            raise FileRefused(
                f"文件中的数据超过 {MAX_ROWS} 行，超出单次导入上限。请分成几个文件分批导入。"
            )
        data.append((number, tuple(values)))
    return _Sheet(name=name, columns=found, rows=data)


# ---------------------------------------------------------------------------
# Parsed rows


@dataclass
class _OfficerRow:
    row: int
    name: str = ""
    id_number: str = ""
    unit: Unit | None = None
    post: str = ""
    employment_status: str = ""
    is_auxiliary: bool = False
    phone: str = ""
    exams: list[tuple[str, str, date, bool]] = field(default_factory=list)  # kind, column, on, ok
    legal: tuple[str, date] | None = None
    ok: bool = True
    # Filled by the comparison with what is stored.
    officer: Officer | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    new_exams: list[tuple[str, str, date, bool]] = field(default_factory=list)
    new_legal: tuple[str, date] | None = None

    @property
    def action(self) -> str:
        if self.officer is None:
            return "create"
        if self.changes or self.new_exams or self.new_legal:
            return "update"
        return "unchanged"


@dataclass
class _CertificateRow:
    row: int
    number: str = ""
    holder_id: str = ""
    categories: list[EnforcementCategory] = field(default_factory=list)
    area: Region | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    ok: bool = True
    holder_row: _OfficerRow | None = None
    holder: Officer | None = None
    existing: Certificate | None = None


class _Context:
    """What the validation needs from the database, loaded once per file."""

    def __init__(self, agency: Agency, officer_sheet: _Sheet, certificate_sheet: _Sheet) -> None:
        self.agency = agency
        self.units = {u.name: u for u in Unit.objects.filter(agency=agency)}
        self.agency_categories = {c.pk for c in agency.categories.all()}
        self.categories = {}
        for category in EnforcementCategory.objects.all():
            self.categories[category.name] = category
            self.categories.setdefault(category.code, category)
        self.officers = {
            o.id_number: o
            for o in Officer.objects.filter(agency=agency)
            .select_related("unit")
            .prefetch_related("exams", "exams__category")
        }
        self.legal_by_officer = {
            q.officer_id: q
            for q in _legal_qualifications(officer_ids=[o.pk for o in self.officers.values()])
        }
        legal_numbers = [
            _text(officer_sheet.get(v, "法律职业资格证书编号")) for _, v in officer_sheet.rows
        ]
        self.legal_by_number = {
            q.certificate_number: q
            for q in _legal_qualifications(numbers=[n for n in legal_numbers if n])
        }
        numbers = [_text(certificate_sheet.get(v, "证件编号")) for _, v in certificate_sheet.rows]
        self.certificates = {
            c.number: c
            for c in Certificate.objects.filter(number__in=[n for n in numbers if n])
            .select_related("officer", "officer__agency", "area")
            .prefetch_related("categories")
        }
        self.active_certificates = dict(
            Certificate.objects.filter(
                officer__agency=agency,
                status__in=(CertificateStatus.VALID, CertificateStatus.SUSPENDED),
            ).values_list("officer_id", "number")
        )
        area_texts = [
            _text(certificate_sheet.get(v, "执法区域")) for _, v in certificate_sheet.rows
        ]
        codes, names = set(), set()
        for text in area_texts:
            match = _REGION_CODE.search(text)
            if match:
                codes.add(match[1])
            elif text:
                names.add(text)
        self.regions = list(
            Region.objects.filter(Q(code__in=codes) | Q(name__in=names)).select_related("parent")
        )


def _legal_qualifications(*, officer_ids=None, numbers=None):
    qs = LegalQualification.objects.select_related("officer")
    if officer_ids is not None:
        qs = qs.filter(officer_id__in=officer_ids)
    if numbers is not None:
        qs = qs.filter(certificate_number__in=numbers)
    return qs


class _Validator:
    def __init__(self, ctx: _Context, result: ImportResult) -> None:
        self.ctx = ctx
        self.result = result
        self.new_certificate_rows: dict[str, int] = {}  # holder ID → first row issuing one

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.result.errors.append(RowError(sheet, row, column, message))

    # -- officers ---------------------------------------------------------

    def officers(self, sheet: _Sheet) -> list[_OfficerRow]:
        parsed: list[_OfficerRow] = []
        seen_ids: dict[str, int] = {}
        seen_legal: dict[str, int] = {}
        for number, values in sheet.rows:
            item = _OfficerRow(row=number)
            cell = _Cells(self, sheet, number, values, item)
            item.name = cell("姓名", lambda v: _required(_limited(v, 50)))
            item.id_number = cell("公民身份号码", _id_number)
            item.unit = cell(
                "承办机构", lambda v: self._unit(_limited(v, 100)) if _text(v) else None
            )
            item.post = cell("岗位", lambda v: _required(_limited(v, 100)))
            item.employment_status = cell(
                "编制状态", lambda v: _choice(_required(_text(v)), STATUS_BY_LABEL, "编制状态")
            )
            item.is_auxiliary = cell(
                "是否辅助人员",
                lambda v: bool(_choice(v, {YES: True, NO: False}, "选项")) if _text(v) else False,
            )
            item.phone = cell("联系电话", _phone)
            for kind, label in ((ExamKind.GENERAL, "通用"), (ExamKind.PROFESSIONAL, "专业")):
                on_column, result_column = f"{label}法律知识考试日期", f"{label}法律知识考试结果"
                taken_on = cell(on_column, _past_date)
                passed = cell(result_column, _exam_result)
                if taken_on and passed is None and not cell.failed(result_column):
                    cell.fail(result_column, "填写了考试日期，还须填写考试结果（通过 / 未通过）。")
                elif passed is not None and not taken_on and not cell.failed(on_column):
                    cell.fail(on_column, "填写了考试结果，还须填写考试日期。")
                elif taken_on and passed is not None:
                    item.exams.append((kind, on_column, taken_on, passed))
            legal_number = cell("法律职业资格证书编号", lambda v: _limited(v, 40))
            legal_on = cell("法律职业资格取得日期", _past_date)
            if legal_number and not legal_on and not cell.failed("法律职业资格取得日期"):
                cell.fail("法律职业资格取得日期", "填写了法律职业资格证书编号，还须填写取得日期。")
            elif legal_on and not legal_number:
                cell.fail("法律职业资格证书编号", "填写了取得日期，还须填写法律职业资格证书编号。")
            elif legal_number and legal_on:
                item.legal = (legal_number, legal_on)
                if legal_number in seen_legal:
                    cell.fail(
                        "法律职业资格证书编号",
                        f"与第 {seen_legal[legal_number]} 行的法律职业资格证书编号重复。",
                    )
                seen_legal.setdefault(legal_number, number)
            if item.id_number:
                if item.id_number in seen_ids:
                    cell.fail(
                        "公民身份号码",
                        f"与第 {seen_ids[item.id_number]} 行是同一个公民身份号码；每个人员只能填写一行。",
                    )
                seen_ids.setdefault(item.id_number, number)
            if item.ok:
                self._compare_officer(item, cell)
            parsed.append(item)
        return parsed

    def _unit(self, name: str) -> Unit:
        unit = self.ctx.units.get(name)
        if unit is None:
            known = "、".join(self.ctx.units) or "（本执法主体尚未登记承办机构）"
            raise _CellError(
                f"本执法主体没有名为「{name}」的承办机构。已登记的承办机构：{known}。"
                "请先由管理员登记承办机构，或留空。"
            )
        return unit

    def _compare_officer(self, item: _OfficerRow, cell: _Cells) -> None:
        officer = self.ctx.officers.get(item.id_number)
        if item.legal:
            holder = self.ctx.legal_by_number.get(item.legal[0])
            if holder is not None and (officer is None or holder.officer_id != officer.pk):
                cell.fail(
                    "法律职业资格证书编号",
                    "该法律职业资格证书编号已登记在其他人员名下，证书编号不能重复。",
                )
        if officer is None:
            item.new_exams = list(item.exams)
            item.new_legal = item.legal
            return
        item.officer = officer
        if officer.is_auxiliary != item.is_auxiliary:
            stored = "执法辅助人员" if officer.is_auxiliary else "执法人员"
            cell.fail(
                "是否辅助人员",
                f"该人员已登记为{stored}，这一身份不能通过导入更改；如确需更改，请在人员页面办理。",
            )
        wanted = {
            "name": item.name,
            "unit": item.unit,
            "post": item.post,
            "employment_status": item.employment_status,
            "phone": item.phone,
        }
        for name, value in wanted.items():
            stored_value = officer.unit if name == "unit" else getattr(officer, name)
            if (stored_value.pk if name == "unit" and stored_value else stored_value) != (
                value.pk if name == "unit" and value else value
            ):
                item.changes[name] = value
        stored_exams = list(officer.exams.all())
        for kind, column, taken_on, passed in item.exams:
            same_day = [e for e in stored_exams if e.kind == kind and e.taken_on == taken_on]
            if any(e.passed == passed for e in same_day):
                continue
            if same_day:
                stored_result = PASSED if same_day[0].passed else FAILED
                cell.fail(
                    column.replace("日期", "结果"),
                    f"已登记 {taken_on.isoformat()} 的考试结果为「{stored_result}」，与表中不同；"
                    "考试记录不能通过导入修改。",
                )
                continue
            item.new_exams.append((kind, column, taken_on, passed))
        stored_legal = self.ctx.legal_by_officer.get(officer.pk)
        if item.legal:
            if stored_legal is None:
                item.new_legal = item.legal
            elif (stored_legal.certificate_number, stored_legal.obtained_on) != item.legal:
                cell.fail(
                    "法律职业资格证书编号",
                    f"该人员已登记法律职业资格证书 {stored_legal.certificate_number}"
                    f"（{stored_legal.obtained_on.isoformat()} 取得），与表中不同；不能通过导入修改。",
                )

    # -- certificates -----------------------------------------------------

    def certificates(self, sheet: _Sheet, officer_rows: list[_OfficerRow]) -> list[_CertificateRow]:
        by_id = {r.id_number: r for r in officer_rows if r.id_number}
        parsed: list[_CertificateRow] = []
        seen: dict[str, int] = {}
        for number, values in sheet.rows:
            item = _CertificateRow(row=number)
            cell = _Cells(self, sheet, number, values, item)
            item.number = cell("证件编号", lambda v: _required(_limited(v, 40)))
            if item.number:
                if item.number in seen:
                    cell.fail(
                        "证件编号",
                        f"与第 {seen[item.number]} 行的证件编号重复；每个证件编号只能登记一次。",
                    )
                seen.setdefault(item.number, number)
            item.holder_id = cell("公民身份号码", _id_number)
            item.categories = cell("执法类别", self._categories) or []
            item.area = cell("执法区域", self._area)
            item.issued_on = cell("发证日期", lambda v: _required(_past_date(v)))
            item.expires_on = cell("有效期至", _date)
            if (
                item.issued_on
                and item.expires_on
                and item.expires_on <= item.issued_on
                and not cell.failed("有效期至")
            ):
                cell.fail(
                    "有效期至",
                    f"有效期至（{item.expires_on.isoformat()}）必须晚于发证日期"
                    f"（{item.issued_on.isoformat()}）。",
                )
            if item.holder_id:
                item.holder_row = by_id.get(item.holder_id)
                item.holder = self.ctx.officers.get(item.holder_id)
                if item.holder_row is None and item.holder is None:
                    cell.fail(
                        "公民身份号码",
                        f"本执法主体没有公民身份号码为 {mask_id_number(item.holder_id)} 的人员。"
                        "请先在「执法人员」表中填写该人员。",
                    )
            if item.number:
                self._compare_certificate(item, cell)
            parsed.append(item)
        return parsed

    def _categories(self, value: Any) -> list[EnforcementCategory]:
        names = [n for n in _CATEGORY_SEPARATORS.split(_required(_text(value))) if n]
        found: list[EnforcementCategory] = []
        unknown, outside = [], []
        for name in names:
            category = self.ctx.categories.get(name)
            if category is None:
                unknown.append(name)
            elif category.pk not in self.ctx.agency_categories:
                outside.append(name)
            elif category not in found:
                found.append(category)
        if unknown:
            raise _CellError(
                f"没有名为「{'、'.join(unknown)}」的执法类别。{self._category_hint()}"
                "多个类别请用顿号“、”分隔。"
            )
        if outside:
            raise _CellError(
                f"执法类别「{'、'.join(outside)}」超出本执法主体的职权范围，证件的执法类别不能超出"
                f"执法主体依法享有的职权。{self._category_hint()}"
            )
        return found

    def _category_hint(self) -> str:
        names = sorted(
            {c.name for c in self.ctx.categories.values() if c.pk in self.ctx.agency_categories}
        )
        if not names:
            return "本执法主体尚未登记任何执法类别，请先由管理员登记职权范围。"
        return f"本执法主体的执法类别：{'、'.join(names)}。"

    def _area(self, value: Any) -> Region:
        text = _required(_text(value))
        agency_region = self.ctx.agency.region
        match = _REGION_CODE.search(text)
        if match:
            candidates = [r for r in self.ctx.regions if r.code == match[1]]
            if not candidates:
                raise _CellError(f"没有区划代码为 {match[1]} 的行政区划。")
        else:
            candidates = [
                r for r in self.ctx.regions if r.name == text and agency_region.contains(r)
            ] or [r for r in self.ctx.regions if r.name == text]
            if not candidates:
                raise _CellError(
                    f"没有名为「{text[:30]}」的行政区划，请填写行政区划代码（如 210521）。"
                )
            if len(candidates) > 1:
                codes = "、".join(r.code for r in candidates)
                raise _CellError(
                    f"名为「{text}」的行政区划不止一个（{codes}），请填写行政区划代码。"
                )
        region = candidates[0]
        if not agency_region.contains(region):
            raise _CellError(
                f"执法区域「{region.name}」超出本执法主体所在区域（{agency_region.name}），"
                "证件的执法区域只能是本主体所在区域或其下级区域。"
            )
        return region

    def _compare_certificate(self, item: _CertificateRow, cell: _Cells) -> None:
        existing = self.ctx.certificates.get(item.number)
        if existing is not None:
            item.existing = existing
            same_holder = (
                existing.officer.agency_id == self.ctx.agency.pk
                and existing.officer.id_number == item.holder_id
            )
            if item.holder_id and not same_holder:
                cell.fail(
                    "证件编号",
                    "该证件编号已经登记在其他人员名下；每个执法证件编号只能登记一次，请核对编号。",
                )
                return
            if not item.ok:
                return
            differences = []
            if {c.pk for c in existing.categories.all()} != {c.pk for c in item.categories}:
                differences.append("执法类别")
            if existing.area_id != item.area.pk:
                differences.append("执法区域")
            if existing.issued_on != item.issued_on:
                differences.append("发证日期")
            if item.expires_on and existing.expires_on != item.expires_on:
                differences.append("有效期至")
            if differences:
                cell.fail(
                    differences[0],
                    f"该证件已登记，表中的{'、'.join(differences)}与已登记的不同；已发放的证件"
                    "不能通过导入修改，如需变更请在证件页面办理换发。",
                )
            return
        if not item.ok:
            return
        self._check_issuable(item, cell)

    def _check_issuable(self, item: _CertificateRow, cell: _Cells) -> None:
        """The issue rules, checked against the officer as the file will leave them.

        `certificate_issue` is the authority; this only lets every row be
        reported before anything is written.
        """
        row, stored = item.holder_row, item.holder
        if row is not None and not row.ok:
            cell.fail(
                "公民身份号码",
                f"持证人在「{OFFICER_SHEET}」表第 {row.row} 行的信息有误，请先更正该行。",
            )
            return
        is_auxiliary = row.is_auxiliary if row else stored.is_auxiliary
        status = row.employment_status if row else stored.employment_status
        if is_auxiliary:
            cell.fail(
                "公民身份号码",
                "该人员是执法辅助人员；辅助人员没有执法资格，不能持有执法证件（rules.md CERT-04）。",
            )
            return
        if stored is not None and not stored.on_post:
            cell.fail(
                "公民身份号码",
                f"该人员已于 {stored.left_on.isoformat()} 离岗，不能发放执法证件。",
            )
            return
        if status not in ELIGIBLE_STATUSES:
            label = EmploymentStatus(status).label
            cell.fail(
                "公民身份号码",
                f"该人员的编制状态为「{label}」，只有在编、在职人员可以申领执法证件"
                "（rules.md CERT-06 (b)，省级规定示例）。",
            )
            return
        active = self.ctx.active_certificates.get(stored.pk) if stored else None
        if active is not None:
            cell.fail(
                "公民身份号码",
                f"该人员已持有未注销的执法证件（编号 {active}），不能再发放一个；"
                "如需变更类别或区域请在证件页面办理换发。",
            )
            return
        earlier = self.new_certificate_rows.setdefault(item.holder_id, item.row)
        if earlier != item.row:
            cell.fail(
                "公民身份号码",
                f"第 {earlier} 行已为该人员发放执法证件，每人只能持有一个有效的执法证件。",
            )
            return
        # Exams taken by the issue date (CERT-06 (a)); an exam without a category
        # counts for any category.
        exams: list[tuple[str, int | None, bool, date]] = [
            (kind, None, ok, on) for kind, _, on, ok in (row.exams if row else [])
        ]
        if stored is not None:
            exams += [(e.kind, e.category_id, e.passed, e.taken_on) for e in stored.exams.all()]
        exams = [(kind, cat, ok) for kind, cat, ok, on in exams if on <= item.issued_on]
        if not any(kind == ExamKind.GENERAL and ok for kind, _, ok in exams):
            cell.fail(
                "公民身份号码",
                f"该人员在发证日期（{item.issued_on.isoformat()}）前没有通过通用法律知识考试的记录，"
                "不能发放执法证件（rules.md CERT-06 (a)，省级规定示例）。",
            )
            return
        professional = [cat for kind, cat, ok in exams if kind == ExamKind.PROFESSIONAL and ok]
        uncovered = (
            []
            if None in professional
            else [c.name for c in item.categories if c.pk not in professional]
        )
        if not professional or uncovered:
            which = f"（{'、'.join(uncovered)}）" if professional else ""
            cell.fail(
                "执法类别",
                f"该人员在发证日期前没有通过专业法律知识考试{which}的记录，不能发放执法证件"
                "（rules.md CERT-06 (a)，省级规定示例）。",
            )


def _required(value: Any) -> Any:
    if value is None or value == "":
        raise _CellError("必须填写。")
    return value


class _Cells:
    """Reads one row's cells, turning parse errors into row errors."""

    def __init__(self, validator: _Validator, sheet: _Sheet, row: int, values: tuple, item) -> None:
        self.validator = validator
        self.sheet = sheet
        self.row = row
        self.values = values
        self.item = item
        self.failed_columns: set[str] = set()

    def __call__(self, column: str, parse) -> Any:
        try:
            return parse(self.sheet.get(self.values, column))
        except _CellError as exc:
            self.fail(exc.column or column, exc.message)
            return None

    def fail(self, column: str, message: str) -> None:
        self.failed_columns.add(column)
        self.item.ok = False
        self.validator.error(self.sheet.name, self.row, column, message)

    def failed(self, column: str) -> bool:
        return column in self.failed_columns


# ---------------------------------------------------------------------------
# Import


def import_registry(*, actor, agency: Agency, file) -> ImportResult:
    """Import a filled template into `agency`: every row or none.

    `file` is an uploaded file, any binary file object, or bytes. Raises
    `PermissionDenied` unless `actor` administers the agency's personnel;
    everything else wrong with the file comes back as `ImportResult.errors`.
    """
    if not services.can_manage_personnel(actor, agency):
        raise PermissionDenied(
            "只有本执法主体的人事管理员（机关负责人、系统管理员）可以导入人员名单。"
        )
    result = ImportResult()
    try:
        officer_sheet, certificate_sheet = _load(file, agency)
    except FileRefused as exc:
        result.errors.append(RowError("", None, "", str(exc)))
        return result

    validator = _Validator(_Context(agency, officer_sheet, certificate_sheet), result)
    officer_rows = validator.officers(officer_sheet)
    certificate_rows = validator.certificates(certificate_sheet, officer_rows)
    if result.errors:
        result.errors.sort(key=_error_order)
        return result
    try:
        with transaction.atomic():
            _write(actor, agency, officer_rows, certificate_rows, result)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.officers = SheetCounts()
        result.certificates = SheetCounts()
        result.errors.sort(key=_error_order)
    return result


def _error_order(error: RowError) -> tuple:
    sheet_order = {"": 0, OFFICER_SHEET: 1, CERTIFICATE_SHEET: 2}
    return (sheet_order.get(error.sheet, 3), error.row or 0)


def _load(file, agency: Agency) -> tuple[_Sheet, _Sheet]:
    data = _read_upload(file)
    workbook = _open_workbook(data)
    try:
        props = _custom_props(workbook)
        if props.get(PROP_MASKED) == YES:
            raise FileRefused(
                "这是脱敏导出的文件（公民身份号码已隐去部分数字），不能导入。请由本机关人事管理员"
                "导出完整名单，或使用模板重新填写。"
            )
        source = props.get(PROP_AGENCY)
        if source == MULTIPLE_AGENCIES:
            raise FileRefused(
                "这个导出文件包含多个执法主体的人员，不能导入到一个执法主体。请按执法主体分别导出后再导入。"
            )
        if source and source != str(agency.public_id):
            other = Agency.objects.filter(public_id=source).first() if _is_uuid(source) else None
            name = f"「{other.name}」" if other else "其他执法主体"
            raise FileRefused(
                f"这个文件是从{name}导出的，不能导入到「{agency.name}」。"
                "请使用本执法主体导出的文件或模板。"
            )
        budget = [0]
        officers = _read_sheet(workbook, OFFICER_SHEET, OFFICER_COLUMNS, budget)
        certificates = _read_sheet(workbook, CERTIFICATE_SHEET, CERTIFICATE_COLUMNS, budget)
    finally:
        workbook.close()
    if not officers.rows and not certificates.rows:
        raise FileRefused("文件中没有数据：请从第 2 行开始填写「执法人员」和「执法证件」表。")
    return officers, certificates


def _is_uuid(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F-]{36}", text))


def _write(
    actor,
    agency: Agency,
    officer_rows: list[_OfficerRow],
    certificate_rows: list[_CertificateRow],
    result: ImportResult,
) -> None:
    written: dict[str, Officer] = {}
    failed_ids: set[str] = set()
    for item in officer_rows:
        action = item.action
        if action == "unchanged":
            result.officers.unchanged += 1
            written[item.id_number] = item.officer
            continue
        try:
            with transaction.atomic():
                officer = _write_officer(actor, agency, item)
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            failed_ids.add(item.id_number)
            _service_errors(result, OFFICER_SHEET, item.row, exc, OFFICER_FIELD_COLUMNS)
            continue
        written[item.id_number] = officer
        if action == "create":
            result.officers.created += 1
        else:
            result.officers.updated += 1
    for item in certificate_rows:
        if item.existing is not None:
            result.certificates.unchanged += 1
            continue
        if item.holder_id in failed_ids:
            continue  # the holder's own row already carries the error
        officer = written.get(item.holder_id) or item.holder
        try:
            with transaction.atomic():
                services.certificate_issue(
                    actor=actor,
                    officer=officer,
                    number=item.number,
                    categories=item.categories,
                    area=item.area,
                    issued_on=item.issued_on,
                    expires_on=item.expires_on,
                )
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            _service_errors(result, CERTIFICATE_SHEET, item.row, exc, CERTIFICATE_FIELD_COLUMNS)
            continue
        result.certificates.created += 1


def _write_officer(actor, agency: Agency, item: _OfficerRow) -> Officer:
    if item.officer is None:
        officer = services.officer_register(
            actor=actor,
            agency=agency,
            name=item.name,
            id_number=item.id_number,
            post=item.post,
            employment_status=item.employment_status,
            unit=item.unit,
            phone=item.phone,
            is_auxiliary=item.is_auxiliary,
        )
    else:
        officer = item.officer
        if item.changes:
            officer = services.officer_update(actor=actor, officer=officer, **item.changes)
    for kind, column, taken_on, passed in item.new_exams:
        try:
            services.exam_record(
                actor=actor, officer=officer, kind=kind, taken_on=taken_on, passed=passed
            )
        except ValidationError as exc:
            exc.zhifa_column = column  # place an exam error in the exam's own cells
            raise
    if item.new_legal:
        number, obtained_on = item.new_legal
        services.legal_qualification_record(
            actor=actor, officer=officer, certificate_number=number, obtained_on=obtained_on
        )
    return officer


def _service_errors(
    result: ImportResult, sheet: str, row: int, exc: Exception, columns: dict[str, str]
) -> None:
    if isinstance(exc, IntegrityError):
        log.warning("import row %s/%s hit a database constraint: %s", sheet, row, exc)
        result.errors.append(
            RowError(sheet, row, "", "与已登记的数据冲突（如编号重复），无法保存，请核对本行。")
        )
        return
    if isinstance(exc, PermissionDenied):
        result.errors.append(RowError(sheet, row, "", str(exc) or "无权办理此事项。"))
        return
    forced = getattr(exc, "zhifa_column", "")
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            column = forced or columns.get(name, "")
            for message in messages:
                result.errors.append(RowError(sheet, row, column, message))
    else:
        for message in exc.messages:
            result.errors.append(RowError(sheet, row, forced, message))


# ---------------------------------------------------------------------------
# Writing workbooks (template and export)


class _Book:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        # strings_to_formulas/urls off: nothing a user typed can become a formula or link.
        self.wb = xlsxwriter.Workbook(
            self.buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.wb.set_properties({"title": "执法人员与执法证件名单", "author": "行政执法平台"})
        font = {"font_name": "宋体", "font_size": 11}
        self.header = self.wb.add_format(
            {
                **font,
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )
        self.header_required = self.wb.add_format(
            {
                **font,
                "bold": True,
                "bg_color": "#FCE4D6",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )
        self.header_extra = self.wb.add_format(
            {
                **font,
                "bold": True,
                "bg_color": "#EDEDED",
                "font_color": "#595959",
                "border": 1,
                "text_wrap": True,
            }
        )
        self.text = self.wb.add_format({**font, "num_format": "@"})
        self.date = self.wb.add_format({**font, "num_format": "yyyy-mm-dd"})
        self.plain = self.wb.add_format(font)
        self.title = self.wb.add_format({**font, "bold": True, "font_size": 14})
        self.bold = self.wb.add_format({**font, "bold": True})
        self.warning = self.wb.add_format({**font, "bold": True, "font_color": "#C00000"})
        self.wrap = self.wb.add_format({**font, "text_wrap": True, "valign": "top"})

    def close(self) -> bytes:
        self.wb.close()
        return self.buffer.getvalue()

    def data_sheet(self, name: str, columns: Iterable[Column], extra: Iterable[Column] = ()):
        ws = self.wb.add_worksheet(name)
        ws.freeze_panes(1, 0)
        ws.set_row(0, 36)
        for index, column in enumerate(columns):
            fmt = self.date if column.kind == "date" else self.text
            ws.set_column(index, index, column.width, fmt)
            ws.write_string(
                0, index, column.header, self.header_required if column.required else self.header
            )
            note = ("【必填】" if column.required else "【选填】") + column.note
            ws.write_comment(0, index, note, {"x_scale": 2.2, "y_scale": 1.6, "font_name": "宋体"})
        start = len(list(columns))
        for offset, column in enumerate(extra):
            ws.set_column(start + offset, start + offset, column.width, self.text)
            ws.write_string(0, start + offset, column.header, self.header_extra)
        return ws

    def cell(self, ws, row: int, col: int, value: Any) -> None:
        if value is None or value == "":
            ws.write_blank(row, col, None)
        elif isinstance(value, date):
            ws.write_datetime(row, col, datetime.combine(value, datetime.min.time()), self.date)
        else:
            ws.write_string(row, col, str(value), self.text)


def _choices_sheet(book: _Book, lists: dict[str, list[str]]) -> dict[str, str]:
    """A hidden sheet holding dropdown lists; returns list name → range formula."""
    ws = book.wb.add_worksheet(OPTIONS_SHEET)
    ranges: dict[str, str] = {}
    for col, (name, values) in enumerate(lists.items()):
        ws.write_string(0, col, name, book.bold)
        for row, value in enumerate(values, start=1):
            ws.write_string(row, col, value)
        if values:
            letter = xlsxwriter.utility.xl_col_to_name(col)
            ranges[name] = f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    ws.hide()
    return ranges


def _validations(ws, columns: tuple[Column, ...], ranges: dict[str, str]) -> None:
    last = MAX_ROWS
    by_header = {c.header: i for i, c in enumerate(columns)}

    def dropdown(header: str, source, *, strict: bool = True, message: str = "") -> None:
        if header not in by_header or not source:
            return
        col = by_header[header]
        options = {
            "validate": "list",
            "source": source,
            "error_title": "请从下拉列表中选择",
            "error_message": f"「{header}」请从下拉列表中选择。",
            "error_type": "stop" if strict else "warning",
        }
        if message:
            options |= {"input_title": header[:32], "input_message": message[:255]}
        ws.data_validation(1, col, last, col, options)

    dropdown("编制状态", [label for _, label in EmploymentStatus.choices])
    dropdown("是否辅助人员", [YES, NO])
    dropdown("通用法律知识考试结果", [PASSED, FAILED])
    dropdown("专业法律知识考试结果", [PASSED, FAILED])
    dropdown("承办机构", ranges.get("承办机构"), strict=False)
    dropdown(
        "执法类别",
        ranges.get("执法类别"),
        strict=False,
        message="可从下拉列表选择一个类别；多个类别请直接输入，用顿号“、”分隔。",
    )
    dropdown("执法区域", ranges.get("执法区域"), strict=False)
    for column in columns:
        if column.kind == "date":
            ws.data_validation(
                1,
                by_header[column.header],
                last,
                by_header[column.header],
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": date(1950, 1, 1),
                    "maximum": date(2100, 12, 31),
                    "error_type": "warning",
                    "error_title": "日期格式",
                    "error_message": "请输入日期，格式 YYYY-MM-DD，例如 2024-05-18。",
                },
            )


def _region_label(region: Region) -> str:
    return f"{region.name}（{region.code}）"


def _agency_lists(agency: Agency | None) -> dict[str, list[str]]:
    if agency is None:
        return {}
    regions = list(Region.objects.within(agency.region).order_by("code")[:1000])
    return {
        "承办机构": [u.name for u in Unit.objects.filter(agency=agency).order_by("name")],
        "执法类别": [c.name for c in agency.categories.order_by("code")],
        "执法区域": [_region_label(r) for r in regions],
    }


def _notes_sheet(book: _Book, lines: list[tuple[str, Any]], *, example: bool):
    ws = book.wb.add_worksheet(NOTES_SHEET)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 13, 18)
    row = 0
    for text, fmt in lines:
        ws.write_string(row, 0, text, fmt or book.plain)
        row += 1
    if not example:
        return ws
    row += 1
    ws.write_string(
        row,
        0,
        "示例（仅供参考，请在「执法人员」「执法证件」表中从第 2 行开始填写，不要把示例复制进去）：",
        book.bold,
    )
    row += 1
    officer_example = [
        "张三",
        SAMPLE_ID_NUMBER,
        "执法一科",
        "执法队员",
        "在编",
        NO,
        "13800000000",
        date(2024, 5, 18),
        PASSED,
        date(2024, 6, 22),
        PASSED,
        "",
        "",
    ]
    certificate_example = [
        "21052124000001",
        SAMPLE_ID_NUMBER,
        "市场监管、食品安全",
        "本溪满族自治县（210521）",
        date(2024, 7, 1),
        "",
    ]
    for title, columns, values in (
        (OFFICER_SHEET, OFFICER_COLUMNS, officer_example),
        (CERTIFICATE_SHEET, CERTIFICATE_COLUMNS, certificate_example),
    ):
        ws.write_string(row, 0, f"「{title}」表示例：", book.bold)
        row += 1
        for col, column in enumerate(columns):
            ws.write_string(
                row, col, column.header, book.header_required if column.required else book.header
            )
            book.cell(ws, row + 1, col, values[col])
        row += 3
    return ws


TEMPLATE_NOTES = [
    ("执法人员与执法证件导入模板", "title"),
    (
        "1. 在「执法人员」表中每行填写一名人员（含执法辅助人员），在「执法证件」表中每行填写一个执法证件。",
        None,
    ),
    (
        "2. 从第 2 行开始填写，不要修改第 1 行表头和工作表名称；表头上的批注说明了每一列的填写要求，橙色表头为必填列。",
        None,
    ),
    (
        "3. 日期填写为 YYYY-MM-DD（例如 2024-05-18）或 Excel 日期；公民身份号码、证件编号、联系电话列请保持文本格式。",
        None,
    ),
    (
        "4. 执法类别须在本执法主体的职权范围内，多个类别用顿号“、”分隔；执法区域填写行政区划代码或名称。",
        None,
    ),
    (
        "5. 发证须有通过的通用法律知识考试和专业法律知识考试记录；执法辅助人员和编外聘用人员不能持有执法证件。",
        None,
    ),
    (
        "6. 导入前会逐行校验：任何一行有错，整个文件都不会导入，页面会列出每个错误所在的行和列。",
        None,
    ),
    (
        "7. 同一文件可以重复导入：已登记且内容相同的行不会重复登记；人员信息（姓名、承办机构、岗位、编制状态、联系电话）有变化的，按表中内容更新。",
        None,
    ),
    (
        "8. 已发放证件的类别、区域、日期不能通过导入修改；证件暂扣、注销、换发请在证件页面办理。",
        None,
    ),
]


def registry_template(*, agency: Agency | None = None) -> bytes:
    """The empty import template; with `agency`, dropdowns list its units, categories and area."""
    book = _Book()
    book.wb.set_custom_property(PROP_KIND, "template")
    officers = book.data_sheet(OFFICER_SHEET, OFFICER_COLUMNS)
    certificates = book.data_sheet(CERTIFICATE_SHEET, CERTIFICATE_COLUMNS)
    notes = [(text, book.title if fmt == "title" else None) for text, fmt in TEMPLATE_NOTES]
    if agency is not None:
        notes.insert(1, (f"执法主体：{agency.name}", book.bold))
    _notes_sheet(book, notes, example=True)
    ranges = _choices_sheet(book, _agency_lists(agency))
    _validations(officers, OFFICER_COLUMNS, ranges)
    _validations(certificates, CERTIFICATE_COLUMNS, ranges)
    officers.activate()
    return book.close()


def _latest_exam(exams: list[Exam], kind: str) -> Exam | None:
    of_kind = sorted((e for e in exams if e.kind == kind), key=lambda e: e.taken_on, reverse=True)
    passed = [e for e in of_kind if e.passed]
    return (passed or of_kind or [None])[0]


def export_registry(*, user, agency: Agency | None = None) -> bytes:
    """The registry `user` may see (optionally one agency), in the template's columns.

    ID numbers and phones are masked for agencies whose personnel the user
    does not administer; such a file says so and cannot be re-imported.
    """
    officers = (
        Officer.objects.visible_to(user)
        .select_related("agency", "unit")
        .prefetch_related("exams")
        .order_by("agency__name", "name", "pk")
    )
    certificates = (
        Certificate.objects.visible_to(user)
        .select_related("agency", "officer", "area")
        .prefetch_related("categories")
        .order_by("agency__name", "number")
    )
    if agency is not None:
        officers = officers.filter(agency=agency)
        certificates = certificates.filter(agency=agency)
    officers = list(officers)
    certificates = list(certificates)
    agencies = {o.agency_id: o.agency for o in officers} | {
        c.agency_id: c.agency for c in certificates
    }
    if agency is not None:
        agencies.setdefault(agency.pk, agency)
    full_view = {pk: services.can_manage_personnel(user, a) for pk, a in agencies.items()}
    masked = not all(full_view.values())
    legal = {q.officer_id: q for q in _legal_qualifications(officer_ids=[o.pk for o in officers])}
    today = timezone.localdate()

    book = _Book()
    book.wb.set_custom_property(PROP_KIND, "export")
    if len(agencies) == 1:
        book.wb.set_custom_property(PROP_AGENCY, str(next(iter(agencies.values())).public_id))
    elif len(agencies) > 1:
        book.wb.set_custom_property(PROP_AGENCY, MULTIPLE_AGENCIES)
    book.wb.set_custom_property(PROP_MASKED, YES if masked else NO)

    scope = (
        agency.name
        if agency is not None
        else "、".join(sorted(a.name for a in agencies.values())) or "（无）"
    )
    lines: list[tuple[str, Any]] = [("执法人员与执法证件名单（导出）", book.title)]
    if masked:
        lines += [
            (
                "注意：本文件中的公民身份号码和联系电话已脱敏（部分数字以 * 代替），仅供查阅，不能重新导入。",
                book.warning,
            ),
            (
                "如需可重新导入的完整名单，请由该执法主体的人事管理员（机关负责人或系统管理员）导出。",
                book.warning,
            ),
        ]
    lines += [
        (f"导出范围：{scope}", None),
        (f"导出人：{getattr(user, 'name', '') or user.get_username()}", None),
        (f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}", None),
        (f"人员 {len(officers)} 名，证件 {len(certificates)} 个。", None),
        ("列与导入模板相同；灰色表头的列仅供查看，导入时忽略。", None),
    ]
    if not masked:
        lines.append(("本文件含公民身份号码等个人信息，请妥善保管，不要外传。", book.warning))
    notes = _notes_sheet(book, lines, example=False)
    officer_ws = book.data_sheet(OFFICER_SHEET, OFFICER_COLUMNS, OFFICER_EXPORT_EXTRA)
    certificate_ws = book.data_sheet(
        CERTIFICATE_SHEET, CERTIFICATE_COLUMNS, CERTIFICATE_EXPORT_EXTRA
    )
    if masked:
        notes.activate()
    else:
        officer_ws.activate()

    for row, officer in enumerate(officers, start=1):
        full = full_view[officer.agency_id]
        exams = list(officer.exams.all())
        general = _latest_exam(exams, ExamKind.GENERAL)
        professional = _latest_exam(exams, ExamKind.PROFESSIONAL)
        qualification = legal.get(officer.pk)
        values = [
            officer.name,
            officer.id_number if full else mask_id_number(officer.id_number),
            officer.unit.name if officer.unit else "",
            officer.post,
            officer.get_employment_status_display(),
            YES if officer.is_auxiliary else NO,
            officer.phone if full else mask_phone(officer.phone),
            general.taken_on if general else None,
            (PASSED if general.passed else FAILED) if general else "",
            professional.taken_on if professional else None,
            (PASSED if professional.passed else FAILED) if professional else "",
            qualification.certificate_number if qualification else "",
            qualification.obtained_on if qualification else None,
            officer.agency.name,
            officer.left_on,
        ]
        for col, value in enumerate(values):
            book.cell(officer_ws, row, col, value)

    for row, certificate in enumerate(certificates, start=1):
        holder = certificate.officer
        full = full_view[certificate.agency_id]
        status = certificate.status_on(today)
        status_text = CertificateStatus(status).label
        if certificate.status_reason:
            status_text += f"（{certificate.status_reason}）"
        values = [
            certificate.number,
            holder.id_number if full else mask_id_number(holder.id_number),
            "、".join(c.name for c in sorted(certificate.categories.all(), key=lambda c: c.code)),
            _region_label(certificate.area),
            certificate.issued_on,
            certificate.expires_on,
            status_text,
            holder.name,
        ]
        for col, value in enumerate(values):
            book.cell(certificate_ws, row, col, value)
    return book.close()
