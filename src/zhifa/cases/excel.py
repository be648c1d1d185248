"""案件台账: the case list, as filtered on the page, as an Excel workbook.

Agencies keep this ledger in Excel today; the export gives them the same
sheet from the platform instead of typing it again. One row per case with
its numbers, dates, money and nearest deadline; a second sheet says what was
exported (who, when, which filters, how many). Text is always written as
text (never as a formula: a title starting with "=" stays a title), money as
numbers, dates as dates. Written with xlsxwriter in constant-memory mode, so
a long list costs one row of memory at a time.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import xlsxwriter
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from zhifa.cases.models import Case, DecisionKind, Party, SourceKind
from zhifa.cases.selectors import running_deadlines
from zhifa.cases.views_common import nearest
from zhifa.procedures import get_procedure

# Above this many cases the sheet holds the newest ones and says so: an
# Excel sheet of more is no longer a ledger anyone reads (narrow the filters).
EXPORT_LIMIT = 50_000

# (header, width, kind)
COLUMNS: list[tuple[str, int, str]] = [
    ("案件编号", 24, "text"),
    ("程序", 16, "text"),
    ("案由", 40, "text"),
    ("当事人", 30, "text"),
    ("执法主体", 28, "text"),
    ("状态", 14, "text"),
    ("案件来源", 12, "text"),
    ("登记日期", 12, "date"),
    ("立案日期", 12, "date"),
    ("决定日期", 12, "date"),
    ("送达日期", 12, "date"),
    ("结案日期", 12, "date"),
    ("决定种类", 16, "text"),
    ("罚款金额（元）", 14, "money"),
    ("已缴金额（元）", 14, "money"),
    ("主办人", 10, "text"),
    ("办案期限", 22, "text"),
    ("期限届满日", 12, "date"),
    ("期限情况", 26, "text"),
]

FIELDS = (
    "number",
    "procedure",
    "status",
    "title",
    "source_kind",
    "registered_on",
    "filed_on",
    "decided_on",
    "served_on",
    "closed_on",
    "decision_kind",
    "fine_amount",
    "paid_amount",
    "agency__name",
    "handler__name",
)
_SOURCES = dict(SourceKind.choices)
_DECISIONS = dict(DecisionKind.choices)


def _row(case: Case, today: date) -> list[Any]:
    deadline = nearest(case.running_deadlines, today)
    return [
        case.number,
        case.definition.label,
        case.title,
        "、".join(p.name for p in case.parties.all()),
        case.agency.name,
        case.status_label,
        _SOURCES.get(case.source_kind, case.source_kind),
        case.registered_on,
        case.filed_on,
        case.decided_on,
        case.served_on,
        case.closed_on,
        _DECISIONS.get(case.decision_kind or "", ""),
        case.fine_amount,
        case.paid_amount if case.fine_amount is not None else None,
        case.handler.name if case.handler else "",
        deadline.deadline.label if deadline else "",
        deadline.due if deadline else None,
        deadline.text if deadline else "",
    ]


def export_case_list(cases: QuerySet[Case], *, user, filters) -> bytes:
    """The cases (already filtered and ordered as the list shows them)."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": False,
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    font = {"font_name": "宋体", "font_size": 11}
    header = wb.add_format({**font, "bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = wb.add_format({**font, "num_format": "@"})
    day = wb.add_format({**font, "num_format": "yyyy-mm-dd"})
    money = wb.add_format({**font, "num_format": "#,##0.00"})
    formats = {"text": text, "date": day, "money": money}

    ws = wb.add_worksheet("案件台账")
    ws.freeze_panes(1, 0)
    for col, (title, width, kind) in enumerate(COLUMNS):
        ws.set_column(col, col, width, formats[kind])
        ws.write_string(0, col, title, header)
    today = timezone.localdate()
    total = cases.count()
    written = 0
    # Only the columns the sheet shows: a case row has some fifty fields.
    rows = (
        cases.only(*FIELDS)
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.only("case_id", "name")),
            running_deadlines(),
        )[:EXPORT_LIMIT]
        .iterator(chunk_size=2000)
    )
    for written, case in enumerate(rows, start=1):
        for col, value in enumerate(_row(case, today)):
            kind = COLUMNS[col][2]
            if value is None or value == "":
                continue  # an empty cell: the column's format is already set
            if kind == "date":
                ws.write_datetime(written, col, datetime.combine(value, datetime.min.time()), day)
            elif kind == "money":
                ws.write_number(written, col, float(value), money)
            else:
                ws.write_string(written, col, str(value), text)
    ws.autofilter(0, 0, max(written, 1), len(COLUMNS) - 1)

    notes = wb.add_worksheet("说明")
    notes.set_column(0, 0, 16)
    notes.set_column(1, 1, 80)
    lines = [
        ("导出", "案件台账"),
        ("导出人", user.name or user.username),
        ("导出时间", f"{timezone.localtime():%Y-%m-%d %H:%M}"),
        ("筛选", _describe(filters)),
        ("符合条件的案件", f"{total} 件"),
        ("本表所列", f"{written} 件"),
    ]
    if total > written:
        lines.append(
            ("提示", f"只导出了最新登记的 {written} 件；请缩小筛选范围后分次导出其余的案件。")
        )
    lines.append(
        ("期限", "“办案期限”为行政机关自己的最近期限；当事人的期间届满写作“可以继续办理”。")
    )
    for row, (label, value) in enumerate(lines):
        notes.write_string(row, 0, label, header)
        notes.write_string(row, 1, value, text)
    wb.close()
    return buffer.getvalue()


def _describe(filters) -> str:
    parts = []
    if filters.procedure:
        proc = get_procedure(filters.procedure)
        parts.append(f"程序：{proc.label if proc else filters.procedure}")
    if filters.status:
        code, _, state = filters.status.partition(":")
        proc = get_procedure(code)
        label = next((s.label for s in proc.states if s.code == state), state) if proc else state
        parts.append(f"状态：{label}")
    if filters.q:
        parts.append(f"关键词：{filters.q}")
    if filters.mine:
        parts.append("仅我承办的")
    if filters.late:
        parts.append("仅办案期限已逾期的")
    return "；".join(parts) or "全部（我可见的案件）"
